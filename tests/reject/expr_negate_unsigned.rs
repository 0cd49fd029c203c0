//! reject: negating an unsigned integer
// error: cannot negate an unsigned `u64`
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn neg(x: u64) -> u64 {
    -x
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
