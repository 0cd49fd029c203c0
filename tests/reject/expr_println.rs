//! reject: `println!`
// error: `println!` is not available in the DSL
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn hello() {
    println!("hello");
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
