//! Overflow-aware arithmetic: `checked_add/sub/mul` (→ `Option`), `overflowing_add/sub/mul`
//! (→ `(value, overflowed)`) and `wrapping_add/sub/mul` on i64, u64 and u8, at the limits.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn show_opt(label: Str, v: Option<i64>) {
    print(label);
    match v {
        Some(x) => {
            print(Str::from(" = Some("));
            print(Str::from_i64(x));
            print(Str::from(")\n"));
        }
        None => print(Str::from(" = None\n")),
    }
}

fn show_pair(label: Str, v: (i64, bool)) {
    print(label);
    print(Str::from(" = ("));
    print(Str::from_i64(v.0));
    if v.1 {
        print(Str::from(", true)\n"));
    } else {
        print(Str::from(", false)\n"));
    }
}

fn show(label: Str, v: i64) {
    print(label);
    print(Str::from(" = "));
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

fn show_u(label: Str, v: u64) {
    print(label);
    print(Str::from(" = "));
    print(Str::from_u64(v));
    print(Str::from("\n"));
}

/// Sums with `checked_add`, stopping at the first overflow: the number of terms that fit.
fn terms_until_overflow(step: i64) -> i64 {
    let mut acc: i64 = 0;
    let mut n: i64 = 0;
    loop {
        match acc.checked_add(step) {
            Some(v) => {
                acc = v;
                n += 1;
            }
            None => return n,
        }
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    show_opt(Str::from("MAX.checked_add(1)"), i64::MAX.checked_add(1));
    show_opt(Str::from("MAX.checked_add(-1)"), i64::MAX.checked_add(-1));
    show_opt(Str::from("MIN.checked_sub(1)"), i64::MIN.checked_sub(1));
    show_opt(Str::from("MIN.checked_sub(-1)"), i64::MIN.checked_sub(-1));
    show_opt(Str::from("MIN.checked_mul(-1)"), i64::MIN.checked_mul(-1));
    show_opt(Str::from("(1<<31).checked_mul(1<<31)"), (1i64 << 31).checked_mul(1i64 << 31));
    show_opt(Str::from("(1<<32).checked_mul(1<<31)"), (1i64 << 32).checked_mul(1i64 << 31));
    show_opt(Str::from("-(1<<32).checked_mul(1<<31)"), (-(1i64 << 32)).checked_mul(1i64 << 31));
    show_opt(Str::from("3.checked_mul(-4)"), 3i64.checked_mul(-4));

    show_pair(Str::from("MAX.overflowing_add(1)"), i64::MAX.overflowing_add(1));
    show_pair(Str::from("MAX.overflowing_add(MAX)"), i64::MAX.overflowing_add(i64::MAX));
    show_pair(Str::from("5.overflowing_add(6)"), 5i64.overflowing_add(6));
    show_pair(Str::from("MIN.overflowing_sub(1)"), i64::MIN.overflowing_sub(1));
    show_pair(Str::from("0.overflowing_sub(MIN)"), 0i64.overflowing_sub(i64::MIN));
    show_pair(Str::from("MIN.overflowing_mul(-1)"), i64::MIN.overflowing_mul(-1));
    show_pair(Str::from("(1<<62).overflowing_mul(4)"), (1i64 << 62).overflowing_mul(4));
    show_pair(Str::from("(1<<62).overflowing_mul(3)"), (1i64 << 62).overflowing_mul(3));
    show_pair(Str::from("-7.overflowing_mul(6)"), (-7i64).overflowing_mul(6));

    show(Str::from("MAX.wrapping_add(1)"), i64::MAX.wrapping_add(1));
    show(Str::from("MIN.wrapping_sub(1)"), i64::MIN.wrapping_sub(1));
    show(Str::from("MIN.wrapping_mul(-1)"), i64::MIN.wrapping_mul(-1));
    show(Str::from("MAX.wrapping_mul(3)"), i64::MAX.wrapping_mul(3));
    show(Str::from("12.wrapping_sub(20)"), 12i64.wrapping_sub(20));

    let u: u64 = 3;
    show_u(Str::from("3u.wrapping_sub(5)"), u.wrapping_sub(5));
    show_u(Str::from("umax.wrapping_add(2)"), u64::MAX.wrapping_add(2));
    show_u(Str::from("umax.wrapping_mul(umax)"), u64::MAX.wrapping_mul(u64::MAX));
    match u.checked_sub(4) {
        Some(v) => show_u(Str::from("3u.checked_sub(4)"), v),
        None => print(Str::from("3u.checked_sub(4) = None\n")),
    }
    match u.checked_add(u64::MAX - 3) {
        Some(v) => show_u(Str::from("3u.checked_add(umax-3)"), v),
        None => print(Str::from("3u.checked_add(umax-3) = None\n")),
    }
    let (uv, uo) = u.overflowing_sub(4);
    show_u(Str::from("3u.overflowing_sub(4).0"), uv);
    show_pair(Str::from("3u.overflowing_sub(4).1"), (0, uo));

    let b: u8 = 250;
    show(Str::from("250u8.wrapping_add(10)"), b.wrapping_add(10) as i64);
    show(Str::from("250u8.wrapping_mul(2)"), b.wrapping_mul(2) as i64);
    show(Str::from("3u8.wrapping_sub(5)"), 3u8.wrapping_sub(5) as i64);
    let (bv, bo) = b.overflowing_add(5);
    show_pair(Str::from("250u8.overflowing_add(5)"), (bv as i64, bo));
    let (bv, bo) = b.overflowing_add(6);
    show_pair(Str::from("250u8.overflowing_add(6)"), (bv as i64, bo));
    match b.checked_mul(2) {
        Some(v) => show(Str::from("250u8.checked_mul(2)"), v as i64),
        None => print(Str::from("250u8.checked_mul(2) = None\n")),
    }

    show(Str::from("terms of 1<<60"), terms_until_overflow(1i64 << 60));
    show(Str::from("terms of MAX/3"), terms_until_overflow(i64::MAX / 3));
    show(Str::from("terms of -(1<<61)"), terms_until_overflow(-(1i64 << 61)));
    0
}
