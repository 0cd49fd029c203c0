//! reject: `char` literal
// error: `char` literals are not supported
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn letter() -> i64 {
    let c = 'a';
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
