//! Loops, guards, exits and fail_args; compile errors for malformed traces; the text output.

mod common;

use common::*;
use vmkit_jit_ir::ops::{BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{GuardKind, OpKind, Operand};

#[test]
fn counting_loop() {
    let mut b = B::new("loop 0");
    let i = b.input(Kind::Int);
    let j = b.op1(
        OpKind::IntBin(BinOp::Add, IntTy::I64),
        vec![v(i), Operand::Int(1)],
        Kind::Int,
    );
    let c = b.op1(
        OpKind::IntCmp(BinOp::Lt, IntTy::I64),
        vec![v(j), Operand::Int(1000)],
        Kind::Int,
    );
    b.guard(GuardKind::True, 7, vec![v(c)], vec![v(j)]);
    let t = b.jump(vec![v(j)]);
    let mut c = compiler();
    let ct = compile(&mut c, &t, &env());
    for start in [0u64, 500, 999, 5000] {
        let mut frame = [start];
        assert_eq!(run(&ct, &mut frame), 7);
        assert_eq!(frame[0], start.max(999) + 1, "from {start}");
    }
}

/// A loop whose jump permutes its inputs (a parallel copy) and carries a float.
#[test]
fn loop_with_swapped_inputs() {
    let mut b = B::new("fib");
    let a = b.input(Kind::Int);
    let bb = b.input(Kind::Int);
    let n = b.input(Kind::Int);
    let f = b.input(Kind::Float);
    let s = b.op1(
        OpKind::IntBin(BinOp::Add, IntTy::I64),
        vec![v(a), v(bb)],
        Kind::Int,
    );
    let n1 = b.op1(
        OpKind::IntBin(BinOp::Sub, IntTy::I64),
        vec![v(n), Operand::Int(1)],
        Kind::Int,
    );
    let f1 = b.op1(
        OpKind::FloatBin(BinOp::Mul),
        vec![v(f), Operand::Float(2.0f64.to_bits())],
        Kind::Float,
    );
    b.guard(GuardKind::True, 3, vec![v(n1)], vec![v(bb), v(s), v(f1)]);
    let t = b.jump(vec![v(bb), v(s), v(n1), v(f1)]);
    let ct = compile(&mut compiler(), &t, &env());
    let mut frame = [0, 1, 10, 1.0f64.to_bits()];
    assert_eq!(run(&ct, &mut frame), 3);
    assert_eq!(frame[..2], [55, 89]);
    assert_eq!(f64::from_bits(frame[2]), 1024.0);
}

#[test]
fn guard_fail_args_with_constants_and_exit_index() {
    let mut b = B::new("consts");
    let x = b.input(Kind::Int);
    let p = b.input(Kind::Ref);
    b.guard(
        GuardKind::True,
        11,
        vec![v(x)],
        vec![
            Operand::Int(-5),
            v(p),
            Operand::Float(2.5f64.to_bits()),
            Operand::Ref(0xdead_beef),
            v(x),
        ],
    );
    let t = b.exit(
        42,
        vec![Operand::Float((-0.0f64).to_bits()), v(x), Operand::Ref(16)],
    );
    let ct = compile(&mut compiler(), &t, &env());
    let mut frame = [0, 0x1000, 0, 0, 0];
    assert_eq!(run(&ct, &mut frame), 11);
    assert_eq!(
        frame,
        [(-5i64) as u64, 0x1000, 2.5f64.to_bits(), 0xdead_beef, 0]
    );
    let mut frame = [9, 0x1000, 0, 0, 0];
    assert_eq!(run(&ct, &mut frame), 42);
    assert_eq!(frame[..3], [(-0.0f64).to_bits(), 9, 16]);
}

fn guard_value_trace(kind: Kind, expected: Operand) -> vmkit_jit_ir::trace::Trace {
    let mut b = B::new("guard_value");
    let x = b.input(kind);
    b.guard(GuardKind::Value, 1, vec![v(x), expected], vec![v(x)]);
    b.exit(2, vec![v(x)])
}

#[test]
fn guard_value_ints_refs_floats() {
    let mut c = compiler();
    let e = env();
    // (kind, expected value, [(input word, returned index)]).
    type Case<'a> = (Kind, Operand, &'a [(u64, u32)]);
    let cases: [Case; 4] = [
        (
            Kind::Int,
            Operand::Int(-7),
            &[
                ((-7i64) as u64, 2),
                (7, 1),
                (0, 1),
                ((-7i64) as u32 as u64, 1),
            ],
        ),
        (
            Kind::Ref,
            Operand::Ref(0x4000),
            &[(0x4000, 2), (0x4008, 1), (0, 1)],
        ),
        (
            Kind::Float,
            Operand::Float(0.0f64.to_bits()),
            // -0.0 == 0.0 as floats, but guard_value compares bits.
            &[
                (0.0f64.to_bits(), 2),
                ((-0.0f64).to_bits(), 1),
                (1.0f64.to_bits(), 1),
            ],
        ),
        (
            Kind::Float,
            Operand::Float(f64::NAN.to_bits()),
            // NaN != NaN as floats, but the same bits pass.
            &[(f64::NAN.to_bits(), 2), ((-f64::NAN).to_bits(), 1)],
        ),
    ];
    for (kind, expected, inputs) in cases {
        let ct = compile(&mut c, &guard_value_trace(kind, expected), &e);
        for &(x, want) in inputs {
            let mut frame = [x];
            assert_eq!(
                run(&ct, &mut frame),
                want,
                "{kind:?} {expected:?} vs {x:#x}"
            );
            assert_eq!(frame[0], x);
        }
    }
    // Two variables.
    let mut b = B::new("guard_value vars");
    let x = b.input(Kind::Int);
    let y = b.input(Kind::Int);
    b.guard(GuardKind::Value, 5, vec![v(x), v(y)], vec![v(y), v(x)]);
    let t = b.exit(6, vec![]);
    let ct = compile(&mut c, &t, &e);
    let mut frame = [3, 4];
    assert_eq!(run(&ct, &mut frame), 5);
    assert_eq!(frame, [4, 3]);
    let mut frame = [4, 4];
    assert_eq!(run(&ct, &mut frame), 6);
}

#[test]
fn malformed_traces_are_errors_and_the_compiler_recovers() {
    let mut c = compiler();
    let e = env();
    // Kind mismatch: a float into an int addition (verify() does not check kinds).
    let mut b = B::new("bad kinds");
    let f = b.input(Kind::Float);
    let r = b.op1(
        OpKind::IntBin(BinOp::Add, IntTy::I64),
        vec![v(f), Operand::Int(1)],
        Kind::Int,
    );
    let t = b.exit(0, vec![v(r)]);
    let err = c.compile(&t, &e, false).unwrap_err();
    assert!(err.contains("op 0") && err.contains("Float"), "{err}");
    // A cast ops rejects.
    let mut b = B::new("bad cast");
    let x = b.input(Kind::Int);
    let r = b.op1(
        OpKind::Cast(Ty::Int(IntTy::I64), Ty::Bool),
        vec![v(x)],
        Kind::Int,
    );
    let t = b.exit(0, vec![v(r)]);
    assert!(c.compile(&t, &e, false).is_err());
    // A comparison operator in IntOvf, a missing helper.
    let mut b = B::new("bad ovf");
    let x = b.input(Kind::Int);
    b.op(
        OpKind::IntOvf(BinOp::Lt, IntTy::I64),
        vec![v(x), v(x)],
        &[Kind::Int, Kind::Int],
    );
    assert!(c.compile(&b.exit(0, vec![]), &e, false).is_err());
    let mut b = B::new("bad helper");
    b.op(
        OpKind::Call {
            helper: 3,
            args: vec![],
            results: vec![],
            can_collect: false,
        },
        vec![],
        &[],
    );
    assert!(c.compile(&b.exit(0, vec![]), &e, false).is_err());
    // Use before definition (verify()).
    let mut b = B::new("undefined");
    let _ = b.input(Kind::Int);
    let t = b.exit(0, vec![Operand::Var(9)]);
    assert!(c.compile(&t, &e, false).is_err());
    // The compiler still works afterwards.
    let mut b = B::new("ok");
    let x = b.input(Kind::Int);
    let ct = compile(&mut c, &b.exit(4, vec![v(x)]), &e);
    let mut frame = [77];
    assert_eq!(run(&ct, &mut frame), 4);
    assert_eq!(frame[0], 77);
}

#[test]
fn text_has_ir_and_disassembly() {
    let mut b = B::new("text");
    let x = b.input(Kind::Int);
    let y = b.op1(
        OpKind::IntBin(BinOp::Mul, IntTy::I64),
        vec![v(x), Operand::Int(3)],
        Kind::Int,
    );
    let t = b.exit(0, vec![v(y)]);
    let mut c = compiler();
    let ct = c.compile(&t, &env(), true).expect("compile");
    let text = ct.text.as_deref().expect("text");
    assert!(text.contains("function") && text.contains("imul"), "{text}");
    assert!(
        text.contains("; disassembly\n") && text.contains("ret"),
        "{text}"
    );
    assert!(ct.code_size > 0);
    assert!(c.compile(&t, &env(), false).unwrap().text.is_none());
}

#[test]
fn foreign_targets_cannot_be_run() {
    let mut c = vmkit_trace_backend::TraceCompiler::new(
        "aarch64-unknown-linux-gnu",
        vmkit_trace_backend::MemPolicy::MprotectWx,
    )
    .unwrap();
    let mut b = B::new("x");
    let x = b.input(Kind::Int);
    let t = b.exit(0, vec![v(x)]);
    assert!(c.compile(&t, &env(), false).is_err());
    assert!(vmkit_trace_backend::TraceCompiler::new(
        "i686-unknown-linux-gnu",
        vmkit_trace_backend::MemPolicy::MprotectWx
    )
    .is_err());
}
