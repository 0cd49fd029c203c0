//! reject: `macro_rules!` definition
// error: macro items (`macro_rules!` and macro invocations at item level) are not supported
// at: 6:1
use vmkit::{Gc, GcArray, GcList, Mut, Str};

macro_rules! double {
    ($x:expr) => {
        $x * 2
    };
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
