//! `matrix` in the formats other than JSON assembles each answer from memoised audience
//! answers (src/cmd/answers.rs). These tests hold its CSV, which carries every field of every
//! answer, to `matrix --format json` (itself held to plain evaluation in tests/matrix_json.rs)
//! on a generated policy with every kind of override.

#[path = "../benches/support/generate.rs"]
mod generate;

mod support;

use std::process::Command;

use serde_json::Value;

fn pim(args: &[&str]) -> String {
    let o = Command::new(env!("CARGO_BIN_EXE_pim-notify")).args(args).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8(o.stdout).unwrap()
}

/// The CSV records the JSON rows stand for, unescaped.
fn records_of(json: &Value) -> Vec<Vec<String>> {
    let text = |v: &Value| v.as_str().unwrap_or("").to_string();
    let mut records = Vec::new();
    for row in json["rows"].as_array().unwrap() {
        let head = [text(&row["role"]["name"]), text(&row["role"]["id"]), text(&row["event"]["id"])];
        for n in row["recipients"].as_array().unwrap() {
            for r in n["reasons"].as_array().unwrap() {
                let via: Vec<String> = r["via"].as_array().unwrap().iter().map(text).collect();
                let fields = [
                    "notified".into(),
                    text(&n["address"]),
                    text(&n["kind"]),
                    text(&r["audience"]),
                    text(&r["setting"]),
                    text(&r["source"]),
                    via.join(">"),
                    text(&r["at"]),
                    text(&r["basis"]),
                ];
                records.push(head.iter().cloned().chain(fields).collect());
            }
        }
        for s in row["suppressed"].as_array().unwrap() {
            let fields = [
                "suppressed".into(),
                String::new(),
                String::new(),
                text(&s["audience"]),
                text(&s["setting"]),
                text(&s["reason"]),
                String::new(),
                text(&s["at"]),
                text(&s["basis"]),
            ];
            records.push(head.iter().cloned().chain(fields).collect());
        }
    }
    records
}

/// Undoes the CSV writer's formula guard (every generated value is otherwise plain).
fn unguarded(field: String) -> String {
    field.strip_prefix('\'').map(str::to_string).unwrap_or(field)
}

#[test]
fn csv_says_what_json_says_on_a_generated_policy() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("matrix-formats-200.yaml");
    std::fs::write(&path, generate::policy(generate::Spec::new(200))).unwrap();
    let policy = path.to_str().unwrap();
    for extra in [&[][..], &["--assignee", "alex@contoso.com"], &["--no-expand"]] {
        let mut args = vec!["matrix", "-p", policy];
        args.extend_from_slice(extra);
        let json: Value = serde_json::from_str(&pim(&[args.as_slice(), &["-f", "json"]].concat())).unwrap();
        let csv = pim(&[args.as_slice(), &["-f", "csv"]].concat());
        let got: Vec<Vec<String>> = csv
            .lines()
            .skip(1)
            .map(|l| support::csv_fields(l).into_iter().map(unguarded).collect())
            .collect();
        let want = records_of(&json);
        assert_eq!(got.len(), want.len(), "{extra:?}: as many records");
        for (i, (got, want)) in got.iter().zip(&want).enumerate() {
            assert_eq!(got, want, "{extra:?}: record {i}");
        }
    }
}

#[test]
fn markdown_and_table_have_a_row_per_answer() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("matrix-formats-100.yaml");
    std::fs::write(&path, generate::policy(generate::Spec::new(100))).unwrap();
    let policy = path.to_str().unwrap();
    let json: Value = serde_json::from_str(&pim(&["matrix", "-p", policy, "-f", "json"])).unwrap();
    let rows = json["rows"].as_array().unwrap();
    let markdown = pim(&["matrix", "-p", policy, "-f", "markdown"]);
    let lines: Vec<&str> = markdown.lines().skip(2).collect();
    assert_eq!(lines.len(), rows.len());
    for (line, row) in lines.iter().zip(rows) {
        let recipients: Vec<&str> =
            row["recipients"].as_array().unwrap().iter().map(|n| n["address"].as_str().unwrap()).collect();
        let cell = support::split_markdown_row(line)[2].clone();
        assert_eq!(
            cell,
            recipients.join(", ").replace('<', "&lt;").replace('>', "&gt;").replace('_', "\\_"),
            "{line}"
        );
    }
    let table = pim(&["matrix", "-p", policy]);
    assert!(
        table.ends_with(&format!("{} answers\n", rows.len())),
        "{}",
        &table[table.len().saturating_sub(200)..]
    );
}

/// A large page is written in bodies of whole roles (on two cores): rows stay numbered in
/// order, and every cell names an answer its own body carries.
#[test]
fn html_bodies_carry_the_answers_their_cells_name() {
    let path = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("matrix-formats-html.yaml");
    std::fs::write(&path, generate::policy(generate::Spec::new(300))).unwrap();
    let html = pim(&["matrix", "-p", path.to_str().unwrap(), "-f", "html"]);
    let bodies: Vec<&str> =
        html.split("<tbody>").skip(1).map(|b| b.split("</tbody>").next().unwrap()).collect();
    assert!(bodies.len() > 1, "a 300-role page has several bodies");
    let mut next_row = 0;
    for body in bodies {
        let rows: Vec<&str> = body.split("<tr ").skip(1).collect();
        let mut answers = 0;
        for row in &rows {
            let r: usize = row.split("data-r=\"").nth(1).unwrap().split('"').next().unwrap().parse().unwrap();
            assert_eq!(r, next_row, "rows in order");
            next_row += 1;
            let carried = row.split("data-answers=\"").nth(1).unwrap().split('"').next().unwrap();
            let carried = carried
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&#39;", "'")
                .replace("&amp;", "&");
            answers += serde_json::from_str::<Vec<Value>>(&carried).unwrap().len();
            for a in row.split("data-a=\"").skip(1) {
                let a: usize = a.split('"').next().unwrap().parse().unwrap();
                assert!(a < answers, "cell names answer {a} of {answers} its body has so far");
            }
        }
    }
    assert_eq!(next_row, html.matches("<tr data-r=").count(), "every row is in a body");
}
