//! The catalog: the events PIM sends, who gets each one and on what basis, the notification
//! settings that govern them, who the default recipients are in each scope, and the Entra
//! built-in roles. All of it is data shipped in `policies/catalog/` and embedded here.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use serde::Deserialize;

use crate::recipient::Placeholder;

const EVENTS_YAML: &str = include_str!("../policies/catalog/events.yaml");
const PLACEHOLDERS_YAML: &str = include_str!("../policies/catalog/placeholders.yaml");
const ENTRA_ROLES_YAML: &str = include_str!("../policies/catalog/entra-roles.yaml");

/// Which PIM product a policy describes. It decides who the placeholders are and which
/// sections of the catalog exist.
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

    /// Whether the scope has default approvers of its own: Entra's Privileged Role
    /// Administrators. Azure resources and groups have none (DESIGN §1).
    pub fn has_default_approvers(self) -> bool {
        !placeholder_in(Placeholder::Approvers, self).nobody
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

    /// Whether a role's notification settings govern the section's emails. Alerts are
    /// switched under `alerts:`, reviews belong to `reviews:`, and the digest has no setting.
    pub fn has_settings(self) -> bool {
        matches!(self, Section::Eligible | Section::Active | Section::Activation)
    }

    /// Whether every role gets the same answer to the section's events: they are about the
    /// tenant (or resource), not about one role.
    pub fn is_tenant_wide(self) -> bool {
        matches!(self, Section::Alert | Section::Digest)
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
    pub graph_rule_id: &'static str,
    pub admin_center_row: &'static str,
}

const fn setting(
    section: Section,
    audience: Audience,
    graph_rule_id: &'static str,
    admin_center_row: &'static str,
) -> SettingInfo {
    SettingInfo { id: SettingId { section, audience }, graph_rule_id, admin_center_row }
}

/// The nine per-role settings, in admin-center order: one per Graph notification rule.
pub static SETTINGS: [SettingInfo; 9] = [
    setting(
        Section::Eligible,
        Audience::Admin,
        "Notification_Admin_Admin_Eligibility",
        "Members assigned as eligible: role assignment alert",
    ),
    setting(
        Section::Eligible,
        Audience::Assignee,
        "Notification_Requestor_Admin_Eligibility",
        "Members assigned as eligible: notification to the assigned user",
    ),
    setting(
        Section::Eligible,
        Audience::Approver,
        "Notification_Approver_Admin_Eligibility",
        "Members assigned as eligible: request to approve a renewal or extension",
    ),
    setting(
        Section::Active,
        Audience::Admin,
        "Notification_Admin_Admin_Assignment",
        "Members assigned as active: role assignment alert",
    ),
    setting(
        Section::Active,
        Audience::Assignee,
        "Notification_Requestor_Admin_Assignment",
        "Members assigned as active: notification to the assigned user",
    ),
    setting(
        Section::Active,
        Audience::Approver,
        "Notification_Approver_Admin_Assignment",
        "Members assigned as active: request to approve a renewal or extension",
    ),
    setting(
        Section::Activation,
        Audience::Admin,
        "Notification_Admin_EndUser_Assignment",
        "Eligible members activate the role: role activation alert",
    ),
    setting(
        Section::Activation,
        Audience::Assignee,
        "Notification_Requestor_EndUser_Assignment",
        "Eligible members activate the role: notification to the activated user",
    ),
    setting(
        Section::Activation,
        Audience::Approver,
        "Notification_Approver_EndUser_Assignment",
        "Eligible members activate the role: request to approve an activation",
    ),
];

/// Settings of version 1 that no longer exist, and what replaced each (PN007).
pub const REMOVED_SETTINGS: [(&str, &str); 5] = [
    ("alert.admin", "security alerts have no recipient list: switch each alert on or off under `alerts:`"),
    ("digest.admin", "the weekly digest has no setting: remove it"),
    ("review.reviewer", "access review emails belong to each review: use `reviews:` with `reviewers:`"),
    ("review.admin", "access review emails belong to each review: use `reviews:` with `completed_extra:`"),
    ("review.assignee", "self-reviews are a review's reviewers: use `reviews:` with `reviewers: [self]`"),
];

/// What replaced a setting of version 1, if `name` is one.
pub fn removed_setting(name: &str) -> Option<&'static str> {
    REMOVED_SETTINGS.iter().find(|(n, _)| *n == name).map(|(_, replacement)| *replacement)
}

impl SettingId {
    /// Parses `section.audience`; `None` unless it is one of the nine settings.
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

    /// The events this setting governs (in any scope), in catalog order.
    pub fn events(self) -> impl Iterator<Item = &'static Event> {
        events().iter().filter(move |e| e.section == self.section && e.has_audience(self.audience))
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

/// A Microsoft Learn page the catalog cites.
#[derive(Debug)]
pub struct Page {
    /// Short id used in the catalog files.
    pub id: String,
    pub title: String,
    pub url: String,
}

/// How sure the model is that an audience gets an email.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Basis {
    /// A Microsoft page says so.
    Documented,
    /// No Microsoft page says so; the catalog says why it is there.
    Assumed,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Documented => "documented",
            Basis::Assumed => "assumed",
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The evidence for one fact: the pages that document it, or why it is assumed.
#[derive(Debug)]
pub struct Evidence {
    pub basis: Basis,
    /// The pages that say so (empty when assumed).
    pub pages: Vec<&'static Page>,
    /// Why it is assumed, or a fact about the documentation worth knowing.
    pub note: Option<String>,
}

impl Evidence {
    /// The page titles, or the reason it is assumed, in one line.
    pub fn summary(&self) -> String {
        match self.basis {
            Basis::Assumed => format!("assumed: {}", self.note.as_deref().unwrap_or_default()),
            Basis::Documented => {
                let titles: Vec<&str> = self.pages.iter().map(|p| p.title.as_str()).collect();
                format!("documented: {}", titles.join("; "))
            }
        }
    }
}

/// One audience of an event: who gets it by default, where, and on what basis.
#[derive(Debug)]
pub struct AudienceEntry {
    pub audience: Audience,
    /// The audience's default recipients (named by the policy's directory or a snapshot).
    pub default: Placeholder,
    /// The scopes where this audience gets the event (a subset of the event's).
    pub scopes: Vec<Scope>,
    evidence: Evidence,
    by_scope: Vec<(Scope, Evidence)>,
}

impl AudienceEntry {
    pub fn exists_in(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// The basis of this audience in `scope`.
    pub fn evidence_in(&self, scope: Scope) -> &Evidence {
        self.by_scope.iter().find(|(s, _)| *s == scope).map_or(&self.evidence, |(_, b)| b)
    }

    pub fn basis_in(&self, scope: Scope) -> Basis {
        self.evidence_in(scope).basis
    }
}

/// One email PIM sends.
#[derive(Debug)]
pub struct Event {
    /// `section.name`, e.g. `activation.completed`.
    pub id: String,
    pub name: String,
    pub title: String,
    pub section: Section,
    pub critical: bool,
    pub requires: Option<Requirement>,
    pub scopes: Vec<Scope>,
    /// An alert that shows on the PIM dashboard and emails nobody.
    pub dashboard_only: bool,
    audiences: Vec<AudienceEntry>,
}

impl Event {
    /// The setting that governs `audience` of this event; `None` outside the sections with
    /// settings (alerts, the digest, reviews).
    pub fn setting_for(&self, audience: Audience) -> Option<SettingId> {
        self.section.has_settings().then_some(SettingId { section: self.section, audience })
    }

    pub fn exists_in(&self, scope: Scope) -> bool {
        self.scopes.contains(&scope)
    }

    /// Every audience, whatever the scope, in catalog order.
    pub fn audience_entries(&self) -> &[AudienceEntry] {
        &self.audiences
    }

    /// The audiences that get the event in `scope`, in catalog order.
    pub fn audiences_in(&self, scope: Scope) -> impl Iterator<Item = &AudienceEntry> {
        self.audiences.iter().filter(move |a| a.exists_in(scope))
    }

    /// Whether `audience` gets the event in some scope.
    pub fn has_audience(&self, audience: Audience) -> bool {
        self.audiences.iter().any(|a| a.audience == audience)
    }

    /// The entry of `audience`, if the event has it in some scope.
    pub fn audience(&self, audience: Audience) -> Option<&AudienceEntry> {
        self.audiences.iter().find(|a| a.audience == audience)
    }
}

/// Who an audience's default recipients are in a section: approvers of an extension or
/// renewal are the role's administrators, not its activation approvers (DESIGN §1).
pub fn default_placeholder(section: Section, audience: Audience) -> Placeholder {
    match (section, audience) {
        (Section::Eligible | Section::Active, Audience::Approver) => Placeholder::RoleAdmins,
        (_, Audience::Approver) => Placeholder::Approvers,
        (_, Audience::Admin) => Placeholder::Admins,
        (_, Audience::Assignee) => Placeholder::Assignee,
        (_, Audience::Reviewer) => Placeholder::Reviewers,
    }
}

/// Which holders of a role count as a placeholder's people.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Assignment {
    /// Holders active now: permanently active or activated.
    Activated,
    /// Holders active without activation.
    Permanent,
    /// Eligible holders too.
    Any,
}

/// Who a placeholder stands for in one scope.
#[derive(Debug)]
pub struct PlaceholderScope {
    /// The people, in words; empty when [`Self::nobody`].
    pub who: String,
    /// There are no such people by default in this scope.
    pub nobody: bool,
    /// Roles whose holders they are (directory roles, a group's `owner`, Azure roles).
    pub holders: Vec<String>,
    pub assignment: Option<Assignment>,
    pub evidence: Evidence,
}

/// Who `placeholder` stands for in `scope`.
pub fn placeholder_in(placeholder: Placeholder, scope: Scope) -> &'static PlaceholderScope {
    &catalog().placeholders[&(placeholder, scope)]
}

/// Every page the catalog cites.
pub fn pages() -> &'static [Page] {
    static PAGES: OnceLock<Vec<Page>> = OnceLock::new();
    PAGES.get_or_init(|| {
        let file: PagesFile =
            serde_saphyr::from_str(EVENTS_YAML).expect("the embedded event catalog is YAML");
        file.pages.into_iter().map(|(id, p)| Page { id, title: p.title, url: p.url }).collect()
    })
}

/// Every event, in catalog order.
pub fn events() -> &'static [Event] {
    &catalog().events
}

pub fn find_event(id: &str) -> Option<&'static Event> {
    events().iter().find(|e| e.id == id)
}

/// The alert named `name` (the part after `alert.`).
pub fn find_alert(name: &str) -> Option<&'static Event> {
    events().iter().find(|e| e.section == Section::Alert && e.name == name)
}

struct Catalog {
    events: Vec<Event>,
    placeholders: BTreeMap<(Placeholder, Scope), PlaceholderScope>,
}

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| {
        let events: EventsFile =
            serde_saphyr::from_str(EVENTS_YAML).expect("the embedded event catalog is YAML");
        let placeholders: PlaceholdersFile =
            serde_saphyr::from_str(PLACEHOLDERS_YAML).expect("the embedded placeholder table is YAML");
        let built = Builder { pages: pages() };
        Catalog {
            events: events.sections.into_iter().flat_map(|s| built.section(s)).collect(),
            placeholders: built.placeholders(placeholders),
        }
    })
}

/// Turns the catalog files into the catalog, refusing dangling page ids and empty bases.
struct Builder {
    pages: &'static [Page],
}

impl Builder {
    fn page(&self, id: &str) -> &'static Page {
        self.pages.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("catalog cites unknown page `{id}`"))
    }

    fn evidence(&self, raw: RawBasis, what: &str) -> Evidence {
        match (raw.documented, raw.assumed) {
            (Some(pages), None) if !pages.is_empty() => Evidence {
                basis: Basis::Documented,
                pages: pages.iter().map(|id| self.page(id)).collect(),
                note: raw.note,
            },
            (None, Some(why)) if raw.note.is_none() => {
                Evidence { basis: Basis::Assumed, pages: Vec::new(), note: Some(why) }
            }
            _ => panic!("{what}: a basis is `documented: [pages]` (with an optional note) or `assumed: why`"),
        }
    }

    fn section(&self, section: RawSection) -> Vec<Event> {
        let RawSection { id, scopes, events, .. } = section;
        events.into_iter().map(|e| self.event(id, &scopes, e)).collect()
    }

    fn event(&self, section: Section, section_scopes: &[Scope], raw: RawEvent) -> Event {
        let id = format!("{section}.{}", raw.name);
        let scopes = raw.scopes.unwrap_or_else(|| section_scopes.to_vec());
        let audiences = raw.audiences.into_iter().map(|a| self.audience(section, &id, &scopes, a)).collect();
        Event {
            id,
            name: raw.name,
            title: raw.title,
            section,
            critical: raw.critical,
            requires: raw.requires,
            scopes,
            dashboard_only: raw.dashboard_only,
            audiences,
        }
    }

    fn audience(&self, section: Section, event: &str, scopes: &[Scope], raw: RawAudience) -> AudienceEntry {
        let what = format!("{event} {}", raw.audience);
        let by_scope = raw.by_scope.into_iter().map(|(s, b)| (s, self.evidence(b, &what))).collect();
        AudienceEntry {
            audience: raw.audience,
            default: default_placeholder(section, raw.audience),
            scopes: raw.scopes.unwrap_or_else(|| scopes.to_vec()),
            evidence: self.evidence(
                RawBasis { documented: raw.documented, assumed: raw.assumed, note: raw.note },
                &what,
            ),
            by_scope,
        }
    }

    fn placeholders(&self, file: PlaceholdersFile) -> BTreeMap<(Placeholder, Scope), PlaceholderScope> {
        let mut table = BTreeMap::new();
        for entry in file.placeholders {
            let placeholder = Placeholder::parse(&entry.placeholder)
                .unwrap_or_else(|| panic!("unknown placeholder `{}`", entry.placeholder));
            for (scope, raw) in entry.scopes {
                let basis = RawBasis { documented: raw.documented, assumed: raw.assumed, note: raw.note };
                let evidence = self.evidence(basis, &entry.placeholder);
                let value = PlaceholderScope {
                    who: raw.who.unwrap_or_default(),
                    nobody: raw.nobody,
                    holders: raw.holders,
                    assignment: raw.assignment,
                    evidence,
                };
                table.insert((placeholder, scope), value);
            }
        }
        table
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EventsFile {
    #[allow(dead_code)]
    pages: BTreeMap<String, RawPage>,
    sections: Vec<RawSection>,
}

/// The same file, read for its pages only.
#[derive(Deserialize)]
struct PagesFile {
    pages: BTreeMap<String, RawPage>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPage {
    title: String,
    url: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSection {
    id: Section,
    #[allow(dead_code)]
    title: String,
    scopes: Vec<Scope>,
    events: Vec<RawEvent>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEvent {
    name: String,
    title: String,
    #[serde(default)]
    critical: bool,
    requires: Option<Requirement>,
    /// Narrows the section's scopes for this one event.
    scopes: Option<Vec<Scope>>,
    #[serde(default)]
    dashboard_only: bool,
    audiences: Vec<RawAudience>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAudience {
    audience: Audience,
    /// Narrows the event's scopes for this one audience.
    scopes: Option<Vec<Scope>>,
    documented: Option<Vec<String>>,
    assumed: Option<String>,
    note: Option<String>,
    #[serde(rename = "in", default)]
    by_scope: BTreeMap<Scope, RawBasis>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawBasis {
    documented: Option<Vec<String>>,
    assumed: Option<String>,
    note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PlaceholdersFile {
    placeholders: Vec<RawPlaceholder>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaceholder {
    placeholder: String,
    #[serde(rename = "in")]
    scopes: BTreeMap<Scope, RawPlaceholderScope>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPlaceholderScope {
    who: Option<String>,
    #[serde(default)]
    nobody: bool,
    #[serde(default)]
    holders: Vec<String>,
    assignment: Option<Assignment>,
    documented: Option<Vec<String>>,
    assumed: Option<String>,
    note: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_files_load_and_every_audience_has_a_basis() {
        assert!(events().len() > 30);
        for event in events() {
            assert!(!event.audience_entries().is_empty(), "{} has no audience", event.id);
            for scope in &event.scopes {
                for entry in event.audiences_in(*scope) {
                    let evidence = entry.evidence_in(*scope);
                    match evidence.basis {
                        Basis::Documented => {
                            assert!(!evidence.pages.is_empty(), "{} {}", event.id, entry.audience)
                        }
                        Basis::Assumed => assert!(evidence.note.is_some(), "{} {}", event.id, entry.audience),
                    }
                }
            }
        }
    }

    #[test]
    fn every_audience_exists_in_some_scope_of_its_event() {
        for event in events() {
            for entry in event.audience_entries() {
                assert!(!entry.scopes.is_empty(), "{} {}", event.id, entry.audience);
                assert!(entry.scopes.iter().all(|s| event.exists_in(*s)), "{} {}", event.id, entry.audience);
            }
        }
    }

    #[test]
    fn every_placeholder_is_described_in_every_scope() {
        for placeholder in Placeholder::ALL {
            for scope in Scope::ALL {
                let p = placeholder_in(placeholder, scope);
                assert!(p.nobody || !p.who.is_empty(), "{} in {scope}", placeholder.as_str());
            }
        }
    }
}
