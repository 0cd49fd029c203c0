//! Labelled loops: `break 'label` and `continue 'label` across nested `for`, `while` and `loop`,
//! `break 'label value` out of a labelled `loop` from two levels down, and `loop` used as a value
//! inside another loop.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from("pairs:"));
    'outer: for i in 0..5 {
        for j in 0..5 {
            if j > i {
                continue 'outer;
            }
            if i + j == 6 {
                break 'outer;
            }
            if (i + j) % 2 == 1 {
                continue;
            }
            print(Str::from(" "));
            print(Str::from_i64(i * 10 + j));
        }
    }
    print(Str::from("\n"));

    let target: i64 = 42;
    let found = 'search: loop {
        let mut a: i64 = 1;
        while a < 10 {
            let mut b: i64 = a;
            loop {
                if a * b == target {
                    break 'search a * 100 + b;
                }
                if b > 10 {
                    break;
                }
                b += 1;
            }
            a += 1;
        }
        break -1;
    };
    num(Str::from("factor pair of 42 = "), found);

    let mut depth: i64 = 0;
    let mut log: i64 = 0;
    'a: while depth < 10 {
        let mut inner: i64 = 0;
        'b: loop {
            inner += 1;
            if inner == 3 && depth % 2 == 0 {
                depth += 1;
                log = log * 10 + 1;
                continue 'a;
            }
            if depth == 5 {
                break 'a;
            }
            if inner > 4 {
                break 'b;
            }
        }
        depth += 1;
        log = log * 10 + 2;
    }
    num(Str::from("log = "), log);
    num(Str::from("depth = "), depth);

    let mut n: i64 = 0;
    let mut res: i64 = 0;
    while n < 3 {
        let v = loop {
            res += 1;
            if res % 4 == 0 {
                break res * 10;
            }
        };
        n += 1;
        res += v;
    }
    num(Str::from("break values accumulated = "), res);

    let mut hits: i64 = 0;
    let mut trail: i64 = 0;
    for i in 0..4 {
        'mid: for j in 0..4 {
            let mut k: i64 = 0;
            while k < 4 {
                if k == j {
                    trail = trail * 10 + j;
                    continue 'mid;
                }
                if i + j + k > 5 {
                    break 'mid;
                }
                hits += 1;
                k += 1;
            }
        }
    }
    num(Str::from("middle-loop hits = "), hits);
    num(Str::from("trail = "), trail);
    0
}
