//! Helper calls through the helper table, and GC roots on the shadow stack across calls that
//! may collect.

mod common;

use common::*;
use std::cell::RefCell;
use vmkit_jit_ir::ops::{BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{GuardKind, OpKind, Operand};

/// args: (i64 a, f64 x, u8 b) -> results: (i64 a * 3 + b, f64 x + a, bool x > 0).
extern "C" fn mix(args: *const u64, results: *mut u64) {
    // SAFETY: the trace passes 3 argument words and room for 3 results.
    unsafe {
        let (a, x, b) = (*args as i64, f64::from_bits(*args.add(1)), *args.add(2));
        *results = (a * 3 + b as i64) as u64;
        *results.add(1) = (x + a as f64).to_bits();
        *results.add(2) = (x > 0.0) as u64;
    }
}

/// No arguments, no results: counts its calls.
extern "C" fn tick(_args: *const u64, _results: *mut u64) {
    TICKS.with(|t| *t.borrow_mut() += 1);
}

/// A GC test's shadow stack and the snapshots `gc` took of it.
type GcState = Option<(&'static Shadow, Vec<Vec<u64>>)>;

thread_local! {
    static TICKS: RefCell<u64> = const { RefCell::new(0) };
    /// The shadow stack of the current GC test and what `gc` saw on it at each call.
    static GC: RefCell<GcState> = const { RefCell::new(None) };
}

/// A "collecting" helper: records the shadow stack; returns a fresh fake reference.
extern "C" fn gc(_args: *const u64, results: *mut u64) {
    GC.with(|g| {
        let mut g = g.borrow_mut();
        let (shadow, seen) = g.as_mut().expect("gc test state");
        seen.push(shadow.contents());
        // SAFETY: room for one result.
        unsafe { *results = 0xf00d_0000 + seen.len() as u64 * 8 };
    });
}

fn mix_call() -> OpKind {
    OpKind::Call {
        helper: 1,
        args: vec![Ty::Int(IntTy::I64), Ty::F64, Ty::Int(IntTy::U8)],
        results: vec![Ty::Int(IntTy::I64), Ty::F64, Ty::Bool],
        can_collect: false,
    }
}

#[test]
fn call_with_int_and_float_args_and_results() {
    let mut b = B::new("call");
    let a = b.input(Kind::Int);
    let x = b.input(Kind::Float);
    let r = b.op(
        mix_call(),
        vec![v(a), v(x), Operand::Int(200)],
        &[Kind::Int, Kind::Float, Kind::Int],
    );
    let s = b.op1(
        OpKind::IntBin(BinOp::Add, IntTy::I64),
        vec![v(r[0]), Operand::Int(1)],
        Kind::Int,
    );
    b.op(
        OpKind::Call {
            helper: 0,
            args: vec![],
            results: vec![],
            can_collect: false,
        },
        vec![],
        &[],
    );
    let t = b.exit(0, vec![v(s), v(r[1]), v(r[2])]);
    let shadow = Shadow::new(4);
    let env = env_with(
        &[tick as *const () as usize, mix as *const () as usize],
        &shadow,
    );
    let ct = compile(&mut compiler(), &t, &env);
    for (a, x) in [(5i64, 0.5f64), (-7, -2.0)] {
        let mut frame = [a as u64, x.to_bits(), 0];
        let before = TICKS.with(|t| *t.borrow());
        assert_eq!(run(&ct, &mut frame), 0);
        assert_eq!(frame[0] as i64, a * 3 + 200 + 1);
        assert_eq!(f64::from_bits(frame[1]), x + a as f64);
        assert_eq!(frame[2], (x > 0.0) as u64);
        assert_eq!(TICKS.with(|t| *t.borrow()), before + 1);
    }
    // No collecting call: no shadow-stack slots.
    assert!(shadow.contents().is_empty());
}

/// inputs r1, r2, r3 (refs), i:
/// ```text
/// r4 = call gc(r1)  [may collect]    live after: r2 (guard), r3 (exit); r1, r4 are not
/// guard_true(i) [r2]
/// call gc(r4)       [may collect]    live after: r3 only (the other slot is cleared)
/// exit(r3)
/// ```
#[test]
fn live_refs_are_on_the_shadow_stack_during_collecting_calls() {
    let mut b = B::new("roots");
    let r1 = b.input(Kind::Ref);
    let r2 = b.input(Kind::Ref);
    let r3 = b.input(Kind::Ref);
    let i = b.input(Kind::Int);
    let call = |args: Vec<Ty>, results: Vec<Ty>| OpKind::Call {
        helper: 0,
        args,
        results,
        can_collect: true,
    };
    let r4 = b.op1(call(vec![Ty::Ref], vec![Ty::Ref]), vec![v(r1)], Kind::Ref);
    b.guard(GuardKind::True, 1, vec![v(i)], vec![v(r2)]);
    b.op(call(vec![Ty::Ref], vec![]), vec![v(r4)], &[]);
    let t = b.exit(0, vec![v(r3)]);

    let shadow: &'static Shadow = Box::leak(Box::new(Shadow::new(8)));
    // Something below this trace's frame, which it must leave alone.
    // SAFETY: within the leaked stack.
    unsafe {
        *shadow.base = 0x5555;
        *shadow.top = shadow.base.add(1);
    }
    let env = env_with(&[gc as *const () as usize], shadow);
    let ct = compile(&mut compiler(), &t, &env);
    GC.with(|g| *g.borrow_mut() = Some((shadow, Vec::new())));
    let (p1, p2, p3) = (0x1000u64, 0x2000u64, 0x3000u64);

    let mut frame = [p1, p2, p3, 1];
    assert_eq!(run(&ct, &mut frame), 0);
    assert_eq!(frame[0], p3);
    let seen = GC.with(|g| g.borrow_mut().as_mut().unwrap().1.split_off(0));
    assert_eq!(seen, [vec![0x5555, p2, p3], vec![0x5555, p3, 0]]);
    assert_eq!(shadow.contents(), [0x5555], "slots popped at exit");

    let mut frame = [p1, p2, p3, 0];
    assert_eq!(run(&ct, &mut frame), 1);
    assert_eq!(frame[0], p2);
    let seen = GC.with(|g| g.borrow_mut().as_mut().unwrap().1.split_off(0));
    assert_eq!(seen, [vec![0x5555, p2, p3]]);
    assert_eq!(shadow.contents(), [0x5555], "slots popped at guard failure");
}

/// Loop-carried references (used only by the `Jump`) are live across the call.
#[test]
fn loop_carried_refs_are_rooted() {
    let mut b = B::new("loop roots");
    let p = b.input(Kind::Ref);
    let q = b.input(Kind::Ref);
    let n = b.input(Kind::Int);
    b.op(
        OpKind::Call {
            helper: 0,
            args: vec![],
            results: vec![Ty::Ref],
            can_collect: true,
        },
        vec![],
        &[Kind::Ref],
    );
    let n1 = b.op1(
        OpKind::IntBin(BinOp::Sub, IntTy::I64),
        vec![v(n), Operand::Int(1)],
        Kind::Int,
    );
    b.guard(GuardKind::True, 9, vec![v(n1)], vec![v(n1)]);
    let t = b.jump(vec![v(q), v(p), v(n1)]);

    let shadow: &'static Shadow = Box::leak(Box::new(Shadow::new(8)));
    let env = env_with(&[gc as *const () as usize], shadow);
    let ct = compile(&mut compiler(), &t, &env);
    GC.with(|g| *g.borrow_mut() = Some((shadow, Vec::new())));
    let mut frame = [0xa0, 0xb0, 3];
    assert_eq!(run(&ct, &mut frame), 9);
    assert_eq!(frame[0], 0);
    let seen = GC.with(|g| g.borrow_mut().take().unwrap().1);
    assert_eq!(seen, [vec![0xa0, 0xb0], vec![0xb0, 0xa0], vec![0xa0, 0xb0]]);
    assert!(shadow.contents().is_empty());
}

/// Reserving slots beyond `shadow_limit` calls `env.stack_overflow` (which exits): in a child.
#[test]
fn shadow_stack_overflow() {
    if in_child() {
        let mut b = B::new("overflow");
        let p = b.input(Kind::Ref);
        b.op(
            OpKind::Call {
                helper: 0,
                args: vec![],
                results: vec![],
                can_collect: true,
            },
            vec![],
            &[],
        );
        let t = b.exit(0, vec![v(p)]);
        let shadow = Shadow::new(0);
        let env = env_with(&[tick as *const () as usize], &shadow);
        let ct = compile(&mut compiler(), &t, &env);
        run(&ct, &mut [0x10]);
        unreachable!("overflowing trace returned");
    }
    let (code, err) = run_child("shadow_stack_overflow", &[]);
    assert_eq!(code, Some(101), "{err}");
    assert!(err.contains("fatal error: stack overflow"), "{err}");
}

/// A reference returned by one collecting call is rooted during the next one.
#[test]
fn call_results_are_rooted_at_later_calls() {
    let call = |results: Vec<Ty>| OpKind::Call {
        helper: 0,
        args: vec![],
        results,
        can_collect: true,
    };
    let mut b = B::new("result roots");
    let r = b.op1(call(vec![Ty::Ref]), vec![], Kind::Ref);
    b.op(call(vec![]), vec![], &[]);
    let t = b.exit(0, vec![v(r)]);
    let shadow: &'static Shadow = Box::leak(Box::new(Shadow::new(4)));
    let env = env_with(&[gc as *const () as usize], shadow);
    let ct = compile(&mut compiler(), &t, &env);
    GC.with(|g| *g.borrow_mut() = Some((shadow, Vec::new())));
    let mut frame = [0u64];
    assert_eq!(run(&ct, &mut frame), 0);
    assert_eq!(frame[0], 0xf00d_0008);
    let seen = GC.with(|g| g.borrow_mut().take().unwrap().1);
    assert_eq!(seen, [vec![0], vec![0xf00d_0008]]);
}
