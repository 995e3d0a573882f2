//! Recipient groups: finding cycles, and expanding a group to its members with the path each
//! member was reached through.

use indexmap::IndexMap;

use crate::model::{Group, LocatedRecipient};
use crate::recipient::Recipient;

/// Every cycle among the groups, each as the list of group names in order, reported once.
/// Iterative so that long chains cannot overflow the stack.
pub fn cycles(groups: &IndexMap<String, Group>) -> Vec<Vec<String>> {
    let mut state = vec![Visit::New; groups.len()];
    let mut found = Vec::new();
    for start in 0..groups.len() {
        if state[start] == Visit::New {
            walk(groups, start, &mut state, &mut found);
        }
    }
    found
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Visit {
    New,
    OnPath,
    Done,
}

fn walk(groups: &IndexMap<String, Group>, start: usize, state: &mut [Visit], found: &mut Vec<Vec<String>>) {
    // Each frame: the group and how many of its members have been looked at.
    let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
    state[start] = Visit::OnPath;
    while let Some(&mut (group, ref mut next)) = stack.last_mut() {
        let members = &groups[group].members;
        let Some(member) = members.get(*next) else {
            state[group] = Visit::Done;
            stack.pop();
            continue;
        };
        *next += 1;
        let Some(child) = nested_group(groups, member) else { continue };
        match state[child] {
            Visit::New => {
                state[child] = Visit::OnPath;
                stack.push((child, 0));
            }
            Visit::OnPath => found.push(cycle_names(groups, &stack, child)),
            Visit::Done => {}
        }
    }
}

fn nested_group(groups: &IndexMap<String, Group>, member: &LocatedRecipient) -> Option<usize> {
    match &member.value {
        Recipient::Group(name) => groups.get_index_of(name),
        _ => None,
    }
}

fn cycle_names(groups: &IndexMap<String, Group>, stack: &[(usize, usize)], back_to: usize) -> Vec<String> {
    let from = stack.iter().position(|&(g, _)| g == back_to).unwrap_or(0);
    stack[from..]
        .iter()
        .map(|&(g, _)| groups.get_index(g).map(|(n, _)| n.clone()).unwrap_or_default())
        .collect()
}

/// A member reached by expanding a group, and the groups it came through (outermost first).
#[derive(Clone, Debug)]
pub struct Member<'a> {
    pub recipient: &'a LocatedRecipient,
    pub via: Vec<&'a str>,
}

/// The non-group members of `name`, recursively. Group references that are unknown or that
/// would revisit a group already on the path (a cycle) contribute nothing, so expansion always
/// ends even on a policy that failed validation. Iterative: chains of any length are safe.
pub fn expand<'a>(groups: &'a IndexMap<String, Group>, name: &str) -> Vec<Member<'a>> {
    let mut out = Vec::new();
    let Some(start) = groups.get_index_of(name) else { return out };
    let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
    while let Some(&mut (group, ref mut next)) = stack.last_mut() {
        let Some(member) = groups[group].members.get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        match nested_group(groups, member) {
            Some(child) if stack.iter().any(|&(g, _)| g == child) => {}
            Some(child) => stack.push((child, 0)),
            None if matches!(member.value, Recipient::Group(_)) => {}
            None => out.push(Member { recipient: member, via: path_names(groups, &stack) }),
        }
    }
    out
}

fn path_names<'a>(groups: &'a IndexMap<String, Group>, stack: &[(usize, usize)]) -> Vec<&'a str> {
    stack.iter().filter_map(|&(g, _)| groups.get_index(g)).map(|(n, _)| n.as_str()).collect()
}
