//! reject: function defined inside a function body
// error: items inside function bodies are not supported
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn outer() -> i64 {
    fn helper() -> i64 {
        1
    }
    helper()
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
