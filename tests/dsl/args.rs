//! Program arguments: the `args` list excludes the program name; `args.args` gives one argument
//! per line (an empty line is an empty argument); prints each with its length and sums the ones
//! that parse as integers.

use vmkit::io::print;
use vmkit::{GcList, Str};

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from("argc = "));
    print(Str::from_u64(args.len() as u64));
    print(Str::from("\n"));
    let mut sum: i64 = 0;
    let mut numeric: i64 = 0;
    for i in 0..args.len() {
        let a = args.get(i);
        print(Str::from_u64(i as u64));
        print(Str::from(": ["));
        print(a);
        print(Str::from("] len "));
        print(Str::from_u64(a.len() as u64));
        if let Some(v) = a.parse_i64() {
            sum += v;
            numeric += 1;
        }
        if a.starts_with(Str::from("--")) {
            print(Str::from(" (flag)"));
        }
        if a.is_empty() {
            print(Str::from(" (empty)"));
        }
        print(Str::from("\n"));
    }
    print(Str::from("numeric args = "));
    print(Str::from_i64(numeric));
    print(Str::from(", sum = "));
    print(Str::from_i64(sum));
    print(Str::from("\n"));
    0
}
