//! reject: no `#[vmkit::entry]` function
// error: no `#[vmkit::entry]` function
// at: 1:1
use vmkit::{Gc, GcArray, GcList, Mut, Str};

pub fn main_loop(args: GcList<Str>) -> i64 {
    0
}
