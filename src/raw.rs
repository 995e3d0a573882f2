//! The policy file exactly as written: serde structs that keep every value's position.
//! Nothing here is checked beyond YAML types and known keys; `load` validates the rest so
//! that one run reports every problem.

use std::fmt;
use std::marker::PhantomData;

use schemars::JsonSchema;
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

use crate::schema as s;

pub type Text = Spanned<String>;
pub type Flag = Option<Spanned<bool>>;
pub type RecipientList = Option<Spanned<Vec<Text>>>;

/// Keys of each mapping, for the format reference's completeness test.
pub const POLICY_KEYS: &[&str] =
    &["version", "scope", "directory", "groups", "defaults", "alerts", "reviews", "roles"];
pub const ROLE_KEYS: &[&str] =
    &["name", "id", "policy_id", "approval_required", "approvers", "settings", "lint"];
pub const SETTING_KEYS: &[&str] = &["disabled", "default_recipients", "extra", "critical_only", "inherit"];
pub const DIRECTORY_KEYS: &[&str] = &["admins", "default_approvers", "role_admins"];
pub const ALERT_KEYS: &[&str] = &["enabled"];
pub const REVIEW_KEYS: &[&str] =
    &["name", "roles", "reviewers", "fallback", "mail", "reminders", "completed_extra"];
/// Keys of version 1 that version 2 replaced; the loader says what replaced them (PN007).
pub const REMOVED_KEYS: &[&str] = &["directory.reviewers", "roles[].reviewers"];

/// A pim-notify policy: which roles exist, the default recipient rules and per-role
/// overrides of Microsoft Entra PIM notification settings.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "pim-notify policy", rename = "Policy")]
pub struct RawPolicy {
    /// Policy file format version: 2 (version 1 files still load).
    #[schemars(default, schema_with = "s::version", extend("default" = 2))]
    pub version: Option<Spanned<i64>>,
    /// Which PIM the policy describes; decides the `admin` audience, default approvers and
    /// which event sections exist. Default: `entra-roles`.
    #[schemars(default, schema_with = "s::scope", extend("default" = "entra-roles"))]
    pub scope: Option<Text>,
    /// Who the audiences resolve to when a setting sends to its default recipients.
    pub directory: Option<RawDirectory>,
    /// Named recipient groups, used as `group:NAME`; groups may nest, cycles are an error.
    #[schemars(default, schema_with = "s::groups")]
    pub groups: Option<SpannedMap<Option<Vec<Text>>>>,
    /// Settings applied to every role of the file.
    #[schemars(default, schema_with = "s::settings")]
    pub defaults: Option<SpannedMap<RawSetting>>,
    /// Security alerts switched on or off (every alert is on by default).
    #[schemars(default, schema_with = "s::alerts")]
    pub alerts: Option<SpannedMap<RawAlert>>,
    /// Access reviews and the emails they send.
    #[schemars(with = "Option<Vec<RawReview>>")]
    pub reviews: Option<Vec<Spanned<RawReview>>>,
    /// Per-role overrides. A name or id of an Entra built-in role overrides it; any other
    /// entry adds a custom role.
    #[schemars(with = "Option<Vec<RawRole>>")]
    pub roles: Option<Vec<Spanned<RawRole>>>,
}

/// Who the audiences are when the policy does not say per role.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Directory")]
pub struct RawDirectory {
    /// The `admin` audience (`<admins>` by default: the scope's administrators).
    #[schemars(default, schema_with = "s::recipient_list")]
    pub admins: RecipientList,
    /// Approvers of activations of roles that list none (`<approvers>`; Entra roles only:
    /// groups and Azure resources have no default approvers).
    #[schemars(default, schema_with = "s::recipient_list")]
    pub default_approvers: RecipientList,
    /// Who approves extensions and renewals of assignments (`<role-admins>` by default).
    #[schemars(default, schema_with = "s::recipient_list")]
    pub role_admins: RecipientList,
    /// Version 1 only: reviewers now belong to each review (`reviews:`).
    #[schemars(skip)]
    pub reviewers: RecipientList,
}

/// One role: an override of an Entra built-in role (same name or id) or a custom role.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Role")]
pub struct RawRole {
    /// Role name; matched case-insensitively against the Entra built-in roles.
    #[schemars(schema_with = "s::role_name")]
    pub name: Text,
    /// Role template or definition id (a GUID).
    #[schemars(default, schema_with = "s::guid")]
    pub id: Option<Text>,
    /// The Graph `unifiedRoleManagementPolicy` id, kept for `export graph`.
    #[schemars(with = "Option<String>")]
    pub policy_id: Option<Text>,
    /// Activation requires approval, so `activation.requested` is sent to approvers.
    #[schemars(with = "Option<bool>")]
    pub approval_required: Flag,
    /// Who approves activations of this role (default: the directory's default approvers).
    #[schemars(default, schema_with = "s::recipient_list")]
    pub approvers: RecipientList,
    /// Version 1 only: reviewers now belong to each review (`reviews:`).
    #[schemars(skip)]
    pub reviewers: RecipientList,
    /// Per-role setting overrides.
    #[schemars(default, schema_with = "s::settings")]
    pub settings: Option<SpannedMap<RawSetting>>,
    /// Lint options for this role.
    pub lint: Option<RawRoleLint>,
}

/// One notification setting (an admin-center row); unset fields keep the value of the layer
/// below (built-in, then `defaults:`).
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Setting")]
pub struct RawSetting {
    /// Nothing is sent (Graph `notificationLevel: None`).
    #[schemars(with = "Option<bool>")]
    pub disabled: Flag,
    /// The audience's default recipients get the email (Graph `isDefaultRecipientsEnabled`);
    /// built-in default: true.
    #[schemars(with = "Option<bool>")]
    pub default_recipients: Flag,
    /// Additional recipients (Graph `notificationRecipients`); adds up across layers.
    #[schemars(default, schema_with = "s::recipient_list")]
    pub extra: RecipientList,
    /// Only critical events are sent (Graph `notificationLevel: Critical`).
    #[schemars(with = "Option<bool>")]
    pub critical_only: Flag,
    /// `false` drops the `defaults:` layer for this setting of this role.
    #[schemars(with = "Option<bool>")]
    pub inherit: Flag,
}

/// One security alert under `alerts:`.
#[derive(Deserialize, Default, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Alert")]
pub struct RawAlert {
    /// PIM raises the alert (and, for the one alert that emails, sends it); default true.
    #[schemars(with = "Option<bool>")]
    pub enabled: Flag,
}

/// One access review: which roles it covers, who reviews, and which emails it sends.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "Review")]
pub struct RawReview {
    /// The review's name, as in the admin center.
    #[schemars(with = "String")]
    pub name: Text,
    /// Role names, ids or globs (`*Administrator`) the review covers.
    #[schemars(schema_with = "s::review_roles")]
    pub roles: Spanned<Vec<Text>>,
    /// Who reviews: recipients, or `[self]` (the members review their own access), or
    /// `[manager]` (each member's manager; see `fallback`). Default: `<reviewers>`.
    #[schemars(default, schema_with = "s::reviewers")]
    pub reviewers: RecipientList,
    /// With `reviewers: [manager]`: who reviews members that have no manager.
    #[schemars(default, schema_with = "s::recipient_list")]
    pub fallback: RecipientList,
    /// Emails to reviewers when the review starts and to administrators when it completes.
    #[schemars(with = "Option<bool>", extend("default" = true))]
    pub mail: Flag,
    /// Reminder emails to reviewers while the review is in progress.
    #[schemars(with = "Option<bool>", extend("default" = true))]
    pub reminders: Flag,
    /// More recipients of the completion email.
    #[schemars(default, schema_with = "s::recipient_list")]
    pub completed_extra: RecipientList,
}

/// Lint options of one role.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(rename = "RoleLint")]
pub struct RawRoleLint {
    /// Lint codes allowed for this role, each with the written reason why.
    #[schemars(default, schema_with = "s::lint_allow")]
    pub allow: Option<SpannedMap<Text>>,
}

/// A mapping whose keys keep their positions and order. Duplicate keys never reach it: the
/// parser refuses them.
pub struct SpannedMap<V>(pub Vec<(Text, V)>);

impl<V> Default for SpannedMap<V> {
    fn default() -> Self {
        SpannedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SpannedMapVisitor(PhantomData))
    }
}

struct SpannedMapVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for SpannedMapVisitor<V> {
    type Value = SpannedMap<V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(key) = map.next_key::<Text>()? {
            let value = map.next_value::<V>()?;
            entries.push((key, value));
        }
        Ok(SpannedMap(entries))
    }
}
