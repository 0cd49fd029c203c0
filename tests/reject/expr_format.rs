//! reject: `format!`
// error: `format!` is not available in the DSL
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn show(x: i64) -> i64 {
    let s = format!("{}", x);
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
