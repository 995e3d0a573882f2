//! Where a value sits in a JSON text. `serde_json` keeps no positions, so a small scanner walks
//! the (already parsed, hence valid) text again when a message needs `line:column`, and once to
//! find duplicate keys, which `serde_json` resolves silently (the last one wins).

use std::borrow::Cow;
use std::fmt;

/// One step into a JSON document: an object member or an array item.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Key(String),
    Index(usize),
}

/// The way from the root to a value, shown as `value[0].policy.rules[3]`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct JsonPath(pub Vec<Step>);

impl JsonPath {
    pub fn root() -> JsonPath {
        JsonPath::default()
    }

    pub fn key(&self, key: &str) -> JsonPath {
        self.with(Step::Key(key.to_string()))
    }

    pub fn index(&self, index: usize) -> JsonPath {
        self.with(Step::Index(index))
    }

    fn with(&self, step: Step) -> JsonPath {
        let mut steps = self.0.clone();
        steps.push(step);
        JsonPath(steps)
    }

    pub fn is_root(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Display for JsonPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("the top level");
        }
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Index(n) => write!(f, "[{n}]")?,
                Step::Key(k) if is_identifier(k) && i == 0 => f.write_str(k)?,
                Step::Key(k) if is_identifier(k) => write!(f, ".{k}")?,
                Step::Key(k) => write!(f, "[{}]", serde_json::to_string(k).map_err(|_| fmt::Error)?)?,
            }
        }
        Ok(())
    }
}

fn is_identifier(key: &str) -> bool {
    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// A 1-based line and column (in characters) of a JSON text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineColumn {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for LineColumn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// Line and column of a byte offset.
pub fn line_column(text: &str, offset: usize) -> LineColumn {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    LineColumn { line, column: before[line_start..].chars().count() + 1 }
}

/// About how many objects and lists, and how many values in all, a JSON text holds: its
/// openings of objects and lists, and those plus its separators, outside strings. Cheap to count before parsing, so that a file far denser
/// than any Graph response is refused before it is turned into a tree many times its size.
pub fn value_count(text: &str) -> (usize, usize) {
    let (mut containers, mut separators) = (0, 0);
    let mut in_string = false;
    let mut escaped = false;
    for &byte in text.as_bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
        } else {
            match byte {
                b'"' => in_string = true,
                b'{' | b'[' => containers += 1,
                b',' => separators += 1,
                _ => {}
            }
        }
    }
    (containers, containers + separators)
}

/// Where the value at `path` starts, if the text has it.
pub fn locate(text: &str, path: &JsonPath) -> Option<LineColumn> {
    let mut scanner = Scanner::new(text);
    scanner.find(&path.0).map(|offset| line_column(text, offset))
}

/// The second spelling of a key an object already has.
#[derive(Debug, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The object holding the key twice.
    pub object: JsonPath,
    pub key: String,
    pub first: LineColumn,
    pub second: LineColumn,
}

/// The first object, in text order, that repeats a key.
pub fn first_duplicate_key(text: &str) -> Option<DuplicateKey> {
    let mut scanner = Scanner::new(text);
    let mut path = Vec::new();
    let found = scanner.duplicates(&mut path);
    found.map(|(object, key, first, second)| DuplicateKey {
        object,
        key,
        first: line_column(text, first),
        second: line_column(text, second),
    })
}

/// A cursor over valid JSON text.
struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    at: usize,
}

type Found = (JsonPath, String, usize, usize);

/// The path of the walk for duplicates: keys borrowed from the text while it has no escapes.
type WalkPath<'t> = Vec<(Option<Cow<'t, str>>, usize)>;

fn owned_path(path: &WalkPath) -> JsonPath {
    JsonPath(
        path.iter()
            .map(|(key, index)| match key {
                Some(key) => Step::Key(key.to_string()),
                None => Step::Index(*index),
            })
            .collect(),
    )
}

impl<'t> Scanner<'t> {
    fn new(text: &'t str) -> Scanner<'t> {
        Scanner { text, bytes: text.as_bytes(), at: 0 }
    }

    fn peek(&mut self) -> Option<u8> {
        while self.bytes.get(self.at).is_some_and(|b| b.is_ascii_whitespace()) {
            self.at += 1;
        }
        self.bytes.get(self.at).copied()
    }

    fn eat(&mut self, byte: u8) -> bool {
        if self.peek() == Some(byte) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// The offset of the value at `path`, starting at the value under the cursor.
    fn find(&mut self, path: &[Step]) -> Option<usize> {
        self.peek()?;
        let Some((step, rest)) = path.split_first() else { return Some(self.at) };
        match step {
            Step::Key(key) => {
                if !self.eat(b'{') {
                    return None;
                }
                while self.peek()? == b'"' {
                    let name = self.string()?;
                    self.eat(b':');
                    if &name == key {
                        return self.find(rest);
                    }
                    self.skip_value()?;
                    self.eat(b',');
                }
                None
            }
            Step::Index(index) => {
                if !self.eat(b'[') {
                    return None;
                }
                for _ in 0..*index {
                    if self.peek()? == b']' {
                        return None;
                    }
                    self.skip_value()?;
                    self.eat(b',');
                }
                if self.peek()? == b']' {
                    return None;
                }
                self.find(rest)
            }
        }
    }

    /// Walks the value under the cursor; the first repeated key of any object in it.
    fn duplicates(&mut self, path: &mut WalkPath<'t>) -> Option<Found> {
        match self.peek()? {
            b'{' => self.object_duplicates(path),
            b'[' => self.array_duplicates(path),
            _ => {
                self.skip_value();
                None
            }
        }
    }

    fn array_duplicates(&mut self, path: &mut WalkPath<'t>) -> Option<Found> {
        self.at += 1;
        let mut index = 0;
        while self.peek()? != b']' {
            path.push((None, index));
            let found = self.duplicates(path);
            path.pop();
            if found.is_some() {
                return found;
            }
            self.eat(b',');
            index += 1;
        }
        self.at += 1;
        None
    }

    fn object_duplicates(&mut self, path: &mut WalkPath<'t>) -> Option<Found> {
        self.at += 1;
        // Graph objects have a handful of keys: a list is quicker than a hash set here.
        let mut starts: Vec<(Cow<'t, str>, usize)> = Vec::new();
        while self.peek()? == b'"' {
            let start = self.at;
            let name = self.key()?;
            if let Some((_, first)) = starts.iter().find(|(k, _)| *k == name) {
                return Some((owned_path(path), name.into_owned(), *first, start));
            }
            self.eat(b':');
            path.push((Some(name.clone()), 0));
            let found = self.duplicates(path);
            path.pop();
            if found.is_some() {
                return found;
            }
            starts.push((name, start));
            self.eat(b',');
        }
        self.eat(b'}');
        None
    }

    /// A key under the cursor, borrowed from the text unless it has escapes.
    fn key(&mut self) -> Option<Cow<'t, str>> {
        let start = self.at;
        self.skip_string()?;
        let raw = &self.text[start..self.at];
        if raw.contains('\\') {
            serde_json::from_str::<String>(raw).ok().map(Cow::Owned)
        } else {
            Some(Cow::Borrowed(&raw[1..raw.len() - 1]))
        }
    }

    /// Reads a string under the cursor, decoding escapes.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.skip_string()?;
        let raw = &self.text[start..self.at];
        if raw.contains('\\') {
            serde_json::from_str(raw).ok()
        } else {
            Some(raw[1..raw.len() - 1].to_string())
        }
    }

    fn skip_string(&mut self) -> Option<()> {
        self.at += 1; // the opening quote
        loop {
            match self.bytes.get(self.at)? {
                b'\\' => self.at += 2,
                b'"' => {
                    self.at += 1;
                    return Some(());
                }
                _ => self.at += 1,
            }
        }
    }

    /// Skips one value (nested containers included) without recursion.
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'"' => self.skip_string()?,
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                }
                b'}' | b']' => {
                    depth = depth.checked_sub(1)?;
                    self.at += 1;
                }
                b',' | b':' if depth > 0 => self.at += 1,
                b',' | b':' => return Some(()),
                _ => {
                    while self.bytes.get(self.at).is_some_and(|b| !b",:]} \t\r\n".contains(b)) {
                        self.at += 1;
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "{\n  \"value\": [\n    {\"id\": \"a\", \"policy\": {\"rules\": [1, {\"x\": \"y\"}]}},\n    {\"id\": \"b\\\"c\", \"n\": null}\n  ]\n}";

    #[test]
    fn finds_values_by_path() {
        let path = JsonPath::root().key("value").index(0).key("policy").key("rules").index(1);
        assert_eq!(path.to_string(), "value[0].policy.rules[1]");
        assert_eq!(locate(TEXT, &path), Some(LineColumn { line: 3, column: 41 }));
        let second = JsonPath::root().key("value").index(1).key("n");
        assert_eq!(locate(TEXT, &second), Some(LineColumn { line: 4, column: 25 }));
        assert_eq!(locate(TEXT, &JsonPath::root().key("value").index(2)), None);
        assert_eq!(locate(TEXT, &JsonPath::root().key("nope")), None);
        assert_eq!(locate(TEXT, &JsonPath::root()), Some(LineColumn { line: 1, column: 1 }));
    }

    #[test]
    fn paths_quote_odd_keys() {
        let path = JsonPath::root().key("value").index(0).key("@odata.type");
        assert_eq!(path.to_string(), "value[0][\"@odata.type\"]");
    }

    #[test]
    fn finds_the_first_duplicate_key() {
        assert_eq!(first_duplicate_key(TEXT), None);
        let text = "[{\"a\": 1}, {\"b\": {\"c\": 1,\n \"c\": 2}}]";
        let dup = first_duplicate_key(text).unwrap();
        assert_eq!(dup.object.to_string(), "[1].b");
        assert_eq!(dup.key, "c");
        assert_eq!(
            (dup.first, dup.second),
            (LineColumn { line: 1, column: 19 }, LineColumn { line: 2, column: 2 })
        );
        let escaped = r#"{"a\u0062": 1, "ab": 2}"#;
        assert_eq!(first_duplicate_key(escaped).unwrap().key, "ab");
    }

    #[test]
    fn counts_values_outside_strings() {
        assert_eq!(value_count("[1, 2, {\"a,[{\": [3]}]"), (3, 5));
        assert_eq!(value_count("\"\\\",\""), (0, 0));
    }

    #[test]
    fn columns_count_characters() {
        let text = "{\"é\": [\"ü\", 2]}";
        let path = JsonPath::root().key("é").index(1);
        assert_eq!(locate(text, &path), Some(LineColumn { line: 1, column: 13 }));
    }
}
