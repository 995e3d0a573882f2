//! The validated policy: what the evaluator works on. Built by [`crate::load`]; every value
//! a user wrote keeps its position.

use std::collections::HashMap;
use std::sync::Arc;

use indexmap::IndexMap;

use crate::catalog::{self, Event, Scope, SettingId};
use crate::glob::Glob;
use crate::recipient::Recipient;
use crate::span::{Located, Pos};

/// The policy file format this version of pim-notify writes; version 1 files still load.
pub const CURRENT_VERSION: u32 = 2;

pub type LocatedRecipient = Located<Recipient>;

/// A list of recipients as written, with the position of the list itself.
#[derive(Clone, Debug, Default)]
pub struct RecipientList {
    pub pos: Pos,
    pub items: Vec<LocatedRecipient>,
}

/// Who the placeholders are, when the policy says and no snapshot does.
#[derive(Clone, Debug, Default)]
pub struct Directory {
    /// `<admins>`.
    pub admins: Option<RecipientList>,
    /// `<approvers>` of roles that list none (only where the scope has default approvers).
    pub default_approvers: Option<RecipientList>,
    /// `<role-admins>`: who approves extensions and renewals.
    pub role_admins: Option<RecipientList>,
}

/// One alert switched on or off under `alerts:`.
#[derive(Clone, Debug)]
pub struct AlertSwitch {
    pub alert: &'static Event,
    /// Where the alert's key is written.
    pub pos: Pos,
    pub enabled: Option<Located<bool>>,
}

/// The `alerts:` section: every alert is on unless switched off here.
#[derive(Clone, Debug, Default)]
pub struct Alerts(pub Vec<AlertSwitch>);

impl Alerts {
    pub fn get(&self, alert: &Event) -> Option<&AlertSwitch> {
        self.0.iter().find(|a| std::ptr::eq(a.alert, alert))
    }

    /// Where the alert is switched off, if it is.
    pub fn switched_off(&self, alert: &Event) -> Option<Pos> {
        let enabled = self.get(alert)?.enabled.as_ref()?;
        (!enabled.value).then_some(enabled.pos)
    }
}

/// Who reviews an access review.
#[derive(Clone, Debug)]
pub enum Reviewers {
    /// The file does not say: `<reviewers>`.
    Unnamed,
    /// Named users, groups and mailboxes.
    Listed(RecipientList),
    /// The members review their own access (`[self]`), written at this position.
    Members(Pos),
    /// Each member's manager (`[manager]`), and who reviews members without one.
    Managers { pos: Pos, fallback: Option<RecipientList> },
}

/// One access review of `reviews:` and the emails it sends.
#[derive(Clone, Debug)]
pub struct Review {
    /// Shared with every reason that names the review.
    pub name: Arc<str>,
    /// Where the review's entry starts.
    pub pos: Pos,
    /// Role names, ids or globs the review covers.
    pub roles: Vec<(Located<String>, Glob)>,
    pub reviewers: Reviewers,
    /// Started and completed emails (default on).
    pub mail: Option<Located<bool>>,
    /// Reminder emails (default on).
    pub reminders: Option<Located<bool>>,
    /// More recipients of the completion email.
    pub completed_extra: Option<RecipientList>,
}

impl Review {
    /// Whether the review covers `role`: a pattern matches its name, built-in name or id.
    pub fn covers(&self, role: &Role) -> bool {
        self.roles.iter().any(|(_, glob)| Review::matches(glob, role))
    }

    /// Whether one of a review's `roles:` patterns names `role`.
    pub fn matches(glob: &Glob, role: &Role) -> bool {
        let names = [Some(role.name.as_str()), role.builtin.map(|b| b.name.as_str()), role.id.as_deref()];
        names.iter().flatten().any(|n| glob.matches(n))
    }

    pub fn mail_on(&self) -> bool {
        self.mail.as_ref().is_none_or(|m| m.value)
    }

    pub fn reminders_on(&self) -> bool {
        self.reminders.as_ref().is_none_or(|m| m.value)
    }
}

#[derive(Clone, Debug)]
pub struct Group {
    /// Where the group's name is written.
    pub pos: Pos,
    pub members: Vec<LocatedRecipient>,
}

/// One layer's override of a setting: only the fields the user wrote are `Some`.
#[derive(Clone, Debug)]
pub struct SettingOverride {
    pub id: SettingId,
    /// Where the setting's key is written.
    pub pos: Pos,
    pub disabled: Option<Located<bool>>,
    pub default_recipients: Option<Located<bool>>,
    pub critical_only: Option<Located<bool>>,
    pub inherit: Option<Located<bool>>,
    pub extra: Option<RecipientList>,
}

impl SettingOverride {
    pub fn new(id: SettingId, pos: Pos) -> Self {
        SettingOverride {
            id,
            pos,
            disabled: None,
            default_recipients: None,
            critical_only: None,
            inherit: None,
            extra: None,
        }
    }
}

/// The overrides of one layer (`defaults:` or a role's `settings:`), at most one per setting.
#[derive(Clone, Debug, Default)]
pub struct Settings(pub Vec<SettingOverride>);

impl Settings {
    pub fn get(&self, id: SettingId) -> Option<&SettingOverride> {
        self.0.iter().find(|s| s.id == id)
    }

    pub fn iter(&self) -> impl Iterator<Item = &SettingOverride> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// A written reason to silence one lint code on one role.
#[derive(Clone, Debug)]
pub struct LintAllow {
    pub code: Located<String>,
    pub reason: Located<String>,
}

#[derive(Clone, Debug, Default)]
pub struct Role {
    pub name: String,
    /// Role template or definition id, lowercase.
    pub id: Option<String>,
    /// Set when this role is an Entra built-in role (whether or not the file overrides it).
    pub builtin: Option<&'static catalog::BuiltinRole>,
    /// Where the `roles:` entry starts; `None` for built-in roles the file does not list.
    pub declared: Option<Pos>,
    pub name_pos: Option<Pos>,
    pub id_pos: Option<Pos>,
    pub policy_id: Option<Located<String>>,
    pub approval_required: Option<Located<bool>>,
    pub approvers: Option<RecipientList>,
    pub settings: Settings,
    pub lint_allow: Vec<LintAllow>,
}

impl Role {
    pub fn requires_approval(&self) -> bool {
        self.approval_required.as_ref().is_some_and(|a| a.value)
    }

    pub fn is_listed(&self) -> bool {
        self.declared.is_some()
    }
}

/// A validated policy. Roles are the scope's built-in roles (in catalog order, overridden in
/// place) followed by the file's custom roles in file order.
#[derive(Clone, Debug)]
pub struct Policy {
    /// How to name the file in messages and `at` positions.
    pub source: String,
    pub version: u32,
    pub scope: Scope,
    pub scope_pos: Option<Pos>,
    pub directory: Directory,
    pub groups: IndexMap<String, Group>,
    pub defaults: Settings,
    pub alerts: Alerts,
    pub reviews: Vec<Review>,
    pub roles: Vec<Role>,
    pub(crate) role_index: HashMap<String, usize>,
}

impl Policy {
    /// Entra's defaults: every built-in role, every setting as shipped.
    pub fn builtin_default() -> Policy {
        crate::load::load_str("<built-in defaults>", "version: 2\n").expect("the empty policy loads").policy
    }

    /// Finds a role by name (any case) or id.
    pub fn find_role(&self, name_or_id: &str) -> Option<&Role> {
        let key = name_or_id.trim().to_lowercase();
        self.role_index.get(&key).map(|&i| &self.roles[i])
    }

    /// The position in `roles` of the role with this name (any case) or id.
    pub fn find_role_index(&self, name_or_id: &str) -> Option<usize> {
        self.role_index.get(&name_or_id.trim().to_lowercase()).copied()
    }

    /// The access reviews that cover `role`, in file order.
    pub fn reviews_of<'p>(&'p self, role: &'p Role) -> impl Iterator<Item = &'p Review> {
        self.reviews.iter().filter(move |r| r.covers(role))
    }

    /// Names of roles close to a mistyped one, best first.
    pub fn similar_roles(&self, name: &str) -> Vec<&str> {
        crate::suggest::nearest(name, self.roles.iter().map(|r| r.name.as_str()), 3)
    }

    pub(crate) fn index_roles(&mut self) {
        let mut index = HashMap::with_capacity(self.roles.len() * 2);
        for (i, role) in self.roles.iter().enumerate() {
            index.insert(role.name.to_lowercase(), i);
            if let Some(id) = &role.id {
                index.insert(id.clone(), i);
            }
            if let Some(builtin) = role.builtin {
                index.entry(builtin.name.to_lowercase()).or_insert(i);
            }
        }
        self.role_index = index;
    }
}
