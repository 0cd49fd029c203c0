//! reject: `GcList` without its type argument
// error: `GcList` takes 1 type argument(s)
// at: 6:14
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn count(xs: GcList) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
