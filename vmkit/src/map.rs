//! `GcMap<K, V>`: an insertion-ordered hash map whose keys hash and compare through user code.
//!
//! Keys implement [`MapKey`] (implemented here for the integer types, `bool` and `Str`; an
//! interpreter implements it for its own `Copy` key types, e.g. a Python object wrapper). Entries
//! keep insertion order; `key_at(i)`/`value_at(i)` walk them for `i < len()`. `remove` keeps the
//! order of the other entries.

use crate::str::Str;
use std::cell::RefCell;
use std::collections::HashMap;

/// Hashing and equality for map keys. `key_eq` must agree with `key_hash`.
pub trait MapKey: Copy + 'static {
    fn key_hash(&self) -> u64;
    fn key_eq(&self, other: &Self) -> bool;
}

macro_rules! int_key {
    ($($t:ty),*) => {$(
        impl MapKey for $t {
            fn key_hash(&self) -> u64 { *self as u64 }
            fn key_eq(&self, other: &Self) -> bool { *self == *other }
        }
    )*};
}
int_key!(i64, u64, usize, u8, bool);

impl MapKey for Str {
    fn key_hash(&self) -> u64 {
        self.hash()
    }
    fn key_eq(&self, other: &Self) -> bool {
        *self == *other
    }
}

struct MapData<K, V> {
    entries: Vec<(K, V)>,
    index: HashMap<u64, Vec<usize>>,
}

/// An insertion-ordered hash map (a GC object; `Copy` handle).
pub struct GcMap<K: MapKey, V: Copy + 'static> {
    data: &'static RefCell<MapData<K, V>>,
}

impl<K: MapKey, V: Copy + 'static> Clone for GcMap<K, V> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<K: MapKey, V: Copy + 'static> Copy for GcMap<K, V> {}

impl<K: MapKey, V: Copy + 'static> GcMap<K, V> {
    pub fn new() -> GcMap<K, V> {
        GcMap {
            data: Box::leak(Box::new(RefCell::new(MapData {
                entries: Vec::new(),
                index: HashMap::new(),
            }))),
        }
    }

    fn find(self, key: K) -> Option<usize> {
        let h = key.key_hash();
        let candidates: Vec<usize> = self
            .data
            .borrow()
            .index
            .get(&h)
            .cloned()
            .unwrap_or_default();
        for i in candidates {
            let k = self.data.borrow().entries[i].0;
            if k.key_eq(&key) {
                return Some(i);
            }
        }
        None
    }

    pub fn len(self) -> usize {
        self.data.borrow().entries.len()
    }
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
    pub fn get(self, key: K) -> Option<V> {
        self.find(key).map(|i| self.data.borrow().entries[i].1)
    }
    pub fn contains_key(self, key: K) -> bool {
        self.find(key).is_some()
    }
    /// Inserts or replaces; a replaced entry keeps its position. Returns the old value.
    pub fn insert(self, key: K, value: V) -> Option<V> {
        if let Some(i) = self.find(key) {
            let old = self.data.borrow().entries[i].1;
            self.data.borrow_mut().entries[i].1 = value;
            return Some(old);
        }
        let h = key.key_hash();
        let mut d = self.data.borrow_mut();
        let i = d.entries.len();
        d.entries.push((key, value));
        d.index.entry(h).or_default().push(i);
        None
    }
    /// Removes `key`, keeping the order of the other entries. Returns its value.
    pub fn remove(self, key: K) -> Option<V> {
        let i = self.find(key)?;
        let mut d = self.data.borrow_mut();
        let (_, v) = d.entries.remove(i);
        let entries: Vec<(K, V)> = d.entries.clone();
        d.index.clear();
        for (j, (k, _)) in entries.iter().enumerate() {
            d.index.entry(k.key_hash()).or_default().push(j);
        }
        Some(v)
    }
    /// The key of the `index`-th entry in insertion order.
    pub fn key_at(self, index: usize) -> K {
        self.data.borrow().entries[index].0
    }
    /// The value of the `index`-th entry in insertion order.
    pub fn value_at(self, index: usize) -> V {
        self.data.borrow().entries[index].1
    }
    pub fn clear(self) {
        let mut d = self.data.borrow_mut();
        d.entries.clear();
        d.index.clear();
    }
}

impl<K: MapKey, V: Copy + 'static> Default for GcMap<K, V> {
    fn default() -> Self {
        GcMap::new()
    }
}
