//! reject: call with too many arguments
// error: `double` takes 1 argument(s) but 2 were given
// at: 11:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn double(x: i64) -> i64 {
    x * 2
}

fn run() -> i64 {
    double(1, 2)
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
