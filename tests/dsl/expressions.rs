//! Expressions and scoping: operator precedence (Rust's, where `&` binds tighter than `==` and
//! shifts looser than `+`), unary operators, block expressions, `if`/`match` as values, shadowing
//! in nested scopes, `let` with types and `_`, unit functions, and early `return` from deep inside.

use vmkit::io::print;
use vmkit::{Gc, GcList, Mut, Str};

struct Log {
    n: Mut<i64>,
}

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

fn flag(label: Str, v: bool) {
    print(label);
    print(if v { Str::from("true\n") } else { Str::from("false\n") });
}

fn bump(log: Gc<Log>, by: i64) -> i64 {
    log.n.set(log.n.get() + by);
    log.n.get()
}

/// Returns from inside a loop nested in a match nested in a block.
fn first_multiple(limit: i64, k: i64) -> i64 {
    let r = {
        let mut i: i64 = 1;
        while i <= limit {
            match i % k {
                0 => {
                    if i > 10 {
                        return i * 1000;
                    }
                }
                _ => {}
            }
            i += 1;
        }
        -1
    };
    r
}

fn nothing(log: Gc<Log>) {
    if log.n.get() > 100 {
        return;
    }
    log.n.set(log.n.get() * 2);
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    num(Str::from("2 + 3 * 4 - 8 / 2 % 3 = "), 2 + 3 * 4 - 8 / 2 % 3);
    num(Str::from("(2 + 3) * (4 - 8) = "), (2 + 3) * (4 - 8));
    num(Str::from("-2 * -3 = "), -2 * -3);
    num(Str::from("- (5 - 8) = "), -(5 - 8));
    num(Str::from("1 << 2 + 1 = "), 1 << 2i64 + 1);
    num(Str::from("20 >> 1 + 1 = "), 20 >> 1i64 + 1);
    num(Str::from("6 & 3 | 8 = "), 6 & 3 | 8);
    num(Str::from("6 | 3 & 8 = "), 6 | 3 & 8);
    num(Str::from("5 ^ 1 & 3 = "), 5 ^ 1 & 3);
    num(Str::from("!0 = "), !0);
    num(Str::from("!-1 + 1 = "), !-1 + 1);
    flag(Str::from("6 & 3 == 2: "), 6i64 & 3 == 2);
    flag(Str::from("1 + 1 == 2 && 3 > 2 || false: "), 1i64 + 1 == 2 && 3i64 > 2 || false);
    flag(Str::from("!(1 < 2) || !true: "), !(1i64 < 2) || !true);
    flag(Str::from("(2 * 3 < 7) == true: "), (2i64 * 3 < 7) == true);

    let x: i64 = 5;
    let y = {
        let x = x * 10;
        let z = {
            let x = x + 1;
            x * 2
        };
        x + z
    };
    num(Str::from("shadowed block = "), y);
    num(Str::from("outer x = "), x);
    let x = x + 100;
    num(Str::from("shadowed x = "), x);
    let x = if x > 100 { Str::from("big") } else { Str::from("small") };
    print(Str::from("x is now a Str: "));
    print(x);
    print(Str::from("\n"));

    let score: i64 = 73;
    let letter = if score >= 90 {
        b'A'
    } else if score >= 80 {
        b'B'
    } else if score >= 70 {
        b'C'
    } else {
        b'F'
    };
    print(Str::from("grade "));
    print(Str::from_byte(letter));
    print(Str::from("\n"));
    let kind = match score / 10 {
        9 | 10 => Str::from("excellent"),
        7..=8 => {
            let base = Str::from("good");
            base.concat(Str::from("!"))
        }
        _ => Str::from("other"),
    };
    print(kind);
    print(Str::from("\n"));

    let log = Gc::new(Log { n: Mut::new(0) });
    let _ = bump(log, 5);
    let _unused: i64 = bump(log, 2);
    nothing(log);
    num(Str::from("log after side effects = "), log.n.get());
    let sum = bump(log, 1) + bump(log, 10) * 2;
    num(Str::from("left-to-right evaluation = "), sum);
    num(Str::from("first multiple of 7 above 10 = "), first_multiple(100, 7));
    num(Str::from("none below 5 = "), first_multiple(5, 7));
    let unit_value: () = nothing(log);
    let _ = unit_value;
    num(Str::from("log = "), log.n.get());
    0
}
