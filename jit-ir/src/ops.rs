//! Scalar types and the exact semantics of the scalar operations, on canonical 64-bit words.
//!
//! Every integer of the low-level program lives in an `i64` in *canonical* form: wrapped to the
//! range of its type and sign- or zero-extended (a `u8` is `0..=255`, an `i32` is sign-extended,
//! `bool` is 0 or 1). The runtime's jitcode interpreter (tracing and blackhole) computes with
//! these functions, and the trace backend's code must compute the same words. They mirror the
//! graph interpreter (`translator/src/interp.rs`), which is the reference.

use serde::{Deserialize, Serialize};

/// Integer types of the low-level program.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IntTy {
    I64,
    U64,
    Usize,
    U8,
    U32,
    I32,
}

impl IntTy {
    pub fn signed(self) -> bool {
        matches!(self, IntTy::I64 | IntTy::I32)
    }
    pub fn bits(self, ptr64: bool) -> u32 {
        match self {
            IntTy::I64 | IntTy::U64 => 64,
            IntTy::Usize => {
                if ptr64 {
                    64
                } else {
                    32
                }
            }
            IntTy::U8 => 8,
            IntTy::U32 | IntTy::I32 => 32,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            IntTy::I64 => "i64",
            IntTy::U64 => "u64",
            IntTy::Usize => "usize",
            IntTy::U8 => "u8",
            IntTy::U32 => "u32",
            IntTy::I32 => "i32",
        }
    }
    pub fn from_name(s: &str) -> Option<IntTy> {
        Some(match s {
            "i64" => IntTy::I64,
            "u64" => IntTy::U64,
            "usize" => IntTy::Usize,
            "u8" => IntTy::U8,
            "u32" => IntTy::U32,
            "i32" => IntTy::I32,
            _ => return None,
        })
    }
}

/// A scalar type: what one register or one trace value holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Ty {
    Bool,
    Int(IntTy),
    F64,
    Ref,
}

impl Ty {
    pub fn kind(self) -> Kind {
        match self {
            Ty::Bool | Ty::Int(_) => Kind::Int,
            Ty::F64 => Kind::Float,
            Ty::Ref => Kind::Ref,
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Ty::Bool => "bool",
            Ty::Int(t) => t.name(),
            Ty::F64 => "f64",
            Ty::Ref => "ref",
        }
    }
    pub fn from_name(s: &str) -> Option<Ty> {
        Some(match s {
            "bool" => Ty::Bool,
            "f64" => Ty::F64,
            "ref" => Ty::Ref,
            s => Ty::Int(IntTy::from_name(s)?),
        })
    }
    /// Size in bytes of a field of this type in an object.
    pub fn mem_size(self, ptr64: bool) -> u32 {
        match self {
            Ty::Bool | Ty::Int(IntTy::U8) => 1,
            Ty::Int(IntTy::U32 | IntTy::I32) => 4,
            Ty::Int(IntTy::Usize) | Ty::Ref => {
                if ptr64 {
                    8
                } else {
                    4
                }
            }
            Ty::Int(_) | Ty::F64 => 8,
        }
    }
}

/// The register bank / machine class of a value: integers (and bools), references, floats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub enum Kind {
    Int,
    Ref,
    Float,
}

/// Binary operators (arithmetic and comparisons).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    Rem,
    And,
    Or,
    Xor,
    Shl,
    Shr,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl BinOp {
    pub fn is_cmp(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge
        )
    }
    pub fn name(self) -> &'static str {
        match self {
            BinOp::Add => "add",
            BinOp::Sub => "sub",
            BinOp::Mul => "mul",
            BinOp::Div => "div",
            BinOp::Rem => "rem",
            BinOp::And => "and",
            BinOp::Or => "or",
            BinOp::Xor => "xor",
            BinOp::Shl => "shl",
            BinOp::Shr => "shr",
            BinOp::Eq => "eq",
            BinOp::Ne => "ne",
            BinOp::Lt => "lt",
            BinOp::Le => "le",
            BinOp::Gt => "gt",
            BinOp::Ge => "ge",
        }
    }
    pub fn from_name(s: &str) -> Option<BinOp> {
        Some(match s {
            "add" => BinOp::Add,
            "sub" => BinOp::Sub,
            "mul" => BinOp::Mul,
            "div" => BinOp::Div,
            "rem" => BinOp::Rem,
            "and" => BinOp::And,
            "or" => BinOp::Or,
            "xor" => BinOp::Xor,
            "shl" => BinOp::Shl,
            "shr" => BinOp::Shr,
            "eq" => BinOp::Eq,
            "ne" => BinOp::Ne,
            "lt" => BinOp::Lt,
            "le" => BinOp::Le,
            "gt" => BinOp::Gt,
            "ge" => BinOp::Ge,
            _ => return None,
        })
    }
}

/// `v` wrapped to the range of `it`.
#[inline(always)]
pub fn canon(it: IntTy, v: i64, ptr64: bool) -> i64 {
    match it {
        IntTy::I64 | IntTy::U64 => v,
        IntTy::Usize => {
            if ptr64 {
                v
            } else {
                v as u32 as i64
            }
        }
        IntTy::U8 => v as u8 as i64,
        IntTy::U32 => v as u32 as i64,
        IntTy::I32 => v as i32 as i64,
    }
}

/// The message of a division (or remainder) by zero, as Rust reports it.
pub fn div_zero_message(op: BinOp) -> &'static str {
    if op == BinOp::Div {
        "attempt to divide by zero"
    } else {
        "attempt to calculate the remainder with a divisor of zero"
    }
}

/// Wrapping integer arithmetic (`Err` = the fatal message of a division by zero). Not for
/// comparisons.
#[inline(always)]
pub fn int_bin(op: BinOp, it: IntTy, a: i64, b: i64, ptr64: bool) -> Result<i64, &'static str> {
    let bits = it.bits(ptr64);
    let v = match op {
        BinOp::Add => a.wrapping_add(b),
        BinOp::Sub => a.wrapping_sub(b),
        BinOp::Mul => a.wrapping_mul(b),
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor => a ^ b,
        BinOp::Shl => a.wrapping_shl((b as u32) & (bits - 1)),
        BinOp::Shr => {
            let sh = (b as u32) & (bits - 1);
            if it.signed() {
                a >> sh
            } else {
                ((a as u64) >> sh) as i64
            }
        }
        BinOp::Div | BinOp::Rem => {
            if b == 0 {
                return Err(div_zero_message(op));
            }
            match (it.signed(), op) {
                (true, BinOp::Div) => a.wrapping_div(b),
                (true, _) => a.wrapping_rem(b),
                (false, BinOp::Div) => ((a as u64) / (b as u64)) as i64,
                (false, _) => ((a as u64) % (b as u64)) as i64,
            }
        }
        _ => {
            return int_cmp(op, it, a, b)
                .map(|c| c as i64)
                .ok_or("not arithmetic")
        }
    };
    Ok(canon(it, v, ptr64))
}

/// Integer comparison, signedness from `it` (`None` if `op` is not a comparison).
#[inline(always)]
pub fn int_cmp(op: BinOp, it: IntTy, a: i64, b: i64) -> Option<bool> {
    let (ua, ub) = (a as u64, b as u64);
    let s = it.signed();
    Some(match op {
        BinOp::Eq => a == b,
        BinOp::Ne => a != b,
        BinOp::Lt if s => a < b,
        BinOp::Le if s => a <= b,
        BinOp::Gt if s => a > b,
        BinOp::Ge if s => a >= b,
        BinOp::Lt => ua < ub,
        BinOp::Le => ua <= ub,
        BinOp::Gt => ua > ub,
        BinOp::Ge => ua >= ub,
        _ => return None,
    })
}

/// Rust's `overflowing_{add,sub,mul}` for the exact type: (canonical result, overflowed).
pub fn int_ovf(op: BinOp, it: IntTy, a: i64, b: i64, ptr64: bool) -> Option<(i64, bool)> {
    macro_rules! ov {
        ($t:ty) => {{
            let (x, y) = (a as $t, b as $t);
            let (r, o) = match op {
                BinOp::Add => x.overflowing_add(y),
                BinOp::Sub => x.overflowing_sub(y),
                BinOp::Mul => x.overflowing_mul(y),
                _ => return None,
            };
            (r as i64, o)
        }};
    }
    Some(match it {
        IntTy::I64 => ov!(i64),
        IntTy::U64 => ov!(u64),
        IntTy::Usize => {
            if ptr64 {
                ov!(u64)
            } else {
                ov!(u32)
            }
        }
        IntTy::U8 => ov!(u8),
        IntTy::U32 => ov!(u32),
        IntTy::I32 => ov!(i32),
    })
}

/// Operations on bools (0/1).
pub fn bool_bin(op: BinOp, a: bool, b: bool) -> Option<bool> {
    Some(match op {
        BinOp::And => a & b,
        BinOp::Or => a | b,
        BinOp::Xor | BinOp::Ne => a != b,
        BinOp::Eq => a == b,
        BinOp::Lt => !a & b,
        BinOp::Le => a <= b,
        BinOp::Gt => a & !b,
        BinOp::Ge => a >= b,
        _ => return None,
    })
}

pub fn float_bin(op: BinOp, a: f64, b: f64) -> Option<f64> {
    Some(match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div => a / b,
        BinOp::Rem => a % b,
        _ => return None,
    })
}

pub fn float_cmp(op: BinOp, a: f64, b: f64) -> Option<bool> {
    Some(match op {
        BinOp::Eq => a == b,
        BinOp::Ne => a != b,
        BinOp::Lt => a < b,
        BinOp::Le => a <= b,
        BinOp::Gt => a > b,
        BinOp::Ge => a >= b,
        _ => return None,
    })
}

fn float_to_int(x: f64, it: IntTy, ptr64: bool) -> i64 {
    match it {
        IntTy::I64 => x as i64,
        IntTy::U64 => x as u64 as i64,
        IntTy::Usize => {
            if ptr64 {
                x as u64 as i64
            } else {
                x as u32 as i64
            }
        }
        IntTy::U8 => x as u8 as i64,
        IntTy::U32 => x as u32 as i64,
        IntTy::I32 => x as i32 as i64,
    }
}

/// Rust `as` between scalar types, on words (floats as their bits). `None`: not a cast the
/// low-level program can contain.
pub fn cast(v: u64, from: Ty, to: Ty, ptr64: bool) -> Option<u64> {
    Some(match (from, to) {
        (Ty::Int(_), Ty::Int(t)) => canon(t, v as i64, ptr64) as u64,
        (Ty::Int(f), Ty::F64) => {
            let a = v as i64;
            (if f.signed() {
                a as f64
            } else {
                (a as u64) as f64
            })
            .to_bits()
        }
        (Ty::F64, Ty::Int(t)) => float_to_int(f64::from_bits(v), t, ptr64) as u64,
        (Ty::Bool, Ty::Int(_)) => v & 1,
        (Ty::Bool, Ty::F64) => ((v & 1) as f64).to_bits(),
        (a, b) if a == b => v,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_and_canonical_forms() {
        assert_eq!(int_bin(BinOp::Add, IntTy::U8, 255, 1, true), Ok(0));
        assert_eq!(int_bin(BinOp::Sub, IntTy::U8, 0, 1, true), Ok(255));
        assert_eq!(
            int_bin(BinOp::Add, IntTy::I32, i32::MAX as i64, 1, true),
            Ok(i32::MIN as i64)
        );
        assert_eq!(
            int_bin(BinOp::Div, IntTy::I64, 1, 0, true),
            Err("attempt to divide by zero")
        );
        assert_eq!(int_bin(BinOp::Shr, IntTy::U64, -1, 63, true), Ok(1));
        assert_eq!(int_cmp(BinOp::Lt, IntTy::U64, -1, 0), Some(false));
        assert_eq!(int_cmp(BinOp::Lt, IntTy::I64, -1, 0), Some(true));
        assert_eq!(
            int_ovf(BinOp::Add, IntTy::U8, 200, 100, true),
            Some((44, true))
        );
        assert_eq!(
            cast(
                (-1i64) as u64,
                Ty::Int(IntTy::I64),
                Ty::Int(IntTy::U8),
                true
            ),
            Some(255)
        );
        assert_eq!(
            cast(3.9f64.to_bits(), Ty::F64, Ty::Int(IntTy::I64), true),
            Some(3)
        );
    }
}
