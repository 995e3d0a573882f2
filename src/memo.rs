//! A memo for questions asked role by role: values every role can share are kept for the whole
//! run, values that depend on the current role's own settings only until the next role. This
//! is what keeps `matrix` (every format) flat in memory while it evaluates each distinct
//! answer once.

use std::collections::HashMap;
use std::hash::Hash;

/// Values by key, in two parts: those every role can share, and those of the current role.
pub struct Memo<K, V> {
    shared: HashMap<K, V>,
    own: HashMap<K, V>,
}

impl<K, V> Default for Memo<K, V> {
    fn default() -> Self {
        Memo { shared: HashMap::new(), own: HashMap::new() }
    }
}

impl<K: Hash + Eq, V> Memo<K, V> {
    /// Drops the current role's values: call it when the next role starts.
    pub fn forget_own(&mut self) {
        self.own.clear();
    }

    /// The value of `key`, made (and kept, shared or as the current role's) if it is new.
    pub fn get_or_make(&mut self, key: K, shared: bool, make: impl FnOnce() -> V) -> &V {
        let map = if shared { &mut self.shared } else { &mut self.own };
        map.entry(key).or_insert_with(make)
    }

    /// [`Memo::get_or_make`] with a `make` that can fail; nothing is kept when it does.
    pub fn get_or_try_make<E>(
        &mut self,
        key: K,
        shared: bool,
        make: impl FnOnce() -> Result<V, E>,
    ) -> Result<&V, E> {
        let map = if shared { &mut self.shared } else { &mut self.own };
        Ok(match map.entry(key) {
            std::collections::hash_map::Entry::Occupied(found) => found.into_mut(),
            std::collections::hash_map::Entry::Vacant(slot) => slot.insert(make()?),
        })
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.own.get(key).or_else(|| self.shared.get(key))
    }
}
