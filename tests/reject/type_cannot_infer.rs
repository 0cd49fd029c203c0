//! reject: method call on a value of unknown type
// error: cannot infer the type of this expression here
// at: 8:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn run() -> usize {
    let xs = GcList::new();
    xs.get(0).len()
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
