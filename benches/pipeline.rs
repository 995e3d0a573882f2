//! The cost of each command next to the cost of just parsing the file (see BENCHMARKS.md).
//!
//! For 1,000, 10,000 and 100,000 generated custom roles, measured in the same run:
//! - `parse-only`: the same text deserialized by serde-saphyr into a generic value, with the
//!   loader's budget options: the floor every command stands on;
//! - `load`: parse and validate into a `Policy`;
//! - `who`: load, one evaluation, the JSON object (what `who --format json` does);
//! - `matrix-json`: load, every (role, event) answer streamed as JSON (`matrix --format json`);
//! - `lint`: parse, validate and run every lint rule with the default options;
//! - `diff`: load two versions (1% of roles changed), the effect diff with lint's baseline
//!   rules (as `diff` runs them) and its JSON.
//!
//! `cargo bench --bench pipeline -- "10000 roles"` runs one size. Output goes to a sink that
//! counts bytes behind a `BufWriter`, as the CLI writes to a buffered stdout.

#[path = "support/generate.rs"]
mod generate;

use std::hint::black_box;
use std::io::{self, BufWriter, Write};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion};
use pim_notify::catalog::{self, Event};
use pim_notify::diff::{diff, DiffOptions};
use pim_notify::eval::{evaluate, Query};
use pim_notify::lint::{baseline_findings, lint_str, LintConfig};
use pim_notify::load::{load_str, parse_options};
use pim_notify::report::{answer_json, write_evaluated_matrix_json};
use pim_notify::{Policy, Role};

const SIZES: [usize; 3] = [1_000, 10_000, 100_000];

/// Discards output but counts it, so nothing is optimised away.
#[derive(Default)]
struct Counter(u64);

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

fn sink() -> BufWriter<Counter> {
    BufWriter::with_capacity(64 * 1024, Counter::default())
}

fn load(text: &str) -> Policy {
    let loaded = load_str("policy.yaml", text).expect("the generated policy parses");
    assert!(!loaded.has_errors(), "the generated policy is valid");
    loaded.policy
}

fn parse_only(text: &str) -> serde_json::Value {
    serde_saphyr::from_str_with_options(text, parse_options(text.len())).expect("the generated policy parses")
}

fn who(text: &str, role: &str) -> u64 {
    let policy = load(text);
    let role = policy.find_role(role).expect("the role exists");
    let event = catalog::find_event("activation.completed").expect("the event exists");
    let answer = evaluate(&policy, role, event, &Query::default());
    let mut out = sink();
    serde_json::to_writer_pretty(&mut out, &answer_json(&policy, &answer)).unwrap();
    out.into_inner().map_or(0, |c| c.0)
}

fn matrix_json(text: &str) -> u64 {
    let policy = load(text);
    let roles: Vec<&Role> = policy.roles.iter().collect();
    let events: Vec<&'static Event> = catalog::events().iter().collect();
    let mut out = sink();
    write_evaluated_matrix_json(&mut out, &policy, &roles, &events, &Query::default()).unwrap();
    out.into_inner().map_or(0, |c| c.0)
}

fn diff_json(old: &str, new: &str) -> u64 {
    // As the CLI does: the two versions are parsed on two threads.
    let (old, new) = std::thread::scope(|scope| {
        let new = scope.spawn(|| load(new));
        (load(old), new.join().expect("loading does not panic"))
    });
    let config = LintConfig::default();
    let result = diff(&old, &new, &DiffOptions::default(), &|p: &Policy| baseline_findings(p, &config));
    let mut out = sink();
    serde_json::to_writer_pretty(&mut out, &result.json_view()).unwrap();
    out.into_inner().map_or(0, |c| c.0)
}

fn lint(text: &str) -> usize {
    lint_str("policy.yaml", text, &LintConfig::default()).diagnostics.len()
}

fn configure(group: &mut BenchmarkGroup<criterion::measurement::WallTime>, roles: usize) {
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(if roles >= 100_000 { 1 } else { 500 }));
    group.measurement_time(Duration::from_secs(match roles {
        r if r >= 100_000 => 1,
        r if r >= 10_000 => 5,
        _ => 3,
    }));
}

fn pipeline(c: &mut Criterion) {
    for roles in SIZES {
        let base = generate::policy(generate::Spec::new(roles));
        let changed = generate::policy(generate::Spec::new(roles).changed(0.01));
        let role = format!("Custom Role {:06}", roles / 2);
        let mut group = c.benchmark_group(format!("{roles} roles"));
        configure(&mut group, roles);
        group.bench_function("parse-only", |b| b.iter(|| parse_only(black_box(&base))));
        group.bench_function("load", |b| b.iter(|| load(black_box(&base))));
        group.bench_function("who", |b| b.iter(|| who(black_box(&base), &role)));
        group.bench_function("matrix-json", |b| b.iter(|| matrix_json(black_box(&base))));
        group.bench_function("lint", |b| b.iter(|| lint(black_box(&base))));
        group.bench_function("diff", |b| b.iter(|| diff_json(black_box(&base), black_box(&changed))));
        group.finish();
    }
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
