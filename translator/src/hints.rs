//! Checks on the JIT hints that need flow graphs: every value live across the
//! `jit_merge_point!` must be one of the driver's greens or reds (constants aside), because the
//! JIT rebuilds the interpreter's state at the merge point from exactly those variables.

use crate::diag::{DResult, Diagnostic};
use crate::flow::{HlGraph, HlOp, Var};
use crate::program::Program;
use crate::ty::Ty;
use std::collections::HashSet;

/// Checks the portal graph `g` (no-op for graphs without a merge point).
pub fn check_merge_point(prog: &Program, g: &HlGraph) -> DResult<()> {
    let Some((bi, k)) = g.blocks.iter().enumerate().find_map(|(bi, b)| {
        b.ops
            .iter()
            .position(|o| matches!(o.op, HlOp::JitMergePoint(_)))
            .map(|k| (bi, k))
    }) else {
        return Ok(());
    };
    let live_out = g.live_out();
    let block = &g.blocks[bi];
    let mut live = live_out[bi].clone();
    live.extend(block.exit.uses());
    for ins in block.ops[k + 1..].iter().rev() {
        ins.results.iter().for_each(|r| {
            live.remove(r);
        });
        live.extend(ins.args.iter().copied());
    }
    let mp = &block.ops[k];
    let allowed: HashSet<Var> = mp.args.iter().copied().collect();
    let constants: HashSet<Var> = g
        .blocks
        .iter()
        .flat_map(|b| b.ops.iter())
        .filter(|o| matches!(o.op, HlOp::Const(_)))
        .flat_map(|o| o.results.iter().copied())
        .collect();
    for v in live {
        if allowed.contains(&v) || constants.contains(&v) || matches!(g.ty(v), Ty::Unit | Ty::Never)
        {
            continue;
        }
        let name = g.var_names[v.0 as usize]
            .clone()
            .unwrap_or_else(|| format!("a value of type `{}`", prog.ty_str(g.ty(v))));
        return Err(Diagnostic::new(mp.loc, format!("`{name}` is live across `jit_merge_point!` but is neither a green nor a red"))
            .help("add it to the driver's reds (or greens, if it is constant for a given position in the user program), or recompute it inside the loop"));
    }
    Ok(())
}
