//! Built-in I/O: `print`, `write_byte` (also of non-ASCII bytes), `flush`, `eprint` (standard
//! error, not compared), `read_byte` reading standard input (`io.in`) to EOF and staying at -1
//! afterwards, `read_file`/`write_file` on `/dev/null` and on a missing directory.

use vmkit::io::{eprint, flush, print, read_byte, read_file, write_byte, write_file};
use vmkit::{GcList, Str};

fn num(label: Str, v: i64) {
    print(label);
    print(Str::from_i64(v));
    write_byte(b'\n');
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    print(Str::from("echo upper: "));
    let mut bytes: i64 = 0;
    let mut lines: i64 = 0;
    let mut words: i64 = 0;
    let mut in_word = false;
    let mut high: i64 = 0;
    let mut number_sum: i64 = 0;
    let mut current: i64 = 0;
    let mut negative = false;
    let mut in_number = false;
    loop {
        let c = read_byte();
        if c < 0 {
            break;
        }
        bytes += 1;
        let b = c as u8;
        if b == b'\n' {
            lines += 1;
        }
        if b >= 128 {
            high += 1;
        }
        if b == b' ' || b == b'\n' || b == b'\t' {
            in_word = false;
        } else if !in_word {
            in_word = true;
            words += 1;
        }
        if b >= b'0' && b <= b'9' {
            current = current * 10 + (b - b'0') as i64;
            in_number = true;
        } else {
            if in_number {
                number_sum += if negative { -current } else { current };
            }
            in_number = false;
            current = 0;
            negative = b == b'-';
        }
        let up = if b >= b'a' && b <= b'z' { b - 32 } else { b };
        if b == b'\n' {
            print(Str::from("|\n"));
        } else {
            write_byte(up);
        }
    }
    print(Str::from("<EOF>\n"));
    num(Str::from("bytes = "), bytes);
    num(Str::from("newlines = "), lines);
    num(Str::from("words = "), words);
    num(Str::from("high bytes = "), high);
    num(Str::from("number sum = "), number_sum);
    num(Str::from("read after EOF = "), read_byte());
    num(Str::from("and again = "), read_byte());

    flush();
    eprint(Str::from("this goes to stderr\n"));
    write_byte(0xC3);
    write_byte(0xA9);
    write_byte(b'\n');

    match read_file(Str::from("/dev/null")) {
        Some(s) => num(Str::from("/dev/null length = "), s.len() as i64),
        None => print(Str::from("/dev/null unreadable\n")),
    }
    match read_file(Str::from("/nonexistent-vmkit-dir/file")) {
        Some(_) => print(Str::from("missing file read?!\n")),
        None => print(Str::from("missing file: None\n")),
    }
    let ok = write_file(Str::from("/dev/null"), Str::from("discarded"));
    let bad = write_file(Str::from("/nonexistent-vmkit-dir/out"), Str::from("x"));
    num(Str::from("write /dev/null ok = "), ok as i64);
    num(Str::from("write missing dir ok = "), bad as i64);
    0
}
