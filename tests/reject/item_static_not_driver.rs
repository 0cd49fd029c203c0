//! reject: `static` that is not a JIT driver
// error: the only `static` items in the DSL are JIT drivers
// at: 6:8
use vmkit::{Gc, GcArray, GcList, Mut, Str};

static LIMIT: i64 = 10;

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
