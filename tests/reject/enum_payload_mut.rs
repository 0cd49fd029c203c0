//! reject: `Mut` enum payload
// error: enum payloads cannot be `Mut`/`QuasiImmut`
// at: 8:10
use vmkit::{Gc, GcArray, GcList, Mut, Str};

enum Slot {
    Empty,
    Full(Mut<i64>),
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
