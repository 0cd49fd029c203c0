//! reject: `if` without `else` used as a value
// error: `if` without `else` must have type `()`
// at: 7:18
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn pick(c: bool) -> i64 {
    let x = if c { 1 };
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
