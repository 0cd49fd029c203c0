//! reject: `Mut::new` outside a struct literal
// error: `Mut::new` is only used to initialise a field in a struct literal
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn cell() -> i64 {
    let m = Mut::new(1);
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
