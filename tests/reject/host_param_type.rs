//! reject: host function with a `GcList` parameter
// error: host function parameter of type `GcList<i64>`
// at: 7:14
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[vmkit::host]
pub fn total(items: GcList<i64>) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
