//! reject: unknown method on `Str`
// error: no method `to_uppercase` on `Str`
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn shout(s: Str) -> Str {
    s.to_uppercase()
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
