//! `u64::MAX` (an associated constant) as a `match` pattern: valid Rust, and accepted inside a
//! range pattern (`i64::MIN..=-1`), but rejected on its own with a misleading message.
use vmkit::io::print;
use vmkit::{GcList, Str};

fn classify(x: u64) -> i64 {
    match x {
        u64::MAX => 1,
        0..=9 => 2,
        _ => 3,
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from_i64(classify(u64::MAX)));
    print(Str::from_i64(classify(5)));
    print(Str::from_i64(classify(50)));
    print(Str::from("\n"));
    0
}
