//! Scalar operations on canonical words, lowered to Cranelift: the exact semantics of
//! `vmkit_jit_ir::ops`.
//!
//! Every int-kind value is an `I64` in canonical form (see `ops::canon`): after arithmetic in a
//! type narrower than 64 bits the result is wrapped and re-extended. Computing on the full
//! 64-bit word and canonicalizing afterwards gives exactly `ops::int_bin`, which does the same.
//! Booleans and comparison results are 0/1 words. Floats are `F64` values.
//!
//! Operations with control flow (division by zero) live in `lower`; this module only emits
//! straight-line code.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{types, InstBuilder, Value};
use cranelift_frontend::FunctionBuilder;
use vmkit_jit_ir::ops::{BinOp, IntTy, Ty};

/// `ops::canon` on 64-bit targets.
pub(crate) fn canon(b: &mut FunctionBuilder, it: IntTy, v: Value) -> Value {
    match it {
        IntTy::I64 | IntTy::U64 | IntTy::Usize => v,
        // (a zero extension of the low byte, not `band 0xff`: x86-64 instruction selection
        // folds `icmp (band x, 0xff), 0` into `test x, 0xff`, which keeps the unmasked `x`
        // alive next to the masked value, two registers per `u8` result; `movzx` makes one)
        IntTy::U8 => {
            let n = b.ins().ireduce(types::I8, v);
            b.ins().uextend(types::I64, n)
        }
        IntTy::U32 => {
            let n = b.ins().ireduce(types::I32, v);
            b.ins().uextend(types::I64, n)
        }
        IntTy::I32 => {
            let n = b.ins().ireduce(types::I32, v);
            b.ins().sextend(types::I64, n)
        }
    }
}

/// A Cranelift boolean (`I8` 0/1) as a 0/1 word.
pub(crate) fn bool_word(b: &mut FunctionBuilder, c: Value) -> Value {
    b.ins().uextend(types::I64, c)
}

/// The condition code of an integer comparison, or `None` if `op` is not one.
pub(crate) fn int_cc(op: BinOp, signed: bool) -> Option<IntCC> {
    Some(match (op, signed) {
        (BinOp::Eq, _) => IntCC::Equal,
        (BinOp::Ne, _) => IntCC::NotEqual,
        (BinOp::Lt, true) => IntCC::SignedLessThan,
        (BinOp::Le, true) => IntCC::SignedLessThanOrEqual,
        (BinOp::Gt, true) => IntCC::SignedGreaterThan,
        (BinOp::Ge, true) => IntCC::SignedGreaterThanOrEqual,
        (BinOp::Lt, false) => IntCC::UnsignedLessThan,
        (BinOp::Le, false) => IntCC::UnsignedLessThanOrEqual,
        (BinOp::Gt, false) => IntCC::UnsignedGreaterThan,
        (BinOp::Ge, false) => IntCC::UnsignedGreaterThanOrEqual,
        _ => return None,
    })
}

/// `ops::int_cmp` as a 0/1 word.
pub(crate) fn int_cmp(b: &mut FunctionBuilder, cc: IntCC, x: Value, y: Value) -> Value {
    let c = b.ins().icmp(cc, x, y);
    bool_word(b, c)
}

/// `ops::int_bin` for every operator but comparisons and `Div`/`Rem` (`None` for those).
pub(crate) fn int_bin(
    b: &mut FunctionBuilder,
    op: BinOp,
    it: IntTy,
    x: Value,
    y: Value,
) -> Option<Value> {
    let mask = i64::from(it.bits(true) - 1);
    let r = match op {
        BinOp::Add => b.ins().iadd(x, y),
        BinOp::Sub => b.ins().isub(x, y),
        BinOp::Mul => b.ins().imul(x, y),
        BinOp::And => b.ins().band(x, y),
        BinOp::Or => b.ins().bor(x, y),
        BinOp::Xor => b.ins().bxor(x, y),
        BinOp::Shl => {
            let sh = b.ins().band_imm_u(y, mask);
            b.ins().ishl(x, sh)
        }
        BinOp::Shr => {
            let sh = b.ins().band_imm_u(y, mask);
            if it.signed() {
                b.ins().sshr(x, sh)
            } else {
                b.ins().ushr(x, sh)
            }
        }
        _ => return None,
    };
    Some(canon(b, it, r))
}

/// `ops::int_ovf`: (canonical result, overflow flag as a 0/1 word); `None` unless `op` is
/// `Add`, `Sub` or `Mul`. Like `ops`, the operands are first truncated to the type.
pub(crate) fn int_ovf(
    b: &mut FunctionBuilder,
    op: BinOp,
    it: IntTy,
    x: Value,
    y: Value,
) -> Option<(Value, Value)> {
    if !matches!(op, BinOp::Add | BinOp::Sub | BinOp::Mul) {
        return None;
    }
    let (r, o) = if it.bits(true) == 64 {
        let s = it.signed();
        match op {
            BinOp::Add if s => b.ins().sadd_overflow(x, y),
            BinOp::Add => b.ins().uadd_overflow(x, y),
            BinOp::Sub if s => b.ins().ssub_overflow(x, y),
            BinOp::Sub => b.ins().usub_overflow(x, y),
            _ if s => b.ins().smul_overflow(x, y),
            _ => b.ins().umul_overflow(x, y),
        }
    } else {
        // Narrow types: the exact result of the truncated operands fits in 64 bits (as an i64
        // for signed and for add/sub; as the u64 bit pattern for unsigned mul), so it
        // overflowed iff it differs from its canonical form.
        let (x, y) = (canon(b, it, x), canon(b, it, y));
        let wide = match op {
            BinOp::Add => b.ins().iadd(x, y),
            BinOp::Sub => b.ins().isub(x, y),
            _ => b.ins().imul(x, y),
        };
        let r = canon(b, it, wide);
        let o = b.ins().icmp(IntCC::NotEqual, wide, r);
        (r, o)
    };
    let o = bool_word(b, o);
    Some((r, o))
}

/// Wrapping negation, canonical.
pub(crate) fn int_neg(b: &mut FunctionBuilder, it: IntTy, x: Value) -> Value {
    let r = b.ins().ineg(x);
    canon(b, it, r)
}

/// Bitwise not, canonical.
pub(crate) fn int_not(b: &mut FunctionBuilder, it: IntTy, x: Value) -> Value {
    let r = b.ins().bnot(x);
    canon(b, it, r)
}

/// `ops::bool_bin` on 0/1 words (`None` for operators it rejects).
pub(crate) fn bool_bin(b: &mut FunctionBuilder, op: BinOp, x: Value, y: Value) -> Option<Value> {
    Some(match op {
        BinOp::And => b.ins().band(x, y),
        BinOp::Or => b.ins().bor(x, y),
        BinOp::Xor => b.ins().bxor(x, y),
        // On 0/1 words, unsigned comparisons are the boolean ones (`false < true`).
        _ => {
            let cc = int_cc(op, false)?;
            int_cmp(b, cc, x, y)
        }
    })
}

/// The condition code of a float comparison (Rust semantics: only `!=` holds on NaN).
pub(crate) fn float_cc(op: BinOp) -> Option<FloatCC> {
    Some(match op {
        BinOp::Eq => FloatCC::Equal,
        BinOp::Ne => FloatCC::NotEqual,
        BinOp::Lt => FloatCC::LessThan,
        BinOp::Le => FloatCC::LessThanOrEqual,
        BinOp::Gt => FloatCC::GreaterThan,
        BinOp::Ge => FloatCC::GreaterThanOrEqual,
        _ => return None,
    })
}

/// `ops::cast` (the caller has checked that `ops::cast` accepts the pair).
pub(crate) fn cast(b: &mut FunctionBuilder, v: Value, from: Ty, to: Ty) -> Value {
    match (from, to) {
        (Ty::Int(_), Ty::Int(t)) => canon(b, t, v),
        (Ty::Int(f), Ty::F64) if f.signed() => b.ins().fcvt_from_sint(types::F64, v),
        (Ty::Int(_), Ty::F64) => b.ins().fcvt_from_uint(types::F64, v),
        // Rust `as`: saturating, NaN -> 0.
        (Ty::F64, Ty::Int(t)) => match t {
            IntTy::I64 => b.ins().fcvt_to_sint_sat(types::I64, v),
            IntTy::U64 | IntTy::Usize => b.ins().fcvt_to_uint_sat(types::I64, v),
            IntTy::I32 => {
                let n = b.ins().fcvt_to_sint_sat(types::I32, v);
                b.ins().sextend(types::I64, n)
            }
            IntTy::U32 => {
                let n = b.ins().fcvt_to_uint_sat(types::I32, v);
                b.ins().uextend(types::I64, n)
            }
            IntTy::U8 => {
                let n = b.ins().fcvt_to_uint_sat(types::I32, v);
                let max = b.ins().iconst(types::I32, 255);
                let n = b.ins().umin(n, max);
                b.ins().uextend(types::I64, n)
            }
        },
        (Ty::Bool, Ty::Int(_)) => b.ins().band_imm_u(v, 1),
        (Ty::Bool, Ty::F64) => {
            let bit = b.ins().band_imm_u(v, 1);
            b.ins().fcvt_from_uint(types::F64, bit)
        }
        _ => v,
    }
}
