//! Constants: `const` items of i64, u64, usize, u8, f64 and bool type, defined by literals and by
//! constant expressions over other constants (arithmetic, shifts, `i64::MAX`, casts), used in
//! expressions, conditions, loop bounds and array sizes; module-level and inside an inline module.

use vmkit::io::print;
use vmkit::{GcArray, GcList, Str};

const BASE: i64 = 7;
const DERIVED: i64 = BASE * 6 + 1;
const NEG: i64 = -BASE * 3;
const SHIFTED: u64 = 1 << 40;
const MASK: u64 = SHIFTED - 1;
const NEAR_MAX: i64 = i64::MAX - 1;
const SIZE: usize = 5;
const LETTER: u8 = b'k';
const NEXT_LETTER: u8 = LETTER + 1;
const PI: f64 = 3.141592653589793;
const TAU: f64 = PI * 2.0;
const DEBUG: bool = false;
const VERBOSE: bool = !DEBUG;
const AS_FLOAT: f64 = DERIVED as f64 / 2.0;

mod limits {
    pub const LOW: i64 = -5;
    pub const HIGH: i64 = super::BASE + 3;
}

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    num(Str::from("BASE = "), BASE);
    num(Str::from("DERIVED = "), DERIVED);
    num(Str::from("NEG = "), NEG);
    num(Str::from("DERIVED % BASE = "), DERIVED % BASE);
    print(Str::from("SHIFTED = "));
    print(Str::from_u64(SHIFTED));
    print(Str::from(", MASK = "));
    print(Str::from_u64(MASK));
    print(Str::from(", 12345678901234 & MASK = "));
    print(Str::from_u64(12345678901234 & MASK));
    print(Str::from("\n"));
    num(Str::from("NEAR_MAX = "), NEAR_MAX);
    num(Str::from("NEAR_MAX - i64::MAX = "), NEAR_MAX - i64::MAX);
    print(Str::from("letters "));
    print(Str::from_byte(LETTER));
    print(Str::from_byte(NEXT_LETTER));
    print(Str::from("\n"));
    print(Str::from("TAU = "));
    print(Str::from_f64(TAU));
    print(Str::from(", AS_FLOAT = "));
    print(Str::from_f64(AS_FLOAT));
    print(Str::from(", circle r=2: "));
    print(Str::from_f64(PI * 2.0 * 2.0));
    print(Str::from("\n"));
    if DEBUG {
        print(Str::from("debug on\n"));
    }
    if VERBOSE && !DEBUG {
        print(Str::from("verbose on\n"));
    }
    let squares: GcArray<i64> = GcArray::new(SIZE, NEG);
    for i in 0..SIZE {
        squares.set(i, (i * i) as i64 + BASE);
    }
    print(Str::from("squares+BASE:"));
    for i in 0..squares.len() {
        print(Str::from(" "));
        print(Str::from_i64(squares.get(i)));
    }
    print(Str::from("\n"));
    let mut clamped: i64 = 0;
    for v in -10..20 {
        if v >= limits::LOW && v <= limits::HIGH {
            clamped += 1;
        }
    }
    num(Str::from("values within LOW..=HIGH = "), clamped);
    num(Str::from("HIGH = "), limits::HIGH);
    0
}
