//! reject: associated constant in an `impl`
// error: associated constants are not supported
// at: 12:11
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

impl Account {
    const START: i64 = 0;
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
