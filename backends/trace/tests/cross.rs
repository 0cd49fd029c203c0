//! Cross-ISA code generation (bytes only: the code cannot run here).

mod common;

use common::*;
use vmkit_jit_ir::ops::{BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{GuardKind, OpKind, Operand, Trace};
use vmkit_trace_backend::{MemPolicy, TraceCompiler};

extern "C" fn nop(_args: *const u64, _results: *mut u64) {}

/// A loop exercising every family of operations.
fn big_trace() -> Trace {
    let mut b = B::new("cross");
    let arr = b.input(Kind::Ref);
    let i = b.input(Kind::Int);
    let f = b.input(Kind::Float);
    let s = b.input(Kind::Ref);
    let i64t = IntTy::I64;
    let x = b.op1(
        OpKind::ArrayGet {
            width: 2,
            word: 1,
            ty: Ty::Int(i64t),
        },
        vec![v(arr), v(i)],
        Kind::Int,
    );
    let q = b.op1(
        OpKind::IntBin(BinOp::Div, IntTy::I32),
        vec![v(x), v(i)],
        Kind::Int,
    );
    let r = b.op1(
        OpKind::IntBin(BinOp::Rem, i64t),
        vec![v(q), v(x)],
        Kind::Int,
    );
    let o = b.op(
        OpKind::IntOvf(BinOp::Mul, i64t),
        vec![v(r), Operand::Int(3)],
        &[Kind::Int, Kind::Int],
    );
    b.guard(GuardKind::False, 0, vec![v(o[1])], vec![v(i), v(f)]);
    let sh = b.op1(
        OpKind::IntBin(BinOp::Shr, IntTy::U8),
        vec![v(o[0]), v(i)],
        Kind::Int,
    );
    let fx = b.op1(
        OpKind::Cast(Ty::Int(IntTy::U32), Ty::F64),
        vec![v(sh)],
        Kind::Float,
    );
    let f2 = b.op1(OpKind::FloatBin(BinOp::Rem), vec![v(f), v(fx)], Kind::Float);
    let back = b.op1(
        OpKind::Cast(Ty::F64, Ty::Int(IntTy::U8)),
        vec![v(f2)],
        Kind::Int,
    );
    let c = b.op1(OpKind::StrByteAt, vec![v(s), v(back)], Kind::Int);
    let got = b.op1(
        OpKind::Call {
            helper: 0,
            args: vec![Ty::Int(i64t), Ty::F64],
            results: vec![Ty::Ref],
            can_collect: true,
        },
        vec![v(c), v(f2)],
        Kind::Ref,
    );
    b.op(
        OpKind::SetField {
            offset: 16,
            ty: Ty::Int(IntTy::I32),
        },
        vec![v(got), v(c)],
        &[],
    );
    b.guard(
        GuardKind::Value,
        1,
        vec![v(f2), Operand::Float(0)],
        vec![v(got)],
    );
    let i1 = b.op1(
        OpKind::IntBin(BinOp::Add, i64t),
        vec![v(i), Operand::Int(1)],
        Kind::Int,
    );
    b.jump(vec![v(arr), v(i1), v(f2), v(s)])
}

#[test]
fn aarch64_code_generation() {
    let shadow = Shadow::new(4);
    let env = env_with(&[nop as *const () as usize], &shadow);
    let t = big_trace();
    let host = compiler().compile_bytes(&t, &env, None).expect("host");
    for triple in ["aarch64-unknown-linux-gnu", "aarch64-apple-darwin"] {
        let mut c = TraceCompiler::new(triple, MemPolicy::MprotectWx).expect(triple);
        let code = c
            .compile_bytes(&t, &env, None)
            .unwrap_or_else(|e| panic!("{triple}: {e}"));
        assert!(code.len() > 200, "{triple}: {} bytes", code.len());
        assert_eq!(
            code.len() % 4,
            0,
            "{triple}: aarch64 instructions are 4 bytes"
        );
        if !HOST.starts_with("aarch64") {
            assert_ne!(code, host);
        }
        // aarch64 `ret` (0xd65f03c0) appears: the guards return.
        assert!(
            code.chunks(4).any(|w| w == 0xd65f03c0u32.to_le_bytes()),
            "{triple}: no ret"
        );
    }
    // The host compiler runs it too (the loop is exercised elsewhere; compile only).
    assert!(host.len() > 200);
}

/// Tail calls (`JumpTo`, linked guards) for the aarch64 targets: `br xN` appears (a tail call
/// is an indirect branch after the epilogue, not a `blr`).
#[test]
fn aarch64_tail_calls() {
    let shadow = Shadow::new(4);
    let env = env_with(&[nop as *const () as usize], &shadow);
    let links = [0u64; 4];
    let mut b = B::new("tail");
    let x = b.input(Kind::Int);
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
    for i in 0..3 {
        let c = b.op1(
            OpKind::IntCmp(BinOp::Lt, IntTy::I64),
            vec![v(x), Operand::Int(i * 10)],
            Kind::Int,
        );
        b.guard(GuardKind::False, i as u32, vec![v(c)], vec![v(x), v(p)]);
    }
    let t = b.jump_to(0x1234_5678, vec![v(x), v(p)]);
    let is_br = |w: &[u8]| {
        let w = u32::from_le_bytes(w.try_into().unwrap());
        w & 0xffff_fc1f == 0xd61f_0000
    };
    for triple in ["aarch64-unknown-linux-gnu", "aarch64-apple-darwin"] {
        let mut c = TraceCompiler::new(triple, MemPolicy::MprotectWx).expect(triple);
        for links in [None, Some(links.as_ptr())] {
            let code = c
                .compile_bytes(&t, &env, links)
                .unwrap_or_else(|e| panic!("{triple}: {e}"));
            let brs = code.chunks(4).filter(|w| is_br(w)).count();
            // The JumpTo, plus the guards' link (one shared exit block) when linked.
            let want = if links.is_some() { 2 } else { 1 };
            assert!(brs >= want, "{triple}: {brs} br instructions");
        }
    }
    let host = compiler()
        .compile_bytes(&t, &env, Some(links.as_ptr()))
        .expect("x86-64");
    assert!(!host.is_empty());
}
