//! `match` on bytes and u32 values with the high bit set (switch dispatch must compare bit
//! patterns, not sign-extended values), and on negative i64 keys.
use vmkit::{GcList, Str};

fn classify(b: u8) -> i64 {
    match b {
        0x41 => 1,
        0xC8 => 2,
        0xFF => 3,
        0x80 => 4,
        _ => 0,
    }
}

fn big(x: u32) -> i64 {
    match x {
        4000000000 => 1,
        5 => 2,
        2147483648 => 3,
        _ => 0,
    }
}

fn neg(x: i64) -> i64 {
    match x {
        -1 => 10,
        i64::MIN => 20,
        7 => 30,
        _ => 0,
    }
}

fn show(label: Str, v: i64) {
    vmkit::io::print(label);
    vmkit::io::print(Str::from_i64(v));
    vmkit::io::print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(_args: GcList<Str>) -> i64 {
    let mut b: u8 = 0;
    let mut sum: i64 = 0;
    loop {
        sum = sum * 5 + classify(b);
        sum %= 1000000007;
        if b == 255 {
            break;
        }
        b += 1;
    }
    show(Str::from("bytes checksum "), sum);
    show(Str::from("0x41 "), classify(0x41));
    show(Str::from("0xC8 "), classify(0xC8));
    show(Str::from("0xFF "), classify(0xFF));
    show(Str::from("0x80 "), classify(0x80));
    show(Str::from("u32 4000000000 "), big(4000000000));
    show(Str::from("u32 2147483648 "), big(2147483648));
    show(Str::from("u32 5 "), big(5));
    show(Str::from("u32 6 "), big(6));
    show(Str::from("i64 -1 "), neg(-1));
    show(Str::from("i64 MIN "), neg(i64::MIN));
    show(Str::from("i64 7 "), neg(7));
    0
}
