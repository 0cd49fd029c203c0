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
    let err = c.compile(&t, &e, None, false).unwrap_err();
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
    assert!(c.compile(&t, &e, None, false).is_err());
    // A comparison operator in IntOvf, a missing helper.
    let mut b = B::new("bad ovf");
    let x = b.input(Kind::Int);
    b.op(
        OpKind::IntOvf(BinOp::Lt, IntTy::I64),
        vec![v(x), v(x)],
        &[Kind::Int, Kind::Int],
    );
    assert!(c.compile(&b.exit(0, vec![]), &e, None, false).is_err());
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
    assert!(c.compile(&b.exit(0, vec![]), &e, None, false).is_err());
    // Use before definition (verify()).
    let mut b = B::new("undefined");
    let _ = b.input(Kind::Int);
    let t = b.exit(0, vec![Operand::Var(9)]);
    assert!(c.compile(&t, &e, None, false).is_err());
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
    let ct = c.compile(&t, &env(), None, true).expect("compile");
    let text = ct.text.as_deref().expect("text");
    assert!(text.contains("function") && text.contains("imul"), "{text}");
    assert!(
        text.contains("; disassembly\n") && text.contains("ret"),
        "{text}"
    );
    assert!(ct.code_size > 0);
    assert!(c.compile(&t, &env(), None, false).unwrap().text.is_none());
}

#[test]
fn foreign_targets_cannot_be_run() {
    let mut c = vmkit_trace_backend::TraceCompiler::new(
        FOREIGN,
        vmkit_trace_backend::MemPolicy::MprotectWx,
    )
    .unwrap();
    let mut b = B::new("x");
    let x = b.input(Kind::Int);
    let t = b.exit(0, vec![v(x)]);
    assert!(c.compile(&t, &env(), None, false).is_err());
    assert!(vmkit_trace_backend::TraceCompiler::new(
        "i686-unknown-linux-gnu",
        vmkit_trace_backend::MemPolicy::MprotectWx
    )
    .is_err());
}

/// Guards whose fail_args have the same kinds share one exit block: positions holding the same
/// input or constant in every guard are stored by the exit block, the others passed to it.
/// Each guard still stores its own values and returns its own index.
#[test]
fn guards_sharing_an_exit_block() {
    let mut b = B::new("shared exits");
    let k = b.input(Kind::Int);
    let f = b.input(Kind::Float);
    let p = b.input(Kind::Ref);
    for j in 0..5i64 {
        let c = b.op1(
            OpKind::IntCmp(BinOp::Eq, IntTy::I64),
            vec![v(k), Operand::Int(j)],
            Kind::Int,
        );
        let z = b.op1(
            OpKind::IntBin(BinOp::Mul, IntTy::I64),
            vec![v(k), Operand::Int(j + 2)],
            Kind::Int,
        );
        let g = b.op1(
            OpKind::FloatBin(BinOp::Add),
            vec![v(f), Operand::Float((j as f64).to_bits())],
            Kind::Float,
        );
        // Same kinds in every guard: (int, float, ref, int, float, int, ref).
        let fail = vec![
            v(k),                                 // the same input everywhere
            v(g),                                 // a different variable per guard
            v(p),                                 // the same input
            Operand::Int(7),                      // the same constant
            Operand::Float((j as f64).to_bits()), // a different constant
            v(z),
            if j % 2 == 0 { v(p) } else { Operand::Ref(0x40) }, // mixed
        ];
        b.guard(GuardKind::False, 10 + j as u32, vec![v(c)], fail);
    }
    let t = b.exit(99, vec![v(k)]);
    let ct = compile(&mut compiler(), &t, &env());
    let f = 0.5f64;
    for j in 0..5u64 {
        let mut frame = [j, f.to_bits(), 0x80, 0, 0, 0, 0];
        assert_eq!(run(&ct, &mut frame), 10 + j as u32, "guard {j}");
        let want = [
            j,
            (f + j as f64).to_bits(),
            0x80,
            7,
            (j as f64).to_bits(),
            j * (j + 2),
            if j % 2 == 0 { 0x80 } else { 0x40 },
        ];
        assert_eq!(frame, want, "guard {j}");
    }
    let mut frame = [5, f.to_bits(), 0x80, 0, 0, 0, 0];
    assert_eq!(run(&ct, &mut frame), 99);
    assert_eq!(frame[0], 5);
}

/// Chains of constant additions fold into one offset from their base (computed only where
/// used), and equality tests against constants into tests of the base: the results are those
/// of the plain operations, wrapping included, on the main path, in failure paths and across
/// the loop's back edge.
#[test]
fn constant_offset_chains() {
    let i64t = IntTy::I64;
    let mut b = B::new("offsets");
    let x = b.input(Kind::Int);
    let n = b.input(Kind::Int);
    let a = b.op1(
        OpKind::IntBin(BinOp::Add, i64t),
        vec![v(x), Operand::Int(5)],
        Kind::Int,
    );
    let bb = b.op1(
        OpKind::IntBin(BinOp::Sub, IntTy::U64),
        vec![v(a), Operand::Int(7)],
        Kind::Int,
    );
    let c = b.op1(
        OpKind::IntBin(BinOp::Add, IntTy::Usize),
        vec![v(bb), Operand::Int(2)],
        Kind::Int,
    ); // == x
    let d = b.op1(
        OpKind::IntBin(BinOp::Add, i64t),
        vec![Operand::Int(3), v(c)],
        Kind::Int,
    );
    let e = b.op1(
        OpKind::IntCmp(BinOp::Eq, i64t),
        vec![v(d), Operand::Int(10)],
        Kind::Int,
    );
    let f = b.op1(
        OpKind::IntBin(BinOp::Ne, IntTy::U8),
        vec![Operand::Int(-3), v(bb)],
        Kind::Int,
    );
    // Narrow types wrap to their width: not an offset.
    let g = b.op1(
        OpKind::IntBin(BinOp::Add, IntTy::U8),
        vec![v(d), Operand::Int(250)],
        Kind::Int,
    );
    let h = b.op1(
        OpKind::IntBin(BinOp::Sub, i64t),
        vec![v(g), Operand::Int(1)],
        Kind::Int,
    );
    // Fails unless x == 1_000_000.
    b.guard(
        GuardKind::Value,
        1,
        vec![v(d), Operand::Int(1_000_003)],
        vec![v(a), v(bb), v(c), v(d), v(e), v(f), v(g), v(h)],
    );
    // Then x + 1, and stop if it equals n (the comparison folds into one on x), else loop.
    let x1 = b.op1(
        OpKind::IntBin(BinOp::Sub, i64t),
        vec![v(c), Operand::Int(-1)],
        Kind::Int,
    );
    let more = b.op1(
        OpKind::IntCmp(BinOp::Ne, i64t),
        vec![v(x1), v(n)],
        Kind::Int,
    );
    b.guard(GuardKind::True, 2, vec![v(more)], vec![v(x1), v(a)]);
    let t = b.jump(vec![v(x1), v(n)]);
    let ct = compile(&mut compiler(), &t, &env());
    let guard1 = |x: i64| -> Vec<u64> {
        let d = x.wrapping_add(3);
        let g = (d.wrapping_add(250) as u64) & 0xff;
        vec![
            x.wrapping_add(5) as u64,
            x.wrapping_sub(2) as u64,
            x as u64,
            d as u64,
            (d == 10) as u64,
            (x.wrapping_sub(2) != -3) as u64,
            g,
            g.wrapping_sub(1),
        ]
    };
    for x in [0i64, 7, -5, i64::MAX, i64::MIN, i64::MAX - 2, 255, -3, -1] {
        let mut frame = [x as u64, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(run(&ct, &mut frame), 1, "x = {x}");
        assert_eq!(frame[..], guard1(x)[..], "x = {x}");
    }
    // One iteration, then guard 2 fails; or two iterations, then guard 1 fails.
    let mut frame = [1_000_000, 1_000_001, 0, 0, 0, 0, 0, 0];
    assert_eq!(run(&ct, &mut frame), 2);
    assert_eq!(frame[..2], [1_000_001, 1_000_005]);
    let mut frame = [1_000_000, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(run(&ct, &mut frame), 1);
    assert_eq!(frame[..], guard1(1_000_001)[..]);
}

/// A peeled loop whose `u8` loop variables are counted by constants (the back edge passes them
/// without masking their low byte, see `lower::dirty_u8_loop_vars`): `x -= 1` until it is 0
/// while `y += 3` and `z -= 7` wrap around many times; the guard's fail arguments, and a
/// comparison of `y` with a constant, see the canonical `u8` values.
#[test]
fn u8_loop_variables_counted_by_constants() {
    let u8t = IntTy::U8;
    let mut b = B::new("u8 loop");
    let x0 = b.input(Kind::Int);
    let y0 = b.input(Kind::Int);
    let z0 = b.input(Kind::Int);
    let hits0 = b.input(Kind::Int);
    let l = b.op(
        OpKind::Label,
        vec![v(x0), v(y0), v(z0), v(hits0)],
        &[Kind::Int, Kind::Int, Kind::Int, Kind::Int],
    );
    let (x, y, z, hits) = (l[0], l[1], l[2], l[3]);
    let add = |b: &mut B, op: BinOp, a, c| {
        b.op1(
            OpKind::IntBin(op, u8t),
            vec![v(a), Operand::Int(c)],
            Kind::Int,
        )
    };
    let x2 = add(&mut b, BinOp::Sub, x, 1);
    let y2 = add(&mut b, BinOp::Add, y, 3);
    let z2 = add(&mut b, BinOp::Sub, z, 7);
    // hits += (y2 == 9)
    let eq = b.op1(
        OpKind::IntCmp(BinOp::Eq, u8t),
        vec![v(y2), Operand::Int(9)],
        Kind::Int,
    );
    let hits2 = b.op1(
        OpKind::IntBin(BinOp::Add, IntTy::I64),
        vec![v(hits), v(eq)],
        Kind::Int,
    );
    let c = b.op1(
        OpKind::IntCmp(BinOp::Ne, u8t),
        vec![v(x2), Operand::Int(0)],
        Kind::Int,
    );
    b.guard(
        GuardKind::True,
        1,
        vec![v(c)],
        vec![v(x2), v(y2), v(z2), v(hits2)],
    );
    let t = b.jump(vec![v(x2), v(y2), v(z2), v(hits2)]);
    t.verify().expect("valid");
    let ct = compile(&mut compiler(), &t, &env());
    for (x, y, z) in [
        (1u64, 0u64, 0u64),
        (2, 250, 3),
        (200, 7, 255),
        (255, 255, 1),
    ] {
        let (mut ry, mut rz, mut rh) = (y, z, 0u64);
        for _ in 0..x {
            ry = (ry + 3) & 0xff;
            rz = rz.wrapping_sub(7) & 0xff;
            rh += u64::from(ry == 9);
        }
        let mut frame = [x, y, z, 0];
        assert_eq!(run(&ct, &mut frame), 1, "from {x}");
        assert_eq!(frame, [0, ry, rz, rh], "from ({x}, {y}, {z})");
    }
}
