//! Inlining for the AOT code (only: jitcodes are made from the un-inlined graphs, and every
//! function keeps its own compiled body for the calls that are not inlined and for the JIT's
//! residual calls).
//!
//! Interpreters written in the DSL are split into small functions (fetch an opcode, push,
//! pop, one function per group of opcodes...) so that the tracer sees through them; compiled as
//! they are, each call pays a prologue, a native-stack check, a shadow-stack frame and a
//! return through memory. This pass copies callees into their callers, bottom-up along the
//! call graph (callees first, so inlined bodies are already flattened):
//! - small callees (at most [`SMALL`] operations) everywhere,
//! - callees called from exactly one place in the program (at most [`SINGLE`] operations),
//! never a function calling itself directly, never one holding JIT hints
//! (`jit_merge_point`/`can_enter_jit`), and never growing a caller past [`MAX_CALLER`].
//! Functions on a longer recursive cycle are inlined like any other: an interpreter's
//! dispatch function is on the cycle dispatch → call opcode → portal → dispatch, and inlining
//! it into the portal is what removes a call per executed instruction. A copy keeps its calls
//! around the cycle, so recursion still goes through real calls and the copying terminates
//! (a graph being processed is never copied into itself).
//!
//! A call `r = f(a)` in block `b` splits `b`: its operations after the call move to a new
//! continuation block whose parameters are `r`; `b` jumps to the copy of `f`'s entry block
//! with `a`; every `return v` of the copy jumps to the continuation with `v`. Variables and
//! blocks of the copy are renumbered after the caller's.

use petgraph::algo::tarjan_scc;
use petgraph::graph::DiGraph;
use vmkit_translator::flow::{Block, BlockId, Exit, Instr, Link, LlGraph, LlOp, Var};
use vmkit_translator::program::FnId;

/// Callees with at most this many operations are inlined at every call site.
pub const SMALL: usize = 24;
/// A callee with a single call site in the whole program is inlined up to this size. (pyvm's
/// `execute`, the body of its dispatch loop, is about 8000 operations: past this limit it
/// stops being inlined into the loop and the interpreter runs ~1.6x slower — measured when
/// it crossed the former limit of 8000.)
pub const SINGLE: usize = 12000;
/// No caller grows beyond this many operations by inlining.
pub const MAX_CALLER: usize = 16000;

fn size(g: &LlGraph) -> usize {
    g.blocks.iter().map(|b| b.ops.len() + 1).sum()
}

fn has_hints(g: &LlGraph) -> bool {
    g.blocks.iter().any(|b| {
        b.ops
            .iter()
            .any(|o| matches!(o.op, LlOp::JitMergePoint(_) | LlOp::CanEnterJit(_)))
    })
}

fn calls(g: &LlGraph) -> impl Iterator<Item = FnId> + '_ {
    g.blocks.iter().flat_map(|b| {
        b.ops.iter().filter_map(|o| match o.op {
            LlOp::Call(f) => Some(f),
            _ => None,
        })
    })
}

/// Returns the graphs with inlining applied (`None` stays `None`).
pub fn inline_program(graphs: &[Option<LlGraph>]) -> Vec<Option<LlGraph>> {
    let n = graphs.len();
    let mut cg: DiGraph<usize, ()> = DiGraph::new();
    let nodes: Vec<_> = (0..n).map(|i| cg.add_node(i)).collect();
    let mut sites = vec![0usize; n];
    for (i, g) in graphs.iter().enumerate() {
        let Some(g) = g else { continue };
        for f in calls(g) {
            let j = f.0 as usize;
            if j < n {
                cg.add_edge(nodes[i], nodes[j], ());
                sites[j] += 1;
            }
        }
    }
    // Self-recursive functions are never inlined.
    let recursive: Vec<bool> = (0..n)
        .map(|i| cg.contains_edge(nodes[i], nodes[i]))
        .collect();
    let sccs = tarjan_scc(&cg);
    let mut out: Vec<Option<LlGraph>> = graphs.to_vec();
    // `tarjan_scc` lists callees before callers.
    for scc in &sccs {
        for node in scc {
            let i = cg[*node];
            let Some(mut g) = out[i].take() else { continue };
            inline_into(&mut g, &out, &sites, &recursive);
            out[i] = Some(g);
        }
    }
    out
}

fn inlinable(callee: &LlGraph, f: FnId, sites: &[usize], recursive: &[bool]) -> bool {
    let j = f.0 as usize;
    if recursive[j] || has_hints(callee) {
        return false;
    }
    let s = size(callee);
    s <= SMALL || (sites[j] == 1 && s <= SINGLE)
}

fn inline_into(g: &mut LlGraph, graphs: &[Option<LlGraph>], sites: &[usize], recursive: &[bool]) {
    let mut bi = 0;
    while bi < g.blocks.len() {
        let mut k = 0;
        while k < g.blocks[bi].ops.len() {
            let LlOp::Call(f) = g.blocks[bi].ops[k].op else {
                k += 1;
                continue;
            };
            let Some(Some(callee)) = graphs.get(f.0 as usize) else {
                k += 1;
                continue;
            };
            if !inlinable(callee, f, sites, recursive) || size(g) + size(callee) > MAX_CALLER {
                k += 1;
                continue;
            }
            splice(g, bi, k, callee);
            // The rest of block `bi` moved to the continuation; carry on there (it is
            // the last block, visited in turn).
            break;
        }
        bi += 1;
    }
}

/// Replaces the call at `g.blocks[bi].ops[k]` by a copy of `callee`.
///
/// When nothing in the callee jumps back to its entry block, the copy reads the call's
/// arguments directly instead of through parameters of its entry block: a parameter would be a
/// second name for the same value, assigned on every call — and, for a reference, stored into a
/// shadow-stack slot each time.
fn splice(g: &mut LlGraph, bi: usize, k: usize, callee: &LlGraph) {
    let var_base = g.var_types.len() as u32;
    g.var_types.extend(callee.var_types.iter().cloned());
    g.var_names.extend(callee.var_names.iter().cloned());
    let call = g.blocks[bi].ops[k].clone();
    let entry_reentered = callee
        .blocks
        .iter()
        .any(|b| LlGraph::successors(b).iter().any(|l| l.target.0 == 0));
    let subst: std::collections::HashMap<Var, Var> = if entry_reentered {
        Default::default()
    } else {
        callee.blocks[0]
            .params
            .iter()
            .copied()
            .zip(call.args.iter().copied())
            .collect()
    };
    let rv = |v: &Var| match subst.get(v) {
        Some(a) => *a,
        None => Var(v.0 + var_base),
    };
    let block_base = g.blocks.len() as u32;
    let cont = BlockId(block_base + callee.blocks.len() as u32);
    let rl = |l: &Link| Link {
        target: BlockId(l.target.0 + block_base),
        args: l.args.iter().map(rv).collect(),
    };
    let rest: Vec<Instr<LlOp>> = g.blocks[bi].ops.drain(k..).skip(1).collect();
    let exit = std::mem::replace(
        &mut g.blocks[bi].exit,
        Exit::Goto(Link {
            target: BlockId(block_base),
            args: if entry_reentered {
                call.args.clone()
            } else {
                vec![]
            },
        }),
    );
    for (ci, b) in callee.blocks.iter().enumerate() {
        let exit = match &b.exit {
            Exit::Goto(l) => Exit::Goto(rl(l)),
            Exit::If { cond, then, els } => Exit::If {
                cond: rv(cond),
                then: rl(then),
                els: rl(els),
            },
            Exit::Switch {
                value,
                cases,
                default,
            } => Exit::Switch {
                value: rv(value),
                cases: cases.iter().map(|(c, l)| (*c, rl(l))).collect(),
                default: rl(default),
            },
            Exit::Return(vs) => Exit::Goto(Link {
                target: cont,
                args: vs.iter().map(rv).collect(),
            }),
            Exit::Fatal(m) => Exit::Fatal(m.clone()),
        };
        g.blocks.push(Block {
            params: if ci == 0 && !entry_reentered {
                vec![]
            } else {
                b.params.iter().map(rv).collect()
            },
            ops: b
                .ops
                .iter()
                .map(|o| Instr {
                    results: o.results.iter().map(rv).collect(),
                    op: o.op.clone(),
                    args: o.args.iter().map(rv).collect(),
                    loc: o.loc,
                })
                .collect(),
            exit,
        });
    }
    g.blocks.push(Block {
        params: call.results.clone(),
        ops: rest,
        exit,
    });
}
