//! The policy file exactly as written: serde structs that keep every value's position.
//! Nothing here is checked beyond YAML types and known keys; `load` validates the rest so
//! that one run reports every problem.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use serde_saphyr::Spanned;

pub type Text = Spanned<String>;
pub type Flag = Option<Spanned<bool>>;
pub type RecipientList = Option<Spanned<Vec<Text>>>;

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawPolicy {
    pub version: Option<Spanned<i64>>,
    pub scope: Option<Text>,
    pub directory: Option<RawDirectory>,
    pub groups: Option<SpannedMap<Option<Vec<Text>>>>,
    pub defaults: Option<SpannedMap<RawSetting>>,
    pub roles: Option<Vec<Spanned<RawRole>>>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawDirectory {
    pub admins: RecipientList,
    pub default_approvers: RecipientList,
    pub reviewers: RecipientList,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRole {
    pub name: Text,
    pub id: Option<Text>,
    /// The Graph `unifiedRoleManagementPolicy` id, kept for `export graph`.
    pub policy_id: Option<Text>,
    pub approval_required: Flag,
    pub approvers: RecipientList,
    pub reviewers: RecipientList,
    pub settings: Option<SpannedMap<RawSetting>>,
    pub lint: Option<RawRoleLint>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RawSetting {
    pub disabled: Flag,
    pub default_recipients: Flag,
    pub extra: RecipientList,
    pub critical_only: Flag,
    pub inherit: Flag,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRoleLint {
    pub allow: Option<SpannedMap<Text>>,
}

/// A mapping whose keys keep their positions and order. Duplicate keys never reach it: the
/// parser refuses them.
pub struct SpannedMap<V>(pub Vec<(Text, V)>);

impl<V> Default for SpannedMap<V> {
    fn default() -> Self {
        SpannedMap(Vec::new())
    }
}

impl<'de, V: Deserialize<'de>> Deserialize<'de> for SpannedMap<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(SpannedMapVisitor(PhantomData))
    }
}

struct SpannedMapVisitor<V>(PhantomData<V>);

impl<'de, V: Deserialize<'de>> Visitor<'de> for SpannedMapVisitor<V> {
    type Value = SpannedMap<V>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(0).min(4096));
        while let Some(key) = map.next_key::<Text>()? {
            let value = map.next_value::<V>()?;
            entries.push((key, value));
        }
        Ok(SpannedMap(entries))
    }
}
