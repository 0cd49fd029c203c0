//! reject: tuple field out of range
// error: tuple has no field 2
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn third(t: (i64, i64)) -> i64 {
    t.2
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
