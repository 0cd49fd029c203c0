//! Miscellaneous `match`: integers with ranges (negative too), or-patterns and guards (a guard
//! arm before a range arm); bytes with byte-literal and numeric ranges; a bare bool; `match` as an
//! expression with block arms; nested `match`; and `matches!` with ranges and or-patterns.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn int_class(n: i64) -> Str {
    match n {
        -1_000_000_000..=-1000 => Str::from("very negative"),
        -999..=-1 => Str::from("negative"),
        0 => Str::from("zero"),
        1 | 2 | 3 => Str::from("small"),
        4..=9 => Str::from("digit"),
        x if x % 100 == 0 => Str::from("round"),
        10..=99 => Str::from("two digits"),
        _ => Str::from("large"),
    }
}

fn byte_class(b: u8) -> Str {
    match b {
        b'0'..=b'9' => Str::from("digit"),
        b'a'..=b'z' | b'A'..=b'Z' | b'_' => Str::from("ident"),
        b' ' | b'\t' | b'\n' => Str::from("space"),
        0..=31 | 127 => Str::from("control"),
        128..=255 => Str::from("high"),
        _ => Str::from("punct"),
    }
}

fn bool_num(b: bool) -> i64 {
    match b {
        true => 1,
        false => -1,
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
    let ints: GcList<i64> = GcList::new();
    ints.push(-1_000_000_000);
    ints.push(-1000);
    ints.push(-999);
    ints.push(-1);
    ints.push(0);
    ints.push(2);
    ints.push(9);
    ints.push(10);
    ints.push(99);
    ints.push(100);
    ints.push(101);
    ints.push(500);
    for i in 0..ints.len() {
        line(Str::from_i64(ints.get(i)), int_class(ints.get(i)));
    }
    let bytes = Str::from("a7 _~\t");
    for i in 0..bytes.len() {
        line(Str::from_i64(bytes.byte_at(i) as i64), byte_class(bytes.byte_at(i)));
    }
    line(Str::from("1"), byte_class(1));
    line(Str::from("127"), byte_class(127));
    line(Str::from("200"), byte_class(200));

    line(Str::from("bool_num"), Str::from_i64(bool_num(true) * 10 + bool_num(false)));
    let mut score: i64 = 0;
    for n in 0i64..20 {
        let delta = match n % 4 {
            0 => {
                let base: i64 = 10;
                base * 2
            }
            1 | 2 => match n {
                0..=9 => 1,
                _ => 2,
            },
            _ => -3,
        };
        score += delta;
    }
    line(Str::from("score"), Str::from_i64(score));

    let mut hits: i64 = 0;
    for n in -5i64..25 {
        if matches!(n, 1..=5 | 10 | 20..=22) {
            hits += 1;
        }
    }
    line(Str::from("matches! hits"), Str::from_i64(hits));
    let opt: Option<i64> = None;
    line(Str::from("matches! None"), if matches!(opt, None) { Str::from("yes") } else { Str::from("no") });
    line(Str::from("matches! Some(_)"), if matches!(opt, Some(_)) { Str::from("yes") } else { Str::from("no") });
    0
}
