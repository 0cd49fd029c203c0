//! reject: slice parameter `&[i64]`
// error: slices and Rust arrays are not supported
// at: 6:15
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn total(xs: &[i64]) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
