//! reject: `?` on an `Option` in a function returning `Result`
// error: `?` on `Option<i64>` in a function returning `Result<i64, Str>`
// at: 7:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn run(o: Option<i64>) -> Result<i64, Str> {
    let y = o?;
    Ok(y)
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
