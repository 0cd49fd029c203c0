//! Result: a `Copy` error enum with payloads, `?` propagation through several call levels,
//! early `return Err(...)`, `match` on `Ok`/`Err` (with nested patterns), `is_ok`/`is_err`/`unwrap`,
//! and errors raised from inside loops.

use vmkit::io::print;
use vmkit::{GcList, Str};

/// `Debug` is needed by rustc for `Result::unwrap` (the DSL ignores it).
#[derive(Clone, Copy, Debug)]
enum Error {
    DivByZero,
    Overflow,
    BadDigit(u8),
    TooDeep(i64),
}

fn div(a: i64, b: i64) -> Result<i64, Error> {
    if b == 0 {
        return Err(Error::DivByZero);
    }
    Ok(a / b)
}

fn mul(a: i64, b: i64) -> Result<i64, Error> {
    match a.checked_mul(b) {
        Some(v) => Ok(v),
        None => Err(Error::Overflow),
    }
}

/// Parses decimal digits; the first non-digit is an error.
fn parse(s: Str) -> Result<i64, Error> {
    let mut acc: i64 = 0;
    let mut i: usize = 0;
    while i < s.len() {
        let c = s.byte_at(i);
        if c < b'0' || c > b'9' {
            return Err(Error::BadDigit(c));
        }
        acc = mul(acc, 10)?;
        acc = match acc.checked_add((c - b'0') as i64) {
            Some(v) => v,
            None => return Err(Error::Overflow),
        };
        i += 1;
    }
    Ok(acc)
}

/// `(a / b) * c` with every step checked.
fn compute(a: Str, b: Str, c: Str) -> Result<i64, Error> {
    let x = parse(a)?;
    let y = parse(b)?;
    let q = div(x, y)?;
    let z = parse(c)?;
    mul(q, z)
}

fn nest(depth: i64, limit: i64) -> Result<i64, Error> {
    if depth > limit {
        return Err(Error::TooDeep(depth));
    }
    if depth == 5 {
        return Ok(0);
    }
    let below = nest(depth + 1, limit)?;
    Ok(below + depth)
}

fn describe(r: Result<i64, Error>) -> Str {
    match r {
        Ok(0) => Str::from("Ok(zero)"),
        Ok(v) => Str::from("Ok(").concat(Str::from_i64(v)).concat(Str::from(")")),
        Err(Error::DivByZero) => Str::from("Err(DivByZero)"),
        Err(Error::Overflow) => Str::from("Err(Overflow)"),
        Err(Error::BadDigit(c)) => Str::from("Err(BadDigit('").concat(Str::from_byte(c)).concat(Str::from("'))")),
        Err(Error::TooDeep(d)) => Str::from("Err(TooDeep(").concat(Str::from_i64(d)).concat(Str::from("))")),
    }
}

fn line(label: Str, r: Result<i64, Error>) {
    print(label);
    print(Str::from(" -> "));
    print(describe(r));
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    line(Str::from("84/2*3"), compute(Str::from("84"), Str::from("2"), Str::from("3")));
    line(Str::from("84/0*3"), compute(Str::from("84"), Str::from("0"), Str::from("3")));
    line(Str::from("8x/2*3"), compute(Str::from("8x"), Str::from("2"), Str::from("3")));
    line(Str::from("84/2*-3"), compute(Str::from("84"), Str::from("2"), Str::from("-3")));
    line(Str::from("0/5*7"), compute(Str::from("0"), Str::from("5"), Str::from("7")));
    line(Str::from("empty/1*1"), compute(Str::from(""), Str::from("1"), Str::from("1")));
    line(Str::from("huge/1*1"), compute(Str::from("99999999999999999999"), Str::from("1"), Str::from("1")));
    line(Str::from("max/1*1"), compute(Str::from("9223372036854775807"), Str::from("1"), Str::from("1")));
    line(Str::from("max+1"), parse(Str::from("9223372036854775808")));
    line(Str::from("big/1*big"), compute(Str::from("4294967296"), Str::from("1"), Str::from("4294967296")));
    line(Str::from("nest limit 10"), nest(0, 10));
    line(Str::from("nest limit 3"), nest(0, 3));
    line(Str::from("nest from 6"), nest(6, 3));

    let ok = div(7, 2);
    let bad = div(7, 0);
    print(Str::from("is_ok/is_err: "));
    print(if ok.is_ok() { Str::from("T") } else { Str::from("F") });
    print(if ok.is_err() { Str::from("T") } else { Str::from("F") });
    print(if bad.is_ok() { Str::from("T") } else { Str::from("F") });
    print(if bad.is_err() { Str::from("T") } else { Str::from("F") });
    print(Str::from(" unwrap: "));
    print(Str::from_i64(ok.unwrap()));
    print(Str::from("\n"));

    let inputs: GcList<Str> = GcList::new();
    inputs.push(Str::from("12"));
    inputs.push(Str::from("30"));
    inputs.push(Str::from("4!"));
    inputs.push(Str::from("5"));
    let mut total: i64 = 0;
    let mut i: usize = 0;
    while i < inputs.len() {
        match parse(inputs.get(i)) {
            Ok(v) => total += v,
            Err(e) => {
                print(Str::from("stopped at item "));
                print(Str::from_u64(i as u64));
                print(Str::from(": "));
                print(describe(Err(e)));
                print(Str::from("\n"));
                break;
            }
        }
        i += 1;
    }
    print(Str::from("total before error: "));
    print(Str::from_i64(total));
    print(Str::from("\n"));
    0
}
