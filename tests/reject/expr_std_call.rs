//! reject: calling into `std`
// error: `std::process::exit` is outside the DSL
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn quit() {
    std::process::exit(1);
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
