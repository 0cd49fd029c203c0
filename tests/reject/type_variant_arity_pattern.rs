//! reject: variant pattern with the wrong number of fields
// error: this variant has 2 field(s) but the pattern has 1
// at: 14:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
enum Shape {
    Rect(i64, i64),
    Dot,
}

fn width(s: Shape) -> i64 {
    match s {
        Shape::Rect(w) => w,
        Shape::Dot => 0,
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
