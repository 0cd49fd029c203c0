//! reject: `impl Trait` return type
// error: trait objects and `impl Trait` are not supported
// at: 6:14
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn make() -> impl Copy {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
