//! Strings: `Str::from` (with escapes), `len`/`is_empty` (bytes, also of UTF-8), `byte_at`,
//! `concat`, `slice` (also empty), `find` (with offsets, empty needle, misses, start past the
//! end), `starts_with`/`ends_with`, `repeat` (also 0 times), `from_i64/u64/f64/byte`.

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

fn show_find(hay: Str, needle: Str, start: usize) {
    print(Str::from("find \""));
    print(needle);
    print(Str::from("\" from "));
    print(Str::from_u64(start as u64));
    print(Str::from(" = "));
    match hay.find(needle, start) {
        Some(i) => print(Str::from_u64(i as u64)),
        None => print(Str::from("none")),
    }
    nl();
}

/// Reverses bytes with `byte_at` and `from_byte`/`concat`.
fn reverse(s: Str) -> Str {
    let mut out = Str::from("");
    let mut i: usize = s.len();
    while i > 0 {
        i -= 1;
        out = out.concat(Str::from_byte(s.byte_at(i)));
    }
    out
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let s = Str::from("hello, world");
    num(Str::from("len = "), s.len() as i64);
    num(Str::from("len of \"\" = "), Str::from("").len() as i64);
    num(Str::from("len of \"h\\u{e9}\" (UTF-8) = "), Str::from("h\u{e9}").len() as i64);
    flag(Str::from("is_empty \"\" = "), Str::from("").is_empty());
    flag(Str::from("is_empty s = "), s.is_empty());
    num(Str::from("byte_at 0 = "), s.byte_at(0) as i64);
    num(Str::from("byte_at 11 = "), s.byte_at(11) as i64);
    num(Str::from("byte_at 1 of UTF-8 = "), Str::from("h\u{e9}").byte_at(1) as i64);
    print(Str::from("slice 7..12 = ["));
    print(s.slice(7, 12));
    print(Str::from("] slice 3..3 = ["));
    print(s.slice(3, 3));
    print(Str::from("] slice 0..5 = ["));
    print(s.slice(0, 5));
    print(Str::from("]"));
    nl();
    print(Str::from("concat: "));
    print(s.slice(0, 5).concat(Str::from("!")).concat(Str::from("")).concat(Str::from("?")));
    nl();
    print(Str::from("reverse: "));
    print(reverse(s));
    nl();
    print(Str::from("repeat: ["));
    print(Str::from("ab").repeat(3));
    print(Str::from("] ["));
    print(Str::from("ab").repeat(0));
    print(Str::from("]"));
    nl();

    show_find(s, Str::from("o"), 0);
    show_find(s, Str::from("o"), 5);
    show_find(s, Str::from("o"), 9);
    show_find(s, Str::from("world"), 0);
    show_find(s, Str::from("worlds"), 0);
    show_find(s, Str::from(""), 4);
    show_find(s, Str::from(""), 12);
    show_find(s, Str::from("h"), 13);
    show_find(Str::from("aaa"), Str::from("aa"), 1);

    flag(Str::from("starts_with hello = "), s.starts_with(Str::from("hello")));
    flag(Str::from("starts_with world = "), s.starts_with(Str::from("world")));
    flag(Str::from("starts_with \"\" = "), s.starts_with(Str::from("")));
    flag(Str::from("ends_with world = "), s.ends_with(Str::from("world")));
    flag(Str::from("ends_with longer = "), Str::from("ld").ends_with(Str::from("world")));

    print(Str::from_i64(-45));
    print(Str::from(" "));
    print(Str::from_u64(18446744073709551615));
    print(Str::from(" "));
    print(Str::from_f64(-2.5));
    print(Str::from(" "));
    print(Str::from_byte(b'Q'));
    print(Str::from("\t|\\|\"|"));
    nl();
    0
}
