//! Imported roles → policy YAML text: settings every role shares lifted into `defaults:` (when
//! that changes no outcome), stable order, a comment naming each setting's admin-center row
//! and Graph rule.

use std::fmt::Write as _;

use super::rules;
use super::setting::{ImportedRole, RuleSetting};
use crate::catalog::SettingId;

/// The fields one layer writes for one setting; `None` and an empty `extra` write nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Override {
    pub disabled: Option<bool>,
    pub default_recipients: Option<bool>,
    pub critical_only: Option<bool>,
    pub extra: Vec<String>,
}

impl Override {
    pub fn is_empty(&self) -> bool {
        *self == Override::default()
    }
}

/// What the file will say: the lifted defaults and each role's remaining overrides.
pub struct Layout<'r> {
    pub lifted: bool,
    pub defaults: Vec<(SettingId, Override)>,
    pub roles: Vec<(&'r ImportedRole, Vec<(SettingId, Override)>)>,
}

/// Lifts shared settings into `defaults:` only when `lift` (the export covers every built-in
/// role, all pages read): otherwise the built-in roles it lacks would inherit settings Entra
/// never gave them.
pub fn layout<'r>(roles: &[&'r ImportedRole], lift: bool) -> Layout<'r> {
    let lifted = !roles.is_empty() && lift;
    let settings: Vec<SettingId> = rules::notification_rules().map(|r| r.setting).collect();
    let defaults: Vec<(SettingId, Override)> = settings
        .iter()
        .map(|&id| (id, if lifted { shared(roles, id) } else { Override::default() }))
        .collect();
    let role_overrides = roles
        .iter()
        .map(|&role| {
            let overrides = defaults
                .iter()
                .map(|(id, base)| (*id, role_override(role.setting(*id), base)))
                .filter(|(_, o)| !o.is_empty())
                .collect();
            (role, overrides)
        })
        .collect();
    let defaults = defaults.into_iter().filter(|(_, o)| !o.is_empty()).collect();
    Layout { lifted, defaults, roles: role_overrides }
}

/// What every role has in common for one setting. Disabled roles send nothing whatever the
/// other fields say, so they do not stand in the way of lifting those fields.
fn shared(roles: &[&ImportedRole], id: SettingId) -> Override {
    let values: Vec<&RuleSetting> = roles.iter().map(|r| r.setting(id)).collect();
    if values.iter().all(|v| v.disabled) {
        return Override { disabled: Some(true), ..Override::default() };
    }
    let active: Vec<&RuleSetting> = values.into_iter().filter(|v| !v.disabled).collect();
    let first = active[0];
    let in_all =
        |address: &String| active.iter().all(|v| v.extra.iter().any(|e| e.eq_ignore_ascii_case(address)));
    Override {
        disabled: None,
        default_recipients: active.iter().all(|v| !v.default_recipients).then_some(false),
        critical_only: active.iter().all(|v| v.critical_only).then_some(true),
        extra: first.extra.iter().filter(|a| in_all(a)).cloned().collect(),
    }
}

/// The fields a role must write so that, on top of `base`, it gets `wanted`.
fn role_override(wanted: &RuleSetting, base: &Override) -> Override {
    if base.disabled == Some(true) {
        return Override::default(); // lifted only when every role is disabled
    }
    if wanted.disabled {
        return Override { disabled: Some(true), ..Override::default() };
    }
    let differs =
        |want: bool, base: Option<bool>, builtin: bool| (want != base.unwrap_or(builtin)).then_some(want);
    let inherited = |a: &String| base.extra.iter().any(|b| b.eq_ignore_ascii_case(a));
    Override {
        disabled: None,
        default_recipients: differs(wanted.default_recipients, base.default_recipients, true),
        critical_only: differs(wanted.critical_only, base.critical_only, false),
        extra: wanted.extra.iter().filter(|a| !inherited(a)).cloned().collect(),
    }
}

/// The header's facts.
pub struct Header<'a> {
    pub source: &'a str,
    pub skipped_notes: usize,
}

/// The policy file text.
pub fn policy_yaml(layout: &Layout, header: &Header) -> String {
    let mut out = String::new();
    write_header(&mut out, layout, header);
    out.push_str("version: 2\nscope: entra-roles\n");
    if !layout.defaults.is_empty() {
        out.push_str("\ndefaults:\n");
        write_settings(&mut out, "  ", &layout.defaults);
    }
    if !layout.roles.is_empty() {
        out.push_str("\nroles:\n");
    }
    for (i, (role, overrides)) in layout.roles.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        write_role(&mut out, role, overrides);
    }
    out
}

fn write_header(out: &mut String, layout: &Layout, header: &Header) {
    let source = comment_text(header.source);
    let _ = writeln!(out, "# Imported from Microsoft Graph by `pim-notify import graph {source}`.");
    let _ = writeln!(
        out,
        "# {} role policies; each role keeps its Graph policy id for `pim-notify export graph`.",
        layout.roles.len()
    );
    if layout.lifted {
        out.push_str(
            "# The export covers every built-in role, so settings all roles share are under `defaults:`.\n",
        );
    } else {
        out.push_str(
            "# The export does not cover every built-in role, so nothing is lifted into `defaults:`:\n",
        );
        out.push_str("# built-in roles not listed here keep Entra's default notification settings.\n");
    }
    if header.skipped_notes > 0 {
        let _ = writeln!(
            out,
            "# The import printed {} note(s) about Graph data this file does not hold.",
            header.skipped_notes
        );
    }
}

fn write_role(out: &mut String, role: &ImportedRole, overrides: &[(SettingId, Override)]) {
    let _ = writeln!(out, "  - name: {}", scalar(&role.name));
    let _ = writeln!(out, "    id: {}", role.id);
    let _ = writeln!(out, "    policy_id: {}", scalar(&role.policy_id));
    if role.approval.required {
        let _ = writeln!(out, "    approval_required: true   # Graph: {}", rules::APPROVAL_RULE_ID);
    }
    let approvers = role.approver_recipients();
    if !approvers.is_empty() {
        let _ =
            writeln!(out, "    approvers: {}   # primaryApprovers (users and groups)", flow_list(&approvers));
    }
    if !overrides.is_empty() {
        out.push_str("    settings:\n");
        write_settings(out, "      ", overrides);
    }
}

fn write_settings(out: &mut String, indent: &str, settings: &[(SettingId, Override)]) {
    for (id, o) in settings {
        let info = id.info();
        let rule = info.graph_rule_id;
        let _ = writeln!(out, "{indent}# {} (Graph: {rule})", info.admin_center_row);
        let _ = writeln!(out, "{indent}{id}: {}", flow_override(o));
    }
}

fn flow_override(o: &Override) -> String {
    let mut fields = Vec::new();
    let flag = |name: &str, value: Option<bool>| value.map(|v| format!("{name}: {v}"));
    fields.extend(flag("disabled", o.disabled));
    fields.extend(flag("default_recipients", o.default_recipients));
    fields.extend(flag("critical_only", o.critical_only));
    if !o.extra.is_empty() {
        fields.push(format!("extra: {}", flow_list(&o.extra)));
    }
    format!("{{ {} }}", fields.join(", "))
}

fn flow_list(items: &[String]) -> String {
    let items: Vec<String> = items.iter().map(|i| scalar(i)).collect();
    format!("[{}]", items.join(", "))
}

/// A YAML scalar: plain when that is unambiguous, else double-quoted with every control,
/// bidirectional and invisible character written as an escape, so the file shows what it holds.
pub fn scalar(text: &str) -> String {
    if is_plain_safe(text) {
        text.to_string()
    } else {
        quoted(text)
    }
}

/// A double-quoted YAML scalar (also used to show a name in a message).
pub fn quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x100 && (c.is_control() || is_hidden(c)) => {
                out.push_str(&format!("\\x{:02X}", c as u32))
            }
            c if (c as u32) > 0xFFFF && is_hidden(c) => out.push_str(&format!("\\U{:08X}", c as u32)),
            c if is_hidden(c) => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters a reader cannot see: controls, bidirectional overrides, zero-width and other
/// invisible characters (which make one name look like another).
pub fn is_hidden(c: char) -> bool {
    crate::text::needs_escape(c)
        || matches!(
            c,
            '\u{00ad}'
                | '\u{034f}'
                | '\u{115f}'
                | '\u{1160}'
                | '\u{180e}'
                | '\u{200b}'..='\u{200d}'
                | '\u{2060}'..='\u{2064}'
                | '\u{3164}'
                | '\u{fe00}'..='\u{fe0f}'
                | '\u{feff}'
                | '\u{ffa0}'
                | '\u{e0000}'..='\u{e007f}'
        )
}

fn is_plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else { return false };
    let reserved = ["true", "false", "yes", "no", "on", "off", "null", "y", "n"];
    first.is_ascii_alphanumeric()
        && !text.ends_with(' ')
        && text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '_' | '@' | '-' | '+'))
        && !reserved.iter().any(|r| r.eq_ignore_ascii_case(text))
        && text.parse::<f64>().is_err()
}

/// Text safe inside a one-line `#` comment.
fn comment_text(text: &str) -> String {
    crate::text::escape_control(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_what_needs_it() {
        assert_eq!(scalar("Global Administrator"), "Global Administrator");
        assert_eq!(scalar("soc@contoso.com"), "soc@contoso.com");
        assert_eq!(
            scalar("object:62e90394-69f5-4237-9190-012177145e10"),
            "\"object:62e90394-69f5-4237-9190-012177145e10\""
        );
        assert_eq!(scalar("true"), "\"true\"");
        assert_eq!(scalar("1e5"), "\"1e5\"");
        assert_eq!(scalar("a # b"), "\"a # b\"");
        assert_eq!(scalar("x\ny"), "\"x\\ny\"");
    }
}
