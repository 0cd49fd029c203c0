//! reject: `Gc<Str>`
// error: `Gc<T>` takes one of the program's own structs or enums
// at: 6:17
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn length(s: Gc<Str>) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
