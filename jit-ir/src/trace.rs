//! The trace IR: what the meta-interpreter records, the optimizer rewrites and the trace backend
//! compiles.
//!
//! A trace is a straight line of operations in SSA form over variables of three kinds (int, ref,
//! float; see [`crate::ops`] for the canonical word forms). It starts with its input variables,
//! which the compiled code loads from a *frame buffer* of 64-bit words, and ends with either
//! - [`OpKind::Jump`]: back to the top of the same trace, with new values for the inputs (a loop);
//! - [`OpKind::Exit`]: store the arguments into the frame buffer and return the exit's index to
//!   the runtime;
//! - [`OpKind::JumpTo`]: store the arguments into the frame buffer and continue in another
//!   compiled trace (a bridge or entry trace ending in a loop).
//!
//! Guards ([`OpKind::Guard`]) are conditional exits: when the condition does not hold, the
//! guard's `fail_args` are stored into the frame buffer (word `i` = `fail_args[i]`: ints as
//! their canonical `i64`, floats as their bits, references as addresses) and the compiled
//! function returns the guard's `index`. What a guard index or an exit index *means* (resume
//! data, bridges) is the runtime's business; the backend only stores words and returns numbers.
//!
//! A *trace tree* adds bridge segments after the main ops: [`OpKind::Bridge`] starts the code
//! a guard's failure runs instead of its exit, ending like a trace (or with
//! [`OpKind::Restart`], back to the top).
//!
//! Invariants (checked by [`Trace::verify`]):
//! - every variable is defined once (an input or one result) before it is used (in a segment:
//!   before it, or before its guard);
//! - the last operation of the trace and of each segment, and only it, is a `Jump`, `Exit`,
//!   `JumpTo` or `Restart`; a `Jump` has one argument per loop variable, a `Restart` one per
//!   input, of the same kind;
//! - operand kinds match what each operation expects.

use crate::ops::{BinOp, IntTy, Kind, Ty};
use serde::{Deserialize, Serialize};
use std::fmt::{self, Write};

/// A trace variable.
pub type Var = u32;

/// An operand: a variable or a constant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Operand {
    Var(Var),
    /// An integer (canonical form).
    Int(i64),
    /// A float, as its bits.
    Float(u64),
    /// A reference (an address; 0 is null). Constant references always point to objects that
    /// are kept alive by the runtime while the trace exists.
    Ref(u64),
}

impl Operand {
    pub fn as_var(self) -> Option<Var> {
        match self {
            Operand::Var(v) => Some(v),
            _ => None,
        }
    }
    pub fn is_const(self) -> bool {
        !matches!(self, Operand::Var(_))
    }
    /// The constant as a 64-bit word.
    pub fn const_word(self) -> Option<u64> {
        match self {
            Operand::Var(_) => None,
            Operand::Int(i) => Some(i as u64),
            Operand::Float(b) | Operand::Ref(b) => Some(b),
        }
    }
}

/// What a guard checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum GuardKind {
    /// `args[0]` (an int) is non-zero.
    True,
    /// `args[0]` (an int) is zero.
    False,
    /// `args[0]` equals `args[1]` (same kind; floats compared by bits, refs by address).
    Value,
}

/// A store done only when a guard fails (see [`OpKind::Guard`]): what an
/// [`OpKind::ArraySet`] `{ width, word, ty }` with arguments `(array, index, value)` would do
/// (the element was accessed, and so bounds-checked, before the guard on every path), or with
/// `field: Some(offset)`, what a [`OpKind::SetField`] `{ offset, ty }` of `(array, value)`
/// would do (`index`, `width` and `word` unused).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DelayedStore {
    pub array: Operand,
    pub index: Operand,
    pub value: Operand,
    pub width: u32,
    pub word: u32,
    pub ty: Ty,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<u32>,
}

impl DelayedStore {
    /// A store operation (`ArraySet` or `SetField`) delayed; None for other operations.
    pub fn of(op: &Op) -> Option<DelayedStore> {
        match op.kind {
            OpKind::ArraySet { width, word, ty } => Some(DelayedStore {
                array: op.args[0],
                index: op.args[1],
                value: op.args[2],
                width,
                word,
                ty,
                field: None,
            }),
            OpKind::SetField { offset, ty } => Some(DelayedStore {
                array: op.args[0],
                index: Operand::Int(0),
                value: op.args[1],
                width: 0,
                word: 0,
                ty,
                field: Some(offset),
            }),
            _ => None,
        }
    }

    /// The store as an operation.
    pub fn op(&self) -> Op {
        match self.field {
            Some(offset) => Op {
                kind: OpKind::SetField {
                    offset,
                    ty: self.ty,
                },
                args: vec![self.array, self.value],
                results: vec![],
            },
            None => Op {
                kind: OpKind::ArraySet {
                    width: self.width,
                    word: self.word,
                    ty: self.ty,
                },
                args: vec![self.array, self.index, self.value],
                results: vec![],
            },
        }
    }
}

/// What a `new` helper makes (see [`OpKind::New`]): argument `i` of the helper is the initial
/// value of field `fields[i]` (byte offset, type); an enum variant's tag field (offset, value)
/// is set by the helper itself. Every other word of the object starts zeroed.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct NewShape {
    pub fields: Vec<(u32, Ty)>,
    pub tag: Option<(u32, i64)>,
}

impl NewShape {
    /// The index of the field at `offset`, when it is one of `fields` with type `ty`.
    pub fn field(&self, offset: u32, ty: Ty) -> Option<usize> {
        self.fields.iter().position(|&f| f == (offset, ty))
    }
}

/// Operations. Argument and result conventions are given per variant; "int" means any
/// canonical integer or bool word.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum OpKind {
    /// (int, int) -> int: wrapping arithmetic of [`crate::ops::int_bin`]. `Div`/`Rem` by zero is
    /// a fatal error with [`crate::ops::div_zero_message`] (the backend calls the runtime's
    /// `fatal` function).
    IntBin(BinOp, IntTy),
    /// (int, int) -> int 0/1: [`crate::ops::int_cmp`].
    IntCmp(BinOp, IntTy),
    /// (int, int) -> (int, int 0/1): [`crate::ops::int_ovf`].
    IntOvf(BinOp, IntTy),
    /// int -> int: wrapping negation, canonical.
    IntNeg(IntTy),
    /// int -> int: bitwise not, canonical.
    IntNot(IntTy),
    /// (int 0/1, int 0/1) -> int 0/1: [`crate::ops::bool_bin`].
    BoolBin(BinOp),
    /// int 0/1 -> int 0/1.
    BoolNot,
    /// (float, float) -> float.
    FloatBin(BinOp),
    /// (float, float) -> int 0/1.
    FloatCmp(BinOp),
    /// float -> float.
    FloatNeg,
    /// scalar -> scalar: [`crate::ops::cast`].
    Cast(Ty, Ty),
    /// (ref, ref) -> int 0/1.
    PtrEq,
    /// ref -> int 0/1.
    PtrIsNull,
    /// ref -> value of `ty`: load `ty.mem_size()` bytes at `obj + offset`, extended to the
    /// canonical word (bool and unsigned: zero-extended; signed: sign-extended). `pure`: the
    /// field is immutable (set when the object is made), so the load gives the same value
    /// anywhere in the trace: it may be shared (CSE) and leave a peeled loop's body. Printed
    /// `getfield_pure`.
    GetField {
        offset: u32,
        ty: Ty,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        pure: bool,
    },
    /// (ref, value) -> (): store the low `ty.mem_size()` bytes at `obj + offset`.
    SetField { offset: u32, ty: Ty },
    /// ref (a `GcArray`) -> int: its length (u64 at offset 24).
    ArrayLen,
    /// (ref, int index) -> value: word `word` of element `index` of a `GcArray` whose elements
    /// are `width` words (element words start at offset 32). An index >= the length is a fatal
    /// error reported by calling the runtime's `vmkit_array_get(array, index, out)` (which prints
    /// the error and exits).
    ArrayGet { width: u32, word: u32, ty: Ty },
    /// (ref, int index, value) -> (): the store counterpart of `ArrayGet` (bad index: the runtime's
    /// `vmkit_array_set(array, index, val)`, which reports the error).
    ArraySet { width: u32, word: u32, ty: Ty },
    /// (ref, int index) -> value: word `word` of element `index` of a `GcList` whose elements
    /// are `width` words. A list keeps its length (u64) at [`LIST_LEN_OFFSET`] and its
    /// elements out of line, from the address at [`LIST_DATA_OFFSET`]; both change when the
    /// list grows or shrinks (only calls do that). An index >= the length is a fatal error
    /// reported by calling the runtime's `vmkit_list_get(list, index, out)`.
    ListGet { width: u32, word: u32, ty: Ty },
    /// (ref, int index, value) -> (): the store counterpart of `ListGet` (bad index: the
    /// runtime's `vmkit_list_set(list, index, val)`).
    ListSet { width: u32, word: u32, ty: Ty },
    /// ref (a `Str`) -> int: its length (u64 at offset 8).
    StrLen,
    /// (ref, int index) -> int (u8): byte `index` (bytes start at offset 16). A bad index: the
    /// runtime's `vmkit_str_byte_at(s, index)`, which reports the error.
    StrByteAt,
    /// A call of helper `helper` of the runtime's helper table with the uniform helper ABI:
    /// `extern "C" fn(args: *const u64, results: *mut u64)`, one word per argument and result.
    /// When `can_collect`, every reference live after the call must be on the shadow stack
    /// during the call.
    Call {
        helper: u32,
        args: Vec<Ty>,
        results: Vec<Ty>,
        can_collect: bool,
    },
    /// A fresh object from helper `helper` of the helper table, a `new` helper with the
    /// uniform helper ABI: (the initial field values, one per `shape.fields`) -> ref. It may
    /// collect, like a `Call { can_collect: true }`.
    New { helper: u32, shape: NewShape },
    /// (int length, the element's words: one per `tys`) -> ref: a fresh `GcArray` of `length`
    /// copies of the element, from helper `helper` (the `GcArray::new` helper for that
    /// element type). It may collect.
    NewArray { helper: u32, tys: Vec<Ty> },
    /// A guard; see [`GuardKind`]. On failure: make the `virtuals` (in order), do the
    /// `stores` (in order), store `fail_args`, return `index` (or continue in the guard's
    /// bridge).
    Guard {
        kind: GuardKind,
        index: u32,
        fail_args: Vec<Operand>,
        /// Objects the optimizer removed from the main path (virtuals, see the runtime's
        /// `virtuals` pass) that this guard's failure needs: `New` and `NewArray` ops whose
        /// results (not defined on the main path before the guard) its fail args, stores and
        /// later virtuals may use, and the `ArraySet`s that fill such arrays; usually empty.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        virtuals: Vec<Op>,
        /// Array stores the optimizer moved out of the main path into the failure path
        /// (delayed stores: see the runtime's `opt::sink_stores`); usually empty.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        stores: Vec<DelayedStore>,
    },
    /// The loop header of a trace with a preamble: the ops before it run once, on entry;
    /// `args` (values from the preamble) become `results` (the loop's variables), and `Jump`
    /// comes back here with new values for them. At most one; without it the loop header is the
    /// top of the trace and the loop's variables are the inputs.
    Label,
    /// Back to the loop header (the `Label`, or else the top of the trace); `args` become the
    /// loop's variables (the `Label`'s results, or else the inputs). Last op only.
    Jump,
    /// Store `args` into the frame buffer and return `index`. Last op only. When the trace is
    /// compiled with a link table whose slot `index` is non-zero at run time, continue in that
    /// trace instead (like a linked guard).
    Exit { index: u32 },
    /// Store `args` into the frame buffer and continue in another compiled trace (a tail call
    /// to its `tail_entry` address, which loads its inputs from the frame). Last op only.
    JumpTo { target: u64 },
    /// Back to the top of the trace (before the preamble, if any); `args` become the inputs.
    /// Ends a segment (see [`OpKind::Bridge`]).
    Restart,
    /// Starts a *bridge segment*: the ops up to the next `Jump`/`Exit`/`JumpTo`/`Restart` run
    /// when the guard with index `guard` (an earlier guard: of the main ops or of an earlier
    /// segment) fails, instead of its exit. The segment sees the variables defined before that
    /// guard. No arguments or results. A trace with segments is a *trace tree*: a loop compiled
    /// together with the bridges that come back to it (see the runtime).
    Bridge { guard: u32 },
}

/// One operation: its kind, arguments and results.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Op {
    pub kind: OpKind,
    pub args: Vec<Operand>,
    pub results: Vec<Var>,
}

impl Op {
    /// Every operand the operation uses: its arguments and, for a guard, its fail args, its
    /// delayed stores' operands and its virtuals' fields.
    pub fn uses(&self) -> impl Iterator<Item = &Operand> {
        let (fail, stores, virtuals): (&[Operand], &[DelayedStore], &[Op]) = match &self.kind {
            OpKind::Guard {
                fail_args,
                stores,
                virtuals,
                ..
            } => (fail_args, stores, virtuals),
            _ => (&[], &[], &[]),
        };
        let stored = stores.iter().flat_map(|s| [&s.array, &s.index, &s.value]);
        let fields = virtuals.iter().flat_map(|v| &v.args);
        self.args.iter().chain(fail).chain(stored).chain(fields)
    }

    /// Whether running the operation (or, for a guard, its failure path) may collect: a
    /// collecting call, an allocation, a guard that makes virtuals.
    pub fn may_collect(&self) -> bool {
        match &self.kind {
            OpKind::Call { can_collect, .. } => *can_collect,
            OpKind::New { .. } | OpKind::NewArray { .. } => true,
            OpKind::Guard { virtuals, .. } => !virtuals.is_empty(),
            _ => false,
        }
    }
}

/// Where a `GcList` object keeps its length (u64; see [`OpKind::ListGet`]).
pub const LIST_LEN_OFFSET: u32 = 24;
/// Where a `GcList` object keeps the address of its first element's first word.
pub const LIST_DATA_OFFSET: u32 = 32;

/// A trace ready to compile.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Trace {
    /// A name for logs (`loop 3`, `bridge 5 from guard 2 of loop 3`).
    pub name: String,
    /// The input variables, in frame-buffer order.
    pub inputs: Vec<Var>,
    pub ops: Vec<Op>,
    /// The kind of every variable, indexed by [`Var`].
    pub kinds: Vec<Kind>,
    /// Optional comments shown by the printer before op `i` (`(i, text)`, sorted by `i`):
    /// the interpreter's printable locations.
    pub comments: Vec<(usize, String)>,
    /// A link-table slot checked on entry: when non-zero at run time, the trace continues
    /// at once in the trace at that address, with the same frame (the runtime's way to send
    /// every later entry of a loop to its newer version, a trace tree with the same inputs).
    #[serde(default)]
    pub redirect: Option<u32>,
}

impl Trace {
    /// Which variables hold 0/1 words computed by the trace (comparisons, boolean operations,
    /// overflow flags), as opposed to words of unknown value.
    pub fn bool_vars(&self) -> Vec<bool> {
        let mut b = vec![false; self.kinds.len()];
        for op in &self.ops {
            let r = match op.kind {
                OpKind::IntCmp(..)
                | OpKind::FloatCmp(_)
                | OpKind::PtrEq
                | OpKind::PtrIsNull
                | OpKind::BoolNot
                | OpKind::BoolBin(_) => op.results.first(),
                OpKind::IntOvf(..) => op.results.get(1),
                _ => None,
            };
            if let Some(&r) = r {
                b[r as usize] = true;
            }
        }
        b
    }

    /// A new variable of kind `k`.
    pub fn new_var(&mut self, k: Kind) -> Var {
        self.kinds.push(k);
        (self.kinds.len() - 1) as Var
    }

    pub fn kind_of(&self, o: Operand) -> Kind {
        match o {
            Operand::Var(v) => self.kinds[v as usize],
            Operand::Int(_) => Kind::Int,
            Operand::Float(_) => Kind::Float,
            Operand::Ref(_) => Kind::Ref,
        }
    }

    /// The loop's variables: the `Label`'s results, or the inputs.
    pub fn loop_vars(&self) -> &[Var] {
        self.ops
            .iter()
            .find(|o| o.kind == OpKind::Label)
            .map_or(&self.inputs[..], |o| &o.results[..])
    }

    /// Number of operations of each name (for trace-shape tests).
    pub fn count(&self, pred: impl Fn(&OpKind) -> bool) -> usize {
        self.ops.iter().filter(|o| pred(&o.kind)).count()
    }

    /// Checks the invariants listed in the module documentation.
    pub fn verify(&self) -> Result<(), String> {
        let mut defined = vec![false; self.kinds.len()];
        for &i in &self.inputs {
            let d = defined
                .get_mut(i as usize)
                .ok_or_else(|| format!("input v{i} has no kind"))?;
            if *d {
                return Err(format!("input v{i} listed twice"));
            }
            *d = true;
        }
        if self.ops.is_empty() {
            return Err("empty trace".into());
        }
        if self.ops.iter().filter(|o| o.kind == OpKind::Label).count() > 1 {
            return Err("more than one label".into());
        }
        // variables defined before each guard that has a segment, by guard index
        let seg_guards: std::collections::HashSet<u32> = self
            .ops
            .iter()
            .filter_map(|o| match o.kind {
                OpKind::Bridge { guard } => Some(guard),
                _ => None,
            })
            .collect();
        let mut at_guard: std::collections::HashMap<u32, Vec<bool>> =
            std::collections::HashMap::new();
        let mut ended = false;
        let mut in_segment = false;
        for (k, op) in self.ops.iter().enumerate() {
            if let OpKind::Bridge { guard } = op.kind {
                in_segment = true;
                if !ended {
                    return Err(format!("op {k}: a bridge segment must follow a jump/exit"));
                }
                defined = at_guard
                    .remove(&guard)
                    .ok_or_else(|| format!("op {k}: no earlier guard #{guard} for the segment"))?;
                ended = false;
                continue;
            }
            if ended {
                return Err(format!(
                    "op {k}: jump/exit must be the last operation (of the trace or segment)"
                ));
            }
            let check = |o: &Operand| -> Result<(), String> {
                if let Operand::Var(v) = o {
                    if !defined.get(*v as usize).copied().unwrap_or(false) {
                        return Err(format!("op {k}: v{v} used before definition"));
                    }
                }
                Ok(())
            };
            for a in &op.args {
                check(a)?;
            }
            if let OpKind::Guard {
                fail_args,
                index,
                stores,
                virtuals,
                ..
            } = &op.kind
            {
                // the guard's virtuals are defined on its failure path only
                let mut local: Vec<Var> = Vec::new();
                let check_fail = |o: &Operand, local: &[Var]| match o {
                    Operand::Var(v) if local.contains(v) => Ok(()),
                    _ => check(o),
                };
                for v in virtuals {
                    let ok = match v.kind {
                        OpKind::New { .. } | OpKind::NewArray { .. } => v.results.len() == 1,
                        OpKind::ArraySet { .. } => v.results.is_empty(),
                        _ => false,
                    };
                    if !ok {
                        return Err(format!("op {k}: a guard's virtual is not a `new`"));
                    }
                    for a in &v.args {
                        check_fail(a, &local)?;
                    }
                    let Some(&r) = v.results.first() else {
                        continue;
                    };
                    if defined.get(r as usize).copied().unwrap_or(true) || local.contains(&r) {
                        return Err(format!("op {k}: virtual v{r} is defined elsewhere"));
                    }
                    if self.kinds[r as usize] != Kind::Ref {
                        return Err(format!("op {k}: virtual v{r} is not a reference"));
                    }
                    local.push(r);
                }
                for a in fail_args {
                    check_fail(a, &local)?;
                }
                for st in stores {
                    for a in [&st.array, &st.index, &st.value] {
                        check_fail(a, &local)?;
                    }
                }
                if seg_guards.contains(index) && at_guard.insert(*index, defined.clone()).is_some()
                {
                    return Err(format!("op {k}: guard #{index} has several segments"));
                }
            }
            ended = matches!(
                op.kind,
                OpKind::Jump | OpKind::Exit { .. } | OpKind::JumpTo { .. } | OpKind::Restart
            );
            if op.kind == OpKind::Label {
                if in_segment {
                    return Err(format!("op {k}: a label in a bridge segment"));
                }
                if op.args.len() != op.results.len() {
                    return Err(format!(
                        "op {k}: label arguments and results differ in number"
                    ));
                }
                for (a, r) in op.args.iter().zip(&op.results) {
                    if self.kinds.get(*r as usize) != Some(&self.kind_of(*a)) {
                        return Err(format!("op {k}: label argument {a:?} has the wrong kind"));
                    }
                }
            }
            if op.kind == OpKind::Jump {
                let vars = self.loop_vars();
                if op.args.len() != vars.len() {
                    return Err("jump: argument count differs from the loop variables".into());
                }
                for (a, i) in op.args.iter().zip(vars) {
                    if self.kind_of(*a) != self.kinds[*i as usize] {
                        return Err(format!("jump: argument {a:?} has the wrong kind"));
                    }
                }
            }
            if op.kind == OpKind::Restart {
                if op.args.len() != self.inputs.len() {
                    return Err("restart: argument count differs from the inputs".into());
                }
                for (a, i) in op.args.iter().zip(&self.inputs) {
                    if self.kind_of(*a) != self.kinds[*i as usize] {
                        return Err(format!("restart: argument {a:?} has the wrong kind"));
                    }
                }
            }
            for r in &op.results {
                let d = defined
                    .get_mut(*r as usize)
                    .ok_or_else(|| format!("op {k}: result v{r} has no kind"))?;
                if *d {
                    return Err(format!("op {k}: v{r} defined twice"));
                }
                *d = true;
            }
        }
        if !ended {
            return Err("the last operation must be a jump/exit".into());
        }
        if !at_guard.is_empty() {
            return Err("a bridge segment names a guard that does not precede it".into());
        }
        Ok(())
    }
}

fn operand(t: &Trace, o: &Operand, out: &mut String) {
    match o {
        Operand::Var(v) => {
            let c = match t.kinds.get(*v as usize) {
                Some(Kind::Int) => 'i',
                Some(Kind::Ref) => 'p',
                Some(Kind::Float) => 'f',
                None => '?',
            };
            let _ = write!(out, "{c}{v}");
        }
        Operand::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Operand::Float(b) => {
            let _ = write!(out, "{:?}", f64::from_bits(*b));
        }
        Operand::Ref(a) => {
            let _ = write!(out, "ConstPtr(0x{a:x})");
        }
    }
}

/// The operation's name in printed traces (`int_add.i64`, `getfield.u8@16`, ...).
pub fn op_name(k: &OpKind) -> String {
    match k {
        OpKind::IntBin(op, t) => format!("int_{}.{}", op.name(), t.name()),
        OpKind::IntCmp(op, t) => format!("int_{}.{}", op.name(), t.name()),
        OpKind::IntOvf(op, t) => format!("int_{}_ovf.{}", op.name(), t.name()),
        OpKind::IntNeg(t) => format!("int_neg.{}", t.name()),
        OpKind::IntNot(t) => format!("int_not.{}", t.name()),
        OpKind::BoolBin(op) => format!("bool_{}", op.name()),
        OpKind::BoolNot => "bool_not".into(),
        OpKind::FloatBin(op) => format!("float_{}", op.name()),
        OpKind::FloatCmp(op) => format!("float_{}", op.name()),
        OpKind::FloatNeg => "float_neg".into(),
        OpKind::Cast(a, b) => format!("cast.{}.{}", a.name(), b.name()),
        OpKind::PtrEq => "ptr_eq".into(),
        OpKind::PtrIsNull => "ptr_is_null".into(),
        OpKind::GetField { offset, ty, pure } => {
            let p = if *pure { "_pure" } else { "" };
            format!("getfield{p}.{}@{offset}", ty.name())
        }
        OpKind::SetField { offset, ty } => format!("setfield.{}@{offset}", ty.name()),
        OpKind::ArrayLen => "arraylen".into(),
        OpKind::ArrayGet { width, word, ty } => format!("arrayget.{}[{word}/{width}]", ty.name()),
        OpKind::ArraySet { width, word, ty } => format!("arrayset.{}[{word}/{width}]", ty.name()),
        OpKind::ListGet { width, word, ty } => format!("listget.{}[{word}/{width}]", ty.name()),
        OpKind::ListSet { width, word, ty } => format!("listset.{}[{word}/{width}]", ty.name()),
        OpKind::StrLen => "strlen".into(),
        OpKind::StrByteAt => "strgetitem".into(),
        OpKind::Call {
            helper,
            can_collect,
            ..
        } => format!(
            "call{}(h{helper})",
            if *can_collect { "_may_gc" } else { "" }
        ),
        OpKind::New { helper, .. } => format!("new(h{helper})"),
        OpKind::NewArray { helper, .. } => format!("new_array(h{helper})"),
        OpKind::Guard { kind, .. } => match kind {
            GuardKind::True => "guard_true".into(),
            GuardKind::False => "guard_false".into(),
            GuardKind::Value => "guard_value".into(),
        },
        OpKind::Label => "label".into(),
        OpKind::Jump => "jump".into(),
        OpKind::Exit { index } => format!("exit#{index}"),
        OpKind::JumpTo { target } => format!("jump_to(0x{target:x})"),
        OpKind::Restart => "restart".into(),
        OpKind::Bridge { guard } => format!("bridge(#{guard})"),
    }
}

impl fmt::Display for Trace {
    /// One op per line, RPython-log style: `i5 = int_add.i64(i3, 1)`; guards show their index
    /// and fail arguments.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        let _ = write!(out, "# {} ({} ops)\n[", self.name, self.ops.len());
        for (k, i) in self.inputs.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            operand(self, &Operand::Var(*i), &mut out);
        }
        out.push_str("]\n");
        let mut ci = 0;
        for (k, op) in self.ops.iter().enumerate() {
            while ci < self.comments.len() && self.comments[ci].0 <= k {
                let _ = writeln!(out, "# {}", self.comments[ci].1);
                ci += 1;
            }
            if !op.results.is_empty() {
                for (j, r) in op.results.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    operand(self, &Operand::Var(*r), &mut out);
                }
                out.push_str(" = ");
            }
            out.push_str(&op_name(&op.kind));
            out.push('(');
            for (j, a) in op.args.iter().enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                operand(self, a, &mut out);
            }
            out.push(')');
            if let OpKind::Guard {
                index,
                fail_args,
                stores,
                virtuals,
                ..
            } = &op.kind
            {
                let _ = write!(out, " #{index} [");
                for (j, a) in fail_args.iter().enumerate() {
                    if j > 0 {
                        out.push_str(", ");
                    }
                    operand(self, a, &mut out);
                }
                out.push(']');
                if !virtuals.is_empty() {
                    out.push_str(" virtuals {");
                    for (j, v) in virtuals.iter().enumerate() {
                        if j > 0 {
                            out.push_str("; ");
                        }
                        if let Some(r) = v.results.first() {
                            operand(self, &Operand::Var(*r), &mut out);
                            out.push_str(" = ");
                        }
                        let _ = write!(out, "{}(", op_name(&v.kind));
                        for (i, a) in v.args.iter().enumerate() {
                            if i > 0 {
                                out.push_str(", ");
                            }
                            operand(self, a, &mut out);
                        }
                        out.push(')');
                    }
                    out.push('}');
                }
                if !stores.is_empty() {
                    out.push_str(" delayed {");
                    for (j, st) in stores.iter().enumerate() {
                        if j > 0 {
                            out.push_str("; ");
                        }
                        let set = st.op();
                        let _ = write!(out, "{}(", op_name(&set.kind));
                        for (i, a) in set.args.iter().enumerate() {
                            if i > 0 {
                                out.push_str(", ");
                            }
                            operand(self, a, &mut out);
                        }
                        out.push(')');
                    }
                    out.push('}');
                }
            }
            out.push('\n');
        }
        f.write_str(&out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verify_and_print_a_counting_loop() {
        let mut t = Trace {
            name: "loop 0".into(),
            ..Default::default()
        };
        let i = t.new_var(Kind::Int);
        t.inputs.push(i);
        let j = t.new_var(Kind::Int);
        let c = t.new_var(Kind::Int);
        t.ops.push(Op {
            kind: OpKind::IntBin(BinOp::Add, IntTy::I64),
            args: vec![Operand::Var(i), Operand::Int(1)],
            results: vec![j],
        });
        t.ops.push(Op {
            kind: OpKind::IntCmp(BinOp::Lt, IntTy::I64),
            args: vec![Operand::Var(j), Operand::Int(100)],
            results: vec![c],
        });
        t.ops.push(Op {
            kind: OpKind::Guard {
                kind: GuardKind::True,
                index: 0,
                fail_args: vec![Operand::Var(j)],
                stores: vec![],
                virtuals: vec![],
            },
            args: vec![Operand::Var(c)],
            results: vec![],
        });
        t.ops.push(Op {
            kind: OpKind::Jump,
            args: vec![Operand::Var(j)],
            results: vec![],
        });
        t.verify().expect("valid");
        let s = t.to_string();
        assert!(s.contains("i1 = int_add.i64(i0, 1)"), "{s}");
        assert!(s.contains("guard_true(i2) #0 [i1]"), "{s}");
        t.ops.swap(0, 1);
        assert!(t.verify().is_err());
    }
}
