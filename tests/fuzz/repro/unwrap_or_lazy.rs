//! `Option::unwrap_or(default)`: Rust evaluates `default` before the call, also when the option
//! is `Some` (its side effects happen, and a `?` in it returns early).
use vmkit::io::print;
use vmkit::{GcList, Str};

fn noisy(x: i64) -> i64 {
    print(Str::from("default evaluated\n"));
    x
}

fn early(o: Option<i64>) -> Option<i64> {
    let none: Option<i64> = None;
    let v = o.unwrap_or(none?);
    Some(v + 1)
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let o: Option<i64> = Some(1);
    let v = o.unwrap_or(noisy(5));
    print(Str::from_i64(v));
    print(Str::from("\n"));
    match early(Some(1)) {
        Some(x) => print(Str::from_i64(x)),
        None => print(Str::from("None")),
    }
    print(Str::from("\n"));
    0
}
