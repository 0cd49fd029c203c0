//! `<<` in a `u8` constant: rustc truncates the result to 8 bits (a shift only checks the shift
//! amount), the constant evaluator keeps the `i64` value.
use vmkit::io::print;
use vmkit::{GcList, Str};

const A: u8 = 66u8 << 2;
const B: u8 = (200u8 << 1) | 1;

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from_u64(A as u64));
    print(Str::from(" "));
    print(Str::from_u64(B as u64));
    print(Str::from(" "));
    print(Str::from_i64(A as i64 + 1));
    print(Str::from("\n"));
    0
}
