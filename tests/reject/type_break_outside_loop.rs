//! reject: `break` outside a loop
// error: `break`/`continue` outside a loop
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn run() -> i64 {
    break;
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
