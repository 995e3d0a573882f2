//! Helpers the CLI test files share: reading CSV and Markdown back, and running the binary on
//! a pseudo-terminal.
#![allow(dead_code)] // each test file uses some of them

use std::process::Command;

/// The fields of one RFC 4180 record (no field spans lines: the writer escapes line breaks).
pub fn csv_fields(line: &str) -> Vec<String> {
    let (mut fields, mut field, mut quoted, mut chars) =
        (Vec::new(), String::new(), false, line.chars().peekable());
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    assert!(!quoted, "a quoted field spans lines: {line}");
    fields.push(field);
    fields
}

/// Unescaped `|` in a Markdown table line (an escaped one is `\|`).
pub fn unescaped_pipes(line: &str) -> usize {
    let (mut count, mut escaped) = (0, false);
    for c in line.chars() {
        match c {
            '\\' if !escaped => escaped = true,
            '|' if !escaped => count += 1,
            _ => escaped = false,
        }
    }
    count
}

/// What `pim-notify ARGS` (a shell command line) shows on a pseudo-terminal made by
/// util-linux `script`, `columns` wide when given, with `env` set, whatever its exit status
/// (`lint` exits 1 on findings); `None` without `script` on a developer's machine. In CI
/// (`CI` set), a missing `script` fails the test.
pub fn on_terminal(args: &str, columns: Option<usize>, env: &[(&str, &str)]) -> Option<String> {
    let size = columns.map(|c| format!("stty cols {c} rows 50; ")).unwrap_or_default();
    let program = format!("{size}{} {args}", env!("CARGO_BIN_EXE_pim-notify"));
    let mut command = Command::new("script");
    command.args(["-qec", &program, "/dev/null"]).current_dir(env!("CARGO_MANIFEST_DIR"));
    command.env_remove("NO_COLOR").env_remove("CLICOLOR_FORCE").env_remove("COLUMNS").env("TERM", "xterm");
    command.envs(env.iter().copied());
    match command.output() {
        Ok(o) => Some(String::from_utf8_lossy(&o.stdout).replace("\r\n", "\n")),
        Err(_) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "util-linux `script` is missing, and CI must run the terminal checks"
            );
            eprintln!("SKIP terminal check: util-linux `script` is not available");
            None
        }
    }
}

/// The cells of a Markdown table row, still escaped.
pub fn split_markdown_row(line: &str) -> Vec<String> {
    let (mut cells, mut cell, mut escaped) = (Vec::new(), String::new(), false);
    for c in line.trim().trim_start_matches('|').trim_end_matches('|').chars() {
        match c {
            '|' if !escaped => cells.push(std::mem::take(&mut cell).trim().to_string()),
            c => {
                escaped = c == '\\' && !escaped;
                cell.push(c);
            }
        }
    }
    cells.push(cell.trim().to_string());
    cells
}
