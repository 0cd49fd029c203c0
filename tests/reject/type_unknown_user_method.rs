//! reject: unknown method on a user GC type
// error: no method `close` on `Gc<Account>`
// at: 18:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Account {
    id: i64,
    balance: Mut<i64>,
}

impl Account {
    fn id(&self) -> i64 {
        self.id
    }
}

fn run(a: Gc<Account>) {
    a.close();
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
