//! reject: an unknown macro in a body
// error: macro `dbg!` is not supported
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn trace(x: i64) -> i64 {
    dbg!(x)
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
