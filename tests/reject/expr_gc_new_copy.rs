//! reject: `Gc::new` of a `Copy` value type
// error: `Point` is a `Copy` value type and cannot be allocated with `Gc::new`
// at: 13:21
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Point {
    x: i64,
    y: i64,
}

fn origin() -> i64 {
    let p = Gc::new(Point { x: 0, y: 0 });
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
