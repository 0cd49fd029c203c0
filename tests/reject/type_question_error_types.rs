//! reject: `?` with a different error type
// error: `?` on an error of type `Str` in a function returning errors of type `i64`
// at: 11:13
use vmkit::{Gc, GcArray, GcList, Mut, Str};

fn parse(s: Str) -> Result<i64, Str> {
    Ok(1)
}

fn run(s: Str) -> Result<i64, i64> {
    let v = parse(s)?;
    Ok(v)
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
