//! reject: GC struct used by value
// error: `Account` is a GC type and must be used through `Gc<Account>`
// at: 11:18
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

fn balance_of(a: Account) -> i64 {
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
