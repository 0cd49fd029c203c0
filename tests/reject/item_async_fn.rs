//! reject: `async fn`
// error: `async` functions are not supported
// at: 6:10
use vmkit::{Gc, GcArray, GcList, Mut, Str};

async fn fetch() -> i64 {
    1
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
