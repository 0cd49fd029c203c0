//! Loops: `while` (with compound conditions), `loop` with `break value`, `for` over `a..b` and
//! `a..=b` (empty, single, negative, usize and u8 ranges; bounds evaluated once), `continue` and
//! `break` in `for` and `while`.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

/// First n with n*n > limit, via `loop` + `break value`.
fn first_square_above(limit: i64) -> i64 {
    let mut n: i64 = 0;
    loop {
        if n * n > limit {
            break n;
        }
        n += 1;
    }
}

/// Collatz steps, `while` with a compound condition.
fn collatz(start: i64) -> i64 {
    let mut n = start;
    let mut steps: i64 = 0;
    while n != 1 && steps < 1000 {
        if n % 2 == 0 {
            n /= 2;
        } else {
            n = 3 * n + 1;
        }
        steps += 1;
    }
    steps
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let mut sum: i64 = 0;
    for i in 0..10 {
        sum += i;
    }
    num(Str::from("sum 0..10 = "), sum);
    sum = 0;
    for i in 1..=10 {
        sum += i;
    }
    num(Str::from("sum 1..=10 = "), sum);
    let mut count: i64 = 0;
    for _ in 5i64..5 {
        count += 1;
    }
    for _ in 5i64..=4 {
        count += 1;
    }
    for _ in 3i64..=3 {
        count += 100;
    }
    num(Str::from("empty ranges and 3..=3: "), count);
    print(Str::from("negative range:"));
    for i in -3..2 {
        print(Str::from(" "));
        print(Str::from_i64(i));
    }
    print(Str::from("\n"));
    let mut bound: i64 = 3;
    let mut iters: i64 = 0;
    for _ in 0..bound {
        bound += 10;
        iters += 1;
    }
    num(Str::from("bounds evaluated once: "), iters * 100 + bound);
    let list: GcList<i64> = GcList::new();
    for i in 0..4 {
        list.push(i * i);
    }
    let mut total: i64 = 0;
    for j in 0..list.len() {
        total += list.get(j);
    }
    num(Str::from("usize range total = "), total);
    let mut letters = Str::from("");
    for c in b'a'..=b'e' {
        letters = letters.concat(Str::from_byte(c));
    }
    print(Str::from("u8 range: "));
    print(letters);
    print(Str::from("\n"));

    print(Str::from("odd under 10:"));
    for i in 0..10 {
        if i % 2 == 0 {
            continue;
        }
        print(Str::from(" "));
        print(Str::from_i64(i));
    }
    print(Str::from("\n"));
    let mut w: i64 = 0;
    let mut seen: i64 = 0;
    while w < 100 {
        w += 1;
        if w % 3 != 0 {
            continue;
        }
        if w > 20 {
            break;
        }
        seen += w;
    }
    num(Str::from("multiples of 3 up to 20 = "), seen);
    num(Str::from("w after break = "), w);

    num(Str::from("first square above 50 = "), first_square_above(50));
    num(Str::from("first square above -1 = "), first_square_above(-1));
    num(Str::from("collatz 27 = "), collatz(27));

    0
}
