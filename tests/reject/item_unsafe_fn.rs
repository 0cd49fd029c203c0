//! reject: `unsafe fn`
// error: `unsafe` functions are not supported in the DSL
// at: 6:11
use vmkit::{Gc, GcArray, GcList, Mut, Str};

unsafe fn poke() -> i64 {
    1
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
