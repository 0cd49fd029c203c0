//! reject: `isize` parameter
// error: `isize` is not supported
// at: 6:14
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn offset(d: isize) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
