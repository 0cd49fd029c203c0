//! reject: `vec!`
// error: `vec!` is not available in the DSL
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn make() -> i64 {
    let v = vec![1, 2, 3];
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
