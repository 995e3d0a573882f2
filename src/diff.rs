//! The effect diff: what two versions of a policy *do* differently. Every role (built-in roles
//! included) is evaluated against every event in both versions, and only the outcomes are
//! compared, so moving lines, renaming a group with the same members or adding an extra that
//! was already a default recipient is no change.

mod json;
mod same;

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::catalog::{self, Audience, Event, HIGHLY_PRIVILEGED_ROLES};
use crate::diagnostic::Diagnostic;
use crate::eval::{evaluate, Answer, Governor, Notified, Query, Source, SuppressReason};
use crate::glob::{any_match, Glob};
use crate::groups;
use crate::model::{Policy, Role};

/// Security baseline findings of a policy (PN2xx); the diff reports the ones that newly fail.
pub type Baseline<'b> = &'b (dyn Fn(&Policy) -> Vec<Diagnostic> + Sync);

/// A baseline that finds nothing: the diff then flags only outcome regressions.
pub fn no_baseline(_: &Policy) -> Vec<Diagnostic> {
    Vec::new()
}

/// Which part of the policies to compare (empty lists compare everything), and which roles
/// count as highly privileged for regressions.
#[derive(Clone, Debug)]
pub struct DiffOptions {
    /// Roles whose name or id (in either version) matches one of these.
    pub roles: Vec<Glob>,
    /// Events whose id matches one of these.
    pub events: Vec<Glob>,
    /// Names or ids of the highly privileged roles, as lint's `privileged-roles` option.
    pub privileged_roles: Vec<String>,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            roles: Vec::new(),
            events: Vec::new(),
            privileged_roles: HIGHLY_PRIVILEGED_ROLES.iter().map(|r| r.to_string()).collect(),
        }
    }
}

/// Whether the event happens at all in each version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Occurrence {
    Same,
    /// It did not occur before (e.g. the role now requires approval) and does now.
    Starts,
    Stops,
}

/// A change that weakens who learns about privileged activity.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Regression {
    /// A highly privileged role no longer reaches someone who got the email as admin or approver.
    LostPrivilegedRecipient { address: String, audience: Audience },
    /// The event occurs and used to reach someone (or did not occur), and now reaches nobody.
    ReachesNobody,
}

impl Regression {
    pub fn kind(&self) -> &'static str {
        match self {
            Regression::LostPrivilegedRecipient { .. } => "lost-privileged-recipient",
            Regression::ReachesNobody => "reaches-nobody",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Regression::LostPrivilegedRecipient { address, audience } => {
                format!("highly privileged role no longer notifies {audience} recipient {address}")
            }
            Regression::ReachesNobody => "the email now reaches nobody".to_string(),
        }
    }
}

/// One (role, event) whose outcome, or only whose reasons, differ between the versions.
#[derive(Clone, Debug)]
pub struct Change<'a> {
    pub before: Answer<'a>,
    pub after: Answer<'a>,
    /// Addresses that get the email only in the new version, as the new version spells them.
    pub added: Vec<String>,
    /// Addresses that got the email only in the old version, as the old version spells them.
    pub removed: Vec<String>,
    pub occurrence: Occurrence,
    pub regressions: Vec<Regression>,
}

impl<'a> Change<'a> {
    pub fn role(&self) -> &'a Role {
        self.after.role
    }

    pub fn event(&self) -> &'static Event {
        self.after.event
    }

    pub fn is_regression(&self) -> bool {
        !self.regressions.is_empty()
    }

    /// Recipients in both versions whose reasons differ: (old entry, new entry).
    pub fn reason_changes(&self, renames: &GroupRenames) -> Vec<(&Notified, &Notified)> {
        let before: HashMap<String, &Notified> =
            self.before.recipients.iter().map(|n| (identity(n), n)).collect();
        self.after
            .recipients
            .iter()
            .filter_map(|n| before.get(&identity(n)).map(|&old| (old, n)))
            .filter(|(old, new)| reason_set(old, renames) != reason_set(new, &GroupRenames::default()))
            .collect()
    }
}

/// Everything that differs between two versions of a policy.
#[derive(Debug)]
pub struct PolicyDiff<'a> {
    pub old: &'a Policy,
    pub new: &'a Policy,
    /// (role, event) pairs whose recipients or occurrence changed, role by role.
    pub changes: Vec<Change<'a>>,
    /// Same recipients and occurrence, different reasons (another path to the same person).
    pub reason_changes: Vec<Change<'a>>,
    pub roles_added: Vec<&'a Role>,
    pub roles_removed: Vec<&'a Role>,
    /// Baseline findings of the new version that the old version did not have.
    pub baseline_regressions: Vec<Diagnostic>,
    /// Groups of the old version that the new one renamed (same members).
    pub renames: GroupRenames,
}

/// Counts for the summary line and the JSON `summary`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub roles_changed: usize,
    pub notifications_changed: usize,
    pub recipients_added: usize,
    pub recipients_removed: usize,
    pub regressions: usize,
    pub reason_only: usize,
    pub roles_added: usize,
    pub roles_removed: usize,
    pub events_started: usize,
    pub events_stopped: usize,
}

impl PolicyDiff<'_> {
    /// True when who gets which email differs (reason-only changes do not count).
    pub fn has_changes(&self) -> bool {
        !self.changes.is_empty() || !self.roles_added.is_empty() || !self.roles_removed.is_empty()
    }

    pub fn has_regressions(&self) -> bool {
        self.changes.iter().any(Change::is_regression) || !self.baseline_regressions.is_empty()
    }

    pub fn summary(&self) -> Summary {
        let roles: HashSet<*const Role> = self.changes.iter().map(|c| c.role() as *const Role).collect();
        let occurrences = |o| self.changes.iter().filter(|c| c.occurrence == o).count();
        Summary {
            roles_changed: roles.len(),
            notifications_changed: self.changes.len(),
            recipients_added: self.changes.iter().map(|c| c.added.len()).sum(),
            recipients_removed: self.changes.iter().map(|c| c.removed.len()).sum(),
            regressions: self.changes.iter().filter(|c| c.is_regression()).count()
                + self.baseline_regressions.len(),
            reason_only: self.reason_changes.len(),
            roles_added: self.roles_added.len(),
            roles_removed: self.roles_removed.len(),
            events_started: occurrences(Occurrence::Starts),
            events_stopped: occurrences(Occurrence::Stops),
        }
    }
}

/// Compares `old` and `new` over every role and event that `options` select.
pub fn diff<'a>(
    old: &'a Policy,
    new: &'a Policy,
    options: &DiffOptions,
    baseline: Baseline,
) -> PolicyDiff<'a> {
    let renames = GroupRenames::between(old, new);
    let matched = RoleMatch::between(old, new);
    let selected = |role: &Role| role_selected(&options.roles, role);
    let events: Vec<&'static Event> =
        catalog::events().iter().filter(|e| any_match(&options.events, &e.id)).collect();
    let mut result = PolicyDiff {
        old,
        new,
        changes: Vec::new(),
        reason_changes: Vec::new(),
        roles_added: matched.added.into_iter().filter(|r| selected(r)).collect(),
        roles_removed: matched.removed.into_iter().filter(|r| selected(r)).collect(),
        baseline_regressions: new_findings(old, new, baseline, &options.roles),
        renames: GroupRenames::default(),
    };
    let same = same::SameInputs::between(old, new);
    for (before, after) in matched.pairs.into_iter().filter(|(b, a)| selected(b) || selected(a)) {
        if same.role_unchanged(before, after) {
            continue;
        }
        for &event in events.iter().filter(|e| !same.event_unchanged(before, after, e)) {
            result.compare(before, after, event, &renames, &options.privileged_roles);
        }
    }
    result.renames = renames;
    result
}

impl<'a> PolicyDiff<'a> {
    fn compare(
        &mut self,
        before: &'a Role,
        after: &'a Role,
        event: &'static Event,
        renames: &GroupRenames,
        privileged: &[String],
    ) {
        let query = Query::default();
        let before = evaluate(self.old, before, event, &query);
        let after = evaluate(self.new, after, event, &query);
        let added = only_in(&after, &before);
        let removed = only_in(&before, &after);
        let occurrence = occurrence(&before, &after);
        let outcome_changed = !added.is_empty() || !removed.is_empty() || occurrence != Occurrence::Same;
        let reasons_changed = !outcome_changed && reasons_differ(&before, &after, renames);
        if !outcome_changed && !reasons_changed {
            return;
        }
        let mut change = Change { before, after, added, removed, occurrence, regressions: Vec::new() };
        if outcome_changed {
            change.regressions = regressions(&change, privileged);
            self.changes.push(change);
        } else {
            self.reason_changes.push(change);
        }
    }
}

fn role_selected(globs: &[Glob], role: &Role) -> bool {
    globs.is_empty()
        || globs.iter().any(|g| g.matches(&role.name) || role.id.as_deref().is_some_and(|id| g.matches(id)))
}

/// The identity of a recipient across versions: addresses compare case-insensitively.
fn identity(n: &Notified) -> String {
    n.address.to_lowercase()
}

/// Addresses of `a`'s recipients that `b` does not have.
fn only_in(a: &Answer, b: &Answer) -> Vec<String> {
    let other: HashSet<String> = b.recipients.iter().map(identity).collect();
    a.recipients.iter().filter(|n| !other.contains(&identity(n))).map(|n| n.address.clone()).collect()
}

fn occurs(answer: &Answer) -> bool {
    !answer.suppressed.iter().any(|s| s.reason.is_not_occurring())
}

fn occurrence(before: &Answer, after: &Answer) -> Occurrence {
    match (occurs(before), occurs(after)) {
        (false, true) => Occurrence::Starts,
        (true, false) => Occurrence::Stops,
        _ => Occurrence::Same,
    }
}

/// A reason without its file position, group names mapped through `renames`: what "the same
/// path" means when comparing versions.
type ReasonKey = (Audience, Governor, Source, Vec<String>);

fn reason_set(n: &Notified, renames: &GroupRenames) -> BTreeSet<ReasonKey> {
    n.reasons
        .iter()
        .map(|r| (r.audience, r.setting.clone(), r.source, r.via.iter().map(|g| renames.map(g)).collect()))
        .collect()
}

fn suppressed_set(answer: &Answer) -> BTreeSet<(Audience, SuppressReason)> {
    answer.suppressed.iter().map(|s| (s.audience, s.reason)).collect()
}

/// Called only when both versions reach the same people.
fn reasons_differ(before: &Answer, after: &Answer, renames: &GroupRenames) -> bool {
    let after_reasons: HashMap<String, BTreeSet<ReasonKey>> =
        after.recipients.iter().map(|n| (identity(n), reason_set(n, &GroupRenames::default()))).collect();
    let reasons_moved =
        before.recipients.iter().any(|n| after_reasons.get(&identity(n)) != Some(&reason_set(n, renames)));
    reasons_moved || suppressed_set(before) != suppressed_set(after)
}

fn regressions(change: &Change, privileged: &[String]) -> Vec<Regression> {
    let mut found = lost_privileged_recipients(change, privileged);
    let (before, after) = (&change.before, &change.after);
    let reached_nobody_before = occurs(before) && before.recipients.is_empty();
    if occurs(after) && after.recipients.is_empty() && !reached_nobody_before {
        found.push(Regression::ReachesNobody);
    }
    found
}

/// Whether `role` is one of `privileged` (names in any case, or ids), by its own name, its
/// built-in name or its id.
pub fn is_highly_privileged(role: &Role, privileged: &[String]) -> bool {
    let names = [Some(role.name.as_str()), role.builtin.map(|b| b.name.as_str()), role.id.as_deref()];
    privileged.iter().any(|hp| names.iter().flatten().any(|n| n.eq_ignore_ascii_case(hp)))
}

/// Removed recipients that reached a highly privileged role's admins or approvers. A removed
/// placeholder (`<admins>`) is not a loss while the audience still reaches someone: the
/// policy then names those people instead of leaving them to Entra.
fn lost_privileged_recipients(change: &Change, privileged: &[String]) -> Vec<Regression> {
    if !is_highly_privileged(change.role(), privileged)
        && !is_highly_privileged(change.before.role, privileged)
    {
        return Vec::new();
    }
    let removed: HashSet<String> = change.removed.iter().map(|a| a.to_lowercase()).collect();
    let still_reached =
        |audience| change.after.recipients.iter().any(|n| n.reasons.iter().any(|r| r.audience == audience));
    let mut found = Vec::new();
    for n in change.before.recipients.iter().filter(|n| removed.contains(&identity(n))) {
        let audience =
            n.reasons.iter().map(|r| r.audience).find(|a| matches!(a, Audience::Admin | Audience::Approver));
        let Some(audience) = audience else { continue };
        let placeholder = n.kind == crate::eval::Kind::Placeholder;
        if !(placeholder && still_reached(audience)) {
            found.push(Regression::LostPrivilegedRecipient { address: n.address.clone(), audience });
        }
    }
    found
}

/// Baseline findings of `new` that `old` did not have, keyed by code, role and message (not
/// position, so a moved line is not a new finding).
fn new_findings(old: &Policy, new: &Policy, baseline: Baseline, roles: &[Glob]) -> Vec<Diagnostic> {
    let key = |d: &Diagnostic| (d.code, d.role.as_deref().map(str::to_lowercase), d.message.clone());
    // The two versions' findings are independent: one is found on another thread.
    let (after, before) = crate::threads::join(|| baseline(new), || baseline(old));
    let before: HashSet<_> = before.iter().map(key).collect();
    let in_scope = |d: &Diagnostic| match &d.role {
        Some(role) => any_match(roles, role),
        None => roles.is_empty(),
    };
    after.into_iter().filter(|d| !before.contains(&key(d)) && in_scope(d)).collect()
}

/// How the roles of two versions pair up: by id when both have one, else by name (any case).
struct RoleMatch<'a> {
    pairs: Vec<(&'a Role, &'a Role)>,
    added: Vec<&'a Role>,
    removed: Vec<&'a Role>,
}

impl<'a> RoleMatch<'a> {
    fn between(old: &'a Policy, new: &'a Policy) -> RoleMatch<'a> {
        let mut used = vec![false; old.roles.len()];
        let mut pairs = Vec::new();
        let mut added = Vec::new();
        for role in &new.roles {
            match counterpart(old, role, &used) {
                Some(i) => {
                    used[i] = true;
                    pairs.push((&old.roles[i], role));
                }
                None => added.push(role),
            }
        }
        let removed = old.roles.iter().zip(&used).filter(|(_, &u)| !u).map(|(r, _)| r).collect();
        RoleMatch { pairs, added, removed }
    }
}

fn counterpart(old: &Policy, role: &Role, used: &[bool]) -> Option<usize> {
    // Indexes from the role table, not a scan of `old.roles`: a scan per role made matching
    // quadratic (seconds at 100,000 roles).
    let by_id =
        role.id.as_deref().and_then(|id| old.find_role_index(id)).filter(|&i| old.roles[i].id == role.id);
    let by_name = old
        .find_role_index(&role.name)
        .filter(|&i| old.roles[i].name.eq_ignore_ascii_case(&role.name) || old.roles[i].builtin.is_some())
        .filter(|&i| old.roles[i].id.is_none() || role.id.is_none() || old.roles[i].id == role.id);
    by_id.or(by_name).filter(|&i| !used[i])
}

/// Groups the new version renamed: an old-only group and a new-only group with the same
/// members (after expansion, addresses in any case).
#[derive(Clone, Debug, Default)]
pub struct GroupRenames {
    old_to_new: HashMap<String, String>,
}

impl GroupRenames {
    fn between(old: &Policy, new: &Policy) -> GroupRenames {
        let members = |p: &Policy, name: &str| -> BTreeSet<String> {
            groups::expand(&p.groups, name).iter().map(|m| m.recipient.value.key()).collect()
        };
        let mut candidates: Vec<(&String, BTreeSet<String>)> = new
            .groups
            .keys()
            .filter(|n| !old.groups.contains_key(*n))
            .map(|n| (n, members(new, n)))
            .collect();
        let mut old_to_new = HashMap::new();
        for name in old.groups.keys().filter(|n| !new.groups.contains_key(*n)) {
            let wanted = members(old, name);
            if let Some(i) = candidates.iter().position(|(_, m)| *m == wanted) {
                old_to_new.insert(name.clone(), candidates.remove(i).0.clone());
            }
        }
        GroupRenames { old_to_new }
    }

    /// The new name of an old group, or the name itself.
    pub fn map(&self, old_name: &str) -> String {
        self.old_to_new.get(old_name).cloned().unwrap_or_else(|| old_name.to_string())
    }

    /// (old name, new name) pairs, sorted.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        let mut pairs: Vec<(&str, &str)> =
            self.old_to_new.iter().map(|(o, n)| (o.as_str(), n.as_str())).collect();
        pairs.sort();
        pairs
    }
}
