//! reject: `if let ... && ...` (let chain)
// error: `let` chains are not supported
// at: 7:8
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn positive(o: Option<i64>) -> bool {
    if let Some(x) = o && x > 0 {
        true
    } else {
        false
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
