//! Integers: i64/u64/u8/usize arithmetic, bit operations, shifts, comparisons, casts (also from
//! bool and u8), `i64::MAX`/`MIN`, and Rust's truncating division and remainder on negatives.

use vmkit::io::print;
use vmkit::{GcList, Str};

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

fn show_b(label: Str, v: bool) {
    print(label);
    if v {
        print(Str::from(" = true\n"));
    } else {
        print(Str::from(" = false\n"));
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let a: i64 = 17;
    let b: i64 = -5;
    show(Str::from("a+b"), a + b);
    show(Str::from("a-b"), a - b);
    show(Str::from("a*b"), a * b);
    show(Str::from("a/b"), a / b);
    show(Str::from("a%b"), a % b);
    show(Str::from("-a/5"), -a / 5);
    show(Str::from("-a%5"), -a % 5);
    show(Str::from("b/a"), b / a);
    show(Str::from("-7/-2"), -7 / -2);
    show(Str::from("-7%-2"), -7 % -2);
    show(Str::from("(a*3+b)/2"), (a * 3 + b) / 2);

    let x: i64 = 0b1100_1010;
    let y: i64 = 0x0F0;
    show(Str::from("x&y"), x & y);
    show(Str::from("x|y"), x | y);
    show(Str::from("x^y"), x ^ y);
    show(Str::from("!x"), !x);
    show(Str::from("x<<3"), x << 3);
    show(Str::from("x>>2"), x >> 2);
    show(Str::from("b>>1"), b >> 1);
    show(Str::from("b<<2"), b << 2);
    show(Str::from("-1>>63"), -1i64 >> 63);
    let s: i64 = 7;
    show(Str::from("1<<s"), 1i64 << s);

    let umax: u64 = 0xFFFF_FFFF_FFFF_FFFF;
    let big: u64 = 1u64 << 63;
    show_u(Str::from("umax"), umax);
    show_u(Str::from("umax>>60"), umax >> 60);
    show_u(Str::from("big"), big);
    show_u(Str::from("big/3"), big / 3);
    show_u(Str::from("big%10"), big % 10);
    show_u(Str::from("umax/3"), umax / 3);
    show_u(Str::from("(b as u64)>>60"), (b as u64) >> 60);
    show_b(Str::from("big>5"), big > 5);
    show_b(Str::from("umax>big"), umax > big);

    show(Str::from("i64::MAX"), i64::MAX);
    show(Str::from("i64::MIN"), i64::MIN);
    show_u(Str::from("u64::MAX"), u64::MAX);
    show_u(Str::from("MAX as u64 + 1"), i64::MAX as u64 + 1);
    show_u(Str::from("MIN as u64"), i64::MIN as u64);
    show(Str::from("umax as i64"), umax as i64);
    show(Str::from("big as i64"), big as i64);
    show(Str::from("-1 as u8"), (-1i64 as u8) as i64);
    show(Str::from("300 as u8"), (300i64 as u8) as i64);
    show(Str::from("b'A'"), b'A' as i64);
    show(Str::from("true as i64"), true as i64);
    show(Str::from("false as i64"), false as i64);
    show(Str::from("true as u8 + 1"), (true as u8 + 1) as i64);

    let c: u8 = 200;
    show(Str::from("c/3"), (c / 3) as i64);
    show(Str::from("c%7"), (c % 7) as i64);
    show(Str::from("c>>3"), (c >> 3) as i64);
    show(Str::from("c&0x0F"), (c & 0x0F) as i64);
    show(Str::from("c as u64*2"), (c as u64 * 2) as i64);
    show(Str::from("u8::MAX"), u8::MAX as i64);
    show_b(Str::from("c>100"), c > 100);

    let n: usize = 10;
    show(Str::from("n*n-1"), (n * n - 1) as i64);
    show(Str::from("n/4"), (n / 4) as i64);
    show(Str::from("n%4"), (n % 4) as i64);
    show(Str::from("n as i64-20"), n as i64 - 20);
    show(Str::from("n<<2"), (n << 2) as i64);

    show_b(Str::from("a<b"), a < b);
    show_b(Str::from("a>=17"), a >= 17);
    show_b(Str::from("b!=-5"), b != -5);
    show_b(Str::from("-1<0"), -1i64 < 0);
    show_b(Str::from("MIN<MAX"), i64::MIN < i64::MAX);
    show_b(Str::from("-1 as u64 > 0"), (-1i64 as u64) > 0);
    show_b(Str::from("a<=a"), a <= a);

    show(Str::from("abs(b)"), b.abs());
    show(Str::from("min(a,b)"), a.min(b));
    show(Str::from("max(a,b)"), a.max(b));
    show_u(Str::from("min(big,7)"), big.min(7));

    let mut m: i64 = 1;
    m += 4;
    m *= 3;
    m -= 2;
    m /= 4;
    m %= 5;
    m <<= 5;
    m >>= 1;
    m |= 1;
    m &= 0x3C;
    m ^= 3;
    show(Str::from("m"), m);
    0
}
