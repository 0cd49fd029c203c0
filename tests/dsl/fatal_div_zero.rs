//! Integer division by zero is a fatal error (exit status 101) after the output so far is
//! flushed; divisions and remainders by non-zero values before it behave normally.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn ratio(a: i64, b: i64) -> i64 {
    a / b
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let divisors: GcList<i64> = GcList::new();
    divisors.push(4);
    divisors.push(-3);
    divisors.push(0);
    divisors.push(5);
    for i in 0..divisors.len() {
        let d = divisors.get(i);
        print(Str::from("100 % "));
        print(Str::from_i64(d));
        print(Str::from(" and 100 / "));
        print(Str::from_i64(d));
        print(Str::from(" = "));
        if d != 0 {
            print(Str::from_i64(100 % d));
            print(Str::from(" "));
        }
        print(Str::from_i64(ratio(100, d)));
        print(Str::from("\n"));
    }
    print(Str::from("not reached\n"));
    0
}
