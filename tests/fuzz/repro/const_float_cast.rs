//! `f64 as u8` / `f64 as u64` in a constant: Rust saturates (300.0 → 255, -1.0 → 0,
//! 1e20 → u64::MAX), the constant evaluator converts to `i64` and then truncates.
use vmkit::io::print;
use vmkit::{GcList, Str};

const A: u8 = 300.0 as u8;
const B: u64 = -1.0 as u64;
const C: u64 = 1e20 as u64;
const D: u8 = -3.5 as u8;

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from_u64(A as u64));
    print(Str::from(" "));
    print(Str::from_u64(B));
    print(Str::from(" "));
    print(Str::from_u64(C));
    print(Str::from(" "));
    print(Str::from_u64(D as u64));
    print(Str::from("\n"));
    // The same casts at run time.
    let x: f64 = 300.0;
    let y: f64 = -1.0;
    let z: f64 = 1e20;
    print(Str::from_u64((x as u8) as u64));
    print(Str::from(" "));
    print(Str::from_u64(y as u64));
    print(Str::from(" "));
    print(Str::from_u64(z as u64));
    print(Str::from("\n"));
    0
}
