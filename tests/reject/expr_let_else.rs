//! reject: `let ... else`
// error: `let ... else` is not supported
// at: 7:26
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn get(o: Option<i64>) -> i64 {
    let Some(x) = o else {
        return 0;
    };
    x
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
