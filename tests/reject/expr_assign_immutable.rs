//! reject: assignment to an immutable local
// error: cannot assign twice to immutable variable `total`
// at: 8:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn count() -> i64 {
    let total = 1;
    total = 2;
    total
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
