//! `assert!(cond)` failing: untranslated, the message is `assertion failed: <cond>` with the
//! condition as written (`h == h.wrapping_add(1)`); translated and on the graph interpreter the
//! condition is re-printed from tokens (`h == h . wrapping_add (1)`). Standard output and status
//! agree; the `fatal error:` line on standard error differs.
use vmkit::io::print;
use vmkit::{GcList, Str};

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let h: u64 = args.len() as u64;
    print(Str::from("before\n"));
    assert!(h == h.wrapping_add(1));
    0
}
