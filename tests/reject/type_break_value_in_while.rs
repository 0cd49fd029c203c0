//! reject: `break value` inside `while`
// error: `break` with a value inside `while`/`for`
// at: 8:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn run(c: bool) -> i64 {
    while c {
        break 5;
    }
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
