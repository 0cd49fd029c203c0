//! reject: two functions with the same name
// error: `helper` is defined twice in this module
// at: 10:4
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn helper() -> i64 {
    1
}

fn helper() -> i64 {
    2
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
