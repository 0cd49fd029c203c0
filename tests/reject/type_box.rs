//! reject: `Box<T>` for a recursive struct
// error: `Box` is not a DSL type
// at: 8:18
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Node {
    value: i64,
    next: Option<Box<Node>>,
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
