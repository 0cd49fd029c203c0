//! reject: entry function with the wrong signature
// error: the entry function must have the signature `fn(args: GcList<Str>) -> i64`
// at: 7:8
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[vmkit::entry]
pub fn entry() -> i64 {
    0
}
