//! The graph interpreter: executes low-level flow graphs ([`LlGraph`]s of an [`LlProgram`])
//! in-process. It is the testing workhorse of the translator: the output of a DSL program run
//! here must equal, byte for byte, the output of the same program run untranslated with the
//! `vmkit` crate (same standard output, same standard error, same exit status).
//!
//! # Design
//!
//! - **Values** (`Value`) are scalars: `Int` (an `i64` bit pattern, kept canonical for its
//!   [`IntTy`] after every operation: `u8`/`u32` zero-extended, `i32` sign-extended, `usize`
//!   64-bit or 32-bit per the target's pointer width), `F64`, `Bool` and `Ref` (a nullable
//!   reference to an object). Values are `Copy`.
//! - **Objects** (`Obj`) live in a per-run arena and are freed together when [`run`] returns,
//!   exactly like the untranslated run, which leaks every GC object. This makes references plain
//!   `&Obj` (no reference counting, cycles are fine, no recursive drops). Object kinds: user GC
//!   objects (scalar slots per [`crate::layout::ObjLayout`]), strings, string builders, arrays,
//!   lists and maps. Containers store their elements flattened: an element of `k` scalars takes
//!   `k` consecutive values. A list or map learns its element width from the first operation
//!   that passes elements (the width is not known at creation).
//! - **Calls** use an explicit frame stack, not Rust recursion, so deep DSL recursion cannot
//!   overflow the host stack; more than [`MAX_DEPTH`] frames is the fatal error
//!   `stack overflow`. Register files (one `Value` per variable of the graph) are recycled
//!   through a pool. The only re-entrant calls are the `key_hash`/`key_eq` callbacks of maps
//!   with user key types, which run a nested dispatch loop on the same frame stack.
//! - **Preparation**: before running, every graph is validated (variables, block targets, link
//!   arities, operation arities) so that the dispatch loop can index without failing, and
//!   compiled to a compact form (`PGraph`): operands are register indices; frequent operations
//!   and the one-scalar fast paths of `byte_at`/`len`/`get`/`set` have their own variants;
//!   constants are written once when a frame starts (string constants are allocated once per
//!   run); links are register moves (through a scratch buffer only when they overlap), and links
//!   through empty blocks are short-circuited; a comparison feeding the block's `If` is fused
//!   with it; dense `Switch`es get jump tables; host functions are resolved by name.
//! - **Errors**: every failure is an `Err(message)` that ends the run as [`Outcome::Fatal`]:
//!   fatal exits of the graphs, failing built-ins (with Rust's own panic messages, e.g.
//!   `index out of bounds: the len is 3 but the index is 5`), panics of host functions, and
//!   inconsistencies of the graphs (`internal error: ...`). As a last line of defence, a panic
//!   of the interpreter itself is caught and reported as an internal error.
//!
//! Semantics of the built-ins mirror `vmkit` (the untranslated meaning) exactly, including the
//! sequence of `key_hash`/`key_eq` calls a `GcMap` makes (user key functions may have effects).
//!
//! # Reuse by other interpreters
//!
//! The jitcode interpreter (`vmkit-jit-codewriter`'s `blackhole`) shares these semantics rather
//! than copying them: the scalar operations are public functions ([`int_bin`], [`int_cmp`],
//! [`int_ovf`], [`cast`], [`bool_bin`], [`float_bin`], [`float_cmp`], [`canon`], [`ptr_eq`]),
//! and a [`Machine`] (the heap, I/O, call depth, built-ins and host calls, without the dispatch
//! loop's graphs: [`Prep::without_graphs`]) executes single operations ([`OpSite`],
//! [`Machine::exec_site`], [`Machine::new_object`]) on [`Value`]s and calls back into the other
//! interpreter for DSL functions ([`DslCallee`]).

use crate::flow::{Exit, Instr, LlConst, LlGraph, LlOp, LlTy, MapKeyKind, Var};
use crate::lower::LlProgram;
use crate::program::FnId;
use crate::thir::{BinOp, Builtin};
use crate::ty::IntTy;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::{Read, Write};
use vmkit::host::{HostFn, HostVal};

/// Maximum number of DSL frames before the run fails with `stack overflow`.
pub const MAX_DEPTH: usize = 1_000_000;

// ---------------------------------------------------------------------------------------------
// I/O
// ---------------------------------------------------------------------------------------------

/// I/O of an interpreted program (so tests can capture it).
pub trait Io {
    fn write_stdout(&mut self, bytes: &[u8]);
    fn write_stderr(&mut self, bytes: &[u8]);
    /// One byte of stdin, or -1 at end of input.
    fn read_byte(&mut self) -> i64;
    /// Flushes buffered standard output (`vmkit::io::flush`; also called at the end of [`run`]).
    fn flush(&mut self) {}
}

const FLUSH_AT: usize = 1 << 16;

/// Real process I/O: standard output is buffered (like `vmkit::io`) and flushed when the buffer
/// is large, on `flush`, before every write to standard error, at the end of [`run`] and on drop.
pub struct StdIo {
    out: Vec<u8>,
}

impl StdIo {
    pub fn new() -> Self {
        StdIo { out: Vec::new() }
    }
}

impl Default for StdIo {
    fn default() -> Self {
        StdIo::new()
    }
}

impl Io for StdIo {
    fn write_stdout(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
        if self.out.len() >= FLUSH_AT {
            let _ = std::io::stdout().write_all(&self.out);
            self.out.clear();
        }
    }
    fn write_stderr(&mut self, bytes: &[u8]) {
        self.flush();
        let _ = std::io::stderr().write_all(bytes);
    }
    fn read_byte(&mut self) -> i64 {
        let mut b = [0u8; 1];
        match std::io::stdin().read(&mut b) {
            Ok(1) => b[0] as i64,
            _ => -1,
        }
    }
    fn flush(&mut self) {
        let mut so = std::io::stdout();
        let _ = so.write_all(&self.out);
        let _ = so.flush();
        self.out.clear();
    }
}

impl Drop for StdIo {
    fn drop(&mut self) {
        self.flush();
    }
}

/// In-memory I/O for tests.
#[derive(Clone, Debug, Default)]
pub struct MemIo {
    pub stdin: Vec<u8>,
    pub pos: usize,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

impl MemIo {
    pub fn new(stdin: Vec<u8>) -> Self {
        MemIo {
            stdin,
            pos: 0,
            stdout: Vec::new(),
            stderr: Vec::new(),
        }
    }
}

impl Io for MemIo {
    fn write_stdout(&mut self, bytes: &[u8]) {
        self.stdout.extend_from_slice(bytes);
    }
    fn write_stderr(&mut self, bytes: &[u8]) {
        self.stderr.extend_from_slice(bytes);
    }
    fn read_byte(&mut self) -> i64 {
        match self.stdin.get(self.pos) {
            Some(b) => {
                self.pos += 1;
                *b as i64
            }
            None => -1,
        }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The entry returned this status.
    Exit(i64),
    /// A fatal error with its message (the caller prints `fatal error: <message>` on standard
    /// error and exits with status 101).
    Fatal(String),
}

// ---------------------------------------------------------------------------------------------
// Values and objects
// ---------------------------------------------------------------------------------------------

/// A scalar value of the low level (public for the jitcode interpreter, which keeps its
/// registers in banks and converts at the boundary of the operations it delegates here).
#[derive(Clone, Copy)]
pub enum Value<'a> {
    Int(i64),
    F64(f64),
    Bool(bool),
    Ref(Option<&'a Obj<'a>>),
}

impl std::fmt::Debug for Value<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(i) => write!(f, "Int({i})"),
            Value::F64(x) => write!(f, "F64({x:?})"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Ref(None) => write!(f, "Null"),
            Value::Ref(Some(o)) => match o {
                Obj::Str(s) => write!(f, "Str({:?})", String::from_utf8_lossy(s)),
                Obj::User { adt, .. } => write!(f, "Object(type #{adt} at {:p})", *o),
                _ => write!(f, "Ref({} at {:p})", o.kind(), *o),
            },
        }
    }
}

impl Value<'_> {
    /// The zero value of a low-level type (what a fresh object slot holds).
    pub fn default_for(t: LlTy) -> Self {
        match t {
            LlTy::Bool => Value::Bool(false),
            LlTy::Int(_) => Value::Int(0),
            LlTy::F64 => Value::F64(0.0),
            LlTy::Ref => Value::Ref(None),
        }
    }
    fn kind(&self) -> &'static str {
        match self {
            Value::Int(_) => "an integer",
            Value::F64(_) => "an f64",
            Value::Bool(_) => "a bool",
            Value::Ref(None) => "a null reference",
            Value::Ref(Some(_)) => "a reference",
        }
    }
}

/// A heap object. Only user objects are meant to be inspected from outside (their slots, for
/// field accesses); the other kinds are opaque and handled by the built-ins.
pub enum Obj<'a> {
    /// A user GC struct or enum: its scalar slots (see [`crate::layout`]).
    User {
        adt: u32,
        slots: Box<[Cell<Value<'a>>]>,
    },
    Str(Box<[u8]>),
    Sb(RefCell<Vec<u8>>),
    Array(ArrayObj<'a>),
    List(RefCell<ListObj<'a>>),
    Map(Box<RefCell<MapObj<'a>>>),
}

impl Obj<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Obj::User { .. } => "a user object",
            Obj::Str(_) => "a Str",
            Obj::Sb(_) => "a StrBuilder",
            Obj::Array(_) => "a GcArray",
            Obj::List(_) => "a GcList",
            Obj::Map(_) => "a GcMap",
        }
    }
}

/// Element width not known yet (a list or map that never received an element).
const UNKNOWN: usize = usize::MAX;

/// A `GcArray` (opaque).
pub struct ArrayObj<'a> {
    width: usize,
    len: usize,
    items: Box<[Cell<Value<'a>>]>,
}

/// A `GcList` (opaque).
pub struct ListObj<'a> {
    width: usize,
    len: usize,
    items: Vec<Value<'a>>,
}

/// An insertion-ordered map, structured like `vmkit::GcMap` (entries in order plus an index from
/// hash to entry positions) so that user `key_hash`/`key_eq` run in the same sequence (opaque).
pub struct MapObj<'a> {
    kw: usize,
    vw: usize,
    len: usize,
    keys: Vec<Value<'a>>,
    vals: Vec<Value<'a>>,
    index: HashMap<u64, Vec<usize>, BuildHasherDefault<MixHasher>>,
}

/// A hasher for keys that already are hashes (or small integers).
#[derive(Default)]
struct MixHasher(u64);

impl Hasher for MixHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(b as u64);
        }
    }
    fn write_u64(&mut self, x: u64) {
        let h = (self.0 ^ x).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = h ^ (h >> 29);
    }
}

/// The per-run object arena: chunks that never reallocate, so references stay valid until the
/// arena is dropped (at the end of [`run`]).
pub struct Arena<'a> {
    chunks: RefCell<Vec<Vec<Obj<'a>>>>,
}

impl Default for Arena<'_> {
    fn default() -> Self {
        Arena::new()
    }
}

impl<'a> Arena<'a> {
    pub fn new() -> Self {
        Arena {
            chunks: RefCell::new(vec![Vec::with_capacity(64)]),
        }
    }
    fn alloc(&'a self, o: Obj<'a>) -> &'a Obj<'a> {
        let mut chunks = self.chunks.borrow_mut();
        let full = chunks.last().is_none_or(|c| c.len() == c.capacity());
        if full {
            let cap = chunks
                .last()
                .map_or(64, |c| (c.capacity() * 2).min(1 << 14));
            chunks.push(Vec::with_capacity(cap));
        }
        let chunk = chunks.last_mut().expect("a chunk exists");
        debug_assert!(chunk.len() < chunk.capacity());
        chunk.push(o);
        let p: *const Obj<'a> = chunk.last().expect("just pushed");
        // SAFETY: a chunk is only pushed to below its capacity, so it never reallocates and its
        // elements never move; chunks are never shrunk or removed before the arena is dropped,
        // and the arena outlives 'a (it is borrowed for 'a).
        unsafe { &*p }
    }
}

/// Results of the interpreter: `Err` carries the fatal-error message.
pub type R<T> = Result<T, String>;

/// An `internal error: ...` message (an inconsistency of the program being run, not of the user
/// program).
#[cold]
pub fn internal(msg: impl std::fmt::Display) -> String {
    format!("internal error: {msg}")
}

#[cold]
fn type_err(want: &str, got: &Value) -> String {
    internal(format!("expected {want}, found {}", got.kind()))
}

#[inline(always)]
fn as_int(v: Value) -> R<i64> {
    match v {
        Value::Int(i) => Ok(i),
        o => Err(type_err("an integer", &o)),
    }
}
#[inline(always)]
fn as_bool(v: Value) -> R<bool> {
    match v {
        Value::Bool(b) => Ok(b),
        o => Err(type_err("a bool", &o)),
    }
}
#[inline(always)]
fn as_f64(v: Value) -> R<f64> {
    match v {
        Value::F64(x) => Ok(x),
        o => Err(type_err("an f64", &o)),
    }
}
#[inline(always)]
fn as_ref<'a>(v: Value<'a>) -> R<Option<&'a Obj<'a>>> {
    match v {
        Value::Ref(r) => Ok(r),
        o => Err(type_err("a reference", &o)),
    }
}
fn as_obj<'a>(v: Value<'a>) -> R<&'a Obj<'a>> {
    match v {
        Value::Ref(Some(o)) => Ok(o),
        o => Err(type_err("an object", &o)),
    }
}
fn as_str<'a>(v: Value<'a>) -> R<&'a [u8]> {
    match as_obj(v)? {
        Obj::Str(s) => Ok(s),
        o => Err(internal(format!("expected a Str, found {}", o.kind()))),
    }
}

/// Reference identity (`null == null`).
pub fn ptr_eq<'a>(a: Option<&Obj<'a>>, b: Option<&Obj<'a>>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => std::ptr::eq(x, y),
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Integer semantics
// ---------------------------------------------------------------------------------------------

// The semantics themselves live in `vmkit_jit_ir::ops`, shared with the JIT's tracer,
// blackhole and trace backend tests: these wrappers convert the front end's types and errors.

fn ir_int(it: IntTy) -> vmkit_jit_ir::ops::IntTy {
    use vmkit_jit_ir::ops::IntTy as T;
    match it {
        IntTy::I64 => T::I64,
        IntTy::U64 => T::U64,
        IntTy::Usize => T::Usize,
        IntTy::U8 => T::U8,
        IntTy::U32 => T::U32,
        IntTy::I32 => T::I32,
    }
}

fn ir_op(op: BinOp) -> vmkit_jit_ir::ops::BinOp {
    use vmkit_jit_ir::ops::BinOp as B;
    match op {
        BinOp::Add => B::Add,
        BinOp::Sub => B::Sub,
        BinOp::Mul => B::Mul,
        BinOp::Div => B::Div,
        BinOp::Rem => B::Rem,
        BinOp::And => B::And,
        BinOp::Or => B::Or,
        BinOp::Xor => B::Xor,
        BinOp::Shl => B::Shl,
        BinOp::Shr => B::Shr,
        BinOp::Eq => B::Eq,
        BinOp::Ne => B::Ne,
        BinOp::Lt => B::Lt,
        BinOp::Le => B::Le,
        BinOp::Gt => B::Gt,
        BinOp::Ge => B::Ge,
    }
}

/// `v` wrapped to the range of `it` (the canonical representation).
#[inline(always)]
pub fn canon(it: IntTy, v: i64, ptr64: bool) -> i64 {
    vmkit_jit_ir::ops::canon(ir_int(it), v, ptr64)
}

/// Wrapping integer arithmetic of [`LlOp::IntBin`] on canonical operands (division by zero is
/// the fatal error Rust reports).
#[inline(always)]
pub fn int_bin(op: BinOp, it: IntTy, a: i64, b: i64, ptr64: bool) -> R<i64> {
    if op.is_cmp() {
        return Err(internal(format!(
            "integer operation `{}` is not arithmetic",
            op.name()
        )));
    }
    vmkit_jit_ir::ops::int_bin(ir_op(op), ir_int(it), a, b, ptr64).map_err(|m| m.to_string())
}

/// Integer comparison of [`LlOp::IntCmp`] (signedness from `it`).
pub fn int_cmp(op: BinOp, it: IntTy, a: i64, b: i64) -> R<bool> {
    vmkit_jit_ir::ops::int_cmp(ir_op(op), ir_int(it), a, b)
        .ok_or_else(|| internal(format!("`{}` is not a comparison", op.name())))
}

/// Rust's `overflowing_{add,sub,mul}` for the exact type.
pub fn int_ovf(op: BinOp, it: IntTy, a: i64, b: i64, ptr64: bool) -> R<(i64, bool)> {
    vmkit_jit_ir::ops::int_ovf(ir_op(op), ir_int(it), a, b, ptr64)
        .ok_or_else(|| internal(format!("no overflowing `{}`", op.name())))
}

/// [`LlOp::BoolBin`].
pub fn bool_bin(op: BinOp, a: bool, b: bool) -> R<bool> {
    vmkit_jit_ir::ops::bool_bin(ir_op(op), a, b)
        .ok_or_else(|| internal(format!("bool operation `{}`", op.name())))
}

/// [`LlOp::FloatBin`].
pub fn float_bin(op: BinOp, a: f64, b: f64) -> R<f64> {
    vmkit_jit_ir::ops::float_bin(ir_op(op), a, b)
        .ok_or_else(|| internal(format!("float operation `{}`", op.name())))
}

/// [`LlOp::FloatCmp`].
pub fn float_cmp(op: BinOp, a: f64, b: f64) -> R<bool> {
    vmkit_jit_ir::ops::float_cmp(ir_op(op), a, b)
        .ok_or_else(|| internal(format!("float comparison `{}`", op.name())))
}

fn float_to_int(x: f64, it: IntTy, ptr64: bool) -> i64 {
    match it {
        IntTy::I64 => x as i64,
        IntTy::U64 => x as u64 as i64,
        IntTy::Usize => {
            if ptr64 {
                x as u64 as i64
            } else {
                x as u32 as i64
            }
        }
        IntTy::U8 => x as u8 as i64,
        IntTy::U32 => x as u32 as i64,
        IntTy::I32 => x as i32 as i64,
    }
}

/// Rust `as` between low-level types.
pub fn cast(v: Value<'_>, from: LlTy, to: LlTy, ptr64: bool) -> R<Value<'_>> {
    Ok(match (from, to) {
        (LlTy::Int(_), LlTy::Int(t)) => Value::Int(canon(t, as_int(v)?, ptr64)),
        (LlTy::Int(f), LlTy::F64) => {
            let a = as_int(v)?;
            Value::F64(if f.signed() {
                a as f64
            } else {
                (a as u64) as f64
            })
        }
        (LlTy::F64, LlTy::Int(t)) => Value::Int(float_to_int(as_f64(v)?, t, ptr64)),
        (LlTy::Bool, LlTy::Int(_)) => Value::Int(as_bool(v)? as i64),
        (LlTy::Bool, LlTy::F64) => Value::F64(as_bool(v)? as u8 as f64),
        (a, b) if a == b => v,
        (a, b) => return Err(internal(format!("cannot cast {a:?} to {b:?}"))),
    })
}

// ---------------------------------------------------------------------------------------------
// Preparation: validated, compact graphs
// ---------------------------------------------------------------------------------------------

/// An integer comparison with its signedness resolved.
#[derive(Clone, Copy)]
enum Cmp {
    Eq,
    Ne,
    LtS,
    LeS,
    GtS,
    GeS,
    LtU,
    LeU,
    GtU,
    GeU,
}

fn cmp_kind(op: BinOp, it: IntTy) -> Option<Cmp> {
    let s = it.signed();
    Some(match op {
        BinOp::Eq => Cmp::Eq,
        BinOp::Ne => Cmp::Ne,
        BinOp::Lt if s => Cmp::LtS,
        BinOp::Le if s => Cmp::LeS,
        BinOp::Gt if s => Cmp::GtS,
        BinOp::Ge if s => Cmp::GeS,
        BinOp::Lt => Cmp::LtU,
        BinOp::Le => Cmp::LeU,
        BinOp::Gt => Cmp::GtU,
        BinOp::Ge => Cmp::GeU,
        _ => return None,
    })
}

#[inline(always)]
fn cmp_eval(c: Cmp, a: i64, b: i64) -> bool {
    let (ua, ub) = (a as u64, b as u64);
    match c {
        Cmp::Eq => a == b,
        Cmp::Ne => a != b,
        Cmp::LtS => a < b,
        Cmp::LeS => a <= b,
        Cmp::GtS => a > b,
        Cmp::GeS => a >= b,
        Cmp::LtU => ua < ub,
        Cmp::LeU => ua <= ub,
        Cmp::GtU => ua > ub,
        Cmp::GeU => ua >= ub,
    }
}

/// Built-ins with an inline fast path for one-scalar elements (the general path handles the rest
/// and every error).
#[derive(Clone, Copy)]
enum Fast {
    StrByteAt,
    StrLen,
    ArrayGet,
    ArraySet,
    ArrayLen,
    ListGet,
    ListSet,
    ListLen,
}

/// A prepared instruction. Variables are `u32` register indices. The frequent operations have
/// their own variants; everything else runs from the original instruction ([`POp::Other`]).
enum POp<'a> {
    IntBin(BinOp, IntTy, u32, u32, u32),
    IntCmp(Cmp, u32, u32, u32),
    Copy(u32, u32),
    /// slot, object, result
    GetField(u32, u32, u32),
    /// slot, object, value
    SetField(u32, u32, u32),
    BoolNot(u32, u32),
    PtrIsNull(u32, u32),
    Call(FnId, &'a Instr<LlOp>),
    /// args (a, b), result or value (c)
    Fast(Fast, u32, u32, u32, &'a Instr<LlOp>),
    Other(&'a Instr<LlOp>),
}

/// A link as register moves into the target's parameters.
struct PLink {
    target: u32,
    /// (source, destination), identity moves removed.
    moves: Box<[(u32, u32)]>,
    /// Some source is also a destination: copy through a scratch buffer.
    parallel: bool,
}

enum SwitchTable {
    /// `idx[value - min]` is the case index, or `u32::MAX` for the default.
    Dense {
        min: i64,
        idx: Box<[u32]>,
    },
    Linear,
}

enum PExit<'a> {
    Goto(PLink),
    If(u32, PLink, PLink),
    /// An integer comparison (whose result is still written to its register) and a branch on it.
    IfCmp(Cmp, u32, u32, u32, PLink, PLink),
    Switch {
        value: u32,
        table: SwitchTable,
        cases: Box<[(i64, PLink)]>,
        default: PLink,
    },
    Return(Box<[u32]>),
    Fatal(&'a str),
}

struct PBlock<'a> {
    ops: Box<[POp<'a>]>,
    exit: PExit<'a>,
}

struct PGraph<'a> {
    g: &'a LlGraph,
    blocks: Box<[PBlock<'a>]>,
    params: Box<[u32]>,
    nregs: usize,
    /// The variables defined by constants, written into the registers when a frame starts (a
    /// variable is defined once, so this is unobservable, and loops do not re-execute them).
    consts: Box<[(u32, Value<'a>)]>,
}

/// A program prepared for running: its graphs validated and compiled for the graph interpreter
/// (unless made [`Prep::without_graphs`]), its host functions resolved by name and the default
/// slot values of its user types.
pub struct Prep<'a> {
    graphs: Vec<Option<PGraph<'a>>>,
    hosts: Vec<Option<&'a HostFn>>,
    /// Default values of each user type's slots.
    defaults: Vec<Vec<Value<'a>>>,
}

/// Arguments and results of the operations with a fixed arity.
fn op_arity(op: &LlOp) -> Option<(usize, usize)> {
    Some(match op {
        LlOp::Const(_) => (0, 1),
        LlOp::IntBin(..)
        | LlOp::IntCmp(..)
        | LlOp::BoolBin(_)
        | LlOp::FloatBin(_)
        | LlOp::FloatCmp(_)
        | LlOp::PtrEq => (2, 1),
        LlOp::IntOvf(..) => (2, 2),
        LlOp::IntNeg(_)
        | LlOp::IntNot(_)
        | LlOp::BoolNot
        | LlOp::FloatNeg
        | LlOp::Cast
        | LlOp::PtrIsNull
        | LlOp::GetField(_) => (1, 1),
        LlOp::SetField(_) => (2, 0),
        _ => return None,
    })
}

impl<'a> Prep<'a> {
    /// Prepares `prog` for the graph interpreter.
    pub fn new(prog: &'a LlProgram, arena: &'a Arena<'a>, hosts: &'a [HostFn]) -> R<Prep<'a>> {
        Self::build(prog, arena, hosts, true)
    }

    /// Prepares only what the heap, the built-ins and host calls need: a [`Machine`] made with it
    /// runs DSL functions through its [`DslCallee`].
    pub fn without_graphs(
        prog: &'a LlProgram,
        arena: &'a Arena<'a>,
        hosts: &'a [HostFn],
    ) -> R<Prep<'a>> {
        Self::build(prog, arena, hosts, false)
    }

    fn build(
        prog: &'a LlProgram,
        arena: &'a Arena<'a>,
        hosts: &'a [HostFn],
        with_graphs: bool,
    ) -> R<Prep<'a>> {
        let ptr64 = prog.target.pointer_width >= 64;
        let ngraphs = prog.graphs.len();
        let mut graphs = Vec::with_capacity(ngraphs);
        for g in &prog.graphs {
            match g {
                None => graphs.push(None),
                Some(_) if !with_graphs => graphs.push(None),
                Some(g) => graphs.push(Some(
                    Self::graph(prog, arena, g, ptr64)
                        .map_err(|e| internal(format!("graph `{}`: {e}", g.name)))?,
                )),
            }
        }
        let host_fns: Vec<Option<&'a HostFn>> = (0..ngraphs)
            .map(|i| {
                prog.host_names
                    .get(i)
                    .and_then(|n| n.as_deref())
                    .and_then(|n| hosts.iter().find(|h| h.name == n))
            })
            .collect();
        let defaults = prog
            .layouts
            .iter()
            .map(|l| l.slots.iter().map(|s| Value::default_for(s.ty)).collect())
            .collect();
        Ok(Prep {
            graphs,
            hosts: host_fns,
            defaults,
        })
    }

    /// Validates `g` (so that running it cannot index out of range) and prepares it.
    fn graph(
        prog: &'a LlProgram,
        arena: &'a Arena<'a>,
        g: &'a LlGraph,
        ptr64: bool,
    ) -> Result<PGraph<'a>, String> {
        let nv = g.var_types.len();
        if g.blocks.is_empty() {
            return Err("no blocks".into());
        }
        let var = |v: &Var| {
            if (v.0 as usize) < nv {
                Ok(v.0)
            } else {
                Err(format!("variable v{} out of range", v.0))
            }
        };
        let vars = |vs: &[Var]| vs.iter().map(var).collect::<Result<Box<[u32]>, String>>();
        let link = |l: &crate::flow::Link| -> Result<PLink, String> {
            let srcs = vars(&l.args)?;
            let t = g
                .blocks
                .get(l.target.0 as usize)
                .ok_or_else(|| format!("link to missing block {}", l.target.0))?;
            if t.params.len() != l.args.len() {
                return Err(format!(
                    "link passes {} values to block {} which takes {}",
                    l.args.len(),
                    l.target.0,
                    t.params.len()
                ));
            }
            let dsts = vars(&t.params)?;
            let moves: Box<[(u32, u32)]> = srcs
                .iter()
                .zip(dsts.iter())
                .filter(|(s, d)| s != d)
                .map(|(s, d)| (*s, *d))
                .collect();
            let parallel = moves.iter().any(|(s, _)| moves.iter().any(|(_, d)| d == s));
            Ok(PLink {
                target: l.target.0,
                moves,
                parallel,
            })
        };
        let mut blocks = Vec::with_capacity(g.blocks.len());
        let mut consts = Vec::new();
        for (bi, b) in g.blocks.iter().enumerate() {
            vars(&b.params)?;
            let mut ops = Vec::with_capacity(b.ops.len());
            for ins in &b.ops {
                vars(&ins.args)?;
                vars(&ins.results)?;
                if let Some((na, nr)) = op_arity(&ins.op) {
                    if ins.args.len() != na || ins.results.len() != nr {
                        return Err(format!(
                            "block {bi}: {:?} takes {na} arguments and {nr} results, has {} and {}",
                            ins.op,
                            ins.args.len(),
                            ins.results.len()
                        ));
                    }
                }
                let a = |i: usize| ins.args[i].0;
                let r = |i: usize| ins.results[i].0;
                let op = match &ins.op {
                    LlOp::IntBin(op, it) => POp::IntBin(*op, *it, a(0), a(1), r(0)),
                    LlOp::IntCmp(op, it) => match cmp_kind(*op, *it) {
                        Some(c) => POp::IntCmp(c, a(0), a(1), r(0)),
                        None => POp::Other(ins),
                    },
                    LlOp::Const(c) => {
                        let v = match c {
                            LlConst::Int(v, it) => Value::Int(canon(*it, *v, ptr64)),
                            LlConst::F64(x) => Value::F64(*x),
                            LlConst::Bool(b) => Value::Bool(*b),
                            LlConst::Null => Value::Ref(None),
                            LlConst::Str(s) => Value::Ref(Some(
                                arena.alloc(Obj::Str(s.clone().into_boxed_slice())),
                            )),
                        };
                        consts.push((r(0), v));
                        continue;
                    }
                    LlOp::Copy if ins.args.len() != ins.results.len() => {
                        return Err(format!(
                            "block {bi}: Copy with {} arguments and {} results",
                            ins.args.len(),
                            ins.results.len()
                        ))
                    }
                    LlOp::Copy if ins.args.len() == 1 => POp::Copy(a(0), r(0)),
                    LlOp::GetField(d) => POp::GetField(d.slot, a(0), r(0)),
                    LlOp::SetField(d) => POp::SetField(d.slot, a(0), a(1)),
                    LlOp::BoolNot => POp::BoolNot(a(0), r(0)),
                    LlOp::PtrIsNull => POp::PtrIsNull(a(0), r(0)),
                    LlOp::JitMergePoint(_) | LlOp::CanEnterJit(_) => continue,
                    LlOp::Call(f) | LlOp::Host(f) => {
                        if f.0 as usize >= prog.graphs.len() {
                            return Err(format!("call of missing function {}", f.0));
                        }
                        match (&ins.op, &prog.graphs[f.0 as usize]) {
                            (LlOp::Call(_), Some(callee)) => {
                                let np = callee.blocks.first().map_or(0, |b| b.params.len());
                                if np != ins.args.len() {
                                    return Err(format!("block {bi}: call of `{}` passes {} arguments, it takes {np}", callee.name, ins.args.len()));
                                }
                                POp::Call(*f, ins)
                            }
                            _ => POp::Other(ins),
                        }
                    }
                    LlOp::New(adt, variant) => {
                        if ins.results.len() != 1 {
                            return Err(format!("block {bi}: New without a result"));
                        }
                        let lay = prog
                            .layouts
                            .get(adt.0 as usize)
                            .ok_or_else(|| format!("New of missing type {}", adt.0))?;
                        let n = lay.slots.len();
                        let ok = ins.args.len() <= lay.arg_slots(*variant).len()
                            && (variant.is_none() || n >= 1);
                        if !ok {
                            return Err(format!(
                                "block {bi}: New of `{}` with {} arguments for {n} slots",
                                lay.name,
                                ins.args.len()
                            ));
                        }
                        POp::Other(ins)
                    }
                    LlOp::Builtin(b, _) => {
                        let (na, nr) = (ins.args.len(), ins.results.len());
                        let fast = match b {
                            Builtin::StrByteAt if na == 2 && nr == 1 => Some(Fast::StrByteAt),
                            Builtin::StrLen if na == 1 && nr == 1 => Some(Fast::StrLen),
                            Builtin::ArrayGet if na == 2 && nr == 1 => Some(Fast::ArrayGet),
                            Builtin::ArraySet if na == 3 && nr == 0 => Some(Fast::ArraySet),
                            Builtin::ArrayLen if na == 1 && nr == 1 => Some(Fast::ArrayLen),
                            Builtin::ListGet if na == 2 && nr == 1 => Some(Fast::ListGet),
                            Builtin::ListSet if na == 3 && nr == 0 => Some(Fast::ListSet),
                            Builtin::ListLen if na == 1 && nr == 1 => Some(Fast::ListLen),
                            _ => None,
                        };
                        match fast {
                            Some(f) => POp::Fast(
                                f,
                                a(0),
                                if na > 1 { a(1) } else { 0 },
                                if nr == 1 {
                                    r(0)
                                } else if na > 2 {
                                    a(2)
                                } else {
                                    0
                                },
                                ins,
                            ),
                            None => POp::Other(ins),
                        }
                    }
                    _ => POp::Other(ins),
                };
                ops.push(op);
            }
            let exit = match &b.exit {
                Exit::Goto(l) => PExit::Goto(link(l)?),
                Exit::If { cond, then, els } => match ops.last() {
                    Some(&POp::IntCmp(c, x, y, r)) if r == cond.0 => {
                        ops.pop();
                        PExit::IfCmp(c, x, y, r, link(then)?, link(els)?)
                    }
                    _ => PExit::If(var(cond)?, link(then)?, link(els)?),
                },
                Exit::Switch {
                    value,
                    cases,
                    default,
                } => PExit::Switch {
                    value: var(value)?,
                    table: switch_table(cases),
                    cases: cases
                        .iter()
                        .map(|(k, l)| Ok((*k, link(l)?)))
                        .collect::<Result<_, String>>()?,
                    default: link(default)?,
                },
                Exit::Return(vs) => PExit::Return(vars(vs)?),
                Exit::Fatal(m) => PExit::Fatal(m),
            };
            blocks.push(PBlock {
                ops: ops.into_boxed_slice(),
                exit,
            });
        }
        forward_links(&mut blocks);
        Ok(PGraph {
            g,
            params: vars(&g.blocks[0].params)?,
            blocks: blocks.into_boxed_slice(),
            nregs: nv,
            consts: consts.into_boxed_slice(),
        })
    }
}

/// Links that lead, without moves, to a block that only jumps on are redirected to where that
/// block jumps (no operation runs in between, so the sources of the moves are unchanged).
fn forward_links(blocks: &mut [PBlock]) {
    let n = blocks.len();
    // Where an empty `Goto` block really leads: (target, moves, parallel), if it is one.
    let hop = |blocks: &[PBlock], t: u32| -> Option<PLink> {
        let b = &blocks[t as usize];
        match &b.exit {
            PExit::Goto(l) if b.ops.is_empty() => Some(PLink {
                target: l.target,
                moves: l.moves.clone(),
                parallel: l.parallel,
            }),
            _ => None,
        }
    };
    for bi in 0..n {
        let mut exit = std::mem::replace(&mut blocks[bi].exit, PExit::Return(Box::new([])));
        {
            let fix = |l: &mut PLink| {
                let mut steps = 0;
                while l.moves.is_empty() && steps < n {
                    match hop(blocks, l.target) {
                        Some(next) if next.target != l.target => *l = next,
                        _ => break,
                    }
                    steps += 1;
                }
            };
            match &mut exit {
                PExit::Goto(l) => fix(l),
                PExit::If(_, a, b) | PExit::IfCmp(_, _, _, _, a, b) => {
                    fix(a);
                    fix(b);
                }
                PExit::Switch { cases, default, .. } => {
                    for (_, l) in cases.iter_mut() {
                        fix(l);
                    }
                    fix(default);
                }
                PExit::Return(_) | PExit::Fatal(_) => {}
            }
        }
        blocks[bi].exit = exit;
    }
}

fn switch_table(cases: &[(i64, crate::flow::Link)]) -> SwitchTable {
    if cases.len() < 4 {
        return SwitchTable::Linear;
    }
    let min = cases.iter().map(|c| c.0).min().unwrap_or(0);
    let max = cases.iter().map(|c| c.0).max().unwrap_or(0);
    let span = (max as i128 - min as i128 + 1) as u128;
    if span > 4096 || span > 8 * cases.len() as u128 {
        return SwitchTable::Linear;
    }
    let mut idx = vec![u32::MAX; span as usize];
    for (i, (k, _)) in cases.iter().enumerate() {
        let slot = &mut idx[(k - min) as usize];
        if *slot == u32::MAX {
            *slot = i as u32;
        }
    }
    SwitchTable::Dense {
        min,
        idx: idx.into_boxed_slice(),
    }
}

#[inline(always)]
fn set_consts<'a>(regs: &mut [Value<'a>], consts: &[(u32, Value<'a>)]) {
    let mut i = 0;
    while i < consts.len() {
        let (r, v) = consts[i];
        regs[r as usize] = v;
        i += 1;
    }
}

/// Performs the moves of a link (simultaneous assignment).
#[inline(always)]
fn take_link<'a>(regs: &mut [Value<'a>], l: &PLink, scratch: &mut Vec<Value<'a>>) {
    let moves = &l.moves[..];
    let mut i = 0;
    if !l.parallel {
        while i < moves.len() {
            let (s, d) = moves[i];
            regs[d as usize] = regs[s as usize];
            i += 1;
        }
    } else {
        scratch.clear();
        while i < moves.len() {
            scratch.push(regs[moves[i].0 as usize]);
            i += 1;
        }
        for (k, (_, d)) in moves.iter().enumerate() {
            regs[*d as usize] = scratch[k];
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The interpreter
// ---------------------------------------------------------------------------------------------

/// A register file: one value per variable of a graph (sized to a power of two for pooling).
type Regs<'a> = Box<[Value<'a>]>;

/// A suspended caller.
struct Frame<'a> {
    pg: &'a PGraph<'a>,
    regs: Regs<'a>,
    block: u32,
    /// Index of the instruction after the `Call`.
    pc: u32,
}

/// Runs DSL functions for a [`Machine`] that does not interpret graphs itself (the jitcode
/// interpreter). It is called for the entry and for the `key_hash`/`key_eq` callbacks of maps
/// with user key types, and may use the machine re-entrantly (built-ins, objects, I/O).
pub trait DslCallee<'a> {
    /// Calls DSL function `f` with flattened `args`; returns its flattened results.
    fn call(&self, m: &mut Machine<'a, '_>, f: FnId, args: &[Value<'a>]) -> R<Vec<Value<'a>>>;
}

/// The graph interpreter's machine: the heap (an [`Arena`]), the I/O, the call depth, and the
/// implementation of every operation but DSL calls. [`run`] uses it with its own dispatch loop
/// over prepared graphs; another interpreter can reuse the heap, the built-ins and host calls
/// through [`Machine::exec_site`] and run DSL functions itself ([`Machine::with_callee`]).
pub struct Machine<'a, 'io> {
    prog: &'a LlProgram,
    arena: &'a Arena<'a>,
    prep: &'a Prep<'a>,
    io: &'io mut dyn Io,
    frames: Vec<Frame<'a>>,
    /// Free register files by size class (`1 << i`).
    pool: Vec<Vec<Regs<'a>>>,
    depth: usize,
    ptr64: bool,
    callee: Option<&'a dyn DslCallee<'a>>,
}

/// One low-level operation outside of any graph, for [`Machine::exec_site`]: a built-in, a
/// container creation, a host call or an allocation, with the low-level types of its arguments
/// and results (which decide how values are read and written, e.g. `Option` results).
/// Internally a one-instruction graph whose variables are the arguments, then the results.
pub struct OpSite {
    graph: LlGraph,
    ins: Instr<LlOp>,
}

impl OpSite {
    /// `op` applied to arguments of types `args`, giving results of types `results`.
    pub fn new(op: LlOp, args: &[LlTy], results: &[LlTy]) -> OpSite {
        let n = args.len() as u32;
        let m = results.len() as u32;
        OpSite {
            graph: LlGraph {
                name: "<site>".into(),
                fn_id: FnId(u32::MAX),
                var_types: args.iter().chain(results).copied().collect(),
                var_names: vec![None; (n + m) as usize],
                blocks: Vec::new(),
                ret: Vec::new(),
            },
            ins: Instr {
                results: (n..n + m).map(Var).collect(),
                op,
                args: (0..n).map(Var).collect(),
                loc: Default::default(),
            },
        }
    }
    pub fn op(&self) -> &LlOp {
        &self.ins.op
    }
    /// Types of the arguments, in order.
    pub fn arg_types(&self) -> &[LlTy] {
        &self.graph.var_types[..self.ins.args.len()]
    }
    /// Types of the results, in order.
    pub fn result_types(&self) -> &[LlTy] {
        &self.graph.var_types[self.ins.args.len()..]
    }
}

/// Runs `prog.entry` with `args` (the program's arguments, without a program name) as a
/// `GcList<Str>`. Host functions are looked up by name in `hosts` (pass
/// `vmkit::host::HOST_FUNCTIONS` or a subset); calling a missing one is a fatal error naming it.
/// On [`Outcome::Fatal`], the caller prints the message; `run` itself writes nothing but what the
/// program printed (standard output is flushed through [`Io::flush`] before returning).
pub fn run(prog: &LlProgram, args: &[Vec<u8>], io: &mut dyn Io, hosts: &[HostFn]) -> Outcome {
    let arena = Arena::new();
    match Prep::new(prog, &arena, hosts) {
        Err(e) => {
            io.flush();
            Outcome::Fatal(e)
        }
        Ok(prep) => Machine::new(prog, &arena, &prep, io).run(args),
    }
}

fn panic_message(p: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = p.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = p.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

macro_rules! reg {
    ($regs:ident, $v:expr) => {
        $regs[$v.0 as usize]
    };
}

#[cold]
fn bad_operands(regs: &[Value], args: &[u32]) -> String {
    let kinds: Vec<&str> = args.iter().map(|a| regs[*a as usize].kind()).collect();
    internal(format!("unexpected operands: {}", kinds.join(", ")))
}

impl<'a, 'io> Machine<'a, 'io> {
    /// A machine over `prog`'s heap (`arena`), prepared with `prep`.
    pub fn new(
        prog: &'a LlProgram,
        arena: &'a Arena<'a>,
        prep: &'a Prep<'a>,
        io: &'io mut dyn Io,
    ) -> Self {
        Machine {
            prog,
            arena,
            prep,
            io,
            frames: Vec::new(),
            pool: (0..64).map(|_| Vec::new()).collect(),
            depth: 0,
            ptr64: prog.target.pointer_width >= 64,
            callee: None,
        }
    }

    /// Runs DSL functions through `callee` instead of the graph interpreter.
    pub fn with_callee(mut self, callee: &'a dyn DslCallee<'a>) -> Self {
        self.callee = Some(callee);
        self
    }

    /// Runs `prog.entry` with `args` (see [`run`]); flushes standard output at the end.
    pub fn run(mut self, args: &[Vec<u8>]) -> Outcome {
        let who = if self.callee.is_some() {
            "the interpreter"
        } else {
            "the graph interpreter"
        };
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.run_entry(args)));
        let out = match r {
            Ok(Ok(status)) => Outcome::Exit(status),
            Ok(Err(msg)) => Outcome::Fatal(msg),
            Err(p) => Outcome::Fatal(internal(format!("{who} panicked: {}", panic_message(&*p)))),
        };
        self.io.flush();
        out
    }

    /// Calls DSL function `f` on the graph interpreter (its graph must have been prepared:
    /// [`Prep::new`]), even on a machine with a callee; `key_hash`/`key_eq` callbacks made
    /// during the call run on the graph interpreter too.
    pub fn call_graph(&mut self, f: FnId, args: &[Value<'a>]) -> R<Vec<Value<'a>>> {
        let callee = self.callee.take();
        let r = self.exec(f, args);
        self.callee = callee;
        r
    }

    /// Whether `usize` is 64-bit on the target.
    pub fn ptr64(&self) -> bool {
        self.ptr64
    }

    /// Counts a DSL frame in (fails with `stack overflow` past [`MAX_DEPTH`]); for callees.
    pub fn push_frame(&mut self) -> R<()> {
        self.enter()
    }

    /// Counts a DSL frame out.
    pub fn pop_frame(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// Allocates a user object (`LlOp::New`): `args` fill its slots in order (for an enum
    /// variant, the tag slot is set and `args` fill the variant's fields).
    pub fn new_object(
        &mut self,
        adt: u32,
        variant: Option<u32>,
        args: &[Value<'a>],
    ) -> R<Value<'a>> {
        let lay = self
            .prog
            .layouts
            .get(adt as usize)
            .ok_or_else(|| internal("New of a missing type"))?;
        if args.len() > lay.arg_slots(variant).len() || (variant.is_some() && lay.slots.is_empty())
        {
            return Err(internal(format!(
                "New of `{}` with {} arguments for {} slots",
                lay.name,
                args.len(),
                lay.slots.len()
            )));
        }
        self.alloc_user(adt, variant, args.iter().copied())
    }

    /// Executes `site` on `vals`: its arguments, then room for its results (written on success).
    pub fn exec_site(&mut self, site: &OpSite, vals: &mut [Value<'a>]) -> R<()> {
        if vals.len() != site.graph.var_types.len() {
            return Err(internal(format!(
                "operation with {} operands and results given {} values",
                site.graph.var_types.len(),
                vals.len()
            )));
        }
        match &site.ins.op {
            LlOp::Call(_) | LlOp::JitMergePoint(_) | LlOp::CanEnterJit(_) => Err(internal(
                format!("{:?} cannot run outside of a graph", site.ins.op),
            )),
            LlOp::New(adt, variant) => {
                let v = self.new_object(adt.0, *variant, &vals[..site.ins.args.len()])?;
                match site.ins.results.first() {
                    Some(r) => {
                        vals[r.0 as usize] = v;
                        Ok(())
                    }
                    None => Err(internal("New without a result")),
                }
            }
            _ => self.step(&site.ins, &site.graph, vals),
        }
    }

    fn run_entry(&mut self, args: &[Vec<u8>]) -> R<i64> {
        let items: Vec<Value<'a>> = args.iter().map(|a| self.new_str(a.clone())).collect();
        let list = self.arena.alloc(Obj::List(RefCell::new(ListObj {
            width: 1,
            len: items.len(),
            items,
        })));
        let entry = self.prog.entry;
        match self.prog.graphs.get(entry.0 as usize) {
            Some(Some(g)) if g.params().len() == 1 => {}
            _ => return Err(internal("the entry must be a function taking one argument")),
        }
        let r = self.exec(entry, &[Value::Ref(Some(list))])?;
        match r.first() {
            Some(Value::Int(s)) => Ok(*s),
            _ => Err(internal("the entry did not return an integer")),
        }
    }

    /// Allocates a string.
    pub fn new_str(&self, bytes: Vec<u8>) -> Value<'a> {
        Value::Ref(Some(self.arena.alloc(Obj::Str(bytes.into_boxed_slice()))))
    }

    /// A register file for `n` variables. Its contents are stale values: every variable is
    /// written before it is read (SSA), and stale references keep nothing alive (arena).
    fn alloc_regs(&mut self, n: usize) -> Regs<'a> {
        let class = n.max(1).next_power_of_two().trailing_zeros() as usize;
        match self.pool[class].pop() {
            Some(r) => r,
            None => vec![Value::Int(0); 1 << class].into_boxed_slice(),
        }
    }

    fn free_regs(&mut self, r: Regs<'a>) {
        let class = r.len().trailing_zeros() as usize;
        let p = &mut self.pool[class];
        if p.len() < 256 {
            p.push(r);
        }
    }

    fn pgraph(&self, f: FnId) -> R<&'a PGraph<'a>> {
        let prep = self.prep;
        match prep.graphs.get(f.0 as usize) {
            Some(Some(p)) => Ok(p),
            _ => Err(internal(format!(
                "no graph for function `{}`",
                self.fn_name(f)
            ))),
        }
    }

    fn fn_name(&self, f: FnId) -> String {
        self.prog
            .fn_names
            .get(f.0 as usize)
            .cloned()
            .unwrap_or_else(|| format!("#{}", f.0))
    }

    #[inline(always)]
    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err("stack overflow".into());
        }
        Ok(())
    }

    /// Calls DSL function `fid` with flattened `args`; returns its flattened results.
    fn exec(&mut self, fid: FnId, args: &[Value<'a>]) -> R<Vec<Value<'a>>> {
        if let Some(c) = self.callee {
            return c.call(self, fid, args);
        }
        let base = self.frames.len();
        let depth = self.depth;
        let r = self.exec_inner(fid, args, base);
        if r.is_err() {
            while self.frames.len() > base {
                if let Some(f) = self.frames.pop() {
                    self.free_regs(f.regs);
                }
            }
            self.depth = depth;
        }
        r
    }

    fn exec_inner(&mut self, fid: FnId, args: &[Value<'a>], base: usize) -> R<Vec<Value<'a>>> {
        let ptr64 = self.ptr64;
        let mut pg = self.pgraph(fid)?;
        if pg.params.len() != args.len() {
            return Err(internal(format!(
                "`{}` takes {} arguments, got {}",
                pg.g.name,
                pg.params.len(),
                args.len()
            )));
        }
        let mut regs = self.alloc_regs(pg.nregs);
        for (p, a) in pg.params.iter().zip(args) {
            regs[*p as usize] = *a;
        }
        set_consts(&mut regs, &pg.consts);
        self.enter()?;
        let mut bidx: usize = 0;
        let mut ops: &'a [POp<'a>] = &pg.blocks[0].ops;
        let mut pc: usize = 0;
        let mut scratch: Vec<Value<'a>> = Vec::new();
        loop {
            while pc < ops.len() {
                let op = &ops[pc];
                pc += 1;
                match op {
                    POp::IntBin(o, it, a, b, r) => {
                        let (Value::Int(x), Value::Int(y)) = (regs[*a as usize], regs[*b as usize])
                        else {
                            return Err(bad_operands(&regs, &[*a, *b]));
                        };
                        let v = match o {
                            BinOp::Add => x.wrapping_add(y),
                            BinOp::Sub => x.wrapping_sub(y),
                            BinOp::Mul => x.wrapping_mul(y),
                            BinOp::And => x & y,
                            BinOp::Or => x | y,
                            BinOp::Xor => x ^ y,
                            _ => int_bin(*o, *it, x, y, ptr64)?,
                        };
                        regs[*r as usize] = Value::Int(canon(*it, v, ptr64));
                    }
                    POp::IntCmp(c, a, b, r) => {
                        let (Value::Int(x), Value::Int(y)) = (regs[*a as usize], regs[*b as usize])
                        else {
                            return Err(bad_operands(&regs, &[*a, *b]));
                        };
                        regs[*r as usize] = Value::Bool(cmp_eval(*c, x, y));
                    }
                    POp::Copy(a, r) => regs[*r as usize] = regs[*a as usize],
                    POp::GetField(slot, o, r) => {
                        let Value::Ref(Some(Obj::User { slots, .. })) = regs[*o as usize] else {
                            return Err(bad_operands(&regs, &[*o]));
                        };
                        let Some(cell) = slots.get(*slot as usize) else {
                            return Err(internal("field slot out of range"));
                        };
                        regs[*r as usize] = cell.get();
                    }
                    POp::SetField(slot, o, v) => {
                        let Value::Ref(Some(Obj::User { slots, .. })) = regs[*o as usize] else {
                            return Err(bad_operands(&regs, &[*o]));
                        };
                        let Some(cell) = slots.get(*slot as usize) else {
                            return Err(internal("field slot out of range"));
                        };
                        cell.set(regs[*v as usize]);
                    }
                    POp::BoolNot(a, r) => {
                        let Value::Bool(x) = regs[*a as usize] else {
                            return Err(bad_operands(&regs, &[*a]));
                        };
                        regs[*r as usize] = Value::Bool(!x);
                    }
                    POp::PtrIsNull(a, r) => {
                        let Value::Ref(x) = regs[*a as usize] else {
                            return Err(bad_operands(&regs, &[*a]));
                        };
                        regs[*r as usize] = Value::Bool(x.is_none());
                    }
                    POp::Fast(f, a, b, c, ins) => {
                        if !self.fast(*f, *a, *b, *c, &mut regs) {
                            let LlOp::Builtin(bi, kind) = &ins.op else {
                                return Err(internal("fast path of a non-builtin"));
                            };
                            self.builtin(*bi, *kind, ins, pg.g, &mut regs)?;
                        }
                    }
                    POp::Call(f, ins) => {
                        let callee = self.pgraph(*f)?;
                        let mut nregs = self.alloc_regs(callee.nregs);
                        for (p, a) in callee.params.iter().zip(&ins.args) {
                            nregs[*p as usize] = reg!(regs, a);
                        }
                        set_consts(&mut nregs, &callee.consts);
                        self.enter()?;
                        let caller = std::mem::replace(&mut regs, nregs);
                        self.frames.push(Frame {
                            pg,
                            regs: caller,
                            block: bidx as u32,
                            pc: pc as u32,
                        });
                        pg = callee;
                        bidx = 0;
                        ops = &pg.blocks[0].ops;
                        pc = 0;
                    }
                    POp::Other(ins) => self.step(ins, pg.g, &mut regs)?,
                }
            }
            let link = match &pg.blocks[bidx].exit {
                PExit::Goto(l) => l,
                PExit::IfCmp(c, a, b, r, then, els) => {
                    let (Value::Int(x), Value::Int(y)) = (regs[*a as usize], regs[*b as usize])
                    else {
                        return Err(bad_operands(&regs, &[*a, *b]));
                    };
                    let t = cmp_eval(*c, x, y);
                    regs[*r as usize] = Value::Bool(t);
                    if t {
                        then
                    } else {
                        els
                    }
                }
                PExit::If(cond, then, els) => match regs[*cond as usize] {
                    Value::Bool(true) => then,
                    Value::Bool(false) => els,
                    _ => return Err(bad_operands(&regs, &[*cond])),
                },
                PExit::Switch {
                    value,
                    table,
                    cases,
                    default,
                } => {
                    let v = match regs[*value as usize] {
                        Value::Int(i) => i,
                        Value::Bool(b) => b as i64,
                        _ => return Err(bad_operands(&regs, &[*value])),
                    };
                    match table {
                        SwitchTable::Dense { min, idx } => {
                            let i = (v as i128 - *min as i128) as u128;
                            match idx.get(i.min(u32::MAX as u128) as usize) {
                                Some(&c) if c != u32::MAX => &cases[c as usize].1,
                                _ => default,
                            }
                        }
                        SwitchTable::Linear => {
                            cases.iter().find(|c| c.0 == v).map_or(default, |c| &c.1)
                        }
                    }
                }
                PExit::Return(vals) => {
                    self.depth -= 1;
                    if self.frames.len() <= base {
                        let out = vals.iter().map(|v| regs[*v as usize]).collect();
                        self.free_regs(regs);
                        return Ok(out);
                    }
                    let caller = self
                        .frames
                        .pop()
                        .ok_or_else(|| internal("frame stack underflow"))?;
                    let POp::Call(_, call) =
                        &caller.pg.blocks[caller.block as usize].ops[caller.pc as usize - 1]
                    else {
                        return Err(internal("return to a non-call"));
                    };
                    let mut cregs = caller.regs;
                    for (r, v) in call.results.iter().zip(vals.iter()) {
                        reg!(cregs, r) = regs[*v as usize];
                    }
                    let done = std::mem::replace(&mut regs, cregs);
                    self.free_regs(done);
                    pg = caller.pg;
                    bidx = caller.block as usize;
                    ops = &pg.blocks[bidx].ops;
                    pc = caller.pc as usize;
                    continue;
                }
                PExit::Fatal(m) => return Err(m.to_string()),
            };
            take_link(&mut regs, link, &mut scratch);
            bidx = link.target as usize;
            ops = &pg.blocks[bidx].ops;
            pc = 0;
        }
    }

    /// The inline fast path of some built-ins; `false` to take the general path.
    #[inline(always)]
    fn fast(&mut self, f: Fast, a: u32, b: u32, c: u32, regs: &mut [Value<'a>]) -> bool {
        let Value::Ref(Some(o)) = regs[a as usize] else {
            return false;
        };
        match (f, o) {
            (Fast::StrByteAt, Obj::Str(s)) => {
                let Value::Int(i) = regs[b as usize] else {
                    return false;
                };
                if (i as u64) < s.len() as u64 {
                    regs[c as usize] = Value::Int(s[i as usize] as i64);
                    return true;
                }
                false
            }
            (Fast::StrLen, Obj::Str(s)) => {
                regs[c as usize] = Value::Int(s.len() as i64);
                true
            }
            (Fast::ArrayLen, Obj::Array(arr)) => {
                regs[c as usize] = Value::Int(arr.len as i64);
                true
            }
            (Fast::ArrayGet | Fast::ArraySet, Obj::Array(arr)) => {
                let Value::Int(i) = regs[b as usize] else {
                    return false;
                };
                if arr.width != 1 || (i as u64) >= arr.len as u64 {
                    return false;
                }
                let cell = &arr.items[i as usize];
                if let Fast::ArrayGet = f {
                    regs[c as usize] = cell.get();
                } else {
                    cell.set(regs[c as usize]);
                }
                true
            }
            (Fast::ListLen, Obj::List(l)) => match l.try_borrow() {
                Ok(l) => {
                    regs[c as usize] = Value::Int(l.len as i64);
                    true
                }
                Err(_) => false,
            },
            (Fast::ListGet | Fast::ListSet, Obj::List(l)) => {
                let Value::Int(i) = regs[b as usize] else {
                    return false;
                };
                let Ok(mut l) = l.try_borrow_mut() else {
                    return false;
                };
                if l.width != 1 || (i as u64) >= l.len as u64 {
                    return false;
                }
                if let Fast::ListGet = f {
                    regs[c as usize] = l.items[i as usize];
                } else {
                    l.items[i as usize] = regs[c as usize];
                }
                true
            }
            _ => false,
        }
    }

    /// Executes any instruction but `Call` (the general path).
    fn step(&mut self, ins: &Instr<LlOp>, graph: &LlGraph, regs: &mut [Value<'a>]) -> R<()> {
        let ptr64 = self.ptr64;
        match &ins.op {
            LlOp::IntBin(op, it) => {
                let a = as_int(reg!(regs, ins.args[0]))?;
                let b = as_int(reg!(regs, ins.args[1]))?;
                reg!(regs, ins.results[0]) = Value::Int(int_bin(*op, *it, a, b, ptr64)?);
            }
            LlOp::IntCmp(op, it) => {
                let a = as_int(reg!(regs, ins.args[0]))?;
                let b = as_int(reg!(regs, ins.args[1]))?;
                let c = cmp_kind(*op, *it)
                    .ok_or_else(|| internal(format!("`{}` is not a comparison", op.name())))?;
                reg!(regs, ins.results[0]) = Value::Bool(cmp_eval(c, a, b));
            }
            LlOp::Const(c) => {
                reg!(regs, ins.results[0]) = match c {
                    LlConst::Int(v, it) => Value::Int(canon(*it, *v, ptr64)),
                    LlConst::F64(x) => Value::F64(*x),
                    LlConst::Bool(b) => Value::Bool(*b),
                    LlConst::Null => Value::Ref(None),
                    LlConst::Str(s) => self.new_str(s.clone()),
                };
            }
            LlOp::Copy => {
                for (r, a) in ins.results.iter().zip(&ins.args) {
                    reg!(regs, r) = reg!(regs, a);
                }
            }
            LlOp::GetField(d) => {
                let o = as_obj(reg!(regs, ins.args[0]))?;
                reg!(regs, ins.results[0]) = match o {
                    Obj::User { slots, .. } => slots
                        .get(d.slot as usize)
                        .ok_or_else(|| internal("field slot out of range"))?
                        .get(),
                    o => return Err(internal(format!("field read of {}", o.kind()))),
                };
            }
            LlOp::SetField(d) => {
                let o = as_obj(reg!(regs, ins.args[0]))?;
                let v = reg!(regs, ins.args[1]);
                match o {
                    Obj::User { slots, .. } => slots
                        .get(d.slot as usize)
                        .ok_or_else(|| internal("field slot out of range"))?
                        .set(v),
                    o => return Err(internal(format!("field write of {}", o.kind()))),
                }
            }
            LlOp::Call(f) | LlOp::Host(f) => {
                if self.prog.graphs[f.0 as usize].is_some() {
                    // Calls of DSL functions are prepared as `POp::Call`.
                    return Err(internal("unprepared call"));
                }
                self.host(*f, ins, graph, regs)?;
            }
            LlOp::IntOvf(op, it) => {
                let a = as_int(reg!(regs, ins.args[0]))?;
                let b = as_int(reg!(regs, ins.args[1]))?;
                let (v, o) = int_ovf(*op, *it, a, b, ptr64)?;
                reg!(regs, ins.results[0]) = Value::Int(v);
                reg!(regs, ins.results[1]) = Value::Bool(o);
            }
            LlOp::IntNeg(it) => {
                let a = as_int(reg!(regs, ins.args[0]))?;
                reg!(regs, ins.results[0]) = Value::Int(canon(*it, a.wrapping_neg(), ptr64));
            }
            LlOp::IntNot(it) => {
                let a = as_int(reg!(regs, ins.args[0]))?;
                reg!(regs, ins.results[0]) = Value::Int(canon(*it, !a, ptr64));
            }
            LlOp::BoolBin(op) => {
                let a = as_bool(reg!(regs, ins.args[0]))?;
                let b = as_bool(reg!(regs, ins.args[1]))?;
                reg!(regs, ins.results[0]) = Value::Bool(bool_bin(*op, a, b)?);
            }
            LlOp::BoolNot => {
                let a = as_bool(reg!(regs, ins.args[0]))?;
                reg!(regs, ins.results[0]) = Value::Bool(!a);
            }
            LlOp::FloatBin(op) => {
                let a = as_f64(reg!(regs, ins.args[0]))?;
                let b = as_f64(reg!(regs, ins.args[1]))?;
                reg!(regs, ins.results[0]) = Value::F64(float_bin(*op, a, b)?);
            }
            LlOp::FloatCmp(op) => {
                let a = as_f64(reg!(regs, ins.args[0]))?;
                let b = as_f64(reg!(regs, ins.args[1]))?;
                reg!(regs, ins.results[0]) = Value::Bool(float_cmp(*op, a, b)?);
            }
            LlOp::FloatNeg => {
                let a = as_f64(reg!(regs, ins.args[0]))?;
                reg!(regs, ins.results[0]) = Value::F64(-a);
            }
            LlOp::Cast => {
                let (a, r) = (ins.args[0], ins.results[0]);
                let v = cast(
                    reg!(regs, a),
                    graph.var_types[a.0 as usize],
                    graph.var_types[r.0 as usize],
                    ptr64,
                )?;
                reg!(regs, r) = v;
            }
            LlOp::New(adt, variant) => {
                let v = self.new_obj(adt.0, *variant, ins, regs)?;
                reg!(regs, ins.results[0]) = v;
            }
            LlOp::PtrEq => {
                let a = as_ref(reg!(regs, ins.args[0]))?;
                let b = as_ref(reg!(regs, ins.args[1]))?;
                reg!(regs, ins.results[0]) = Value::Bool(ptr_eq(a, b));
            }
            LlOp::PtrIsNull => {
                let a = as_ref(reg!(regs, ins.args[0]))?;
                reg!(regs, ins.results[0]) = Value::Bool(a.is_none());
            }
            LlOp::Builtin(b, kind) => self.builtin(*b, *kind, ins, graph, regs)?,
            LlOp::NewContainer(b, info) => {
                self.builtin(*b, info.key, ins, graph, regs)?;
                // The element widths are known here: record them (else the first operation that
                // passes elements sets them).
                if let Some(Value::Ref(Some(o))) = ins.results.first().map(|r| reg!(regs, r)) {
                    match o {
                        Obj::List(l) => l.borrow_mut().width = info.elem.len(),
                        Obj::Map(m) => {
                            let mut m = m.borrow_mut();
                            m.kw = info.elem.len();
                            m.vw = info.value.len();
                        }
                        Obj::Array(a) if a.width != info.elem.len() => {
                            return Err(internal(format!(
                                "array of {}-scalar elements created with {} scalars",
                                info.elem.len(),
                                a.width
                            )));
                        }
                        _ => {}
                    }
                }
            }
            LlOp::JitMergePoint(_) | LlOp::CanEnterJit(_) => {}
        }
        Ok(())
    }

    fn new_obj(
        &mut self,
        adt: u32,
        variant: Option<u32>,
        ins: &Instr<LlOp>,
        regs: &[Value<'a>],
    ) -> R<Value<'a>> {
        self.alloc_user(adt, variant, ins.args.iter().map(|a| reg!(regs, a)))
    }

    /// Allocates a user object from the values of its slots (validated by the caller).
    fn alloc_user(
        &mut self,
        adt: u32,
        variant: Option<u32>,
        args: impl Iterator<Item = Value<'a>>,
    ) -> R<Value<'a>> {
        let prep = self.prep;
        let defaults = prep
            .defaults
            .get(adt as usize)
            .ok_or_else(|| internal("New of a missing type"))?;
        let slots: Box<[Cell<Value<'a>>]> = defaults.iter().map(|v| Cell::new(*v)).collect();
        if let Some(v) = variant {
            slots[0].set(Value::Int(v as i64));
        }
        let targets = self.prog.layouts[adt as usize].arg_slots(variant);
        for (&i, a) in targets.iter().zip(args) {
            slots[i as usize].set(a);
        }
        Ok(Value::Ref(Some(self.arena.alloc(Obj::User { adt, slots }))))
    }

    fn host(
        &mut self,
        f: FnId,
        ins: &Instr<LlOp>,
        graph: &LlGraph,
        regs: &mut [Value<'a>],
    ) -> R<()> {
        let Some(hf) = self.prep.hosts.get(f.0 as usize).copied().flatten() else {
            let name = self
                .prog
                .host_names
                .get(f.0 as usize)
                .cloned()
                .flatten()
                .unwrap_or_else(|| self.fn_name(f));
            return Err(format!(
                "host function `{name}` is not registered in this process"
            ));
        };
        let mut hargs = Vec::with_capacity(ins.args.len());
        for a in &ins.args {
            let v = reg!(regs, a);
            hargs.push(match (graph.var_types[a.0 as usize], v) {
                (LlTy::Int(it), Value::Int(i)) => {
                    if it.signed() {
                        HostVal::I64(i)
                    } else {
                        HostVal::U64(i as u64)
                    }
                }
                (_, Value::F64(x)) => HostVal::F64(x),
                (_, Value::Bool(b)) => HostVal::Bool(b),
                (_, Value::Ref(Some(Obj::Str(s)))) => HostVal::Str(vmkit::Str::from_byte_slice(s)),
                (t, v) => {
                    return Err(internal(format!(
                        "host argument of type {t:?} is {}",
                        v.kind()
                    )))
                }
            });
        }
        let call = hf.call;
        let r = std::panic::catch_unwind(move || call(&hargs)).map_err(|p| panic_message(&*p))?;
        if let Some(res) = ins.results.first() {
            let t = graph.var_types[res.0 as usize];
            reg!(regs, res) = match (t, r) {
                (LlTy::Int(it), HostVal::I64(x)) => Value::Int(canon(it, x, self.ptr64)),
                (LlTy::Int(it), HostVal::U64(x)) => Value::Int(canon(it, x as i64, self.ptr64)),
                (LlTy::Int(_), o) => {
                    return Err(format!("host boundary: expected an integer, got {o:?}"))
                }
                (LlTy::F64, HostVal::F64(x)) => Value::F64(x),
                (LlTy::F64, o) => return Err(format!("host boundary: expected f64, got {o:?}")),
                (LlTy::Bool, HostVal::Bool(b)) => Value::Bool(b),
                (LlTy::Bool, o) => return Err(format!("host boundary: expected bool, got {o:?}")),
                (LlTy::Ref, HostVal::Str(s)) => self.new_str(s.as_bytes().to_vec()),
                (LlTy::Ref, o) => return Err(format!("host boundary: expected Str, got {o:?}")),
            };
        }
        Ok(())
    }

    /// Writes an `Option` result: `payload` is `Some(values)` or `None`. Nullable-reference form
    /// when the instruction has exactly one `Ref` result, else `(is_some, payload...)`.
    fn write_option(
        graph: &LlGraph,
        ins: &Instr<LlOp>,
        regs: &mut [Value<'a>],
        payload: Option<&[Value<'a>]>,
    ) -> R<()> {
        let res = &ins.results;
        if res.is_empty() {
            return Ok(());
        }
        if res.len() == 1 && graph.var_types[res[0].0 as usize] == LlTy::Ref {
            reg!(regs, res[0]) = match payload {
                None => Value::Ref(None),
                Some([v]) => *v,
                Some(p) => {
                    return Err(internal(format!(
                        "an option of a reference holds {} values",
                        p.len()
                    )))
                }
            };
            return Ok(());
        }
        reg!(regs, res[0]) = Value::Bool(payload.is_some());
        match payload {
            Some(p) => {
                if p.len() != res.len() - 1 {
                    return Err(internal(format!(
                        "an option of {} scalars holds {} values",
                        res.len() - 1,
                        p.len()
                    )));
                }
                for (r, v) in res[1..].iter().zip(p) {
                    reg!(regs, r) = *v;
                }
            }
            None => {
                for r in &res[1..] {
                    reg!(regs, r) = Value::default_for(graph.var_types[r.0 as usize]);
                }
            }
        }
        Ok(())
    }

    /// Width of the payload of an `Option` result (see [`Self::write_option`]).
    fn option_width(graph: &LlGraph, ins: &Instr<LlOp>) -> usize {
        let res = &ins.results;
        if res.len() == 1 && graph.var_types[res[0].0 as usize] == LlTy::Ref {
            1
        } else {
            res.len().saturating_sub(1)
        }
    }

    fn builtin(
        &mut self,
        b: Builtin,
        kind: Option<MapKeyKind>,
        ins: &Instr<LlOp>,
        graph: &LlGraph,
        regs: &mut [Value<'a>],
    ) -> R<()> {
        use Builtin as B;
        let ptr64 = self.ptr64;
        let nargs = ins.args.len();
        let arg = |i: usize| -> R<Value<'a>> {
            ins.args
                .get(i)
                .map(|v| reg!(regs, v))
                .ok_or_else(|| internal(format!("{b:?} lacks argument {i}")))
        };
        let int_ty = |i: usize| -> R<IntTy> {
            match ins.args.get(i).map(|v| graph.var_types[v.0 as usize]) {
                Some(LlTy::Int(it)) => Ok(it),
                _ => Err(internal(format!("{b:?}: argument {i} is not an integer"))),
            }
        };
        // Results are written through `out`, after the arguments were read.
        let mut out: [Value<'a>; 2] = [Value::Int(0); 2];
        let nout: usize;
        match b {
            B::CheckedAdd
            | B::CheckedSub
            | B::CheckedMul
            | B::OverflowingAdd
            | B::OverflowingSub
            | B::OverflowingMul
            | B::WrappingAdd
            | B::WrappingSub
            | B::WrappingMul => {
                let it = int_ty(0)?;
                let op = match b {
                    B::CheckedAdd | B::OverflowingAdd | B::WrappingAdd => BinOp::Add,
                    B::CheckedSub | B::OverflowingSub | B::WrappingSub => BinOp::Sub,
                    _ => BinOp::Mul,
                };
                let (v, o) = int_ovf(op, it, as_int(arg(0)?)?, as_int(arg(1)?)?, ptr64)?;
                match b {
                    B::CheckedAdd | B::CheckedSub | B::CheckedMul => {
                        out = [Value::Bool(!o), Value::Int(if o { 0 } else { v })];
                        nout = 2;
                    }
                    B::OverflowingAdd | B::OverflowingSub | B::OverflowingMul => {
                        out = [Value::Int(v), Value::Bool(o)];
                        nout = 2;
                    }
                    _ => {
                        out[0] = Value::Int(v);
                        nout = 1;
                    }
                }
            }
            B::IntAbs => {
                let it = int_ty(0)?;
                let a = as_int(arg(0)?)?;
                out[0] = Value::Int(match it {
                    IntTy::I64 => a.wrapping_abs(),
                    IntTy::I32 => (a as i32).wrapping_abs() as i64,
                    _ => a,
                });
                nout = 1;
            }
            B::IntMin | B::IntMax => {
                let it = int_ty(0)?;
                let (a, c) = (as_int(arg(0)?)?, as_int(arg(1)?)?);
                let less = int_cmp(BinOp::Lt, it, c, a)?;
                // Rust's min returns the first on ties, max the second.
                out[0] = Value::Int(if b == B::IntMin {
                    if less {
                        c
                    } else {
                        a
                    }
                } else if less {
                    a
                } else {
                    c
                });
                nout = 1;
            }
            B::FSqrt | B::FFloor | B::FCeil | B::FAbs | B::FSin | B::FCos | B::FExp | B::FLn => {
                let x = as_f64(arg(0)?)?;
                out[0] = Value::F64(match b {
                    B::FSqrt => x.sqrt(),
                    B::FFloor => x.floor(),
                    B::FCeil => x.ceil(),
                    B::FAbs => x.abs(),
                    B::FSin => x.sin(),
                    B::FCos => x.cos(),
                    B::FExp => x.exp(),
                    _ => x.ln(),
                });
                nout = 1;
            }
            B::FPowf | B::FMin | B::FMax => {
                let (x, y) = (as_f64(arg(0)?)?, as_f64(arg(1)?)?);
                out[0] = Value::F64(match b {
                    B::FPowf => x.powf(y),
                    B::FMin => x.min(y),
                    _ => x.max(y),
                });
                nout = 1;
            }
            B::FPowi => {
                let (x, n) = (as_f64(arg(0)?)?, as_int(arg(1)?)?);
                out[0] = Value::F64(x.powi(n as i32));
                nout = 1;
            }
            B::FIsNan => {
                out[0] = Value::Bool(as_f64(arg(0)?)?.is_nan());
                nout = 1;
            }
            // ---- strings
            B::StrLen => {
                out[0] = Value::Int(as_str(arg(0)?)?.len() as i64);
                nout = 1;
            }
            B::StrByteAt => {
                let s = as_str(arg(0)?)?;
                let i = as_int(arg(1)?)? as u64;
                let byte = s
                    .get(i as usize)
                    .filter(|_| i <= usize::MAX as u64)
                    .ok_or_else(|| {
                        format!(
                            "index out of bounds: the len is {} but the index is {i}",
                            s.len()
                        )
                    })?;
                out[0] = Value::Int(*byte as i64);
                nout = 1;
            }
            B::StrConcat => {
                let (a, c) = (as_str(arg(0)?)?, as_str(arg(1)?)?);
                let mut v = Vec::with_capacity(a.len() + c.len());
                v.extend_from_slice(a);
                v.extend_from_slice(c);
                out[0] = self.new_str(v);
                nout = 1;
            }
            B::StrSlice => {
                let s = as_str(arg(0)?)?;
                let (start, end) = (as_int(arg(1)?)? as u64, as_int(arg(2)?)? as u64);
                let len = s.len() as u64;
                if start > len {
                    return Err(format!(
                        "range start index {start} out of range for slice of length {len}"
                    ));
                }
                if end > len {
                    return Err(format!(
                        "range end index {end} out of range for slice of length {len}"
                    ));
                }
                if start > end {
                    return Err(format!("slice index starts at {start} but ends at {end}"));
                }
                out[0] = self.new_str(s[start as usize..end as usize].to_vec());
                nout = 1;
            }
            B::StrRepeat => {
                let s = as_str(arg(0)?)?;
                let n = as_int(arg(1)?)? as u64;
                let total = (s.len() as u64)
                    .checked_mul(n)
                    .filter(|t| *t <= isize::MAX as u64)
                    .ok_or_else(|| "capacity overflow".to_string())?;
                let mut v = Vec::new();
                v.try_reserve_exact(total as usize)
                    .map_err(|_| format!("memory allocation of {total} bytes failed"))?;
                for _ in 0..if s.is_empty() { 0 } else { n } {
                    v.extend_from_slice(s);
                }
                out[0] = self.new_str(v);
                nout = 1;
            }
            B::StrFind => {
                let (s, needle) = (as_str(arg(0)?)?, as_str(arg(1)?)?);
                let start = as_int(arg(2)?)? as u64;
                let found = if start > s.len() as u64 {
                    None
                } else if needle.is_empty() {
                    Some(start as usize)
                } else {
                    s[start as usize..]
                        .windows(needle.len())
                        .position(|w| w == needle)
                        .map(|p| p + start as usize)
                };
                return Self::write_option(
                    graph,
                    ins,
                    regs,
                    found
                        .map(|p| [Value::Int(p as i64)])
                        .as_ref()
                        .map(|a| &a[..]),
                );
            }
            B::StrStartsWith | B::StrEndsWith | B::StrEq => {
                let (a, c) = (as_str(arg(0)?)?, as_str(arg(1)?)?);
                out[0] = Value::Bool(match b {
                    B::StrStartsWith => a.starts_with(c),
                    B::StrEndsWith => a.ends_with(c),
                    _ => a == c,
                });
                nout = 1;
            }
            B::StrHash => {
                out[0] = Value::Int(vmkit::str::fnv1a(as_str(arg(0)?)?) as i64);
                nout = 1;
            }
            B::StrCompare => {
                let (a, c) = (as_str(arg(0)?)?, as_str(arg(1)?)?);
                out[0] = Value::Int(match a.cmp(c) {
                    std::cmp::Ordering::Less => -1,
                    std::cmp::Ordering::Equal => 0,
                    std::cmp::Ordering::Greater => 1,
                });
                nout = 1;
            }
            B::StrParseI64 => {
                let s = as_str(arg(0)?)?;
                let v: Option<i64> = std::str::from_utf8(s).ok().and_then(|t| t.parse().ok());
                return Self::write_option(
                    graph,
                    ins,
                    regs,
                    v.map(|x| [Value::Int(x)]).as_ref().map(|a| &a[..]),
                );
            }
            B::StrParseF64 => {
                let s = as_str(arg(0)?)?;
                let v: Option<f64> = std::str::from_utf8(s).ok().and_then(|t| t.parse().ok());
                return Self::write_option(
                    graph,
                    ins,
                    regs,
                    v.map(|x| [Value::F64(x)]).as_ref().map(|a| &a[..]),
                );
            }
            B::StrFromI64 => {
                out[0] = self.new_str(as_int(arg(0)?)?.to_string().into_bytes());
                nout = 1;
            }
            B::StrFromU64 => {
                out[0] = self.new_str((as_int(arg(0)?)? as u64).to_string().into_bytes());
                nout = 1;
            }
            B::StrFromF64 => {
                out[0] = self.new_str(format!("{:?}", as_f64(arg(0)?)?).into_bytes());
                nout = 1;
            }
            B::StrFromByte => {
                out[0] = self.new_str(vec![as_int(arg(0)?)? as u8]);
                nout = 1;
            }
            B::SbNew => {
                out[0] = Value::Ref(Some(self.arena.alloc(Obj::Sb(RefCell::new(Vec::new())))));
                nout = 1;
            }
            B::SbPushStr | B::SbPushByte | B::SbLen | B::SbBuild => {
                let Obj::Sb(buf) = as_obj(arg(0)?)? else {
                    return Err(internal(format!("{b:?} on a non-StrBuilder")));
                };
                nout = match b {
                    B::SbPushStr => {
                        let s = as_str(arg(1)?)?;
                        buf.borrow_mut().extend_from_slice(s);
                        0
                    }
                    B::SbPushByte => {
                        let byte = as_int(arg(1)?)? as u8;
                        buf.borrow_mut().push(byte);
                        0
                    }
                    B::SbLen => {
                        out[0] = Value::Int(buf.borrow().len() as i64);
                        1
                    }
                    _ => {
                        let v = buf.borrow().clone();
                        out[0] = self.new_str(v);
                        1
                    }
                };
            }
            // ---- arrays
            B::ArrayNew => {
                let len = as_int(arg(0)?)? as u64;
                let width = nargs.saturating_sub(1);
                let total = len
                    .checked_mul(width as u64)
                    .filter(|t| *t <= (isize::MAX as u64) / 16)
                    .ok_or_else(|| "capacity overflow".to_string())?;
                let mut items: Vec<Cell<Value<'a>>> = Vec::new();
                items
                    .try_reserve_exact(total as usize)
                    .map_err(|_| format!("memory allocation of {} bytes failed", total * 16))?;
                let init: Vec<Value<'a>> = ins.args[1..].iter().map(|v| reg!(regs, v)).collect();
                for _ in 0..len {
                    items.extend(init.iter().map(|v| Cell::new(*v)));
                    if width == 0 {
                        break;
                    }
                }
                let a = ArrayObj {
                    width,
                    len: len as usize,
                    items: items.into_boxed_slice(),
                };
                out[0] = Value::Ref(Some(self.arena.alloc(Obj::Array(a))));
                nout = 1;
            }
            B::ArrayLen | B::ArrayGet | B::ArraySet => {
                let Obj::Array(a) = as_obj(arg(0)?)? else {
                    return Err(internal(format!("{b:?} on a non-array")));
                };
                if b == B::ArrayLen {
                    out[0] = Value::Int(a.len as i64);
                    nout = 1;
                } else {
                    let i = as_int(arg(1)?)? as u64;
                    if i >= a.len as u64 {
                        return Err(format!(
                            "index out of bounds: the len is {} but the index is {i}",
                            a.len
                        ));
                    }
                    let at = i as usize * a.width;
                    if b == B::ArrayGet {
                        if ins.results.len() != a.width {
                            return Err(internal("array element width mismatch"));
                        }
                        for (k, r) in ins.results.iter().enumerate() {
                            reg!(regs, r) = a.items[at + k].get();
                        }
                    } else {
                        if nargs - 2 != a.width {
                            return Err(internal("array element width mismatch"));
                        }
                        for (k, v) in ins.args[2..].iter().enumerate() {
                            a.items[at + k].set(reg!(regs, v));
                        }
                    }
                    return Ok(());
                }
            }
            // ---- lists
            B::ListNew => {
                let l = ListObj {
                    width: UNKNOWN,
                    len: 0,
                    items: Vec::new(),
                };
                out[0] = Value::Ref(Some(self.arena.alloc(Obj::List(RefCell::new(l)))));
                nout = 1;
            }
            B::ListLen
            | B::ListGet
            | B::ListSet
            | B::ListPush
            | B::ListPop
            | B::ListInsert
            | B::ListRemove
            | B::ListTruncate
            | B::ListClear => {
                let Obj::List(cell) = as_obj(arg(0)?)? else {
                    return Err(internal(format!("{b:?} on a non-list")));
                };
                let mut l = cell.borrow_mut();
                let check_width = |l: &mut ListObj, k: usize| -> R<()> {
                    if l.width == UNKNOWN {
                        l.width = k;
                    } else if l.width != k {
                        return Err(internal(format!(
                            "list element width {} used as {k}",
                            l.width
                        )));
                    }
                    Ok(())
                };
                match b {
                    B::ListLen => {
                        out[0] = Value::Int(l.len as i64);
                        nout = 1;
                    }
                    B::ListGet | B::ListSet => {
                        let i = as_int(arg(1)?)? as u64;
                        if i >= l.len as u64 {
                            return Err(format!(
                                "index out of bounds: the len is {} but the index is {i}",
                                l.len
                            ));
                        }
                        let at = i as usize * l.width;
                        if b == B::ListGet {
                            check_width(&mut l, ins.results.len())?;
                            for (k, r) in ins.results.iter().enumerate() {
                                reg!(regs, r) = l.items[at + k];
                            }
                        } else {
                            check_width(&mut l, nargs - 2)?;
                            for (k, v) in ins.args[2..].iter().enumerate() {
                                l.items[at + k] = reg!(regs, v);
                            }
                        }
                        return Ok(());
                    }
                    B::ListPush => {
                        check_width(&mut l, nargs - 1)?;
                        l.items.extend(ins.args[1..].iter().map(|v| reg!(regs, v)));
                        l.len += 1;
                        return Ok(());
                    }
                    B::ListPop => {
                        if l.len == 0 {
                            drop(l);
                            return Self::write_option(graph, ins, regs, None);
                        }
                        check_width(&mut l, Self::option_width(graph, ins))?;
                        let at = l.items.len() - l.width;
                        l.len -= 1;
                        let vals: Vec<Value<'a>> = l.items.drain(at..).collect();
                        drop(l);
                        return Self::write_option(graph, ins, regs, Some(&vals));
                    }
                    B::ListInsert => {
                        let i = as_int(arg(1)?)? as u64;
                        if i > l.len as u64 {
                            return Err(format!(
                                "insertion index (is {i}) should be <= len (is {})",
                                l.len
                            ));
                        }
                        check_width(&mut l, nargs - 2)?;
                        let at = i as usize * l.width;
                        l.items
                            .splice(at..at, ins.args[2..].iter().map(|v| reg!(regs, v)));
                        l.len += 1;
                        return Ok(());
                    }
                    B::ListRemove => {
                        let i = as_int(arg(1)?)? as u64;
                        if i >= l.len as u64 {
                            return Err(format!(
                                "removal index (is {i}) should be < len (is {})",
                                l.len
                            ));
                        }
                        check_width(&mut l, ins.results.len())?;
                        let at = i as usize * l.width;
                        let w = l.width;
                        for (r, v) in ins.results.iter().zip(l.items.drain(at..at + w)) {
                            reg!(regs, r) = v;
                        }
                        l.len -= 1;
                        return Ok(());
                    }
                    B::ListTruncate => {
                        let n = as_int(arg(1)?)? as u64;
                        if n < l.len as u64 {
                            l.len = n as usize;
                            let keep = l.len * l.width;
                            l.items.truncate(keep);
                        }
                        return Ok(());
                    }
                    _ => {
                        l.len = 0;
                        l.items.clear();
                        return Ok(());
                    }
                }
            }
            // ---- maps
            B::MapNew => {
                let kw = match kind {
                    Some(MapKeyKind::User { width, .. }) => width as usize,
                    _ => 1,
                };
                let m = MapObj {
                    kw,
                    vw: UNKNOWN,
                    len: 0,
                    keys: Vec::new(),
                    vals: Vec::new(),
                    index: HashMap::default(),
                };
                out[0] = Value::Ref(Some(self.arena.alloc(Obj::Map(Box::new(RefCell::new(m))))));
                nout = 1;
            }
            B::MapLen
            | B::MapGet
            | B::MapContains
            | B::MapInsert
            | B::MapRemove
            | B::MapKeyAt
            | B::MapValueAt
            | B::MapClear => {
                let Obj::Map(cell) = as_obj(arg(0)?)? else {
                    return Err(internal(format!("{b:?} on a non-map")));
                };
                let kind = kind.unwrap_or(MapKeyKind::Int);
                return self.map_op(b, kind, cell, ins, graph, regs);
            }
            // ---- references
            B::GcPtrEq => {
                out[0] = Value::Bool(ptr_eq(as_ref(arg(0)?)?, as_ref(arg(1)?)?));
                nout = 1;
            }
            // ---- I/O
            B::Print => {
                let s = as_str(arg(0)?)?;
                self.io.write_stdout(s);
                nout = 0;
            }
            B::EPrint => {
                let s = as_str(arg(0)?)?;
                self.io.write_stderr(s);
                nout = 0;
            }
            B::WriteByte => {
                let byte = as_int(arg(0)?)? as u8;
                self.io.write_stdout(&[byte]);
                nout = 0;
            }
            B::Flush => {
                self.io.flush();
                nout = 0;
            }
            B::ReadByte => {
                out[0] = Value::Int(self.io.read_byte());
                nout = 1;
            }
            B::ReadFile => {
                let p = String::from_utf8_lossy(as_str(arg(0)?)?).into_owned();
                let v = std::fs::read(p).ok().map(|bytes| [self.new_str(bytes)]);
                return Self::write_option(graph, ins, regs, v.as_ref().map(|a| &a[..]));
            }
            B::WriteFile => {
                let p = String::from_utf8_lossy(as_str(arg(0)?)?).into_owned();
                let data = as_str(arg(1)?)?;
                out[0] = Value::Bool(std::fs::write(p, data).is_ok());
                nout = 1;
            }
            // ---- foreign functions: the graph interpreter holds no machine code to call with.
            B::FfiOpen
            | B::FfiSymbol
            | B::FfiError
            | B::FfiCall
            | B::FfiCallF64
            | B::FfiMalloc
            | B::FfiFree
            | B::FfiPeek
            | B::FfiPoke
            | B::FfiPeekF64
            | B::FfiPokeF64
            | B::FfiToCstr
            | B::FfiFromCstr
            | B::FfiCallback => {
                return Err(format!(
                    "`vmkit::ffi` ({b:?}) is not available in the graph interpreter: run the program untranslated or translated"
                ));
            }
            // ---- JIT hints
            B::Promote => {
                for (r, a) in ins.results.iter().zip(&ins.args) {
                    reg!(regs, r) = reg!(regs, a);
                }
                return Ok(());
            }
            B::WeAreJitted => {
                out[0] = Value::Bool(false);
                nout = 1;
            }
        }
        if ins.results.len() != nout {
            return Err(internal(format!(
                "{b:?} has {} results, expected {nout}",
                ins.results.len()
            )));
        }
        for (r, v) in ins.results.iter().zip(out) {
            reg!(regs, r) = v;
        }
        Ok(())
    }

    // ---- maps

    fn key_hash(&mut self, kind: MapKeyKind, key: &[Value<'a>]) -> R<u64> {
        match kind {
            MapKeyKind::Int => match key {
                [Value::Int(i)] => Ok(*i as u64),
                [Value::Bool(b)] => Ok(*b as u64),
                _ => Err(internal("bad integer map key")),
            },
            MapKeyKind::Str => match key {
                [v] => Ok(vmkit::str::fnv1a(as_str(*v)?)),
                _ => Err(internal("bad string map key")),
            },
            MapKeyKind::User { hash, .. } => {
                let r = self.exec(hash, key)?;
                match r.first() {
                    Some(Value::Int(h)) => Ok(*h as u64),
                    _ => Err(internal("key_hash did not return an integer")),
                }
            }
        }
    }

    fn native_key_eq(kind: MapKeyKind, a: &[Value<'a>], b: &[Value<'a>]) -> R<bool> {
        Ok(match (kind, a, b) {
            (MapKeyKind::Int, [Value::Int(x)], [Value::Int(y)]) => x == y,
            (MapKeyKind::Int, [Value::Bool(x)], [Value::Bool(y)]) => x == y,
            (MapKeyKind::Str, [x], [y]) => as_str(*x)? == as_str(*y)?,
            _ => return Err(internal("bad map key")),
        })
    }

    /// `stored.key_eq(probe)`.
    fn key_eq(&mut self, kind: MapKeyKind, stored: &[Value<'a>], probe: &[Value<'a>]) -> R<bool> {
        match kind {
            MapKeyKind::User { eq, .. } => {
                let mut args = Vec::with_capacity(stored.len() + probe.len());
                args.extend_from_slice(stored);
                args.extend_from_slice(probe);
                let r = self.exec(eq, &args)?;
                match r.first() {
                    Some(Value::Bool(b)) => Ok(*b),
                    _ => Err(internal("key_eq did not return a bool")),
                }
            }
            _ => Self::native_key_eq(kind, stored, probe),
        }
    }

    /// The entry index of `key` (as `GcMap::find`: one `key_hash`, then `key_eq` on the
    /// candidates with the same hash, in insertion order).
    fn map_find(
        &mut self,
        kind: MapKeyKind,
        cell: &RefCell<MapObj<'a>>,
        key: &[Value<'a>],
    ) -> R<Option<usize>> {
        let h = self.key_hash(kind, key)?;
        let kw = key.len();
        if !matches!(kind, MapKeyKind::User { .. }) {
            let m = cell.borrow();
            if let Some(c) = m.index.get(&h) {
                for &i in c {
                    if Self::native_key_eq(kind, &m.keys[i * kw..(i + 1) * kw], key)? {
                        return Ok(Some(i));
                    }
                }
            }
            return Ok(None);
        }
        let candidates: Vec<usize> = cell.borrow().index.get(&h).cloned().unwrap_or_default();
        for i in candidates {
            let stored: Vec<Value<'a>> = {
                let m = cell.borrow();
                if i >= m.len {
                    return Err(format!(
                        "index out of bounds: the len is {} but the index is {i}",
                        m.len
                    ));
                }
                m.keys[i * kw..(i + 1) * kw].to_vec()
            };
            if self.key_eq(kind, &stored, key)? {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }

    fn map_op(
        &mut self,
        b: Builtin,
        kind: MapKeyKind,
        cell: &'a RefCell<MapObj<'a>>,
        ins: &Instr<LlOp>,
        graph: &LlGraph,
        regs: &mut [Value<'a>],
    ) -> R<()> {
        use Builtin as B;
        let kw = match kind {
            MapKeyKind::User { width, .. } => width as usize,
            _ => 1,
        };
        {
            let mut m = cell.borrow_mut();
            if m.kw != kw {
                if m.len != 0 {
                    return Err(internal("map key width mismatch"));
                }
                m.kw = kw;
            }
        }
        let args = &ins.args;
        let key_of = |regs: &[Value<'a>]| -> R<Vec<Value<'a>>> {
            if args.len() < 1 + kw {
                return Err(internal(format!("{b:?} lacks its key")));
            }
            Ok(args[1..1 + kw].iter().map(|v| reg!(regs, v)).collect())
        };
        let check_vw = |m: &mut MapObj, vw: usize| -> R<()> {
            if m.vw == UNKNOWN {
                m.vw = vw;
            } else if m.vw != vw {
                return Err(internal(format!("map value width {} used as {vw}", m.vw)));
            }
            Ok(())
        };
        let set1 = |regs: &mut [Value<'a>], v: Value<'a>| -> R<()> {
            match ins.results.first() {
                Some(r) if ins.results.len() == 1 => {
                    reg!(regs, r) = v;
                    Ok(())
                }
                _ => Err(internal(format!("{b:?} has {} results", ins.results.len()))),
            }
        };
        match b {
            B::MapLen => set1(regs, Value::Int(cell.borrow().len as i64)),
            B::MapClear => {
                let mut m = cell.borrow_mut();
                m.len = 0;
                m.keys.clear();
                m.vals.clear();
                m.index.clear();
                Ok(())
            }
            B::MapKeyAt | B::MapValueAt => {
                let i = as_int(
                    args.get(1)
                        .map(|v| reg!(regs, v))
                        .ok_or_else(|| internal("missing index"))?,
                )? as u64;
                let mut m = cell.borrow_mut();
                if i >= m.len as u64 {
                    return Err(format!(
                        "index out of bounds: the len is {} but the index is {i}",
                        m.len
                    ));
                }
                let i = i as usize;
                let w = ins.results.len();
                let vals: &[Value<'a>] = if b == B::MapKeyAt {
                    if w != m.kw {
                        return Err(internal("map key width mismatch"));
                    }
                    &m.keys[i * w..(i + 1) * w]
                } else {
                    check_vw(&mut m, w)?;
                    &m.vals[i * w..(i + 1) * w]
                };
                for (r, v) in ins.results.iter().zip(vals) {
                    reg!(regs, r) = *v;
                }
                Ok(())
            }
            B::MapGet | B::MapContains => {
                let key = key_of(regs)?;
                let found = self.map_find(kind, cell, &key)?;
                if b == B::MapContains {
                    return set1(regs, Value::Bool(found.is_some()));
                }
                let vw = Self::option_width(graph, ins);
                let val: Option<Vec<Value<'a>>> = match found {
                    None => None,
                    Some(i) => {
                        let mut m = cell.borrow_mut();
                        check_vw(&mut m, vw)?;
                        if i >= m.len {
                            return Err(format!(
                                "index out of bounds: the len is {} but the index is {i}",
                                m.len
                            ));
                        }
                        Some(m.vals[i * vw..(i + 1) * vw].to_vec())
                    }
                };
                Self::write_option(graph, ins, regs, val.as_deref())
            }
            B::MapInsert => {
                let key = key_of(regs)?;
                let val: Vec<Value<'a>> = args[1 + kw..].iter().map(|v| reg!(regs, v)).collect();
                let vw = val.len();
                check_vw(&mut cell.borrow_mut(), vw)?;
                if let Some(i) = self.map_find(kind, cell, &key)? {
                    let mut m = cell.borrow_mut();
                    if i >= m.len {
                        return Err(format!(
                            "index out of bounds: the len is {} but the index is {i}",
                            m.len
                        ));
                    }
                    let old: Vec<Value<'a>> = m.vals.splice(i * vw..(i + 1) * vw, val).collect();
                    drop(m);
                    return Self::write_option(graph, ins, regs, Some(&old));
                }
                // `GcMap::insert` hashes the key a second time to index the new entry.
                let h = self.key_hash(kind, &key)?;
                let mut m = cell.borrow_mut();
                let i = m.len;
                m.keys.extend_from_slice(&key);
                m.vals.extend_from_slice(&val);
                m.len += 1;
                m.index.entry(h).or_default().push(i);
                drop(m);
                Self::write_option(graph, ins, regs, None)
            }
            B::MapRemove => {
                let key = key_of(regs)?;
                let Some(i) = self.map_find(kind, cell, &key)? else {
                    return Self::write_option(graph, ins, regs, None);
                };
                let vw = Self::option_width(graph, ins);
                let (old, rest_keys) = {
                    let mut m = cell.borrow_mut();
                    check_vw(&mut m, vw)?;
                    if i >= m.len {
                        return Err(format!(
                            "index out of bounds: the len is {} but the index is {i}",
                            m.len
                        ));
                    }
                    let kw = m.kw;
                    m.keys.drain(i * kw..(i + 1) * kw);
                    let old: Vec<Value<'a>> = m.vals.drain(i * vw..(i + 1) * vw).collect();
                    m.len -= 1;
                    if matches!(kind, MapKeyKind::User { .. }) {
                        (old, Some(m.keys.clone()))
                    } else {
                        // Same index as rehashing every remaining key, without the hashing.
                        for c in m.index.values_mut() {
                            c.retain(|&j| j != i);
                            for j in c.iter_mut() {
                                if *j > i {
                                    *j -= 1;
                                }
                            }
                        }
                        m.index.retain(|_, c| !c.is_empty());
                        (old, None)
                    }
                };
                if let Some(keys) = rest_keys {
                    // `GcMap::remove` rebuilds its index, hashing every remaining key in order.
                    let mut index: HashMap<u64, Vec<usize>, BuildHasherDefault<MixHasher>> =
                        HashMap::default();
                    if kw > 0 {
                        for (j, k) in keys.chunks(kw).enumerate() {
                            let h = self.key_hash(kind, k)?;
                            index.entry(h).or_default().push(j);
                        }
                    } else {
                        let n = cell.borrow().len;
                        for j in 0..n {
                            let h = self.key_hash(kind, &[])?;
                            index.entry(h).or_default().push(j);
                        }
                    }
                    cell.borrow_mut().index = index;
                }
                Self::write_option(graph, ins, regs, Some(&old))
            }
            _ => Err(internal(format!("{b:?} is not a map operation"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flow::{Block, BlockId, Graph, Link};
    use crate::target::TargetSpec;

    /// A small graph builder for tests.
    struct G {
        g: LlGraph,
    }

    impl G {
        fn new(name: &str, id: u32, ret: Vec<LlTy>) -> G {
            G {
                g: Graph {
                    name: name.into(),
                    fn_id: FnId(id),
                    var_types: vec![],
                    var_names: vec![],
                    blocks: vec![],
                    ret,
                },
            }
        }
        fn var(&mut self, t: LlTy) -> Var {
            self.g.new_var(t, None)
        }
        fn block(&mut self, params: Vec<Var>) -> BlockId {
            self.g.blocks.push(Block {
                params,
                ops: vec![],
                exit: Exit::Fatal("unfinished".into()),
            });
            BlockId(self.g.blocks.len() as u32 - 1)
        }
        fn op(&mut self, b: BlockId, op: LlOp, args: Vec<Var>, results: Vec<Var>) {
            self.g.blocks[b.0 as usize].ops.push(Instr {
                results,
                op,
                args,
                loc: Default::default(),
            });
        }
        fn op1(&mut self, b: BlockId, op: LlOp, args: Vec<Var>, t: LlTy) -> Var {
            let r = self.var(t);
            self.op(b, op, args, vec![r]);
            r
        }
        fn konst(&mut self, b: BlockId, v: i64) -> Var {
            self.op1(b, LlOp::Const(LlConst::Int(v, IntTy::I64)), vec![], I64)
        }
        fn exit(&mut self, b: BlockId, e: Exit) {
            self.g.blocks[b.0 as usize].exit = e;
        }
    }

    const I64: LlTy = LlTy::Int(IntTy::I64);

    fn link(target: BlockId, args: Vec<Var>) -> Link {
        Link { target, args }
    }

    fn program(graphs: Vec<LlGraph>) -> LlProgram {
        let n = graphs.len();
        LlProgram {
            fn_names: graphs.iter().map(|g| g.name.clone()).collect(),
            graphs: graphs.into_iter().map(Some).collect(),
            entry: FnId(0),
            host_names: vec![None; n],
            layouts: vec![],
            target: TargetSpec::load("x86_64-unknown-linux-gnu").expect("target spec"),
            ffi_handler: None,
        }
    }

    fn run_mem(p: &LlProgram) -> (Outcome, MemIo) {
        for g in p.graphs.iter().flatten() {
            g.verify().expect("valid graph");
        }
        let mut io = MemIo::new(vec![]);
        let o = run(p, &[], &mut io, &[]);
        (o, io)
    }

    /// entry(args) { s = 0; i = 1; while i <= 10 { s += i; i += 1 } return s }
    fn sum_graph(id: u32) -> LlGraph {
        let mut g = G::new("sum", id, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let (s1, i1) = (g.var(I64), g.var(I64));
        let head = g.block(vec![s1, i1]);
        let (s2, i2) = (g.var(I64), g.var(I64));
        let body = g.block(vec![s2, i2]);
        let s3 = g.var(I64);
        let done = g.block(vec![s3]);
        let zero = g.konst(b0, 0);
        let one = g.konst(b0, 1);
        g.exit(b0, Exit::Goto(link(head, vec![zero, one])));
        let ten = g.konst(head, 10);
        let c = g.op1(
            head,
            LlOp::IntCmp(BinOp::Le, IntTy::I64),
            vec![i1, ten],
            LlTy::Bool,
        );
        g.exit(
            head,
            Exit::If {
                cond: c,
                then: link(body, vec![s1, i1]),
                els: link(done, vec![s1]),
            },
        );
        let s4 = g.op1(
            body,
            LlOp::IntBin(BinOp::Add, IntTy::I64),
            vec![s2, i2],
            I64,
        );
        let one2 = g.konst(body, 1);
        let i3 = g.op1(
            body,
            LlOp::IntBin(BinOp::Add, IntTy::I64),
            vec![i2, one2],
            I64,
        );
        g.exit(body, Exit::Goto(link(head, vec![s4, i3])));
        g.exit(done, Exit::Return(vec![s3]));
        g.g
    }

    #[test]
    fn loop_sums_one_to_ten() {
        let p = program(vec![sum_graph(0)]);
        assert_eq!(run_mem(&p).0, Outcome::Exit(55));
    }

    #[test]
    fn calls_another_function() {
        // entry: r = sq(7) + sum(); print(Str::from_i64(r)); return r
        let mut e = G::new("entry", 0, vec![I64]);
        let args = e.var(LlTy::Ref);
        let b0 = e.block(vec![args]);
        let seven = e.konst(b0, 7);
        let sq = e.op1(b0, LlOp::Call(FnId(1)), vec![seven], I64);
        let dummy = e.op1(b0, LlOp::Const(LlConst::Null), vec![], LlTy::Ref);
        let s = e.op1(b0, LlOp::Call(FnId(2)), vec![dummy], I64);
        let r = e.op1(b0, LlOp::IntBin(BinOp::Add, IntTy::I64), vec![sq, s], I64);
        let text = e.op1(
            b0,
            LlOp::Builtin(Builtin::StrFromI64, None),
            vec![r],
            LlTy::Ref,
        );
        e.op(b0, LlOp::Builtin(Builtin::Print, None), vec![text], vec![]);
        e.exit(b0, Exit::Return(vec![r]));
        let mut f = G::new("sq", 1, vec![I64]);
        let x = f.var(I64);
        let fb = f.block(vec![x]);
        let y = f.op1(fb, LlOp::IntBin(BinOp::Mul, IntTy::I64), vec![x, x], I64);
        f.exit(fb, Exit::Return(vec![y]));
        let p = program(vec![e.g, f.g, sum_graph(2)]);
        let (o, io) = run_mem(&p);
        assert_eq!(o, Outcome::Exit(49 + 55));
        assert_eq!(io.stdout, b"104");
    }

    #[test]
    fn fatal_exit() {
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let s = g.op1(
            b0,
            LlOp::Const(LlConst::Str(b"before\n".to_vec())),
            vec![],
            LlTy::Ref,
        );
        g.op(b0, LlOp::Builtin(Builtin::Print, None), vec![s], vec![]);
        g.exit(b0, Exit::Fatal("boom".into()));
        let p = program(vec![g.g]);
        let (o, io) = run_mem(&p);
        assert_eq!(o, Outcome::Fatal("boom".into()));
        assert_eq!(io.stdout, b"before\n");
        assert!(io.stderr.is_empty());
    }

    #[test]
    fn division_by_zero_is_fatal() {
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let a = g.konst(b0, 1);
        let z = g.konst(b0, 0);
        let r = g.op1(b0, LlOp::IntBin(BinOp::Div, IntTy::I64), vec![a, z], I64);
        g.exit(b0, Exit::Return(vec![r]));
        let p = program(vec![g.g]);
        assert_eq!(
            run_mem(&p).0,
            Outcome::Fatal("attempt to divide by zero".into())
        );
    }

    /// A list of (i64, bool) pairs: push (1, true), (2, false), pop three times (the last pop on
    /// an empty list). Returns the length and the popped values as decimal digits.
    #[test]
    fn list_push_pop_width_two() {
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let l = g.op1(b0, LlOp::Builtin(Builtin::ListNew, None), vec![], LlTy::Ref);
        let one = g.konst(b0, 1);
        let two = g.konst(b0, 2);
        let t = g.op1(b0, LlOp::Const(LlConst::Bool(true)), vec![], LlTy::Bool);
        let f = g.op1(b0, LlOp::Const(LlConst::Bool(false)), vec![], LlTy::Bool);
        g.op(
            b0,
            LlOp::Builtin(Builtin::ListPush, None),
            vec![l, one, t],
            vec![],
        );
        g.op(
            b0,
            LlOp::Builtin(Builtin::ListPush, None),
            vec![l, two, f],
            vec![],
        );
        let n = g.op1(
            b0,
            LlOp::Builtin(Builtin::ListLen, None),
            vec![l],
            LlTy::Int(IntTy::Usize),
        );
        let pop = |g: &mut G| {
            let (some, x, y) = (g.var(LlTy::Bool), g.var(I64), g.var(LlTy::Bool));
            g.op(
                b0,
                LlOp::Builtin(Builtin::ListPop, None),
                vec![l],
                vec![some, x, y],
            );
            (some, x, y)
        };
        let (s1, x1, y1) = pop(&mut g);
        let (s2, x2, y2) = pop(&mut g);
        let (s3, x3, _) = pop(&mut g);
        // result = n*100000 + x1*10000 + y1*1000 + x2*100 + y2*10 + s1+s2+s3 (+x3 which is 0)
        let to_int = |g: &mut G, v: Var| g.op1(b0, LlOp::Cast, vec![v], I64);
        let n64 = to_int(&mut g, n);
        let parts = [
            (n64, 100000),
            (x1, 10000),
            (y1, 1000),
            (x2, 100),
            (y2, 10),
            (s1, 1),
            (s2, 1),
            (s3, 1),
            (x3, 1),
        ];
        let mut acc = g.konst(b0, 0);
        for (v, k) in parts {
            let v = if g.g.var_types[v.0 as usize] == LlTy::Bool {
                to_int(&mut g, v)
            } else {
                v
            };
            let kk = g.konst(b0, k);
            let m = g.op1(b0, LlOp::IntBin(BinOp::Mul, IntTy::I64), vec![v, kk], I64);
            acc = g.op1(b0, LlOp::IntBin(BinOp::Add, IntTy::I64), vec![acc, m], I64);
        }
        g.exit(b0, Exit::Return(vec![acc]));
        let p = program(vec![g.g]);
        assert_eq!(run_mem(&p).0, Outcome::Exit(220_112));
    }

    #[test]
    fn deep_recursion_and_stack_overflow() {
        // f(n) = if n == 0 { 0 } else { f(n - 1) + 1 }
        let rec = |id: u32| {
            let mut f = G::new("f", id, vec![I64]);
            let n = f.var(I64);
            let b0 = f.block(vec![n]);
            let rb = f.block(vec![]);
            let n2 = f.var(I64);
            let gb = f.block(vec![n2]);
            let zero = f.konst(b0, 0);
            let c = f.op1(
                b0,
                LlOp::IntCmp(BinOp::Eq, IntTy::I64),
                vec![n, zero],
                LlTy::Bool,
            );
            f.exit(
                b0,
                Exit::If {
                    cond: c,
                    then: link(rb, vec![]),
                    els: link(gb, vec![n]),
                },
            );
            let z = f.konst(rb, 0);
            f.exit(rb, Exit::Return(vec![z]));
            let one = f.konst(gb, 1);
            let m = f.op1(gb, LlOp::IntBin(BinOp::Sub, IntTy::I64), vec![n2, one], I64);
            let r = f.op1(gb, LlOp::Call(FnId(id)), vec![m], I64);
            let r1 = f.op1(gb, LlOp::IntBin(BinOp::Add, IntTy::I64), vec![r, one], I64);
            f.exit(gb, Exit::Return(vec![r1]));
            f.g
        };
        let entry = |depth: i64| {
            let mut e = G::new("entry", 0, vec![I64]);
            let args = e.var(LlTy::Ref);
            let b0 = e.block(vec![args]);
            let d = e.konst(b0, depth);
            let r = e.op1(b0, LlOp::Call(FnId(1)), vec![d], I64);
            e.exit(b0, Exit::Return(vec![r]));
            e.g
        };
        let p = program(vec![entry(200_000), rec(1)]);
        assert_eq!(run_mem(&p).0, Outcome::Exit(200_000));
        let p = program(vec![entry(2_000_000), rec(1)]);
        assert_eq!(run_mem(&p).0, Outcome::Fatal("stack overflow".into()));
    }

    #[test]
    fn integer_semantics() {
        let p64 = true;
        assert_eq!(int_bin(BinOp::Add, IntTy::U8, 250, 10, p64), Ok(4));
        assert_eq!(int_bin(BinOp::Sub, IntTy::U64, 0, 1, p64), Ok(-1));
        assert_eq!(
            int_bin(BinOp::Div, IntTy::U64, -1, 2, p64),
            Ok((u64::MAX / 2) as i64)
        );
        assert_eq!(
            int_bin(BinOp::Div, IntTy::I64, i64::MIN, -1, p64),
            Ok(i64::MIN)
        );
        assert_eq!(int_bin(BinOp::Shr, IntTy::I64, -8, 1, p64), Ok(-4));
        assert_eq!(
            int_bin(BinOp::Shr, IntTy::U64, -8, 1, p64),
            Ok(((-8i64 as u64) >> 1) as i64)
        );
        assert_eq!(int_bin(BinOp::Shl, IntTy::U32, 1, 33, p64), Ok(2));
        assert_eq!(
            int_bin(BinOp::Mul, IntTy::I32, i32::MAX as i64, 2, p64),
            Ok(-2)
        );
        assert_eq!(
            int_bin(BinOp::Rem, IntTy::I64, 1, 0, p64),
            Err("attempt to calculate the remainder with a divisor of zero".into())
        );
        assert_eq!(int_cmp(BinOp::Lt, IntTy::U64, 1, -1), Ok(true));
        assert_eq!(int_cmp(BinOp::Lt, IntTy::I64, 1, -1), Ok(false));
        assert_eq!(
            int_ovf(BinOp::Add, IntTy::U8, 200, 100, p64),
            Ok((44, true))
        );
        assert_eq!(int_ovf(BinOp::Sub, IntTy::U64, 0, 1, p64), Ok((-1, true)));
        assert_eq!(
            int_ovf(BinOp::Mul, IntTy::I64, i64::MAX, 1, p64),
            Ok((i64::MAX, false))
        );
        let c = |v: Value, f, t| match cast(v, f, t, true).unwrap() {
            Value::Int(i) => i,
            _ => panic!("not an int"),
        };
        assert_eq!(c(Value::Int(-1), I64, LlTy::Int(IntTy::U8)), 255);
        assert_eq!(
            c(Value::Int(255), LlTy::Int(IntTy::U8), LlTy::Int(IntTy::I32)),
            255
        );
        assert_eq!(
            c(
                Value::Int(4294967295),
                LlTy::Int(IntTy::U32),
                LlTy::Int(IntTy::I32)
            ),
            -1
        );
        assert_eq!(c(Value::F64(f64::NAN), LlTy::F64, I64), 0);
        assert_eq!(c(Value::F64(-5.5), LlTy::F64, LlTy::Int(IntTy::U64)), 0);
        assert_eq!(c(Value::F64(1e300), LlTy::F64, I64), i64::MAX);
        assert_eq!(c(Value::Bool(true), LlTy::Bool, I64), 1);
    }

    /// A map with string keys: insert, replace (keeps position), remove (keeps order), get.
    #[test]
    fn string_map_keeps_insertion_order() {
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let kind = Some(MapKeyKind::Str);
        let m = g.op1(b0, LlOp::Builtin(Builtin::MapNew, kind), vec![], LlTy::Ref);
        let keys: Vec<Var> = ["a", "b", "c", "b"]
            .iter()
            .map(|k| {
                g.op1(
                    b0,
                    LlOp::Const(LlConst::Str(k.as_bytes().to_vec())),
                    vec![],
                    LlTy::Ref,
                )
            })
            .collect();
        for (i, k) in keys.iter().enumerate() {
            let v = g.konst(b0, i as i64 + 1);
            let (s, o) = (g.var(LlTy::Bool), g.var(I64));
            g.op(
                b0,
                LlOp::Builtin(Builtin::MapInsert, kind),
                vec![m, *k, v],
                vec![s, o],
            );
        }
        // remove "a": order is now b(4), c(3)
        let (s, o) = (g.var(LlTy::Bool), g.var(I64));
        g.op(
            b0,
            LlOp::Builtin(Builtin::MapRemove, kind),
            vec![m, keys[0]],
            vec![s, o],
        );
        let zero = g.op1(
            b0,
            LlOp::Const(LlConst::Int(0, IntTy::Usize)),
            vec![],
            LlTy::Int(IntTy::Usize),
        );
        let k0 = g.op1(
            b0,
            LlOp::Builtin(Builtin::MapKeyAt, kind),
            vec![m, zero],
            LlTy::Ref,
        );
        g.op(b0, LlOp::Builtin(Builtin::Print, None), vec![k0], vec![]);
        let v0 = g.op1(
            b0,
            LlOp::Builtin(Builtin::MapValueAt, kind),
            vec![m, zero],
            I64,
        );
        let (gs, gv) = (g.var(LlTy::Bool), g.var(I64));
        g.op(
            b0,
            LlOp::Builtin(Builtin::MapGet, kind),
            vec![m, keys[2]],
            vec![gs, gv],
        );
        let n = g.op1(
            b0,
            LlOp::Builtin(Builtin::MapLen, kind),
            vec![m],
            LlTy::Int(IntTy::Usize),
        );
        let n = g.op1(b0, LlOp::Cast, vec![n], I64);
        let hundred = g.konst(b0, 100);
        let ten = g.konst(b0, 10);
        let a = g.op1(
            b0,
            LlOp::IntBin(BinOp::Mul, IntTy::I64),
            vec![v0, hundred],
            I64,
        );
        let c = g.op1(b0, LlOp::IntBin(BinOp::Mul, IntTy::I64), vec![gv, ten], I64);
        let r = g.op1(b0, LlOp::IntBin(BinOp::Add, IntTy::I64), vec![a, c], I64);
        let r = g.op1(b0, LlOp::IntBin(BinOp::Add, IntTy::I64), vec![r, n], I64);
        g.exit(b0, Exit::Return(vec![r]));
        let p = program(vec![g.g]);
        let (o, io) = run_mem(&p);
        assert_eq!(o, Outcome::Exit(400 + 30 + 2));
        assert_eq!(io.stdout, b"b");
    }

    #[test]
    fn bounds_errors_are_fatal_outcomes() {
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let five = g.op1(
            b0,
            LlOp::Const(LlConst::Int(5, IntTy::Usize)),
            vec![],
            LlTy::Int(IntTy::Usize),
        );
        let _ = g.op1(
            b0,
            LlOp::Builtin(Builtin::ListGet, None),
            vec![args, five],
            LlTy::Ref,
        );
        let z = g.konst(b0, 0);
        g.exit(b0, Exit::Return(vec![z]));
        let p = program(vec![g.g]);
        let mut io = MemIo::new(vec![]);
        let o = run(&p, &[b"x".to_vec(), b"y".to_vec()], &mut io, &[]);
        assert_eq!(
            o,
            Outcome::Fatal("index out of bounds: the len is 2 but the index is 5".into())
        );
    }

    #[test]
    fn missing_host_function_is_fatal() {
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let r = g.op1(b0, LlOp::Host(FnId(1)), vec![], I64);
        g.exit(b0, Exit::Return(vec![r]));
        let mut p = program(vec![g.g]);
        p.graphs.push(None);
        p.fn_names.push("nope".into());
        p.host_names.push(Some("nope".into()));
        let o = run(&p, &[], &mut MemIo::new(vec![]), &[]);
        assert_eq!(
            o,
            Outcome::Fatal("host function `nope` is not registered in this process".into())
        );
    }

    #[test]
    fn host_function_call() {
        fn twice(a: &[HostVal]) -> HostVal {
            match a {
                [HostVal::I64(x)] => HostVal::I64(x * 2),
                _ => HostVal::Unit,
            }
        }
        let hosts = [HostFn {
            name: "twice",
            call: twice,
        }];
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let x = g.konst(b0, 21);
        let r = g.op1(b0, LlOp::Host(FnId(1)), vec![x], I64);
        g.exit(b0, Exit::Return(vec![r]));
        let mut p = program(vec![g.g]);
        p.graphs.push(None);
        p.fn_names.push("twice".into());
        p.host_names.push(Some("twice".into()));
        assert_eq!(
            run(&p, &[], &mut MemIo::new(vec![]), &hosts),
            Outcome::Exit(42)
        );
    }

    /// fib(90) with a loop whose back edge moves `(a, b) <- (b, a + b)`: the link's moves overlap.
    #[test]
    fn loop_with_swapping_link() {
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let (a, b, n) = (g.var(I64), g.var(I64), g.var(I64));
        let head = g.block(vec![a, b, n]);
        let r = g.var(I64);
        let done = g.block(vec![r]);
        let zero = g.konst(b0, 0);
        let one = g.konst(b0, 1);
        let ninety = g.konst(b0, 90);
        g.exit(b0, Exit::Goto(link(head, vec![zero, one, ninety])));
        let c = g.op1(head, LlOp::IntBin(BinOp::Add, IntTy::I64), vec![a, b], I64);
        let one2 = g.konst(head, 1);
        let n2 = g.op1(
            head,
            LlOp::IntBin(BinOp::Sub, IntTy::I64),
            vec![n, one2],
            I64,
        );
        let zero2 = g.konst(head, 0);
        let more = g.op1(
            head,
            LlOp::IntCmp(BinOp::Gt, IntTy::I64),
            vec![n, zero2],
            LlTy::Bool,
        );
        g.exit(
            head,
            Exit::If {
                cond: more,
                then: link(head, vec![b, c, n2]),
                els: link(done, vec![a]),
            },
        );
        g.exit(done, Exit::Return(vec![r]));
        let p = program(vec![g.g]);
        assert_eq!(run_mem(&p).0, Outcome::Exit(2880067194370816120));
    }

    /// A tight loop of 10^7 iterations (a few instructions each): a rough speed check.
    #[test]
    fn loop_speed() {
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let (s1, i1) = (g.var(I64), g.var(I64));
        let head = g.block(vec![s1, i1]);
        let s3 = g.var(I64);
        let done = g.block(vec![s3]);
        let zero = g.konst(b0, 0);
        g.exit(b0, Exit::Goto(link(head, vec![zero, zero])));
        let n = g.konst(head, 10_000_000);
        let one = g.konst(head, 1);
        let s2 = g.op1(
            head,
            LlOp::IntBin(BinOp::Xor, IntTy::I64),
            vec![s1, i1],
            I64,
        );
        let i2 = g.op1(
            head,
            LlOp::IntBin(BinOp::Add, IntTy::I64),
            vec![i1, one],
            I64,
        );
        let c = g.op1(
            head,
            LlOp::IntCmp(BinOp::Lt, IntTy::I64),
            vec![i2, n],
            LlTy::Bool,
        );
        g.exit(
            head,
            Exit::If {
                cond: c,
                then: link(head, vec![s2, i2]),
                els: link(done, vec![s2]),
            },
        );
        g.exit(done, Exit::Return(vec![s3]));
        let p = program(vec![g.g]);
        let t = std::time::Instant::now();
        let o = run_mem(&p).0;
        let expect = (0..10_000_000i64).fold(0, |s, i| s ^ i);
        assert_eq!(o, Outcome::Exit(expect));
        eprintln!("10^7 iterations (6 ops + branch each): {:?}", t.elapsed());
    }

    #[test]
    fn array_loop() {
        // a = GcArray::new(100, 0u8); i = 0; loop { x = a.get(i % 100); a.set(i % 100, x + 1); i += 1 } 10^6 times;
        // returns a.get(7) (10^4 increments of a u8: 10000 % 256 = 16)
        let us = LlTy::Int(IntTy::Usize);
        let u8t = LlTy::Int(IntTy::U8);
        let mut g = G::new("entry", 0, vec![I64]);
        let args = g.var(LlTy::Ref);
        let b0 = g.block(vec![args]);
        let (a1, i1) = (g.var(LlTy::Ref), g.var(us));
        let head = g.block(vec![a1, i1]);
        let done = g.block(vec![]);
        let hundred = g.op1(b0, LlOp::Const(LlConst::Int(100, IntTy::Usize)), vec![], us);
        let z8 = g.op1(b0, LlOp::Const(LlConst::Int(0, IntTy::U8)), vec![], u8t);
        let arr = g.op1(
            b0,
            LlOp::Builtin(Builtin::ArrayNew, None),
            vec![hundred, z8],
            LlTy::Ref,
        );
        let zu = g.op1(b0, LlOp::Const(LlConst::Int(0, IntTy::Usize)), vec![], us);
        g.exit(b0, Exit::Goto(link(head, vec![arr, zu])));
        let h = g.op1(
            head,
            LlOp::Const(LlConst::Int(100, IntTy::Usize)),
            vec![],
            us,
        );
        let idx = g.op1(
            head,
            LlOp::IntBin(BinOp::Rem, IntTy::Usize),
            vec![i1, h],
            us,
        );
        let x = g.op1(
            head,
            LlOp::Builtin(Builtin::ArrayGet, None),
            vec![a1, idx],
            u8t,
        );
        let one8 = g.op1(head, LlOp::Const(LlConst::Int(1, IntTy::U8)), vec![], u8t);
        let x2 = g.op1(
            head,
            LlOp::IntBin(BinOp::Add, IntTy::U8),
            vec![x, one8],
            u8t,
        );
        g.op(
            head,
            LlOp::Builtin(Builtin::ArraySet, None),
            vec![a1, idx, x2],
            vec![],
        );
        let oneu = g.op1(head, LlOp::Const(LlConst::Int(1, IntTy::Usize)), vec![], us);
        let i2 = g.op1(
            head,
            LlOp::IntBin(BinOp::Add, IntTy::Usize),
            vec![i1, oneu],
            us,
        );
        let n = g.op1(
            head,
            LlOp::Const(LlConst::Int(1_000_000, IntTy::Usize)),
            vec![],
            us,
        );
        let c = g.op1(
            head,
            LlOp::IntCmp(BinOp::Lt, IntTy::Usize),
            vec![i2, n],
            LlTy::Bool,
        );
        g.exit(
            head,
            Exit::If {
                cond: c,
                then: link(head, vec![a1, i2]),
                els: link(done, vec![]),
            },
        );
        let seven = g.op1(done, LlOp::Const(LlConst::Int(7, IntTy::Usize)), vec![], us);
        let x7 = g.op1(
            done,
            LlOp::Builtin(Builtin::ArrayGet, None),
            vec![a1, seven],
            u8t,
        );
        let r = g.op1(done, LlOp::Cast, vec![x7], I64);
        g.exit(done, Exit::Return(vec![r]));
        let p = program(vec![g.g]);
        let t = std::time::Instant::now();
        assert_eq!(run_mem(&p).0, Outcome::Exit(16));
        eprintln!(
            "10^6 iterations of an array get/set loop (11 ops): {:?}",
            t.elapsed()
        );
    }
}
