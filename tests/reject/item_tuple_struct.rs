//! reject: tuple struct
// error: tuple and unit structs are not supported
// at: 6:8
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Meters(i64);

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
