//! reject: `?` on a plain integer
// error: `?` on `i64` in a function returning `i64`
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn run(x: i64) -> i64 {
    let y = x?;
    y
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
