//! reject: `extern` block
// error: `extern` blocks are not supported
// at: 6:1
use vmkit::{Gc, GcArray, GcList, Mut, Str};

extern "C" {
    fn abs(x: i32) -> i32;
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
