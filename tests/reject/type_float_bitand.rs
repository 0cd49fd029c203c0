//! reject: bitwise `&` on floats
// error: operator `&` is not supported for `f64`
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn mask(a: f64, b: f64) -> f64 {
    a & b
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
