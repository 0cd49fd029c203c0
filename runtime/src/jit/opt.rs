//! The basic trace optimizer, run on every trace before compilation.
//!
//! Constant folding, folding of `elidable` calls with constant arguments, `promote` and CSE of
//! pure operations already happen while the trace is recorded (see [`super::interp`]); this
//! pass adds what needs the whole trace:
//! - `guards`: a guard implied by an earlier one (same variable, same condition or value) is
//!   removed;
//! - `dce`: operations that cannot fail and have no effect are removed when their results are
//!   unused (including by fail arguments and the final jump/exit); array stores overwritten
//!   before anything can observe them are removed.

use super::Opts;
use std::collections::{HashMap, HashSet};
use vmkit_jit_ir::ops::BinOp;
use vmkit_jit_ir::trace::{GuardKind, OpKind, Operand, Trace};

pub fn optimize(t: &mut Trace, opts: &Opts) {
    if opts.guards {
        remove_implied_guards(t);
    }
    if opts.dce {
        dead_stores(t);
        dead_code(t);
    }
}

/// A store to an array element overwritten by a later store to the same element, with nothing
/// that could observe memory in between (a load, a call, a guard, the end), is removed.
fn dead_stores(t: &mut Trace) {
    let mut keep = vec![true; t.ops.len()];
    let mut pending: HashMap<(Operand, Operand), usize> = HashMap::new();
    for (i, op) in t.ops.iter().enumerate() {
        match &op.kind {
            OpKind::ArraySet { width: 1, word: 0, .. } => {
                let key = (op.args[0], op.args[1]);
                if let Some(j) = pending.insert(key, i) {
                    keep[j] = false;
                }
            }
            OpKind::ArrayLen | OpKind::StrLen | OpKind::StrByteAt | OpKind::GetField { .. }
            | OpKind::SetField { .. } => {}
            k if removable(k) => {}
            _ => pending.clear(),
        }
    }
    apply(t, &keep);
}

fn remove_implied_guards(t: &mut Trace) {
    // var -> known (true/false) or known constant
    let mut known: HashMap<Operand, Operand> = HashMap::new();
    let keep: Vec<bool> = t.ops.iter().map(|op| {
        let OpKind::Guard { kind, .. } = &op.kind else {
            return true;
        };
        let (subject, fact) = match kind {
            GuardKind::True => (op.args[0], Operand::Int(1)),
            GuardKind::False => (op.args[0], Operand::Int(0)),
            GuardKind::Value => (op.args[0], op.args[1]),
        };
        match known.get(&subject) {
            Some(f) if *f == fact => false,
            Some(Operand::Int(x)) if *kind == GuardKind::True && *x != 0 => false,
            _ => {
                if *kind != GuardKind::True {
                    known.insert(subject, fact);
                } else {
                    known.entry(subject).or_insert(fact);
                }
                true
            }
        }
    }).collect();
    apply(t, &keep);
}

/// Keeps the ops whose `keep` is set, moving the comments along.
fn apply(t: &mut Trace, keep: &[bool]) {
    let mut new_index = Vec::with_capacity(keep.len() + 1);
    let mut n = 0;
    for k in keep {
        new_index.push(n);
        if *k {
            n += 1;
        }
    }
    new_index.push(n);
    for c in t.comments.iter_mut() {
        c.0 = new_index[c.0.min(keep.len())];
    }
    let mut i = 0;
    t.ops.retain(|_| {
        i += 1;
        keep[i - 1]
    });
}

/// Whether an operation can be dropped when its results are unused.
fn removable(k: &OpKind) -> bool {
    match k {
        OpKind::IntBin(op, _) => !matches!(op, BinOp::Div | BinOp::Rem),
        OpKind::IntCmp(..)
        | OpKind::IntOvf(..)
        | OpKind::IntNeg(_)
        | OpKind::IntNot(_)
        | OpKind::BoolBin(_)
        | OpKind::BoolNot
        | OpKind::FloatBin(_)
        | OpKind::FloatCmp(_)
        | OpKind::FloatNeg
        | OpKind::Cast(..)
        | OpKind::PtrEq
        | OpKind::PtrIsNull
        | OpKind::GetField { .. }
        | OpKind::ArrayLen
        | OpKind::StrLen => true,
        _ => false,
    }
}

fn dead_code(t: &mut Trace) {
    let mut used: HashSet<u32> = HashSet::new();
    let mut keep = vec![true; t.ops.len()];
    for (i, op) in t.ops.iter().enumerate().rev() {
        if removable(&op.kind) && op.results.iter().all(|r| !used.contains(r)) {
            keep[i] = false;
            continue;
        }
        for a in &op.args {
            if let Operand::Var(v) = a {
                used.insert(*v);
            }
        }
        if let OpKind::Guard { fail_args, .. } = &op.kind {
            for a in fail_args {
                if let Operand::Var(v) = a {
                    used.insert(*v);
                }
            }
        }
    }
    apply(t, &keep);
}
