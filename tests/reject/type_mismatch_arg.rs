//! reject: argument of the wrong type
// error: mismatched types: expected `i64`, found `bool`
// at: 11:12
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn double(x: i64) -> i64 {
    x * 2
}

fn run() -> i64 {
    double(true)
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
