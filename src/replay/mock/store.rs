//! The mock's state: entities created through it, by normalised item path
//! (`external/connections/contosohr/groups/31bea3d537902000/members/1431b9c38ee647f6a`).
//! A lock around a map is enough: no request holds it across an await.

use std::collections::{BTreeMap, HashMap};
use std::sync::RwLock;

use serde_json::{Map, Value};

pub(crate) type Entity = Map<String, Value>;

/// Items the store holds at most: a client that creates in a loop meets
/// 507 instead of exhausting memory (a documented entity can weigh several
/// kilobytes in memory; 20,000 of them stay under about 200 MB, and a whole
/// documentation corpus creates far fewer).
pub(crate) const CAPACITY: usize = 20_000;

/// A list answers with at most this many items, as Graph pages its lists.
pub(crate) const PAGE: usize = 100;

/// Items by collection, then by their last path segment, so that reading
/// one item or listing one collection never walks the others.
#[derive(Debug, Default)]
struct Items {
    by_collection: HashMap<String, BTreeMap<String, Entity>>,
    len: usize,
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    items: RwLock<Items>,
    /// Creates so far, per collection (seeds repeatable ids).
    serials: RwLock<HashMap<String, u64>>,
}

/// `collection/item` into its two parts.
fn split(key: &str) -> (&str, &str) {
    key.rsplit_once('/').unwrap_or(("", key))
}

impl Store {
    pub(crate) fn get(&self, key: &str) -> Option<Entity> {
        let (c, i) = split(key);
        self.read().by_collection.get(c)?.get(i).cloned()
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        let (c, i) = split(key);
        self.read()
            .by_collection
            .get(c)
            .is_some_and(|items| items.contains_key(i))
    }

    /// Stores `entity` at `key`, replacing what was there (PUT, and a create
    /// that repeats an id: replaying a page twice must not fail). `false`
    /// when the store is full and `key` is new.
    pub(crate) fn put(&self, key: &str, entity: Entity) -> bool {
        let (c, i) = split(key);
        let mut items = self.write();
        let full = items.len >= CAPACITY;
        let collection = items.by_collection.entry(c.to_owned()).or_default();
        if collection.contains_key(i) {
            collection.insert(i.to_owned(), entity);
            return true;
        }
        if full {
            return false;
        }
        collection.insert(i.to_owned(), entity);
        items.len += 1;
        true
    }

    /// Merges `patch` into the entity at `key` (RFC 7396 at the top level,
    /// as Graph's PATCH does) and returns the result.
    pub(crate) fn merge(&self, key: &str, patch: &Entity) -> Option<Entity> {
        let (c, i) = split(key);
        let mut items = self.write();
        let entity = items.by_collection.get_mut(c)?.get_mut(i)?;
        for (k, v) in patch {
            entity.insert(k.clone(), v.clone());
        }
        Some(entity.clone())
    }

    pub(crate) fn remove(&self, key: &str) -> bool {
        let (c, i) = split(key);
        let mut items = self.write();
        let removed = items
            .by_collection
            .get_mut(c)
            .is_some_and(|items| items.remove(i).is_some());
        if removed {
            items.len -= 1;
        }
        removed
    }

    /// The first [`PAGE`] entities directly below `collection`, in key order.
    pub(crate) fn list(&self, collection: &str) -> Vec<Entity> {
        self.read()
            .by_collection
            .get(collection)
            .map(|items| items.values().take(PAGE).cloned().collect())
            .unwrap_or_default()
    }

    /// How many creates `collection` has seen before this one.
    pub(crate) fn next_serial(&self, collection: &str) -> u64 {
        let mut serials = self.serials.write().unwrap_or_else(|e| e.into_inner());
        let n = serials.entry(collection.to_owned()).or_insert(0);
        *n += 1;
        *n - 1
    }

    // A panic while holding the lock cannot leave a half-written map (every
    // write is one insert or remove), so a poisoned lock is still usable.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Items> {
        self.items.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Items> {
        self.items.write().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entity(v: Value) -> Entity {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn a_full_store_refuses_new_items_but_replaces_old_ones() {
        let store = Store::default();
        for i in 0..CAPACITY {
            assert!(store.put(&format!("c/{i}"), Entity::new()));
        }
        assert!(!store.put("c/new", Entity::new()));
        assert!(store.put("c/7", entity(json!({"id": "7"}))));
        assert_eq!(store.list("c").len(), PAGE);
        assert!(store.remove("c/7"));
        assert!(store.put("c/new", Entity::new()));
    }

    #[test]
    fn put_merge_list_remove() {
        let store = Store::default();
        store.put("users/1", entity(json!({"id": "1", "name": "a"})));
        store.put("users/2", entity(json!({"id": "2"})));
        store.put("users/2/photos/3", entity(json!({"id": "3"})));
        let merged = store.merge("users/1", &entity(json!({"name": "b", "x": 1})));
        assert_eq!(
            merged,
            Some(entity(json!({"id": "1", "name": "b", "x": 1})))
        );
        assert_eq!(store.list("users").len(), 2);
        assert!(store.remove("users/1"));
        assert!(!store.remove("users/1"));
        assert_eq!(store.get("users/2"), Some(entity(json!({"id": "2"}))));
        assert_eq!(
            (store.next_serial("users"), store.next_serial("users")),
            (0, 1)
        );
        assert_eq!(store.next_serial("groups"), 0);
    }
}
