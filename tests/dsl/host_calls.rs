//! Host functions: `#[vmkit::host]` functions in the same file (ordinary Rust bodies using
//! `String`, `format!`, iterators, a `static` inside a body) taking i64/u64/usize/u8/f64/bool/`Str`
//! and returning i64/u64/f64/bool/`Str`/`()`, called from DSL code; structured data crosses as a
//! `Str`. Names carry the corpus-unique prefix `hc_`.

use vmkit::io::print;
use vmkit::{GcList, Str, StrBuilder};

#[vmkit::host]
pub fn hc_describe(n: i64, x: f64, flag: bool, s: Str) -> Str {
    let text = format!("{}|{}|{:.3}|{}|{}", String::from_utf8_lossy(s.as_bytes()), n, x, flag, n.count_ones());
    Str::from_byte_slice(text.as_bytes())
}

#[vmkit::host]
pub fn hc_vowels(s: Str) -> i64 {
    s.as_bytes().iter().filter(|b| b"aeiouAEIOU".contains(b)).count() as i64
}

#[vmkit::host]
pub fn hc_hypot(x: f64, y: f64) -> f64 {
    x.hypot(y)
}

#[vmkit::host]
pub fn hc_upper(s: Str) -> Str {
    Str::from_byte_slice(s.as_bytes().to_ascii_uppercase().as_slice())
}

/// Sums a comma-separated list of integers serialised by the DSL side.
#[vmkit::host]
pub fn hc_sum_csv(s: Str) -> i64 {
    let text = String::from_utf8_lossy(s.as_bytes()).into_owned();
    text.split(',').filter(|p| !p.is_empty()).map(|p| p.trim().parse::<i64>().unwrap_or(0)).sum()
}

#[vmkit::host]
pub fn hc_is_prime(n: u64) -> bool {
    n >= 2 && (2..).take_while(|d| d * d <= n).all(|d| n % d != 0)
}

#[vmkit::host]
pub fn hc_weighted(b: u8, n: usize) -> u64 {
    b as u64 * n as u64
}

/// Adds `delta` to a host-side total and returns the new total. The state lives inside the host
/// body: a module-level `static` would be outside the DSL.
#[vmkit::host]
pub fn hc_tally(delta: i64) -> i64 {
    use std::sync::atomic::{AtomicI64, Ordering};
    static TOTAL: AtomicI64 = AtomicI64::new(0);
    TOTAL.fetch_add(delta, Ordering::SeqCst) + delta
}

/// A host function returning `()`; its effect shows through `hc_tally(0)`.
#[vmkit::host]
pub fn hc_note(x: i64) {
    hc_tally(x);
}

fn line(label: Str, value: Str) {
    print(label);
    print(Str::from(" -> "));
    print(value);
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    line(Str::from("describe"), hc_describe(255, 2.0 / 3.0, true, Str::from("dsl")));
    line(Str::from("describe negative"), hc_describe(-1, -0.5, false, Str::from("")));
    line(Str::from("vowels"), Str::from_i64(hc_vowels(Str::from("Meta-tracing Virtual Machines"))));
    line(Str::from("hypot"), Str::from_f64(hc_hypot(3.0, 4.0)));
    let shouted = hc_upper(Str::from("quiet, please"));
    line(Str::from("upper"), shouted);
    line(Str::from("upper len"), Str::from_u64(shouted.len() as u64));
    line(
        Str::from("upper is a Str"),
        if shouted == Str::from("QUIET, PLEASE") { Str::from("yes") } else { Str::from("no") },
    );

    let b = StrBuilder::new();
    for i in 1..=10 {
        if i > 1 {
            b.push_byte(b',');
        }
        b.push_str(Str::from_i64(i * i - 20));
    }
    let csv = b.build();
    line(Str::from("csv"), csv);
    line(Str::from("sum"), Str::from_i64(hc_sum_csv(csv)));

    let mut primes = Str::from("");
    for n in 0..30 {
        if hc_is_prime(n as u64) {
            primes = primes.concat(Str::from(" ")).concat(Str::from_i64(n));
        }
    }
    line(Str::from("primes"), primes);
    line(Str::from("weighted"), Str::from_u64(hc_weighted(b'z', 1000)));

    for i in 0..5 {
        hc_note(i * 10);
    }
    hc_note(-1);
    line(Str::from("notes"), Str::from_i64(hc_tally(0)));
    0
}
