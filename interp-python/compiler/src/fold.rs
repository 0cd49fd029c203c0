//! Constant folding (`docs/bytecode.md`, last bullet): arithmetic, comparisons and unary
//! operators on int/float/str/bytes/bool/None constants and tuples of constants, only when the
//! evaluation cannot raise and the result stays small. Ints are folded while they fit in i64;
//! anything else (including big ints) is left to the interpreter.

use crate::code::Const;
use crate::opcode::{BinOp, CmpOp};

/// Results longer than this (characters, bytes or items) are not folded.
pub const MAX_SIZE: usize = 4096;

/// Converts an integer literal's token text (`123`, `0x_ff`, `1_000`) into a constant.
pub fn int_literal(token: &str) -> Option<Const> {
    let t: String = token.chars().filter(|c| *c != '_').collect();
    let lower = t.to_ascii_lowercase();
    let (radix, digits) = if let Some(d) = lower.strip_prefix("0x") {
        (16, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0o") {
        (8, d.to_string())
    } else if let Some(d) = lower.strip_prefix("0b") {
        (2, d.to_string())
    } else {
        (10, lower)
    };
    if digits.is_empty() {
        return None;
    }
    if let Ok(v) = i64::from_str_radix(&digits, radix) {
        return Some(Const::Int(v));
    }
    // Arbitrary precision: base 10^9 limbs, least significant first.
    let mut limbs: Vec<u64> = vec![0];
    for ch in digits.chars() {
        let d = ch.to_digit(radix)? as u64;
        let mut carry = d;
        for limb in limbs.iter_mut() {
            let v = *limb * radix as u64 + carry;
            *limb = v % 1_000_000_000;
            carry = v / 1_000_000_000;
        }
        while carry > 0 {
            limbs.push(carry % 1_000_000_000);
            carry /= 1_000_000_000;
        }
    }
    let mut s = String::new();
    for (i, limb) in limbs.iter().rev().enumerate() {
        if i == 0 {
            s.push_str(&limb.to_string());
        } else {
            s.push_str(&format!("{limb:09}"));
        }
    }
    Some(Const::BigInt(s))
}

/// Python truthiness of a constant.
pub fn truthy(c: &Const) -> Option<bool> {
    Some(match c {
        Const::None => false,
        Const::Bool(b) => *b,
        Const::Ellipsis => true,
        Const::Int(i) => *i != 0,
        Const::BigInt(_) => true,
        Const::Float(f) => *f != 0.0,
        Const::Str(s) => !s.is_empty(),
        Const::Bytes(b) => !b.is_empty(),
        Const::Tuple(t) => !t.is_empty(),
        Const::FrozenSet(t) => !t.is_empty(),
        Const::Code(_) => return None,
    })
}

fn as_int(c: &Const) -> Option<i64> {
    match c {
        Const::Int(i) => Some(*i),
        Const::Bool(b) => Some(*b as i64),
        _ => None,
    }
}

const EXACT: i64 = 1 << 53;

fn as_float(c: &Const) -> Option<f64> {
    match c {
        Const::Float(f) => Some(*f),
        _ => as_int(c).filter(|i| i.abs() <= EXACT).map(|i| i as f64),
    }
}

fn is_numeric(c: &Const) -> bool {
    matches!(c, Const::Int(_) | Const::Bool(_) | Const::Float(_))
}

/// Python's float modulo.
pub fn float_mod(a: f64, b: f64) -> f64 {
    let m = a % b;
    if m != 0.0 {
        if (b < 0.0) != (m < 0.0) {
            m + b
        } else {
            m
        }
    } else {
        0.0f64.copysign(b)
    }
}

/// Python's float floor division (b != 0).
pub fn float_floordiv(a: f64, b: f64) -> f64 {
    let m = a % b;
    let mut div = (a - m) / b;
    if m != 0.0 && ((b < 0.0) != (m < 0.0)) {
        div -= 1.0;
    }
    if div != 0.0 {
        let f = div.floor();
        if div - f > 0.5 {
            f + 1.0
        } else {
            f
        }
    } else {
        0.0f64.copysign(a / b)
    }
}

fn int_binop(op: BinOp, a: i64, b: i64) -> Option<Const> {
    let v = match op {
        BinOp::Add => a.checked_add(b)?,
        BinOp::Sub => a.checked_sub(b)?,
        BinOp::Mul => a.checked_mul(b)?,
        BinOp::FloorDiv => {
            if b == 0 {
                return None;
            }
            let q = a.checked_div(b)?;
            if (a % b != 0) && ((a < 0) != (b < 0)) {
                q - 1
            } else {
                q
            }
        }
        BinOp::Mod => {
            if b == 0 {
                return None;
            }
            let m = a.checked_rem(b)?;
            if m != 0 && ((m < 0) != (b < 0)) {
                m + b
            } else {
                m
            }
        }
        BinOp::Pow => {
            if b < 0 {
                return None;
            }
            a.checked_pow(u32::try_from(b).ok()?)?
        }
        BinOp::LShift => {
            if !(0..63).contains(&b) {
                return None;
            }
            let r = a.checked_shl(b as u32)?;
            if r >> b != a {
                return None;
            }
            r
        }
        BinOp::RShift => {
            if b < 0 {
                return None;
            }
            a >> b.min(63)
        }
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
        BinOp::TrueDiv => {
            if b == 0 || a.abs() > EXACT || b.abs() > EXACT {
                return None;
            }
            return Some(Const::Float(a as f64 / b as f64));
        }
        BinOp::MatMul => return None,
    };
    Some(Const::Int(v))
}

fn float_binop(op: BinOp, a: f64, b: f64) -> Option<Const> {
    let v = match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::TrueDiv => {
            if b == 0.0 {
                return None;
            }
            a / b
        }
        BinOp::FloorDiv => {
            if b == 0.0 || !a.is_finite() || !b.is_finite() {
                return None;
            }
            float_floordiv(a, b)
        }
        BinOp::Mod => {
            if b == 0.0 || !a.is_finite() || !b.is_finite() {
                return None;
            }
            float_mod(a, b)
        }
        BinOp::Pow => {
            if !(a.is_finite() && b.is_finite() && a > 0.0) {
                return None;
            }
            let r = a.powf(b);
            if !r.is_finite() {
                return None;
            }
            r
        }
        _ => return None,
    };
    if v.is_nan() {
        return None;
    }
    Some(Const::Float(v))
}

fn repeat<T: Clone>(items: &[T], n: i64) -> Option<Vec<T>> {
    let n = n.max(0) as usize;
    if items.len().checked_mul(n)? > MAX_SIZE {
        return None;
    }
    Some(
        items
            .iter()
            .cloned()
            .cycle()
            .take(items.len() * n)
            .collect(),
    )
}

/// Folds `a op b`, or returns None when it must be left to run time.
pub fn binop(op: BinOp, a: &Const, b: &Const) -> Option<Const> {
    match (a, b) {
        (Const::Bool(_), Const::Bool(_)) if matches!(op, BinOp::And | BinOp::Or | BinOp::Xor) => {
            let (x, y) = (as_int(a)? != 0, as_int(b)? != 0);
            Some(Const::Bool(match op {
                BinOp::And => x & y,
                BinOp::Or => x | y,
                _ => x ^ y,
            }))
        }
        _ if as_int(a).is_some() && as_int(b).is_some() => int_binop(op, as_int(a)?, as_int(b)?),
        _ if is_numeric(a) && is_numeric(b) => float_binop(op, as_float(a)?, as_float(b)?),
        (Const::Str(x), Const::Str(y)) if op == BinOp::Add => {
            if x.chars().count() + y.chars().count() > MAX_SIZE {
                return None;
            }
            Some(Const::Str(format!("{x}{y}")))
        }
        (Const::Str(x), n) | (n, Const::Str(x)) if op == BinOp::Mul && as_int(n).is_some() => {
            let chars: Vec<char> = x.chars().collect();
            Some(Const::Str(
                repeat(&chars, as_int(n)?)?.into_iter().collect(),
            ))
        }
        (Const::Bytes(x), Const::Bytes(y)) if op == BinOp::Add => {
            if x.len() + y.len() > MAX_SIZE {
                return None;
            }
            Some(Const::Bytes([x.as_slice(), y.as_slice()].concat()))
        }
        (Const::Bytes(x), n) | (n, Const::Bytes(x)) if op == BinOp::Mul && as_int(n).is_some() => {
            Some(Const::Bytes(repeat(x, as_int(n)?)?))
        }
        (Const::Tuple(x), Const::Tuple(y)) if op == BinOp::Add => {
            if x.len() + y.len() > MAX_SIZE {
                return None;
            }
            Some(Const::Tuple([x.as_slice(), y.as_slice()].concat()))
        }
        (Const::Tuple(x), n) | (n, Const::Tuple(x)) if op == BinOp::Mul && as_int(n).is_some() => {
            Some(Const::Tuple(repeat(x, as_int(n)?)?))
        }
        _ => None,
    }
}

/// Folds a comparison of two constants (numbers with numbers, str with str, bytes with bytes;
/// `==`/`!=` also across those kinds and None).
pub fn compare(op: CmpOp, a: &Const, b: &Const) -> Option<Const> {
    use std::cmp::Ordering;
    let ord: Option<Ordering> = match (a, b) {
        _ if as_int(a).is_some() && as_int(b).is_some() => Some(as_int(a)?.cmp(&as_int(b)?)),
        _ if is_numeric(a) && is_numeric(b) => {
            let (x, y) = (as_float(a)?, as_float(b)?);
            if x.is_nan() || y.is_nan() {
                return Some(Const::Bool(op == CmpOp::Ne));
            }
            x.partial_cmp(&y)
        }
        (Const::Str(x), Const::Str(y)) => Some(x.as_str().cmp(y.as_str())),
        (Const::Bytes(x), Const::Bytes(y)) => Some(x.as_slice().cmp(y.as_slice())),
        (Const::None, Const::None) => Some(Ordering::Equal),
        _ => {
            let simple = |c: &Const| {
                matches!(
                    c,
                    Const::None
                        | Const::Int(_)
                        | Const::Bool(_)
                        | Const::Float(_)
                        | Const::Str(_)
                        | Const::Bytes(_)
                )
            };
            if simple(a) && simple(b) && matches!(op, CmpOp::Eq | CmpOp::Ne) {
                return Some(Const::Bool(op == CmpOp::Ne));
            }
            return None;
        }
    };
    let ord = ord?;
    let same_kind_ordered = !matches!((a, b), (Const::None, _) | (_, Const::None));
    if !same_kind_ordered && !matches!(op, CmpOp::Eq | CmpOp::Ne) {
        return None;
    }
    Some(Const::Bool(match op {
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
    }))
}

/// Unary operators on constants.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unary {
    Neg,
    Pos,
    Invert,
    Not,
}

/// Folds a unary operator.
pub fn unary(op: Unary, a: &Const) -> Option<Const> {
    match op {
        Unary::Not => Some(Const::Bool(!truthy(a)?)),
        Unary::Neg => match a {
            Const::Float(f) => Some(Const::Float(-f)),
            Const::BigInt(s) => Some(match s.strip_prefix('-') {
                Some(pos) => int_literal(pos)?,
                None => Const::BigInt(format!("-{s}")),
            }),
            _ => {
                let i = as_int(a)?;
                Some(match i.checked_neg() {
                    Some(v) => Const::Int(v),
                    None => Const::BigInt(format!("{}", -(i as i128))),
                })
            }
        },
        Unary::Pos => match a {
            Const::Float(_) | Const::BigInt(_) => Some(a.clone()),
            _ => Some(Const::Int(as_int(a)?)),
        },
        Unary::Invert => Some(Const::Int(!as_int(a)?)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i(v: i64) -> Const {
        Const::Int(v)
    }

    fn key(c: Option<Const>) -> Option<String> {
        c.and_then(|c| c.key())
    }

    #[test]
    fn int_arithmetic_follows_python() {
        assert_eq!(key(binop(BinOp::FloorDiv, &i(-7), &i(2))), key(Some(i(-4))));
        assert_eq!(key(binop(BinOp::Mod, &i(-7), &i(2))), key(Some(i(1))));
        assert_eq!(key(binop(BinOp::Mod, &i(7), &i(-2))), key(Some(i(-1))));
        assert_eq!(key(binop(BinOp::Pow, &i(2), &i(10))), key(Some(i(1024))));
        assert_eq!(
            key(binop(BinOp::TrueDiv, &i(1), &i(2))),
            key(Some(Const::Float(0.5)))
        );
        assert_eq!(
            key(binop(BinOp::Add, &Const::Bool(true), &i(1))),
            key(Some(i(2)))
        );
    }

    #[test]
    fn raising_or_large_results_are_not_folded() {
        assert!(binop(BinOp::FloorDiv, &i(1), &i(0)).is_none());
        assert!(binop(BinOp::TrueDiv, &Const::Float(1.0), &Const::Float(0.0)).is_none());
        assert!(binop(BinOp::Pow, &i(2), &i(100)).is_none());
        assert!(binop(BinOp::Pow, &i(2), &i(-1)).is_none());
        assert!(binop(BinOp::Mul, &Const::Str("ab".into()), &i(5000)).is_none());
        assert!(binop(BinOp::Add, &Const::Str("a".into()), &i(1)).is_none());
        assert!(binop(BinOp::LShift, &i(1), &i(-1)).is_none());
    }

    #[test]
    fn floats_and_strings() {
        assert_eq!(
            key(binop(BinOp::Mod, &Const::Float(-1.0), &Const::Float(3.0))),
            key(Some(Const::Float(2.0)))
        );
        assert_eq!(
            key(binop(
                BinOp::FloorDiv,
                &Const::Float(-7.0),
                &Const::Float(2.0)
            )),
            key(Some(Const::Float(-4.0)))
        );
        assert_eq!(
            key(binop(BinOp::Mul, &Const::Str("ab".into()), &i(3))),
            key(Some(Const::Str("ababab".into())))
        );
        assert_eq!(
            key(binop(BinOp::And, &Const::Bool(true), &Const::Bool(false))),
            key(Some(Const::Bool(false)))
        );
    }

    #[test]
    fn unary_and_compare() {
        assert_eq!(key(unary(Unary::Neg, &i(5))), key(Some(i(-5))));
        assert_eq!(
            key(unary(Unary::Neg, &i(i64::MIN))),
            key(Some(Const::BigInt("9223372036854775808".into())))
        );
        assert_eq!(
            key(unary(Unary::Not, &Const::Str(String::new()))),
            key(Some(Const::Bool(true)))
        );
        assert_eq!(key(unary(Unary::Invert, &i(0))), key(Some(i(-1))));
        assert_eq!(
            key(compare(CmpOp::Lt, &i(1), &Const::Float(1.5))),
            key(Some(Const::Bool(true)))
        );
        assert_eq!(
            key(compare(CmpOp::Eq, &Const::Str("a".into()), &i(1))),
            key(Some(Const::Bool(false)))
        );
        assert!(compare(CmpOp::Lt, &Const::Str("a".into()), &i(1)).is_none());
    }

    #[test]
    fn big_literals_become_decimal() {
        assert_eq!(
            key(int_literal("0xffff_ffff_ffff_ffff_ff")),
            key(Some(Const::BigInt("4722366482869645213695".into())))
        );
        assert_eq!(key(int_literal("1_000")), key(Some(i(1000))));
        assert_eq!(
            key(int_literal("99999999999999999999")),
            key(Some(Const::BigInt("99999999999999999999".into())))
        );
    }
}
