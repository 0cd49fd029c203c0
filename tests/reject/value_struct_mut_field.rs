//! reject: `Mut` field in a `Copy` struct
// error: a `Copy` value struct cannot have `Mut`/`QuasiImmut` fields
// at: 8:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

#[derive(Clone, Copy)]
struct Cell {
    value: Mut<i64>,
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
