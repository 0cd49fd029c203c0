//! reject: annotated `let` with a value of another type
// error: mismatched types: expected `i64`, found `bool`
// at: 7:18
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn flag() -> i64 {
    let x: i64 = true;
    x
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
