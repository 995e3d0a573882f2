//! A saved Graph response as text → its assignment objects, or a refusal that says why and
//! how to get the right file: not JSON, a repeated key, another request's answer, a file cut
//! short by PowerShell, or pages that were not all fetched.

use serde_json::Value;

use super::json::{self, JsonPath};
use super::problem::{GraphError, Problem, Source};
use super::shape::{self, Layout, Verdict};

/// Choices the caller makes about incomplete data.
#[derive(Clone, Copy, Debug, Default)]
pub struct ReadOptions {
    /// Read a response whose `@odata.nextLink` was not followed (or a bare list of
    /// assignments, which cannot show it), knowing the roles on other pages are missing.
    pub allow_partial: bool,
}

/// The assignment objects of a response, each with its place in the file.
#[derive(Debug)]
pub struct Response {
    pub layout: Layout,
    pub assignments: Vec<(JsonPath, Value)>,
    /// True when pages are known or suspected to be missing (accepted with `allow_partial`).
    pub partial: bool,
    pub notes: Vec<String>,
}

/// Parses and recognises a response; everything but the assignments request is refused.
pub fn read(source: &Source, options: ReadOptions) -> Result<Response, GraphError> {
    let json = parse_json(source)?;
    let layout = match shape::recognise(&json, source) {
        (_, Verdict::Accept(layout)) => layout,
        (_, Verdict::Refuse { problems, fix }) => {
            return Err(GraphError::from_problems(problems).with_help(fix))
        }
    };
    let mut notes = Vec::new();
    let partial = check_paging(&json, layout, source, options, &mut notes)?;
    Ok(Response { layout, assignments: assignments(json, layout), partial, notes })
}

/// JSON with no repeated key: Graph never repeats one, and serde_json would keep the last
/// silently, so a repeated key means an edited file whose meaning is unclear.
pub fn parse_json(source: &Source) -> Result<Value, GraphError> {
    check_density(source)?;
    let json: Value = serde_json::from_str(source.text).map_err(|e| not_json(source, &e))?;
    if let Some(dup) = json::first_duplicate_key(source.text) {
        let problem = Problem {
            at: Some(format!("{}:{}", source.name, dup.second)),
            path: Some(dup.object.key(&dup.key).to_string()),
            message: format!(
                "the key `{}` is written twice in one object (first at line {}, column {}); Graph never repeats a key, so which value is meant cannot be told",
                dup.key, dup.first.line, dup.first.column
            ),
        };
        return Err(GraphError::from(problem).with_help("remove one of them, or save the response again"));
    }
    Ok(json)
}

/// Graph's JSON, even without spaces, holds an object or a list per 50 to 65 bytes (27 in
/// its densest part, a rule's `target`) and a value per 15. A parsed object costs a few
/// hundred bytes, so a file much denser than that (a list of millions of `{}`) would become a
/// tree dozens of times its size: it is refused before parsing.
pub const BYTES_PER_CONTAINER: usize = 32;
pub const BYTES_PER_VALUE: usize = 6;
const ALWAYS_ALLOWED: usize = 10_000;

fn check_density(source: &Source) -> Result<(), GraphError> {
    let (containers, values) = json::value_count(source.text);
    let bytes = source.text.len();
    let dense = containers > bytes / BYTES_PER_CONTAINER + ALWAYS_ALLOWED
        || values > bytes / BYTES_PER_VALUE + ALWAYS_ALLOWED;
    if !dense {
        return Ok(());
    }
    let problem = source.file_problem(format!(
        "the file holds about {containers} JSON objects and lists and {values} values in {bytes} bytes: far denser than any Graph response (at most one object or list per {BYTES_PER_CONTAINER} bytes and one value per {BYTES_PER_VALUE} are read), so it is not read, to keep memory bounded"
    ));
    Err(GraphError::from(problem).with_help(format!(
        "save `{}`; {}",
        shape::ASSIGNMENTS_REQUEST,
        shape::SAVE_HINT
    )))
}

fn not_json(source: &Source, error: &serde_json::Error) -> GraphError {
    let at = format!("{}:{}:{}", source.name, error.line(), error.column());
    let looks_like_policy = ["version:", "roles:", "scope:", "defaults:"]
        .iter()
        .any(|k| source.text.lines().any(|l| l.trim_start().starts_with(k)));
    let message = if looks_like_policy {
        "this is a pim-notify policy file (YAML), not Graph JSON".to_string()
    } else {
        format!("not JSON: {}", error_text(error))
    };
    let problem = Problem { at: Some(at), path: None, message };
    GraphError::from(problem).with_help(format!(
        "save `{}`; {}",
        shape::ASSIGNMENTS_REQUEST,
        shape::SAVE_HINT
    ))
}

/// serde_json's message without its own " at line X column Y" (the position is shown first).
fn error_text(error: &serde_json::Error) -> String {
    let text = error.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// Whether pages are missing. Refused unless `allow_partial`, noted when allowed.
fn check_paging(
    json: &Value,
    layout: Layout,
    source: &Source,
    options: ReadOptions,
    notes: &mut Vec<String>,
) -> Result<bool, GraphError> {
    let unfollowed = unfollowed_next_link(json, layout);
    let problem = match (layout, &unfollowed) {
        (Layout::BareList, _) => source.file_problem(
            "a list of assignments without the page around it: nothing shows whether Graph had more pages (`@odata.nextLink`)",
        ),
        (_, Some(path)) => source.problem(
            path,
            "the response has more pages: its `@odata.nextLink` was not followed, so the roles on the other pages are missing",
        ),
        _ => return Ok(false),
    };
    if options.allow_partial {
        notes.push(format!(
            "{problem}; read anyway (--allow-partial): roles on other pages are not in the policy, and nothing is lifted into `defaults:`"
        ));
        return Ok(true);
    }
    Err(GraphError::from(problem).with_help(format!(
        "save every page: follow each `@odata.nextLink` until there is none and keep the pages as a JSON list ({}); or pass --allow-partial to read only these roles",
        shape::SAVE_HINT
    )))
}

/// The `@odata.nextLink` that no later page answers: the last page's.
fn unfollowed_next_link(json: &Value, layout: Layout) -> Option<JsonPath> {
    let has_next = |page: &Value| page.get("@odata.nextLink").is_some_and(|l| !l.is_null());
    match (layout, json) {
        (Layout::Page, page) if has_next(page) => Some(JsonPath::root().key("@odata.nextLink")),
        (Layout::Pages, Value::Array(pages)) => {
            let last = pages.len().checked_sub(1)?;
            has_next(&pages[last]).then(|| JsonPath::root().index(last).key("@odata.nextLink"))
        }
        _ => None,
    }
}

fn assignments(json: Value, layout: Layout) -> Vec<(JsonPath, Value)> {
    let page_items = |page: Value, at: JsonPath| -> Vec<(JsonPath, Value)> {
        match page {
            Value::Object(mut map) => match map.remove("value") {
                Some(Value::Array(items)) => {
                    let at = at.key("value");
                    items.into_iter().enumerate().map(|(i, item)| (at.index(i), item)).collect()
                }
                _ => Vec::new(),
            },
            _ => Vec::new(),
        }
    };
    match (layout, json) {
        (Layout::Page, page) => page_items(page, JsonPath::root()),
        (Layout::One, one) => vec![(JsonPath::root(), one)],
        (Layout::Pages, Value::Array(pages)) => pages
            .into_iter()
            .enumerate()
            .flat_map(|(i, page)| page_items(page, JsonPath::root().index(i)))
            .collect(),
        (Layout::BareList, Value::Array(items)) => {
            items.into_iter().enumerate().map(|(i, item)| (JsonPath::root().index(i), item)).collect()
        }
        _ => Vec::new(),
    }
}
