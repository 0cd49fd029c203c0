//! StrBuilder: `new`, `push_str`, `push_byte`, `len`, `build` (a snapshot: the builder stays
//! usable and later pushes do not change built strings), builders as `Copy` handles passed to
//! functions (aliases of one buffer), and building numbers digit by digit.

use vmkit::io::print;
use vmkit::{GcList, Str, StrBuilder};

/// Appends the decimal digits of `n` (any i64, including `i64::MIN`) byte by byte.
fn push_int(b: StrBuilder, n: i64) {
    if n == 0 {
        b.push_byte(b'0');
        return;
    }
    if n < 0 {
        b.push_byte(b'-');
    }
    let digits: GcList<u8> = GcList::new();
    let mut m = n;
    while m != 0 {
        let d = m % 10;
        let d = if d < 0 { -d } else { d };
        digits.push(b'0' + d as u8);
        m /= 10;
    }
    while let Some(c) = digits.pop() {
        b.push_byte(c);
    }
}

fn join(items: GcList<Str>, sep: Str) -> Str {
    let b = StrBuilder::new();
    let mut i: usize = 0;
    while i < items.len() {
        if i > 0 {
            b.push_str(sep);
        }
        b.push_str(items.get(i));
        i += 1;
    }
    b.build()
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let b = StrBuilder::new();
    print(Str::from("empty len = "));
    print(Str::from_u64(b.len() as u64));
    print(Str::from(" built = ["));
    print(b.build());
    print(Str::from("]\n"));

    b.push_str(Str::from("abc"));
    b.push_byte(b'-');
    b.push_str(Str::from(""));
    let first = b.build();
    b.push_str(Str::from("def"));
    let second = b.build();
    print(first);
    print(Str::from(" "));
    print(second);
    print(Str::from(" len="));
    print(Str::from_u64(b.len() as u64));
    print(Str::from(" first.len="));
    print(Str::from_u64(first.len() as u64));
    print(Str::from("\n"));

    let alias = b;
    alias.push_byte(b'!');
    print(b.build());
    print(Str::from("\n"));

    let nums = StrBuilder::new();
    push_int(nums, 0);
    nums.push_byte(b' ');
    push_int(nums, 7);
    nums.push_byte(b' ');
    push_int(nums, -120);
    nums.push_byte(b' ');
    push_int(nums, i64::MAX);
    nums.push_byte(b' ');
    push_int(nums, i64::MIN);
    nums.push_byte(b'\n');
    print(nums.build());
    let check = nums.build();
    print(if check == Str::from("0 7 -120 9223372036854775807 -9223372036854775808\n") {
        Str::from("matches from_i64 spelling\n")
    } else {
        Str::from("MISMATCH\n")
    });

    let words: GcList<Str> = GcList::new();
    print(Str::from("join none = ["));
    print(join(words, Str::from(", ")));
    print(Str::from("]\n"));
    words.push(Str::from("alpha"));
    print(Str::from("join one = ["));
    print(join(words, Str::from(", ")));
    print(Str::from("]\n"));
    words.push(Str::from("beta"));
    words.push(Str::from("gamma"));
    print(Str::from("join three = ["));
    print(join(words, Str::from(", ")));
    print(Str::from("]\n"));

    let big = StrBuilder::new();
    let mut i: i64 = 0;
    while i < 1000 {
        big.push_byte(b'a' + (i % 26) as u8);
        i += 1;
    }
    let s = big.build();
    print(Str::from("big len = "));
    print(Str::from_u64(s.len() as u64));
    print(Str::from(" tail = "));
    print(s.slice(990, 1000));
    print(Str::from("\n"));
    0
}
