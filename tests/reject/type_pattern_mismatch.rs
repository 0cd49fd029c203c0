//! reject: `Some(..)` pattern on an integer
// error: this pattern matches `Option
// at: 8:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn code(x: i64) -> i64 {
    match x {
        Some(1) => 1,
        _ => 0,
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
