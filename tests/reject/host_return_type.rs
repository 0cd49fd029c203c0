//! reject: host function returning a GC reference
// error: host function returning `Gc<Account>`
// at: 12:8
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

#[vmkit::host]
pub fn open(id: i64) -> Gc<Account> {
    unimplemented!()
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
