//! Tuples: construction, `.0`/`.1`/`.2` access, destructuring `let` (nested, with `_`), tuples
//! returned from and passed to functions, tuples holding `Str`/`Gc`/`Option`, tuples in lists,
//! and swapping through a tuple.

use vmkit::io::print;
use vmkit::{Gc, GcList, Str};

struct Boxed {
    v: i64,
}

/// Quotient and remainder rounding towards negative infinity (Python-style).
fn floor_divmod(a: i64, b: i64) -> (i64, i64) {
    let mut q = a / b;
    let mut r = a % b;
    if r != 0 && ((r < 0) != (b < 0)) {
        q -= 1;
        r += b;
    }
    (q, r)
}

fn min_max(list: GcList<i64>) -> (i64, i64, usize) {
    let mut lo = list.get(0);
    let mut hi = list.get(0);
    let mut i: usize = 1;
    while i < list.len() {
        let v = list.get(i);
        if v < lo {
            lo = v;
        }
        if v > hi {
            hi = v;
        }
        i += 1;
    }
    (lo, hi, list.len())
}

fn fib_pair(n: i64) -> (i64, i64) {
    let mut pair = (0i64, 1i64);
    let mut i: i64 = 0;
    while i < n {
        pair = (pair.1, pair.0 + pair.1);
        i += 1;
    }
    pair
}

fn sum_pair(p: (i64, (i64, i64))) -> i64 {
    let (a, (b, c)) = p;
    a + b + c
}

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let (q, r) = floor_divmod(-7, 2);
    num(Str::from("floor_divmod(-7, 2).0 = "), q);
    num(Str::from("floor_divmod(-7, 2).1 = "), r);
    let t = floor_divmod(7, -2);
    num(Str::from("floor_divmod(7, -2) = "), t.0 * 100 + t.1);
    let t2 = floor_divmod(9, 3);
    num(Str::from("floor_divmod(9, 3) = "), t2.0 * 100 + t2.1);

    let l: GcList<i64> = GcList::new();
    l.push(4);
    l.push(-9);
    l.push(17);
    l.push(0);
    let (lo, hi, n) = min_max(l);
    num(Str::from("lo = "), lo);
    num(Str::from("hi = "), hi);
    num(Str::from("n = "), n as i64);
    let (_, only_hi, _) = min_max(l);
    num(Str::from("only hi = "), only_hi);

    let f = fib_pair(10);
    num(Str::from("fib 10 = "), f.0);
    num(Str::from("fib 11 = "), f.1);
    num(Str::from("nested sum = "), sum_pair((1, (20, 300))));
    let nested = ((1i64, 2i64), (3i64, (4i64, 5i64)));
    num(Str::from("nested.1.1.0 = "), nested.1 .1 .0);
    let ((a, _), (c, (d, e))) = nested;
    num(Str::from("a+c+d+e = "), a + c + d + e);

    let mut x: i64 = 1;
    let mut y: i64 = 2;
    let swapped = (y, x);
    x = swapped.0;
    y = swapped.1;
    num(Str::from("swapped x = "), x);
    num(Str::from("swapped y = "), y);

    let cell = Gc::new(Boxed { v: 77 });
    let mixed = (Str::from("name"), cell, Some(3i64), 2.5f64, true, b'z');
    print(mixed.0);
    print(Str::from(" "));
    print(Str::from_i64(mixed.1.v));
    print(Str::from(" "));
    print(Str::from_i64(mixed.2.unwrap_or(0)));
    print(Str::from(" "));
    print(Str::from_f64(mixed.3));
    print(Str::from(" "));
    print(if mixed.4 { Str::from("true") } else { Str::from("false") });
    print(Str::from(" "));
    print(Str::from_byte(mixed.5));
    print(Str::from("\n"));

    let pairs: GcList<(Str, i64)> = GcList::new();
    pairs.push((Str::from("one"), 1));
    pairs.push((Str::from("two"), 2));
    pairs.push((Str::from("three"), 3));
    let mut i: usize = 0;
    while i < pairs.len() {
        let (name, value) = pairs.get(i);
        print(name);
        print(Str::from("="));
        print(Str::from_i64(value * value));
        print(Str::from(";"));
        i += 1;
    }
    print(Str::from("\n"));
    let unit: () = ();
    let with_unit = (unit, 5i64);
    num(Str::from("with unit .1 = "), with_unit.1);
    0
}
