//! reject: `let` without an initial value
// error: `let` without an initial value
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn late() -> i64 {
    let x: i64;
    x = 1;
    x
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
