//! reject: closure
// error: closures are not supported
// at: 7:15
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn sum() -> i64 {
    let add = |a: i64, b: i64| a + b;
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
