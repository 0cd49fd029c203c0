//! reject: `self` parameter of a free function
// error: `self` outside an `impl` block
// at: 6:7
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn id(&self) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
