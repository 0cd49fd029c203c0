//! reject: destructuring a GC struct
// error: destructuring a GC struct is not supported
// at: 13:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

fn id_of(a: Gc<Account>) -> i64 {
    match a {
        Account { id, balance } => id,
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
