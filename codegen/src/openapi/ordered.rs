//! A JSON object's entries in the order their keys first came, a later
//! value for a key replacing the earlier one in its place: how the
//! `serde_json::Map` (with `preserve_order`) the document was once built in
//! behaved, so that two endpoints on one path, say, still give the same
//! bytes.

use std::collections::HashMap;
use std::hash::Hash;

use serde::{Serialize, Serializer};

pub struct Ordered<K, V> {
    entries: Vec<(K, V)>,
    positions: HashMap<K, usize>,
}

impl<K, V> Default for Ordered<K, V> {
    fn default() -> Self {
        Ordered {
            entries: Vec::new(),
            positions: HashMap::new(),
        }
    }
}

impl<K: Hash + Eq + Clone, V> Ordered<K, V> {
    /// Adds `value` at the end, or in the place of the value `key` has.
    pub fn insert(&mut self, key: K, value: V) {
        match self.positions.get(&key) {
            Some(&at) => self.entries[at].1 = value,
            None => {
                self.positions.insert(key.clone(), self.entries.len());
                self.entries.push((key, value));
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The value of `key`, if it has one.
    pub fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let at = *self.positions.get(key)?;
        Some(&mut self.entries[at].1)
    }

    /// The value of `key`, added empty at the end if it has none.
    pub fn entry(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let at = match self.positions.get(&key) {
            Some(&at) => at,
            None => {
                self.positions.insert(key.clone(), self.entries.len());
                self.entries.push((key, V::default()));
                self.entries.len() - 1
            }
        };
        &mut self.entries[at].1
    }
}

impl<K: Serialize, V: Serialize> Serialize for Ordered<K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.entries.iter().map(|(k, v)| (k, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::Ordered;

    #[test]
    fn a_second_value_takes_the_first_ones_place() {
        let mut map = Ordered::default();
        map.insert("b", 1);
        map.insert("a", 2);
        map.insert("b", 3);
        *map.entry("c") += 4;
        *map.entry("a") += 10;
        assert_eq!(
            serde_json::to_string(&map).unwrap(),
            r#"{"b":3,"a":12,"c":4}"#
        );
    }
}
