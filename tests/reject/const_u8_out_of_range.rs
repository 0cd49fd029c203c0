//! reject: `u8` constant out of range
// error: integer literal out of range
// at: 6:19
use vmkit::{Gc, GcArray, GcList, Mut, Str};

const LIMIT: u8 = 300;

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
