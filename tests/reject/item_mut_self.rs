//! reject: `&mut self` method
// error: `&mut self` is not supported
// at: 12:16
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

impl Account {
    fn deposit(&mut self, amount: i64) {}
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
