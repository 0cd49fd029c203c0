//! reject: `unsafe` block
// error: `unsafe` blocks are not supported
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn raw() -> i64 {
    let x = unsafe { 1 };
    x
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
