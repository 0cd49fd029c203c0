//! reject: `break` to an unknown label
// error: no enclosing loop labeled `'outer`
// at: 8:9
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn run() -> i64 {
    loop {
        break 'outer;
    }
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
