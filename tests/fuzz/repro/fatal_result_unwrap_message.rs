//! `Result::unwrap` on `Err`: untranslated (Rust's `unwrap`), the message ends with the error's
//! `Debug` form (`...on an `Err` value: Big`); translated and on the graph interpreter it stops
//! at `value`. Standard output and status agree; the `fatal error:` line differs.
use vmkit::io::print;
use vmkit::{GcList, Str};

#[derive(Clone, Copy, Debug)]
enum Fail {
    Big,
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let r: Result<i64, Fail> = Err(Fail::Big);
    print(Str::from("before\n"));
    let _ = r.unwrap();
    0
}
