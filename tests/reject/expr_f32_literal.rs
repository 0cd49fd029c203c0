//! reject: `f32` literal suffix
// error: only `f64` floats are supported
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn half() -> f64 {
    0.5f32
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
