//! Properties of evaluation over generated policies (groups that nest, defaults, roles with
//! overrides and recipients), and of loading over arbitrary text.

use std::collections::BTreeSet;

use pim_notify::catalog::{self, SettingId, SETTINGS};
use pim_notify::eval::{Governor, SuppressReason};
use pim_notify::{evaluate, load_str, report, Policy, Query};
use proptest::prelude::*;

const CASES: u32 = 64;
const PEOPLE: [&str; 5] =
    ["ann@contoso.com", "bob@contoso.com", "cy@contoso.com", "dee@fabrikam.com", "eve@contoso.com"];
const PLACEHOLDERS: [&str; 3] = ["<admins>", "<assignee>", "<reviewers>"];
const ROLE_NAMES: [&str; 4] = ["Global Administrator", "User Administrator", "Custom Ops", "Custom Audit"];

/// One setting as a policy writes it; `None` fields are left out of the file.
#[derive(Clone, Debug, Default)]
struct SettingModel {
    disabled: Option<bool>,
    default_recipients: Option<bool>,
    critical_only: Option<bool>,
    inherit: Option<bool>,
    extra: Option<Vec<String>>,
}

#[derive(Clone, Debug)]
struct RoleModel {
    name: &'static str,
    approval_required: Option<bool>,
    approvers: Option<Vec<String>>,
    settings: Vec<(SettingId, SettingModel)>,
}

#[derive(Clone, Debug)]
struct PolicyModel {
    /// Group `gN` may contain later groups only, so nesting never cycles.
    groups: Vec<Vec<String>>,
    admins: Option<Vec<String>>,
    defaults: Vec<(SettingId, SettingModel)>,
    roles: Vec<RoleModel>,
}

fn per_role_settings() -> Vec<SettingId> {
    SETTINGS.iter().map(|s| s.id).collect()
}

fn all_settings() -> Vec<SettingId> {
    SETTINGS.iter().map(|s| s.id).collect()
}

fn is_activation_approver(id: SettingId) -> bool {
    id.to_string() == "activation.approver"
}

/// A recipient usable anywhere: a person, a placeholder, or (when `groups` > 0) a group.
fn recipient(groups: usize) -> BoxedStrategy<String> {
    let person = prop::sample::select(PEOPLE.to_vec()).prop_map(String::from);
    let placeholder = prop::sample::select(PLACEHOLDERS.to_vec()).prop_map(String::from);
    if groups == 0 {
        prop_oneof![3 => person, 1 => placeholder].boxed()
    } else {
        let group = (0..groups).prop_map(|g| format!("group:g{g}"));
        prop_oneof![3 => person, 1 => placeholder, 2 => group].boxed()
    }
}

fn setting(groups: usize, per_role: bool, id: SettingId) -> impl Strategy<Value = SettingModel> {
    let extra = if is_activation_approver(id) {
        Just(None).boxed()
    } else {
        prop::option::of(prop::collection::vec(recipient(groups), 0..3)).boxed()
    };
    let flag = || prop::option::weighted(0.3, any::<bool>());
    let inherit = if per_role { flag().boxed() } else { Just(None).boxed() };
    (flag(), flag(), flag(), inherit, extra).prop_map(
        |(disabled, default_recipients, critical_only, inherit, extra)| SettingModel {
            disabled,
            default_recipients,
            critical_only,
            inherit,
            extra,
        },
    )
}

fn settings(
    groups: usize,
    ids: Vec<SettingId>,
    per_role: bool,
) -> BoxedStrategy<Vec<(SettingId, SettingModel)>> {
    prop::sample::subsequence(ids.clone(), 0..=4.min(ids.len()))
        .prop_flat_map(move |chosen| {
            chosen
                .into_iter()
                .map(|id| setting(groups, per_role, id).prop_map(move |s| (id, s)))
                .collect::<Vec<_>>()
        })
        .boxed()
}

fn role(groups: usize, name: &'static str) -> impl Strategy<Value = RoleModel> {
    (
        prop::option::of(any::<bool>()),
        prop::option::of(prop::collection::vec(recipient(groups), 0..3)),
        settings(groups, per_role_settings(), true),
    )
        .prop_map(move |(approval_required, approvers, settings)| RoleModel {
            name,
            approval_required,
            approvers,
            settings,
        })
}

fn policy_model() -> impl Strategy<Value = PolicyModel> {
    (0usize..4)
        .prop_flat_map(|n| {
            // Group i holds people and references to groups after it.
            let groups: Vec<BoxedStrategy<Vec<String>>> =
                (0..n).map(|i| prop::collection::vec(group_member(i, n), 0..4).boxed()).collect();
            let names = prop::sample::subsequence(ROLE_NAMES.to_vec(), 0..=ROLE_NAMES.len());
            let roles =
                names.prop_flat_map(move |names| names.into_iter().map(|nm| role(n, nm)).collect::<Vec<_>>());
            (
                groups,
                prop::option::of(prop::collection::vec(recipient(n), 0..3)),
                settings(n, all_settings(), false),
                roles,
            )
        })
        .prop_map(|(groups, admins, defaults, roles)| PolicyModel { groups, admins, defaults, roles })
}

fn group_member(index: usize, count: usize) -> BoxedStrategy<String> {
    let person = prop::sample::select(PEOPLE.to_vec()).prop_map(String::from);
    if index + 1 >= count {
        return person.boxed();
    }
    prop_oneof![2 => person, 1 => (index + 1..count).prop_map(|g| format!("group:g{g}"))].boxed()
}

fn quoted(text: &str) -> String {
    serde_json::to_string(text).unwrap()
}

fn list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| quoted(i)).collect::<Vec<_>>().join(", "))
}

fn setting_yaml(s: &SettingModel) -> String {
    let mut fields = Vec::new();
    let flags = [
        ("disabled", s.disabled),
        ("default_recipients", s.default_recipients),
        ("critical_only", s.critical_only),
        ("inherit", s.inherit),
    ];
    for (key, value) in flags {
        if let Some(v) = value {
            fields.push(format!("{key}: {v}"));
        }
    }
    if let Some(extra) = &s.extra {
        fields.push(format!("extra: {}", list(extra)));
    }
    format!("{{ {} }}", fields.join(", "))
}

impl PolicyModel {
    fn yaml(&self) -> String {
        let mut y = String::from("version: 1\n");
        if let Some(admins) = &self.admins {
            y.push_str(&format!("directory:\n  admins: {}\n", list(admins)));
        }
        if !self.groups.is_empty() {
            y.push_str("groups:\n");
            for (i, members) in self.groups.iter().enumerate() {
                y.push_str(&format!("  g{i}: {}\n", list(members)));
            }
        }
        if !self.defaults.is_empty() {
            y.push_str("defaults:\n");
            for (id, s) in &self.defaults {
                y.push_str(&format!("  {id}: {}\n", setting_yaml(s)));
            }
        }
        if !self.roles.is_empty() {
            y.push_str("roles:\n");
            for r in &self.roles {
                y.push_str(&format!("  - name: {}\n", quoted(r.name)));
                if let Some(a) = r.approval_required {
                    y.push_str(&format!("    approval_required: {a}\n"));
                }
                if let Some(approvers) = &r.approvers {
                    y.push_str(&format!("    approvers: {}\n", list(approvers)));
                }
                if !r.settings.is_empty() {
                    y.push_str("    settings:\n");
                    for (id, s) in &r.settings {
                        y.push_str(&format!("      {id}: {}\n", setting_yaml(s)));
                    }
                }
            }
        }
        y
    }

    fn load(&self) -> Policy {
        let yaml = self.yaml();
        let loaded = load_str("p.yaml", &yaml).unwrap_or_else(|d| panic!("{d:?}\n{yaml}"));
        assert!(!loaded.has_errors(), "{:?}\n{yaml}", loaded.diagnostics);
        loaded.policy
    }
}

/// Every answer for the roles the model names and one role it leaves alone, as JSON.
fn all_answers(policy: &Policy, query: &Query) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for name in ROLE_NAMES.iter().chain(["Security Administrator"].iter()) {
        let Some(role) = policy.find_role(name) else { continue };
        for event in catalog::events() {
            out.push(report::answer_json(policy, &evaluate(policy, role, event, query)));
        }
    }
    out
}

fn addresses(policy: &Policy, role: &str, event: &'static catalog::Event) -> BTreeSet<String> {
    let role = policy.find_role(role).expect("the role exists");
    let answer = evaluate(policy, role, event, &Query::default());
    answer.recipients.iter().map(|n| n.address.clone()).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, ..ProptestConfig::default() })]

    /// The same text loaded twice gives the same answers (no hash-order or address leaks).
    #[test]
    fn evaluation_is_deterministic(model in policy_model(), expand in any::<bool>()) {
        let (a, b) = (model.load(), model.load());
        let query = Query { assignee: expand.then(|| "zed@contoso.com".into()), no_expand: !expand };
        prop_assert_eq!(all_answers(&a, &query), all_answers(&b, &query));
    }

    /// The matrix writer that evaluates each distinct answer once writes, byte for byte,
    /// what evaluating every (role, event) writes.
    #[test]
    fn the_memoised_matrix_matches_evaluating_every_question(model in policy_model(), expand in any::<bool>()) {
        let policy = model.load();
        let query = Query { assignee: expand.then(|| "zed@contoso.com".into()), no_expand: !expand };
        // The model's roles and a few it leaves alone, which share their answers.
        let named = ROLE_NAMES.iter().chain(&["Security Administrator", "Exchange Administrator"]);
        let mut roles: Vec<&pim_notify::Role> = named.filter_map(|n| policy.find_role(n)).collect();
        roles.extend(policy.roles.iter().take(4));
        let events: Vec<&'static catalog::Event> = catalog::events().iter().collect();
        let answers = roles.iter().flat_map(|r| events.iter().map(|e| evaluate(&policy, r, e, &query)));
        let mut every = Vec::new();
        report::write_matrix_json(&mut every, &policy, answers).unwrap();
        let mut memoised = Vec::new();
        report::write_evaluated_matrix_json(&mut memoised, &policy, &roles, &events, &query).unwrap();
        prop_assert_eq!(String::from_utf8(every).unwrap(), String::from_utf8(memoised).unwrap());
    }

    #[test]
    fn an_extra_recipient_never_removes_one(
        model in policy_model(),
        role_pick in 0usize..4,
        setting_pick in 0usize..100,
    ) {
        prop_assume!(!model.roles.is_empty());
        let role_index = role_pick % model.roles.len();
        let ids: Vec<SettingId> = per_role_settings().into_iter().filter(|id| !is_activation_approver(*id)).collect();
        let id = ids[setting_pick % ids.len()];
        let mut more = model.clone();
        let role = &mut more.roles[role_index];
        match role.settings.iter_mut().find(|(s, _)| *s == id) {
            Some((_, s)) => s.extra.get_or_insert_with(Vec::new).push("new@contoso.com".into()),
            None => role.settings.push((id, SettingModel { extra: Some(vec!["new@contoso.com".into()]), ..Default::default() })),
        }
        let (before, after) = (model.load(), more.load());
        let name = model.roles[role_index].name;
        for event in catalog::events() {
            let (b, a) = (addresses(&before, name, event), addresses(&after, name, event));
            prop_assert!(b.is_subset(&a), "{} {}: lost {:?}\n{}", name, event.id, b.difference(&a).collect::<Vec<_>>(), more.yaml());
        }
    }

    #[test]
    fn disabled_removes_every_recipient_of_its_setting(
        model in policy_model(),
        role_pick in 0usize..4,
        setting_pick in 0usize..100,
    ) {
        prop_assume!(!model.roles.is_empty());
        let role_index = role_pick % model.roles.len();
        let ids = per_role_settings();
        let id = ids[setting_pick % ids.len()];
        let mut off = model.clone();
        let role = &mut off.roles[role_index];
        match role.settings.iter_mut().find(|(s, _)| *s == id) {
            Some((_, s)) => s.disabled = Some(true),
            None => role.settings.push((id, SettingModel { disabled: Some(true), ..Default::default() })),
        }
        let policy = off.load();
        let role = policy.find_role(model.roles[role_index].name).unwrap();
        let governed = |e: &catalog::Event| e.audiences_in(policy.scope).any(|a| e.setting_for(a.audience) == Some(id));
        for event in catalog::events().iter().filter(|e| governed(e)) {
            let answer = evaluate(&policy, role, event, &Query::default());
            let setting = Governor::Setting(id);
            let reached = answer.recipients.iter().flat_map(|n| &n.reasons).any(|r| r.setting == setting);
            prop_assert!(!reached, "{} still reaches someone through {}", event.id, id);
            let reason = answer.suppressed.iter().find(|s| s.setting == setting).map(|s| s.reason);
            prop_assert!(
                matches!(reason, Some(SuppressReason::Disabled | SuppressReason::DoesNotOccur)),
                "{}: {} is reported as {:?}", event.id, id, reason
            );
        }
    }

    #[test]
    fn loading_never_panics_on_any_text(text in any::<String>()) {
        let _ = load_str("p.yaml", &text);
    }

    #[test]
    fn loading_never_panics_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let _ = load_str("p.yaml", text);
        }
    }

    /// Valid policies with one character changed, inserted or cut: near-misses reach far
    /// deeper into the loader than random text does.
    #[test]
    fn loading_never_panics_on_damaged_policies(
        model in policy_model(),
        at in any::<prop::sample::Index>(),
        edit in 0u8..3,
        c in prop::sample::select(vec!['\t', ' ', ':', '-', '[', ']', '{', '}', '&', '*', '!', '"', '\'', '\n', '#', '|', '>', '%', '@', '?', ',', '\0']),
    ) {
        let mut chars: Vec<char> = model.yaml().chars().collect();
        let i = at.index(chars.len());
        match edit {
            0 => chars[i] = c,
            1 => chars.insert(i, c),
            _ => { chars.remove(i); }
        }
        let text: String = chars.into_iter().collect();
        if let Ok(loaded) = load_str("p.yaml", &text) {
            for answer in all_answers(&loaded.policy, &Query::default()) {
                prop_assert!(answer.is_object());
            }
        }
    }
}

/// Properties of the effect diff. Each diff evaluates every role (built-ins included) against
/// every event twice, so fewer cases keep the suite quick.
mod effect_diff {
    use super::{policy_model, PolicyModel};
    use pim_notify::diff::{diff, no_baseline, DiffOptions, PolicyDiff};
    use pim_notify::Policy;
    use proptest::prelude::*;

    type Key = (String, String, Vec<String>, Vec<String>);

    fn changes(d: &PolicyDiff) -> Vec<Key> {
        let mut keys: Vec<Key> = d
            .changes
            .iter()
            .map(|c| (c.role().name.clone(), c.event().id.clone(), c.added.clone(), c.removed.clone()))
            .collect();
        keys.sort();
        keys
    }

    fn names(roles: &[&pim_notify::Role]) -> Vec<String> {
        let mut names: Vec<String> = roles.iter().map(|r| r.name.to_lowercase()).collect();
        names.sort();
        names
    }

    fn run<'a>(old: &'a Policy, new: &'a Policy) -> PolicyDiff<'a> {
        diff(old, new, &DiffOptions::default(), &no_baseline)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

        /// A policy compared with itself has no change.
        #[test]
        fn a_policy_has_no_diff_with_itself(model in policy_model()) {
            let (a, b) = (model.load(), model.load());
            let d = run(&a, &b);
            prop_assert!(d.changes.is_empty(), "{}", model.yaml());
            prop_assert!(d.roles_added.is_empty() && d.roles_removed.is_empty());
        }

        /// diff(a, b) and diff(b, a) list the same (role, event) pairs with added and removed
        /// swapped, and roles added one way are removed the other way.
        #[test]
        fn diffs_mirror_each_other(a in policy_model(), b in policy_model()) {
            let (pa, pb): (Policy, Policy) = (PolicyModel::load(&a), PolicyModel::load(&b));
            let forward = run(&pa, &pb);
            let backward = run(&pb, &pa);
            let mirrored: Vec<Key> = {
                let mut keys: Vec<Key> = changes(&backward).into_iter().map(|(r, e, add, rem)| (r, e, rem, add)).collect();
                keys.sort();
                keys
            };
            prop_assert_eq!(changes(&forward), mirrored);
            prop_assert_eq!(names(&forward.roles_added), names(&backward.roles_removed));
            prop_assert_eq!(names(&forward.roles_removed), names(&backward.roles_added));
        }
    }
}
