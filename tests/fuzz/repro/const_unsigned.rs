//! Constant expressions over `u64`/`usize` values at or above 2^63: `>>` must be a logical
//! shift and `/` an unsigned division (rustc), but the front end's constant evaluator computes on
//! `i64` (arithmetic shift, signed division).
use vmkit::io::print;
use vmkit::{GcList, Str};

const SHR: u64 = 17605470806132227177u64 >> 28;
const DIV: u64 = 13196351196293399583u64 / 222;
const USZ: usize = 18446744073709551615usize / 2;
const REM: u64 = 18446744073709551615u64 % 10;

fn line(label: Str, v: u64) {
    print(label);
    print(Str::from(" = "));
    print(Str::from_u64(v));
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    line(Str::from("u64 >> 28"), SHR);
    line(Str::from("u64 / 222"), DIV);
    line(Str::from("usize MAX / 2"), USZ as u64);
    line(Str::from("u64 MAX % 10"), REM);
    // The same operations at run time, for comparison.
    let a: u64 = 17605470806132227177;
    let b: u64 = 13196351196293399583;
    line(Str::from("runtime >> 28"), a >> 28);
    line(Str::from("runtime / 222"), b / 222);
    0
}
