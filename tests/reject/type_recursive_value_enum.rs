//! reject: `Copy` value enum containing itself (infinite size)
// error: recursive
// at: 7:6
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
enum List {
    Nil,
    Cons(i64, List),
}

fn is_nil(l: List) -> bool {
    matches!(l, List::Nil)
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
