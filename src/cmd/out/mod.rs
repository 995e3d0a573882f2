//! The output layer. A command turns its result into one document (data, never text) and
//! hands it to the writer of the format the user chose. Each format's writer is one file
//! below this folder and is the only place that knows how to make a string safe in that
//! format: callers pass raw, untrusted text.
//!
//! - [`Format`] names every format of every command; a document lists the ones it offers
//!   ([`Document::offers`]), and that list is what `--format` accepts for the command.
//! - [`Out`] is standard output with the colour and width decided once ([`color`], [`width`]).
//! - [`Block`]s and [`Sheet`]s are what tabular documents are made of: `table`, `markdown`
//!   and `csv` write them, each in its own way.
//! - [`stderr`] is the one place messages for people are written.

pub mod color;
pub mod csv;
pub mod file;
pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;
pub mod stderr;
pub mod table;

use std::io::Write;

use anyhow::{anyhow, Result};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};

/// Every output format. Which ones a command accepts is its document's [`Document::offers`].
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Format {
    /// Text for people: tables fitted to the terminal, or rustc-style diagnostics.
    Table,
    Json,
    Csv,
    Markdown,
    Html,
    Sarif,
    Github,
    Junit,
}

impl Format {
    pub const ALL: [Format; 8] = [
        Format::Table,
        Format::Json,
        Format::Csv,
        Format::Markdown,
        Format::Html,
        Format::Sarif,
        Format::Github,
        Format::Junit,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Format::Table => "table",
            Format::Json => "json",
            Format::Csv => "csv",
            Format::Markdown => "markdown",
            Format::Html => "html",
            Format::Sarif => "sarif",
            Format::Github => "github",
            Format::Junit => "junit",
        }
    }

    /// Older names kept working: `lint --format human`, `test --format text`.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Format::Table => &["human", "text"],
            _ => &[],
        }
    }

    fn help(self) -> &'static str {
        match self {
            Format::Table => "for people: fitted to the terminal, colored on a terminal (alias: human, text)",
            Format::Json => "the stable machine-readable contract",
            Format::Csv => "one record per line, for spreadsheets",
            Format::Markdown => "for a pull-request comment or a wiki page",
            Format::Html => "one self-contained page",
            Format::Sarif => "SARIF 2.1.0, for GitHub code scanning",
            Format::Github => "GitHub Actions workflow commands (annotations)",
            Format::Junit => "JUnit XML, for CI test reports",
        }
    }

    fn parse(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name || f.aliases().contains(&name))
    }
}

/// Standard output with what every writer needs to know about it, decided once.
pub struct Out<'w> {
    pub w: &'w mut dyn Write,
    /// ANSI styles allowed ([`color`]).
    pub color: bool,
    /// Columns to fit tables into; `None` (a pipe) means no wrapping.
    pub width: Option<usize>,
}

impl<'w> Out<'w> {
    /// Standard output as the process found it.
    pub fn stdout(w: &'w mut dyn Write) -> Self {
        Out { w, color: color::color_enabled(color::Stream::Stdout), width: width() }
    }
}

/// The width tables fit: `COLUMNS` when set (so a user, or a test, can ask for one), else the
/// terminal's when standard output is one, else none: a pipe gets lines as long as they are.
pub fn width() -> Option<usize> {
    let columns = std::env::var("COLUMNS").ok().and_then(|c| c.trim().parse::<usize>().ok());
    columns.filter(|&c| c > 0).or_else(|| {
        use std::io::IsTerminal;
        let stdout = std::io::stdout();
        if !stdout.is_terminal() {
            return None;
        }
        terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0)).filter(|&w| w > 0)
    })
}

/// How one format writes one document.
pub struct Offer<D> {
    pub format: Format,
    pub write: fn(&D, &mut Out) -> Result<()>,
}

impl<D> Offer<D> {
    pub fn new(format: Format, write: fn(&D, &mut Out) -> Result<()>) -> Self {
        Offer { format, write }
    }
}

/// A command's result, ready to be written in each format it offers.
pub trait Document: Sized {
    /// The formats this document is written in, the default first, each with its writer:
    /// the one list `--format` offers for the command.
    fn offers() -> Vec<Offer<Self>>;

    fn write(&self, format: Format, out: &mut Out) -> Result<()> {
        let offers = Self::offers();
        let offer = offers.iter().find(|o| o.format == format).ok_or_else(|| {
            // `--format` is parsed from the same list, so only a caller's mistake gets here.
            anyhow!("--format {} is not available here", format.name())
        })?;
        (offer.write)(self, out)
    }
}

/// The `--format` parser of a command whose result is a `D`: exactly the formats it offers.
pub fn formats<D: Document>() -> impl TypedValueParser<Value = Format> {
    let values = D::offers().into_iter().map(|o| {
        PossibleValue::new(o.format.name()).aliases(o.format.aliases().iter().copied()).help(o.format.help())
    });
    PossibleValuesParser::new(values.collect::<Vec<_>>())
        .map(|name| Format::parse(&name).expect("clap accepted one of our names"))
}

/// What a column holds, which decides where a table may break its lines: identifiers (event
/// ids, settings, addresses) are kept whole while any other column can give, prose wraps
/// between words and, when it must, after punctuation.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One identifier per line.
    Id,
    /// Identifiers separated by spaces (`a@x.com, b@x.com`): breaks between them only.
    Ids,
    Text,
}

#[derive(Clone, Debug)]
pub struct Column {
    pub name: String,
    pub kind: Kind,
}

impl Column {
    pub fn id(name: impl Into<String>) -> Self {
        Column { name: name.into(), kind: Kind::Id }
    }

    pub fn ids(name: impl Into<String>) -> Self {
        Column { name: name.into(), kind: Kind::Ids }
    }

    pub fn text(name: impl Into<String>) -> Self {
        Column { name: name.into(), kind: Kind::Text }
    }
}

/// How a cell asks to be shown where colour is allowed.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum Tone {
    #[default]
    Plain,
    /// Someone is not notified.
    Warning,
}

/// One cell: its lines (a line break between them is the document's, not the data's) and tone.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cell {
    pub lines: Vec<String>,
    pub tone: Tone,
}

impl Cell {
    pub fn new(text: impl Into<String>) -> Self {
        Cell { lines: vec![text.into()], tone: Tone::Plain }
    }

    pub fn lines(lines: Vec<String>) -> Self {
        Cell { lines, tone: Tone::Plain }
    }

    pub fn warning(self) -> Self {
        Cell { tone: Tone::Warning, ..self }
    }

    /// The lines joined by `sep`, for formats whose cells are one line.
    pub fn joined(&self, sep: &str) -> String {
        self.lines.join(sep)
    }
}

/// The rows of a sheet, which a writer may walk more than once (to measure, then to write):
/// large sheets produce them again rather than hold them.
pub trait Rows {
    fn each(&self, row: &mut dyn FnMut(&[&Cell]) -> Result<()>) -> Result<()>;

    /// The rows as two halves, in order, for measuring on two cores; `None` when not worth it.
    #[allow(clippy::type_complexity)]
    fn halves(&self) -> Option<(Box<dyn Rows + Sync + '_>, Box<dyn Rows + Sync + '_>)> {
        None
    }

    /// The rows in chunks, in order, for writing on two cores ([`in_order`]); `None` when
    /// not worth it.
    fn chunks(&self) -> Option<Vec<Box<dyn Rows + Sync + '_>>> {
        None
    }
}

/// Writes each chunk with `write`, in order. With a second core, every other chunk is written
/// into a buffer on a second thread, at most one chunk ahead, so memory stays flat.
pub fn in_order<C: Sync>(
    out: &mut Out,
    chunks: &[C],
    write: &(dyn Fn(&C, &mut Out) -> Result<()> + Sync),
) -> Result<()> {
    if chunks.len() < 2 || !pim_notify::threads::two_cores() {
        return chunks.iter().try_for_each(|chunk| write(chunk, out));
    }
    let (color, width) = (out.color, out.width);
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::sync_channel::<Result<Vec<u8>>>(1);
        scope.spawn(move || {
            for chunk in chunks.iter().skip(1).step_by(2) {
                let mut bytes = Vec::new();
                let written = write(chunk, &mut Out { w: &mut bytes, color, width }).map(|()| bytes);
                if send.send(written).is_err() {
                    return; // the writer stopped on an error
                }
            }
        });
        for (i, chunk) in chunks.iter().enumerate() {
            if i % 2 == 0 {
                write(chunk, out)?;
            } else {
                let bytes = receive.recv().map_err(|e| anyhow!("a writer thread stopped: {e}"))??;
                out.w.write_all(&bytes)?;
            }
        }
        Ok(())
    })
}

impl Rows for Vec<Vec<Cell>> {
    fn each(&self, row: &mut dyn FnMut(&[&Cell]) -> Result<()>) -> Result<()> {
        self.iter().try_for_each(|cells| row(&cells.iter().collect::<Vec<_>>()))
    }
}

/// A table of untrusted text.
pub struct Sheet<'a> {
    pub columns: Vec<Column>,
    pub rows: &'a dyn Rows,
}

/// What tabular documents are made of.
pub enum Block<'a> {
    /// A title line.
    Heading(String),
    Sheet(Sheet<'a>),
    /// A line of prose.
    Line(String),
}

/// How serious a finding is, in the words every CI format has.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Level {
    Error,
    Warning,
    Note,
}

impl From<pim_notify::Severity> for Level {
    fn from(severity: pim_notify::Severity) -> Self {
        match severity {
            pim_notify::Severity::Error => Level::Error,
            pim_notify::Severity::Warning => Level::Warning,
            pim_notify::Severity::Info => Level::Note,
        }
    }
}

/// Where a finding is, 1-based; the end (exclusive) when it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Range {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// One message about a place in a file, as lint's table, SARIF, GitHub annotations and JUnit
/// write it. All text is untrusted.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Finding {
    /// The file as shown; `None` when the message is about no file (an annotation of a diff
    /// read from standard input).
    pub file: Option<String>,
    pub range: Option<Range>,
    /// Whether `range` points at a value (else it stands for the whole file).
    pub located: bool,
    pub level: Level,
    /// `PN203`, or empty.
    pub code: String,
    /// A short title: the rule's name, or what kind of change.
    pub title: String,
    pub message: String,
    pub help: Option<String>,
}

impl Finding {
    /// The message with its help on a second line, for formats with one text field.
    pub fn text(&self) -> String {
        match &self.help {
            Some(help) => format!("{}\nhelp: {help}", self.message),
            None => self.message.clone(),
        }
    }
}

/// The one way the writers escape: each character `table` names is written as it says; any
/// other control, bidi or line-breaking character is shown as a visible `\u{..}` escape.
/// Each format's file holds its table.
pub fn escape_with(text: &str, table: impl Fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    // Runs of characters that stay as they are are copied whole.
    let mut kept = 0;
    for (i, c) in text.char_indices() {
        let replacement = table(c);
        if replacement.is_none() && !pim_notify::text::needs_escape(c) {
            continue;
        }
        out.push_str(&text[kept..i]);
        kept = i + c.len_utf8();
        match replacement {
            Some(replacement) => out.push_str(replacement),
            None => out.extend(c.escape_default()),
        }
    }
    out.push_str(&text[kept..]);
    out
}

/// `1 file`, `2 files`: counts in messages and summaries.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_format_has_its_name_and_parses_back() {
        for format in Format::ALL {
            assert_eq!(Format::parse(format.name()), Some(format));
        }
        assert_eq!(Format::parse("human"), Some(Format::Table));
        assert_eq!(Format::parse("yaml"), None);
    }
}
