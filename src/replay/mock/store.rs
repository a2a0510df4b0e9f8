//! The mock's state: entities created through it, by normalised item path
//! (`external/connections/contosohr/groups/31bea3d537902000/members/1431b9c38ee647f6a`).
//! A lock around a map is enough: no request holds it across an await.

use std::collections::HashMap;
use std::sync::RwLock;

use serde_json::{Map, Value};

pub(crate) type Entity = Map<String, Value>;

#[derive(Debug, Default)]
pub(crate) struct Store {
    items: RwLock<HashMap<String, Entity>>,
}

impl Store {
    pub(crate) fn get(&self, key: &str) -> Option<Entity> {
        self.read().get(key).cloned()
    }

    pub(crate) fn contains(&self, key: &str) -> bool {
        self.read().contains_key(key)
    }

    /// Stores `entity` at `key`, replacing what was there (PUT, and a create
    /// that repeats an id: replaying a page twice must not fail).
    pub(crate) fn put(&self, key: String, entity: Entity) {
        self.write().insert(key, entity);
    }

    /// Merges `patch` into the entity at `key` (RFC 7396 at the top level,
    /// as Graph's PATCH does) and returns the result.
    pub(crate) fn merge(&self, key: &str, patch: &Entity) -> Option<Entity> {
        let mut items = self.write();
        let entity = items.get_mut(key)?;
        for (k, v) in patch {
            entity.insert(k.clone(), v.clone());
        }
        Some(entity.clone())
    }

    pub(crate) fn remove(&self, key: &str) -> bool {
        self.write().remove(key).is_some()
    }

    /// The entities directly below `collection`, in key order.
    pub(crate) fn list(&self, collection: &str) -> Vec<Entity> {
        let prefix = format!("{collection}/");
        let items = self.read();
        let mut found: Vec<(&String, &Entity)> = items
            .iter()
            .filter(|(k, _)| {
                k.strip_prefix(&prefix)
                    .is_some_and(|rest| !rest.contains('/'))
            })
            .collect();
        found.sort_by(|a, b| a.0.cmp(b.0));
        found.into_iter().map(|(_, e)| e.clone()).collect()
    }

    // A panic while holding the lock cannot leave a half-written map (every
    // write is one insert or remove), so a poisoned lock is still usable.
    fn read(&self) -> std::sync::RwLockReadGuard<'_, HashMap<String, Entity>> {
        self.items.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Entity>> {
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
    fn put_merge_list_remove() {
        let store = Store::default();
        store.put("users/1".into(), entity(json!({"id": "1", "name": "a"})));
        store.put("users/2".into(), entity(json!({"id": "2"})));
        store.put("users/2/photos/3".into(), entity(json!({"id": "3"})));
        let merged = store.merge("users/1", &entity(json!({"name": "b", "x": 1})));
        assert_eq!(
            merged,
            Some(entity(json!({"id": "1", "name": "b", "x": 1})))
        );
        assert_eq!(store.list("users").len(), 2);
        assert!(store.remove("users/1"));
        assert!(!store.remove("users/1"));
        assert_eq!(store.get("users/2"), Some(entity(json!({"id": "2"}))));
    }
}
