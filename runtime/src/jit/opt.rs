//! The basic trace optimizer, run on every trace before compilation.
//!
//! Constant folding, folding of `elidable` calls with constant arguments, `promote` and CSE of
//! pure operations already happen while the trace is recorded (see [`super::interp`]); this
//! pass adds what needs the whole trace:
//! - `guards`: a guard implied by an earlier one (same variable, same condition or value) is
//!   removed;
//! - `bounds`: guards that keep `base + k` (unsigned, 64-bit) below a constant or away from 0,
//!   for several offsets `k` of the same `base` (an interpreter's index moving step by step),
//!   are merged into one range check of `base` at the place of the first one: `base - lo <=
//!   hi - lo` (unsigned), which implies every one of them without wrap-around. Failing earlier
//!   than the original guards is sound: the merged guard resumes at the first one's snapshot,
//!   before any of the effects between them happened.
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
    if opts.bounds {
        merge_range_guards(t);
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
            OpKind::ArraySet {
                width: 1, word: 0, ..
            } => {
                let key = (op.args[0], op.args[1]);
                if let Some(j) = pending.insert(key, i) {
                    keep[j] = false;
                }
            }
            OpKind::ArrayLen
            | OpKind::StrLen
            | OpKind::StrByteAt
            | OpKind::GetField { .. }
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
    let keep: Vec<bool> = t
        .ops
        .iter()
        .map(|op| {
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
        })
        .collect();
    apply(t, &keep);
}

/// See the module documentation (`bounds`).
fn merge_range_guards(t: &mut Trace) {
    use vmkit_jit_ir::ops::IntTy;
    use vmkit_jit_ir::trace::Op;
    let unsigned64 = |it: IntTy| matches!(it, IntTy::U64 | IntTy::Usize);
    // var -> (base var, offset) through chains of `int_add(x, c)`
    let mut lin: HashMap<u32, (u32, i128)> = HashMap::new();
    let mut def: HashMap<u32, usize> = HashMap::new();
    for (i, op) in t.ops.iter().enumerate() {
        for r in &op.results {
            def.insert(*r, i);
        }
        if let (OpKind::IntBin(BinOp::Add, it), [Operand::Var(a), Operand::Int(c)], [r]) =
            (&op.kind, &op.args[..], &op.results[..])
        {
            if unsigned64(*it) {
                let (b, off) = lin.get(a).copied().unwrap_or((*a, 0));
                lin.insert(*r, (b, off + *c as i128));
            }
        }
    }
    const MAX: i128 = u64::MAX as i128;
    // base -> (lo, hi, guard op indices in order)
    let mut groups: HashMap<u32, (i128, i128, Vec<usize>)> = HashMap::new();
    for (i, op) in t.ops.iter().enumerate() {
        let OpKind::Guard { kind, .. } = &op.kind else {
            continue;
        };
        let Some(Operand::Var(c)) = op.args.first() else {
            continue;
        };
        let Some(&d) = def.get(c) else { continue };
        let cmp = &t.ops[d];
        let OpKind::IntCmp(cop, it) = cmp.kind else {
            continue;
        };
        if !unsigned64(it) {
            continue;
        }
        let (Operand::Var(x), Operand::Int(k)) = (cmp.args[0], cmp.args[1]) else {
            continue;
        };
        let (b, off) = lin.get(&x).copied().unwrap_or((x, 0));
        let k = k as u64 as i128;
        // the range of `b` this guard needs: `lo <= b <= hi` (true integers, no wrap)
        let (lo, hi) = match (kind, cop) {
            // x < k
            (GuardKind::False, BinOp::Ge) | (GuardKind::True, BinOp::Lt) => (-off, k - 1 - off),
            // x != 0
            (GuardKind::False, BinOp::Eq) | (GuardKind::True, BinOp::Ne) if k == 0 => {
                (1 - off, MAX - off)
            }
            _ => continue,
        };
        let g = groups.entry(b).or_insert((0, MAX, Vec::new()));
        g.0 = g.0.max(lo);
        g.1 = g.1.min(hi);
        g.2.push(i);
    }
    // first guard -> (base, lo, hi); other guards of the group are dropped
    let mut replace: HashMap<usize, (u32, i128, i128)> = HashMap::new();
    let mut drop: HashSet<usize> = HashSet::new();
    for (b, (lo, hi, idx)) in groups {
        if idx.len() < 2 || lo > hi || lo < 0 || hi > MAX {
            continue;
        }
        replace.insert(idx[0], (b, lo, hi));
        drop.extend(idx[1..].iter().copied());
    }
    if replace.is_empty() {
        return;
    }
    let ops = std::mem::take(&mut t.ops);
    let mut out = Vec::with_capacity(ops.len());
    let mut new_index = Vec::with_capacity(ops.len() + 1);
    for (i, op) in ops.into_iter().enumerate() {
        new_index.push(out.len());
        if drop.contains(&i) {
            continue;
        }
        if let Some(&(b, lo, hi)) = replace.get(&i) {
            let mut x = Operand::Var(b);
            if lo != 0 {
                let d = t.new_var(vmkit_jit_ir::ops::Kind::Int);
                out.push(Op {
                    kind: OpKind::IntBin(BinOp::Add, IntTy::U64),
                    args: vec![x, Operand::Int((-lo) as i64)],
                    results: vec![d],
                });
                x = Operand::Var(d);
            }
            let c = t.new_var(vmkit_jit_ir::ops::Kind::Int);
            out.push(Op {
                kind: OpKind::IntCmp(BinOp::Gt, IntTy::U64),
                args: vec![x, Operand::Int((hi - lo) as u64 as i64)],
                results: vec![c],
            });
            let OpKind::Guard {
                index, fail_args, ..
            } = op.kind
            else {
                unreachable!("a guard")
            };
            out.push(Op {
                kind: OpKind::Guard {
                    kind: GuardKind::False,
                    index,
                    fail_args,
                },
                args: vec![Operand::Var(c)],
                results: vec![],
            });
            continue;
        }
        out.push(op);
    }
    new_index.push(out.len());
    for c in t.comments.iter_mut() {
        c.0 = new_index[c.0.min(new_index.len() - 1)];
    }
    t.ops = out;
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

#[cfg(test)]
mod tests {
    use super::*;
    use vmkit_jit_ir::ops::{IntTy, Kind, Ty};
    use vmkit_jit_ir::trace::Op;

    fn all() -> Opts {
        Opts {
            fold: true,
            cse: true,
            guards: true,
            dce: true,
            bounds: true,
        }
    }

    struct B(Trace);

    impl B {
        fn new(inputs: &[Kind]) -> B {
            let mut t = Trace::default();
            for k in inputs {
                let v = t.new_var(*k);
                t.inputs.push(v);
            }
            B(t)
        }
        fn op(&mut self, kind: OpKind, args: Vec<Operand>, res: &[Kind]) -> Vec<Operand> {
            let rs: Vec<u32> = res.iter().map(|k| self.0.new_var(*k)).collect();
            self.0.ops.push(Op {
                kind,
                args,
                results: rs.clone(),
            });
            rs.into_iter().map(Operand::Var).collect()
        }
        fn guard(&mut self, kind: GuardKind, c: Operand, index: u32, fail: Vec<Operand>) {
            self.op(
                OpKind::Guard {
                    kind,
                    index,
                    fail_args: fail,
                },
                vec![c],
                &[],
            );
        }
        fn add(&mut self, x: Operand, c: i64) -> Operand {
            self.op(
                OpKind::IntBin(BinOp::Add, IntTy::Usize),
                vec![x, Operand::Int(c)],
                &[Kind::Int],
            )[0]
        }
        fn cmp(&mut self, op: BinOp, x: Operand, c: i64) -> Operand {
            self.op(
                OpKind::IntCmp(op, IntTy::Usize),
                vec![x, Operand::Int(c)],
                &[Kind::Int],
            )[0]
        }
    }

    fn names(t: &Trace) -> Vec<String> {
        t.ops
            .iter()
            .map(|o| vmkit_jit_ir::trace::op_name(&o.kind))
            .collect()
    }

    /// `>>>` then `<<<` on a tape index: six tape-end guards become one range check of the
    /// base, at the first guard's place and with its snapshot.
    #[test]
    fn range_guards_on_one_base_merge_into_one() {
        let mut b = B::new(&[Kind::Ref, Kind::Int]);
        let (tape, pos) = (Operand::Var(0), Operand::Var(1));
        let mut x = pos;
        for k in 0..3 {
            let y = b.add(x, 1);
            let c = b.cmp(BinOp::Ge, y, 30000);
            b.guard(GuardKind::False, c, k, vec![x, tape]);
            x = y;
        }
        for k in 3..6 {
            let c = b.cmp(BinOp::Eq, x, 0);
            b.guard(GuardKind::False, c, k, vec![x, tape]);
            x = b.add(x, -1);
        }
        b.op(OpKind::Jump, vec![tape, x], &[]);
        let mut t = b.0;
        t.verify().expect("valid before");
        optimize(&mut t, &all());
        t.verify().expect("valid after");
        let guards: Vec<&Op> = t
            .ops
            .iter()
            .filter(|o| matches!(o.kind, OpKind::Guard { .. }))
            .collect();
        assert_eq!(guards.len(), 1, "{t}");
        let OpKind::Guard { index, .. } = guards[0].kind else {
            unreachable!()
        };
        assert_eq!(
            index, 0,
            "the merged guard keeps the first guard's snapshot"
        );
        // pos + 3 < 30000 and pos + 1 != 0 (the `<` guards see pos+3, pos+2, pos+1):
        // 0 <= pos <= 29996
        assert!(t.to_string().contains("int_gt.u64(i1, 29996)"), "{t}");
        assert_eq!(
            names(&t).iter().filter(|n| n.starts_with("int_eq")).count(),
            0,
            "{t}"
        );
    }

    /// Guards on different bases, or a single guard, are left alone.
    #[test]
    fn single_range_guards_are_kept() {
        let mut b = B::new(&[Kind::Int, Kind::Int]);
        let (x, y) = (Operand::Var(0), Operand::Var(1));
        let c = b.cmp(BinOp::Ge, x, 10);
        b.guard(GuardKind::False, c, 0, vec![x]);
        let c = b.cmp(BinOp::Ge, y, 10);
        b.guard(GuardKind::False, c, 1, vec![y]);
        b.op(OpKind::Jump, vec![x, y], &[]);
        let mut t = b.0;
        let before = t.to_string();
        optimize(&mut t, &all());
        assert_eq!(
            t.count(|k| matches!(k, OpKind::Guard { .. })),
            2,
            "{before}\n{t}"
        );
    }

    /// A store overwritten before anything can observe it goes; one followed by a guard stays.
    #[test]
    fn dead_stores_and_observed_stores() {
        let mut b = B::new(&[Kind::Ref, Kind::Int, Kind::Int]);
        let (a, i, v) = (Operand::Var(0), Operand::Var(1), Operand::Var(2));
        let set = OpKind::ArraySet {
            width: 1,
            word: 0,
            ty: Ty::Int(IntTy::U8),
        };
        b.op(set.clone(), vec![a, i, v], &[]); // dead: overwritten below
        b.op(set.clone(), vec![a, i, Operand::Int(7)], &[]); // observed by the guard
        b.guard(GuardKind::True, v, 0, vec![a, i, v]);
        b.op(set.clone(), vec![a, i, Operand::Int(8)], &[]);
        b.op(OpKind::Jump, vec![a, i, v], &[]);
        let mut t = b.0;
        optimize(&mut t, &all());
        assert_eq!(t.count(|k| matches!(k, OpKind::ArraySet { .. })), 2, "{t}");
        assert!(t.to_string().contains("arrayset.u8[0/1](p0, i1, 7)"), "{t}");
    }

    /// A guard implied by an earlier one on the same value is removed; dead pure ops go.
    #[test]
    fn implied_guards_and_dead_code() {
        let mut b = B::new(&[Kind::Int]);
        let x = Operand::Var(0);
        let c = b.cmp(BinOp::Lt, x, 5);
        b.guard(GuardKind::True, c, 0, vec![x]);
        b.guard(GuardKind::True, c, 1, vec![x]);
        b.add(x, 3); // unused
        b.op(OpKind::Jump, vec![x], &[]);
        let mut t = b.0;
        optimize(&mut t, &all());
        assert_eq!(names(&t), vec!["int_lt.usize", "guard_true", "jump"], "{t}");
        // with the passes off nothing changes
        let mut b = B::new(&[Kind::Int]);
        let c = b.cmp(BinOp::Lt, x, 5);
        b.guard(GuardKind::True, c, 0, vec![x]);
        b.guard(GuardKind::True, c, 1, vec![x]);
        b.op(OpKind::Jump, vec![x], &[]);
        let mut t = b.0;
        let off = Opts {
            fold: false,
            cse: false,
            guards: false,
            dce: false,
            bounds: false,
        };
        optimize(&mut t, &off);
        assert_eq!(t.ops.len(), 4);
    }
}
