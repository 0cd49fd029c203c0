//! reject: `Copy` value struct containing itself (infinite size)
// error: recursive
// at: 7:8
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Chain {
    value: i64,
    next: Option<Chain>,
}

fn head(c: Chain) -> i64 {
    c.value
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
