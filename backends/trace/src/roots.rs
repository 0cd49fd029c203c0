//! GC roots: which reference variables must be on the shadow stack during each collecting call.
//!
//! The collector is precise, non-moving, and finds roots on the shadow stack only. Across a
//! `Call { can_collect: true }`, every reference variable that is used later — by a later
//! operation's arguments, a later guard's `fail_args`, or the final `Jump`/`Exit` (whose
//! arguments carry loop-carried values back to the top) — must sit in a shadow-stack slot.
//! A backward scan of the linear trace computes these sets. Values need no reload after the
//! call (the collector does not move objects), so slots are plain stores, reusable by the next
//! call; the call's own reference arguments are the callee's business (runtime ABI).

use std::collections::{BTreeSet, HashMap};
use vmkit_jit_ir::ops::Kind;
use vmkit_jit_ir::trace::{OpKind, Operand, Trace, Var};

/// The result of the analysis.
#[derive(Debug, Default)]
pub(crate) struct Roots {
    /// Shadow-stack slots to reserve at entry: the largest live set of any collecting call.
    pub(crate) slots: usize,
    /// For each collecting call (by op index), the reference variables live across it, in
    /// slot order.
    pub(crate) live: HashMap<usize, Vec<Var>>,
}

/// Computes the live references across every collecting call of `t`.
pub(crate) fn analyze(t: &Trace) -> Roots {
    let mut roots = Roots::default();
    let mut live = BTreeSet::new();
    let is_ref = |v: Var| t.kinds.get(v as usize) == Some(&Kind::Ref);
    for (k, op) in t.ops.iter().enumerate().rev() {
        for r in &op.results {
            live.remove(r);
        }
        if let OpKind::Call {
            can_collect: true, ..
        } = op.kind
        {
            if !live.is_empty() {
                roots.slots = roots.slots.max(live.len());
                roots.live.insert(k, live.iter().copied().collect());
            }
        }
        let fail_args = match &op.kind {
            OpKind::Guard { fail_args, .. } => &fail_args[..],
            _ => &[],
        };
        for v in op
            .args
            .iter()
            .chain(fail_args)
            .filter_map(|o| Operand::as_var(*o))
        {
            if is_ref(v) {
                live.insert(v);
            }
        }
    }
    roots
}
