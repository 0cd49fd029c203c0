//! Differential tests of scalar operations against `vmkit_jit_ir::ops`: one tiny trace per
//! operation (inputs from the frame, or a constant right operand), exiting with the result.

mod common;

use common::*;
use vmkit_jit_ir::ops::{self, BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{OpKind, Operand, Trace};
use vmkit_trace_backend::{CompiledTrace, Env, TraceCompiler};

const INT_TYS: [IntTy; 6] = [
    IntTy::I64,
    IntTy::U64,
    IntTy::Usize,
    IntTy::U8,
    IntTy::U32,
    IntTy::I32,
];
const ARITH: [BinOp; 10] = [
    BinOp::Add,
    BinOp::Sub,
    BinOp::Mul,
    BinOp::Div,
    BinOp::Rem,
    BinOp::And,
    BinOp::Or,
    BinOp::Xor,
    BinOp::Shl,
    BinOp::Shr,
];
const CMPS: [BinOp; 6] = [
    BinOp::Eq,
    BinOp::Ne,
    BinOp::Lt,
    BinOp::Le,
    BinOp::Gt,
    BinOp::Ge,
];

fn edge_values() -> Vec<i64> {
    vec![
        0,
        1,
        2,
        3,
        -1,
        -2,
        7,
        31,
        32,
        33,
        63,
        64,
        65,
        127,
        128,
        255,
        256,
        -128,
        -129,
        i32::MIN as i64,
        i32::MAX as i64,
        i32::MIN as i64 - 1,
        u32::MAX as i64,
        1 << 32,
        i64::MIN,
        i64::MAX,
        i64::MIN + 1,
        0x1234_5678_9abc_def0,
        -0x1234_5678_9abc_def0,
    ]
}

/// Canonical values of `it` from the edge values, deduplicated.
fn canon_values(it: IntTy) -> Vec<i64> {
    let mut vs: Vec<i64> = edge_values()
        .into_iter()
        .map(|x| ops::canon(it, x, true))
        .collect();
    vs.sort();
    vs.dedup();
    vs
}

/// `r = op(x, y)` with `y` an input or the constant `y_const`; exits with the results.
fn binary(kind: OpKind, ka: Kind, kr: &[Kind], y_const: Option<Operand>) -> Trace {
    let mut b = B::new("binary");
    let x = b.input(ka);
    let y = match y_const {
        Some(c) => c,
        None => v(b.input(ka)),
    };
    let rs = b.op(kind, vec![v(x), y], kr);
    b.exit(0, rs.into_iter().map(v).collect())
}

fn unary(kind: OpKind, ka: Kind, kr: Kind) -> Trace {
    let mut b = B::new("unary");
    let x = b.input(ka);
    let r = b.op1(kind, vec![v(x)], kr);
    b.exit(0, vec![v(r)])
}

struct Ctx {
    c: TraceCompiler,
    env: Env,
}

impl Ctx {
    fn new() -> Ctx {
        Ctx {
            c: compiler(),
            env: env(),
        }
    }
    fn compile(&mut self, t: &Trace) -> CompiledTrace {
        compile(&mut self.c, t, &self.env)
    }
}

fn exec(ct: &CompiledTrace, inputs: &[u64], nres: usize) -> Vec<u64> {
    let mut frame = vec![0u64; inputs.len().max(nres)];
    frame[..inputs.len()].copy_from_slice(inputs);
    assert_eq!(run(ct, &mut frame), 0);
    frame.truncate(nres);
    frame
}

#[test]
fn int_bin_and_cmp_all_types() {
    let mut cx = Ctx::new();
    let mut checked = 0;
    for it in INT_TYS {
        let vals = canon_values(it);
        for op in ARITH.iter().chain(&CMPS).copied() {
            let kind = if op.is_cmp() {
                OpKind::IntCmp(op, it)
            } else {
                OpKind::IntBin(op, it)
            };
            let ct = cx.compile(&binary(kind, Kind::Int, &[Kind::Int], None));
            for &a in &vals {
                for &b in &vals {
                    let want = if op.is_cmp() {
                        ops::int_cmp(op, it, a, b).unwrap() as i64
                    } else {
                        match ops::int_bin(op, it, a, b, true) {
                            Ok(r) => r,
                            Err(_) => continue, // division by zero: see div_by_zero_is_fatal
                        }
                    };
                    let got = exec(&ct, &[a as u64, b as u64], 1)[0] as i64;
                    assert_eq!(got, want, "{}.{}({a}, {b})", op.name(), it.name());
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 10_000, "{checked}");
}

/// Comparison operators also work as `IntBin` (as in `ops::int_bin`).
#[test]
fn int_bin_with_comparison_operators() {
    let mut cx = Ctx::new();
    for it in [IntTy::I32, IntTy::U64] {
        for op in CMPS {
            let ct = cx.compile(&binary(
                OpKind::IntBin(op, it),
                Kind::Int,
                &[Kind::Int],
                None,
            ));
            for a in canon_values(it) {
                for b in [-1i64, 0, 5] {
                    let b = ops::canon(it, b, true);
                    let want = ops::int_bin(op, it, a, b, true).unwrap();
                    assert_eq!(exec(&ct, &[a as u64, b as u64], 1)[0] as i64, want);
                }
            }
        }
    }
}

/// Constant right operands take different code paths (shifts by immediates, division by a
/// known divisor, `MIN / -1`).
#[test]
fn int_bin_constant_right_operand() {
    let mut cx = Ctx::new();
    for it in INT_TYS {
        let vals = canon_values(it);
        for op in [BinOp::Div, BinOp::Rem, BinOp::Shl, BinOp::Shr, BinOp::Mul] {
            for &b in &vals {
                if b == 0 && matches!(op, BinOp::Div | BinOp::Rem) {
                    continue;
                }
                let t = binary(
                    OpKind::IntBin(op, it),
                    Kind::Int,
                    &[Kind::Int],
                    Some(Operand::Int(b)),
                );
                let ct = cx.compile(&t);
                for &a in &vals {
                    let want = ops::int_bin(op, it, a, b, true).unwrap();
                    let got = exec(&ct, &[a as u64], 1)[0] as i64;
                    assert_eq!(got, want, "{}.{}({a}, const {b})", op.name(), it.name());
                }
            }
        }
    }
}

/// Non-canonical operands (which a valid trace never has) still give `ops`'s results: the
/// backend computes on whole words and canonicalizes, like `ops`.
#[test]
fn int_ops_on_raw_words_match_ops() {
    let mut cx = Ctx::new();
    let raw = edge_values();
    for it in [IntTy::U8, IntTy::U32, IntTy::I32] {
        for op in ARITH {
            let ct = cx.compile(&binary(
                OpKind::IntBin(op, it),
                Kind::Int,
                &[Kind::Int],
                None,
            ));
            for &a in &raw {
                for &b in &raw {
                    if let Ok(want) = ops::int_bin(op, it, a, b, true) {
                        assert_eq!(exec(&ct, &[a as u64, b as u64], 1)[0] as i64, want);
                    }
                }
            }
        }
        for op in [BinOp::Add, BinOp::Sub, BinOp::Mul] {
            let kr = [Kind::Int, Kind::Int];
            let ct = cx.compile(&binary(OpKind::IntOvf(op, it), Kind::Int, &kr, None));
            for &a in &raw {
                for &b in &raw {
                    let (r, o) = ops::int_ovf(op, it, a, b, true).unwrap();
                    let got = exec(&ct, &[a as u64, b as u64], 2);
                    assert_eq!(
                        got,
                        [r as u64, o as u64],
                        "{}_ovf.{}({a}, {b})",
                        op.name(),
                        it.name()
                    );
                }
            }
        }
    }
}

#[test]
fn int_ovf_all_types() {
    let mut cx = Ctx::new();
    let mut overflows = 0;
    for it in INT_TYS {
        let vals = canon_values(it);
        for op in [BinOp::Add, BinOp::Sub, BinOp::Mul] {
            let kr = [Kind::Int, Kind::Int];
            let var = cx.compile(&binary(OpKind::IntOvf(op, it), Kind::Int, &kr, None));
            for &a in &vals {
                for &b in &vals {
                    let (r, o) = ops::int_ovf(op, it, a, b, true).unwrap();
                    let got = exec(&var, &[a as u64, b as u64], 2);
                    assert_eq!(
                        got,
                        [r as u64, o as u64],
                        "{}_ovf.{}({a}, {b})",
                        op.name(),
                        it.name()
                    );
                    overflows += o as usize;
                }
            }
            // One constant right operand per (op, type).
            let b = ops::canon(it, -1, true);
            let t = binary(
                OpKind::IntOvf(op, it),
                Kind::Int,
                &kr,
                Some(Operand::Int(b)),
            );
            let ct = cx.compile(&t);
            for &a in &vals {
                let (r, o) = ops::int_ovf(op, it, a, b, true).unwrap();
                assert_eq!(exec(&ct, &[a as u64], 2), [r as u64, o as u64]);
            }
        }
    }
    assert!(overflows > 100, "{overflows}");
}

#[test]
fn int_neg_not_all_types() {
    let mut cx = Ctx::new();
    for it in INT_TYS {
        let neg = cx.compile(&unary(OpKind::IntNeg(it), Kind::Int, Kind::Int));
        let not = cx.compile(&unary(OpKind::IntNot(it), Kind::Int, Kind::Int));
        for a in canon_values(it) {
            let want_neg = ops::canon(it, a.wrapping_neg(), true);
            let want_not = ops::canon(it, !a, true);
            assert_eq!(
                exec(&neg, &[a as u64], 1)[0] as i64,
                want_neg,
                "neg.{}({a})",
                it.name()
            );
            assert_eq!(
                exec(&not, &[a as u64], 1)[0] as i64,
                want_not,
                "not.{}({a})",
                it.name()
            );
        }
    }
}

#[test]
fn bool_ops() {
    let mut cx = Ctx::new();
    for op in ARITH.iter().chain(&CMPS).copied() {
        let t = binary(OpKind::BoolBin(op), Kind::Int, &[Kind::Int], None);
        if ops::bool_bin(op, false, false).is_none() {
            assert!(
                cx.c.compile(&t, &cx.env, None, false).is_err(),
                "bool_{}",
                op.name()
            );
            continue;
        }
        let ct = cx.compile(&t);
        for a in [false, true] {
            for b in [false, true] {
                let want = ops::bool_bin(op, a, b).unwrap() as u64;
                assert_eq!(
                    exec(&ct, &[a as u64, b as u64], 1)[0],
                    want,
                    "bool_{}({a}, {b})",
                    op.name()
                );
            }
        }
    }
    let ct = cx.compile(&unary(OpKind::BoolNot, Kind::Int, Kind::Int));
    assert_eq!(exec(&ct, &[0], 1), [1]);
    assert_eq!(exec(&ct, &[1], 1), [0]);
}

fn float_values() -> Vec<f64> {
    vec![
        0.0,
        -0.0,
        1.0,
        -1.0,
        1.5,
        -1.5,
        2.5,
        -2.75,
        0.1,
        3.0,
        255.5,
        256.0,
        -129.0,
        1e10,
        -1e10,
        2147483647.5,
        2147483648.0,
        -2147483649.0,
        4294967295.0,
        4294967296.0,
        9.2e18,
        9.3e18,
        -9.3e18,
        1.8e19,
        1.9e19,
        1e300,
        5e-324,
        f64::MAX,
        f64::MIN,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
    ]
}

/// Same bits, or both NaN.
fn same_float(a: u64, b: u64) -> bool {
    a == b || (f64::from_bits(a).is_nan() && f64::from_bits(b).is_nan())
}

#[test]
fn float_ops() {
    let mut cx = Ctx::new();
    let vals = float_values();
    for op in ARITH.iter().chain(&CMPS).copied() {
        let (kind, kr) = if op.is_cmp() {
            (OpKind::FloatCmp(op), Kind::Int)
        } else {
            (OpKind::FloatBin(op), Kind::Float)
        };
        let t = binary(kind, Kind::Float, &[kr], None);
        if ops::float_bin(op, 0.0, 0.0).is_none() && !op.is_cmp() {
            assert!(
                cx.c.compile(&t, &cx.env, None, false).is_err(),
                "float_{}",
                op.name()
            );
            continue;
        }
        let ct = cx.compile(&t);
        for &a in &vals {
            for &b in &vals {
                let got = exec(&ct, &[a.to_bits(), b.to_bits()], 1)[0];
                if op.is_cmp() {
                    let want = ops::float_cmp(op, a, b).unwrap() as u64;
                    assert_eq!(got, want, "float_{}({a}, {b})", op.name());
                } else {
                    let want = ops::float_bin(op, a, b).unwrap().to_bits();
                    assert!(
                        same_float(got, want),
                        "float_{}({a}, {b}) = {}",
                        op.name(),
                        f64::from_bits(got)
                    );
                }
            }
        }
    }
    let ct = cx.compile(&unary(OpKind::FloatNeg, Kind::Float, Kind::Float));
    for a in vals {
        assert_eq!(exec(&ct, &[a.to_bits()], 1)[0], (-a).to_bits(), "neg({a})");
    }
}

#[test]
fn casts_between_all_scalar_types() {
    let mut cx = Ctx::new();
    let tys: Vec<Ty> = [Ty::Bool, Ty::F64, Ty::Ref]
        .into_iter()
        .chain(INT_TYS.map(Ty::Int))
        .collect();
    let mut compiled = 0;
    for &from in &tys {
        let words: Vec<u64> = match from {
            Ty::Bool => vec![0, 1],
            Ty::F64 => float_values().into_iter().map(f64::to_bits).collect(),
            Ty::Ref => vec![0, 0x7fff_0000_1000],
            Ty::Int(it) => canon_values(it).into_iter().map(|x| x as u64).collect(),
        };
        for &to in &tys {
            let t = unary(OpKind::Cast(from, to), from.kind(), to.kind());
            if ops::cast(0, from, to, true).is_none() {
                assert!(
                    cx.c.compile(&t, &cx.env, None, false).is_err(),
                    "cast {from:?} -> {to:?}"
                );
                continue;
            }
            let ct = cx.compile(&t);
            compiled += 1;
            for &w in &words {
                let want = ops::cast(w, from, to, true).unwrap();
                let got = exec(&ct, &[w], 1)[0];
                assert!(
                    same_float(got, want) && (to == Ty::F64 || got == want),
                    "cast {from:?} -> {to:?} of {w:#x}: got {got:#x}, want {want:#x}"
                );
            }
        }
    }
    // int<->int (36), int->f64 (6), f64->int (6), bool->int/f64 (7), identities (3).
    assert_eq!(compiled, 58);
}

#[test]
fn float_to_unsigned_edge_cases() {
    let mut cx = Ctx::new();
    for (it, x, want) in [
        (IntTy::U8, -1.0, 0u64),
        (IntTy::U8, 300.0, 255),
        (IntTy::U8, f64::NAN, 0),
        (IntTy::U8, f64::INFINITY, 255),
        (IntTy::U32, -5.5, 0),
        (IntTy::U32, 1e12, u32::MAX as u64),
        (IntTy::U64, f64::NEG_INFINITY, 0),
        (IntTy::U64, f64::INFINITY, u64::MAX),
        (IntTy::U64, f64::NAN, 0),
        (IntTy::I32, -1e12, i32::MIN as i64 as u64),
        (IntTy::I64, f64::NAN, 0),
        (IntTy::I64, 1e19, i64::MAX as u64),
    ] {
        let t = unary(OpKind::Cast(Ty::F64, Ty::Int(it)), Kind::Float, Kind::Int);
        let ct = cx.compile(&t);
        assert_eq!(
            exec(&ct, &[x.to_bits()], 1)[0],
            want,
            "{x} as {}",
            it.name()
        );
    }
}

/// Division by zero calls `env.fatal` with `ops::div_zero_message` (which exits): run in a
/// child process.
#[test]
fn div_by_zero_is_fatal() {
    if in_child() {
        let mut cx = Ctx::new();
        let op = match std::env::var("VMKIT_DIV_OP").as_deref() {
            Ok("rem") => BinOp::Rem,
            _ => BinOp::Div,
        };
        let ct = cx.compile(&binary(
            OpKind::IntBin(op, IntTy::I32),
            Kind::Int,
            &[Kind::Int],
            None,
        ));
        exec(&ct, &[7, 0], 1);
        unreachable!("division by zero returned");
    }
    for (op, msg) in [
        ("div", "attempt to divide by zero"),
        (
            "rem",
            "attempt to calculate the remainder with a divisor of zero",
        ),
    ] {
        let (code, err) = run_child("div_by_zero_is_fatal", &[("VMKIT_DIV_OP", op)]);
        assert_eq!(code, Some(101), "{err}");
        assert!(err.contains(&format!("fatal error: {msg}")), "{err}");
    }
}

/// Chains of `u8` additions and subtractions of constants (kept symbolic from their base by
/// the lowering, see `Val::Narrow8`), compared with constants and returned: `x + 1`, `+ 2`,
/// `- 5`, `+ 255`, for every `x`, against `ops::int_bin`/`ops::int_cmp`.
#[test]
fn u8_constant_chains_and_their_comparisons() {
    use vmkit_jit_ir::ops::{int_bin, int_cmp};
    let u8t = IntTy::U8;
    let mut b = B::new("u8 chains");
    let x = b.input(Kind::Int);
    let mut outs = Vec::new();
    let mut cur = x;
    for (op, c) in [
        (BinOp::Add, 1),
        (BinOp::Add, 2),
        (BinOp::Sub, 5),
        (BinOp::Add, 255),
    ] {
        cur = b.op1(
            OpKind::IntBin(op, u8t),
            vec![v(cur), Operand::Int(c)],
            Kind::Int,
        );
        outs.push(v(cur));
        for (cop, k) in [
            (BinOp::Eq, 0),
            (BinOp::Ne, 3),
            (BinOp::Eq, 253),
            (BinOp::Lt, 7),
        ] {
            let r = b.op1(
                OpKind::IntCmp(cop, u8t),
                vec![v(cur), Operand::Int(k)],
                Kind::Int,
            );
            outs.push(v(r));
        }
    }
    let n = outs.len();
    let t = b.exit(0, outs);
    let mut cx = Ctx::new();
    let ct = cx.compile(&t);
    for xv in 0..256i64 {
        let got = exec(&ct, &[xv as u64], n);
        let mut want = Vec::new();
        let mut c = xv;
        for (op, k) in [
            (BinOp::Add, 1),
            (BinOp::Add, 2),
            (BinOp::Sub, 5),
            (BinOp::Add, 255),
        ] {
            c = int_bin(op, u8t, c, k, true).expect("no error");
            want.push(c as u64);
            for (cop, kk) in [
                (BinOp::Eq, 0),
                (BinOp::Ne, 3),
                (BinOp::Eq, 253),
                (BinOp::Lt, 7),
            ] {
                want.push(int_cmp(cop, u8t, c, kk).expect("a comparison") as u64);
            }
        }
        assert_eq!(got, want, "x = {xv}");
    }
}
