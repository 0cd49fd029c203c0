//! reject: Rust array literal
// error: array expressions are not supported
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn table() -> i64 {
    let a = [1, 2, 3];
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
