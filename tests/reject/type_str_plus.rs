//! reject: `+` on `Str`
// error: operator `+` is not supported for `Str`
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn join(a: Str, b: Str) -> Str {
    a + b
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
