//! reject: call of an undefined function
// error: cannot find `not_defined` in this scope
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn run() -> i64 {
    not_defined(1)
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
