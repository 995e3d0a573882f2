//! JSON Schemas (draft 2020-12) of the policy file and of the policy test file, generated
//! from the [`crate::raw`] types so editors (yaml-language-server) complete and validate
//! exactly what the loader accepts. The `schema_with` helpers below add what the types alone
//! cannot say: the nine setting names, the alerts, recipient syntax, GUIDs and the version.

use std::borrow::Cow;

use schemars::generate::SchemaSettings;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Map, Value};

use crate::catalog::{self, Scope, Section, SettingInfo, SETTINGS};
use crate::raw::{RawAlert, RawPolicy, RawSetting};
use crate::recipient::Placeholder;

/// The policy file schema, as `pim-notify schema` prints it.
pub fn policy_schema() -> Value {
    root_schema::<RawPolicy>()
}

/// The policy test file (`*.tests.yaml`) schema, as `pim-notify schema --tests` prints it.
pub fn tests_schema() -> Value {
    root_schema::<TestFile>()
}

fn root_schema<T: JsonSchema>() -> Value {
    let generator = SchemaSettings::draft2020_12().into_generator();
    let mut schema = generator.into_root_schema_for::<T>().to_value();
    drop_null_defaults(&mut schema);
    schema
}

/// `#[schemars(default)]` marks optional fields but also writes `"default": null`, which
/// editors would offer as a completion; absent means "use the layer below", not null.
fn drop_null_defaults(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if map.get("default").is_some_and(Value::is_null) {
                map.remove("default");
            }
            map.values_mut().for_each(drop_null_defaults);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_null_defaults),
        _ => {}
    }
}

/// A policy test file: expected recipients per (role, event), checked by `pim-notify test`.
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, rename = "PolicyTests", title = "pim-notify policy tests")]
pub struct TestFile {
    /// The policy under test, relative to this file (default: the config's policy).
    pub policy: Option<String>,
    /// The test cases, run in order.
    pub tests: Vec<TestCase>,
}

/// One expectation: the recipients of one event for one role (or every role).
#[derive(JsonSchema)]
#[schemars(deny_unknown_fields, extend("anyOf" = [
    {"required": ["includes"]}, {"required": ["excludes"]}, {"required": ["exactly"]}
]))]
pub struct TestCase {
    /// A name shown in the PASS/FAIL line (default: role and event).
    pub name: Option<String>,
    /// Role name (case-insensitive) or id, `"*"` for every role of the policy, a glob, or a list.
    #[schemars(schema_with = "test_role")]
    pub role: String,
    /// Event id (`section.name`), a glob such as `alert.*`, or a list.
    #[schemars(schema_with = "test_event")]
    pub event: String,
    /// Who `<assignee>` stands for in this case, in the answer and in the expectations.
    pub assignee: Option<String>,
    /// Recipients that must be notified (`group:NAME` means all of its members).
    pub includes: Option<Vec<RecipientSchema>>,
    /// Recipients that must not be notified.
    pub excludes: Option<Vec<RecipientSchema>>,
    /// The complete list of recipients, in any order.
    pub exactly: Option<Vec<RecipientSchema>>,
}

/// A recipient as written in a policy: see [`crate::recipient::Recipient::parse`].
pub struct RecipientSchema;

/// Characters no recipient may contain: whitespace and control characters.
const NOT_BLANK_OR_CONTROL: &str = r"[^\s\x00-\x1f\x7f-\x9f]";
const GUID_PATTERN: &str = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

impl JsonSchema for RecipientSchema {
    fn schema_name() -> Cow<'static, str> {
        "Recipient".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // Not an address: whitespace, controls and the characters the loader refuses.
        let part = r#"[^@\s\x00-\x1f\x7f-\x9f<>()\[\],;"\\]"#;
        let label = r#"[^@.\s\x00-\x1f\x7f-\x9f<>()\[\],;"\\]"#;
        let email = format!("^{part}+@{label}+(\\.{label}+)+$");
        let group =
            format!("^group:[^\\x00-\\x1f\\x7f-\\x9f]*{NOT_BLANK_OR_CONTROL}[^\\x00-\\x1f\\x7f-\\x9f]*$");
        let object = format!("^object:{}", &GUID_PATTERN[1..]);
        let placeholders: Vec<&str> = Placeholder::ALL.iter().map(|p| p.as_str()).collect();
        json_schema!({
            "description": "An email address (compared case-insensitively), `group:NAME`, \
                `object:GUID`, or a placeholder for people the file does not name.",
            "type": "string",
            "anyOf": [
                {"title": "email address", "pattern": email},
                {"title": "group", "description": "A group defined under `groups:`.", "pattern": group},
                {"title": "directory object", "description": "A directory object known only by id.",
                 "pattern": object},
                {"title": "placeholder", "enum": placeholders}
            ],
            "examples": ["secops@contoso.com", "group:pim-admins", "<admins>"]
        })
    }
}

pub fn version(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"enum": [2, 1, null]})
}

pub fn scope(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<Value> = Scope::ALL.iter().map(|s| json!(s.as_str())).chain([Value::Null]).collect();
    json_schema!({"enum": names})
}

pub fn guid(_: &mut SchemaGenerator) -> Schema {
    json_schema!({"type": ["string", "null"], "pattern": GUID_PATTERN})
}

pub fn recipient_list(generator: &mut SchemaGenerator) -> Schema {
    let item = generator.subschema_for::<RecipientSchema>();
    json_schema!({"type": ["array", "null"], "items": item})
}

pub fn role_name(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = catalog::entra_roles().iter().map(|r| r.name.as_str()).collect();
    json_schema!({"type": "string", "minLength": 1, "examples": names})
}

pub fn groups(generator: &mut SchemaGenerator) -> Schema {
    let members = recipient_list(generator);
    json_schema!({
        "type": ["object", "null"],
        "propertyNames": {"pattern": format!("^[^\\x00-\\x1f\\x7f-\\x9f]*{NOT_BLANK_OR_CONTROL}")},
        "additionalProperties": members
    })
}

pub fn lint_allow(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["object", "null"],
        "propertyNames": {"pattern": "^PN[0-9]{3}$"},
        "additionalProperties": {"type": "string", "minLength": 1, "description": "Why the code is allowed."}
    })
}

/// `defaults:` and a role's `settings:` take the nine per-role settings.
pub fn settings(generator: &mut SchemaGenerator) -> Schema {
    settings_map(generator, SETTINGS.iter().collect())
}

/// `alerts:` takes every alert of every scope, each described with where it exists and
/// whether it emails.
pub fn alerts(generator: &mut SchemaGenerator) -> Schema {
    let alert = generator.subschema_for::<RawAlert>().to_value();
    let alerts = catalog::events().iter().filter(|e| e.section == Section::Alert);
    let properties: Map<String, Value> = alerts
        .map(|e| {
            let mut property = alert.as_object().cloned().unwrap_or_default();
            let scopes: Vec<&str> = e.scopes.iter().map(|s| s.as_str()).collect();
            let emails =
                if e.dashboard_only { "dashboard only, emails nobody" } else { "emails the administrators" };
            let description = format!("{} ({emails}; scopes: {}).", e.title, scopes.join(", "));
            property.insert("description".into(), json!(description));
            (e.name.clone(), Value::Object(property))
        })
        .collect();
    json_schema!({"type": ["object", "null"], "properties": properties, "additionalProperties": false})
}

/// The roles an access review covers: names, ids or globs.
pub fn review_roles(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> = std::iter::once("*Administrator")
        .chain(catalog::entra_roles().iter().map(|r| r.name.as_str()))
        .collect();
    json_schema!({"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1, "examples": names}})
}

/// A review's reviewers: recipients, `[self]` or `[manager]`.
pub fn reviewers(generator: &mut SchemaGenerator) -> Schema {
    let item = generator.subschema_for::<RecipientSchema>();
    json_schema!({
        "type": ["array", "null"],
        "anyOf": [
            {"items": item},
            {"description": "The members review their own access.", "const": ["self"]},
            {"description": "Each member's manager reviews; `fallback` reviews members without one.", "const": ["manager"]}
        ]
    })
}

fn settings_map(generator: &mut SchemaGenerator, settings: Vec<&SettingInfo>) -> Schema {
    let setting = generator.subschema_for::<RawSetting>().to_value();
    let properties: Map<String, Value> =
        settings.iter().map(|info| (info.id.to_string(), setting_property(info, &setting))).collect();
    json_schema!({"type": ["object", "null"], "properties": properties, "additionalProperties": false})
}

/// The setting's `$ref`, described with its admin-center row, Graph rule and events.
fn setting_property(info: &SettingInfo, setting: &Value) -> Value {
    let events: Vec<String> = info.id.events().map(|e| format!("`{}`", e.id)).collect();
    let mut property = setting.as_object().cloned().unwrap_or_default();
    let description = format!(
        "{} (Graph rule {}). Events: {}.",
        info.admin_center_row,
        info.graph_rule_id,
        events.join(", ")
    );
    property.insert("description".into(), json!(description));
    if info.id.section == catalog::Section::Activation && info.id.audience == catalog::Audience::Approver {
        // PN008: Entra accepts no additional recipients for activation approval requests.
        property.insert(
            "properties".into(),
            json!({"extra": {"type": "null", "description": "Entra accepts no additional recipients here (PN008)."}}),
        );
    }
    Value::Object(property)
}

fn test_role(_: &mut SchemaGenerator) -> Schema {
    let names: Vec<&str> =
        std::iter::once("*").chain(catalog::entra_roles().iter().map(|r| r.name.as_str())).collect();
    let one = json!({"type": "string", "minLength": 1, "examples": names});
    json_schema!({"anyOf": [one, {"type": "array", "minItems": 1, "items": one}]})
}

/// An event id, or a glob over ids (it has a `*` or `?`), alone or in a list.
fn test_event(generator: &mut SchemaGenerator) -> Schema {
    let glob = json!({"type": "string", "pattern": "^[a-z.*?-]*[*?][a-z.*?-]*$"});
    let one = json!({"anyOf": [event_id(generator), glob]});
    json_schema!({"anyOf": [one, {"type": "array", "minItems": 1, "items": one}]})
}

fn event_id(_: &mut SchemaGenerator) -> Schema {
    let ids: Vec<&str> = catalog::events().iter().map(|e| e.id.as_str()).collect();
    json_schema!({"enum": ids})
}
