//! reject: `String` field
// error: `String` is not a DSL type
// at: 7:11
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Person {
    name: String,
    age: i64,
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
