//! Tables fit the terminal: `events`, `roles`, `matrix`, `who` and `lint` run on a real
//! pseudo-terminal (util-linux `script`) of 80 and 120 columns, as a person would see them.
//! No line is wider than the terminal, and no identifier (event id, setting, address, role
//! name, lint code) is broken across lines.

use std::process::Command;

mod support;

const BIN: &str = env!("CARGO_BIN_EXE_pim-notify");
const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const POLICY: &str = "policies/contoso.yaml";

fn on_terminal(columns: usize, args: &str) -> Option<String> {
    support::on_terminal(args, Some(columns), &[("NO_COLOR", "1")])
}

fn pim(args: &[&str]) -> String {
    let o = Command::new(BIN).args(args).current_dir(ROOT).output().unwrap();
    assert!(o.status.success() || o.status.code() == Some(1), "{args:?}");
    String::from_utf8(o.stdout).unwrap()
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&pim(args)).unwrap()
}

/// Display width: the tables' box characters and `·` take one column each.
fn columns(line: &str) -> usize {
    line.chars().count()
}

/// Every line fits, and every id appears whole on one line.
fn assert_fits(what: &str, width: usize, text: &str, ids: &[String]) {
    for line in text.lines() {
        assert!(
            columns(line) <= width,
            "{what} at {width}: a line of {} columns:\n{line}\n\n{text}",
            columns(line)
        );
    }
    for id in ids {
        assert!(
            text.lines().any(|l| l.contains(id.as_str())),
            "{what} at {width}: `{id}` is broken or missing:\n{text}"
        );
    }
}

fn event_ids() -> Vec<String> {
    let events = json(&["events", "-f", "json"]);
    events.as_array().unwrap().iter().map(|e| e["id"].as_str().unwrap().to_string()).collect()
}

#[test]
fn events_fit_80_and_120_columns() {
    for width in [80, 120] {
        let Some(text) = on_terminal(width, "events") else { return };
        assert_fits("events", width, &text, &event_ids());
    }
}

#[test]
fn roles_fit_80_and_120_columns() {
    let roles = json(&["roles", "-p", POLICY, "--listed", "-f", "json"]);
    let mut ids: Vec<String> = Vec::new();
    for role in roles["roles"].as_array().unwrap() {
        ids.extend(role["name"].as_str().unwrap().split(' ').map(String::from));
        ids.extend(role["settings"].as_object().unwrap().keys().cloned());
    }
    for width in [80, 120] {
        let Some(text) = on_terminal(width, &format!("roles -p {POLICY} --listed")) else { return };
        assert_fits("roles", width, &text, &ids);
    }
}

/// Addresses and event ids of every row of a matrix (or one `who` answer), and the settings
/// of each reason when the table shows them.
fn answer_ids(rows: &[serde_json::Value], settings: bool) -> Vec<String> {
    let mut ids = Vec::new();
    for row in rows {
        ids.push(row["event"]["id"].as_str().unwrap().to_string());
        for n in row["recipients"].as_array().unwrap() {
            ids.push(n["address"].as_str().unwrap().to_string());
            for r in n["reasons"].as_array().unwrap().iter().filter(|_| settings) {
                ids.push(r["setting"].as_str().unwrap().to_string());
            }
        }
    }
    ids
}

#[test]
fn matrix_fits_80_and_120_columns() {
    let filter = ["--role", "*Administrator", "--event", "activation.*"];
    let mut args = vec!["matrix", "-p", POLICY, "-f", "json"];
    args.extend(filter);
    let matrix = json(&args);
    let ids = answer_ids(matrix["rows"].as_array().unwrap(), false);
    for width in [80, 120] {
        let command = format!("matrix -p {POLICY} --role '*Administrator' --event 'activation.*'");
        let Some(text) = on_terminal(width, &command) else { return };
        assert_fits("matrix", width, &text, &ids);
    }
}

#[test]
fn who_fits_80_and_120_columns() {
    for (role, event) in
        [("Global Administrator", "activation.completed"), ("Exchange Administrator", "activation.approved")]
    {
        let answer = json(&["who", "-p", POLICY, "--role", role, "--event", event, "-f", "json"]);
        let ids = answer_ids(std::slice::from_ref(&answer), true);
        for width in [80, 120] {
            let Some(text) = on_terminal(width, &format!("who -p {POLICY} --role '{role}' --event {event}"))
            else {
                return;
            };
            assert_fits("who", width, &text, &ids);
        }
    }
}

/// Lint prints rustc-style messages, which (as rustc's) are not wrapped: what must hold is
/// that codes and positions are whole and the summary fits.
#[test]
fn lint_keeps_codes_and_positions_whole_at_80_and_120_columns() {
    let lint = json(&["lint", POLICY, "-f", "json"]);
    let mut ids = Vec::new();
    for d in lint["diagnostics"].as_array().unwrap() {
        ids.push(format!("[{}]", d["code"].as_str().unwrap()));
        ids.push(format!("{}:{}:{}", d["file"].as_str().unwrap(), d["line"], d["column"]));
    }
    for width in [80, 120] {
        let Some(text) = on_terminal(width, &format!("lint {POLICY}")) else { return };
        for id in &ids {
            assert!(text.contains(id.as_str()), "lint at {width}: `{id}` is missing:\n{text}");
        }
        let summary = text.lines().rev().find(|l| !l.trim().is_empty()).unwrap();
        assert!(columns(summary) <= width, "{summary}");
    }
}

#[test]
fn a_pipe_is_never_wrapped() {
    let text =
        pim(&["matrix", "-p", POLICY, "--role", "Global Administrator", "--event", "activation.approved"]);
    let widest = text.lines().map(columns).max().unwrap();
    assert!(widest > 120, "the row is as long as it is:\n{text}");
}
