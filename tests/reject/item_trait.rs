//! reject: trait definition
// error: traits are not supported in the DSL
// at: 6:7
use vmkit::{Gc, GcArray, GcList, Mut, Str};

trait Shape {
    fn area(&self) -> i64;
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
