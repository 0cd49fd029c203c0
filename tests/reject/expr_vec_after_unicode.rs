//! reject: `vec!` after non-ASCII text on the same line (columns count chars)
// error: `vec!` is not available in the DSL
// at: 7:52
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn greet() -> i64 {
    let s = Str::from("héllo wörld → ok"); let v = vec![1];
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
