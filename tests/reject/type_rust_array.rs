//! reject: Rust array field `[i64; 4]`
// error: slices and Rust arrays are not supported
// at: 7:8
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Regs {
    r: [i64; 4],
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
