//! The operand of `as` in a constant is evaluated as an `i64` whatever its own type (the
//! evaluator passes `i64` as the expected type of the operand), so a `u8`/`u64` operand gets
//! `i64` semantics: `(!114u8) as u64` is 141 in Rust but `!114i64` = -115 → 18446744073709551501
//! here; `18446744073709551615u64 as f64` becomes -1.0. Through a named constant it is right.
use vmkit::io::print;
use vmkit::{GcList, Str};

const NOT_U8: u64 = (!114u8) as u64;
const DIV: u64 = 6403204249206332902u64 / ((!114u8) as u64);
const U: u64 = 18446744073709551615;
const F1: f64 = 18446744073709551615u64 as f64;
const F2: f64 = U as f64;

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from_u64(NOT_U8));
    print(Str::from(" "));
    print(Str::from_u64(DIV));
    print(Str::from(" "));
    print(Str::from_f64(F1));
    print(Str::from(" "));
    print(Str::from_f64(F2));
    print(Str::from("\n"));
    0
}
