//! Writes a large synthetic policy to standard output, for benchmarks and profiling:
//!
//! ```text
//! cargo run --release --example generate_policy -- --roles 10000 > target/big.yaml
//! cargo run --release --example generate_policy -- --roles 10000 --changed 1% > target/big-new.yaml
//! ```
//!
//! The same seed always gives the same file; `--changed` alters that fraction of the custom
//! roles (for `diff`). Keep generated files out of the repository (target/ or a temp dir).

#[path = "../benches/support/generate.rs"]
mod generate;

use std::io::Write;

fn main() {
    let mut spec = generate::Spec::new(10_000);
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let value = args.next().unwrap_or_else(|| usage(&format!("{arg} needs a value")));
        match arg.as_str() {
            "--roles" => spec.roles = value.parse().unwrap_or_else(|_| usage("--roles takes a number")),
            "--changed" => spec.changed = fraction(&value),
            "--seed" => spec.seed = value.parse().unwrap_or_else(|_| usage("--seed takes a number")),
            other => usage(&format!("unknown option {other}")),
        }
    }
    let text = generate::policy(spec);
    let mut out = std::io::stdout().lock();
    if out.write_all(text.as_bytes()).is_err() {
        std::process::exit(1);
    }
}

/// `1%` or `0.01`.
fn fraction(value: &str) -> f64 {
    let parsed = match value.strip_suffix('%') {
        Some(percent) => percent.parse::<f64>().map(|p| p / 100.0),
        None => value.parse::<f64>(),
    };
    match parsed {
        Ok(f) if (0.0..=1.0).contains(&f) => f,
        _ => usage("--changed takes a fraction such as 1% or 0.01"),
    }
}

fn usage(problem: &str) -> ! {
    eprintln!("generate_policy: {problem}\nusage: generate_policy [--roles N] [--changed 1%] [--seed N]");
    std::process::exit(2);
}
