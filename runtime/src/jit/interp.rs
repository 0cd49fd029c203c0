//! The jitcode interpreter: one engine for the meta-interpreter (tracing) and the blackhole
//! interpreter.
//!
//! It executes the interpreter's jitcodes on real objects. Without a [`Recorder`] it is the
//! *blackhole interpreter*: it finishes the work of a failed guard (rebuilt from resume data)
//! up to the portal's next merge point, or the portal's return. With a recorder it is the
//! *meta-interpreter*: it still executes every instruction for real, and also records what
//! the instruction did into the trace, as trace operations on *boxes* (an [`Operand`] per
//! register: a trace variable or a constant). Constant folding, folding of `elidable` calls
//! with constant arguments, `promote` and CSE of pure operations happen as ops are recorded.
//!
//! Frames: one per active jitcode, outermost first. A frame's ref registers live on the shadow
//! stack (so the collector sees them; it does not move objects); frames are pushed and popped
//! in stack order. A caller's `pc` stays on its `InlineCall` while the callee runs.
//!
//! Guards: an instruction that may become a guard (`GotoIfNot`, `Switch`, `GuardValue`,
//! `JitMergePoint`) is preceded by `Live(l)`. A guard's snapshot lists, for every frame, the
//! jitcode, the `pc` and the box of every register in the live set before that frame's current
//! instruction; resuming re-executes the innermost frame's instruction (a branch, a switch or a
//! no-op guard) with the real values, which takes the path the trace did not.
//!
//! Calls of the portal (guest-language calls) are inlined while tracing unless they recurse,
//! loop or make the trace too long; such a call is then taken back and recorded as a residual
//! call ([`PortalCall`], `Interp::uninline_portal_call`).

use super::program::Loaded;
use crate::object::Obj;
use crate::roots::{vmkit_shadow_limit, vmkit_shadow_top};
use rustc_hash::FxHashMap as HashMap;
use vmkit_jit_ir::jitcode::{Insn, Reg, Special};
use vmkit_jit_ir::ops::{self, BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{GuardKind, Op, OpKind, Operand, Trace, Var};

/// A value in a snapshot: a fail argument (by position) or a constant word.
#[derive(Clone, Copy, Debug)]
pub enum SnapVal {
    Fail(u16),
    Const(u64),
}

/// One frame of a snapshot.
#[derive(Clone, Debug)]
pub struct SnapFrame {
    pub code: u16,
    pub pc: u32,
    pub regs: Vec<(Reg, SnapVal)>,
}

/// Resume data of one guard: frames outermost first, and the kinds of its fail arguments.
#[derive(Clone, Debug, Default)]
pub struct Snapshot {
    pub frames: Vec<SnapFrame>,
    pub fail_kinds: Vec<Kind>,
}

pub struct Frame {
    pub code: u16,
    pub pc: u32,
    ints: Vec<u64>,
    floats: Vec<u64>,
    refs: *mut u64,
    /// Boxes per bank (tracing only).
    boxes: [Vec<Operand>; 3],
}

/// Why the interpreter stopped.
pub enum Stop {
    /// The outermost (portal) frame reached its merge point: greens then reds, as words.
    MergePoint(Vec<u64>),
    /// The outermost frame returned these words.
    Return(Vec<u64>),
    /// Tracing: the loop closed (the merge point's greens equal the start's).
    CloseLoop(Vec<u64>),
    /// Tracing: reached the merge point of greens that have compiled code.
    EnterCompiled(Vec<u64>, u32),
    /// Tracing reached the merge point of another loop header (greens counted at
    /// `can_enter_jit`, or greens passed before in this trace: a loop inside it, from now on
    /// counted as a loop header) that has no compiled code yet: the trace ends there, handing
    /// the values to the runtime, so that the other loop is traced on its own rather than
    /// unrolled here.
    ReachedHeader(Vec<u64>),
    /// Tracing gave up (too long); the frames are intact and can continue untraced.
    Abort(&'static str),
}

/// The state of a trace being recorded.
pub struct Recorder {
    pub trace: Trace,
    pub start_greens: Vec<u64>,
    pub snapshots: Vec<Snapshot>,
    pub limit: usize,
    pub fold: bool,
    pub cse: bool,
    cse_table: HashMap<(OpKind, Vec<Operand>), Vec<Operand>>,
    /// Trace ops recorded at the last merge point of the portal frame (for location comments).
    pub merge_points: Vec<(usize, Vec<u64>)>,
    /// The greens of every merge point of the portal frame passed so far.
    seen_greens: rustc_hash::FxHashSet<Vec<u64>>,
    /// Whether reaching a loop with compiled code ends the trace (bridges; loops that cannot
    /// close).
    pub stop_at_compiled: bool,
    /// Jitcodes called residually instead of being inlined.
    pub dont_inline: std::collections::HashSet<u16>,
    /// Trace ops recorded while each jitcode was the innermost frame (to pick what not to
    /// inline after an abort).
    pub ops_by_code: HashMap<u16, usize>,
    /// `v = base + offset` facts about integer variables (wrapping, in the variable's type).
    linear: HashMap<Var, (Operand, i64, IntTy)>,
    /// Known array elements: (array, index, word) -> value.
    heap: Vec<((Operand, Operand, u32), Operand)>,
    /// Known mutable fields: (object, field offset) -> value, from earlier loads and stores
    /// (forgotten at stores that may alias and at calls that write fields).
    fields: Vec<((Operand, u32), Operand)>,
    /// Results of integer casts: var -> the cast operand.
    casts: HashMap<Var, Operand>,
    /// Variables that are a boolean seen as an integer or its negation: `v = b as int`
    /// (false) or `v = !b` (true), for [`Recorder::bool_rewrite`].
    bools: HashMap<Var, (Operand, bool)>,
    /// The invalidation cell of this trace's folded quasi-immutable fields ([`super::quasi`]),
    /// made at the first one.
    quasi_cell: Option<u64>,
    /// The length of the trace after its last check of `quasi_cell`: another fold needs no new
    /// check until a call may have written a field.
    quasi_checked: Option<usize>,
}

impl Recorder {
    pub fn new(start_greens: Vec<u64>, limit: usize, fold: bool, cse: bool) -> Recorder {
        Recorder {
            trace: Trace::default(),
            start_greens,
            snapshots: Vec::new(),
            limit,
            fold,
            cse,
            cse_table: HashMap::default(),
            merge_points: Vec::new(),
            seen_greens: Default::default(),
            stop_at_compiled: false,
            dont_inline: Default::default(),
            ops_by_code: HashMap::default(),
            linear: HashMap::default(),
            heap: Vec::new(),
            fields: Vec::new(),
            casts: HashMap::default(),
            bools: HashMap::default(),
            quasi_cell: None,
            quasi_checked: None,
        }
    }

    /// `(base, offset)` with `o = base + offset`.
    fn decompose(&self, o: Operand, it: IntTy) -> (Operand, i64) {
        if let Operand::Var(v) = o {
            if let Some((b, off, t)) = self.linear.get(&v) {
                if *t == it {
                    return (*b, *off);
                }
            }
        }
        (o, 0)
    }

    /// `o` as `base + offset`, seeing through integer casts (array indexes are usually
    /// `x as usize` of an `i64` computation): used only to prove two indexes different, which
    /// holds whenever the offsets differ by less than the narrower type's range.
    fn index_form(&self, o: Operand) -> (Operand, i64) {
        let mut o = o;
        if let Operand::Var(v) = o {
            if let Some(src) = self.casts.get(&v) {
                o = *src;
            }
        }
        if let Operand::Var(v) = o {
            if let Some((b, off, _)) = self.linear.get(&v) {
                return (*b, *off);
            }
        }
        (o, 0)
    }

    /// Whether two index operands are known to differ.
    fn different(&self, a: Operand, b: Operand) -> bool {
        match (a, b) {
            (Operand::Int(x), Operand::Int(y)) => x != y,
            _ => {
                let (ba, oa) = self.index_form(a);
                let (bb, ob) = self.index_form(b);
                ba == bb && oa != ob && oa.wrapping_sub(ob).unsigned_abs() < (1 << 31)
            }
        }
    }

    fn heap_cached(&self, key: (Operand, Operand, u32)) -> Option<Operand> {
        if !self.fold {
            return None;
        }
        self.heap.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn heap_remember(&mut self, key: (Operand, Operand, u32), v: Operand) {
        if self.fold {
            self.heap.push((key, v));
        }
    }

    /// A store of a multi-word element at `key`: entries that may alias it are forgotten.
    fn heap_invalidate(&mut self, key: (Operand, Operand)) {
        let heap = std::mem::take(&mut self.heap);
        self.heap = heap
            .into_iter()
            .filter(|((a, i, _), _)| *a == key.0 && self.different(*i, key.1))
            .collect();
    }

    pub fn heap_clear(&mut self) {
        self.heap.clear();
    }

    fn field_cached(&self, key: (Operand, u32)) -> Option<Operand> {
        if !self.fold {
            return None;
        }
        self.fields.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }

    fn field_remember(&mut self, key: (Operand, u32), v: Operand) {
        if self.fold {
            self.fields.push((key, v));
        }
    }

    /// A store to field `offset` of `obj`: entries of the same offset on objects that may be the
    /// same are forgotten, then the stored value is known.
    fn field_store(&mut self, key: (Operand, u32), v: Operand) {
        self.fields.retain(|((o, off), _)| {
            *off != key.1 || (*o != key.0 && o.is_const() && key.0.is_const())
        });
        self.field_remember(key, v);
    }

    pub fn fields_clear(&mut self) {
        self.fields.clear();
    }

    /// `a + c` / `a - c` on integers of type `it`, folded into an earlier `base + offset`:
    /// `(x + 1) - 1` is `x`.
    fn add_const(&mut self, op: BinOp, it: IntTy, args: &[Operand]) -> Option<Operand> {
        let (a, c) = match (op, args) {
            (BinOp::Add, [Operand::Var(_), Operand::Int(c)]) => (args[0], *c),
            (BinOp::Add, [Operand::Int(c), Operand::Var(_)]) => (args[1], *c),
            (BinOp::Sub, [Operand::Var(_), Operand::Int(c)]) => (args[0], c.wrapping_neg()),
            _ => return None,
        };
        let ptr64 = cfg!(target_pointer_width = "64");
        let (base, off) = self.decompose(a, it);
        let total = ops::canon(it, off.wrapping_add(c), ptr64);
        if total == 0 {
            return Some(base);
        }
        // The same `base + total` computed before is the same variable (so that array indexes
        // and heap-cache keys agree: `(x + 2) - 1` is the earlier `x + 1`).
        let canon_key = (
            OpKind::IntBin(BinOp::Add, it),
            vec![base, Operand::Int(total)],
        );
        if self.cse {
            if let Some(r) = self.cse_table.get(&canon_key) {
                return Some(r[0]);
            }
        }
        let r = self.trace.new_var(Kind::Int);
        self.trace.ops.push(Op {
            kind: OpKind::IntBin(BinOp::Add, it),
            args: vec![base, Operand::Int(total)],
            results: vec![r],
        });
        self.linear.insert(r, (base, total, it));
        if self.cse {
            self.cse_table.insert(canon_key, vec![Operand::Var(r)]);
        }
        Some(Operand::Var(r))
    }

    fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            ops: self.trace.ops.len(),
            vars: self.trace.kinds.len(),
            snapshots: self.snapshots.len(),
            cse_table: self.cse_table.clone(),
            linear: self.linear.clone(),
            heap: self.heap.clone(),
            fields: self.fields.clone(),
            casts: self.casts.clone(),
            bools: self.bools.clone(),
            quasi_checked: self.quasi_checked,
        }
    }

    /// Forgets everything recorded since `cp` was taken.
    fn rollback(&mut self, cp: Checkpoint) {
        self.trace.ops.truncate(cp.ops);
        self.trace.kinds.truncate(cp.vars);
        self.snapshots.truncate(cp.snapshots);
        self.cse_table = cp.cse_table;
        self.linear = cp.linear;
        self.heap = cp.heap;
        self.fields = cp.fields;
        self.casts = cp.casts;
        self.bools = cp.bools;
        self.quasi_checked = cp.quasi_checked;
    }

    /// The jitcode (other than `portal`) that contributed most ops: the one not to inline next
    /// time.
    pub fn biggest_callee(&self, portal: u16) -> Option<u16> {
        self.ops_by_code
            .iter()
            .filter(|(c, _)| **c != portal)
            .max_by_key(|(c, n)| (**n, std::cmp::Reverse(**c)))
            .map(|(c, _)| *c)
    }

    fn emit(&mut self, kind: OpKind, args: Vec<Operand>, results: &[Kind]) -> Vec<Var> {
        let rs: Vec<Var> = results.iter().map(|k| self.trace.new_var(*k)).collect();
        self.trace.ops.push(Op {
            kind,
            args,
            results: rs.clone(),
        });
        rs
    }

    /// Records a pure operation whose concrete results are `vals`: folded to constants when
    /// every argument is constant, reused when the same operation was recorded before.
    fn pure(&mut self, kind: OpKind, args: Vec<Operand>, vals: &[(Kind, u64)]) -> Vec<Operand> {
        if self.fold && args.iter().all(|a| a.is_const()) {
            return vals.iter().map(|(k, v)| konst(*k, *v)).collect();
        }
        // (one key for the lookup and the insertion: recording runs at every traced operation)
        let key = if self.fold {
            strength_reduce(kind, args)
        } else {
            (kind, args)
        };
        if self.cse {
            if let Some(r) = self.cse_table.get(&key) {
                return r.clone();
            }
        }
        if self.fold {
            if let Some(r) = self.bool_rewrite(&key.0, &key.1) {
                return vec![r];
            }
        }
        if self.fold {
            if let OpKind::IntBin(op @ (BinOp::Add | BinOp::Sub), it) = key.0 {
                if let Some(r) = self.add_const(op, it, &key.1) {
                    if self.cse {
                        self.cse_table.insert(key, vec![r]);
                    }
                    return vec![r];
                }
            }
        }
        let kinds: Vec<Kind> = vals.iter().map(|(k, _)| *k).collect();
        let rs: Vec<Operand> = self
            .emit(key.0.clone(), key.1.clone(), &kinds)
            .into_iter()
            .map(Operand::Var)
            .collect();
        if let (Operand::Var(r), [x]) = (rs[0], &key.1[..]) {
            match key.0 {
                OpKind::Cast(Ty::Bool, Ty::Int(_)) => {
                    self.bools.insert(r, (*x, false));
                }
                OpKind::BoolNot => {
                    self.bools.insert(r, (*x, true));
                }
                _ => {}
            }
        }
        if self.cse {
            self.cse_table.insert(key, rs.clone());
        }
        rs
    }
}

impl Recorder {
    /// Comparisons of a boolean seen as an integer with 0 or 1, and double negations, are the
    /// boolean (or its negation) itself: `(b as i64) == 1` is `b`, `!b as i64 != 0` is `!b`,
    /// `!!b` is `b` (the condition of a `match` on an `Option` from `checked_add` is one op,
    /// not four). Canonical booleans and 0/1 integers are the same words.
    fn bool_rewrite(&self, kind: &OpKind, args: &[Operand]) -> Option<Operand> {
        match (kind, args) {
            (
                OpKind::IntCmp(op @ (BinOp::Eq | BinOp::Ne), _),
                [Operand::Var(a), Operand::Int(c)],
            ) => {
                let (b, neg) = *self.bools.get(a)?;
                let cast = !neg; // `a` is `b as int` (else `a` is `!b`)
                match (op, c) {
                    // `a` itself
                    (BinOp::Eq, 1) | (BinOp::Ne, 0) => {
                        Some(if cast { b } else { Operand::Var(*a) })
                    }
                    // `!a`: `b` when `a` is `!b`
                    (BinOp::Eq, 0) | (BinOp::Ne, 1) if !cast => Some(b),
                    _ => None,
                }
            }
            (OpKind::BoolNot, [Operand::Var(a)]) => match self.bools.get(a) {
                Some((b, true)) => Some(*b),
                _ => None,
            },
            _ => None,
        }
    }

    /// A guard on `!x` is the opposite guard on `x`.
    fn guard_rewrite(&self, kind: GuardKind, args: Vec<Operand>) -> (GuardKind, Vec<Operand>) {
        if !self.fold {
            return (kind, args);
        }
        match (kind, &args[..]) {
            (GuardKind::True | GuardKind::False, [Operand::Var(a)]) => match self.bools.get(a) {
                Some((x, true)) => {
                    let flipped = if kind == GuardKind::True {
                        GuardKind::False
                    } else {
                        GuardKind::True
                    };
                    (flipped, vec![*x])
                }
                _ => (kind, args),
            },
            _ => (kind, args),
        }
    }
}

/// Strength reduction of integer operations by powers of two: `x * 2^k` → `x << k`, and for
/// unsigned types `x / 2^k` → `x >> k`, `x % 2^k` → `x & (2^k - 1)` (the same canonical
/// results, for `k` below the type's width).
fn strength_reduce(kind: OpKind, args: Vec<Operand>) -> (OpKind, Vec<Operand>) {
    let OpKind::IntBin(op, it) = kind else {
        return (kind, args);
    };
    let log2 = |o: Operand| match o {
        Operand::Int(c) if c > 1 && (c as u64).is_power_of_two() => {
            let k = (c as u64).trailing_zeros();
            (k < it.bits(true)).then_some((c, k as i64))
        }
        _ => None,
    };
    match (op, &args[..]) {
        (BinOp::Mul, &[x, c]) | (BinOp::Mul, &[c, x]) if log2(c).is_some() => {
            let k = log2(c).map_or(0, |p| p.1);
            (OpKind::IntBin(BinOp::Shl, it), vec![x, Operand::Int(k)])
        }
        (BinOp::Div, &[x, c]) if !it.signed() && log2(c).is_some() => {
            let k = log2(c).map_or(0, |p| p.1);
            (OpKind::IntBin(BinOp::Shr, it), vec![x, Operand::Int(k)])
        }
        (BinOp::Rem, &[x, c]) if !it.signed() && log2(c).is_some() => {
            let m = log2(c).map_or(0, |p| p.0) - 1;
            (OpKind::IntBin(BinOp::And, it), vec![x, Operand::Int(m)])
        }
        _ => (kind, args),
    }
}

/// A constant operand of kind `k` holding `w`.
pub fn konst(k: Kind, w: u64) -> Operand {
    match k {
        Kind::Int => Operand::Int(w as i64),
        Kind::Float => Operand::Float(w),
        Kind::Ref => Operand::Ref(w),
    }
}

fn kidx(k: Kind) -> usize {
    match k {
        Kind::Int => 0,
        Kind::Ref => 1,
        Kind::Float => 2,
    }
}

/// The jitcode interpreter.
pub struct Interp {
    pub frames: Vec<Frame>,
    pub rec: Option<Recorder>,
    p: &'static Loaded,
    /// Tracing: the boxes of the values of the last [`Stop::Return`] (the portal's results).
    pub return_boxes: Vec<Operand>,
    /// Tracing: the portal calls inlined into the trace, innermost last (see
    /// [`PortalCall`]).
    portal_calls: Vec<PortalCall>,
    /// A return that leaves this many frames stops the interpreter (it then sets `returned`).
    stop_depth: usize,
    returned: bool,
}

/// A call of the portal that the tracer inlines (RPython traces through the calls of the
/// interpreted language's functions the same way): the callee's merge points are passed
/// through rather than closing or ending the trace.
struct PortalCall {
    /// Index of the callee's frame in `Interp::frames`.
    frame: usize,
    /// The call site: the greens of the caller's last merge point.
    site: Vec<u64>,
    /// The greens of the callee's first merge point, once reached.
    entry: Option<Vec<u64>>,
    /// The greens of the callee's last merge point.
    last: Option<Vec<u64>>,
    /// The greens of every merge point of the callee so far.
    seen: rustc_hash::FxHashSet<Vec<u64>>,
    /// The recorder as it was at the call, to take the inlined part back (see
    /// [`Interp::uninline_portal_call`]).
    checkpoint: Checkpoint,
    /// The boxes of the caller frames at the call (guards in the callee may replace a box by
    /// a constant in every frame).
    boxes: Vec<[Vec<Operand>; 3]>,
}

/// What a [`Recorder`] looked like at some point of the trace, to roll back to it.
struct Checkpoint {
    ops: usize,
    vars: usize,
    snapshots: usize,
    cse_table: HashMap<(OpKind, Vec<Operand>), Vec<Operand>>,
    linear: HashMap<Var, (Operand, i64, IntTy)>,
    heap: Vec<((Operand, Operand, u32), Operand)>,
    fields: Vec<((Operand, u32), Operand)>,
    casts: HashMap<Var, Operand>,
    bools: HashMap<Var, (Operand, bool)>,
    quasi_checked: Option<usize>,
}

/// How many portal calls may be inlined into each other in one trace.
const MAX_PORTAL_INLINE: usize = 3;

/// Call sites (the caller's greens) whose portal calls stay residual calls: an inlined call
/// there was recursive, or made a trace too long.
static PORTAL_NO_INLINE: crate::global::Global<Option<rustc_hash::FxHashSet<Vec<u64>>>> =
    crate::global::Global::new(None);

fn portal_no_inline() -> &'static mut rustc_hash::FxHashSet<Vec<u64>> {
    // SAFETY: mutator thread; the reference is used for one lookup or insertion at a time.
    unsafe { (*PORTAL_NO_INLINE.ptr()).get_or_insert_with(Default::default) }
}

impl Drop for Interp {
    fn drop(&mut self) {
        while !self.frames.is_empty() {
            self.pop_frame();
        }
    }
}

unsafe fn load(addr: u64, ty: Ty) -> u64 {
    let p = addr as *const u8;
    match ty {
        Ty::Bool | Ty::Int(IntTy::U8) => *p as u64,
        Ty::Int(IntTy::U32) => (p as *const u32).read_unaligned() as u64,
        Ty::Int(IntTy::I32) => (p as *const i32).read_unaligned() as i64 as u64,
        Ty::Int(IntTy::Usize) if cfg!(target_pointer_width = "32") => {
            (p as *const u32).read_unaligned() as u64
        }
        Ty::Ref if cfg!(target_pointer_width = "32") => (p as *const u32).read_unaligned() as u64,
        _ => (p as *const u64).read_unaligned(),
    }
}

unsafe fn store(addr: u64, ty: Ty, v: u64) {
    let p = addr as *mut u8;
    match ty.mem_size(cfg!(target_pointer_width = "64")) {
        1 => *p = v as u8,
        4 => (p as *mut u32).write_unaligned(v as u32),
        _ => (p as *mut u64).write_unaligned(v),
    }
}

impl Interp {
    pub fn new(p: &'static Loaded, rec: Option<Recorder>) -> Interp {
        Interp {
            frames: Vec::new(),
            rec,
            p,
            return_boxes: Vec::new(),
            portal_calls: Vec::new(),
            stop_depth: 0,
            returned: false,
        }
    }

    /// Pushes a frame for jitcode `code` at `pc` with all registers zero (null).
    pub fn push_frame(&mut self, code: u16, pc: u32) {
        let jc = &self.p.prog.jitcodes[code as usize];
        let n = jc.num_regs;
        // SAFETY: mutator thread; the shadow stack is a stack and our frames nest in it.
        let refs = unsafe {
            let base = vmkit_shadow_top as *mut u64;
            let top = base.add(n[1] as usize);
            if top as usize > vmkit_shadow_limit as usize {
                crate::fatal::vmkit_stack_overflow();
            }
            for i in 0..n[1] as usize {
                *base.add(i) = 0;
            }
            vmkit_shadow_top = top as *mut *mut Obj;
            base
        };
        let tracing = self.rec.is_some();
        let bx = |k: usize, c: Operand| {
            if tracing {
                vec![c; n[k] as usize]
            } else {
                Vec::new()
            }
        };
        self.frames.push(Frame {
            code,
            pc,
            ints: vec![0; n[0] as usize],
            floats: vec![0; n[2] as usize],
            refs,
            boxes: [
                bx(0, Operand::Int(0)),
                bx(1, Operand::Ref(0)),
                bx(2, Operand::Float(0)),
            ],
        });
    }

    fn pop_frame(&mut self) {
        let f = self.frames.pop().expect("a frame to pop");
        // SAFETY: the frame's refs are the top of our part of the shadow stack.
        unsafe { vmkit_shadow_top = f.refs as *mut *mut Obj };
    }

    #[inline]
    fn get(&self, r: Reg) -> u64 {
        let f = self.frames.last().expect("frame");
        match r.kind {
            Kind::Int => f.ints[r.index as usize],
            Kind::Float => f.floats[r.index as usize],
            // SAFETY: index < num_regs[ref] (checked by the codewriter).
            Kind::Ref => unsafe { *f.refs.add(r.index as usize) },
        }
    }

    #[inline]
    fn set(&mut self, r: Reg, v: u64) {
        let f = self.frames.last_mut().expect("frame");
        match r.kind {
            Kind::Int => f.ints[r.index as usize] = v,
            Kind::Float => f.floats[r.index as usize] = v,
            // SAFETY: as in `get`.
            Kind::Ref => unsafe { *f.refs.add(r.index as usize) = v },
        }
    }

    fn gi(&self, r: u8) -> u64 {
        self.frames.last().expect("frame").ints[r as usize]
    }

    /// Sets register `r` of the innermost frame to value `v` and box `b`.
    pub fn set_boxed(&mut self, r: Reg, v: u64, b: Operand) {
        self.set(r, v);
        if self.rec.is_some() {
            self.frames.last_mut().expect("frame").boxes[kidx(r.kind)][r.index as usize] = b;
        }
    }

    fn bx(&self, r: Reg) -> Operand {
        self.frames.last().expect("frame").boxes[kidx(r.kind)][r.index as usize]
    }

    fn setb(&mut self, r: Reg, b: Operand) {
        if self.rec.is_some() {
            self.frames.last_mut().expect("frame").boxes[kidx(r.kind)][r.index as usize] = b;
        }
    }

    fn ri(i: u8) -> Reg {
        Reg {
            kind: Kind::Int,
            index: i,
        }
    }
    fn rr(i: u8) -> Reg {
        Reg {
            kind: Kind::Ref,
            index: i,
        }
    }
    fn rf(i: u8) -> Reg {
        Reg {
            kind: Kind::Float,
            index: i,
        }
    }

    /// The live set before the instruction at `pc` of `code` (the preceding `Live`).
    fn live_before(&self, code: u16, pc: u32) -> &'static [Reg] {
        let jc = &self.p.prog.jitcodes[code as usize];
        match pc.checked_sub(1).and_then(|q| jc.insns.get(q as usize)) {
            Some(Insn::Live(l)) => &self.p.prog.liveness[*l as usize],
            _ => &[],
        }
    }

    /// Records a guard with a snapshot of the current frames.
    fn guard(&mut self, kind: GuardKind, args: Vec<Operand>) {
        let mut frames = Vec::with_capacity(self.frames.len());
        let mut fail_args: Vec<Operand> = Vec::new();
        let mut fail_kinds = Vec::new();
        let mut index_of: HashMap<Var, u16> = HashMap::default();
        for f in &self.frames {
            let live = self.live_before(f.code, f.pc);
            let mut regs = Vec::with_capacity(live.len());
            for r in live {
                let b = f.boxes[kidx(r.kind)][r.index as usize];
                let sv = match b {
                    Operand::Var(v) => {
                        let i = *index_of.entry(v).or_insert_with(|| {
                            fail_args.push(b);
                            fail_kinds.push(r.kind);
                            (fail_args.len() - 1) as u16
                        });
                        SnapVal::Fail(i)
                    }
                    c => SnapVal::Const(c.const_word().expect("constant")),
                };
                regs.push((*r, sv));
            }
            frames.push(SnapFrame {
                code: f.code,
                pc: f.pc,
                regs,
            });
        }
        let rec = self.rec.as_mut().expect("tracing");
        let (kind, args) = rec.guard_rewrite(kind, args);
        let index = rec.snapshots.len() as u32;
        rec.snapshots.push(Snapshot { frames, fail_kinds });
        rec.trace.ops.push(Op {
            kind: OpKind::Guard {
                kind,
                index,
                fail_args,
                stores: Vec::new(),
                virtuals: Vec::new(),
            },
            args,
            results: vec![],
        });
    }

    /// Makes the box of `r` a constant, behind a guard if it was not one.
    fn promote(&mut self, r: Reg) {
        let b = self.bx(r);
        if b.is_const() {
            return;
        }
        let v = self.get(r);
        let c = konst(r.kind, v);
        self.guard(GuardKind::Value, vec![b, c]);
        self.replace_box(b, c);
    }

    /// Every register of every frame boxed by `old` now holds the constant `new` (the guard
    /// just recorded made it known).
    fn replace_box(&mut self, old: Operand, new: Operand) {
        for f in self.frames.iter_mut() {
            for bank in f.boxes.iter_mut() {
                for b in bank.iter_mut() {
                    if *b == old {
                        *b = new;
                    }
                }
            }
        }
    }

    /// Calls helper `h` with `args` words; results into `out`.
    fn call_helper(&self, h: u32, args: &[u64], out: &mut [u64]) {
        let f = self.p.helpers[h as usize];
        // SAFETY: the helper table holds functions with the uniform helper ABI, generated from
        // the same program as the jitcodes.
        unsafe {
            let f: unsafe extern "C" fn(*const u64, *mut u64) = std::mem::transmute(f);
            f(args.as_ptr(), out.as_mut_ptr());
        }
    }

    /// Runs until a stop condition. `pc`s of all frames must point at the next instruction.
    pub fn run(&mut self) -> Stop {
        let prog = &self.p.prog;
        let ptr64 = prog.ptr64;
        let mut live_args: Vec<u64> = Vec::new();
        let mut outs: Vec<u64> = Vec::new();
        let mut last = (0u16, self.rec.as_ref().map_or(0, |r| r.trace.ops.len()));
        loop {
            let f = self.frames.last().expect("a frame");
            let code = f.code;
            if let Some(rec) = &mut self.rec {
                let n = rec.trace.ops.len();
                if n > last.1 {
                    *rec.ops_by_code.entry(last.0).or_insert(0) += n - last.1;
                }
                last = (code, n);
                if n > rec.limit {
                    if let Some(c) = self.portal_calls.first() {
                        // an inlined portal call made it too long: call it instead
                        portal_no_inline().insert(c.site.clone());
                        self.uninline_portal_call(0);
                        continue;
                    }
                    return Stop::Abort("trace too long");
                }
            }
            let pc = f.pc;
            let insn = &prog.jitcodes[code as usize].insns[pc as usize];
            let mut next = pc + 1;
            let tracing = self.rec.is_some();
            match insn {
                Insn::Live(_) | Insn::LoopHeader(_) => {}
                Insn::IntConst(v, x) => self.set_boxed(Self::ri(*x), *v as u64, Operand::Int(*v)),
                Insn::FloatConst(v, x) => self.set_boxed(Self::rf(*x), *v, Operand::Float(*v)),
                Insn::StrConst(i, x) => {
                    let s = self.p.strs[*i as usize] as u64;
                    self.set_boxed(Self::rr(*x), s, Operand::Ref(s))
                }
                Insn::RefNull(x) => self.set_boxed(Self::rr(*x), 0, Operand::Ref(0)),
                Insn::Copy(a, x) => {
                    let v = self.get(*a);
                    self.set(*x, v);
                    if tracing {
                        let b = self.bx(*a);
                        self.setb(*x, b);
                    }
                }
                Insn::IntBin(op, it, a, b, x) => {
                    let (va, vb) = (self.gi(*a) as i64, self.gi(*b) as i64);
                    let v = match ops::int_bin(*op, *it, va, vb, ptr64) {
                        Ok(v) => v as u64,
                        Err(m) => crate::fatal::fatal(m),
                    };
                    self.rec1(
                        OpKind::IntBin(*op, *it),
                        &[Self::ri(*a), Self::ri(*b)],
                        Self::ri(*x),
                        v,
                    );
                }
                Insn::IntCmp(op, it, a, b, x) => {
                    let (va, vb) = (self.gi(*a) as i64, self.gi(*b) as i64);
                    let v = ops::int_cmp(*op, *it, va, vb).unwrap_or(false) as u64;
                    self.rec1(
                        OpKind::IntCmp(*op, *it),
                        &[Self::ri(*a), Self::ri(*b)],
                        Self::ri(*x),
                        v,
                    );
                }
                Insn::IntOvf(op, it, a, b, x, o) => {
                    let (va, vb) = (self.gi(*a) as i64, self.gi(*b) as i64);
                    let (v, ov) = ops::int_ovf(*op, *it, va, vb, ptr64).unwrap_or((0, false));
                    self.set(Self::ri(*x), v as u64);
                    self.set(Self::ri(*o), ov as u64);
                    if tracing {
                        let args = vec![self.bx(Self::ri(*a)), self.bx(Self::ri(*b))];
                        let rec = self.rec.as_mut().expect("tracing");
                        let r = rec.pure(
                            OpKind::IntOvf(*op, *it),
                            args,
                            &[(Kind::Int, v as u64), (Kind::Int, ov as u64)],
                        );
                        self.setb(Self::ri(*x), r[0]);
                        self.setb(Self::ri(*o), r[1]);
                    }
                }
                Insn::IntNeg(it, a, x) => {
                    let v = ops::canon(*it, (self.gi(*a) as i64).wrapping_neg(), ptr64) as u64;
                    self.rec1(OpKind::IntNeg(*it), &[Self::ri(*a)], Self::ri(*x), v);
                }
                Insn::IntNot(it, a, x) => {
                    let v = ops::canon(*it, !(self.gi(*a) as i64), ptr64) as u64;
                    self.rec1(OpKind::IntNot(*it), &[Self::ri(*a)], Self::ri(*x), v);
                }
                Insn::BoolBin(op, a, b, x) => {
                    let v = ops::bool_bin(*op, self.gi(*a) != 0, self.gi(*b) != 0).unwrap_or(false)
                        as u64;
                    self.rec1(
                        OpKind::BoolBin(*op),
                        &[Self::ri(*a), Self::ri(*b)],
                        Self::ri(*x),
                        v,
                    );
                }
                Insn::BoolNot(a, x) => {
                    let v = (self.gi(*a) == 0) as u64;
                    self.rec1(OpKind::BoolNot, &[Self::ri(*a)], Self::ri(*x), v);
                }
                Insn::FloatBin(op, a, b, x) => {
                    let (va, vb) = (self.get(Self::rf(*a)), self.get(Self::rf(*b)));
                    let v = ops::float_bin(*op, f64::from_bits(va), f64::from_bits(vb))
                        .unwrap_or(0.0)
                        .to_bits();
                    self.rec1(
                        OpKind::FloatBin(*op),
                        &[Self::rf(*a), Self::rf(*b)],
                        Self::rf(*x),
                        v,
                    );
                }
                Insn::FloatCmp(op, a, b, x) => {
                    let (va, vb) = (self.get(Self::rf(*a)), self.get(Self::rf(*b)));
                    let v = ops::float_cmp(*op, f64::from_bits(va), f64::from_bits(vb))
                        .unwrap_or(false) as u64;
                    self.rec1(
                        OpKind::FloatCmp(*op),
                        &[Self::rf(*a), Self::rf(*b)],
                        Self::ri(*x),
                        v,
                    );
                }
                Insn::FloatNeg(a, x) => {
                    let v = (-f64::from_bits(self.get(Self::rf(*a)))).to_bits();
                    self.rec1(OpKind::FloatNeg, &[Self::rf(*a)], Self::rf(*x), v);
                }
                Insn::Cast(from, to, a, x) => {
                    let v = ops::cast(self.get(*a), *from, *to, ptr64).unwrap_or(0);
                    self.rec1(OpKind::Cast(*from, *to), &[*a], *x, v);
                    if let (true, Ty::Int(_), Ty::Int(_)) = (self.rec.is_some(), *from, *to) {
                        let src = self.bx(*a);
                        let dst = self.bx(*x);
                        if let (Some(rec), Operand::Var(d)) = (self.rec.as_mut(), dst) {
                            if dst != src {
                                rec.casts.insert(d, src);
                            }
                        }
                    }
                }
                Insn::PtrEq(a, b, x) => {
                    let v = (self.get(Self::rr(*a)) == self.get(Self::rr(*b))) as u64;
                    self.rec1(
                        OpKind::PtrEq,
                        &[Self::rr(*a), Self::rr(*b)],
                        Self::ri(*x),
                        v,
                    );
                }
                Insn::PtrIsNull(a, x) => {
                    let v = (self.get(Self::rr(*a)) == 0) as u64;
                    self.rec1(OpKind::PtrIsNull, &[Self::rr(*a)], Self::ri(*x), v);
                }
                Insn::GetField {
                    obj,
                    field,
                    dst,
                    pure,
                } => {
                    let fd = &prog.fields[*field as usize];
                    let o = self.get(Self::rr(*obj));
                    // SAFETY: the jitcode reads a field of an object of the right type.
                    let v = unsafe { load(o + fd.offset as u64, fd.ty) };
                    self.set(*dst, v);
                    if tracing {
                        let ob = self.bx(Self::rr(*obj));
                        let kind = OpKind::GetField {
                            offset: fd.offset,
                            ty: fd.ty,
                            pure: *pure,
                        };
                        let rec = self.rec.as_mut().expect("tracing");
                        // (folding needs the `-live-` marker the codewriter puts before such
                        // reads: the check's snapshot resumes here)
                        let marked = pc > 0
                            && matches!(
                                prog.jitcodes[code as usize].insns[pc as usize - 1],
                                Insn::Live(_)
                            );
                        let b = if fd.quasi_immutable
                            && !*pure
                            && rec.fold
                            && ob.is_const()
                            && marked
                        {
                            self.fold_quasi_immutable(o, fd.offset);
                            konst(dst.kind, v)
                        } else if *pure {
                            rec.pure(kind, vec![ob], &[(dst.kind, v)])[0]
                        } else if let Some(known) = rec.field_cached((ob, fd.offset)) {
                            known
                        } else {
                            let b = Operand::Var(rec.emit(kind, vec![ob], &[dst.kind])[0]);
                            rec.field_remember((ob, fd.offset), b);
                            b
                        };
                        self.setb(*dst, b);
                    }
                }
                Insn::SetField { obj, val, field } => {
                    let fd = &prog.fields[*field as usize];
                    let o = self.get(Self::rr(*obj));
                    let v = self.get(*val);
                    // SAFETY: as for GetField.
                    unsafe { store(o + fd.offset as u64, fd.ty, v) };
                    if fd.quasi_immutable {
                        super::quasi::written(o, fd.offset);
                        if tracing {
                            // compiled code never writes such a field (it could not invalidate
                            // other code); the blackhole interpreter redoes this store
                            return Stop::Abort("a write of a quasi-immutable field");
                        }
                    }
                    if tracing {
                        let ob = self.bx(Self::rr(*obj));
                        let vb = self.bx(*val);
                        let args = vec![ob, vb];
                        let rec = self.rec.as_mut().expect("tracing");
                        rec.emit(
                            OpKind::SetField {
                                offset: fd.offset,
                                ty: fd.ty,
                            },
                            args,
                            &[],
                        );
                        rec.field_store((ob, fd.offset), vb);
                    }
                }
                Insn::Call {
                    call,
                    args,
                    results,
                } => self.exec_call(*call, args, results, &mut live_args, &mut outs),
                Insn::InlineCall {
                    jitcode,
                    residual,
                    args,
                    results,
                } if !tracing
                    || (*jitcode == self.p.portal_code && self.portal_site().is_none())
                    || self
                        .rec
                        .as_ref()
                        .is_some_and(|r| r.dont_inline.contains(jitcode)) =>
                {
                    self.exec_call(*residual, args, results, &mut live_args, &mut outs)
                }
                Insn::InlineCall { jitcode, args, .. } => {
                    if *jitcode == self.p.portal_code {
                        let site = self.portal_site().expect("checked");
                        let checkpoint = self.rec.as_ref().expect("tracing").checkpoint();
                        let boxes = self.frames.iter().map(|f| f.boxes.clone()).collect();
                        self.portal_calls.push(PortalCall {
                            frame: self.frames.len(),
                            site,
                            entry: None,
                            last: None,
                            seen: Default::default(),
                            checkpoint,
                            boxes,
                        });
                    }
                    let vals: Vec<u64> = args.iter().map(|r| self.get(*r)).collect();
                    let boxes: Vec<Operand> = if tracing {
                        args.iter().map(|r| self.bx(*r)).collect()
                    } else {
                        Vec::new()
                    };
                    self.push_frame(*jitcode, 0);
                    let params = &prog.jitcodes[*jitcode as usize].params;
                    for (i, (p, v)) in params.iter().zip(vals).enumerate() {
                        self.set(*p, v);
                        if tracing {
                            self.setb(*p, boxes[i]);
                        }
                    }
                    continue;
                }
                Insn::GuardValue(r) => {
                    if tracing && self.rec.as_ref().is_some_and(|r| r.fold) {
                        self.promote(*r);
                    }
                }
                Insn::Goto(t) => next = *t,
                Insn::GotoIfNot(c, t) => {
                    let v = self.gi(*c);
                    if tracing {
                        let b = self.bx(Self::ri(*c));
                        if !b.is_const() {
                            let k = if v != 0 {
                                GuardKind::True
                            } else {
                                GuardKind::False
                            };
                            self.guard(k, vec![b]);
                            self.replace_box(b, Operand::Int(v as i64));
                        }
                    }
                    if v == 0 {
                        next = *t;
                    }
                }
                Insn::Switch(r, table, default) => {
                    if tracing {
                        self.promote(Self::ri(*r));
                    }
                    let v = self.gi(*r) as i64;
                    next = prog.switches[*table as usize]
                        .iter()
                        .find(|(k, _)| *k == v)
                        .map_or(*default, |(_, t)| *t);
                }
                Insn::Return(regs) => {
                    let vals: Vec<u64> = regs.iter().map(|r| self.get(*r)).collect();
                    let boxes: Vec<Operand> = if tracing {
                        regs.iter().map(|r| self.bx(*r)).collect()
                    } else {
                        Vec::new()
                    };
                    self.pop_frame();
                    if self
                        .portal_calls
                        .last()
                        .is_some_and(|c| c.frame == self.frames.len())
                    {
                        self.portal_calls.pop();
                    }
                    let Some(caller) = self.frames.last() else {
                        self.return_boxes = boxes;
                        return Stop::Return(vals);
                    };
                    let cpc = caller.pc;
                    let ccode = caller.code;
                    let Insn::InlineCall { results, .. } =
                        &prog.jitcodes[ccode as usize].insns[cpc as usize]
                    else {
                        crate::fatal::fatal("JIT: a jitcode returned to a non-call instruction");
                    };
                    for (i, (r, v)) in results.iter().zip(vals).enumerate() {
                        self.set(*r, v);
                        if tracing {
                            self.setb(*r, boxes[i]);
                        }
                    }
                    self.frames.last_mut().expect("caller").pc = cpc + 1;
                    if self.frames.len() == self.stop_depth {
                        self.returned = true;
                        return Stop::Abort("returned to the caller");
                    }
                    continue;
                }
                Insn::Fatal(m) => crate::fatal::fatal(&prog.messages[*m as usize]),
                Insn::JitMergePoint(_, regs) => {
                    let inlined = self
                        .portal_calls
                        .last()
                        .is_some_and(|c| c.frame + 1 == self.frames.len());
                    if tracing && inlined {
                        if self.inlined_merge_point(regs) {
                            self.uninline_portal_call(self.portal_calls.len() - 1);
                            continue;
                        }
                    } else if self.frames.len() == 1 {
                        if tracing {
                            let ng = self.p.ngreens;
                            for r in regs.iter().take(ng) {
                                self.promote(*r);
                            }
                            let vals: Vec<u64> = regs.iter().map(|r| self.get(*r)).collect();
                            let rec = self.rec.as_mut().expect("tracing");
                            let here = rec.trace.ops.len();
                            rec.merge_points.push((here, vals[..ng].to_vec()));
                            let first = rec.merge_points.len() == 1;
                            if vals[..ng] == rec.start_greens[..] && !first {
                                return Stop::CloseLoop(vals);
                            }
                            if rec.stop_at_compiled {
                                if let Some(l) = super::compiled_entry(&vals[..ng]) {
                                    return Stop::EnterCompiled(vals, l);
                                }
                            }
                            // a loop header, or a loop inside the trace (these greens came before):
                            // the other loop is traced on its own rather than unrolled here
                            let again = !rec.seen_greens.insert(vals[..ng].to_vec());
                            if !first && (again || super::is_loop_header(&vals[..ng])) {
                                if again {
                                    super::mark_loop_header(&vals[..ng]);
                                }
                                return Stop::ReachedHeader(vals);
                            }
                        } else {
                            let vals = regs.iter().map(|r| self.get(*r)).collect();
                            return Stop::MergePoint(vals);
                        }
                    }
                }
            }
            self.frames.last_mut().expect("frame").pc = next;
        }
    }

    /// Tracing: a read of quasi-immutable field `offset` of the constant object `obj` is folded
    /// (the caller uses the value read): the trace depends on the field through its
    /// invalidation cell, checked here unless it was checked since the last call.
    fn fold_quasi_immutable(&mut self, obj: u64, offset: u32) {
        let rec = self.rec.as_mut().expect("tracing");
        let cell = *rec.quasi_cell.get_or_insert_with(super::quasi::new_cell);
        super::quasi::depend(obj, offset, cell);
        let n = rec.trace.ops.len();
        let checked = rec.quasi_checked.is_some_and(|at| {
            at <= n
                && !rec.trace.ops[at..]
                    .iter()
                    .any(|o| matches!(o.kind, OpKind::Call { .. }))
        });
        if checked {
            return;
        }
        let flag = rec.emit(
            OpKind::GetField {
                offset: super::quasi::CELL_OFFSET,
                ty: Ty::Int(IntTy::U64),
                pure: false,
            },
            vec![Operand::Ref(cell)],
            &[Kind::Int],
        )[0];
        self.guard(GuardKind::False, vec![Operand::Var(flag)]);
        let rec = self.rec.as_mut().expect("tracing");
        rec.quasi_checked = Some(rec.trace.ops.len());
    }

    /// Tracing: where a call of the portal from the innermost frame would be inlined (the
    /// greens of the innermost portal frame's last merge point), or `None` if it must stay a
    /// residual call: too many portal calls inlined already, that portal frame's greens are not
    /// known (e.g. in a bridge), or the site is marked in [`PORTAL_NO_INLINE`].
    fn portal_site(&self) -> Option<Vec<u64>> {
        if self.portal_calls.len() >= MAX_PORTAL_INLINE {
            return None;
        }
        let site = match self.portal_calls.last() {
            Some(c) => c.last.clone()?,
            None => self.rec.as_ref()?.merge_points.last()?.1.clone(),
        };
        (!portal_no_inline().contains(&site)).then_some(site)
    }

    /// Tracing: a merge point of an inlined portal call. Its greens become constants (as at the
    /// outermost merge point); the first one is the callee's entry. Returns whether the call
    /// must not be inlined: it is recursive (an enclosing portal frame has the same entry) or
    /// it loops (it reached the same greens twice; its loop gets traces of its own). That call
    /// site then keeps a residual call from now on, and this one must be taken back
    /// ([`Interp::uninline_portal_call`]).
    fn inlined_merge_point(&mut self, regs: &[Reg]) -> bool {
        let ng = self.p.ngreens;
        for r in regs.iter().take(ng) {
            self.promote(*r);
        }
        let greens: Vec<u64> = regs.iter().take(ng).map(|r| self.get(*r)).collect();
        let rec = self.rec.as_mut().expect("tracing");
        let n = self.portal_calls.len();
        let call = &self.portal_calls[n - 1];
        if call.entry.is_none() {
            let recursive = rec.start_greens == greens
                || rec.merge_points.first().is_some_and(|(_, g)| *g == greens)
                || self.portal_calls[..n - 1]
                    .iter()
                    .any(|c| c.entry.as_ref() == Some(&greens));
            if recursive {
                portal_no_inline().insert(call.site.clone());
                return true;
            }
        }
        let call = &mut self.portal_calls[n - 1];
        if !call.seen.insert(greens.clone()) {
            portal_no_inline().insert(call.site.clone());
            return true;
        }
        call.entry.get_or_insert_with(|| greens.clone());
        call.last = Some(greens);
        false
    }

    /// Tracing: takes back inlined portal call `k` (and those inside it): forgets what was
    /// recorded since the call, finishes the call without recording (the blackhole
    /// interpreter: it runs for real, calling the portal residually for any call it makes) and
    /// records the call as the residual call of the portal it would have been without
    /// inlining, with the results it had.
    fn uninline_portal_call(&mut self, k: usize) {
        let call = self
            .portal_calls
            .drain(k..)
            .next()
            .expect("an inlined portal call");
        let rec = self.rec.as_mut().expect("tracing");
        rec.rollback(call.checkpoint);
        for (f, b) in self.frames.iter_mut().zip(call.boxes) {
            f.boxes = b;
        }
        let mut rec = self.rec.take();
        let depth = std::mem::replace(&mut self.stop_depth, call.frame);
        self.returned = false;
        self.run();
        self.stop_depth = depth;
        std::mem::swap(&mut self.rec, &mut rec);
        if !std::mem::take(&mut self.returned) {
            crate::fatal::fatal("JIT: a portal call did not return to its caller");
        }
        // the caller is back after its InlineCall
        let f = self.frames.last().expect("caller");
        let Insn::InlineCall {
            residual,
            args,
            results,
            ..
        } = &self.p.prog.jitcodes[f.code as usize].insns[f.pc as usize - 1]
        else {
            crate::fatal::fatal("JIT: a portal call returned to a non-call instruction");
        };
        let outs: Vec<u64> = results.iter().map(|r| self.get(*r)).collect();
        self.record_call(*residual, args, results, &outs);
    }

    /// Executes (and, when tracing, records) helper call `call`.
    fn exec_call(
        &mut self,
        call: u16,
        args: &[Reg],
        results: &[Reg],
        live_args: &mut Vec<u64>,
        outs: &mut Vec<u64>,
    ) {
        let prog = &self.p.prog;
        let tracing = self.rec.is_some();
        let d = &prog.calls[call as usize];
        live_args.clear();
        live_args.extend(args.iter().map(|r| self.get(*r)));
        outs.clear();
        outs.resize(results.len().max(1), 0);
        self.call_helper(d.helper, live_args, outs);
        for (r, v) in results.iter().zip(outs.iter()) {
            self.set(*r, *v);
        }
        if tracing {
            self.record_call(call, args, results, outs);
        }
    }

    /// Tracing: records helper call `call` (already executed: `outs` are its results).
    fn record_call(&mut self, call: u16, args: &[Reg], results: &[Reg], outs: &[u64]) {
        let prog = &self.p.prog;
        let d = &prog.calls[call as usize];
        {
            let boxes: Vec<Operand> = args.iter().map(|r| self.bx(*r)).collect();
            let vals: Vec<(Kind, u64)> = results
                .iter()
                .zip(outs.iter())
                .map(|(r, v)| (r.kind, *v))
                .collect();
            let rec = self.rec.as_mut().expect("tracing");
            let out_boxes: Vec<Operand> = match d.special {
                Some(Special::ArrayLen) => rec.pure(OpKind::ArrayLen, boxes, &vals),
                Some(Special::StrLen) => rec.pure(OpKind::StrLen, boxes, &vals),
                Some(Special::StrByteAt) => rec.pure(OpKind::StrByteAt, boxes, &vals),
                Some(Special::ArrayNew) => {
                    let kind = OpKind::NewArray {
                        helper: d.helper,
                        tys: d.args[1..].to_vec(),
                    };
                    vec![Operand::Var(rec.emit(kind, boxes, &[Kind::Ref])[0])]
                }
                Some(Special::ListLen) => {
                    // (not cached: calls that push or pop change it, and such calls say only
                    // that they write containers)
                    let kind = OpKind::GetField {
                        offset: vmkit_jit_ir::trace::LIST_LEN_OFFSET,
                        ty: d.results[0],
                        pure: false,
                    };
                    vec![Operand::Var(rec.emit(kind, boxes, &[vals[0].0])[0])]
                }
                // list elements are cached like array elements (a call that writes
                // containers forgets them; a list is never an array operand)
                Some(s @ (Special::ArrayGet | Special::ListGet)) => {
                    let width = d.results.len() as u32;
                    (0..width)
                        .map(|word| {
                            let key = (boxes[0], boxes[1], word);
                            if let Some(v) = rec.heap_cached(key) {
                                return v;
                            }
                            let ty = d.results[word as usize];
                            let kind = if s == Special::ListGet {
                                OpKind::ListGet { width, word, ty }
                            } else {
                                OpKind::ArrayGet { width, word, ty }
                            };
                            let v = Operand::Var(
                                rec.emit(kind, vec![boxes[0], boxes[1]], &[ty.kind()])[0],
                            );
                            rec.heap_remember(key, v);
                            v
                        })
                        .collect()
                }
                Some(s @ (Special::ArraySet | Special::ListSet)) => {
                    let width = (d.args.len() - 2) as u32;
                    rec.heap_invalidate((boxes[0], boxes[1]));
                    for word in 0..width {
                        let ty = d.args[2 + word as usize];
                        let v = boxes[2 + word as usize];
                        let kind = if s == Special::ListSet {
                            OpKind::ListSet { width, word, ty }
                        } else {
                            OpKind::ArraySet { width, word, ty }
                        };
                        rec.emit(kind, vec![boxes[0], boxes[1], v], &[]);
                        rec.heap_remember((boxes[0], boxes[1], word), v);
                    }
                    vec![]
                }
                None if d.new.is_some() && d.results.len() == 1 => {
                    let shape = d.new.clone().expect("a `new` helper");
                    let kind = OpKind::New {
                        helper: d.helper,
                        shape,
                    };
                    let v = rec.emit(kind, boxes, &[Kind::Ref])[0];
                    vec![Operand::Var(v)]
                }
                None => {
                    if d.effects.writes_containers || d.effects.random_effects {
                        rec.heap_clear();
                    }
                    if !d.effects.writes_fields.is_empty() || d.effects.random_effects {
                        rec.fields_clear();
                    }
                    let kind = OpKind::Call {
                        helper: d.helper,
                        args: d.args.clone(),
                        results: d.results.clone(),
                        can_collect: d.effects.can_collect,
                    };
                    if d.effects.elidable && !d.effects.can_collect {
                        rec.pure(kind, boxes, &vals)
                    } else if d.effects.elidable && rec.fold && boxes.iter().all(|b| b.is_const()) {
                        vals.iter().map(|(k, v)| konst(*k, *v)).collect()
                    } else {
                        let kinds: Vec<Kind> = vals.iter().map(|(k, _)| *k).collect();
                        rec.emit(kind, boxes, &kinds)
                            .into_iter()
                            .map(Operand::Var)
                            .collect()
                    }
                }
            };
            for (r, b) in results.iter().zip(out_boxes) {
                self.setb(*r, b);
            }
        }
    }

    /// Executed a pure one-result op: set `x` to `v` and record it.
    #[inline]
    fn rec1(&mut self, kind: OpKind, args: &[Reg], x: Reg, v: u64) {
        self.set(x, v);
        if self.rec.is_some() {
            let boxes: Vec<Operand> = args.iter().map(|r| self.bx(*r)).collect();
            let rec = self.rec.as_mut().expect("tracing");
            let b = rec.pure(kind, boxes, &[(x.kind, v)])[0];
            self.setb(x, b);
        }
    }

    /// The boxes of registers `regs` of the innermost frame.
    pub fn boxes_of(&self, regs: &[Reg]) -> Vec<Operand> {
        regs.iter().map(|r| self.bx(*r)).collect()
    }

    /// Rebuilds the frames of `snap` with fail-argument values `fail` (and, when tracing,
    /// boxes `fail_boxes`).
    pub fn resume(&mut self, snap: &Snapshot, fail: &[u64], fail_boxes: Option<&[Operand]>) {
        for sf in &snap.frames {
            self.push_frame(sf.code, sf.pc);
            for (r, sv) in &sf.regs {
                let (v, b) = match sv {
                    SnapVal::Fail(i) => (
                        fail[*i as usize],
                        fail_boxes.map_or(Operand::Int(0), |bs| bs[*i as usize]),
                    ),
                    SnapVal::Const(w) => (*w, konst(r.kind, *w)),
                };
                self.set_boxed(*r, v, b);
            }
        }
    }

    /// Starts at the portal's merge point with the words `vals` (greens then reds); when
    /// tracing, greens are constants and the reds become the trace's inputs.
    pub fn start_at_merge_point(&mut self, vals: &[u64]) {
        let portal = self.p.portal_code;
        let pc = self.p.merge_pc;
        self.push_frame(portal, pc);
        let regs = &self.p.merge_regs;
        let ng = self.p.ngreens;
        for (i, (r, v)) in regs.iter().zip(vals).enumerate() {
            let b = if i < ng {
                konst(r.kind, *v)
            } else if let Some(rec) = self.rec.as_mut() {
                let var = rec.trace.new_var(r.kind);
                rec.trace.inputs.push(var);
                Operand::Var(var)
            } else {
                Operand::Int(0)
            };
            self.set_boxed(*r, *v, b);
        }
    }

    /// The merge point's registers' boxes (the reds part), for closing or exiting a trace.
    pub fn red_boxes(&self) -> Vec<Operand> {
        let ng = self.p.ngreens;
        self.p.merge_regs[ng..]
            .iter()
            .map(|r| self.bx(*r))
            .collect()
    }

    /// Drops the recorder: from now on this is a blackhole interpreter.
    pub fn stop_recording(&mut self) -> Option<Recorder> {
        let r = self.rec.take();
        for f in self.frames.iter_mut() {
            for b in f.boxes.iter_mut() {
                b.clear();
            }
        }
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(b as i64) == 1` is `b`, `(!b as i64) == 0` is `b`, `!!b` is `b`, and a guard on `!b`
    /// is the opposite guard on `b` — checked against the values every rewrite claims, for
    /// both values of `b`; other comparisons are recorded as they are.
    #[test]
    fn boolean_comparisons_fold_into_the_boolean() {
        for b in [0u64, 1] {
            let mut rec = Recorder::new(Vec::new(), 1000, true, true);
            let x = Operand::Var(rec.trace.new_var(Kind::Int));
            let i64t = IntTy::I64;
            let cast = rec.pure(
                OpKind::Cast(Ty::Bool, Ty::Int(i64t)),
                vec![x],
                &[(Kind::Int, b)],
            )[0];
            let not = rec.pure(OpKind::BoolNot, vec![x], &[(Kind::Int, 1 - b)])[0];
            let not_cast = rec.pure(
                OpKind::Cast(Ty::Bool, Ty::Int(i64t)),
                vec![not],
                &[(Kind::Int, 1 - b)],
            )[0];
            let ops_before = rec.trace.ops.len();
            let cmp = |rec: &mut Recorder, op, a, c: i64, v: u64| {
                rec.pure(
                    OpKind::IntCmp(op, i64t),
                    vec![a, Operand::Int(c)],
                    &[(Kind::Int, v)],
                )[0]
            };
            // results equal to `b`
            assert_eq!(cmp(&mut rec, BinOp::Eq, cast, 1, b), x);
            assert_eq!(cmp(&mut rec, BinOp::Ne, cast, 0, b), x);
            assert_eq!(cmp(&mut rec, BinOp::Eq, not, 0, b), x);
            assert_eq!(cmp(&mut rec, BinOp::Ne, not, 1, b), x);
            assert_eq!(
                rec.pure(OpKind::BoolNot, vec![not], &[(Kind::Int, b)])[0],
                x
            );
            // equal to `!b`
            assert_eq!(cmp(&mut rec, BinOp::Eq, not, 1, 1 - b), not);
            assert_eq!(rec.trace.ops.len(), ops_before, "{}", rec.trace);
            // `(b as i64) == 0` and comparisons with other constants stay
            let kept = cmp(&mut rec, BinOp::Eq, cast, 0, 1 - b);
            assert_ne!(kept, x);
            cmp(&mut rec, BinOp::Eq, not_cast, 2, 0);
            assert_eq!(rec.trace.ops.len(), ops_before + 2, "{}", rec.trace);
            assert_eq!(
                rec.guard_rewrite(GuardKind::True, vec![not]),
                (GuardKind::False, vec![x])
            );
            assert_eq!(
                rec.guard_rewrite(GuardKind::False, vec![not]),
                (GuardKind::True, vec![x])
            );
            assert_eq!(
                rec.guard_rewrite(GuardKind::True, vec![cast]),
                (GuardKind::True, vec![cast])
            );
        }
    }

    /// Strength reduction gives the same results as the operations it replaces, over a range
    /// of values, for every integer type, and leaves other divisors alone.
    #[test]
    fn strength_reduction_keeps_the_results() {
        use vmkit_jit_ir::ops::{canon, int_bin};
        let tys = [
            IntTy::U8,
            IntTy::I32,
            IntTy::U32,
            IntTy::I64,
            IntTy::U64,
            IntTy::Usize,
        ];
        for it in tys {
            for op in [BinOp::Mul, BinOp::Div, BinOp::Rem] {
                for c in [1i64, 2, 3, 4, 8, 64, 128, 256, 1 << 31, 1 << 40, 1 << 62] {
                    let (k, a) = strength_reduce(
                        OpKind::IntBin(op, it),
                        vec![Operand::Var(0), Operand::Int(c)],
                    );
                    let OpKind::IntBin(new_op, _) = k else {
                        panic!("not an int_bin")
                    };
                    let reduced = new_op != op;
                    if reduced {
                        assert!((c as u64).is_power_of_two() && c > 1, "{op:?} {c}");
                        assert!(op == BinOp::Mul || !it.signed(), "{op:?} {it:?}");
                    }
                    let Operand::Int(k2) = a[1] else {
                        panic!("constant")
                    };
                    for x in [0i64, 1, 5, 127, 128, 255, 1000, -1, -7, i64::MAX, i64::MIN] {
                        let x = canon(it, x, true);
                        let c = canon(it, c, true);
                        if c == 0 {
                            continue;
                        }
                        let want = int_bin(op, it, x, c, true);
                        let got = int_bin(new_op, it, x, k2, true);
                        assert_eq!(
                            want, got,
                            "{op:?}.{it:?}({x}, {c}) -> {new_op:?}({x}, {k2})"
                        );
                    }
                }
            }
        }
        // either argument of a multiplication; never signed division
        let (k, _) = strength_reduce(
            OpKind::IntBin(BinOp::Mul, IntTy::I64),
            vec![Operand::Int(16), Operand::Var(3)],
        );
        assert_eq!(k, OpKind::IntBin(BinOp::Shl, IntTy::I64));
        let (k, _) = strength_reduce(
            OpKind::IntBin(BinOp::Div, IntTy::I64),
            vec![Operand::Var(3), Operand::Int(16)],
        );
        assert_eq!(k, OpKind::IntBin(BinOp::Div, IntTy::I64));
    }
}
