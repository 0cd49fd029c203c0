//! Differential test of `pyvm::bigint` (untranslated) against CPython.
//!
//! Random operands (fixed seed; special values such as 0, ±1, ±2^32±1, ±2^63, ±2^64, limb
//! patterns that stress Knuth division's corrections, operands large enough for Karatsuba) are
//! combined into operation lines `op arg...` (integers in signed hexadecimal), written to a
//! temporary file, and `python3` computes the expected result of every line. Each result of the
//! Rust module is also checked for the representation invariants (normalised limbs < 2^32,
//! zero not negative). Floats are compared bit for bit.

use std::fmt::Write as _;
use std::process::Command;

use pyvm::bigint::{self, BigInt};
use vmkit::{Gc, Str};

/// The expected results, one line per operation line.
const PY_SCRIPT: &str = r#"
import sys, struct
sys.set_int_max_str_digits(0)
DIGS = "0123456789abcdefghijklmnopqrstuvwxyz"
def fbits(f):
    return str(struct.unpack('<Q', struct.pack('<d', f))[0])
def in_base(a, base):
    m = abs(a); s = ""
    while m:
        s = DIGS[m % base] + s; m //= base
    return ("-" if a < 0 else "") + (s or "0")
out = []
for line in open(sys.argv[1]).read().split("\n"):
    if not line:
        continue
    t = line.split(" ")
    op = t[0]
    v = [int(x, 16) for x in t[1:]] if op not in ("fromstr", "fromf64", "tostr") else None
    if op == "add": r = v[0] + v[1]
    elif op == "sub": r = v[0] - v[1]
    elif op == "mul": r = v[0] * v[1]
    elif op == "floordiv": r = v[0] // v[1]
    elif op == "mod": r = v[0] % v[1]
    elif op == "divmod": r = "%d %d" % divmod(v[0], v[1])
    elif op == "and": r = v[0] & v[1]
    elif op == "or": r = v[0] | v[1]
    elif op == "xor": r = v[0] ^ v[1]
    elif op == "cmp": r = (v[0] > v[1]) - (v[0] < v[1])
    elif op == "neg": r = -v[0]
    elif op == "abs": r = abs(v[0])
    elif op == "invert": r = ~v[0]
    elif op == "hash": r = hash(v[0])
    elif op == "bitlen": r = v[0].bit_length()
    elif op == "iszero": r = v[0] == 0
    elif op == "toi64": r = v[0] if -2**63 <= v[0] < 2**63 else None
    elif op == "fromi64": r = v[0]
    elif op == "shl": r = v[0] << v[1]
    elif op == "shr": r = v[0] >> v[1]
    elif op == "pow": r = v[0] ** v[1]
    elif op == "powmod": r = pow(v[0], v[1], v[2])
    elif op == "tof64":
        try: r = fbits(float(v[0]))
        except OverflowError: r = None
    elif op == "truediv":
        try: r = fbits(v[0] / v[1])
        except OverflowError: r = None
    elif op == "fromf64": r = int(struct.unpack('<d', struct.pack('<Q', int(t[1])))[0])
    elif op == "tostr": r = in_base(int(t[2], 16), int(t[1]))
    elif op == "fromstr":
        s = t[2] if len(t) > 2 else ""
        try: r = int(s, int(t[1])) if s and s.strip() == s and "_" not in s else None
        except ValueError: r = None
    else: r = "?"
    out.append(str(r))
sys.stdout.write("\n".join(out) + "\n")
"#;

/// xorshift64*: a small deterministic generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Signed hexadecimal text of an integer given by its magnitude's hex digits.
fn signed(neg: bool, hex: String) -> String {
    let trimmed = hex.trim_start_matches('0');
    if trimmed.is_empty() {
        return "0".to_string();
    }
    if neg {
        format!("-{}", trimmed)
    } else {
        trimmed.to_string()
    }
}

/// 2^k + delta (delta in -1..=1) as a hex magnitude string.
fn pow2_hex(k: u64, delta: i64) -> String {
    let v = bigint::add(bigint::shl(bigint::from_i64(1), k), bigint::from_i64(delta));
    text(bigint::to_str(v, 16))
}

fn random_operand(rng: &mut Rng) -> String {
    let neg = rng.chance(50);
    let c = rng.below(100);
    let hex = if c < 20 {
        let specials: [&str; 18] = [
            "0",
            "1",
            "2",
            "ffffffff",
            "100000000",
            "100000001",
            "7fffffffffffffff",
            "8000000000000000",
            "ffffffffffffffff",
            "10000000000000000",
            "10000000000000001",
            "de0b6b3a7640000",                   // 10^18
            "20000000000000",                    // 2^53
            "20000000000001",                    // 2^53 + 1
            "1fffffffffffff",                    // 2^53 - 1
            "ffffffffffffffffffffffffffffffff",  // 2^128 - 1
            "1fffffffffffff0000000000000000000", // (2^53-1) * 2^80
            "1fffffffffffff8000000000000000000", // (2^53-1) * 2^80 + 2^79 (a tie)
        ];
        specials[rng.below(specials.len() as u64) as usize].to_string()
    } else if c < 45 {
        random_hex(rng, 1, 20)
    } else if c < 65 {
        random_hex(rng, 1, 80)
    } else if c < 75 {
        random_hex(rng, 1, 800)
    } else if c < 83 {
        let k = rng.below(2000);
        let d = rng.below(3) as i64 - 1;
        pow2_hex(k, d)
    } else if c < 95 {
        // Limb patterns that make Knuth's quotient estimate wrong.
        let pats = [
            "00000000", "00000001", "7fffffff", "80000000", "80000001", "ffffffff", "fffffffe",
        ];
        let mut s = String::new();
        for _ in 0..1 + rng.below(8) {
            s.push_str(pats[rng.below(pats.len() as u64) as usize]);
        }
        s
    } else {
        random_hex(rng, 300, 1500)
    };
    signed(neg, hex)
}

/// Random hex digits, `min` to `min + span - 1` of them.
fn random_hex(rng: &mut Rng, min: u64, span: u64) -> String {
    let digits = min + rng.below(span);
    let mut s = String::new();
    for _ in 0..digits {
        s.push(std::char::from_digit(rng.below(16) as u32, 16).unwrap());
    }
    s
}

fn parse(s: &str) -> Gc<BigInt> {
    bigint::from_str(Str::from_byte_slice(s.as_bytes()), 16).expect("operand parses")
}

fn text(s: Str) -> String {
    String::from_utf8(s.as_bytes().to_vec()).unwrap()
}

/// Checks the representation invariants.
fn check(a: Gc<BigInt>) -> Gc<BigInt> {
    let n = a.mag.len();
    for i in 0..n {
        assert!(a.mag.get(i) < (1u64 << 32), "limb out of range");
    }
    if n > 0 {
        assert!(a.mag.get(n - 1) != 0, "not normalised");
    } else {
        assert!(!a.neg, "negative zero");
    }
    a
}

fn dec(a: Gc<BigInt>) -> String {
    text(bigint::to_str(check(a), 10))
}

fn fbits(f: Option<f64>) -> String {
    match f {
        Some(x) => x.to_bits().to_string(),
        None => "None".to_string(),
    }
}

/// Our result for one operation line.
fn compute(line: &str) -> String {
    let t: Vec<&str> = line.split(' ').collect();
    let op = t[0];
    match op {
        "fromstr" => {
            let s = if t.len() > 2 { t[2] } else { "" };
            let base: i64 = t[1].parse().unwrap();
            return match bigint::from_str(Str::from_byte_slice(s.as_bytes()), base) {
                Some(v) => dec(v),
                None => "None".to_string(),
            };
        }
        "fromf64" => return dec(bigint::from_f64(f64::from_bits(t[1].parse().unwrap()))),
        "tostr" => {
            let base: i64 = t[1].parse().unwrap();
            return text(bigint::to_str(check(parse(t[2])), base));
        }
        _ => {}
    }
    let v: Vec<Gc<BigInt>> = t[1..].iter().map(|s| check(parse(s))).collect();
    let small = |i: usize| -> u64 { bigint::to_i64(v[i]).unwrap() as u64 };
    match op {
        "add" => dec(bigint::add(v[0], v[1])),
        "sub" => dec(bigint::sub(v[0], v[1])),
        "mul" => dec(bigint::mul(v[0], v[1])),
        "floordiv" => dec(bigint::floordiv(v[0], v[1])),
        "mod" => dec(bigint::modulo(v[0], v[1])),
        "divmod" => {
            let (q, r) = bigint::divmod(v[0], v[1]);
            format!("{} {}", dec(q), dec(r))
        }
        "and" => dec(bigint::bit_and(v[0], v[1])),
        "or" => dec(bigint::bit_or(v[0], v[1])),
        "xor" => dec(bigint::bit_xor(v[0], v[1])),
        "cmp" => bigint::cmp(v[0], v[1]).to_string(),
        "neg" => dec(bigint::neg(v[0])),
        "abs" => dec(bigint::abs(v[0])),
        "invert" => dec(bigint::invert(v[0])),
        "hash" => bigint::hash(v[0]).to_string(),
        "bitlen" => bigint::bit_length(v[0]).to_string(),
        "iszero" => (if bigint::is_zero(v[0]) {
            "True"
        } else {
            "False"
        })
        .to_string(),
        "toi64" => match bigint::to_i64(v[0]) {
            Some(x) => x.to_string(),
            None => "None".to_string(),
        },
        "fromi64" => dec(bigint::from_i64(bigint::to_i64(v[0]).unwrap())),
        "shl" => dec(bigint::shl(v[0], small(1))),
        "shr" => dec(bigint::shr(v[0], small(1))),
        "pow" => dec(bigint::pow(v[0], small(1))),
        "powmod" => dec(bigint::pow_mod(v[0], v[1], v[2])),
        "tof64" => fbits(bigint::to_f64(v[0])),
        "truediv" => fbits(bigint::truediv(v[0], v[1])),
        _ => panic!("unknown op {}", op),
    }
}

fn hex_of(v: u64) -> String {
    format!("{:x}", v)
}

fn truncate_hex(s: &str, max_digits: usize) -> String {
    let (sign, digits) = if let Some(d) = s.strip_prefix('-') {
        ("-", d)
    } else {
        ("", s)
    };
    if digits.len() <= max_digits {
        return s.to_string();
    }
    format!("{}{}", sign, &digits[..max_digits])
}

fn is_zero_hex(s: &str) -> bool {
    s == "0"
}

fn build_ops() -> Vec<String> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut ops: Vec<String> = Vec::new();
    for _ in 0..400 {
        let a = random_operand(&mut rng);
        let b = random_operand(&mut rng);
        let mut d = random_operand(&mut rng);
        if is_zero_hex(&d) {
            d = "-3".to_string();
        }
        for op in ["add", "sub", "mul", "and", "or", "xor", "cmp"] {
            ops.push(format!("{} {} {}", op, a, b));
        }
        ops.push(format!("cmp {} {}", a, a));
        for op in ["floordiv", "mod", "divmod", "truediv"] {
            ops.push(format!("{} {} {}", op, a, d));
        }
        // A dividend built from the divisor: quotients with limb patterns.
        ops.push(format!(
            "divmod {}{} {}",
            d,
            &b.trim_start_matches('-').replace("0", "f"),
            d
        ));
        for op in [
            "neg", "abs", "invert", "hash", "bitlen", "iszero", "toi64", "tof64",
        ] {
            ops.push(format!("{} {}", op, a));
        }
        // Wide-range true division (subnormals, overflow).
        let sa = rng.below(300) as usize;
        let sb = rng.below(300) as usize;
        ops.push(format!(
            "truediv {}{} {}{}",
            a,
            "0".repeat(if is_zero_hex(&a) { 0 } else { sa }),
            d,
            "0".repeat(sb)
        ));
        for base in [2, 8, 10, 16, 3, 36, 7] {
            if base == 10 || base == 16 || rng.chance(30) {
                ops.push(format!("tostr {} {}", base, a));
            }
        }
        let sh =
            [0u64, 1, 31, 32, 33, 63, 64, 65, 100, 1000, rng.below(3000)][rng.below(11) as usize];
        ops.push(format!("shl {} {}", a, hex_of(sh)));
        ops.push(format!("shr {} {}", a, hex_of(sh)));
        let e = [0u64, 1, 2, 3, 5, 10, 17, rng.below(40)][rng.below(8) as usize];
        ops.push(format!("pow {} {}", truncate_hex(&a, 24), hex_of(e)));
        ops.push(format!("pow {} {}", a, ["2", "3"][rng.below(2) as usize]));
        let pb = [
            "2",
            "-2",
            "1",
            "-1",
            "0",
            "3",
            "-3",
            "100000000",
            "-10000000000000000",
        ][rng.below(9) as usize];
        ops.push(format!("pow {} {}", pb, hex_of(e * 7)));
        let m = truncate_hex(&d, 100);
        let ee = truncate_hex(&random_operand(&mut rng), 40);
        let ee = ee.trim_start_matches('-');
        ops.push(format!("powmod {} {} {}", a, ee, m));
        ops.push(format!(
            "powmod {} 0 {}",
            a,
            ["1", "-1", "7", "-7"][rng.below(4) as usize]
        ));
        // from_str in assorted bases, cases, signs and leading zeros: the text is produced by
        // our own to_str, checked separately above.
        let base = [2i64, 3, 8, 10, 16, 36, 10, 10][rng.below(8) as usize];
        let mut s = text(bigint::to_str(parse(&a), base));
        let neg = s.starts_with('-');
        if neg {
            s.remove(0);
        }
        if rng.chance(30) {
            s = s.to_uppercase();
        }
        if rng.chance(30) {
            s = format!("{}{}", "0".repeat(1 + rng.below(12) as usize), s);
        }
        let sign = if neg {
            "-"
        } else {
            ["", "+", "-"][rng.below(3) as usize]
        };
        ops.push(format!("fromstr {} {}{}", base, sign, s));
        // from_f64 on assorted doubles.
        let f: f64 = match rng.below(4) {
            0 => [
                0.0,
                -0.0,
                1.5,
                -1.5,
                0.999,
                1e20,
                -1e20,
                18446744073709551616.0,
                9223372036854775808.0,
                f64::MAX,
                -1.25 * 2f64.powi(1000),
                123456789.987,
                18446744073709549568.0,
            ][rng.below(13) as usize],
            _ => {
                ((rng.next() >> 11) as f64 / 9007199254740992.0 - 0.5)
                    * 2f64.powi(rng.below(1030) as i32 - 5)
            }
        };
        ops.push(format!("fromf64 {}", f.to_bits()));
        let small = [
            0i64,
            1,
            -1,
            i64::MAX,
            i64::MIN,
            (rng.next() >> 1) as i64 - (1i64 << 62),
            -(1i64 << 32),
        ];
        let x = small[rng.below(small.len() as u64) as usize];
        ops.push(format!(
            "fromi64 {}{:x}",
            if x < 0 { "-" } else { "" },
            x.unsigned_abs()
        ));
    }
    // Large operands: Karatsuba (balanced and unbalanced) and long division.
    for _ in 0..12 {
        let neg = rng.chance(50);
        let a = signed(neg, random_hex(&mut rng, 2000, 6000));
        let b = random_hex(&mut rng, 500, 6000);
        ops.push(format!("mul {} {}", a, b));
        ops.push(format!("pow {} 2", a));
        ops.push(format!("divmod {}{} {}", a, b, b));
        ops.push(format!("tostr 10 {}", a));
    }
    // Invalid or edge-case strings.
    for (base, s) in [
        (10, ""),
        (10, "-"),
        (10, "+"),
        (10, "12a"),
        (35, "z"),
        (36, "Z"),
        (2, "2"),
        (10, "1_0"),
        (10, "--1"),
        (2, "0"),
        (10, "-0"),
        (16, "+fF"),
        (10, "+-1"),
        (36, "zz"),
        (10, "9/"),
    ] {
        ops.push(format!("fromstr {} {}", base, s).trim_end().to_string());
    }
    ops
}

#[test]
fn bigint_matches_cpython() {
    let ops = build_ops();
    let dir = std::env::temp_dir();
    let path = dir.join(format!("pyvm-bigint-test-{}.txt", std::process::id()));
    let mut body = String::new();
    for op in &ops {
        writeln!(body, "{}", op).unwrap();
    }
    std::fs::write(&path, body).expect("write the operations file");
    let output = Command::new("python3")
        .arg("-c")
        .arg(PY_SCRIPT)
        .arg(&path)
        .output()
        .expect("python3 is needed to compute the expected results");
    let _ = std::fs::remove_file(&path);
    assert!(
        output.status.success(),
        "python3 failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let expected_text = String::from_utf8(output.stdout).unwrap();
    let expected: Vec<&str> = expected_text.lines().collect();
    assert_eq!(
        expected.len(),
        ops.len(),
        "python3 printed a line per operation"
    );
    let mut failures = 0;
    let mut report = String::new();
    for (op, exp) in ops.iter().zip(expected.iter()) {
        let got = compute(op);
        if got != *exp {
            failures += 1;
            if failures <= 10 {
                let short = |s: &str| s.chars().take(200).collect::<String>();
                writeln!(
                    report,
                    "{}\n  expected {}\n  got      {}",
                    short(op),
                    short(exp),
                    short(&got)
                )
                .unwrap();
            }
        }
    }
    assert!(
        failures == 0,
        "{} of {} operations differ from CPython:\n{}",
        failures,
        ops.len(),
        report
    );
    eprintln!("bigint: {} operations agree with CPython", ops.len());
}

/// A few properties checked without Python.
#[test]
fn bigint_basics() {
    let zero = bigint::from_i64(0);
    assert!(bigint::is_zero(zero) && !zero.neg && zero.mag.len() == 0);
    assert!(!bigint::neg(zero).neg);
    assert!(!bigint::sub(bigint::from_i64(5), bigint::from_i64(5)).neg);
    assert_eq!(bigint::to_i64(bigint::from_i64(i64::MIN)), Some(i64::MIN));
    assert_eq!(bigint::to_i64(bigint::from_i64(i64::MAX)), Some(i64::MAX));
    assert_eq!(
        bigint::to_i64(bigint::add(bigint::from_i64(i64::MAX), bigint::from_i64(1))),
        None
    );
    assert_eq!(
        bigint::to_i64(bigint::sub(bigint::from_i64(i64::MIN), bigint::from_i64(1))),
        None
    );
    assert_eq!(bigint::hash(bigint::from_i64(-1)), -2);
    let s = text(bigint::to_str(bigint::pow(bigint::from_i64(2), 100), 10));
    assert_eq!(s, "1267650600228229401496703205376");
    assert_eq!(text(bigint::to_str(bigint::from_i64(-255), 16)), "-ff");
    assert!(bigint::from_str(Str::from(""), 10).is_none());
    assert!(bigint::from_str(Str::from("-"), 10).is_none());
    assert_eq!(
        bigint::truediv(bigint::from_i64(0), bigint::from_i64(-5)).map(|f| f.to_bits()),
        Some((-0.0f64).to_bits())
    );
}
