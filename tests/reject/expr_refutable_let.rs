//! reject: refutable pattern in `let`
// error: refutable pattern
// at: 7:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn get(o: Option<i64>) -> i64 {
    let Some(v) = o;
    v
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
