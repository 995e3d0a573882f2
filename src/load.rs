//! Parse a policy file and validate it into a [`Policy`], collecting every structural problem
//! (PN0xx) in one pass instead of stopping at the first.

use indexmap::IndexMap;
use serde_saphyr::{Budget, Options, Spanned};

use crate::catalog::{self, Scope, SettingId};
use crate::diagnostic::Diagnostic;
use crate::model::{
    AlertSwitch, Alerts, Directory, Group, LintAllow, LocatedRecipient, Policy, RecipientList, Review,
    Reviewers, Role, SettingOverride, Settings, CURRENT_VERSION,
};
use crate::raw::{RawAlert, RawDirectory, RawPolicy, RawReview, RawRole, RawSetting, SpannedMap, Text};
use crate::recipient::{is_guid, Recipient};
use crate::span::{Located, Pos};
use crate::suggest::did_you_mean;

/// A policy and the problems found while validating it. Errors mean parts of the file were
/// left out of the policy; callers that answer questions should refuse to when there are any.
#[derive(Debug)]
pub struct Loaded {
    pub policy: Policy,
    pub diagnostics: Vec<Diagnostic>,
}

impl Loaded {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }
}

/// Parses and validates a policy. `Err` is a file that could not be read as a policy at all
/// (PN001: not YAML, wrong types, unknown or duplicate keys).
pub fn load_str(source: &str, text: &str) -> Result<Loaded, Diagnostic> {
    let raw = parse(text)?;
    Ok(Validator::default().policy(source, raw))
}

/// Parse options whose budget grows with the input, so a 100,000-role file is accepted while
/// alias bombs (many nodes out of few bytes) are still refused.
pub fn parse_options(input_len: usize) -> Options {
    let mut budget = Budget::default();
    budget.max_nodes = budget.max_nodes.max(input_len / 2);
    budget.max_events = budget.max_events.max(input_len);
    budget.max_total_scalar_bytes = budget.max_total_scalar_bytes.max(input_len);
    let mut options = Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    options
}

pub(crate) fn parse(text: &str) -> Result<RawPolicy, Diagnostic> {
    let raw: Option<RawPolicy> =
        serde_saphyr::from_str_with_options(text, parse_options(text.len())).map_err(|e| parse_error(&e))?;
    Ok(raw.unwrap_or_default())
}

pub(crate) fn parse_error(error: &serde_saphyr::Error) -> Diagnostic {
    let pos = error.location().map(|l| Pos::of(&l)).filter(|p| p.line > 0);
    let at_root = pos.is_none_or(|p| p.line == 1 && p.column == 1);
    let message = in_policy_terms(first_line(&error.to_string()), at_root);
    let help = parse_help(&message);
    Diagnostic::error("PN001", message, pos).with_help(help)
}

/// The parser's wording, which names Rust types and API options, said in policy terms.
fn in_policy_terms(message: String, at_root: bool) -> String {
    if let Some(key) = message.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        return format!("duplicate key `{key}`");
    }
    if let Some(what) = message.strip_prefix("budget breached: ") {
        return format!(
            "the YAML expands beyond what is safe to read ({what}); alias bombs and oversized documents are refused"
        );
    }
    let plain = match message.as_str() {
        "recursion limit exceeded" => "the YAML nests deeper than 64 levels",
        "expected mapping start" if at_root => {
            "a policy file is a YAML mapping (`version: 2`, `roles:` ...), and this file is not one"
        }
        "expected mapping start" => "expected a mapping (`key: value` entries) here",
        "expected sequence start" => "expected a list here",
        "expected string scalar" => "expected a text value here",
        "invalid i64" => "expected a whole number here",
        "invalid boolean" => "expected `true` or `false` here",
        m if m.starts_with("cannot deserialize null") => "a value is required here, not null",
        m if m.starts_with("multiple YAML documents") => {
            "a second YAML document (`---`) starts here; a policy file holds one document"
        }
        _ => return message,
    };
    plain.to_string()
}

fn first_line(text: &str) -> String {
    let line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid YAML");
    let line = line.trim();
    // The parser appends " at line X column Y"; the position is reported separately.
    // Through an alias it adds " (defined at line X, column Y) (used at ...)"; the position
    // reported is where the alias is used.
    let line = line.split(" (defined at line ").next().unwrap_or(line);
    match line.find(" at line ") {
        Some(i) if i > 0 => line[..i].to_string(),
        _ => line.to_string(),
    }
}

/// Turns serde's "unknown field `x`, expected one of a, b" into a did-you-mean.
fn parse_help(message: &str) -> String {
    if let Some(rest) = message.strip_prefix("unknown field `") {
        let unknown = rest.split('`').next().unwrap_or_default();
        // serde lists the known keys after "expected one of", with or without backticks.
        let known = rest.split_once("expected one of ").map_or("", |(_, k)| k);
        let expected: Vec<&str> =
            known.split(',').map(|k| k.trim().trim_matches('`')).filter(|k| !k.is_empty()).collect();
        let hint = did_you_mean(unknown, expected.iter().copied());
        if !hint.is_empty() {
            return format!("remove or rename the key{hint}");
        }
        return format!("remove the key; known keys here are {}", expected.join(", "));
    }
    if message.contains("duplicate") {
        return "each key may appear once in a mapping; merge the two entries".into();
    }
    "fix the YAML at this position; see `pim-notify schema` for the file format".into()
}

#[derive(Default)]
struct Validator {
    diagnostics: Vec<Diagnostic>,
}

impl Validator {
    fn policy(mut self, source: &str, raw: RawPolicy) -> Loaded {
        let version = self.version(raw.version.as_ref());
        let (scope, scope_pos) = self.scope(raw.scope.as_ref());
        let groups = self.groups(raw.groups.unwrap_or_default());
        let directory = self.directory(scope, raw.directory.unwrap_or_default());
        let defaults = self.settings(raw.defaults.unwrap_or_default());
        let alerts = self.alerts(scope, raw.alerts.unwrap_or_default());
        let reviews = self.reviews(raw.reviews.unwrap_or_default());
        let roles = self.roles(scope, raw.roles.unwrap_or_default());
        let mut policy = Policy {
            source: source.to_string(),
            version,
            scope,
            scope_pos,
            directory,
            groups,
            defaults,
            alerts,
            reviews,
            roles,
            role_index: Default::default(),
        };
        policy.index_roles();
        self.check_group_references(&policy);
        self.check_group_cycles(&policy);
        self.check_group_depth(&policy);
        Loaded { policy, diagnostics: self.diagnostics }
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    fn version(&mut self, version: Option<&Spanned<i64>>) -> u32 {
        let Some(v) = version else { return CURRENT_VERSION };
        match u32::try_from(v.value) {
            Ok(known @ 1..=CURRENT_VERSION) => known,
            _ => {
                self.push(
                    Diagnostic::error(
                        "PN010",
                        format!("unsupported policy version {}", v.value),
                        Some(Pos::of_spanned(v)),
                    )
                    .with_help(format!(
                        "this pim-notify reads `version: {CURRENT_VERSION}` (and version 1 files)"
                    )),
                );
                CURRENT_VERSION
            }
        }
    }

    fn scope(&mut self, scope: Option<&Text>) -> (Scope, Option<Pos>) {
        let Some(text) = scope else { return (Scope::EntraRoles, None) };
        let pos = Pos::of_spanned(text);
        match Scope::parse(&text.value) {
            Some(scope) => (scope, Some(pos)),
            None => {
                let names = Scope::ALL.map(Scope::as_str);
                self.push(
                    Diagnostic::error("PN001", format!("unknown scope `{}`", text.value), Some(pos))
                        .with_help(format!(
                            "scope is one of entra-roles, azure-resources, groups{}",
                            did_you_mean(&text.value, names)
                        )),
                );
                (Scope::EntraRoles, Some(pos))
            }
        }
    }

    fn recipients(&mut self, list: Option<Spanned<Vec<Text>>>) -> Option<RecipientList> {
        let list = list?;
        let pos = Pos::of_spanned(&list);
        let items = list.value.into_iter().filter_map(|t| self.recipient(t)).collect();
        Some(RecipientList { pos, items })
    }

    fn recipient(&mut self, text: Text) -> Option<LocatedRecipient> {
        let pos = Pos::of_spanned(&text);
        match Recipient::parse(&text.value) {
            Ok(r) => Some(Located::new(r, pos)),
            Err(e) => {
                self.push(
                    Diagnostic::error(
                        "PN006",
                        format!("invalid recipient `{}`: {}", text.value, e.problem),
                        Some(pos),
                    )
                    .with_help(e.help),
                );
                None
            }
        }
    }

    fn directory(&mut self, scope: Scope, raw: RawDirectory) -> Directory {
        if let Some(list) = &raw.reviewers {
            self.not_allowed(
                "`directory.reviewers` was removed in version 2",
                Pos::of_spanned(list),
                "reviewers belong to each access review: list them under `reviews:` with `reviewers:`",
            );
        }
        let default_approvers = match raw.default_approvers {
            Some(list) if !scope.has_default_approvers() => {
                self.not_allowed(
                    &format!("scope {scope} has no default approvers, so `directory.default_approvers` describes nobody"),
                    Pos::of_spanned(&list),
                    "name the approvers of each role that requires approval with its `approvers:` list",
                );
                None
            }
            list => self.recipients(list),
        };
        Directory {
            admins: self.recipients(raw.admins),
            default_approvers,
            role_admins: self.recipients(raw.role_admins),
        }
    }

    /// PN007: something this version does not allow where it is written.
    fn not_allowed(&mut self, message: &str, pos: Pos, help: &str) {
        self.push(Diagnostic::error("PN007", message, Some(pos)).with_help(help));
    }

    fn alerts(&mut self, scope: Scope, raw: SpannedMap<RawAlert>) -> Alerts {
        let mut alerts = Vec::with_capacity(raw.0.len());
        for (key, value) in raw.0 {
            let pos = Pos::of_spanned(&key);
            let Some(alert) = catalog::find_alert(&key.value) else {
                let names = alert_names(None);
                let hint = did_you_mean(&key.value, names.iter().copied());
                self.push(
                    Diagnostic::error("PN002", format!("unknown alert `{}`", key.value), Some(pos))
                        .with_help(format!(
                            "alerts are named as in `pim-notify events` without `alert.`{hint}"
                        )),
                );
                continue;
            };
            if !alert.exists_in(scope) {
                let here = alert_names(Some(scope));
                let help = if here.is_empty() {
                    format!("scope {scope} has no security alerts; remove `alerts:`")
                } else {
                    format!("alerts of scope {scope}: {}", here.join(", "))
                };
                self.not_allowed(
                    &format!("alert `{}` does not exist in scope {scope}", key.value),
                    pos,
                    &help,
                );
                continue;
            }
            alerts.push(AlertSwitch { alert, pos, enabled: value.enabled.map(Located::from_spanned) });
        }
        Alerts(alerts)
    }

    fn reviews(&mut self, raw: Vec<Spanned<RawReview>>) -> Vec<Review> {
        let mut reviews: Vec<Review> = Vec::with_capacity(raw.len());
        for entry in raw {
            let pos = Pos::of_spanned(&entry);
            let review = self.review(pos, entry.value);
            if let Some(first) = reviews.iter().find(|r| r.name == review.name) {
                self.push(
                    Diagnostic::error(
                        "PN005",
                        format!("review `{}` is listed twice", review.name),
                        Some(pos),
                    )
                    .with_help(format!(
                        "give each review its own name; the first is at line {}",
                        first.pos.line
                    )),
                );
                continue;
            }
            reviews.push(review);
        }
        reviews
    }

    fn review(&mut self, pos: Pos, raw: RawReview) -> Review {
        let roles = raw.roles.value.into_iter().map(|t| {
            let glob = crate::glob::Glob::new(t.value.trim());
            (Located::from_spanned(t), glob)
        });
        let reviewers = self.reviewers(raw.reviewers, raw.fallback);
        Review {
            name: raw.name.value.into(),
            pos,
            roles: roles.collect(),
            reviewers,
            mail: raw.mail.map(Located::from_spanned),
            reminders: raw.reminders.map(Located::from_spanned),
            completed_extra: self.recipients(raw.completed_extra),
        }
    }

    /// `[self]`, `[manager]` (with `fallback`), or recipients.
    fn reviewers(
        &mut self,
        list: Option<Spanned<Vec<Text>>>,
        fallback: Option<Spanned<Vec<Text>>>,
    ) -> Reviewers {
        let alone = list.as_ref().and_then(|l| match l.value.as_slice() {
            [only] if is_reviewer_word(only) => Some((only.value.clone(), Pos::of_spanned(only))),
            _ => None,
        });
        match (alone, list) {
            (Some((word, pos)), _) if word == "manager" => {
                Reviewers::Managers { pos, fallback: self.recipients(fallback) }
            }
            (Some((_, pos)), _) => self.reviewers_without_fallback(Reviewers::Members(pos), fallback),
            (None, None) => self.reviewers_without_fallback(Reviewers::Unnamed, fallback),
            (None, Some(list)) => {
                let listed = Reviewers::Listed(self.listed_reviewers(list));
                self.reviewers_without_fallback(listed, fallback)
            }
        }
    }

    /// Recipients; `self` or `manager` among others is PN006 (they stand alone).
    fn listed_reviewers(&mut self, list: Spanned<Vec<Text>>) -> RecipientList {
        if let Some(word) = list.value.iter().find(|t| is_reviewer_word(t)) {
            self.push(
                Diagnostic::error(
                    "PN006",
                    format!("`{}` must be the only reviewer of a review", word.value),
                    Some(Pos::of_spanned(word)),
                )
                .with_help("write `reviewers: [self]`, `reviewers: [manager]` (with `fallback:`), or a list of recipients"),
            );
        }
        let named =
            Spanned { value: list.value.into_iter().filter(|t| !is_reviewer_word(t)).collect(), ..list };
        self.recipients(Some(named)).unwrap_or_default()
    }

    /// `fallback` only means something for managers' reviews (PN007).
    fn reviewers_without_fallback(
        &mut self,
        reviewers: Reviewers,
        fallback: Option<Spanned<Vec<Text>>>,
    ) -> Reviewers {
        if let Some(list) = &fallback {
            self.not_allowed(
                "`fallback` reviewers only apply with `reviewers: [manager]`",
                Pos::of_spanned(list),
                "remove `fallback`, or set `reviewers: [manager]`",
            );
        }
        reviewers
    }

    fn groups(&mut self, raw: SpannedMap<Option<Vec<Text>>>) -> IndexMap<String, Group> {
        let mut groups = IndexMap::with_capacity(raw.0.len());
        for (name, members) in raw.0 {
            let pos = Pos::of_spanned(&name);
            let members = members.unwrap_or_default().into_iter();
            let members = members.filter_map(|m| self.recipient(m)).collect();
            groups.insert(name.value, Group { pos, members });
        }
        groups
    }

    fn settings(&mut self, raw: SpannedMap<RawSetting>) -> Settings {
        let mut settings = Vec::with_capacity(raw.0.len());
        for (key, value) in raw.0 {
            if let Some(id) = self.setting_id(&key) {
                settings.push(self.setting(id, Pos::of_spanned(&key), value));
            }
        }
        Settings(settings)
    }

    fn setting_id(&mut self, key: &Text) -> Option<SettingId> {
        let pos = Pos::of_spanned(key);
        if let Some(id) = SettingId::parse(&key.value) {
            return Some(id);
        }
        if let Some(replacement) = catalog::removed_setting(&key.value) {
            self.not_allowed(&format!("`{}` was removed in version 2", key.value), pos, replacement);
            return None;
        }
        let names: Vec<String> = SettingId::names().collect();
        let hint = did_you_mean(&key.value, names.iter().map(String::as_str));
        self.push(
            Diagnostic::error("PN002", format!("unknown setting `{}`", key.value), Some(pos)).with_help(
                format!("settings are named `section.audience`{hint}; run `pim-notify events` for the list"),
            ),
        );
        None
    }

    fn setting(&mut self, id: SettingId, pos: Pos, raw: RawSetting) -> SettingOverride {
        let extra = self.recipients(raw.extra);
        if let Some(list) = extra.as_ref().filter(|_| id == activation_approver()) {
            self.push(
                Diagnostic::error(
                    "PN008",
                    "Entra accepts no additional recipients for activation approval requests",
                    Some(list.pos),
                )
                .with_help("remove `extra` here; approvers are set with the role's `approvers:` list"),
            );
        }
        SettingOverride {
            id,
            pos,
            disabled: raw.disabled.map(Located::from_spanned),
            default_recipients: raw.default_recipients.map(Located::from_spanned),
            critical_only: raw.critical_only.map(Located::from_spanned),
            inherit: raw.inherit.map(Located::from_spanned),
            extra: extra.filter(|_| id != activation_approver()),
        }
    }

    fn roles(&mut self, scope: Scope, raw: Vec<Spanned<RawRole>>) -> Vec<Role> {
        let mut roles: Vec<Role> = builtin_roles(scope);
        let builtin_count = roles.len();
        // Sized once: a large tenant lists tens of thousands of roles.
        let mut seen = RoleKeys::with_capacity(builtin_count + raw.len());
        for (i, role) in roles.iter().enumerate() {
            seen.builtin(role, i);
        }
        for entry in raw {
            let declared = Pos::of_spanned(&entry);
            let role = self.role(entry.value, declared);
            self.place_role(&mut roles, &mut seen, builtin_count, role);
        }
        roles
    }

    fn role(&mut self, raw: RawRole, declared: Pos) -> Role {
        let id_pos = raw.id.as_ref().map(Pos::of_spanned);
        let id = raw.id.and_then(|id| self.role_id(id));
        let allow = raw.lint.and_then(|l| l.allow).unwrap_or_default();
        if let Some(list) = &raw.reviewers {
            self.not_allowed(
                "a role's `reviewers` were removed in version 2",
                Pos::of_spanned(list),
                "reviewers belong to each access review: list the role under a review of `reviews:`",
            );
        }
        Role {
            name_pos: Some(Pos::of_spanned(&raw.name)),
            name: raw.name.value,
            id,
            builtin: None,
            declared: Some(declared),
            id_pos,
            policy_id: raw.policy_id.map(Located::from_spanned),
            approval_required: raw.approval_required.map(Located::from_spanned),
            approvers: self.recipients(raw.approvers),
            settings: self.settings(raw.settings.unwrap_or_default()),
            lint_allow: allow.0.into_iter().map(lint_allow).collect(),
        }
    }

    fn role_id(&mut self, id: Text) -> Option<String> {
        if is_guid(&id.value) {
            return Some(id.value.to_ascii_lowercase());
        }
        self.push(
            Diagnostic::error("PN009", format!("role id `{}` is not a GUID", id.value), Some(Pos::of_spanned(&id)))
                .with_help("write the role template or definition id as xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, or leave `id` out"),
        );
        None
    }

    /// Puts a listed role in place of the built-in role it names, or after the others.
    fn place_role(&mut self, roles: &mut Vec<Role>, seen: &mut RoleKeys, builtins: usize, mut role: Role) {
        if let Some(dup) = seen.duplicate_of(&role, roles, builtins) {
            let what = dup.describe(&role);
            self.push(
                Diagnostic::error(
                    "PN005",
                    format!("role {what} is listed twice"),
                    role.name_pos.or(role.declared),
                )
                .with_help(format!("merge this entry with the one at line {}", dup.line))
                .with_role(role.name.clone()),
            );
            return;
        }
        match seen.builtin_match(&role, roles, builtins) {
            Some(i) => {
                let builtin = roles[i].builtin;
                role.builtin = builtin;
                role.id = role.id.or_else(|| builtin.map(|b| b.id.clone()));
                seen.listed(&role, i);
                roles[i] = role;
            }
            None => {
                seen.listed(&role, roles.len());
                roles.push(role);
            }
        }
    }

    fn check_group_references(&mut self, policy: &Policy) {
        let mut missing = Vec::new();
        for_each_recipient(policy, |r| {
            if let Recipient::Group(name) = &r.value {
                if !policy.groups.contains_key(name) {
                    missing.push((name.clone(), r.pos));
                }
            }
        });
        for (name, pos) in missing {
            let hint = did_you_mean(&name, policy.groups.keys().map(String::as_str));
            self.push(
                Diagnostic::error("PN003", format!("unknown group `{name}`"), Some(pos))
                    .with_help(format!("define it under `groups:`{hint}")),
            );
        }
    }

    fn check_group_cycles(&mut self, policy: &Policy) {
        for cycle in crate::groups::cycles(&policy.groups) {
            let first = &cycle[0];
            let pos = policy.groups.get(first).map(|g| g.pos);
            let path = cycle.iter().chain(std::iter::once(first)).map(String::as_str);
            self.push(
                Diagnostic::error("PN004", format!("group cycle: {}", path.collect::<Vec<_>>().join(" -> ")), pos)
                    .with_help("a group cannot contain itself, directly or through other groups; remove one of these references"),
            );
        }
    }
}

pub use crate::groups::MAX_GROUP_DEPTH;

impl Validator {
    fn check_group_depth(&mut self, policy: &Policy) {
        let Some((group, depth)) = crate::groups::deepest_nesting(&policy.groups) else { return };
        if depth <= MAX_GROUP_DEPTH {
            return;
        }
        let (name, g) = policy.groups.get_index(group).expect("the index comes from the map");
        self.push(
            Diagnostic::error(
                "PN001",
                format!("group `{name}` nests groups {depth} levels deep; at most {MAX_GROUP_DEPTH} are supported"),
                Some(g.pos),
            )
            .with_help("flatten the chain: list the members of deeply nested groups directly"),
        );
    }
}

/// Whether a policy text holds no document at all: nothing, blank lines, comments, a bare
/// `---`/`...` or an explicit null. The library reads that as Entra's defaults; the commands
/// refuse such a *file*, which is almost always a truncated or wrong file.
pub fn is_blank(text: &str) -> bool {
    text.trim_start_matches('\u{feff}').lines().all(|line| {
        let line = line.trim();
        line.is_empty()
            || line.starts_with('#')
            || matches!(line, "---" | "..." | "~" | "null" | "Null" | "NULL" | "--- ~" | "--- null")
    })
}

/// `self` and `manager`: reviewers written as words rather than recipients.
fn is_reviewer_word(text: &Text) -> bool {
    matches!(text.value.as_str(), "self" | "manager")
}

/// Alert names (without `alert.`), of one scope or of all.
fn alert_names(scope: Option<Scope>) -> Vec<&'static str> {
    let alerts = catalog::events().iter().filter(|e| e.section == catalog::Section::Alert);
    alerts.filter(|e| scope.is_none_or(|s| e.exists_in(s))).map(|e| e.name.as_str()).collect()
}

fn activation_approver() -> SettingId {
    SettingId { section: catalog::Section::Activation, audience: catalog::Audience::Approver }
}

fn lint_allow((code, reason): (Text, Text)) -> LintAllow {
    LintAllow { code: Located::from_spanned(code), reason: Located::from_spanned(reason) }
}

fn builtin_roles(scope: Scope) -> Vec<Role> {
    if scope != Scope::EntraRoles {
        return Vec::new();
    }
    catalog::entra_roles()
        .iter()
        .map(|b| Role { name: b.name.clone(), id: Some(b.id.clone()), builtin: Some(b), ..Role::default() })
        .collect()
}

/// Calls `f` on every recipient written anywhere in the policy.
pub fn for_each_recipient(policy: &Policy, mut f: impl FnMut(&LocatedRecipient)) {
    let dir = &policy.directory;
    let lists = [&dir.admins, &dir.default_approvers, &dir.role_admins];
    lists.into_iter().flatten().flat_map(|l| &l.items).for_each(&mut f);
    policy.groups.values().flat_map(|g| &g.members).for_each(&mut f);
    extras(&policy.defaults).for_each(&mut f);
    for review in &policy.reviews {
        review_lists(review).flat_map(|l| &l.items).for_each(&mut f);
    }
    for role in policy.roles.iter().filter(|r| r.is_listed()) {
        role.approvers.iter().flat_map(|l| &l.items).for_each(&mut f);
        extras(&role.settings).for_each(&mut f);
    }
}

/// The recipient lists a review writes: its reviewers, fallback reviewers and completion recipients.
pub fn review_lists(review: &Review) -> impl Iterator<Item = &RecipientList> {
    let reviewers = match &review.reviewers {
        Reviewers::Listed(list) => Some(list),
        Reviewers::Managers { fallback, .. } => fallback.as_ref(),
        Reviewers::Unnamed | Reviewers::Members(_) => None,
    };
    reviewers.into_iter().chain(review.completed_extra.as_ref())
}

fn extras(settings: &Settings) -> impl Iterator<Item = &LocatedRecipient> {
    settings.iter().filter_map(|o| o.extra.as_ref()).flat_map(|l| &l.items)
}

/// Which names and ids are taken, to place overrides and find duplicates.
struct RoleKeys {
    names: std::collections::HashMap<String, (usize, bool)>,
    ids: std::collections::HashMap<String, (usize, bool)>,
}

struct Duplicate {
    by_id: bool,
    line: u32,
}

impl Duplicate {
    fn describe(&self, role: &Role) -> String {
        match (&role.id, self.by_id) {
            (Some(id), true) => format!("id `{id}`"),
            _ => format!("`{}`", role.name),
        }
    }
}

impl RoleKeys {
    fn with_capacity(roles: usize) -> Self {
        RoleKeys {
            names: std::collections::HashMap::with_capacity(roles),
            ids: std::collections::HashMap::with_capacity(roles),
        }
    }

    fn builtin(&mut self, role: &Role, i: usize) {
        self.names.insert(role.name.to_lowercase(), (i, false));
        if let Some(id) = &role.id {
            self.ids.insert(id.clone(), (i, false));
        }
    }

    fn listed(&mut self, role: &Role, i: usize) {
        self.names.insert(role.name.to_lowercase(), (i, true));
        if let Some(b) = role.builtin {
            self.names.insert(b.name.to_lowercase(), (i, true));
        }
        if let Some(id) = &role.id {
            self.ids.insert(id.clone(), (i, true));
        }
    }

    /// A role already listed in the file under the same name or id.
    fn duplicate_of(&self, role: &Role, roles: &[Role], _builtins: usize) -> Option<Duplicate> {
        let by_id = role.id.as_ref().and_then(|id| self.ids.get(id)).filter(|(_, listed)| *listed);
        let by_name = self.names.get(&role.name.to_lowercase()).filter(|(_, listed)| *listed);
        let (hit, is_id) = match (by_id, by_name) {
            (Some(h), _) => (h, true),
            (None, Some(h)) => (h, false),
            (None, None) => return None,
        };
        let line = roles[hit.0].declared.map_or(0, |p| p.line);
        Some(Duplicate { by_id: is_id, line })
    }

    /// The built-in role this entry overrides, by id first, then by name.
    fn builtin_match(&self, role: &Role, roles: &[Role], builtins: usize) -> Option<usize> {
        let by_id = role.id.as_ref().and_then(|id| self.ids.get(id)).map(|(i, _)| *i);
        let by_name = || self.names.get(&role.name.to_lowercase()).map(|(i, _)| *i);
        by_id.or_else(by_name).filter(|&i| i < builtins && roles[i].builtin.is_some())
    }
}
