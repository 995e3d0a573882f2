//! One test per row of DESIGN §1's tables (events per section, audiences, critical flags,
//! scopes, settings, default recipients per scope), checked against the catalog data and
//! against what evaluation answers with no policy beyond Entra's defaults. Each test names the
//! Microsoft Learn page its facts come from.

use pim_notify::catalog::{self, placeholder_in, Audience, Basis, Event, Scope, Section, SettingId};
use pim_notify::eval::{evaluate, Governor, Query, SuppressReason};
use pim_notify::recipient::Placeholder;
use pim_notify::{load_str, Policy};

fn event(id: &str) -> &'static Event {
    catalog::find_event(id).unwrap_or_else(|| panic!("{id} is in the catalog"))
}

fn section(section: Section) -> Vec<&'static Event> {
    catalog::events().iter().filter(|e| e.section == section).collect()
}

fn names(events: &[&Event]) -> Vec<String> {
    events.iter().map(|e| e.name.clone()).collect()
}

/// `audience:basis` of `event` in `scope`, in catalog order.
fn audiences(id: &str, scope: Scope) -> Vec<String> {
    event(id).audiences_in(scope).map(|a| format!("{}:{}", a.audience, a.basis_in(scope))).collect()
}

fn critical(events: &[&Event]) -> Vec<String> {
    events.iter().filter(|e| e.critical).map(|e| e.name.clone()).collect()
}

fn load(yaml: &str) -> Policy {
    let loaded = load_str("policy.yaml", yaml).expect("parses");
    assert!(!loaded.has_errors(), "{:?}", loaded.diagnostics);
    loaded.policy
}

/// A policy of `scope` with one role `R` (and, for Entra roles, every built-in role).
fn scope_policy(scope: Scope, role: &str) -> Policy {
    load(&format!("version: 2\nscope: {scope}\nroles:\n  - name: R\n{role}"))
}

/// Addresses, and `audience:reason` of every suppression, of (role `R`, `id`).
fn answer(p: &Policy, id: &str) -> (Vec<String>, Vec<String>) {
    let role = p.find_role("R").or_else(|| p.find_role("Global Administrator")).unwrap();
    let a = evaluate(p, role, event(id), &Query::default());
    let addresses = a.recipients.iter().map(|n| n.address.clone()).collect();
    let suppressed = a.suppressed.iter().map(|s| format!("{}:{}", s.audience, s.reason.as_str())).collect();
    (addresses, suppressed)
}

/// The nine events of the `eligible` and `active` sections, with their audiences.
fn assignment_section(s: &str) {
    let events = section(if s == "eligible" { Section::Eligible } else { Section::Active });
    let expected = [
        "assigned",
        "extended",
        "expiring",
        "renewed",
        "expired",
        "extension-requested",
        "renewal-requested",
        "request-decided",
        "removed",
    ];
    assert_eq!(names(&events), expected);
    assert_eq!(critical(&events), ["extension-requested", "renewal-requested"]);
    let entra = Scope::EntraRoles;
    let id = |name: &str| format!("{s}.{name}");
    assert_eq!(audiences(&id("assigned"), entra), ["admin:documented", "assignee:documented"]);
    assert_eq!(audiences(&id("expiring"), entra), ["admin:documented", "assignee:documented"]);
    assert_eq!(audiences(&id("renewed"), entra), ["admin:assumed", "assignee:assumed"]);
    assert_eq!(audiences(&id("renewed"), Scope::Groups), ["admin:documented", "assignee:assumed"]);
    assert_eq!(audiences(&id("expired"), entra), ["admin:documented", "assignee:documented"]);
    assert_eq!(audiences(&id("extension-requested"), entra), ["approver:documented"]);
    assert_eq!(audiences(&id("renewal-requested"), entra), ["approver:documented"]);
    assert_eq!(audiences(&id("request-decided"), entra), ["admin:documented", "assignee:documented"]);
    assert_eq!(audiences(&id("removed"), entra), ["admin:assumed", "assignee:assumed"]);
    for e in &events {
        assert_eq!(e.scopes, Scope::ALL.to_vec(), "{}", e.id);
        assert!(e.requires.is_none(), "{}", e.id);
    }
}

// Basis: "Overview of rules for Microsoft Entra roles in PIM APIs" (the assignment rows),
// "Email notifications in PIM" (assigned, extended, renewed for Azure resources and groups),
// "Extend or renew Microsoft Entra role assignments in PIM" and its Azure and groups
// counterparts (expiring 14 days and one day before, expired to admins and the member,
// extension and renewal requests to administrators, the decision to all other administrators
// and then to the member).
#[test]
fn eligible_section_row() {
    assignment_section("eligible");
}

// Basis: as for `eligible`: the same nine emails for members assigned as active.
#[test]
fn active_section_row() {
    assignment_section("active");
}

// Basis: "Email notifications in PIM" (pending approval to Privileged Role Administrators only
// without explicit approvers; "when a role assignment is pending approval" to Azure and group
// administrators; activation completed), "Approve or deny requests for Microsoft Entra roles in
// PIM" and its Azure and groups counterparts (approvers are told of the request and that it
// was answered; administrators when the approved user becomes active).
#[test]
fn activation_section_row() {
    let events = section(Section::Activation);
    assert_eq!(names(&events), ["requested", "approved", "denied", "completed"]);
    assert_eq!(critical(&events), ["requested"]);
    let approval_only: Vec<&str> =
        events.iter().filter(|e| e.requires.is_some()).map(|e| e.name.as_str()).collect();
    assert_eq!(approval_only, ["requested", "approved", "denied"]);
    let entra = Scope::EntraRoles;
    assert_eq!(audiences("activation.requested", entra), ["approver:documented"]);
    for scope in [Scope::Groups, Scope::AzureResources] {
        assert_eq!(audiences("activation.requested", scope), ["approver:documented", "admin:documented"]);
    }
    assert_eq!(
        audiences("activation.approved", entra),
        ["approver:documented", "assignee:assumed", "admin:assumed"]
    );
    assert_eq!(
        audiences("activation.denied", entra),
        ["approver:documented", "assignee:assumed", "admin:assumed"]
    );
    assert_eq!(audiences("activation.completed", entra), ["admin:documented", "assignee:documented"]);
}

// Basis: "Configure security alerts for Microsoft Entra roles in PIM" (the seven alerts; only
// "Roles are being assigned outside of PIM" sends email, while enabled) and "Configure
// security alerts for Azure roles in PIM" (the four Azure alerts).
#[test]
fn alert_section_row() {
    let events = section(Section::Alert);
    assert_eq!(critical(&events), ["assigned-outside-pim"]);
    let in_scope = |scope| -> Vec<String> {
        events.iter().filter(|e| e.exists_in(scope)).map(|e| e.name.clone()).collect()
    };
    let entra = [
        "assigned-outside-pim",
        "too-many-global-admins",
        "frequent-activation",
        "stale-accounts",
        "unused-roles",
        "no-mfa-activation",
        "no-license",
    ];
    assert_eq!(in_scope(Scope::EntraRoles), entra);
    let azure = ["assigned-outside-pim", "too-many-owners", "too-many-permanent-owners", "duplicate-role"];
    assert_eq!(in_scope(Scope::AzureResources), azure);
    assert!(in_scope(Scope::Groups).is_empty(), "PIM for Groups has no security alerts");
    let emailing: Vec<&str> = events.iter().filter(|e| !e.dashboard_only).map(|e| e.name.as_str()).collect();
    assert_eq!(emailing, ["assigned-outside-pim"]);
    for e in &events {
        assert_eq!(audiences(&e.id, e.scopes[0]), ["admin:documented"], "{}", e.id);
    }
}

// Basis: "Email notifications in PIM" (weekly digest to Privileged Role Administrators,
// Security Administrators and Global Administrators; public cloud; no setting).
#[test]
fn digest_section_row() {
    let events = section(Section::Digest);
    assert_eq!(names(&events), ["weekly"]);
    assert!(critical(&events).is_empty());
    assert_eq!(events[0].scopes, [Scope::EntraRoles]);
    assert_eq!(audiences("digest.weekly", Scope::EntraRoles), ["admin:documented"]);
    assert_eq!(events[0].setting_for(Audience::Admin), None, "the digest has no setting");
}

// Basis: "Create an access review of Azure resource and Microsoft Entra roles in PIM" (mail
// notifications to reviewers when a review starts and to administrators when it completes;
// reminders to reviewers; more completion recipients) and "Create an access review of groups
// and applications" for PIM for Groups.
#[test]
fn review_section_row() {
    let events = section(Section::Review);
    assert_eq!(names(&events), ["started", "reminder", "completed"]);
    assert_eq!(critical(&events), ["started", "reminder"]);
    for scope in Scope::ALL {
        assert_eq!(audiences("review.started", scope), ["reviewer:documented"]);
        assert_eq!(audiences("review.reminder", scope), ["reviewer:documented"]);
        assert_eq!(audiences("review.completed", scope), ["admin:documented", "reviewer:assumed"]);
    }
    assert!(events.iter().all(|e| e.setting_for(Audience::Reviewer).is_none()), "reviews govern them");
}

// Basis: "Email notifications in PIM" (assignees, approvers or administrators), "Create an
// access review of Azure resource and Microsoft Entra roles in PIM" (reviewers).
#[test]
fn audiences_row() {
    let mut all: Vec<Audience> =
        catalog::events().iter().flat_map(|e| e.audience_entries().iter().map(|a| a.audience)).collect();
    all.sort();
    all.dedup();
    assert_eq!(all, [Audience::Admin, Audience::Assignee, Audience::Approver, Audience::Reviewer]);
}

// Basis: "Configure Microsoft Entra role settings in PIM" (critical emails only: "emails that
// ask users to extend their role assignment aren't triggered. Emails that require admins to
// approve an extension request are triggered").
#[test]
fn critical_flags_row() {
    let critical: Vec<&str> =
        catalog::events().iter().filter(|e| e.critical).map(|e| e.id.as_str()).collect();
    let expected = [
        "eligible.extension-requested",
        "eligible.renewal-requested",
        "active.extension-requested",
        "active.renewal-requested",
        "activation.requested",
        "alert.assigned-outside-pim",
        "review.started",
        "review.reminder",
    ];
    assert_eq!(critical, expected);
    // Critical-only drops the member's "expires soon" email and keeps the admins' approval request.
    let p = load("version: 2\ndefaults:\n  eligible.assignee: { critical_only: true }\n  eligible.approver: { critical_only: true }\n");
    assert_eq!(answer(&p, "eligible.expiring").1, ["assignee:critical-only"]);
    assert_eq!(answer(&p, "eligible.extension-requested").0, ["<role-admins>"]);
}

// Basis: "Configure Azure resource role settings in PIM" and "Configure PIM for Groups
// settings" (role settings per resource and per group role, not inherited), "Email
// notifications in PIM" (which emails each product sends).
#[test]
fn scopes_row() {
    let scopes = |s: Section| section(s)[0].scopes.clone();
    assert_eq!(scopes(Section::Eligible), Scope::ALL);
    assert_eq!(scopes(Section::Active), Scope::ALL);
    assert_eq!(scopes(Section::Activation), Scope::ALL);
    assert_eq!(scopes(Section::Review), Scope::ALL);
    assert_eq!(scopes(Section::Alert), [Scope::EntraRoles, Scope::AzureResources]);
    assert_eq!(scopes(Section::Digest), [Scope::EntraRoles]);
    let groups = scope_policy(Scope::Groups, "");
    assert_eq!(answer(&groups, "digest.weekly").1, ["admin:does-not-occur"]);
    assert_eq!(answer(&groups, "alert.assigned-outside-pim").1, ["admin:does-not-occur"]);
}

fn setting_row(s: Section, caller_level: &str) {
    for audience in [Audience::Admin, Audience::Assignee, Audience::Approver] {
        let id = SettingId { section: s, audience };
        let recipient = match audience {
            Audience::Admin => "Admin",
            Audience::Assignee => "Requestor",
            _ => "Approver",
        };
        assert_eq!(id.info().graph_rule_id, format!("Notification_{recipient}_{caller_level}"));
        assert!(id.events().all(|e| e.section == s && e.has_audience(audience)), "{id}");
        assert!(id.events().next().is_some(), "{id} governs some event");
    }
}

// Basis: "Overview of rules for Microsoft Entra roles in PIM APIs" (Notification_*_Admin_Eligibility:
// role assignment alert, notification to the assigned user, request to approve a renewal or
// extension).
#[test]
fn eligible_settings_row() {
    setting_row(Section::Eligible, "Admin_Eligibility");
    let approver: Vec<&str> = SettingId { section: Section::Eligible, audience: Audience::Approver }
        .events()
        .map(|e| e.name.as_str())
        .collect();
    assert_eq!(approver, ["extension-requested", "renewal-requested"]);
}

// Basis: "Overview of rules for Microsoft Entra roles in PIM APIs" (Notification_*_Admin_Assignment).
#[test]
fn active_settings_row() {
    setting_row(Section::Active, "Admin_Assignment");
}

// Basis: "Overview of rules for Microsoft Entra roles in PIM APIs" (Notification_*_EndUser_Assignment:
// role activation alert, notification to the activated user, request to approve an activation).
#[test]
fn activation_settings_row() {
    setting_row(Section::Activation, "EndUser_Assignment");
    // "Request to approve an activation" takes no additional recipients (PN008).
    let loaded =
        load_str("p.yaml", "version: 2\ndefaults:\n  activation.approver: { extra: [x@contoso.com] }\n")
            .unwrap();
    assert!(loaded.diagnostics.iter().any(|d| d.code == "PN008"));
}

fn who(scope: Scope) -> Vec<String> {
    [Placeholder::Admins, Placeholder::Approvers, Placeholder::RoleAdmins]
        .iter()
        .map(|p| {
            let facts = placeholder_in(*p, scope);
            if facts.nobody {
                format!("{}: nobody", p.as_str())
            } else {
                format!("{}: {}", p.as_str(), facts.holders.join(" + "))
            }
        })
        .collect()
}

// Basis: "Email notifications in PIM" (Entra roles: activated Privileged Role, Security and Global
// Administrators; PIM for Groups: permanent owners only; Azure resources: permanent and
// eligible Owners and User Access Administrators).
#[test]
fn default_recipients_admin_row() {
    assert_eq!(
        who(Scope::EntraRoles)[0],
        "<admins>: Global Administrator + Privileged Role Administrator + Security Administrator"
    );
    assert_eq!(who(Scope::Groups)[0], "<admins>: owner");
    assert_eq!(placeholder_in(Placeholder::Admins, Scope::Groups).who, "the group's permanent owners");
    assert_eq!(who(Scope::AzureResources)[0], "<admins>: Owner + User Access Administrator");
    for scope in Scope::ALL {
        assert_eq!(
            answer(&scope_policy(scope, ""), "activation.completed").0,
            ["<admins>", "<assignee>"],
            "{scope}"
        );
    }
}

// Basis: "Email notifications in PIM" (pending approval to Privileged Role Administrators only
// if no explicit approvers), "Configure Microsoft Entra role settings in PIM" (which also names
// Global Administrators as default approvers), "Configure Azure resource role settings in PIM"
// and "Configure PIM for Groups settings" ("There are no default approvers").
#[test]
fn default_recipients_activation_approver_row() {
    assert_eq!(who(Scope::EntraRoles)[1], "<approvers>: Privileged Role Administrator");
    let note = placeholder_in(Placeholder::Approvers, Scope::EntraRoles).evidence.note.clone().unwrap();
    assert!(note.contains("Global Administrators"), "{note}");
    assert_eq!(who(Scope::Groups)[1], "<approvers>: nobody");
    assert_eq!(who(Scope::AzureResources)[1], "<approvers>: nobody");
    let approval = "    approval_required: true\n";
    assert_eq!(answer(&scope_policy(Scope::EntraRoles, approval), "activation.requested").0, ["<approvers>"]);
    for scope in [Scope::Groups, Scope::AzureResources] {
        let (reached, suppressed) = answer(&scope_policy(scope, approval), "activation.requested");
        assert_eq!(reached, ["<admins>"], "{scope}: administrators hear it is pending");
        assert_eq!(suppressed, ["approver:no-recipients"], "{scope}: nobody can approve");
        let named = format!("{approval}    approvers: [lead@contoso.com]\n");
        assert_eq!(
            answer(&scope_policy(scope, &named), "activation.requested").0,
            ["lead@contoso.com", "<admins>"]
        );
    }
}

// Basis: "Extend or renew Microsoft Entra role assignments in PIM" (only Global and Privileged
// Role Administrators extend or renew), "Extend or renew Azure resource role assignments in
// PIM" (the resource's administrators), "Email notifications in PIM" and "Extend or renew PIM
// for Groups assignments" (the group's permanent owners).
#[test]
fn default_recipients_extension_approver_row() {
    assert_eq!(
        who(Scope::EntraRoles)[2],
        "<role-admins>: Global Administrator + Privileged Role Administrator"
    );
    assert_eq!(who(Scope::Groups)[2], "<role-admins>: owner");
    assert_eq!(who(Scope::AzureResources)[2], "<role-admins>: Owner + User Access Administrator");
    // The role's activation approvers are not asked to approve an extension.
    let role = "    approval_required: true\n    approvers: [lead@contoso.com]\n";
    for scope in Scope::ALL {
        for id in ["eligible.extension-requested", "active.renewal-requested"] {
            assert_eq!(answer(&scope_policy(scope, role), id).0, ["<role-admins>"], "{scope} {id}");
        }
    }
    let named = load("version: 2\ndirectory:\n  role_admins: [pra@contoso.com]\n");
    assert_eq!(answer(&named, "eligible.renewal-requested").0, ["pra@contoso.com"]);
}

// Basis: "Email notifications in PIM" (the member the email is about: "end users").
#[test]
fn default_recipients_assignee_row() {
    for scope in Scope::ALL {
        assert_eq!(placeholder_in(Placeholder::Assignee, scope).who, "the member the email is about");
        let (reached, _) = answer(&scope_policy(scope, ""), "eligible.assigned");
        assert!(reached.contains(&"<assignee>".to_string()), "{scope}");
    }
}

// Basis: "Create an access review of Azure resource and Microsoft Entra roles in PIM"
// (selected users, members reviewing themselves, managers with fallback reviewers).
#[test]
fn default_recipients_reviewer_row() {
    let yaml = "version: 2
reviews:
  - name: Listed
    roles: [Global Administrator]
    reviewers: [board@contoso.com]
  - name: Unnamed
    roles: [Global Reader]
  - name: Self
    roles: [User Administrator]
    reviewers: [self]
  - name: Managers
    roles: [Exchange Administrator]
    reviewers: [manager]
    fallback: [lead@contoso.com]
";
    let p = load(yaml);
    let started = |role: &str| {
        let a = evaluate(&p, p.find_role(role).unwrap(), event("review.started"), &Query::default());
        assert!(a
            .recipients
            .iter()
            .flat_map(|n| &n.reasons)
            .all(|r| matches!(r.setting, Governor::Review(_))));
        a.recipients.iter().map(|n| n.address.clone()).collect::<Vec<_>>()
    };
    assert_eq!(started("Global Administrator"), ["board@contoso.com"]);
    assert_eq!(started("Global Reader"), ["<reviewers>"]);
    assert_eq!(started("User Administrator"), ["<assignee>"]);
    assert_eq!(started("Exchange Administrator"), ["lead@contoso.com", "<manager>"]);
    let none = evaluate(
        &p,
        p.find_role("Helpdesk Administrator").unwrap(),
        event("review.started"),
        &Query::default(),
    );
    assert_eq!(none.suppressed[0].reason, SuppressReason::NoReview);
}

// Basis: "Email notifications in PIM" and every settings page: one event emails at most 1,000
// recipients, "only the first 1,000 recipients receive an email notification".
#[test]
fn recipient_cap_row() {
    let members: Vec<String> = (0..1200).map(|i| format!("u{i}@contoso.com")).collect();
    let yaml = format!(
        "version: 2\ngroups:\n  everyone: [{}]\ndirectory:\n  admins: [group:everyone]\n",
        members.join(", ")
    );
    let p = load(&yaml);
    let (reached, suppressed) = answer(&p, "activation.completed");
    assert_eq!(reached.len(), 1201, "everyone is listed, with <assignee>");
    assert_eq!(suppressed, ["admin:over-cap", "assignee:over-cap"]);
    // Counted over audiences: 600 admins and 600 extra recipients make 1,200.
    let half =
        |r: std::ops::Range<usize>| r.map(|i| format!("u{i}@contoso.com")).collect::<Vec<_>>().join(", ");
    let split = format!(
        "version: 2\ndirectory:\n  admins: [{}]\ndefaults:\n  activation.assignee: {{ extra: [{}] }}\n",
        half(0..600),
        half(600..1200)
    );
    assert_eq!(answer(&load(&split), "activation.completed").1, ["admin:over-cap", "assignee:over-cap"]);
    // Placeholders are not counted until a snapshot names their people.
    assert!(answer(
        &load(&format!("version: 2\ndirectory:\n  admins: [{}]\n", half(0..999))),
        "activation.completed"
    )
    .1
    .is_empty());
}

#[test]
fn dashboard_only_alerts_answer_that_nobody_is_emailed() {
    let entra = Policy::builtin_default();
    for id in ["alert.too-many-global-admins", "alert.stale-accounts", "alert.no-license"] {
        let (reached, suppressed) = answer(&entra, id);
        assert!(reached.is_empty(), "{id}");
        assert_eq!(suppressed, ["admin:dashboard-only"], "{id}");
    }
    let azure = scope_policy(Scope::AzureResources, "");
    assert_eq!(answer(&azure, "alert.duplicate-role").1, ["admin:dashboard-only"]);
    assert_eq!(answer(&azure, "alert.assigned-outside-pim").0, ["<admins>"]);
    let off = load("version: 2\nalerts:\n  assigned-outside-pim: { enabled: false }\n  stale-accounts: { enabled: false }\n");
    assert_eq!(answer(&off, "alert.assigned-outside-pim").1, ["admin:alert-disabled"]);
    assert_eq!(answer(&off, "alert.stale-accounts").1, ["admin:alert-disabled"]);
}

#[test]
fn every_documented_basis_names_a_learn_page() {
    for page in catalog::pages() {
        assert!(page.url.starts_with("https://learn.microsoft.com/"), "{}", page.url);
    }
    for e in catalog::events() {
        for a in e.audience_entries() {
            for scope in &a.scopes {
                let source = a.evidence_in(*scope);
                assert_eq!(
                    source.basis == Basis::Documented,
                    !source.pages.is_empty(),
                    "{} {}",
                    e.id,
                    a.audience
                );
            }
        }
    }
}
