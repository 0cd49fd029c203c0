//! The JIT policy: which functions the tracer looks inside.
//!
//! Candidates are the portal and every DSL function it calls, transitively, except `#[elidable]`
//! and `#[dont_look_inside]` functions and functions with loops that are not `#[unroll_safe]`
//! (tracing through a loop would unroll it). Host functions are never looked inside. Calls to
//! non-candidates are residual calls.

use vmkit_translator::driver::Translation;
use vmkit_translator::flow::{LlGraph, LlOp};
use vmkit_translator::program::FnId;

/// The function holding `jit_merge_point!`.
pub fn portal(t: &Translation) -> Option<FnId> {
    t.ll.graphs.iter().enumerate().find_map(|(i, g)| {
        let g = g.as_ref()?;
        g.blocks
            .iter()
            .any(|b| b.ops.iter().any(|o| matches!(o.op, LlOp::JitMergePoint(_))))
            .then_some(FnId(i as u32))
    })
}

/// Does the graph contain a loop (a back edge in a depth-first walk)?
pub fn has_loop(g: &LlGraph) -> bool {
    let n = g.blocks.len();
    let mut state = vec![0u8; n]; // 0 new, 1 on stack, 2 done
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    state[0] = 1;
    while let Some((b, i)) = stack.pop() {
        let succ: Vec<usize> = LlGraph::successors(&g.blocks[b])
            .iter()
            .map(|l| l.target.0 as usize)
            .collect();
        if i < succ.len() {
            stack.push((b, i + 1));
            let s = succ[i];
            match state[s] {
                1 => return true,
                0 => {
                    state[s] = 1;
                    stack.push((s, 0));
                }
                _ => {}
            }
        } else {
            state[b] = 2;
        }
    }
    false
}

/// Whether the JIT may look inside `f` (the portal always qualifies).
pub fn look_inside(t: &Translation, f: FnId) -> bool {
    let def = t.prog.func(f);
    let Some(g) = &t.ll.graphs[f.0 as usize] else {
        return false;
    };
    if def.is_host || def.hints.elidable || def.hints.dont_look_inside {
        return false;
    }
    !has_loop(g) || def.hints.unroll_safe || Some(f) == portal(t)
}

/// The candidate graphs, portal first, then in discovery order.
pub fn candidates(t: &Translation) -> Vec<FnId> {
    let Some(p) = portal(t) else {
        return Vec::new();
    };
    let mut out = vec![p];
    let mut i = 0;
    while i < out.len() {
        let g = t.ll.graphs[out[i].0 as usize]
            .as_ref()
            .expect("candidate graph");
        for b in &g.blocks {
            for o in &b.ops {
                if let LlOp::Call(c) = o.op {
                    if !out.contains(&c) && look_inside(t, c) {
                        out.push(c);
                    }
                }
            }
        }
        i += 1;
    }
    out
}
