//! reject: union
// error: unions are not supported
// at: 6:7
use vmkit::{Gc, GcArray, GcList, Mut, Str};

union Bits {
    i: i64,
    f: f64,
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
