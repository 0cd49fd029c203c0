//! String parsing and comparison: `parse_i64` and `parse_f64` (signs, limits, junk, spaces,
//! exponents, `inf`), `==`/`!=` on equal contents built differently, `compare` (byte-wise,
//! unsigned bytes, prefixes, empty), and `hash` (FNV-1a, printed as u64).

use vmkit::io::print;
use vmkit::{GcList, Str};

fn nl() {
    print(Str::from("\n"));
}

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    nl();
}

fn flag(label: Str, v: bool) {
    print(label);
    print(if v { Str::from("true") } else { Str::from("false") });
    nl();
}

fn show_parse(s: Str) {
    print(Str::from("parse_i64 \""));
    print(s);
    print(Str::from("\" = "));
    match s.parse_i64() {
        Some(v) => print(Str::from_i64(v)),
        None => print(Str::from("none")),
    }
    print(Str::from(", parse_f64 = "));
    match s.parse_f64() {
        Some(v) => print(Str::from_f64(v)),
        None => print(Str::from("none")),
    }
    nl();
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    show_parse(Str::from("42"));
    show_parse(Str::from("-17"));
    show_parse(Str::from("+5"));
    show_parse(Str::from("-0"));
    show_parse(Str::from(""));
    show_parse(Str::from(" 5"));
    show_parse(Str::from("12a"));
    show_parse(Str::from("9223372036854775807"));
    show_parse(Str::from("9223372036854775808"));
    show_parse(Str::from("-9223372036854775808"));
    show_parse(Str::from("2.5"));
    show_parse(Str::from("1e3"));
    show_parse(Str::from("-.5"));
    show_parse(Str::from("inf"));
    show_parse(Str::from("007"));
    show_parse(Str::from("--5"));
    show_parse(Str::from("1_000"));
    show_parse(Str::from("0x10"));
    show_parse(Str::from("1e400"));
    show_parse(Str::from("NaN"));
    show_parse(Str::from("-"));

    let a = Str::from("apple");
    let a2 = Str::from("app").concat(Str::from("le"));
    let b = Str::from("apples");
    flag(Str::from("apple == app+le: "), a == a2);
    flag(Str::from("apple != apples: "), a != b);
    flag(Str::from("apple == apples: "), a == b);
    num(Str::from("compare apple apples = "), a.compare(b));
    num(Str::from("compare apples apple = "), b.compare(a));
    num(Str::from("compare apple app+le = "), a.compare(a2));
    num(Str::from("compare B a = "), Str::from("B").compare(Str::from("a")));
    num(Str::from("compare \"\" a = "), Str::from("").compare(Str::from("a")));
    num(Str::from("compare \\xff \\x01 = "), Str::from_byte(255).compare(Str::from_byte(1)));

    print(Str::from("hash \"\" = "));
    print(Str::from_u64(Str::from("").hash()));
    nl();
    print(Str::from("hash a = "));
    print(Str::from_u64(Str::from("a").hash()));
    nl();
    print(Str::from("hash apple = "));
    print(Str::from_u64(a.hash()));
    nl();
    flag(Str::from("hash apple == hash app+le: "), a.hash() == a2.hash());
    print(Str::from("hash caf\u{e9} = "));
    print(Str::from_u64(Str::from("caf\u{e9}").hash()));
    nl();

    0
}
