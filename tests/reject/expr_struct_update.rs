//! reject: struct update syntax
// error: struct update syntax `..base` is not supported
// at: 13:19
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Point {
    x: i64,
    y: i64,
}

fn moved(p: Point) -> Point {
    Point { x: 1, ..p }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
