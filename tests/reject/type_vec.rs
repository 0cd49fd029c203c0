//! reject: `Vec<T>` in a parameter type
// error: `Vec` is not a DSL type
// at: 6:12
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn sum(xs: Vec<i64>) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
