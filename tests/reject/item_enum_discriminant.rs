//! reject: enum with explicit discriminants
// error: explicit enum discriminants are not supported
// at: 8:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
enum Op {
    Add = 1,
    Sub = 2,
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
