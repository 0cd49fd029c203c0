//! reject: labeled block
// error: labeled blocks are not supported
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn pick() -> i64 {
    let v = 'done: {
        1
    };
    v
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
