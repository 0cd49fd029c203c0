//! Unbounded recursion: the translated program must stop with a fatal error, not crash.
use vmkit::{GcList, Str};
fn f(n: i64) -> i64 { if n == 0 { 0 } else { 1 + f(n - 1) } }
#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let n = if args.len() > 0 { args.get(0).parse_i64().unwrap_or(10) } else { 10 };
    vmkit::io::print(Str::from("start\n"));
    vmkit::io::print(Str::from_i64(f(n)));
    0
}
