//! reject: indexing with `[]`
// error: indexing with `[]` is not supported
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn first(xs: GcArray<i64>) -> i64 {
    xs[0]
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
