//! reject: `RefCell` field
// error: `RefCell` is not a DSL type
// at: 8:11
use std::cell::RefCell;
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Cache {
    hits: RefCell<i64>,
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
