//! reject: calling a local variable
// error: `f` is a local variable, not a function
// at: 8:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn run() -> i64 {
    let f = 3;
    f(2)
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
