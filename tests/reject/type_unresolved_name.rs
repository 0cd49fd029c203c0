//! reject: unresolved name
// error: cannot find `undefined_thing` in this scope
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn run() -> i64 {
    undefined_thing + 1
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
