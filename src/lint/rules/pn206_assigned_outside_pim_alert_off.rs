//! PN206 `assigned-outside-pim-alert-off`: the one alert PIM emails is switched off.

use crate::catalog::find_alert;
use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::context::Context;
use crate::lint::registry::{Rule, RuleDoc};

/// The alert Microsoft documents as emailing administrators.
const EMAILED_ALERT: &str = "assigned-outside-pim";

pub const RULE: Rule = Rule {
    code: "PN206",
    name: "assigned-outside-pim-alert-off",
    severity: Severity::Error,
    doc: RuleDoc {
        summary: "The \"roles are being assigned outside of Privileged Identity Management\" alert is \
                  switched off under `alerts:` (Entra roles and Azure resources).",
        why: "It is the only PIM alert that emails administrators, and a role assigned outside PIM is \
              how an attacker with directory or ARM access skips approval, activation and its alerts. \
              Switched off, PIM neither raises nor emails it.",
        bad: "version: 2\nalerts:\n  assigned-outside-pim: { enabled: false }\n",
        fixed: "version: 2\nalerts:\n  assigned-outside-pim: { enabled: true }\n",
        baseline: Some("CISA SCuBA MS.AAD.7 (privileged access alerting), with Microsoft's note that PIM emails this alert only while it is enabled."),
    },
    check: Some(check),
};

fn check(ctx: &Context, out: &mut Vec<Diagnostic>) {
    let Some(alert) = find_alert(EMAILED_ALERT).filter(|a| a.exists_in(ctx.policy.scope)) else { return };
    let Some(at) = ctx.policy.alerts.switched_off(alert) else { return };
    out.push(
        RULE.at(
            format!("the `{EMAILED_ALERT}` alert is switched off: PIM neither raises nor emails it"),
            Some(at),
        )
        .with_help("remove `enabled: false`; this is the one PIM alert that emails administrators"),
    );
}
