//! reject: enum variant with named fields
// error: enum variants with named fields are not supported
// at: 8:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
enum Shape {
    Circle { r: f64 },
    Square(f64),
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
