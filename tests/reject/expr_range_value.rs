//! reject: range used as a value
// error: ranges are only supported in `for` loops and patterns
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn span() -> i64 {
    let r = 0..10;
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
