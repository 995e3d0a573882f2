//! The `*.tests.yaml` file exactly as written (DESIGN §4), with every value's position.

use std::fmt;

use serde::de::{Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

use super::Problem;
use crate::raw::Text;
use crate::span::Pos;

/// A tests file: the policy it tests and its cases.
#[derive(Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawTestFile {
    /// Path of the policy, relative to the tests file.
    pub policy: Option<Text>,
    pub tests: Option<Vec<Spanned<RawCase>>>,
}

/// One case: a role (or roles), an event (or events), and what the recipients must be.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCase {
    pub name: Option<Text>,
    pub role: Spanned<OneOrMany>,
    pub event: Spanned<OneOrMany>,
    /// Who `<assignee>` stands for in this case.
    pub assignee: Option<Text>,
    pub includes: Option<Spanned<OneOrMany>>,
    pub excludes: Option<Spanned<OneOrMany>>,
    pub exactly: Option<Spanned<OneOrMany>>,
}

/// A string or a list of strings: `role: X` and `role: [X, Y]` both read naturally.
#[derive(Debug)]
pub enum OneOrMany {
    One(String),
    Many(Vec<Text>),
}

impl OneOrMany {
    /// The values with their positions; a single value takes the position of the whole field.
    pub fn items(spanned: &Spanned<OneOrMany>) -> Vec<(String, Pos)> {
        match &spanned.value {
            OneOrMany::One(text) => vec![(text.clone(), Pos::of_spanned(spanned))],
            OneOrMany::Many(list) => list.iter().map(|t| (t.value.clone(), Pos::of_spanned(t))).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

struct OneOrManyVisitor;

impl<'de> Visitor<'de> for OneOrManyVisitor {
    type Value = OneOrMany;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string or a list of strings")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(value.to_string()))
    }

    // YAML 1.1 reads some bare words as booleans or numbers (`y`, `on`, `1`); keep them as text
    // so the message is about an unknown role or event, not about a type.
    fn visit_bool<E: serde::de::Error>(self, value: bool) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(value.to_string()))
    }

    fn visit_i64<E: serde::de::Error>(self, value: i64) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(value.to_string()))
    }

    fn visit_u64<E: serde::de::Error>(self, value: u64) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(value.to_string()))
    }

    fn visit_f64<E: serde::de::Error>(self, value: f64) -> Result<OneOrMany, E> {
        Ok(OneOrMany::One(value.to_string()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<OneOrMany, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element::<Text>()? {
            items.push(item);
        }
        Ok(OneOrMany::Many(items))
    }
}

/// Parses a tests file; `Err` is a file that is not YAML of this shape (unknown key, wrong
/// type, duplicate key), with a did-you-mean for mistyped keys.
pub fn parse(text: &str) -> Result<RawTestFile, Problem> {
    let options = crate::load::parse_options(text.len());
    let raw: Option<RawTestFile> = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let d = crate::load::parse_error(&e);
        let help = unknown_key_help(&d.message)
            .or(d.help.filter(|h| h.contains("duplicate") || h.contains("each key")))
            .unwrap_or_else(|| FORMAT_HELP.into());
        Problem { message: d.message, pos: d.pos, help: Some(help) }
    })?;
    Ok(raw.unwrap_or_default())
}

/// "unknown field `exclude`, expected one of name, role, …" → a did-you-mean.
fn unknown_key_help(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    let (unknown, expected) = rest.split_once('`')?;
    let expected = expected.split_once("expected one of ").map_or("", |(_, list)| list);
    let keys: Vec<&str> =
        expected.split(", ").map(|k| k.trim_matches('`')).filter(|k| !k.is_empty()).collect();
    let hint = crate::suggest::did_you_mean(unknown, keys.iter().copied());
    Some(format!("remove or rename the key{hint}; known keys here: {}", keys.join(", ")))
}

/// How a tests file looks, for messages about a malformed one.
pub const FORMAT_HELP: &str = "a tests file has `policy: FILE` and `tests:`, a list of cases with \
`role`, `event` and at least one of `includes`, `excludes`, `exactly`; see `pim-notify test --help`";
