//! reject: raw pointer parameter
// error: raw pointers are not supported
// at: 6:12
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn peek(p: *const i64) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
