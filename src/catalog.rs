//! The catalog: the events PIM sends, the notification settings that govern them, and the
//! Entra built-in roles. All of it is data shipped in `policies/catalog/` and embedded here.

use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

const EVENTS_YAML: &str = include_str!("../policies/catalog/events.yaml");
const ENTRA_ROLES_YAML: &str = include_str!("../policies/catalog/entra-roles.yaml");

/// Which PIM product a policy describes. It decides who `<admins>` and `<approvers>` are and
/// which sections of the catalog exist.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    EntraRoles,
    AzureResources,
    Groups,
}

impl Scope {
    pub const ALL: [Scope; 3] = [Scope::EntraRoles, Scope::AzureResources, Scope::Groups];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::EntraRoles => "entra-roles",
            Scope::AzureResources => "azure-resources",
            Scope::Groups => "groups",
        }
    }

    pub fn parse(text: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Who the `admin` audience is when the policy's directory does not say.
    pub fn admins_description(self) -> &'static str {
        match self {
            Scope::EntraRoles => "activated Global, Privileged Role and Security Administrators",
            Scope::AzureResources => "Owners and User Access Administrators of the resource",
            Scope::Groups => "Owners of the group",
        }
    }

    /// Whether the scope has default approvers of its own (`<approvers>`).
    pub fn has_default_approvers(self) -> bool {
        !matches!(self, Scope::Groups)
    }

    pub fn approvers_description(self) -> &'static str {
        match self {
            Scope::Groups => "nobody",
            _ => "Privileged Role and Global Administrators",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A section of the catalog: the part of the admin center a group of emails belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    Eligible,
    Active,
    Activation,
    Alert,
    Digest,
    Review,
}

impl Section {
    pub const ALL: [Section; 6] = [
        Section::Eligible,
        Section::Active,
        Section::Activation,
        Section::Alert,
        Section::Digest,
        Section::Review,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Section::Eligible => "eligible",
            Section::Active => "active",
            Section::Activation => "activation",
            Section::Alert => "alert",
            Section::Digest => "digest",
            Section::Review => "review",
        }
    }

    /// Tenant-wide sections have no per-role settings: they may only be set under `defaults:`.
    pub fn is_tenant_wide(self) -> bool {
        matches!(self, Section::Alert | Section::Digest | Section::Review)
    }
}

impl fmt::Display for Section {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who an email is addressed to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    Admin,
    Assignee,
    Approver,
    Reviewer,
}

impl Audience {
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Admin => "admin",
            Audience::Assignee => "assignee",
            Audience::Approver => "approver",
            Audience::Reviewer => "reviewer",
        }
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One notification setting (an admin-center row): section `S` and audience `A` make `S.A`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SettingId {
    pub section: Section,
    pub audience: Audience,
}

/// Facts about one setting: the Graph notification rule behind it and its admin-center row.
#[derive(Debug)]
pub struct SettingInfo {
    pub id: SettingId,
    /// `None` for tenant-wide settings, which have no per-role Graph rule.
    pub graph_rule_id: Option<&'static str>,
    pub admin_center_row: &'static str,
}

const fn setting(section: Section, audience: Audience) -> SettingId {
    SettingId { section, audience }
}

/// Every setting a policy may name, per-role ones first, in admin-center order.
pub static SETTINGS: [SettingInfo; 14] = [
    per_role(
        Section::Eligible,
        Audience::Admin,
        "Notification_Admin_Admin_Eligibility",
        "Members assigned as eligible: role assignment alert",
    ),
    per_role(
        Section::Eligible,
        Audience::Assignee,
        "Notification_Requestor_Admin_Eligibility",
        "Members assigned as eligible: notification to the assigned user",
    ),
    per_role(
        Section::Eligible,
        Audience::Approver,
        "Notification_Approver_Admin_Eligibility",
        "Members assigned as eligible: request to approve a renewal or extension",
    ),
    per_role(
        Section::Active,
        Audience::Admin,
        "Notification_Admin_Admin_Assignment",
        "Members assigned as active: role assignment alert",
    ),
    per_role(
        Section::Active,
        Audience::Assignee,
        "Notification_Requestor_Admin_Assignment",
        "Members assigned as active: notification to the assigned user",
    ),
    per_role(
        Section::Active,
        Audience::Approver,
        "Notification_Approver_Admin_Assignment",
        "Members assigned as active: request to approve a renewal or extension",
    ),
    per_role(
        Section::Activation,
        Audience::Admin,
        "Notification_Admin_EndUser_Assignment",
        "Eligible members activate the role: role activation alert",
    ),
    per_role(
        Section::Activation,
        Audience::Assignee,
        "Notification_Requestor_EndUser_Assignment",
        "Eligible members activate the role: notification to the activated user",
    ),
    per_role(
        Section::Activation,
        Audience::Approver,
        "Notification_Approver_EndUser_Assignment",
        "Eligible members activate the role: request to approve an activation",
    ),
    tenant_wide(Section::Alert, Audience::Admin, "Alerts: security alert emails to administrators"),
    tenant_wide(Section::Digest, Audience::Admin, "Weekly digest to administrators"),
    tenant_wide(Section::Review, Audience::Reviewer, "Access reviews: emails to reviewers"),
    tenant_wide(Section::Review, Audience::Admin, "Access reviews: emails to administrators"),
    tenant_wide(Section::Review, Audience::Assignee, "Access reviews: self-review emails to members"),
];

const fn per_role(
    section: Section,
    audience: Audience,
    rule: &'static str,
    row: &'static str,
) -> SettingInfo {
    SettingInfo { id: setting(section, audience), graph_rule_id: Some(rule), admin_center_row: row }
}

const fn tenant_wide(section: Section, audience: Audience, row: &'static str) -> SettingInfo {
    SettingInfo { id: setting(section, audience), graph_rule_id: None, admin_center_row: row }
}

impl SettingId {
    /// Parses `section.audience`; `None` unless it is one of the fourteen settings.
    pub fn parse(text: &str) -> Option<SettingId> {
        // Compared in parts: the loader parses one per override, so no string is built.
        let (section, audience) = text.split_once('.')?;
        SETTINGS
            .iter()
            .map(|s| s.id)
            .find(|id| id.section.as_str() == section && id.audience.as_str() == audience)
    }

    pub fn info(self) -> &'static SettingInfo {
        SETTINGS.iter().find(|s| s.id == self).expect("every SettingId is in SETTINGS")
    }

    /// Position in [`SETTINGS`], handy for fixed-size tables.
    pub fn index(self) -> usize {
        SETTINGS.iter().position(|s| s.id == self).expect("every SettingId is in SETTINGS")
    }

    pub fn is_tenant_wide(self) -> bool {
        self.section.is_tenant_wide()
    }

    /// The events this setting governs, in catalog order.
    pub fn events(self) -> impl Iterator<Item = &'static Event> {
        events().iter().filter(move |e| e.section == self.section && e.audiences.contains(&self.audience))
    }

    /// True when every event the setting governs is critical, so `critical_only` changes nothing.
    pub fn all_events_critical(self) -> bool {
        self.events().all(|e| e.critical)
    }

    pub fn names() -> impl Iterator<Item = String> {
        SETTINGS.iter().map(|s| s.id.to_string())
    }
}

impl fmt::Display for SettingId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.section, self.audience)
    }
}

/// A condition an event needs beyond its section being in scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Requirement {
    /// The role requires approval to activate.
    Approval,
}

/// One email PIM sends.
#[derive(Debug)]
pub struct Event {
    /// `section.name`, e.g. `activation.completed`.
    pub id: String,
    pub name: String,
    pub title: String,
    pub section: Section,
    pub audiences: Vec<Audience>,
    pub critical: bool,
    pub requires: Option<Requirement>,
    pub scopes: Vec<Scope>,
}

impl Event {
    pub fn setting_for(&self, audience: Audience) -> SettingId {
        SettingId { section: self.section, audience }
    }

    pub fn exists_in(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CatalogFile {
    sections: Vec<SectionEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SectionEntry {
    id: Section,
    #[allow(dead_code)]
    title: String,
    scopes: Vec<Scope>,
    events: Vec<EventEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventEntry {
    name: String,
    title: String,
    audiences: Vec<Audience>,
    #[serde(default)]
    critical: bool,
    requires: Option<Requirement>,
    /// Narrows the section's scopes for this one event.
    scopes: Option<Vec<Scope>>,
}

/// Every event, in catalog order.
pub fn events() -> &'static [Event] {
    static EVENTS: OnceLock<Vec<Event>> = OnceLock::new();
    EVENTS.get_or_init(|| {
        let file: CatalogFile =
            serde_saphyr::from_str(EVENTS_YAML).expect("the embedded event catalog is valid");
        file.sections.into_iter().flat_map(section_events).collect()
    })
}

fn section_events(section: SectionEntry) -> Vec<Event> {
    let SectionEntry { id, scopes, events, .. } = section;
    events
        .into_iter()
        .map(|e| Event {
            id: format!("{id}.{}", e.name),
            name: e.name,
            title: e.title,
            section: id,
            audiences: e.audiences,
            critical: e.critical,
            requires: e.requires,
            scopes: e.scopes.unwrap_or_else(|| scopes.clone()),
        })
        .collect()
}

pub fn find_event(id: &str) -> Option<&'static Event> {
    events().iter().find(|e| e.id == id)
}

/// An Entra built-in directory role.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BuiltinRole {
    pub name: String,
    /// The role template id, a lowercase GUID.
    pub id: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RolesFile {
    roles: Vec<BuiltinRole>,
}

/// Every Entra built-in role, sorted by name.
pub fn entra_roles() -> &'static [BuiltinRole] {
    static ROLES: OnceLock<Vec<BuiltinRole>> = OnceLock::new();
    ROLES.get_or_init(|| {
        let file: RolesFile =
            serde_saphyr::from_str(ENTRA_ROLES_YAML).expect("the embedded role table is valid");
        file.roles
    })
}

/// The roles CISA SCuBA (MS.AAD.7) calls highly privileged, the default list for PN2xx rules.
pub const HIGHLY_PRIVILEGED_ROLES: [&str; 8] = [
    "Global Administrator",
    "Privileged Role Administrator",
    "User Administrator",
    "SharePoint Administrator",
    "Exchange Administrator",
    "Hybrid Identity Administrator",
    "Application Administrator",
    "Cloud Application Administrator",
];
