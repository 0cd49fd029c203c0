//! reject: missing field in a struct literal
// error: missing field `balance` in `Account` literal
// at: 12:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

fn open() -> Gc<Account> {
    Gc::new(Account { id: 1 })
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
