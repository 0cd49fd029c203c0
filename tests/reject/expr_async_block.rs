//! reject: `async` block
// error: `async`/`.await` are not supported
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn later() -> i64 {
    let f = async { 1 };
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
