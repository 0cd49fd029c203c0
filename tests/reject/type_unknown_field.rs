//! reject: unknown field
// error: `Account` has no field `owner`
// at: 12:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

fn owner_of(a: Gc<Account>) -> i64 {
    a.owner
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
