//! Constant expressions rustc accepts that the front end rejects with "this constant expression
//! is not supported": `^`, comparisons (bool constants), `&&`/`||`, `f64::NAN`/`f64::INFINITY`.
//! One constant per kind; the front end stops at the first. (A `u64` sum above `i64::MAX`, also
//! rejected when this was found, is accepted since.)
use vmkit::io::print;
use vmkit::{GcList, Str};

const XOR: i64 = 0x0F ^ 0x3C;
const LESS: bool = 3 < 4;
const BOTH: bool = true && LESS;
const NAN_ISH: f64 = f64::NAN * 2.0;
const INF: f64 = f64::INFINITY;

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from_i64(XOR));
    print(Str::from(if LESS { " less" } else { " not less" }));
    print(Str::from(if BOTH { " both" } else { " not both" }));
    print(Str::from(" "));
    print(Str::from_f64(NAN_ISH));
    print(Str::from(" "));
    print(Str::from_f64(INF));
    print(Str::from("\n"));
    0
}
