//! reject: generic struct
// error: generic parameters are not supported in the DSL
// at: 6:16
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Wrapper<T> {
    value: T,
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
