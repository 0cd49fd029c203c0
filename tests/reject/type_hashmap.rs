//! reject: `HashMap` field
// error: `HashMap` is not a DSL type
// at: 8:11
use std::collections::HashMap;
use vmkit::{Gc, GcArray, GcList, Mut, Str};

struct Env {
    vars: HashMap<Str, i64>,
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
