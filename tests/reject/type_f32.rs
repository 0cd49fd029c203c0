//! reject: `f32` parameter
// error: `f32` is not supported
// at: 6:12
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn half(x: f32) -> f64 {
    0.5
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
