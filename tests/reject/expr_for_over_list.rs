//! reject: `for` over a list
// error: `for` loops only iterate over integer ranges `a..b` / `a..=b`
// at: 8:14
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn count(xs: GcList<i64>) -> i64 {
    let mut n = 0;
    for x in xs {
        n += x;
    }
    n
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
