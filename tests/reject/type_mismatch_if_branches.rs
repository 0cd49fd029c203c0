//! reject: `if` branches of different types
// error: mismatched types
// at: 10:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn pick(c: bool) -> i64 {
    if c {
        1
    } else {
        Str::from("one")
    };
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
