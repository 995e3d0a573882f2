//! Recipient groups: finding cycles, and expanding a group to its members with the path each
//! member was reached through.

use std::sync::{Arc, OnceLock};

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
    /// Shared by every member reached through the same path.
    pub via: Arc<[String]>,
}

/// The path of a recipient named directly, through no group.
pub fn no_groups() -> Arc<[String]> {
    static EMPTY: OnceLock<Arc<[String]>> = OnceLock::new();
    EMPTY.get_or_init(|| Arc::from(Vec::new())).clone()
}

/// Groups may nest this many levels; the loader refuses deeper chains, and expansion never goes
/// deeper, so every recipient's `via` path (and the work to build it) stays small even when a
/// caller such as `lint` looks at a policy that failed validation.
pub const MAX_GROUP_DEPTH: usize = 64;

/// The non-group members of `name`, recursively. Group references that are unknown or that
/// would revisit a group already on the path (a cycle) contribute nothing, so expansion always
/// ends even on a policy that failed validation. Iterative: chains of any length are safe.
///
/// Each group is expanded once per call, through the first path that reaches it (file
/// order): groups shared by several nested groups (a diamond) would otherwise be listed once
/// per path, and the paths double at every level.
pub fn expand<'a>(groups: &'a IndexMap<String, Group>, name: &str) -> Vec<Member<'a>> {
    let mut out = Vec::new();
    let Some(start) = groups.get_index_of(name) else { return out };
    let mut expanded = std::collections::HashSet::from([start]);
    // Each frame: the group, how many of its members have been looked at, and its path.
    let mut stack: Vec<(usize, usize, Arc<[String]>)> = vec![(start, 0, path_to(groups, &[], start))];
    while let Some((group, next, path)) = stack.last_mut() {
        let Some(member) = groups[*group].members.get(*next) else {
            stack.pop();
            continue;
        };
        *next += 1;
        let path = path.clone();
        match nested_group(groups, member) {
            Some(child) if stack.len() >= MAX_GROUP_DEPTH || !expanded.insert(child) => {}
            Some(child) => stack.push((child, 0, path_to(groups, &path, child))),
            None if matches!(member.value, Recipient::Group(_)) => {}
            None => out.push(Member { recipient: member, via: path }),
        }
    }
    out
}

/// `parent` followed by the name of `group`.
fn path_to(groups: &IndexMap<String, Group>, parent: &[String], group: usize) -> Arc<[String]> {
    let name = groups.get_index(group).map(|(n, _)| n.clone()).unwrap_or_default();
    parent.iter().cloned().chain([name]).collect()
}

/// The group with the longest chain of nested groups below it (counting itself), and that
/// length. Cycles are skipped (they are reported on their own). Iterative and linear.
pub fn deepest_nesting(groups: &IndexMap<String, Group>) -> Option<(usize, usize)> {
    let mut state = vec![Visit::New; groups.len()];
    let mut depth = vec![0usize; groups.len()];
    for start in 0..groups.len() {
        if state[start] != Visit::New {
            continue;
        }
        state[start] = Visit::OnPath;
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        while let Some(&mut (group, ref mut next)) = stack.last_mut() {
            let Some(member) = groups[group].members.get(*next) else {
                depth[group] = 1 + child_depths(groups, group, &state, &depth);
                state[group] = Visit::Done;
                stack.pop();
                continue;
            };
            *next += 1;
            if let Some(child) = nested_group(groups, member).filter(|&c| state[c] == Visit::New) {
                state[child] = Visit::OnPath;
                stack.push((child, 0));
            }
        }
    }
    (0..groups.len()).max_by_key(|&g| (depth[g], std::cmp::Reverse(g))).map(|g| (g, depth[g]))
}

fn child_depths(groups: &IndexMap<String, Group>, group: usize, state: &[Visit], depth: &[usize]) -> usize {
    groups[group]
        .members
        .iter()
        .filter_map(|m| nested_group(groups, m))
        .filter(|&c| state[c] == Visit::Done)
        .map(|c| depth[c])
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::{Located, Pos};

    fn groups(spec: &[(&str, &[&str])]) -> IndexMap<String, Group> {
        spec.iter()
            .map(|(name, members)| {
                let members = members
                    .iter()
                    .map(|m| Located::new(Recipient::parse(m).unwrap(), Pos::default()))
                    .collect();
                (name.to_string(), Group { pos: Pos::default(), members })
            })
            .collect()
    }

    #[test]
    fn a_diamond_is_expanded_once_per_group() {
        let g = groups(&[
            ("top", &["group:left", "group:right"]),
            ("left", &["group:bottom"]),
            ("right", &["group:bottom"]),
            ("bottom", &["b@contoso.com"]),
        ]);
        let members = expand(&g, "top");
        assert_eq!(members.len(), 1);
        assert_eq!(*members[0].via, ["top", "left", "bottom"]);
    }

    #[test]
    fn nesting_depth_counts_the_longest_chain() {
        let g = groups(&[
            ("a", &["group:b", "x@contoso.com"]),
            ("b", &["group:c"]),
            ("c", &["c@contoso.com"]),
            ("solo", &["s@contoso.com"]),
        ]);
        assert_eq!(deepest_nesting(&g), Some((0, 3)));
        let cyclic = groups(&[("a", &["group:b"]), ("b", &["group:a"])]);
        assert_eq!(deepest_nesting(&cyclic).map(|(_, d)| d), Some(2));
        assert_eq!(deepest_nesting(&IndexMap::new()), None);
    }
}
