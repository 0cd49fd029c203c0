//! reject: assignment to a constant
// error: cannot assign to `LIMIT`: not a local variable
// at: 9:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

const LIMIT: i64 = 10;

fn raise() {
    LIMIT = 20;
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
