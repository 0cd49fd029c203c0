//! reject: `mod` whose file does not exist
// error: file not found for module `helpers`
// at: 6:5
use vmkit::{Gc, GcArray, GcList, Mut, Str};

mod helpers;

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
