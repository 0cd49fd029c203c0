//! reject: `Mut` field read without `.get()`
// error: a `Mut`/`QuasiImmut` field is used as a value
// at: 12:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

fn balance_of(a: Gc<Account>) -> i64 {
    a.balance
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
