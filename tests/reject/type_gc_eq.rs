//! reject: comparing `Gc` references with `==`
// error: operator `==` is not supported for `Gc<Account>`
// at: 12:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

fn same(a: Gc<Account>, b: Gc<Account>) -> bool {
    a == b
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
