//! The default format: rustc-style messages with the offending source line and a caret under
//! the value, then a one-line summary. Color only on a terminal, never with `NO_COLOR`.

use std::io::{IsTerminal, Write};

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Renderer, Snippet};
use anyhow::Result;
use pim_notify::lint::{LineIndex, LintConfig};
use pim_notify::text::escape_control;
use pim_notify::{Diagnostic, Severity};

use super::{range, Counts, Linted, Reporter};

pub struct Human {
    color: bool,
}

impl Human {
    pub fn for_stdout() -> Self {
        let color =
            std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Human { color }
    }

    fn renderer(&self) -> Renderer {
        if self.color {
            Renderer::styled()
        } else {
            Renderer::plain()
        }
    }
}

impl Reporter for Human {
    fn report(&self, out: &mut dyn Write, files: &[Linted], config: &LintConfig) -> Result<()> {
        let renderer = self.renderer();
        for file in files {
            let lines = LineIndex::new(&file.text);
            for d in &file.outcome.diagnostics {
                writeln!(out, "{}\n", renderer.render(&report(&lines, &file.name, d)))?;
            }
        }
        if !files.is_empty() {
            writeln!(out, "{}", summary(files, config))?;
        }
        Ok(())
    }
}

fn report<'a>(lines: &LineIndex<'a>, file: &'a str, d: &'a Diagnostic) -> Vec<Group<'a>> {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
        Severity::Info => Level::INFO,
    };
    let title = level.primary_title(escape_control(&d.message)).id(d.code);
    let mut group = match snippet(lines, file, d) {
        Some(snippet) => title.element(snippet),
        None => title.element(annotate_snippets::Origin::path(escape_control(file))),
    };
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(escape_control(help)));
    }
    vec![group]
}

/// The source line with the value underlined; `None` for findings about the whole file.
/// Control characters in the line are shown escaped, and the underline follows them.
fn snippet<'a>(lines: &LineIndex<'a>, file: &str, d: &Diagnostic) -> Option<Snippet<'a, Annotation<'a>>> {
    let pos = d.pos.filter(|p| p.line > 0)?;
    let chars: Vec<char> = lines.line(pos.line)?.chars().collect();
    let r = range(lines, d);
    let start = (pos.column as usize).saturating_sub(1).min(chars.len());
    let end = if r.end_line == r.line { (r.end_column as usize).saturating_sub(1) } else { chars.len() };
    let end = end.clamp(start, chars.len());
    let part = |from: usize, to: usize| escape_control(&chars[from..to].iter().collect::<String>());
    let (before, value, after) = (part(0, start), part(start, end), part(end, chars.len()));
    let span = before.len()..before.len() + value.len();
    Some(
        Snippet::source(format!("{before}{value}{after}"))
            .line_start(pos.line as usize)
            .path(escape_control(file))
            .annotation(AnnotationKind::Primary.span(span)),
    )
}

fn summary(files: &[Linted], config: &LintConfig) -> String {
    let c = Counts::of(files);
    let files_text = if files.len() == 1 { "1 file".to_string() } else { format!("{} files", files.len()) };
    let mut parts = Vec::new();
    for (n, one, many) in
        [(c.errors, "error", "errors"), (c.warnings, "warning", "warnings"), (c.infos, "note", "notes")]
    {
        if n > 0 {
            parts.push(format!("{n} {}", if n == 1 { one } else { many }));
        }
    }
    let allowed =
        if c.allowed > 0 { format!(" ({} allowed by lint allows)", c.allowed) } else { String::new() };
    if parts.is_empty() {
        return format!("{files_text} checked: no findings{allowed}.");
    }
    let failing = files.iter().flat_map(|f| &f.outcome.diagnostics).filter(|d| config.fails(d)).count();
    format!(
        "{files_text} checked: {}{allowed}; {failing} at or above the fail level ({}).",
        parts.join(", "),
        config.fail_level
    )
}
