//! reject: `&str` parameter
// error: `&str` is not a DSL type
// at: 6:16
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn greet(name: &str) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
