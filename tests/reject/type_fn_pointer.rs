//! reject: function pointer parameter
// error: function pointers are not supported
// at: 6:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn apply(f: fn(i64) -> i64, x: i64) -> i64 {
    x
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
