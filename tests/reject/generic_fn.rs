//! reject: generic function
// error: generic parameters are not supported in the DSL
// at: 6:10
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn first<T>(x: T, y: T) -> T {
    x
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
