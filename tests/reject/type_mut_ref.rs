//! reject: `&mut` parameter
// error: `&mut` references are not supported
// at: 6:18
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn bump(counter: &mut i64) {}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
