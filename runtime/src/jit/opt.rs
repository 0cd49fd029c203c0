//! The basic trace optimizer, run on every trace before compilation.
//!
//! Constant folding, folding of `elidable` calls with constant arguments, `promote` and CSE of
//! pure operations already happen while the trace is recorded (see [`super::interp`]); this
//! pass adds what needs the whole trace:
//! - `intbounds` ([`super::intbounds`]): overflow checks and comparisons that integer ranges
//!   decide are removed or folded;
//! - `guards`: a guard implied by an earlier one (same variable, same condition or value) is
//!   removed;
//! - `bounds`: guards that keep `base + k` (unsigned, 64-bit) below a constant or away from 0,
//!   for several offsets `k` of the same `base` (an interpreter's index moving step by step),
//!   are merged into one range check of `base` at the place of the first one: `base - lo <=
//!   hi - lo` (unsigned), which implies every one of them without wrap-around. Failing earlier
//!   than the original guards is sound: the merged guard resumes at the first one's snapshot,
//!   before any of the effects between them happened.
//! - `peel` (`peel`): a loop gets a preamble (its first iteration) and a body for the following
//!   iterations in which invariant inputs are the preamble's values and heap locations (array
//!   elements, mutable fields) known at the end of an iteration are carried in loop variables
//!   (RPython's unrolling, simplified: only what the body itself keeps known is carried,
//!   checked to a fixpoint); a location the body leaves unchanged, or sets back to the
//!   constant it had at the end of the preamble, is that value in the body (no loop variable:
//!   checks of it fold). Immutable fields (`getfield_pure`) of invariant objects are read once,
//!   in the preamble. With an interpreter that promotes its stack pointer (see docs/dsl.md),
//!   this is what keeps a virtualizable frame's slots in registers.
//! - `cse`: pure operations repeated anywhere later in the trace (e.g. the body's copies of
//!   the preamble's loop-invariant computations) are shared.
//! - `dce`: operations that cannot fail and have no effect are removed when their results are
//!   unused (including by fail arguments and the final jump/exit); array stores overwritten
//!   before anything can observe them are removed.
//! - `stores` ([`sink_stores`], then [`lazy_stores`]): delayed stores. In a peeled
//!   loop's body, the stores of array elements and fields that the loop carries in loop
//!   variables or keeps constant (see `peel`) and that nothing else in the body can read are
//!   removed from the main path; each
//!   guard of the body does them when it fails (`Guard::stores`), so the loop runs on
//!   registers and memory is brought up to date only on the way out (PyPy keeps such stores
//!   pending until a guard too, but writes them at the end of every iteration). Anywhere in a
//!   trace, a store overwritten by a later one to the same element (or the same field of the
//!   same object) with only guards in between is done by those guards' failure paths instead
//!   (an unrolled `[-]`: one store instead of one per step; PyPy's lazy setfields put such
//!   stores in the resume data).
//! - `virtuals` ([`super::virtuals`], last): allocation removal.

use super::Opts;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use vmkit_jit_ir::ops::BinOp;
use vmkit_jit_ir::trace::{GuardKind, OpKind, Operand, Trace};

pub fn optimize(t: &mut Trace, opts: &Opts) {
    if opts.cse {
        cse(t);
    }
    if opts.intbounds {
        super::intbounds::run(t);
    }
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
    if opts.stores {
        sink_stores(t);
        lazy_stores(t);
    }
    if opts.virtuals {
        super::virtuals::run(t);
    }
}

/// Delayed overwritten stores (see the module documentation, `stores`): an array store
/// overwritten by a later store to the same element, or a field store overwritten by a later
/// store to the same field of the same object, with nothing but guards (and operations that
/// cannot observe the element or field: no call, no load of that field offset of any object)
/// in between, is removed, and each guard in between does it when it fails (`dead_stores`
/// removes such stores when there is no guard in between). Only stores to an element accessed before (so that removing one moves no bounds check);
/// the guards' other delayed stores are of elements no access in between may alias, so their
/// order does not matter.
fn lazy_stores(t: &mut Trace) {
    use vmkit_jit_ir::trace::DelayedStore;
    let lin = linear_forms(&t.ops);
    // elements accessed so far: (array, index)
    let mut seen: HashSet<(Operand, Operand)> = HashSet::default();
    // location -> (the pending store, the guards since)
    let mut pending: Vec<(Loc, usize, Vec<usize>)> = Vec::new();
    // (guard op, store op) pairs: the guard does the store on failure
    let mut delayed: Vec<(usize, usize)> = Vec::new();
    let mut keep = vec![true; t.ops.len()];
    for (i, op) in t.ops.iter().enumerate() {
        if let Some(key) = Loc::of(op) {
            let store = DelayedStore::of(op).is_some();
            if store {
                if let Some(p) = pending.iter().position(|(k, ..)| *k == key) {
                    let (_, st, guards) = pending.swap_remove(p);
                    keep[st] = false;
                    delayed.extend(guards.into_iter().map(|g| (g, st)));
                }
            }
            // (another object's field at the same offset may be the same field)
            pending.retain(|(k, ..)| !key.may_alias(*k, &lin));
            match key.index {
                Some(index) => {
                    if store && seen.contains(&(key.obj, index)) {
                        pending.push((key, i, Vec::new()));
                    }
                    seen.insert((key.obj, index));
                }
                None if store => pending.push((key, i, Vec::new())),
                None => {}
            }
            continue;
        }
        match &op.kind {
            OpKind::Guard { .. } => {
                for (.., guards) in pending.iter_mut() {
                    guards.push(i);
                }
            }
            OpKind::Call { .. }
            | OpKind::Label
            | OpKind::Jump
            | OpKind::Exit { .. }
            | OpKind::JumpTo { .. }
            | OpKind::Restart
            | OpKind::Bridge { .. } => pending.clear(),
            _ => {}
        }
    }
    if delayed.is_empty() {
        return;
    }
    // in program order of the stores, per guard
    delayed.sort_unstable();
    for (g, st) in delayed {
        let ds = DelayedStore::of(&t.ops[st]).expect("a store");
        if let OpKind::Guard { stores, .. } = &mut t.ops[g].kind {
            stores.push(ds);
        }
    }
    apply(t, &keep);
}

/// Delayed stores in a peeled loop's body (see the module documentation, `stores`).
///
/// A location (an array element's word, or a mutable field: [`Loc`]) is *sinkable* when its
/// key is the same in every iteration (names defined before the label), it is known at the
/// end of the preamble with the value of label argument `k` (so the label's result `e_k` is
/// its value at the top of every iteration), the body stores it and its last store is of jump
/// argument `k` (so the next iteration's `e_k` is its value again) — or it is known as a
/// constant that the body's last store stores again (`peel` made it that constant in the
/// body) — and nothing else in the body may touch it: no call, no access of another array
/// operand (it may be the same array), no access of the same array at an index that may be
/// the same, no access of the same field offset of another object, no load of it. Then memory
/// need not hold its value inside the loop at all: the body's stores of it are removed, and
/// every guard of the body does them on failure instead — the element's value at that guard
/// (`e_k` before the iteration's first store of it, the stored value after) — so whatever
/// runs after a failure (the blackhole interpreter, a bridge, a tree's segment) sees memory
/// as the interpreter would have left it. The preamble stores as before, so memory is right
/// at the label on entry; after a body iteration it may be stale, which only the failure
/// paths observe.
pub fn sink_stores(t: &mut Trace) {
    use vmkit_jit_ir::trace::DelayedStore;
    let Some(l) = t.ops.iter().position(|o| o.kind == OpKind::Label) else {
        return;
    };
    let n = t.ops.len();
    if t.ops[n - 1].kind != OpKind::Jump {
        return;
    }
    let body = l + 1..n - 1;
    if t.ops[body.clone()].iter().any(|o| {
        matches!(
            o.kind,
            OpKind::Call { .. }
                | OpKind::Exit { .. }
                | OpKind::JumpTo { .. }
                | OpKind::Restart
                | OpKind::Bridge { .. }
                | OpKind::Label
        )
    }) {
        return;
    }
    let lin = linear_forms(&t.ops);
    // known locations at the end of the preamble (as `heap_pass` tracks them)
    let mut facts: HeapFacts = Vec::new();
    for op in &t.ops[..l] {
        heap_step(&mut facts, op, &lin);
    }
    let (largs, lres) = (&t.ops[l].args, &t.ops[l].results);
    let jargs = &t.ops[n - 1].args;
    // names the body can use for a key: defined before the label (constants, inputs, preamble
    // results)
    let mut before: HashSet<u32> = t.inputs.iter().copied().collect();
    for op in &t.ops[..l] {
        before.extend(op.results.iter().copied());
    }
    let invariant = |o: Operand| match o {
        Operand::Var(v) => before.contains(&v),
        _ => true,
    };
    // sinkable locations: (location, its value at the start of the body, one of the body's
    // stores of it as a delayed store)
    let mut sink: Vec<(Loc, Operand, DelayedStore)> = Vec::new();
    for (key, v) in &facts {
        if key.map(|o| invariant(o).then_some(o)).is_none() {
            continue;
        }
        let mut last: Option<DelayedStore> = None;
        let mut ok = true;
        for op in &t.ops[body.clone()] {
            let Some(k2) = Loc::of(op) else { continue };
            match DelayedStore::of(op) {
                Some(st) if k2 == *key => last = Some(st),
                _ => ok &= k2 != *key && !key.may_alias(k2, &lin),
            }
        }
        let (Some(store), true) = (last, ok) else {
            continue;
        };
        let last = store.value;
        // the body starts with the location's value in a loop variable, or with the constant
        // it keeps (see `peel`)
        let init = if v.is_const() && last == *v {
            Some(*v)
        } else {
            (0..largs.len())
                .find(|&k| largs[k] == *v && jargs.get(k) == Some(&last))
                .map(|k| Operand::Var(lres[k]))
        };
        if let Some(init) = init {
            if !sink.iter().any(|(kk, ..)| kk == key) {
                sink.push((*key, init, store));
            }
        }
    }
    if sink.is_empty() {
        return;
    }
    let mut cur: Vec<Operand> = sink.iter().map(|(_, init, ..)| *init).collect();
    let mut keep = vec![true; n];
    for (i, op) in t.ops.iter_mut().enumerate().take(n - 1).skip(l + 1) {
        if let (Some(key), Some(st)) = (Loc::of(op), DelayedStore::of(op)) {
            if let Some(s) = sink.iter().position(|(k, ..)| *k == key) {
                cur[s] = st.value;
                keep[i] = false;
            }
        }
        if let OpKind::Guard { stores, .. } = &mut op.kind {
            stores.extend(sink.iter().zip(&cur).map(|((_, _, st), v)| DelayedStore {
                value: *v,
                ..st.clone()
            }));
        }
    }
    apply(t, &keep);
}

/// A store to an array element overwritten by a later store to the same element, with nothing
/// that could observe memory in between (a load, a call, a guard, the end), is removed.
fn dead_stores(t: &mut Trace) {
    let mut keep = vec![true; t.ops.len()];
    // (array, index, word) -> the pending store
    let mut pending: HashMap<(Operand, Operand, u32), usize> = HashMap::default();
    // (object, field offset) -> the pending store
    let mut fields: HashMap<(Operand, u32), usize> = HashMap::default();
    for (i, op) in t.ops.iter().enumerate() {
        match &op.kind {
            OpKind::ArraySet { word, .. } => {
                let key = (op.args[0], op.args[1], *word);
                if let Some(j) = pending.insert(key, i) {
                    keep[j] = false;
                }
            }
            OpKind::SetField { offset, .. } => {
                if let Some(j) = fields.insert((op.args[0], *offset), i) {
                    keep[j] = false;
                }
            }
            OpKind::GetField { offset, .. } => {
                // A load of this field of any object (it may be the stored one) observes it.
                fields.retain(|(_, off), _| off != offset);
            }
            OpKind::ArrayLen | OpKind::StrLen | OpKind::StrByteAt => {}
            k if removable(k) => {}
            _ => {
                pending.clear();
                fields.clear();
            }
        }
    }
    apply(t, &keep);
}

fn remove_implied_guards(t: &mut Trace) {
    // var -> known (true/false) or known constant
    let mut known: HashMap<Operand, Operand> = HashMap::default();
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
            // a guard on a constant that holds (loop peeling substitutes constants)
            let holds = match (kind, subject) {
                (GuardKind::True, Operand::Int(x)) => x != 0,
                (GuardKind::False, Operand::Int(x)) => x == 0,
                (GuardKind::Value, s) => s.is_const() && s == fact,
                _ => false,
            };
            if holds {
                return false;
            }
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

/// Whether two uses of the operation with the same arguments give the same results anywhere
/// later in the trace (no memory it reads can change).
fn cse_able(k: &OpKind) -> bool {
    !matches!(k, OpKind::GetField { pure: false, .. })
        && (removable(k) || matches!(k, OpKind::StrByteAt))
}

/// Common-subexpression elimination of pure operations over the whole trace (the recorder does
/// it while recording; this pass also catches the copies loop peeling makes).
fn cse(t: &mut Trace) {
    let mut seen: HashMap<(OpKind, Vec<Operand>), Vec<u32>> = HashMap::default();
    let mut subst: HashMap<u32, Operand> = HashMap::default();
    let mut keep = vec![true; t.ops.len()];
    for (i, op) in t.ops.iter_mut().enumerate() {
        substitute(op, &subst);
        if !cse_able(&op.kind) {
            continue;
        }
        match seen.get(&(op.kind.clone(), op.args.clone())) {
            Some(rs) => {
                for (r, e) in op.results.iter().zip(rs) {
                    subst.insert(*r, Operand::Var(*e));
                }
                keep[i] = false;
            }
            None => {
                seen.insert((op.kind.clone(), op.args.clone()), op.results.clone());
            }
        }
    }
    apply(t, &keep);
}

pub(super) fn substitute(op: &mut vmkit_jit_ir::trace::Op, subst: &HashMap<u32, Operand>) {
    if subst.is_empty() {
        return;
    }
    let sub = |o: &mut Operand| {
        if let Operand::Var(v) = o {
            if let Some(n) = subst.get(v) {
                *o = *n;
            }
        }
    };
    op.args.iter_mut().for_each(sub);
    if let OpKind::Guard {
        fail_args,
        stores,
        virtuals,
        ..
    } = &mut op.kind
    {
        fail_args.iter_mut().for_each(sub);
        for st in stores.iter_mut() {
            sub(&mut st.array);
            sub(&mut st.index);
            sub(&mut st.value);
        }
        for v in virtuals.iter_mut() {
            v.args.iter_mut().for_each(sub);
        }
    }
}

/// `var -> (base, offset)` for chains of `int_add(x, c)` on 64-bit unsigned integers.
fn linear_forms(ops: &[vmkit_jit_ir::trace::Op]) -> HashMap<u32, (u32, i128)> {
    use vmkit_jit_ir::ops::IntTy;
    let mut lin: HashMap<u32, (u32, i128)> = HashMap::default();
    for op in ops {
        match (&op.kind, &op.args[..], &op.results[..]) {
            (OpKind::IntBin(BinOp::Add, it), [Operand::Var(a), Operand::Int(c)], [r]) => {
                let (b, off) = lin.get(a).copied().unwrap_or((*a, 0));
                // Offsets in the signed reading of the type (`x + (-1)` is `x - 1`).
                let c = match it {
                    IntTy::Usize | IntTy::U64 | IntTy::I64 => *c as i64 as i128,
                    _ => *c as i128,
                };
                lin.insert(*r, (b, off + c));
            }
            // Integer casts keep the form (indexes are `x as usize` of `i64` arithmetic).
            (
                OpKind::Cast(vmkit_jit_ir::ops::Ty::Int(_), vmkit_jit_ir::ops::Ty::Int(_)),
                [Operand::Var(a)],
                [r],
            ) => {
                let f = lin.get(a).copied().unwrap_or((*a, 0));
                lin.insert(*r, f);
            }
            _ => {}
        }
    }
    lin
}

/// Whether two array indices are known to differ.
fn indices_differ(lin: &HashMap<u32, (u32, i128)>, a: Operand, b: Operand) -> bool {
    let form = |o: Operand| match o {
        Operand::Var(v) => Some(lin.get(&v).copied().unwrap_or((v, 0))),
        _ => None,
    };
    match (a, b) {
        (Operand::Int(x), Operand::Int(y)) => x != y,
        _ => match (form(a), form(b)) {
            (Some((ba, oa)), Some((bb, ob))) => ba == bb && oa != ob && (oa - ob).abs() < (1 << 31),
            _ => false,
        },
    }
}

/// A heap location the loop optimizations track: word `word` of element `index` of the
/// `GcArray` `obj`, or (`index: None`) the mutable field at offset `word` of the object `obj`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
struct Loc {
    obj: Operand,
    index: Option<Operand>,
    word: u32,
}

impl Loc {
    /// The location an op loads or stores (immutable fields are left to CSE).
    fn of(op: &vmkit_jit_ir::trace::Op) -> Option<Loc> {
        match &op.kind {
            OpKind::ArrayGet { word, .. } | OpKind::ArraySet { word, .. } => Some(Loc {
                obj: op.args[0],
                index: Some(op.args[1]),
                word: *word,
            }),
            OpKind::GetField {
                offset,
                pure: false,
                ..
            }
            | OpKind::SetField { offset, .. } => Some(Loc {
                obj: op.args[0],
                index: None,
                word: *offset,
            }),
            _ => None,
        }
    }

    /// The same location named through `f` (None when `f` cannot name a part).
    fn map(self, f: impl Fn(Operand) -> Option<Operand>) -> Option<Loc> {
        Some(Loc {
            obj: f(self.obj)?,
            index: match self.index {
                Some(i) => Some(f(i)?),
                None => None,
            },
            word: self.word,
        })
    }

    /// Whether a store to `self` may change `other` (another name of the same object or array
    /// element: the same field offset of any object, an index not known to differ).
    fn may_alias(self, other: Loc, lin: &HashMap<u32, (u32, i128)>) -> bool {
        match (self.index, other.index) {
            (None, None) => self.word == other.word,
            (Some(i), Some(j)) => {
                self.obj != other.obj
                    || (!indices_differ(lin, i, j) && (i != j || self.word == other.word))
            }
            _ => false,
        }
    }
}

/// Known heap locations -> their values.
type HeapFacts = Vec<(Loc, Operand)>;

/// Tracks `op`'s effect on the known locations `facts`; for a load of a known location, returns
/// its value (and learns nothing).
fn heap_step(
    facts: &mut HeapFacts,
    op: &vmkit_jit_ir::trace::Op,
    lin: &HashMap<u32, (u32, i128)>,
) -> Option<Operand> {
    match &op.kind {
        OpKind::ArrayGet { .. } | OpKind::GetField { pure: false, .. } => {
            let key = Loc::of(op).expect("a load");
            if let Some((_, v)) = facts.iter().find(|(k, _)| *k == key) {
                return Some(*v);
            }
            facts.push((key, Operand::Var(op.results[0])));
        }
        OpKind::ArraySet { .. } | OpKind::SetField { .. } => {
            let key = Loc::of(op).expect("a store");
            // other words of the same element stay known; anything that may alias goes
            facts.retain(|(k, _)| !key.may_alias(*k, lin));
            let v = op.args[if key.index.is_some() { 2 } else { 1 }];
            facts.push((key, v));
        }
        OpKind::Call { .. } => facts.clear(),
        _ => {}
    }
    None
}

/// Forward pass over `ops` with known heap locations `facts`: loads of known locations are
/// removed (their results substituted); returns the facts at the end.
fn heap_pass(
    ops: &mut Vec<vmkit_jit_ir::trace::Op>,
    mut facts: HeapFacts,
    lin: &HashMap<u32, (u32, i128)>,
) -> HeapFacts {
    let mut subst: HashMap<u32, Operand> = HashMap::default();
    let mut out = Vec::with_capacity(ops.len());
    for mut op in std::mem::take(ops) {
        substitute(&mut op, &subst);
        if let Some(v) = heap_step(&mut facts, &op, lin) {
            subst.insert(op.results[0], v);
            continue;
        }
        out.push(op);
    }
    *ops = out;
    facts
}

/// Loop peeling. A loop trace (inputs `I`, ops, `jump(J)`) becomes: the ops once (the
/// preamble, with their guards and snapshots), `label`, a copy of the ops for the following
/// iterations, `jump`. In the copy:
/// - inputs passed unchanged to the next iteration (`J[x] == I[x]`) are the preamble's values
///   (loop-invariant), so CSE, implied-guard removal and range-guard merging drop the checks the
///   preamble already made on them;
/// - array elements known at the end of an iteration (loaded or stored at indices the next
///   iteration can name) are carried in loop variables instead of being reloaded, as long as
///   the copy keeps them known to its end; an element the copy only reads is loop-invariant:
///   the copy uses the preamble's value (no loop variable), so the checks the preamble made on
///   it (e.g. a guard on a flag cell) are dropped from the body.
///
/// `new_guard(i)` gives the index for the copy of guard `i` (the runtime clones its snapshot).
pub fn peel(t: &mut Trace, new_guard: &mut dyn FnMut(u32) -> u32) {
    use vmkit_jit_ir::trace::Op;
    let Some(last) = t.ops.last() else { return };
    if last.kind != OpKind::Jump || t.ops.iter().any(|o| o.kind == OpKind::Label) {
        return;
    }
    let jump = t.ops.pop().expect("jump").args;
    let inputs = t.inputs.clone();
    let lin_pre = linear_forms(&t.ops);
    let mut pre = t.ops.clone();
    let pre_end = heap_pass(&mut pre, Vec::new(), &lin_pre);
    let invariant: Vec<bool> = inputs
        .iter()
        .zip(&jump)
        .map(|(v, j)| *j == Operand::Var(*v))
        .collect();
    // loop variables for the non-invariant inputs
    let mut loop_var: HashMap<u32, Operand> = HashMap::default(); // input -> its name in the copy
    let mut label_args = Vec::new();
    let mut label_res = Vec::new();
    let mut jump_idx = Vec::new();
    for (x, v) in inputs.iter().enumerate() {
        if invariant[x] {
            loop_var.insert(*v, Operand::Var(*v));
        } else if jump[x].is_const() {
            // every later iteration starts with this constant
            loop_var.insert(*v, jump[x]);
        } else {
            let l = t.new_var(t.kinds[*v as usize]);
            loop_var.insert(*v, Operand::Var(l));
            label_args.push(jump[x]);
            label_res.push(l);
            jump_idx.push(x);
        }
    }
    // loop-invariant values: invariant inputs and pure results computed from them only
    let mut inv: HashSet<u32> = inputs
        .iter()
        .zip(&invariant)
        .filter(|(_, i)| **i)
        .map(|(v, _)| *v)
        .collect();
    for op in &t.ops {
        if cse_able(&op.kind)
            && op.args.iter().all(|a| match a {
                Operand::Var(v) => inv.contains(v),
                _ => true,
            })
        {
            inv.extend(op.results.iter().copied());
        }
    }
    let is_inv = |o: Operand| match o {
        Operand::Var(v) => inv.contains(&v),
        _ => true,
    };
    // the name, at the start of the copy, of a value known at the end of the preamble
    let at_start = |o: Operand| -> Option<Operand> {
        if is_inv(o) {
            return Some(o);
        }
        jump.iter()
            .position(|j| *j == o)
            .map(|x| loop_var[&inputs[x]])
    };
    // candidate facts: (key at the start of the copy, value at the end of the preamble)
    let mut facts: HeapFacts = pre_end
        .iter()
        .filter_map(|(k, v)| Some((k.map(at_start)?, *v)))
        .collect();
    let subst_in: HashMap<u32, Operand> = loop_var
        .iter()
        .filter(|(v, n)| Operand::Var(**v) != **n)
        .map(|(v, n)| (*v, *n))
        .collect();
    // iterate until every carried fact also holds at the end of the copy
    for _ in 0..8 {
        let kinds_before = t.kinds.len();
        let fact_vars: Vec<u32> = facts
            .iter()
            .map(|(_, v)| t.new_var(t.kind_of(*v)))
            .collect();
        let mut body: Vec<Op> = Vec::with_capacity(t.ops.len());
        // fresh names for the copy's own results
        let mut rename: HashMap<u32, Operand> = subst_in.clone();
        for op in &t.ops {
            if cse_able(&op.kind) && op.results.iter().all(|r| inv.contains(r)) {
                // computed once, in the preamble
                continue;
            }
            let mut op = op.clone();
            substitute(&mut op, &rename);
            for r in op.results.iter_mut() {
                let n = t.kinds.len() as u32;
                t.kinds.push(t.kinds[*r as usize]);
                rename.insert(*r, Operand::Var(n));
                *r = n;
            }
            body.push(op);
        }
        let lin = linear_forms(&[&t.ops[..], &body[..]].concat());
        let start: HeapFacts = facts
            .iter()
            .zip(&fact_vars)
            .map(|((k, _), e)| (*k, Operand::Var(*e)))
            .collect();
        let body_end = heap_pass(&mut body, start, &lin);
        let mut body_jump: Vec<Operand> = jump.clone();
        for j in body_jump.iter_mut() {
            if let Operand::Var(v) = j {
                if let Some(n) = rename.get(v) {
                    *j = *n;
                }
            }
        }
        // a fact holds at the end when the copy's end knows the element at the key's
        // next-iteration position
        let at_end = |o: Operand| -> Option<Operand> {
            if is_inv(o) {
                return Some(o);
            }
            let x = inputs.iter().position(|v| loop_var[v] == o)?;
            Some(body_jump[x])
        };
        let mut carried = Vec::new();
        let mut all = true;
        for (k, _) in &facts {
            let end = k.map(at_end);
            match end.and_then(|k| body_end.iter().find(|(kk, _)| *kk == k).map(|(_, w)| *w)) {
                Some(w) => carried.push(w),
                None => all = false,
            }
        }
        if !all {
            // drop the facts that do not survive and try again
            let keep: Vec<bool> = facts
                .iter()
                .map(|(k, _)| {
                    k.map(at_end)
                        .is_some_and(|k| body_end.iter().any(|(kk, _)| *kk == k))
                })
                .collect();
            let mut k = 0;
            facts.retain(|_| {
                k += 1;
                keep[k - 1]
            });
            t.kinds.truncate(kinds_before);
            continue;
        }
        // a location the copy passes on unchanged (read, never written), or sets to the
        // constant it had at the end of the preamble, keeps that value at the start of every
        // iteration: the copy uses the preamble's value, so that CSE, folding and implied-guard
        // removal drop the copy's checks of it (e.g. the type tag of a local that the loop
        // keeps an int), and it is not a loop variable
        let invariant_elems: HashMap<u32, Operand> = facts
            .iter()
            .zip(&fact_vars)
            .zip(&carried)
            .filter(|(((_, v), e), c)| **c == Operand::Var(**e) || (c.is_const() && *c == v))
            .map(|(((_, v), e), _)| (*e, *v))
            .collect();
        // assemble: preamble, label, copy, jump
        for op in body.iter_mut() {
            substitute(op, &invariant_elems);
            if let OpKind::Guard { index, .. } = &mut op.kind {
                *index = new_guard(*index);
            }
        }
        let mut ops = std::mem::take(&mut t.ops);
        let mut largs = label_args.clone();
        let mut lres = label_res.clone();
        let mut jargs: Vec<Operand> = jump_idx.iter().map(|x| body_jump[*x]).collect();
        for (((_, v), e), c) in facts.iter().zip(&fact_vars).zip(&carried) {
            if !invariant_elems.contains_key(e) {
                largs.push(*v);
                lres.push(*e);
                jargs.push(*c);
            }
        }
        ops.push(Op {
            kind: OpKind::Label,
            args: largs,
            results: lres,
        });
        ops.extend(body);
        ops.push(Op {
            kind: OpKind::Jump,
            args: jargs,
            results: vec![],
        });
        t.ops = ops;
        return;
    }
    // no fixpoint: leave the loop as it was
    t.ops.push(Op {
        kind: OpKind::Jump,
        args: jump,
        results: vec![],
    });
}

/// See the module documentation (`bounds`).
fn merge_range_guards(t: &mut Trace) {
    use vmkit_jit_ir::ops::IntTy;
    use vmkit_jit_ir::trace::Op;
    let unsigned64 = |it: IntTy| matches!(it, IntTy::U64 | IntTy::Usize);
    // var -> (base var, offset) through chains of `int_add(x, c)`
    let mut lin: HashMap<u32, (u32, i128)> = HashMap::default();
    let mut def: HashMap<u32, usize> = HashMap::default();
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
    let mut groups: HashMap<u32, (i128, i128, Vec<usize>)> = HashMap::default();
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
    let mut replace: HashMap<usize, (u32, i128, i128)> = HashMap::default();
    let mut drop: HashSet<usize> = HashSet::default();
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
                index,
                fail_args,
                stores,
                virtuals,
                ..
            } = op.kind
            else {
                unreachable!("a guard")
            };
            out.push(Op {
                kind: OpKind::Guard {
                    kind: GuardKind::False,
                    index,
                    fail_args,
                    stores,
                    virtuals,
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
pub(super) fn apply(t: &mut Trace, keep: &[bool]) {
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
    let mut used: HashSet<u32> = HashSet::default();
    let mut keep = vec![true; t.ops.len()];
    for (i, op) in t.ops.iter().enumerate().rev() {
        if removable(&op.kind) && op.results.iter().all(|r| !used.contains(r)) {
            keep[i] = false;
            continue;
        }
        used.extend(op.uses().filter_map(|a| a.as_var()));
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
            intbounds: true,
            guards: true,
            dce: true,
            bounds: true,
            peel: true,
            trees: true,
            stores: true,
            virtuals: true,
        }
    }

    /// Every pass but delayed stores (to see what peeling leaves in the body).
    fn no_stores() -> Opts {
        Opts {
            stores: false,
            ..all()
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
                    stores: Vec::new(),
                    virtuals: Vec::new(),
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
            intbounds: false,
            guards: false,
            dce: false,
            bounds: false,
            peel: false,
            trees: false,
            stores: false,
            virtuals: false,
        };
        optimize(&mut t, &off);
        assert_eq!(t.ops.len(), 4);
    }

    /// `a[i] += 1` while it is non-zero, `i` and `a` loop-invariant: peeling leaves the body
    /// with the element in a loop variable (a store, no load), the copied guard with a new
    /// index, and the constant step folded in.
    #[test]
    fn peeling_carries_array_elements_and_invariants() {
        let mut b = B::new(&[Kind::Ref, Kind::Int, Kind::Int]);
        let (a, i, n) = (Operand::Var(0), Operand::Var(1), Operand::Var(2));
        let ty = Ty::Int(IntTy::U8);
        let x = b.op(
            OpKind::ArrayGet {
                width: 1,
                word: 0,
                ty,
            },
            vec![a, i],
            &[Kind::Int],
        )[0];
        let y = b.op(
            OpKind::IntBin(BinOp::Add, IntTy::U8),
            vec![x, Operand::Int(1)],
            &[Kind::Int],
        )[0];
        b.op(
            OpKind::ArraySet {
                width: 1,
                word: 0,
                ty,
            },
            vec![a, i, y],
            &[],
        );
        let c = b.op(
            OpKind::IntCmp(BinOp::Ne, IntTy::U8),
            vec![y, Operand::Int(0)],
            &[Kind::Int],
        )[0];
        b.guard(GuardKind::True, c, 0, vec![a, i, n]);
        let n2 = b.add(n, 1);
        b.op(OpKind::Jump, vec![a, i, n2], &[]);
        let mut t = b.0;
        let mut copies = Vec::new();
        peel(&mut t, &mut |g| {
            copies.push(g);
            7
        });
        optimize(&mut t, &no_stores());
        t.verify().unwrap_or_else(|e| panic!("{e}\n{t}"));
        let label = t
            .ops
            .iter()
            .position(|o| o.kind == OpKind::Label)
            .expect("label");
        let body = &t.ops[label + 1..];
        let n_of = |f: &dyn Fn(&OpKind) -> bool| body.iter().filter(|o| f(&o.kind)).count();
        assert_eq!(n_of(&|k| matches!(k, OpKind::ArrayGet { .. })), 0, "{t}");
        assert_eq!(n_of(&|k| matches!(k, OpKind::ArraySet { .. })), 1, "{t}");
        assert_eq!(copies, vec![0], "the body's guard is a copy of guard 0");
        assert!(
            body.iter()
                .any(|o| matches!(o.kind, OpKind::Guard { index: 7, .. })),
            "{t}"
        );
        // a and i are invariant: only n and the element are loop variables
        assert_eq!(t.ops[label].results.len(), 2, "{t}");
    }
    /// `while a[i+5] != 0 { a[i] += 1; if a[i] == 0 break }`, `i` invariant: `a[i+5]` (a flag
    /// the loop only reads) is loop-invariant, so the body neither reloads it, nor carries it
    /// in a loop variable, nor checks it again: one store, one guard (on `a[i]`).
    #[test]
    fn peeling_drops_checks_of_elements_the_loop_only_reads() {
        let mut b = B::new(&[Kind::Ref, Kind::Int]);
        let (a, i) = (Operand::Var(0), Operand::Var(1));
        let ty = Ty::Int(IntTy::U8);
        let get = OpKind::ArrayGet {
            width: 1,
            word: 0,
            ty,
        };
        let j = b.add(i, 5);
        let f = b.op(get.clone(), vec![a, j], &[Kind::Int])[0];
        let c = b.op(
            OpKind::IntCmp(BinOp::Ne, IntTy::U8),
            vec![f, Operand::Int(0)],
            &[Kind::Int],
        )[0];
        b.guard(GuardKind::True, c, 0, vec![a, i]);
        let x = b.op(get, vec![a, i], &[Kind::Int])[0];
        let y = b.op(
            OpKind::IntBin(BinOp::Add, IntTy::U8),
            vec![x, Operand::Int(1)],
            &[Kind::Int],
        )[0];
        b.op(
            OpKind::ArraySet {
                width: 1,
                word: 0,
                ty,
            },
            vec![a, i, y],
            &[],
        );
        let c2 = b.op(
            OpKind::IntCmp(BinOp::Ne, IntTy::U8),
            vec![y, Operand::Int(0)],
            &[Kind::Int],
        )[0];
        b.guard(GuardKind::True, c2, 1, vec![a, i]);
        b.op(OpKind::Jump, vec![a, i], &[]);
        let mut t = b.0;
        let mut next = 10;
        peel(&mut t, &mut |_| {
            next += 1;
            next
        });
        optimize(&mut t, &no_stores());
        t.verify().unwrap_or_else(|e| panic!("{e}\n{t}"));
        let label = t
            .ops
            .iter()
            .position(|o| o.kind == OpKind::Label)
            .expect("label");
        let body = &t.ops[label + 1..];
        let n_of = |f: &dyn Fn(&OpKind) -> bool| body.iter().filter(|o| f(&o.kind)).count();
        assert_eq!(n_of(&|k| matches!(k, OpKind::ArrayGet { .. })), 0, "{t}");
        assert_eq!(n_of(&|k| matches!(k, OpKind::ArraySet { .. })), 1, "{t}");
        assert_eq!(n_of(&|k| matches!(k, OpKind::Guard { .. })), 1, "{t}");
        assert_eq!(n_of(&|k| matches!(k, OpKind::IntCmp(..))), 1, "{t}");
        // only a[i] is a loop variable
        assert_eq!(t.ops[label].results.len(), 1, "{t}");
        assert_eq!(t.ops.last().map(|o| o.args.len()), Some(1), "{t}");
    }

    /// `a[i] += 1` then `b[j]` read (or a call) in a loop whose exit tests `a[i]`, `i`
    /// invariant; `extra` adds the access that may alias `a[i]` (`None`: nothing).
    fn counting_loop(extra: Option<OpKind>) -> Trace {
        let mut b = B::new(&[Kind::Ref, Kind::Int, Kind::Ref]);
        let (a, i, other) = (Operand::Var(0), Operand::Var(1), Operand::Var(2));
        let ty = Ty::Int(IntTy::U8);
        let x = b.op(
            OpKind::ArrayGet {
                width: 1,
                word: 0,
                ty,
            },
            vec![a, i],
            &[Kind::Int],
        )[0];
        let y = b.op(
            OpKind::IntBin(BinOp::Add, IntTy::U8),
            vec![x, Operand::Int(1)],
            &[Kind::Int],
        )[0];
        b.op(
            OpKind::ArraySet {
                width: 1,
                word: 0,
                ty,
            },
            vec![a, i, y],
            &[],
        );
        match extra {
            Some(k @ OpKind::ArrayGet { .. }) => {
                b.op(k, vec![other, Operand::Int(3)], &[Kind::Int]);
            }
            Some(k) => {
                b.op(k, vec![], &[]);
            }
            None => {}
        }
        let c = b.op(
            OpKind::IntCmp(BinOp::Ne, IntTy::U8),
            vec![y, Operand::Int(0)],
            &[Kind::Int],
        )[0];
        b.guard(GuardKind::True, c, 0, vec![a, i]);
        b.op(OpKind::Jump, vec![a, i, other], &[]);
        let mut t = b.0;
        let mut next = 10;
        peel(&mut t, &mut |_| {
            next += 1;
            next
        });
        optimize(&mut t, &all());
        t.verify().unwrap_or_else(|e| panic!("{e}\n{t}"));
        t
    }

    fn body(t: &Trace) -> &[vmkit_jit_ir::trace::Op] {
        let label = t
            .ops
            .iter()
            .position(|o| o.kind == OpKind::Label)
            .expect("label");
        &t.ops[label + 1..]
    }

    /// The body's store of the element it carries moves into its guard's failure path, with
    /// the value stored in that iteration; the preamble still stores.
    #[test]
    fn delayed_stores_leave_the_loop_body_for_its_guards() {
        let t = counting_loop(None);
        let body = body(&t);
        assert!(
            !body
                .iter()
                .any(|o| matches!(o.kind, OpKind::ArraySet { .. })),
            "{t}"
        );
        let label = t.ops.iter().position(|o| o.kind == OpKind::Label).unwrap();
        assert!(
            t.ops[..label]
                .iter()
                .any(|o| matches!(o.kind, OpKind::ArraySet { .. })),
            "{t}"
        );
        let add = body
            .iter()
            .find(|o| matches!(o.kind, OpKind::IntBin(..)))
            .expect("the body's add")
            .results[0];
        let stores: Vec<_> = body
            .iter()
            .filter_map(|o| match &o.kind {
                OpKind::Guard { stores, .. } => Some(stores.clone()),
                _ => None,
            })
            .collect();
        assert_eq!(stores.len(), 1, "{t}");
        assert_eq!(stores[0].len(), 1, "{t}");
        let st = &stores[0][0];
        assert_eq!(
            (st.array, st.index, st.value),
            (Operand::Var(0), Operand::Var(1), Operand::Var(add)),
            "{t}"
        );
        // the jump carries the same value
        assert_eq!(t.ops.last().unwrap().args, vec![Operand::Var(add)], "{t}");
        assert!(
            t.to_string()
                .contains("delayed {arrayset.u8[0/1](p0, i1, i"),
            "{t}"
        );
    }

    /// A load from another array (maybe the same one) or a call in the body keeps the store.
    #[test]
    fn no_delayed_stores_when_the_body_may_observe_the_element() {
        let get = OpKind::ArrayGet {
            width: 1,
            word: 0,
            ty: Ty::Int(IntTy::U8),
        };
        let call = OpKind::Call {
            helper: 0,
            args: vec![],
            results: vec![],
            can_collect: false,
        };
        for extra in [get, call] {
            let t = counting_loop(Some(extra));
            let body = body(&t);
            assert!(
                body.iter()
                    .any(|o| matches!(o.kind, OpKind::ArraySet { .. })),
                "{t}"
            );
            assert!(
                body.iter().all(|o| match &o.kind {
                    OpKind::Guard { stores, .. } => stores.is_empty(),
                    _ => true,
                }),
                "{t}"
            );
        }
    }

    /// `a[i] = x - 1; guard; a[i] = x - 2; guard; a[i] = x - 3` after a load of `a[i]` (an
    /// unrolled `[-]`): the first two stores move into the guards that follow them (each guard
    /// gets every store made before it and overwritten after it); the last one stays. With a
    /// load of another array (maybe the same) in between, or no earlier access of the element,
    /// nothing moves.
    #[test]
    fn stores_overwritten_after_guards_are_delayed_into_them() {
        let ty = Ty::Int(IntTy::U8);
        let set = OpKind::ArraySet {
            width: 1,
            word: 0,
            ty,
        };
        let get = OpKind::ArrayGet {
            width: 1,
            word: 0,
            ty,
        };
        // `load`: load a[i] first; `other`: read b[0] between the first two stores
        let build = |load: bool, other: bool| {
            let mut b = B::new(&[Kind::Ref, Kind::Int, Kind::Int, Kind::Ref]);
            let (a, i, x, bb) = (
                Operand::Var(0),
                Operand::Var(1),
                Operand::Var(2),
                Operand::Var(3),
            );
            let x = if load {
                b.op(get.clone(), vec![a, i], &[Kind::Int])[0]
            } else {
                x
            };
            for k in 1..=3 {
                let y = b.op(
                    OpKind::IntBin(BinOp::Sub, IntTy::U8),
                    vec![x, Operand::Int(k)],
                    &[Kind::Int],
                )[0];
                b.op(set.clone(), vec![a, i, y], &[]);
                if other && k == 1 {
                    b.op(get.clone(), vec![bb, Operand::Int(0)], &[Kind::Int]);
                }
                if k < 3 {
                    let c = b.cmp(BinOp::Ne, y, 0);
                    b.guard(GuardKind::True, c, k as u32, vec![a, i]);
                }
            }
            b.op(OpKind::Exit { index: 9 }, vec![a, i], &[]);
            let mut t = b.0;
            optimize(&mut t, &all());
            t.verify().unwrap_or_else(|e| panic!("{e}\n{t}"));
            t
        };
        let sets = |t: &Trace| {
            t.ops
                .iter()
                .filter(|o| matches!(o.kind, OpKind::ArraySet { .. }))
                .count()
        };
        let delayed = |t: &Trace| -> Vec<usize> {
            t.ops
                .iter()
                .filter_map(|o| match &o.kind {
                    OpKind::Guard { stores, .. } => Some(stores.len()),
                    _ => None,
                })
                .collect()
        };
        let t = build(true, false);
        assert_eq!(sets(&t), 1, "{t}");
        assert_eq!(delayed(&t), vec![1, 1], "{t}");
        for (load, other) in [(true, true), (false, false)] {
            let t = build(load, other);
            assert!(sets(&t) >= 2, "{t}");
            assert!(delayed(&t)[0] == 0, "{t}");
        }
    }

    /// The same for fields: a field store overwritten by a later store to the same field of
    /// the same object, with only guards in between, is done by those guards; a load of that
    /// field offset (of any object) in between keeps it.
    #[test]
    fn field_stores_overwritten_after_guards_are_delayed_into_them() {
        let ty = Ty::Int(IntTy::I64);
        let build = |load_between: bool| {
            // (the guards test inputs 3 and 4: nothing for the other passes to merge)
            let mut b = B::new(&[Kind::Ref, Kind::Int, Kind::Ref, Kind::Int, Kind::Int]);
            let (o, x, other) = (Operand::Var(0), Operand::Var(1), Operand::Var(2));
            for k in 1..=3 {
                let y = b.add(x, k);
                b.op(OpKind::SetField { offset: 16, ty }, vec![o, y], &[]);
                let mut fail = vec![o];
                if load_between && k == 1 {
                    let get = OpKind::GetField {
                        offset: 16,
                        ty,
                        pure: false,
                    };
                    fail.push(b.op(get, vec![other], &[Kind::Int])[0]);
                }
                if k < 3 {
                    let c = Operand::Var(2 + k as u32);
                    b.guard(GuardKind::True, c, k as u32, fail);
                }
            }
            b.op(OpKind::Exit { index: 9 }, vec![o], &[]);
            let mut t = b.0;
            optimize(&mut t, &all());
            t.verify().unwrap_or_else(|e| panic!("{e}\n{t}"));
            t
        };
        let shape = |t: &Trace| -> (usize, Vec<Vec<Option<u32>>>) {
            let sets = t
                .ops
                .iter()
                .filter(|o| matches!(o.kind, OpKind::SetField { .. }))
                .count();
            let delayed = t
                .ops
                .iter()
                .filter_map(|o| match &o.kind {
                    OpKind::Guard { stores, .. } => Some(stores.iter().map(|s| s.field).collect()),
                    _ => None,
                })
                .collect();
            (sets, delayed)
        };
        let t = build(false);
        // one store left (the last); guard 1 does the first, guard 2 the second
        assert_eq!(shape(&t), (1, vec![vec![Some(16)], vec![Some(16)]]), "{t}");
        assert!(
            t.to_string().contains("delayed {setfield.i64@16(p0, "),
            "{t}"
        );
        let t = build(true);
        // the first store is read (maybe) before its guard: it stays; the second is delayed
        assert_eq!(shape(&t), (2, vec![vec![], vec![Some(16)]]), "{t}");
    }
}
