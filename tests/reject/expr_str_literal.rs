//! reject: bare string literal
// error: string literals are only accepted as `Str::from("...")`
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn name() -> Str {
    "vmkit"
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
