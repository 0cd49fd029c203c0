//! reject: GC type method taking `self` by value
// error: methods of a GC type take `&self`
// at: 12:11
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

impl Account {
    fn id(self) -> i64 {
        0
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
