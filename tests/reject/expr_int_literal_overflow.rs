//! reject: integer literal wider than 64 bits
// error: integer literal out of range
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn big() -> i64 {
    123456789012345678901234567890
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
