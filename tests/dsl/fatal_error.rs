//! Fatal errors: a `GcArray` index out of bounds after printing some output. Buffered output is
//! flushed, nothing after the error runs, and the process exits with status 101.

use vmkit::io::print;
use vmkit::{GcArray, GcList, Str};

fn sum_first(a: GcArray<i64>, n: usize) -> i64 {
    let mut s: i64 = 0;
    for i in 0..n {
        print(Str::from("reading "));
        print(Str::from_u64(i as u64));
        print(Str::from("\n"));
        s += a.get(i);
    }
    s
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let a: GcArray<i64> = GcArray::new(3, 7);
    print(Str::from("sum of 3: "));
    print(Str::from_i64(sum_first(a, 3)));
    print(Str::from("\n"));
    print(Str::from("sum of 5: "));
    let s = sum_first(a, 5);
    print(Str::from_i64(s));
    print(Str::from("\nnot reached\n"));
    0
}
