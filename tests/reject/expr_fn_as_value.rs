//! reject: function used as a value
// error: functions are not values in the DSL
// at: 11:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn helper() -> i64 {
    1
}

fn pick() -> i64 {
    let f = helper;
    0
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
