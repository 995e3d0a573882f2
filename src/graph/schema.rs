//! The Microsoft Graph JSON this crate reads: `unifiedRoleManagementPolicyAssignment`s with
//! their policy and rules expanded. Unknown fields are ignored (Graph adds fields over time);
//! each rule is decoded on its own so that one odd rule is skipped, not fatal.

use serde::Deserialize;
use serde_json::Value;

use super::GraphError;

/// One `unifiedRoleManagementPolicyAssignment`: which policy governs which role.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Assignment {
    pub id: Option<String>,
    pub policy_id: Option<String>,
    pub scope_id: Option<String>,
    pub scope_type: Option<String>,
    pub role_definition_id: Option<String>,
    pub policy: Option<RolePolicy>,
}

impl Assignment {
    /// The policy id, from the expanded policy or else the assignment itself.
    pub fn effective_policy_id(&self) -> Option<&str> {
        let expanded = self.policy.as_ref().and_then(|p| p.id.as_deref());
        expanded.or(self.policy_id.as_deref()).filter(|id| !id.is_empty())
    }

    /// The rules of the expanded policy, as raw JSON (decoded one by one later).
    pub fn rules(&self) -> &[Value] {
        self.policy.as_ref().and_then(|p| p.rules.as_deref()).unwrap_or_default()
    }

    /// The rule with this id, if the export has it.
    pub fn rule(&self, id: &str) -> Option<&Value> {
        self.rules().iter().find(|r| rule_id(r).is_some_and(|r| r.eq_ignore_ascii_case(id)))
    }
}

/// A `unifiedRoleManagementPolicy`, as expanded into an assignment.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct RolePolicy {
    pub id: Option<String>,
    pub rules: Option<Vec<Value>>,
}

/// `unifiedRoleManagementPolicyRuleTarget`: who acts (`caller`) on what (`level`).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Target {
    pub caller: Option<String>,
    pub level: Option<String>,
}

/// `unifiedRoleManagementPolicyNotificationRule`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct NotificationRule {
    pub id: Option<String>,
    pub target: Option<Target>,
    pub notification_type: Option<String>,
    pub recipient_type: Option<String>,
    pub notification_level: Option<String>,
    pub is_default_recipients_enabled: Option<bool>,
    pub notification_recipients: Option<Vec<String>>,
}

/// `unifiedRoleManagementPolicyApprovalRule`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApprovalRule {
    pub id: Option<String>,
    pub target: Option<Target>,
    pub setting: Option<ApprovalSettings>,
}

/// `approvalSettings`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApprovalSettings {
    pub is_approval_required: Option<bool>,
    pub approval_stages: Option<Vec<ApprovalStage>>,
}

/// `unifiedApprovalStage`: its primary approvers are `userSet`s (`singleUser`, `groupMembers`…).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ApprovalStage {
    pub primary_approvers: Option<Vec<Value>>,
}

/// The `id` of a raw rule.
pub fn rule_id(rule: &Value) -> Option<&str> {
    rule.get("id").and_then(Value::as_str)
}

/// `@odata.type` of a raw JSON object.
pub fn odata_type(value: &Value) -> Option<&str> {
    value.get("@odata.type").and_then(Value::as_str)
}

/// What a file held: the assignments, and notes about entries that were left out.
#[derive(Debug, Default)]
pub struct Export {
    pub assignments: Vec<Assignment>,
    pub notes: Vec<String>,
}

const NOT_AN_EXPORT: &str = "expected the JSON Microsoft Graph returns for `GET /policies/roleManagementPolicyAssignments?$filter=scopeId eq '/' and scopeType eq 'DirectoryRole'&$expand=policy($expand=rules)`: an object with `value`, a list of such pages, or a list of assignments";

/// Reads an export: one page (`{"value": [...]}`), a list of pages, or a bare list of assignments.
pub fn parse_export(text: &str) -> Result<Export, GraphError> {
    let json: Value = serde_json::from_str(text).map_err(|e| {
        GraphError::new(format!("not JSON (line {}, column {}: {e}); {NOT_AN_EXPORT}", e.line(), e.column()))
    })?;
    let items = assignment_values(json)?;
    let mut export = Export::default();
    for (i, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<Assignment>(item) {
            Ok(a) => export.assignments.push(a),
            Err(e) => export.notes.push(format!("assignment #{} skipped: {e}", i + 1)),
        }
    }
    Ok(export)
}

fn assignment_values(json: Value) -> Result<Vec<Value>, GraphError> {
    match json {
        Value::Object(mut page) if page.contains_key("value") => match page.remove("value") {
            Some(Value::Array(items)) => Ok(items),
            _ => Err(GraphError::new(format!("`value` is not a list; {NOT_AN_EXPORT}"))),
        },
        Value::Object(one) if looks_like_assignment(&one) => Ok(vec![Value::Object(one)]),
        Value::Array(items) if items.iter().all(is_page) && !items.is_empty() => {
            let mut all = Vec::new();
            for page in items {
                all.extend(assignment_values(page)?);
            }
            Ok(all)
        }
        Value::Array(items) if items.iter().all(|i| i.as_object().is_some_and(looks_like_assignment)) => {
            Ok(items)
        }
        _ => Err(GraphError::new(NOT_AN_EXPORT.to_string())),
    }
}

fn is_page(value: &Value) -> bool {
    value.as_object().is_some_and(|o| o.contains_key("value"))
}

fn looks_like_assignment(object: &serde_json::Map<String, Value>) -> bool {
    object.contains_key("roleDefinitionId")
        || object.contains_key("policy")
        || object.contains_key("policyId")
}

/// Reads `GET /roleManagement/directory/roleDefinitions` output: (id or templateId, displayName).
pub fn parse_role_definitions(text: &str) -> Result<Vec<(String, String)>, GraphError> {
    let json: Value = serde_json::from_str(text)
        .map_err(|e| GraphError::new(format!("role definitions: not JSON ({e})")))?;
    let items: Vec<Value> = match json {
        Value::Object(mut o) => match o.remove("value") {
            Some(Value::Array(items)) => items,
            _ => return Err(role_definitions_error()),
        },
        Value::Array(pages) => pages.into_iter().flat_map(page_items).collect(),
        _ => return Err(role_definitions_error()),
    };
    let mut names = Vec::new();
    for item in &items {
        let Some(name) = item.get("displayName").and_then(Value::as_str) else { continue };
        for key in ["id", "templateId"] {
            if let Some(id) = item.get(key).and_then(Value::as_str) {
                names.push((id.to_ascii_lowercase(), name.to_string()));
            }
        }
    }
    if names.is_empty() {
        return Err(role_definitions_error());
    }
    Ok(names)
}

fn page_items(page: Value) -> Vec<Value> {
    match page {
        Value::Object(mut o) => match o.remove("value") {
            Some(Value::Array(items)) => items,
            _ => vec![Value::Object(o)],
        },
        other => vec![other],
    }
}

fn role_definitions_error() -> GraphError {
    GraphError::new(
        "role definitions: expected the output of `GET /roleManagement/directory/roleDefinitions` (an object with `value`, each with `id` and `displayName`)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_page_a_list_of_pages_and_a_bare_list() {
        let one = r#"{"roleDefinitionId": "x", "policy": {"id": "p", "rules": []}}"#;
        for text in [
            format!(r#"{{"value": [{one}]}}"#),
            format!(r#"[{{"value": [{one}]}}, {{"value": []}}]"#),
            format!("[{one}]"),
        ] {
            let export = parse_export(&text).unwrap();
            assert_eq!(export.assignments.len(), 1, "{text}");
            assert_eq!(export.assignments[0].effective_policy_id(), Some("p"));
        }
    }

    #[test]
    fn refuses_what_is_not_an_export() {
        for text in ["", "{}", "[1, 2]", r#"{"value": 3}"#, "version: 1"] {
            let err = parse_export(text).unwrap_err();
            assert!(err.to_string().contains("roleManagementPolicyAssignments"), "{text}: {err}");
        }
        assert!(parse_export("[]").unwrap().assignments.is_empty(), "an empty list is an empty export");
    }

    #[test]
    fn ignores_unknown_fields_and_nulls() {
        let text = r#"{"value": [{"roleDefinitionId": "x", "surprise": {"a": 1}, "policyId": null,
            "policy": {"id": "p", "rules": null, "lastModifiedBy": {"id": null}}}]}"#;
        let export = parse_export(text).unwrap();
        assert!(export.assignments[0].rules().is_empty());
    }
}
