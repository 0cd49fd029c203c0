//! reject: syntax error
// error: this is not valid Rust
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn broken() -> i64 {
    let x = ;
    x
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
