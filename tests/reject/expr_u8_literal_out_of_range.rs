//! reject: `u8` literal out of range
// error: integer literal out of range
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn byte() -> u8 {
    256u8
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
