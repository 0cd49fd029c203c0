//! reject: `match` that misses an enum variant
// error: non-exhaustive
// at: 14:11
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
enum Color {
    Red,
    Green,
    Blue,
}

fn code(c: Color) -> i64 {
    match c {
        Color::Red => 1,
        Color::Green => 2,
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
