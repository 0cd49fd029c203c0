//! reject: unknown enum variant in a pattern
// error: `Color` has no variant `Purple`
// at: 15:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
enum Color {
    Red,
    Green,
}

fn code(c: Color) -> i64 {
    match c {
        Color::Red => 1,
        Color::Purple => 2,
        _ => 3,
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
