//! reject: type alias
// error: type aliases are not supported
// at: 6:6
use vmkit::{Gc, GcArray, GcList, Mut, Str};

type Word = i64;

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
