//! reject: slice pattern
// error: slice patterns are not supported
// at: 8:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn head(t: (i64, i64)) -> i64 {
    match t {
        [a, b] => a,
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
