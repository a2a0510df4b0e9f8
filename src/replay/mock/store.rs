//! The mock's state: entities by collection path (normalised segments,
//! `users` or `external/connections/c/groups/g/members`) and id (the last
//! segment, normalised). Collections start as the documented examples seed
//! them ([`Seeds`]: each documented item once, under its documented id) and
//! then hold what clients create, replace and remove.
//!
//! State is kept per scope (a client's `x-exemplar-scope`; `run` sends the
//! number of the page it replays, so concurrent pages never see each
//! other's writes). A scope's collection is copied from the seeds on its
//! first write; reads of an untouched collection read the seeds directly,
//! so a GET never takes the write lock. No request holds a lock across an
//! await.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use bytes::Bytes;
use serde_json::{Map, Value};

pub(crate) type Entity = Map<String, Value>;

/// Items the store holds at most, seeds copied into scopes included: a
/// client that creates in a loop meets 507 instead of exhausting memory (a
/// documented entity can weigh several kilobytes in memory; 20,000 of them
/// stay under about 200 MB, and a whole documentation corpus creates far
/// fewer).
pub(crate) const CAPACITY: usize = 20_000;

/// A list answers with at most this many items unless `$top` says, as
/// Graph pages its lists.
pub(crate) const PAGE: usize = 100;

/// One stored entity and its serialised form, shared by every reader.
#[derive(Debug, Clone)]
pub(crate) struct Stored {
    /// Insertion order within the collection (lists keep it).
    seq: u64,
    /// The entity without its `@odata.context` (a list's items carry none).
    pub(crate) entity: Arc<Entity>,
    /// The item's own `@odata.context`, which a read of the item shows.
    pub(crate) context: Option<Value>,
    /// The item read as JSON: context first, then the entity.
    pub(crate) bytes: Bytes,
}

impl Stored {
    /// What a removal answers with (nothing).
    pub(crate) fn empty() -> Stored {
        Stored {
            seq: 0,
            entity: Arc::new(Entity::new()),
            context: None,
            bytes: Bytes::new(),
        }
    }

    fn new(seq: u64, mut entity: Entity) -> Stored {
        let context = entity.shift_remove("@odata.context");
        let bytes = Bytes::from(
            serde_json::to_vec(&with_context(&entity, context.as_ref())).unwrap_or_default(),
        );
        Stored {
            seq,
            entity: Arc::new(entity),
            context,
            bytes,
        }
    }
}

/// `entity` with `@odata.context` first, as an item read shows it.
pub(crate) fn with_context(entity: &Entity, context: Option<&Value>) -> Value {
    let mut out = Map::new();
    if let Some(c) = context {
        out.insert("@odata.context".into(), c.clone());
    }
    for (k, v) in entity {
        out.insert(k.clone(), v.clone());
    }
    Value::Object(out)
}

/// One documented item: the page that documents it and the entity.
#[derive(Debug)]
struct Seed {
    id: String,
    page: usize,
    stored: Stored,
}

/// The documented items, by collection, in page order; built once.
#[derive(Debug, Default)]
pub(crate) struct Seeds {
    collections: HashMap<String, Vec<Seed>>,
    /// Collections a documented list shows (not only items read one by one).
    listed: std::collections::HashSet<String>,
    /// Listed collections whose every documented list counts unasked.
    counted: std::collections::HashSet<String>,
    seq: u64,
}

impl Seeds {
    /// Records `entity` as documented by `page` at `collection/id`.
    pub(crate) fn add(&mut self, collection: &str, id: &str, page: usize, entity: Entity) {
        let seeds = self.collections.entry(collection.to_owned()).or_default();
        // Each documented item once per page: the first documentation
        // wins, unless it was only an update's `{"id": ...}`.
        if let Some(old) = seeds.iter_mut().find(|s| s.id == id && s.page == page) {
            if old.stored.entity.len() <= 1 && entity.len() > 1 {
                old.stored = Stored::new(old.stored.seq, entity);
            }
            return;
        }
        self.seq += 1;
        seeds.push(Seed {
            id: id.to_owned(),
            page,
            stored: Stored::new(self.seq, entity),
        });
    }

    /// Marks `collection` as one a documented list shows; `counted` when
    /// that list carries `@odata.count` unasked.
    pub(crate) fn listed(&mut self, collection: &str, counted: bool) {
        if self.listed.insert(collection.to_owned()) {
            if counted {
                self.counted.insert(collection.to_owned());
            }
        } else if !counted {
            self.counted.remove(collection);
        }
    }

    /// The seed of `collection/id` that `page` sees: its own page's, else
    /// the first page's.
    fn find(&self, collection: &str, id: &str, page: Option<usize>) -> Option<&Stored> {
        let seeds = self.collections.get(collection)?;
        let mut first = None;
        for s in seeds.iter().filter(|s| s.id == id) {
            if Some(s.page) == page {
                return Some(&s.stored);
            }
            first.get_or_insert(&s.stored);
        }
        first
    }

    /// Every item of `collection` as `page` sees it, each id once, in
    /// documented order: the page's own items when it documents the
    /// collection (a page replayed by `run` is a world of its own: its
    /// list shows its items), else every page's.
    fn view(&self, collection: &str, page: Option<usize>) -> Vec<(String, Stored)> {
        let Some(seeds) = self.collections.get(collection) else {
            return Vec::new();
        };
        let own = page.filter(|p| seeds.iter().any(|s| s.page == *p));
        let mut out: Vec<(String, Stored)> = Vec::new();
        for s in seeds.iter().filter(|s| own.is_none_or(|p| s.page == p)) {
            match out.iter_mut().find(|(id, _)| *id == s.id) {
                Some(slot) if Some(s.page) == page => slot.1 = s.stored.clone(),
                Some(_) => {}
                None => out.push((s.id.clone(), s.stored.clone())),
            }
        }
        out
    }

    pub(crate) fn len(&self) -> usize {
        self.collections.values().map(Vec::len).sum()
    }
}

/// A scope's copy of one collection.
#[derive(Debug, Default)]
struct Collection {
    items: HashMap<String, Stored>,
}

#[derive(Debug, Default)]
struct Items {
    /// (scope, collection) → items.
    collections: HashMap<(String, String), Collection>,
    len: usize,
    seq: u64,
}

impl Items {
    /// A collection [`Store::materialise`] made (an empty one otherwise).
    fn get(&mut self, scope: Scope, collection: &str) -> &mut Collection {
        self.collections
            .entry((scope.name.to_owned(), collection.to_owned()))
            .or_default()
    }
}

/// Where one request reads and writes: its scope, and the page whose
/// documentation it prefers (the scope's number, when it is one).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scope<'a> {
    pub(crate) name: &'a str,
    pub(crate) page: Option<usize>,
}

#[derive(Debug, Default)]
pub(crate) struct Store {
    items: RwLock<Items>,
    seeds: Seeds,
    /// Creates so far, per collection (seeds repeatable ids).
    serials: RwLock<HashMap<String, u64>>,
}

/// The store is full: the answer is 507.
#[derive(Debug)]
pub(crate) struct Full;

impl Store {
    pub(crate) fn new(seeds: Seeds) -> Store {
        Store {
            seeds,
            ..Store::default()
        }
    }

    /// Does every documented list of `collection` carry `@odata.count`?
    pub(crate) fn counts(&self, collection: &str) -> bool {
        self.seeds.counted.contains(collection)
    }

    pub(crate) fn seeded(&self) -> usize {
        self.seeds.len()
    }

    pub(crate) fn get(&self, scope: Scope, collection: &str, id: &str) -> Option<Stored> {
        let items = self.read();
        match items
            .collections
            .get(&(scope.name.to_owned(), collection.to_owned()))
        {
            Some(c) => c.items.get(id).cloned(),
            None => self.seeds.find(collection, id, scope.page).cloned(),
        }
    }

    /// Was `collection/id` documented (so that its absence now means it was removed)?
    pub(crate) fn documented(&self, collection: &str, id: &str) -> bool {
        self.seeds.find(collection, id, None).is_some()
    }

    /// Does `collection` hold items, or did a page list or a client fill it?
    pub(crate) fn is_collection(&self, scope: Scope, collection: &str) -> bool {
        self.seeds.listed.contains(collection)
            || self.seeds.collections.contains_key(collection)
            || self
                .read()
                .collections
                .contains_key(&(scope.name.to_owned(), collection.to_owned()))
    }

    /// Is `collection` one a documented list shows, or one a client filled?
    pub(crate) fn is_listed(&self, scope: Scope, collection: &str) -> bool {
        self.seeds.listed.contains(collection)
            || self
                .read()
                .collections
                .contains_key(&(scope.name.to_owned(), collection.to_owned()))
    }

    /// Stores `entity` at `collection/id`, replacing what was there (PUT,
    /// and a create that repeats an id: replaying a page twice must not
    /// fail).
    pub(crate) fn put(
        &self,
        scope: Scope,
        collection: &str,
        id: &str,
        entity: Entity,
    ) -> Result<Stored, Full> {
        let mut items = self.write();
        let items = &mut *items;
        self.materialise(items, scope, collection)?;
        items.seq += 1;
        let stored = Stored::new(items.seq, entity);
        let full = items.len >= CAPACITY;
        let c = items.get(scope, collection);
        let fresh = match c.items.get_mut(id) {
            Some(old) => {
                // A replacement keeps its place in the list.
                let seq = old.seq;
                *old = Stored {
                    seq,
                    ..stored.clone()
                };
                false
            }
            None => true,
        };
        if fresh {
            if full {
                return Err(Full);
            }
            c.items.insert(id.to_owned(), stored.clone());
            items.len += 1;
        }
        Ok(stored)
    }

    /// Merges `patch` into the entity at `collection/id` (RFC 7396 at the
    /// top level, as Graph's PATCH does) and returns the result.
    pub(crate) fn merge(
        &self,
        scope: Scope,
        collection: &str,
        id: &str,
        patch: &Entity,
        etag: impl FnOnce(&mut Entity),
    ) -> Result<Option<Stored>, Full> {
        let mut items = self.write();
        let items = &mut *items;
        self.materialise(items, scope, collection)?;
        let Some(old) = items.get(scope, collection).items.get_mut(id) else {
            return Ok(None);
        };
        let mut entity = (*old.entity).clone();
        for (k, v) in patch {
            if k != "@odata.context" {
                entity.insert(k.clone(), v.clone());
            }
        }
        etag(&mut entity);
        if let Some(c) = old.context.take() {
            entity.insert("@odata.context".into(), c);
        }
        *old = Stored::new(old.seq, entity);
        Ok(Some(old.clone()))
    }

    /// Removes `collection/id`; `false` when there was nothing.
    pub(crate) fn remove(&self, scope: Scope, collection: &str, id: &str) -> Result<bool, Full> {
        let mut items = self.write();
        let items = &mut *items;
        self.materialise(items, scope, collection)?;
        let removed = items.get(scope, collection).items.remove(id).is_some();
        if removed {
            items.len -= 1;
        }
        Ok(removed)
    }

    /// The entities of `collection` in insertion order (documented first).
    pub(crate) fn list(&self, scope: Scope, collection: &str) -> Vec<Arc<Entity>> {
        let items = self.read();
        match items
            .collections
            .get(&(scope.name.to_owned(), collection.to_owned()))
        {
            Some(c) => {
                let mut all: Vec<&Stored> = c.items.values().collect();
                all.sort_by_key(|s| s.seq);
                all.into_iter().map(|s| Arc::clone(&s.entity)).collect()
            }
            None => self
                .seeds
                .view(collection, scope.page)
                .into_iter()
                .map(|(_, s)| s.entity)
                .collect(),
        }
    }

    /// The scope's copy of `collection`, made from the seeds on first use.
    fn materialise(&self, items: &mut Items, scope: Scope, collection: &str) -> Result<(), Full> {
        let key = (scope.name.to_owned(), collection.to_owned());
        if !items.collections.contains_key(&key) {
            let view = self.seeds.view(collection, scope.page);
            if items.len + view.len() > CAPACITY {
                return Err(Full);
            }
            items.len += view.len();
            let c = Collection {
                items: view.into_iter().collect(),
            };
            items.collections.insert(key, c);
        }
        Ok(())
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

    const ANY: Scope = Scope {
        name: "",
        page: None,
    };

    #[test]
    fn a_full_store_refuses_new_items_but_replaces_old_ones() {
        let store = Store::default();
        for i in 0..CAPACITY {
            assert!(store.put(ANY, "c", &i.to_string(), Entity::new()).is_ok());
        }
        assert!(store.put(ANY, "c", "new", Entity::new()).is_err());
        assert!(store.put(ANY, "c", "7", entity(json!({"id": "7"}))).is_ok());
        assert_eq!(store.list(ANY, "c").len(), CAPACITY);
        assert!(store.remove(ANY, "c", "7").unwrap());
        assert!(store.put(ANY, "c", "new", Entity::new()).is_ok());
    }

    #[test]
    fn put_merge_list_remove() {
        let store = Store::default();
        store
            .put(ANY, "users", "1", entity(json!({"id": "1", "name": "a"})))
            .unwrap();
        store
            .put(ANY, "users", "2", entity(json!({"id": "2"})))
            .unwrap();
        store
            .put(ANY, "users/2/photos", "3", entity(json!({"id": "3"})))
            .unwrap();
        let merged = store
            .merge(
                ANY,
                "users",
                "1",
                &entity(json!({"name": "b", "x": 1})),
                |_| {},
            )
            .unwrap()
            .map(|s| (*s.entity).clone());
        assert_eq!(
            merged,
            Some(entity(json!({"id": "1", "name": "b", "x": 1})))
        );
        assert_eq!(store.list(ANY, "users").len(), 2);
        assert!(store.remove(ANY, "users", "1").unwrap());
        assert!(!store.remove(ANY, "users", "1").unwrap());
        assert_eq!(
            store.get(ANY, "users", "2").map(|s| (*s.entity).clone()),
            Some(entity(json!({"id": "2"})))
        );
        assert_eq!(
            (store.next_serial("users"), store.next_serial("users")),
            (0, 1)
        );
        assert_eq!(store.next_serial("groups"), 0);
    }

    #[test]
    fn seeds_are_per_scope_and_prefer_the_scope_page() {
        let mut seeds = Seeds::default();
        seeds.add("users", "1", 0, entity(json!({"id": "1", "n": "en"})));
        seeds.add("users", "1", 1, entity(json!({"id": "1", "n": "zh"})));
        seeds.add("users", "2", 1, entity(json!({"id": "2"})));
        seeds.listed("users", false);
        let store = Store::new(seeds);
        let (a, b) = (
            Scope {
                name: "0",
                page: Some(0),
            },
            Scope {
                name: "1",
                page: Some(1),
            },
        );
        assert_eq!(store.get(a, "users", "1").unwrap().entity["n"], "en");
        assert_eq!(store.get(b, "users", "1").unwrap().entity["n"], "zh");
        assert_eq!(store.get(ANY, "users", "1").unwrap().entity["n"], "en");
        assert!(store.remove(a, "users", "1").unwrap());
        assert!(store.get(a, "users", "1").is_none());
        assert!(store.documented("users", "1"));
        // Another scope still sees the documented item.
        assert!(store.get(b, "users", "1").is_some());
        // Page 0 documents only item 1, which its scope removed; page 1
        // documents both.
        assert_eq!(store.list(a, "users").len(), 0);
        assert_eq!(store.list(b, "users").len(), 2);
        assert_eq!(store.list(ANY, "users").len(), 2);
        assert!(store.is_listed(ANY, "users"));
    }
}
