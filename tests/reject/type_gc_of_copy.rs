//! reject: `Gc<T>` of a `Copy` value type
// error: `Point` is a `Copy` value type; `Gc<Point>` is not allowed
// at: 12:15
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Point {
    x: i64,
    y: i64,
}

fn norm(p: Gc<Point>) -> i64 {
    p.x
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
