//! reject: `Mut` field initialised without `Mut::new`
// error: field `balance` is `Mut<_>`: initialise it with `Mut::new(value)`
// at: 12:39
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

fn open() -> Gc<Account> {
    Gc::new(Account { id: 1, balance: 0 })
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
