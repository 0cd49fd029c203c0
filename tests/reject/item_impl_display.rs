//! reject: implementing a std trait
// error: implementing `std::fmt::Display` is not supported
// at: 11:6
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

impl std::fmt::Display for Account {
    fn fmt(&self, f: i64) -> i64 {
        0
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
