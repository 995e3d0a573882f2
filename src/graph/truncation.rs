//! Files cut short by PowerShell. `ConvertTo-Json` stops at `-Depth` levels (2 unless given):
//! an object below that is written as its type name (`"System.Collections.Hashtable"`, a Graph
//! SDK model name, or `@{caller=Admin; ...}`) and a list as its items joined by spaces
//! (`"all"`, or `""` for an empty one). Graph's role policies nest ten levels deep, so the
//! default cuts off every rule. Such a file must be refused: read naively, each cut rule
//! would become Entra's default and an export would then overwrite the tenant's real rule.

use serde_json::Value;

use super::json::{JsonPath, Step};

/// How to get a whole file, said in every refusal.
pub const FIX: &str = "save the response again without ConvertTo-Json: `Invoke-MgGraphRequest -Method GET -Uri $uri -OutputType Json` writes Graph's JSON as it came (objects that must go through PowerShell need `ConvertTo-Json -Depth 20`); examples/graph/save-tenant.ps1 does this and follows every @odata.nextLink";

/// Keys whose value Graph always returns as an object (or null).
const OBJECT_KEYS: [&str; 4] = ["policy", "target", "setting", "lastModifiedBy"];

/// Keys whose value Graph always returns as a list (or null), and whether its items are objects.
const LIST_KEYS: [(&str, bool); 12] = [
    ("value", true),
    ("rules", true),
    ("effectiveRules", true),
    ("approvalStages", true),
    ("primaryApprovers", true),
    ("escalationApprovers", true),
    ("targetObjects", true),
    ("notificationRecipients", false),
    ("enabledRules", false),
    ("operations", false),
    ("inheritableSettings", false),
    ("enforcedSettings", false),
];

/// What Graph has where the file has text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    Object,
    List,
}

impl Expected {
    fn as_str(self) -> &'static str {
        match self {
            Expected::Object => "an object",
            Expected::List => "a list",
        }
    }
}

/// One value written as text in place of an object or a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cut {
    pub path: JsonPath,
    pub found: String,
    pub expected: Expected,
}

impl Cut {
    pub fn message(&self) -> String {
        let what = match self.path.0.last() {
            Some(Step::Key(key)) => format!("`{key}`"),
            _ => "an item".to_string(),
        };
        format!("{what} is the text {} where Graph returns {}", shorten(&self.found), self.expected.as_str())
    }
}

/// Every cut in the document: the first `keep` of them, and how many there are in all.
pub fn find(root: &Value, keep: usize) -> (Vec<Cut>, usize) {
    let mut walk = Walk { keep, cuts: Vec::new(), total: 0, path: Vec::new() };
    walk.value(root, None);
    (walk.cuts, walk.total)
}

/// The `-Depth` that cuts first at `cut` (PowerShell counts the top level as 0).
pub fn depth_of(cut: &Cut) -> usize {
    cut.path.0.len().saturating_sub(1)
}

/// A walk over the whole document; `path` is where it is (pushed and popped, cloned only
/// for a cut: exports are large and nearly always whole).
struct Walk<'v> {
    keep: usize,
    cuts: Vec<Cut>,
    total: usize,
    path: Vec<Borrowed<'v>>,
}

/// A [`Step`] that borrows its key from the document.
#[derive(Clone, Copy)]
enum Borrowed<'v> {
    Key(&'v str),
    Index(usize),
}

impl<'v> Walk<'v> {
    /// `expected` is what Graph has at this place, when the key (or list) says so.
    fn value(&mut self, value: &'v Value, expected: Option<Expected>) {
        match value {
            Value::String(text) => {
                if let Some(expected) = expected.or(is_type_name(text).then_some(Expected::Object)) {
                    self.cut(text, expected);
                }
            }
            Value::Object(map) => {
                for (key, child) in map {
                    self.path.push(Borrowed::Key(key));
                    self.value(child, expected_at(key));
                    self.path.pop();
                }
            }
            Value::Array(items) => {
                let item_expected = list_items_expected(self.path.last());
                for (i, item) in items.iter().enumerate() {
                    self.path.push(Borrowed::Index(i));
                    self.value(item, item_expected);
                    self.path.pop();
                }
            }
            _ => {}
        }
    }

    fn cut(&mut self, text: &str, expected: Expected) {
        self.total += 1;
        if self.cuts.len() < self.keep {
            let steps = self.path.iter().map(|step| match step {
                Borrowed::Key(key) => Step::Key(key.to_string()),
                Borrowed::Index(i) => Step::Index(*i),
            });
            self.cuts.push(Cut { path: JsonPath(steps.collect()), found: text.to_string(), expected });
        }
    }
}

fn expected_at(key: &str) -> Option<Expected> {
    if OBJECT_KEYS.contains(&key) {
        Some(Expected::Object)
    } else if LIST_KEYS.iter().any(|(k, _)| *k == key) {
        Some(Expected::List)
    } else {
        None
    }
}

/// Items of `value`, `rules`, `primaryApprovers`... are objects; a top-level list holds pages
/// or assignments, which are objects too.
fn list_items_expected(last: Option<&Borrowed>) -> Option<Expected> {
    match last {
        None => Some(Expected::Object),
        Some(Borrowed::Key(key)) => {
            LIST_KEYS.iter().any(|(k, objects)| k == key && *objects).then_some(Expected::Object)
        }
        Some(Borrowed::Index(_)) => None,
    }
}

/// What PowerShell writes for an object it did not descend into: a .NET type name, or
/// several joined by spaces (a list of them).
pub fn is_type_name(text: &str) -> bool {
    let one = |word: &str| {
        word == "System.Object[]"
            || word.starts_with("System.Collections.")
            || word.starts_with("System.Management.Automation.")
            || word.starts_with("Microsoft.Graph.PowerShell.Models.")
            || word.starts_with("Microsoft.Graph.Beta.PowerShell.Models.")
    };
    !text.is_empty() && text.split(' ').all(one)
}

fn shorten(text: &str) -> String {
    const MAX: usize = 60;
    let shown: String = text.chars().take(MAX).collect();
    let ellipsis = if text.chars().count() > MAX { "…" } else { "" };
    format!("{}{ellipsis}", serde_json::to_string(&shown).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn type_names_and_joined_lists_are_cuts() {
        let page = json!({"value": [{"policy": {"rules": [
            {"id": "a", "target": "System.Collections.Hashtable", "notificationRecipients": ""},
            "System.Collections.Hashtable",
            {"id": "b", "target": {"operations": "all"}, "setting": "@{isApprovalRequired=False}"}
        ]}}]});
        let (cuts, total) = find(&page, 10);
        assert_eq!(total, 5);
        let paths: Vec<String> = cuts.iter().map(|c| c.path.to_string()).collect();
        assert_eq!(
            paths,
            [
                "value[0].policy.rules[0].target",
                "value[0].policy.rules[0].notificationRecipients",
                "value[0].policy.rules[1]",
                "value[0].policy.rules[2].target.operations",
                "value[0].policy.rules[2].setting",
            ]
        );
        assert_eq!(depth_of(&cuts[0]), 5);
        assert!(cuts[1]
            .message()
            .contains("`notificationRecipients` is the text \"\" where Graph returns a list"));
    }

    #[test]
    fn whole_files_have_no_cuts() {
        let page = json!({"@odata.context": "x", "value": [{"id": "a", "policy": null,
            "displayName": "System.Collections.Hashtable fan club", "rules": []}]});
        assert_eq!(find(&page, 10).1, 0);
        assert_eq!(find(&json!("System.Collections.Hashtable"), 10).1, 1);
        assert!(is_type_name("System.Collections.Hashtable System.Collections.Hashtable"));
        assert!(!is_type_name("Global Administrator"));
    }
}
