//! reject: function body of the wrong type
// error: the function body has type `bool` but the function returns `i64`
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn answer() -> i64 {
    true
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
