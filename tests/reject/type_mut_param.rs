//! reject: `Mut<T>` as a parameter type
// error: `Mut`/`QuasiImmut` are field types only
// at: 6:12
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn bump(x: Mut<i64>) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
