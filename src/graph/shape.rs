//! What kind of response a file holds. `import graph` reads one Graph request; people hand it
//! the answers of many others (a policy list, the rules of one policy, role definitions, ARM,
//! PowerShell SDK objects, ScubaGear's export). Each is recognised by what only it has and
//! refused with the request that gives the right data. The table grows with new inputs: a row
//! is a name and a detector, tried in order.

use serde_json::{Map, Value};

use super::problem::{Problem, Source};
use super::truncation;

/// The request `import graph` reads, as a user would paste it.
pub const ASSIGNMENTS_REQUEST: &str = "GET https://graph.microsoft.com/v1.0/policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'&$expand=policy($expand=rules)";

/// How to save every page of it.
pub const SAVE_HINT: &str =
    "examples/graph/save-tenant.sh (az rest) or save-tenant.ps1 (Graph PowerShell) saves it with every page";

/// How the accepted data is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One page: `{"@odata.context": ..., "value": [...]}`.
    Page,
    /// A list of pages, as the shipped scripts save them.
    Pages,
    /// One assignment (`GET .../roleManagementPolicyAssignments/{id}`).
    One,
    /// A list of assignments without the page around them (e.g. `jq .value`).
    BareList,
}

/// What a detector found.
#[derive(Debug)]
pub enum Verdict {
    Accept(Layout),
    /// Not the data `import graph` reads: why, the problems (with positions when there are
    /// any), and what to do instead.
    Refuse {
        problems: Vec<Problem>,
        fix: String,
    },
}

type Detector = fn(&Value, &Source) -> Option<Verdict>;

/// Tried in order; the first detector that answers decides. Formats with unmistakable marks
/// come before the truncation check (a ScubaGear export may hold cut values of its own), and
/// the truncation check before the Graph shapes (a cut page loses the fields that tell them apart).
const SHAPES: [(&str, Detector); 12] = [
    ("a Graph error", odata_error),
    ("ScubaGear's ProviderSettingsExport", scubagear_export),
    ("ScubaGear's privileged_roles", scubagear_roles),
    ("Graph PowerShell SDK objects", powershell_sdk),
    ("Azure Resource Manager JSON", arm),
    ("role definitions", role_definitions),
    ("a file cut short by ConvertTo-Json", truncated),
    ("the rules of one policy", rules),
    ("role management policies", policies),
    ("assignments without their policy", assignments_without_policy),
    ("role management policy assignments", assignments),
    ("a list of assignments", bare_list),
];

/// The verdict of the first row that recognises the document.
pub fn recognise(json: &Value, source: &Source) -> (&'static str, Verdict) {
    for (name, detector) in SHAPES {
        if let Some(verdict) = detector(json, source) {
            return (name, verdict);
        }
    }
    let problem = source
        .file_problem(format!("not a response of the request `import graph` reads ({})", describe(json)));
    ("unknown", Verdict::Refuse { problems: vec![problem], fix: save_request() })
}

fn save_request() -> String {
    format!("save `{ASSIGNMENTS_REQUEST}`; {SAVE_HINT}")
}

fn refuse(source: &Source, what: impl Into<String>, fix: impl Into<String>) -> Option<Verdict> {
    Some(Verdict::Refuse { problems: vec![source.file_problem(what)], fix: fix.into() })
}

fn describe(json: &Value) -> String {
    match json {
        Value::Object(map) if map.is_empty() => "an empty object".into(),
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().take(5).map(|k| format!("`{k}`")).collect();
            format!("an object with {}", keys.join(", "))
        }
        Value::Array(items) if items.is_empty() => "an empty list".into(),
        Value::Array(_) => "a list of something else".into(),
        Value::String(_) => "a string".into(),
        Value::Null => "null".into(),
        _ => "a single value".into(),
    }
}

/// A page: an object whose `value` is a list.
pub fn is_page(value: &Value) -> bool {
    value.get("value").is_some_and(Value::is_array)
}

/// The objects a response is made of: the items of its page(s), or the top-level object.
fn objects(json: &Value) -> Vec<&Map<String, Value>> {
    items(json).into_iter().filter_map(Value::as_object).collect()
}

/// The items of a response's page(s), or the top-level value itself.
fn items(json: &Value) -> Vec<&Value> {
    match json {
        Value::Object(_) if is_page(json) => json["value"].as_array().into_iter().flatten().collect(),
        Value::Object(_) => vec![json],
        Value::Array(items) if items.iter().any(is_page) => items
            .iter()
            .flat_map(|p| p.get("value").and_then(Value::as_array).into_iter().flatten())
            .collect(),
        Value::Array(items) => items.iter().collect(),
        _ => Vec::new(),
    }
}

/// `@odata.context` of the response or of its pages.
fn contexts(json: &Value) -> Vec<&str> {
    let pages: Vec<&Value> = match json {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    pages.into_iter().filter_map(|p| p.get("@odata.context").and_then(Value::as_str)).collect()
}

fn any_context(json: &Value, test: impl Fn(&str) -> bool) -> bool {
    contexts(json).into_iter().any(test)
}

fn any_object(json: &Value, test: impl Fn(&Map<String, Value>) -> bool) -> bool {
    objects(json).into_iter().any(test)
}

fn odata_error(json: &Value, source: &Source) -> Option<Verdict> {
    let error = json.get("error")?.as_object()?;
    let text = |key: &str| error.get(key).and_then(Value::as_str).unwrap_or("?").to_string();
    refuse(
        source,
        format!("Graph answered with an error, not data: {}: {}", text("code"), text("message")),
        format!(
            "fix the request or its permissions (RoleManagementPolicy.Read.Directory) and save it again: {}",
            save_request()
        ),
    )
}

fn scubagear_export(json: &Value, source: &Source) -> Option<Verdict> {
    json.get("privileged_roles")?;
    refuse(
        source,
        "this is ScubaGear's ProviderSettingsExport: its `privileged_roles` hold Graph PowerShell SDK objects reshaped by ScubaGear, without policy ids, so they cannot be read faithfully or written back",
        save_request(),
    )
}

fn scubagear_roles(json: &Value, source: &Source) -> Option<Verdict> {
    let is_role = |o: &Map<String, Value>| o.contains_key("RoleTemplateId") && o.contains_key("Rules");
    (json.is_array() && any_object(json, is_role)).then_some(())?;
    refuse(
        source,
        "this is the `privileged_roles` list of a ScubaGear export (`RoleTemplateId`, `Rules` as PowerShell SDK objects), without policy ids",
        save_request(),
    )
}

/// PascalCase keys are the mark of the Graph PowerShell SDK's model objects.
const SDK_KEYS: [&str; 6] = ["Id", "AdditionalProperties", "RoleDefinitionId", "PolicyId", "Policy", "Rules"];

fn powershell_sdk(json: &Value, source: &Source) -> Option<Verdict> {
    let sdk = |o: &Map<String, Value>| SDK_KEYS.iter().any(|k| o.contains_key(*k));
    let sdk_rules = |o: &Map<String, Value>| {
        o.get("policy")
            .and_then(|p| p.get("rules"))
            .and_then(Value::as_array)
            .is_some_and(|rules| rules.iter().filter_map(Value::as_object).any(&sdk))
    };
    any_object(json, |o| sdk(o) || sdk_rules(o)).then_some(())?;
    refuse(
        source,
        "these are Graph PowerShell SDK objects (PascalCase `Id`, `AdditionalProperties`), as `Get-MgPolicyRoleManagementPolicyAssignment ... | ConvertTo-Json` writes them: the SDK moves rule fields into `AdditionalProperties` and ConvertTo-Json cuts what is nested deeper than its -Depth",
        format!("save Graph's own JSON with `Invoke-MgGraphRequest -Method GET -Uri $uri -OutputType Json` for `{ASSIGNMENTS_REQUEST}`; {SAVE_HINT}"),
    )
}

fn arm(json: &Value, source: &Source) -> Option<Verdict> {
    let arm_keys = ["rules", "effectiveRules", "policyId", "roleDefinitionId", "scope"];
    let arm_object = |o: &Map<String, Value>| {
        o.get("properties")
            .and_then(Value::as_object)
            .is_some_and(|p| arm_keys.iter().any(|k| p.contains_key(*k)))
    };
    let rule_type = |o: &Map<String, Value>| {
        ["rules", "effectiveRules"].iter().any(|key| {
            o.get(*key)
                .and_then(Value::as_array)
                .is_some_and(|rules| rules.iter().any(|r| r.get("ruleType").is_some()))
        })
    };
    any_object(json, |o| arm_object(o) || rule_type(o) || o.contains_key("ruleType")).then_some(())?;
    refuse(
        source,
        "this is Azure Resource Manager JSON (`properties.rules` with `ruleType`): the role management policies of an Azure scope, which `import graph` does not read",
        format!("for Entra roles, {}", save_request()),
    )
}

fn role_definitions(json: &Value, source: &Source) -> Option<Verdict> {
    let by_context = any_context(json, |c| c.contains("roleDefinitions"));
    let by_items = any_object(json, |o| o.contains_key("rolePermissions") || o.contains_key("isBuiltIn"));
    (by_context || by_items).then_some(())?;
    refuse(
        source,
        "these are role definitions (`GET /roleManagement/directory/roleDefinitions`): they name roles but hold no notification settings",
        format!("pass this file with --role-definitions, and as the export {}", save_request()),
    )
}

fn truncated(json: &Value, source: &Source) -> Option<Verdict> {
    let (cuts, total) = truncation::find(json, 20);
    let first = cuts.first()?;
    let mut problems = vec![source.problem(
        &first.path,
        format!(
            "the file was cut short by PowerShell's ConvertTo-Json (as with about -Depth {}; it is 2 unless given): {total} value(s) are text where Graph returns objects or lists; {}",
            truncation::depth_of(first),
            first.message()
        ),
    )];
    problems.extend(cuts.iter().skip(1).map(|cut| source.problem(&cut.path, cut.message())));
    Some(Verdict::Refuse { problems, fix: truncation::FIX.to_string() })
}

fn policies(json: &Value, source: &Source) -> Option<Verdict> {
    let by_context = any_context(json, |c| {
        c.contains("roleManagementPolicies") && !c.contains("roleManagementPolicyAssignments")
    });
    let is_policy = |o: &Map<String, Value>| {
        (o.contains_key("rules") || o.contains_key("effectiveRules")) && !o.contains_key("roleDefinitionId")
    };
    (by_context || any_object(json, is_policy)).then_some(())?;
    refuse(
        source,
        "these are role management policies (`GET /policies/roleManagementPolicies?$expand=rules`): a policy does not say which role it governs",
        save_request(),
    )
}

fn rules(json: &Value, source: &Source) -> Option<Verdict> {
    let by_context = any_context(json, |c| c.ends_with(")/rules") || c.contains(")/rules/"));
    let is_rule = |o: &Map<String, Value>| {
        o.get("@odata.type").and_then(Value::as_str).is_some_and(|t| {
            t.starts_with("#microsoft.graph.unifiedRoleManagementPolicy") && t.ends_with("Rule")
        })
    };
    (by_context || any_object(json, is_rule)).then_some(())?;
    refuse(
        source,
        "these are the rules of one policy (`GET /policies/roleManagementPolicies/{id}/rules`): they do not say which role they belong to",
        save_request(),
    )
}

fn is_assignment(o: &Map<String, Value>) -> bool {
    o.contains_key("roleDefinitionId") || o.contains_key("policyId") || o.contains_key("policy")
}

fn assignments_without_policy(json: &Value, source: &Source) -> Option<Verdict> {
    let bare = |o: &Map<String, Value>| is_assignment(o) && !o.contains_key("policy");
    any_object(json, bare).then_some(())?;
    refuse(
        source,
        "these are policy assignments without their policy: the request lacks `$expand=policy($expand=rules)`",
        save_request(),
    )
}

fn assignments(json: &Value, _: &Source) -> Option<Verdict> {
    // Every item an assignment object: a number or `null` among them is no export either.
    let all_assignments = items(json).iter().all(|i| i.as_object().is_some_and(is_assignment));
    let layout = match json {
        Value::Object(_) if is_page(json) => Layout::Page,
        Value::Object(o) if is_assignment(o) => Layout::One,
        Value::Array(items) if !items.is_empty() && items.iter().all(is_page) => Layout::Pages,
        _ => return None,
    };
    all_assignments.then_some(Verdict::Accept(layout))
}

fn bare_list(json: &Value, _: &Source) -> Option<Verdict> {
    let items = json.as_array()?;
    let all = !items.is_empty() && items.iter().all(|i| i.as_object().is_some_and(is_assignment));
    all.then_some(Verdict::Accept(Layout::BareList))
}
