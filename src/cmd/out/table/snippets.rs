//! Findings for people: rustc-style messages with the offending source line and a caret under
//! the value (annotate-snippets), coloured when [`Out::color`] says so.

use annotate_snippets::{Annotation, AnnotationKind, Group, Level, Renderer, Snippet};
use anyhow::Result;

use super::escape;
use crate::cmd::out::{Finding, Out};

/// Writes each finding of one file, whose text is `source`, followed by a blank line.
pub fn diagnostics(out: &mut Out, source: &str, findings: &[Finding]) -> Result<()> {
    let renderer = if out.color { Renderer::styled() } else { Renderer::plain() };
    let lines: Vec<&str> = source.split('\n').collect();
    for f in findings {
        writeln!(out.w, "{}\n", renderer.render(&report(&lines, f)))?;
    }
    Ok(())
}

fn report<'a>(lines: &[&'a str], f: &'a Finding) -> Vec<Group<'a>> {
    let level = match f.level {
        crate::cmd::out::Level::Error => Level::ERROR,
        crate::cmd::out::Level::Warning => Level::WARNING,
        crate::cmd::out::Level::Note => Level::INFO,
    };
    let title = level.primary_title(escape(&f.message).into_owned()).id(f.code.as_str());
    let mut group = match snippet(lines, f) {
        Some(snippet) => title.element(snippet),
        None => {
            title.element(annotate_snippets::Origin::path(escape(f.file.as_deref().unwrap_or("<stdin>"))))
        }
    };
    if let Some(help) = &f.help {
        group = group.element(Level::HELP.message(escape(help).into_owned()));
    }
    vec![group]
}

/// The source line with the value underlined; `None` for findings about the whole file.
/// Control characters in the line are shown as one-column pictures (`␉`), so the reported
/// column and the caret still match the file.
fn snippet<'a>(lines: &[&str], f: &Finding) -> Option<Snippet<'a, Annotation<'a>>> {
    let r = f.range.filter(|_| f.located)?;
    let text = lines.get((r.line as usize).checked_sub(1)?)?.trim_end_matches('\r');
    let chars: Vec<char> = text.chars().collect();
    let start = (r.column as usize).saturating_sub(1).min(chars.len());
    let end = if r.end_line == r.line { (r.end_column as usize).saturating_sub(1) } else { chars.len() };
    let end = end.clamp(start, chars.len());
    let part = |from: usize, to: usize| control_pictures(&chars[from..to].iter().collect::<String>());
    let (before, value, after) = (part(0, start), part(start, end), part(end, chars.len()));
    let span = before.len()..before.len() + value.len();
    Some(
        Snippet::source(format!("{before}{value}{after}"))
            .line_start(r.line as usize)
            .path(escape(f.file.as_deref().unwrap_or("<stdin>")).into_owned())
            .annotation(AnnotationKind::Primary.span(span)),
    )
}

/// Replaces each control or invisible character with one visible character (the Unicode
/// "control pictures", e.g. `␉` for a tab, or `�`), so a source line keeps its columns while
/// it cannot drive the terminal.
pub fn control_pictures(text: &str) -> String {
    text.chars()
        .map(|c| match c as u32 {
            _ if !pim_notify::text::needs_escape(c) => c,
            code @ 0..=0x1f => char::from_u32(0x2400 + code).unwrap_or('\u{fffd}'),
            0x7f => '\u{2421}',
            _ => '\u{fffd}',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_pictures_keep_one_column_per_character() {
        assert_eq!(control_pictures("\tadmins\u{1b}[2J\u{7f}"), "\u{2409}admins\u{241b}[2J\u{2421}");
        assert_eq!(control_pictures("plain"), "plain");
    }
}
