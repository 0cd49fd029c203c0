//! reject: unknown enum variant in an expression
// error: `Color` has no variant `Purple`
// at: 13:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
enum Color {
    Red,
    Green,
}

fn pick() -> Color {
    Color::Purple
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
