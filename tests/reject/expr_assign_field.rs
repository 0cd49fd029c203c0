//! reject: assignment to a field
// error: assignment to a field
// at: 12:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

fn reset(a: Gc<Account>) {
    a.id = 0;
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
