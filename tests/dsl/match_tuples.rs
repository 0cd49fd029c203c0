//! `match` on tuples: integer pairs with literals, wildcards, bindings and guards (FizzBuzz,
//! quadrants), bool pairs with or-patterns, `Option` of a tuple with nested literal patterns, and
//! `matches!` on a tuple; an `unreachable!()` arm that is never taken.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn fizz(n: i64) -> Str {
    match (n % 3, n % 5) {
        (0, 0) => Str::from("FizzBuzz"),
        (0, _) => Str::from("Fizz"),
        (_, 0) => Str::from("Buzz"),
        _ => Str::from_i64(n),
    }
}

fn quadrant(p: (i64, i64)) -> Str {
    match p {
        (0, 0) => Str::from("origin"),
        (x, 0) if x > 0 => Str::from("+x axis"),
        (_, 0) => Str::from("-x axis"),
        (0, _) => Str::from("y axis"),
        (x, y) if x > 0 && y > 0 => Str::from("Q1"),
        (x, y) if x < 0 && y > 0 => Str::from("Q2"),
        (_, y) if y < 0 => Str::from("lower half"),
        _ => unreachable!(),
    }
}

fn logic(a: bool, b: bool) -> Str {
    match (a, b) {
        (true, true) => Str::from("both"),
        (true, false) | (false, true) => Str::from("one"),
        (false, false) => Str::from("neither"),
    }
}

fn first_of(o: Option<(i64, Str)>) -> Str {
    match o {
        Some((0, _)) => Str::from("zero-keyed"),
        Some((_, s)) => s,
        None => Str::from("nothing"),
    }
}

fn line(a: Str, b: Str) {
    print(a);
    print(Str::from(": "));
    print(b);
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from("fizz:"));
    for n in 1..=15 {
        print(Str::from(" "));
        print(fizz(n));
    }
    print(Str::from("\n"));
    line(Str::from("(0,0)"), quadrant((0, 0)));
    line(Str::from("(5,0)"), quadrant((5, 0)));
    line(Str::from("(-5,0)"), quadrant((-5, 0)));
    line(Str::from("(0,-2)"), quadrant((0, -2)));
    line(Str::from("(1,1)"), quadrant((1, 1)));
    line(Str::from("(-1,1)"), quadrant((-1, 1)));
    line(Str::from("(1,-1)"), quadrant((1, -1)));
    line(Str::from("tt"), logic(true, true));
    line(Str::from("ft"), logic(false, true));
    line(Str::from("ff"), logic(false, false));
    line(Str::from("tf"), logic(true, false));
    line(Str::from("some zero"), first_of(Some((0, Str::from("hidden")))));
    line(Str::from("some"), first_of(Some((4, Str::from("shown")))));
    line(Str::from("none"), first_of(None));

    let pair: (i64, bool) = (3, true);
    line(Str::from("matches! tuple"), if matches!(pair, (3, true)) { Str::from("yes") } else { Str::from("no") });
    line(
        Str::from("matches! (3, false)"),
        if matches!((3i64, false), (3, true)) { Str::from("yes") } else { Str::from("no") },
    );
    0
}
