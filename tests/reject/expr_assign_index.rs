//! reject: assignment through `[]`
// error: assignment through `[]`
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn clear(xs: GcArray<i64>) {
    xs[0] = 0;
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
