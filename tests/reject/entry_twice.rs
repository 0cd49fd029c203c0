//! reject: two entry functions
// error: a second `#[vmkit::entry]` function (the first is `entry`)
// at: 12:8
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry2(args: GcList<Str>) -> i64 {
    1
}
