//! reject: `impl MapKey` whose `key_hash` returns the wrong type
// error: key_hash
// at: 12:8
use vmkit::{GcList, GcMap, MapKey, Str};

#[derive(Clone, Copy)]
struct Key {
    a: i64,
}

impl MapKey for Key {
    fn key_hash(&self) -> bool {
        true
    }
    fn key_eq(&self, other: &Key) -> bool {
        self.a == other.a
    }
}

fn count(m: GcMap<Key, i64>) -> usize {
    m.len()
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
