//! reject: GC struct literal outside `Gc::new`
// error: `Account` is a GC struct: its literal must be allocated with `Gc::new(...)`
// at: 12:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

fn open() -> i64 {
    let a = Account { id: 1, balance: Mut::new(0) };
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
