//! reject: `ref` binding
// error: `ref` bindings are not supported
// at: 7:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn copy() -> i64 {
    let ref x = 1;
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
