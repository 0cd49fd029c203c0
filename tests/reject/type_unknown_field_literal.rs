//! reject: unknown field in a struct literal
// error: struct `Point` has no field `z`
// at: 13:25
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Point {
    x: i64,
    y: i64,
}

fn make() -> Point {
    Point { x: 1, y: 2, z: 3 }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
