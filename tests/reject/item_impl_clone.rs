//! reject: implementing a prelude trait (`Clone`) by hand
// error: implementing `Clone` is not supported
// at: 12:6
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Point {
    x: i64,
    y: i64,
}

impl Clone for Point {
    fn clone(&self) -> Point {
        Point { x: self.x, y: self.y }
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
