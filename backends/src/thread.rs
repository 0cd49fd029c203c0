//! Jump threading for the AOT code: a link whose constant arguments decide the branch at the
//! end of its target block goes straight to the decided successor.
//!
//! The typical case comes from inlining (see [`crate::inline`]): a function returning
//! `Result<T, E>` or an enum is inlined into its caller, and each of its `return Ok(x)` becomes
//! a link into the caller's continuation block carrying a constant tag, which that block tests
//! at once. Left alone, the continuation merges every return (one block parameter per scalar
//! of the result, the unused payload included) and branches again; threaded, each return jumps
//! to the code for its own case and the unused payload is never materialised. An interpreter's
//! dispatch function inlined into its loop returns through such a block for every instruction.
//!
//! [`decide`] only evaluates: the backend still assigns the target's parameters and emits the
//! target's operations on the edge (they are pure and few, see [`threadable`]) before jumping
//! to the decided successor, so every variable the rest of the function reads is defined as
//! if the target block had run.

use std::collections::HashMap;
use vmkit_translator::flow::{Exit, Link, LlConst, LlGraph, LlOp, LlTy, Var};
use vmkit_translator::thir::BinOp;
use vmkit_translator::ty::IntTy;

/// The most operations a block may have for its branch to be threaded (they are emitted again on
/// every threaded edge).
pub const MAX_OPS: usize = 8;

/// A constant scalar: integers as their mathematical value in their type's range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cst {
    Int(i128),
    Bool(bool),
}

/// The variables of `g` defined by a constant operation (integers and booleans).
pub fn graph_consts(g: &LlGraph) -> HashMap<Var, Cst> {
    let mut m = HashMap::new();
    for b in &g.blocks {
        for i in &b.ops {
            if let (LlOp::Const(c), [r]) = (&i.op, i.results.as_slice()) {
                match c {
                    LlConst::Int(v, t) => {
                        m.insert(*r, Cst::Int(norm(*v as i128, *t)));
                    }
                    LlConst::Bool(v) => {
                        m.insert(*r, Cst::Bool(*v));
                    }
                    _ => {}
                }
            }
        }
    }
    m
}

/// `v` wrapped into the range of `t` (64-bit pointer-sized integers: the backends only thread
/// on 64-bit targets' values up to 64 bits, and `usize` values that fit 32 bits agree anyway).
fn norm(v: i128, t: IntTy) -> i128 {
    let (bits, signed) = match t {
        IntTy::I64 => (64, true),
        IntTy::I32 => (32, true),
        IntTy::U64 | IntTy::Usize => (64, false),
        IntTy::U32 => (32, false),
        IntTy::U8 => (8, false),
    };
    let m = v & ((1i128 << bits) - 1);
    if signed && m >= 1i128 << (bits - 1) {
        m - (1i128 << bits)
    } else {
        m
    }
}

/// Whether a block's operations can be emitted again on an edge: pure, cheap, never failing.
pub fn threadable(g: &LlGraph, b: usize) -> bool {
    let block = &g.blocks[b];
    block.ops.len() <= MAX_OPS
        && matches!(block.exit, Exit::If { .. } | Exit::Switch { .. })
        && block.ops.iter().all(|i| {
            matches!(
                i.op,
                LlOp::Const(_)
                    | LlOp::Copy
                    | LlOp::Cast
                    | LlOp::IntCmp(..)
                    | LlOp::BoolNot
                    | LlOp::BoolBin(_)
            )
        })
}

/// The successor link of `l`'s target that the target's branch takes when entered through
/// `l`, if constants on `l` (and in the target) decide it.
pub fn decide<'g>(g: &'g LlGraph, consts: &HashMap<Var, Cst>, l: &Link) -> Option<&'g Link> {
    let t = l.target.0 as usize;
    if !threadable(g, t) {
        return None;
    }
    let block = &g.blocks[t];
    let mut env: HashMap<Var, Cst> = HashMap::new();
    for (p, a) in block.params.iter().zip(&l.args) {
        if let Some(c) = consts.get(a) {
            env.insert(*p, *c);
        }
    }
    let get = |env: &HashMap<Var, Cst>, v: &Var| env.get(v).or_else(|| consts.get(v)).copied();
    for i in &block.ops {
        let [r] = i.results.as_slice() else {
            return None;
        };
        let args: Option<Vec<Cst>> = i.args.iter().map(|a| get(&env, a)).collect();
        let val = match (&i.op, args.as_deref()) {
            (LlOp::Const(LlConst::Int(v, ty)), _) => Some(Cst::Int(norm(*v as i128, *ty))),
            (LlOp::Const(LlConst::Bool(v)), _) => Some(Cst::Bool(*v)),
            (LlOp::Copy, Some([c])) => Some(*c),
            (LlOp::Cast, Some([c])) => match (c, g.ty(*r)) {
                (Cst::Bool(b), LlTy::Int(_)) => Some(Cst::Int(*b as i128)),
                (Cst::Int(v), LlTy::Int(ty)) => Some(Cst::Int(norm(*v, *ty))),
                (Cst::Int(v), LlTy::Bool) => Some(Cst::Bool(*v != 0)),
                (Cst::Bool(b), LlTy::Bool) => Some(Cst::Bool(*b)),
                _ => None,
            },
            (LlOp::IntCmp(op, ty), Some([Cst::Int(a), Cst::Int(b)])) => {
                Some(Cst::Bool(op.compare(norm(*a, *ty), norm(*b, *ty))?))
            }
            (LlOp::BoolNot, Some([Cst::Bool(b)])) => Some(Cst::Bool(!b)),
            (LlOp::BoolBin(op), Some([Cst::Bool(a), Cst::Bool(b)])) => Some(Cst::Bool(match op {
                BinOp::And => *a && *b,
                BinOp::Or => *a || *b,
                BinOp::Xor => a != b,
                _ => op.compare(a, b)?,
            })),
            _ => None,
        };
        if let Some(v) = val {
            env.insert(*r, v);
        }
    }
    match &block.exit {
        Exit::If { cond, then, els } => match get(&env, cond)? {
            Cst::Bool(true) => Some(then),
            Cst::Bool(false) => Some(els),
            Cst::Int(_) => None,
        },
        Exit::Switch {
            value,
            cases,
            default,
        } => match get(&env, value)? {
            Cst::Int(k) => {
                let ty = g.ty(*value);
                Some(
                    cases
                        .iter()
                        .find(|(c, _)| match ty {
                            LlTy::Int(t) => norm(*c as i128, *t) == k,
                            _ => *c as i128 == k,
                        })
                        .map(|(_, l)| l)
                        .unwrap_or(default),
                )
            }
            Cst::Bool(b) => Some(
                cases
                    .iter()
                    .find(|(c, _)| (*c != 0) == b)
                    .map(|(_, l)| l)
                    .unwrap_or(default),
            ),
        },
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vmkit_translator::flow::{Block, BlockId, Graph, Instr};
    use vmkit_translator::program::FnId;

    fn ins(results: &[u32], op: LlOp, args: &[u32]) -> Instr<LlOp> {
        Instr {
            results: results.iter().map(|v| Var(*v)).collect(),
            op,
            args: args.iter().map(|v| Var(*v)).collect(),
            loc: Default::default(),
        }
    }

    fn link(t: u32, args: &[u32]) -> Link {
        Link {
            target: BlockId(t),
            args: args.iter().map(|v| Var(*v)).collect(),
        }
    }

    /// block0(v0): v1 = false; v2 = 7u32; if v0 goto block1(v1, v2) else block1(v0, v2)
    /// block1(v3, v4): v5 = cast v3 (i64); v6 = 0; v7 = v5 == v6; if v7 block2 else block3
    /// block2: v8 = v4 as i64; switch v8 { 7 => block3, _ => block4 }
    fn graph() -> LlGraph {
        let i64t = LlTy::Int(IntTy::I64);
        let mut g: LlGraph = Graph {
            name: "t".into(),
            fn_id: FnId(0),
            var_types: vec![
                LlTy::Bool,
                LlTy::Bool,
                LlTy::Int(IntTy::U32),
                LlTy::Bool,
                LlTy::Int(IntTy::U32),
                i64t,
                i64t,
                LlTy::Bool,
                i64t,
            ],
            var_names: vec![None; 9],
            blocks: vec![],
            ret: vec![],
        };
        g.blocks.push(Block {
            params: vec![Var(0)],
            ops: vec![
                ins(&[1], LlOp::Const(LlConst::Bool(false)), &[]),
                ins(&[2], LlOp::Const(LlConst::Int(7, IntTy::U32)), &[]),
            ],
            exit: Exit::If {
                cond: Var(0),
                then: link(1, &[1, 2]),
                els: link(1, &[0, 2]),
            },
        });
        g.blocks.push(Block {
            params: vec![Var(3), Var(4)],
            ops: vec![
                ins(&[5], LlOp::Cast, &[3]),
                ins(&[6], LlOp::Const(LlConst::Int(0, IntTy::I64)), &[]),
                ins(&[7], LlOp::IntCmp(BinOp::Eq, IntTy::I64), &[5, 6]),
            ],
            exit: Exit::If {
                cond: Var(7),
                then: link(2, &[]),
                els: link(3, &[]),
            },
        });
        g.blocks.push(Block {
            params: vec![],
            ops: vec![ins(&[8], LlOp::Cast, &[4])],
            exit: Exit::Switch {
                value: Var(8),
                cases: vec![(7, link(3, &[])), (7, link(4, &[]))],
                default: link(4, &[]),
            },
        });
        for _ in 0..2 {
            g.blocks.push(Block {
                params: vec![],
                ops: vec![],
                exit: Exit::Return(vec![]),
            });
        }
        g
    }

    #[test]
    fn constant_tag_decides_the_branch() {
        let g = graph();
        let consts = graph_consts(&g);
        let Exit::If { then, els, .. } = &g.blocks[0].exit else {
            unreachable!()
        };
        // `false` cast to 0 equals 0: block1 goes to block2.
        assert_eq!(
            decide(&g, &consts, then).map(|l| l.target),
            Some(BlockId(2))
        );
        // The block parameter v0 is not a constant: nothing is decided.
        assert!(decide(&g, &consts, els).is_none());
    }

    #[test]
    fn switch_on_a_constant_of_a_dominating_block_takes_the_first_case() {
        let g = graph();
        let consts = graph_consts(&g);
        // block2's switch reads v8 = cast v4, and v4 is a parameter of block1 (not a constant
        // of the graph): links into block2 carry nothing, so nothing is decided...
        assert!(decide(&g, &consts, &link(2, &[])).is_none());
        // ...unless the cast's argument is a graph constant: with v4 known as 7, the first
        // case for 7 wins (as in the backend's switch).
        let mut consts = consts;
        consts.insert(Var(4), Cst::Int(7));
        assert_eq!(
            decide(&g, &consts, &link(2, &[])).map(|l| l.target),
            Some(BlockId(3))
        );
    }

    #[test]
    fn blocks_with_effects_are_not_threaded() {
        let mut g = graph();
        g.blocks[1].ops.push(ins(&[8], LlOp::Call(FnId(0)), &[]));
        assert!(!threadable(&g, 1));
        let consts = graph_consts(&g);
        assert!(decide(&g, &consts, &link(1, &[1, 2])).is_none());
    }

    #[test]
    fn norm_wraps_into_the_type() {
        assert_eq!(norm(-1, IntTy::U8), 255);
        assert_eq!(norm(255, IntTy::I32), 255);
        assert_eq!(norm(1 << 31, IntTy::I32), -(1 << 31));
        assert_eq!(norm(-1, IntTy::U64), u64::MAX as i128);
    }
}
