//! `panic!("literal")` is a fatal error: output printed before it (including a partial line) is
//! flushed, nothing after it runs, and the process exits with status 101. An `unreachable!()` on
//! a path that is not taken does nothing.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn check(depth: i64) -> i64 {
    if depth < 0 {
        unreachable!();
    }
    if depth == 3 {
        print(Str::from("giving up at depth 3"));
        panic!("depth limit reached");
    }
    print(Str::from("depth "));
    print(Str::from_i64(depth));
    print(Str::from("\n"));
    check(depth + 1) + 1
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from("start\n"));
    let r = check(0);
    print(Str::from("not reached: "));
    print(Str::from_i64(r));
    print(Str::from("\n"));
    0
}
