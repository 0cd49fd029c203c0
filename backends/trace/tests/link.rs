//! Direct linking: `JumpTo` tail calls and guards linked through a link table, in constant
//! native stack and with the shadow stack popped before every tail call.

mod common;

use common::*;
use std::cell::Cell;
use vmkit_jit_ir::ops::{BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{GuardKind, OpKind, Operand, Trace, Var};

thread_local! {
    static CALLS: Cell<u64> = const { Cell::new(0) };
}

/// A helper that "may collect": counts its calls.
extern "C" fn count(_args: *const u64, _results: *mut u64) {
    CALLS.with(|c| c.set(c.get() + 1));
}

fn collecting_call() -> OpKind {
    OpKind::Call {
        helper: 0,
        args: vec![],
        results: vec![],
        can_collect: true,
    }
}

fn add(b: &mut B, x: Operand, y: Operand) -> Var {
    b.op1(
        OpKind::IntBin(BinOp::Add, IntTy::I64),
        vec![x, y],
        Kind::Int,
    )
}

/// Loop A: `i += 1; if i >= n { return #0 [i, acc] }; guard #1 always fails [i, n, acc, p]`
/// (a collecting call keeps `p` rooted in between). Linked, guard #1 goes to bridge B, which
/// adds `i` to `acc` and jumps back into A.
fn loop_a() -> Trace {
    let mut b = B::new("loop A");
    let i = b.input(Kind::Int);
    let n = b.input(Kind::Int);
    let acc = b.input(Kind::Int);
    let p = b.input(Kind::Ref);
    let i1 = add(&mut b, v(i), Operand::Int(1));
    let more = b.op1(
        OpKind::IntCmp(BinOp::Lt, IntTy::I64),
        vec![v(i1), v(n)],
        Kind::Int,
    );
    b.guard(GuardKind::True, 0, vec![v(more)], vec![v(i1), v(acc)]);
    b.op(collecting_call(), vec![], &[]);
    b.guard(
        GuardKind::Value,
        1,
        vec![v(i1), Operand::Int(-1)],
        vec![v(i1), v(n), v(acc), v(p)],
    );
    b.jump(vec![v(i1), v(n), v(acc), v(p)])
}

fn bridge_b(a_tail_entry: usize) -> Trace {
    let mut b = B::new("bridge B");
    let i = b.input(Kind::Int);
    let n = b.input(Kind::Int);
    let acc = b.input(Kind::Int);
    let p = b.input(Kind::Ref);
    b.op(collecting_call(), vec![], &[]);
    let acc1 = add(&mut b, v(acc), v(i));
    b.jump_to(a_tail_entry, vec![v(i), v(n), v(acc1), v(p)])
}

/// Ten million round trips A → B → A through a link attached after A was compiled: the
/// native stack does not grow (20 million tail calls would overflow any thread stack), and
/// every tail call pops the caller's shadow-stack slots (the shadow stack has room for a few
/// only).
#[test]
fn linked_guard_and_jump_to_loop_for_millions_of_round_trips() {
    let shadow = Shadow::new(4);
    let env = env_with(&[count as *const () as usize], &shadow);
    let mut c = compiler();
    let links = Links::new(2);
    let a = compile_linked(&mut c, &loop_a(), &env, &links);
    // Unlinked: guard #1 fails on the first iteration and returns.
    let mut frame = [0, 10, 0, 0x5000];
    assert_eq!(run(&a, &mut frame), 1);
    assert_eq!(frame, [1, 10, 0, 0x5000]);
    assert!(shadow.contents().is_empty());
    // Attach bridge B to guard #1.
    let b = compile(&mut c, &bridge_b(a.tail_entry), &env);
    links.set(1, b.tail_entry);
    let n = 10_000_000u64;
    CALLS.with(|c| c.set(0));
    let mut frame = [0, n, 0, 0x5000];
    assert_eq!(run(&a, &mut frame), 0);
    assert_eq!(frame[..2], [n, n * (n - 1) / 2]);
    // A's call runs n - 1 times, B's too.
    assert_eq!(CALLS.with(Cell::get), 2 * (n - 1));
    assert!(shadow.contents().is_empty());
}

/// T1 → T2 → T3 by `JumpTo`, with different input counts and kinds; T3 exits.
#[test]
fn jump_to_chains() {
    let mut c = compiler();
    let env = env();
    let mut b = B::new("T3");
    let x = b.input(Kind::Int);
    let f = b.input(Kind::Float);
    let p = b.input(Kind::Ref);
    let x2 = b.op1(
        OpKind::IntBin(BinOp::Mul, IntTy::I64),
        vec![v(x), Operand::Int(2)],
        Kind::Int,
    );
    let t3 = compile(&mut c, &b.exit(7, vec![v(p), v(x2), v(f)]), &env);
    let mut b = B::new("T2");
    let x = b.input(Kind::Int);
    let y = b.input(Kind::Int);
    let s = add(&mut b, v(x), v(y));
    let t2 = compile(
        &mut c,
        &b.jump_to(
            t3.tail_entry,
            vec![v(s), Operand::Float(1.5f64.to_bits()), Operand::Ref(0x7000)],
        ),
        &env,
    );
    let mut b = B::new("T1");
    let x = b.input(Kind::Int);
    let x3 = b.op1(
        OpKind::IntBin(BinOp::Mul, IntTy::I64),
        vec![v(x), Operand::Int(3)],
        Kind::Int,
    );
    let t1 = compile(
        &mut c,
        &b.jump_to(t2.tail_entry, vec![v(x3), Operand::Int(10)]),
        &env,
    );
    let mut frame = [5, 0, 0];
    assert_eq!(run(&t1, &mut frame), 7);
    assert_eq!(frame, [0x7000, 50, 1.5f64.to_bits()]);
    // Entering in the middle of the chain.
    let mut frame = [1, 2, 0];
    assert_eq!(run(&t2, &mut frame), 7);
    assert_eq!(frame, [0x7000, 6, 1.5f64.to_bits()]);
    // A JumpTo to address 0 is rejected.
    let mut b = B::new("null");
    let x = b.input(Kind::Int);
    assert!(c
        .compile(&b.jump_to(0, vec![v(x)]), &env, None, false)
        .is_err());
}

/// A trace with guards #0..#3 (the same fail-arg kinds: one shared exit block), guard `k`
/// failing when input `k` is given, and guard #9 (other kinds: its own exit).
fn guards_trace() -> Trace {
    let mut b = B::new("guards");
    let k = b.input(Kind::Int);
    let f = b.input(Kind::Float);
    for j in 0..4 {
        let c = b.op1(
            OpKind::IntCmp(BinOp::Eq, IntTy::I64),
            vec![v(k), Operand::Int(j)],
            Kind::Int,
        );
        let z = add(&mut b, v(k), Operand::Int(100 * j));
        b.guard(
            GuardKind::False,
            j as u32,
            vec![v(c)],
            vec![
                v(f),
                v(z),
                Operand::Ref(0x1000 + j as u64),
                v(k),
                Operand::Int(-1),
            ],
        );
    }
    let c = b.op1(
        OpKind::IntCmp(BinOp::Eq, IntTy::I64),
        vec![v(k), Operand::Int(9)],
        Kind::Int,
    );
    b.guard(GuardKind::False, 9, vec![v(c)], vec![v(k)]);
    b.exit(20, vec![v(k)])
}

/// Linked guards tail-call; the others (and the final Exit, while its slot is 0) still return
/// their index; the table is read at every failure, so links can be attached and removed at any
/// time.
#[test]
fn unlinked_guards_return_their_index() {
    let mut c = compiler();
    let env = env();
    // slots 0..=9 for the guards, 20 for the final exit (exits consult the table too)
    let links = Links::new(21);
    let t = compile_linked(&mut c, &guards_trace(), &env, &links);
    let expect = |k: u64| -> (u32, Vec<u64>) {
        if k == 9 {
            (9, vec![9])
        } else if k < 4 {
            let f = 0.25f64.to_bits();
            (k as u32, vec![f, k * 101, 0x1000 + k, k, u64::MAX])
        } else {
            (20, vec![k])
        }
    };
    let check = |t: &vmkit_trace_backend::CompiledTrace, k: u64, want: (u32, Vec<u64>)| {
        let mut frame = [k, 0.25f64.to_bits(), 0, 0, 0];
        let got = run(t, &mut frame);
        assert_eq!(
            (got, &frame[..want.1.len()]),
            (want.0, &want.1[..]),
            "k = {k}"
        );
    };
    for k in [0, 1, 2, 3, 9, 5] {
        check(&t, k, expect(k));
    }
    // Bridge for guards #2 and #9: exits #50 with (its inputs, summed as ints).
    let mut b = B::new("bridge");
    let f = b.input(Kind::Float);
    let z = b.input(Kind::Int);
    let p = b.input(Kind::Ref);
    let k = b.input(Kind::Int);
    let m = b.input(Kind::Int);
    let s = add(&mut b, v(z), v(k));
    let s = add(&mut b, v(s), v(m));
    let fi = b.op1(
        OpKind::Cast(Ty::F64, Ty::Int(IntTy::I64)),
        vec![v(f)],
        Kind::Int,
    );
    let bridge = compile(&mut c, &b.exit(50, vec![v(p), v(s), v(fi)]), &env);
    let mut b = B::new("bridge 9");
    let k = b.input(Kind::Int);
    let k1 = add(&mut b, v(k), Operand::Int(1));
    let bridge9 = compile(&mut c, &b.exit(51, vec![v(k1)]), &env);
    links.set(2, bridge.tail_entry);
    links.set(9, bridge9.tail_entry);
    for k in [0, 1, 3, 5] {
        check(&t, k, expect(k));
    }
    check(&t, 2, (50, vec![0x1002, 202 + 2 - 1, 0]));
    check(&t, 9, (51, vec![10]));
    // Unlinking restores the plain return.
    links.set(2, 0);
    check(&t, 2, expect(2));
    check(&t, 9, (51, vec![10]));
    // A linked exit continues in the linked trace (the runtime links exits to loop headers
    // once they get code).
    links.set(20, bridge9.tail_entry);
    check(&t, 5, (51, vec![6]));
    links.set(20, 0);
    check(&t, 5, expect(5));
}

/// The fail_args of a linked guard — variables and constants of every kind — are the linked
/// trace's inputs, and a trace compiled with `links: None` never reads a table.
#[test]
fn fail_args_are_the_linked_trace_inputs() {
    let mut c = compiler();
    let env = env();
    let mut b = B::new("target");
    let f = b.input(Kind::Float);
    let p = b.input(Kind::Ref);
    let x = b.input(Kind::Int);
    let y = b.input(Kind::Int);
    let q = b.input(Kind::Ref);
    let f2 = b.op1(
        OpKind::FloatBin(BinOp::Mul),
        vec![v(f), Operand::Float(2.0f64.to_bits())],
        Kind::Float,
    );
    let d = b.op1(
        OpKind::IntBin(BinOp::Sub, IntTy::I64),
        vec![v(x), v(y)],
        Kind::Int,
    );
    let target = compile(&mut c, &b.exit(3, vec![v(q), v(d), v(p), v(f2)]), &env);
    let source = |c: &mut vmkit_trace_backend::TraceCompiler, links: Option<&Links>| {
        let mut b = B::new("source");
        let x = b.input(Kind::Int);
        let g = b.input(Kind::Float);
        let r = b.input(Kind::Ref);
        let ok = b.op1(
            OpKind::IntCmp(BinOp::Lt, IntTy::I64),
            vec![v(x), Operand::Int(100)],
            Kind::Int,
        );
        b.guard(
            GuardKind::True,
            0,
            vec![v(ok)],
            vec![v(g), v(r), v(x), Operand::Int(40), Operand::Ref(0x9000)],
        );
        let t = b.exit(1, vec![v(x)]);
        match links {
            Some(l) => compile_linked(c, &t, &env, l),
            None => compile(c, &t, &env),
        }
    };
    let links = Links::new(2);
    links.set(0, target.tail_entry);
    let linked = source(&mut c, Some(&links));
    let plain = source(&mut c, None);
    let mut frame = [500, 0.75f64.to_bits(), 0x8000, 0, 0];
    assert_eq!(run(&linked, &mut frame), 3);
    assert_eq!(frame[..4], [0x9000, 460, 0x8000, 1.5f64.to_bits()]);
    let mut frame = [500, 0.75f64.to_bits(), 0x8000, 0, 0];
    assert_eq!(run(&plain, &mut frame), 0);
    assert_eq!(frame, [0.75f64.to_bits(), 0x8000, 500, 40, 0x9000]);
    let mut frame = [5, 0, 0, 0, 0];
    assert_eq!(run(&linked, &mut frame), 1);
    assert_eq!(frame[0], 5);
}

/// A loop that tail-calls itself through `JumpTo` (its own `tail_entry`, known only after
/// compilation, so through a guard link instead): constant stack over many iterations.
#[test]
fn self_linked_guard() {
    let mut c = compiler();
    let env = env();
    let mut b = B::new("self");
    let i = b.input(Kind::Int);
    let i1 = add(&mut b, v(i), Operand::Int(1));
    let more = b.op1(
        OpKind::IntCmp(BinOp::Lt, IntTy::I64),
        vec![v(i1), Operand::Int(3_000_000)],
        Kind::Int,
    );
    // Fails while `more`: linked to itself, it restarts from the top.
    b.guard(GuardKind::False, 0, vec![v(more)], vec![v(i1)]);
    let links = Links::new(2);
    let t = compile_linked(&mut c, &b.exit(1, vec![v(i1)]), &env, &links);
    let mut frame = [0];
    assert_eq!(run(&t, &mut frame), 0);
    assert_eq!(frame[0], 1);
    links.set(0, t.tail_entry);
    let mut frame = [0];
    assert_eq!(run(&t, &mut frame), 1);
    assert_eq!(frame[0], 3_000_000);
}

/// Background compilation: loop A and bridge B are generated by a [`CodeGen`] on another
/// thread (with their link table's address and `JumpTo` target as plain integers), then
/// installed into code memory on this thread, and run linked as when compiled here.
#[test]
fn code_generated_on_another_thread_runs_once_installed() {
    use vmkit_trace_backend::CodeGen;
    let shadow = Shadow::new(4);
    let env = env_with(&[count as *const () as usize], &shadow);
    let mut c = compiler();
    let links = Links::new(2);
    let links_at = links.ptr() as usize;
    let gen = |t: Trace, links_at: Option<usize>| {
        std::thread::spawn(move || {
            let mut cg = CodeGen::new(HOST).expect("host code generator");
            cg.generate(&t, &env, links_at.map(|p| p as *const u64), true)
        })
        .join()
        .expect("worker")
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let code = gen(loop_a(), Some(links_at));
    assert!(code
        .text
        .as_deref()
        .is_some_and(|t| t.contains("disassembly")));
    let a = c.install(code).expect("install A");
    let b = c
        .install(gen(bridge_b(a.tail_entry), None))
        .expect("install B");
    links.set(1, b.tail_entry);
    let n = 1000u64;
    CALLS.with(|c| c.set(0));
    let mut frame = [0, n, 0, 0x5000];
    assert_eq!(run(&a, &mut frame), 0);
    assert_eq!(frame[..2], [n, n * (n - 1) / 2]);
    assert_eq!(CALLS.with(Cell::get), 2 * (n - 1));
    // code for another architecture is refused
    let other = if cfg!(target_arch = "x86_64") {
        "aarch64-unknown-linux-gnu"
    } else {
        "x86_64-unknown-linux-gnu"
    };
    let mut cg = CodeGen::new(other).expect("cross code generator");
    let foreign = cg
        .generate(&loop_a(), &env, Some(links.ptr()), false)
        .expect("cross code");
    assert!(c.install(foreign).is_err());
}
