//! Turning written cases into what runs: role and event patterns expanded against the policy
//! and the catalog, expected recipients parsed and groups expanded to their members.

use serde_saphyr::Spanned;

use super::file::{OneOrMany, RawCase, RawTestFile};
use super::Problem;
use crate::catalog::{self, Event};
use crate::glob::Glob;
use crate::model::{Policy, Role};
use crate::recipient::{Placeholder, Recipient};
use crate::span::Pos;
use crate::suggest::{did_you_mean, nearest};

/// A case ready to run: every (role, event) pair it covers and what it expects of each.
#[derive(Debug)]
pub struct Case<'p> {
    pub name: String,
    /// Where the case starts in the tests file.
    pub pos: Pos,
    pub pairs: Vec<(&'p Role, &'static Event)>,
    pub assignee: Option<String>,
    pub expectations: Vec<Expectation>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpectKind {
    Includes,
    Excludes,
    Exactly,
}

impl ExpectKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ExpectKind::Includes => "includes",
            ExpectKind::Excludes => "excludes",
            ExpectKind::Exactly => "exactly",
        }
    }

    /// "expected to include", for messages.
    pub fn phrase(self) -> &'static str {
        match self {
            ExpectKind::Includes => "expected to include",
            ExpectKind::Excludes => "expected to exclude",
            ExpectKind::Exactly => "expected exactly",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Expectation {
    pub kind: ExpectKind,
    pub pos: Pos,
    pub items: Vec<Expected>,
}

/// One written entry of an expectation. A group stands for all of its members.
#[derive(Clone, Debug)]
pub struct Expected {
    pub written: String,
    pub pos: Pos,
    pub members: Vec<Member>,
    /// Set when the entry is `group:NAME`.
    pub group: Option<String>,
}

/// A recipient an expectation is about: its comparison key and how to show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub key: String,
    pub address: String,
}

/// Resolves every case of a tests file against its policy, collecting all problems.
pub fn resolve<'p>(file: &RawTestFile, policy: &'p Policy) -> Result<Vec<Case<'p>>, Vec<Problem>> {
    let Some(tests) = &file.tests else {
        let help = "add `tests:` with a list of cases; see `pim-notify test --help`";
        return Err(vec![Problem::new("the tests file has no `tests:` list", Pos::new(1, 1), help)]);
    };
    let mut problems = Vec::new();
    let mut cases = Vec::new();
    for raw in tests {
        match resolve_case(raw, policy) {
            Ok(case) => cases.push(case),
            Err(mut more) => problems.append(&mut more),
        }
    }
    if problems.is_empty() {
        Ok(cases)
    } else {
        Err(problems)
    }
}

fn resolve_case<'p>(raw: &Spanned<RawCase>, policy: &'p Policy) -> Result<Case<'p>, Vec<Problem>> {
    let pos = Pos::of_spanned(raw);
    let case = &raw.value;
    let mut problems = Vec::new();
    let roles = collect(&mut problems, OneOrMany::items(&case.role).iter().map(|i| roles(policy, i)));
    let events = collect(&mut problems, OneOrMany::items(&case.event).iter().map(events));
    let assignee = case.assignee.as_ref().map(assignee).transpose().unwrap_or_else(|p| {
        problems.push(p);
        None
    });
    let mut expectations = expectations(case, policy, pos, &mut problems);
    if let Some(who) = &assignee {
        name_the_assignee(&mut expectations, who);
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Case { name: case_name(case), pos, pairs: pairs(policy, &roles, &events), assignee, expectations })
}

/// With `assignee:` set, the evaluator names the assignee, so `<assignee>` in an expectation
/// means that address too.
fn name_the_assignee(expectations: &mut [Expectation], who: &str) {
    let placeholder = Recipient::Placeholder(Placeholder::Assignee).key();
    let named = Recipient::parse(who).map(|r| r.key()).unwrap_or_else(|_| who.to_lowercase());
    let members = expectations.iter_mut().flat_map(|e| &mut e.items).flat_map(|i| &mut i.members);
    for member in members.filter(|m| m.key == placeholder) {
        *member = Member { key: named.clone(), address: who.to_string() };
    }
}

/// Flattens results, moving errors to `problems`.
fn collect<T>(problems: &mut Vec<Problem>, results: impl Iterator<Item = Result<Vec<T>, Problem>>) -> Vec<T> {
    let mut all = Vec::new();
    for result in results {
        match result {
            Ok(mut items) => all.append(&mut items),
            Err(p) => problems.push(p),
        }
    }
    all
}

fn case_name(case: &RawCase) -> String {
    if let Some(name) = &case.name {
        return name.value.clone();
    }
    let join = |field| OneOrMany::items(field).into_iter().map(|(v, _)| v).collect::<Vec<_>>().join(", ");
    format!("{} / {}", join(&case.role), join(&case.event))
}

/// Every role × every event, each once, roles in policy order and events in catalog order.
fn pairs<'p>(
    policy: &'p Policy,
    roles: &[&'p Role],
    events: &[&'static Event],
) -> Vec<(&'p Role, &'static Event)> {
    let chosen: std::collections::HashSet<*const Role> = roles.iter().map(|r| *r as *const Role).collect();
    let roles = policy.roles.iter().filter(|r| chosen.contains(&(*r as *const Role)));
    let events: Vec<&'static Event> =
        catalog::events().iter().filter(|e| events.iter().any(|x| std::ptr::eq(*x, *e))).collect();
    roles.flat_map(|r| events.iter().map(move |&e| (r, e))).collect()
}

/// `"*"` is every role (built-in ones included), then a name or id, then a glob.
fn roles<'p>(policy: &'p Policy, (pattern, pos): &(String, Pos)) -> Result<Vec<&'p Role>, Problem> {
    if pattern == "*" {
        return Ok(policy.roles.iter().collect());
    }
    if let Some(role) = policy.find_role(pattern) {
        return Ok(vec![role]);
    }
    let glob = Glob::new(pattern);
    if glob.is_literal() {
        let near = policy.similar_roles(pattern);
        return Err(Problem::new(
            format!("unknown role `{pattern}` in {}", policy.source),
            *pos,
            hint(&near, "roles"),
        ));
    }
    let matching: Vec<&Role> = policy.roles.iter().filter(|r| role_matches(&glob, r)).collect();
    if matching.is_empty() {
        return Err(Problem::new(
            format!("no role of {} matches `{pattern}`", policy.source),
            *pos,
            hint(&[], "roles"),
        ));
    }
    Ok(matching)
}

fn role_matches(glob: &Glob, role: &Role) -> bool {
    glob.matches(&role.name) || role.id.as_deref().is_some_and(|id| glob.matches(id))
}

/// An event id, or a glob over event ids.
fn events((pattern, pos): &(String, Pos)) -> Result<Vec<&'static Event>, Problem> {
    if let Some(event) = catalog::find_event(pattern) {
        return Ok(vec![event]);
    }
    let glob = Glob::new(pattern);
    let ids = || catalog::events().iter().map(|e| e.id.as_str());
    if glob.is_literal() {
        let near = nearest(pattern, ids(), 3);
        return Err(Problem::new(format!("unknown event `{pattern}`"), *pos, hint(&near, "events")));
    }
    let matching: Vec<&'static Event> = catalog::events().iter().filter(|e| glob.matches(&e.id)).collect();
    if matching.is_empty() {
        return Err(Problem::new(format!("no event matches `{pattern}`"), *pos, hint(&[], "events")));
    }
    Ok(matching)
}

fn hint(near: &[&str], what: &str) -> String {
    let list = format!("run `pim-notify {what}` to list them");
    if near.is_empty() {
        return list;
    }
    let quoted: Vec<String> = near.iter().map(|n| format!("`{n}`")).collect();
    format!("did you mean {}? {list}", quoted.join(", "))
}

fn assignee(text: &crate::raw::Text) -> Result<String, Problem> {
    match Recipient::parse(&text.value) {
        Ok(_) => Ok(text.value.clone()),
        Err(e) => Err(Problem::new(
            format!("invalid assignee `{}`: {}", text.value, e.problem),
            Pos::of_spanned(text),
            e.help,
        )),
    }
}

fn expectations(case: &RawCase, policy: &Policy, pos: Pos, problems: &mut Vec<Problem>) -> Vec<Expectation> {
    let fields = [
        (ExpectKind::Includes, &case.includes),
        (ExpectKind::Excludes, &case.excludes),
        (ExpectKind::Exactly, &case.exactly),
    ];
    let mut out = Vec::new();
    for (kind, field) in fields {
        let Some(field) = field else { continue };
        let items =
            OneOrMany::items(field).iter().filter_map(|item| expected(policy, item, problems)).collect();
        out.push(Expectation { kind, pos: Pos::of_spanned(field), items });
    }
    if out.is_empty() {
        problems.push(Problem::new(
            "the case expects nothing",
            pos,
            "add `includes`, `excludes` or `exactly` with the recipients to check (`exactly: []` means nobody)",
        ));
    }
    out
}

fn expected(policy: &Policy, (text, pos): &(String, Pos), problems: &mut Vec<Problem>) -> Option<Expected> {
    let recipient = match Recipient::parse(text) {
        Ok(r) => r,
        Err(e) => {
            problems.push(Problem::new(format!("invalid recipient `{text}`: {}", e.problem), *pos, e.help));
            return None;
        }
    };
    let Recipient::Group(name) = &recipient else {
        let member = Member { key: recipient.key(), address: recipient.to_string() };
        return Some(Expected { written: text.clone(), pos: *pos, members: vec![member], group: None });
    };
    if !policy.groups.contains_key(name) {
        let hint = did_you_mean(name, policy.groups.keys().map(String::as_str));
        problems.push(Problem::new(
            format!("unknown group `{name}` in {}", policy.source),
            *pos,
            format!("name a group defined under `groups:` in the policy{hint}"),
        ));
        return None;
    }
    Some(Expected {
        written: text.clone(),
        pos: *pos,
        members: group_members(policy, name),
        group: Some(name.clone()),
    })
}

/// The group's members, recursively, each once.
fn group_members(policy: &Policy, name: &str) -> Vec<Member> {
    let mut members: Vec<Member> = Vec::new();
    for m in crate::groups::expand(&policy.groups, name) {
        let r = &m.recipient.value;
        if !members.iter().any(|x| x.key == r.key()) {
            members.push(Member { key: r.key(), address: r.to_string() });
        }
    }
    members
}
