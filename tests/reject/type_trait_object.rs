//! reject: `&dyn Trait` parameter
// error: trait objects and `impl Trait` are not supported
// at: 6:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn show(x: &dyn Describe) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
