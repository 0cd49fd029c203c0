//! GC roots: which reference variables must be on the shadow stack during each collecting call.
//!
//! The collector is precise, non-moving, and finds roots on the shadow stack only. Across a
//! collecting operation — `Call { can_collect: true }`, `New`, and the `New`s a guard's failure
//! path makes for its virtuals — every reference variable that is used later must sit in a
//! shadow-stack slot: on the main path, a later operation's arguments, a later guard's
//! `fail_args`, delayed stores or virtuals' fields, or the final `Jump`/`Exit` (whose arguments
//! carry loop-carried values back to the top); on a guard's failure path, what the rest of that
//! path uses (later virtuals' fields, the delayed stores, the fail args). A backward scan of the
//! linear trace computes these sets. Values need no reload after the call (the collector does
//! not move objects), so slots are plain stores, reusable by the next call; the call's own
//! reference arguments are the callee's business (runtime ABI).

use std::collections::{BTreeSet, HashMap};
use vmkit_jit_ir::ops::Kind;
use vmkit_jit_ir::trace::{OpKind, Operand, Trace, Var};

/// Where a collecting operation is: `(op index, MAIN)` for an operation of the trace,
/// `(guard op index, j)` for the `j`-th virtual made by that guard's failure path.
pub(crate) type Site = (usize, usize);
pub(crate) const MAIN: usize = usize::MAX;

/// The result of the analysis.
#[derive(Debug, Default)]
pub(crate) struct Roots {
    /// Shadow-stack slots to reserve at entry: the largest live set of any collecting call.
    pub(crate) slots: usize,
    /// For each collecting operation, the reference variables live across it, in slot order.
    pub(crate) live: HashMap<Site, Vec<Var>>,
}

/// Whether `k` allocates or calls something that may collect.
pub(crate) fn collects(k: &OpKind) -> bool {
    matches!(
        k,
        OpKind::Call {
            can_collect: true,
            ..
        } | OpKind::New { .. }
            | OpKind::NewArray { .. }
    )
}

/// Computes the live references across every collecting operation of `t`.
pub(crate) fn analyze(t: &Trace) -> Roots {
    let mut roots = Roots::default();
    let mut live = BTreeSet::new();
    let is_ref = |v: Var| t.kinds.get(v as usize) == Some(&Kind::Ref);
    let refs = |ops: &mut dyn Iterator<Item = &Operand>, set: &mut BTreeSet<Var>| {
        for v in ops.filter_map(|o| Operand::as_var(*o)) {
            if is_ref(v) {
                set.insert(v);
            }
        }
    };
    let note = |roots: &mut Roots, site: Site, set: &BTreeSet<Var>| {
        if !set.is_empty() {
            roots.slots = roots.slots.max(set.len());
            roots.live.insert(site, set.iter().copied().collect());
        }
    };
    for (k, op) in t.ops.iter().enumerate().rev() {
        for r in &op.results {
            live.remove(r);
        }
        if collects(&op.kind) {
            note(&mut roots, (k, MAIN), &live);
        }
        if let OpKind::Guard {
            fail_args,
            stores,
            virtuals,
            ..
        } = &op.kind
        {
            // the failure path, backwards: fail args and stores, then the virtuals
            let mut fail = BTreeSet::new();
            refs(&mut fail_args.iter(), &mut fail);
            refs(
                &mut stores.iter().flat_map(|s| [&s.array, &s.index, &s.value]),
                &mut fail,
            );
            for (j, v) in virtuals.iter().enumerate().rev() {
                for r in &v.results {
                    fail.remove(r);
                }
                if collects(&v.kind) {
                    note(&mut roots, (k, j), &fail);
                }
                refs(&mut v.args.iter(), &mut fail);
            }
            live.extend(fail);
        }
        refs(&mut op.args.iter(), &mut live);
    }
    roots
}
