//! reject: `char` parameter
// error: `char` is not supported
// at: 6:16
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn is_digit(c: char) -> bool {
    false
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
