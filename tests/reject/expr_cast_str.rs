//! reject: `as` cast of a `Str`
// error: cannot cast `Str` to `i64`
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn num(s: Str) -> i64 {
    s as i64
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
