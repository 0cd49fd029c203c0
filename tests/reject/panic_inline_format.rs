//! reject: `panic!` with an inline format argument
// error: `panic!` message with format arguments
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn fail(x: i64) -> i64 {
    panic!("bad value {x}")
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
