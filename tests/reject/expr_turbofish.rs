//! reject: method call with turbofish
// error: turbofish `::<>` is not supported
// at: 7:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn len_of(xs: GcList<i64>) -> usize {
    xs.len::<usize>()
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
