//! `Option::unwrap` on `None` is a fatal error (exit status 101), after more than 64 KiB of
//! output: what was flushed while running and what was still buffered must both appear, in order.

use vmkit::io::{print, write_byte};
use vmkit::{GcList, GcMap, Str};

fn find(m: GcMap<i64, Str>, key: i64) -> Str {
    m.get(key).unwrap()
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let m: GcMap<i64, Str> = GcMap::new();
    m.insert(1, Str::from("one"));
    m.insert(2, Str::from("two"));
    let pad = Str::from("0123456789").repeat(6);
    for i in 0..1100 {
        print(Str::from_i64(i));
        write_byte(b' ');
        print(pad);
        write_byte(b'\n');
    }
    print(find(m, 1));
    print(Str::from(" "));
    print(find(m, 2));
    print(Str::from(" "));
    print(find(m, 3));
    print(Str::from("\nnot reached\n"));
    0
}
