//! reject: a list whose element type is never determined
// error: cannot infer the type of this expression
// at: 7:13
use vmkit::{GcList, Str};

fn count() -> i64 {
    let v = GcList::new();
    if v.len() > 0 {
        return 1;
    }
    0
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    count() + args.len() as i64
}
