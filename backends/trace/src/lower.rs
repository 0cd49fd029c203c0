//! Lowering of one trace to a Cranelift function.
//!
//! Shape of the generated function, `fn(frame: *mut u64) -> u32` in Cranelift's `tail` calling
//! convention (so that traces can tail-call each other; the runtime enters them through a C-ABI
//! trampoline, see `lib.rs`):
//!
//! ```text
//! entry(frame):  [reserve K shadow-stack slots]
//!                load the inputs from frame[0..]
//!                jump header(inputs)      [with a `Label`: the preamble ops, then
//!                                          jump header(label args) at the label]
//! header(inputs...):
//!                the operations, in order; each guard branches to a cold failure block
//!                jump header(args)
//!              | store the exit's args, return its index
//!              | store the args, tail-call another trace (JumpTo)
//! fail_i:        [make the guard's virtuals (`New`/`NewArray` helper calls, with their
//!                 roots on the shadow stack, and `ArraySet`s); do its delayed stores]
//!                jump exit_g(i, fail args that differ between the guards of group g)
//! exit_g(i, ...): store the fail args into frame[0..], pop the shadow-stack slots;
//!                [links: if links[i] != 0 { tail-call links[i](frame) }]
//!                return i
//! slow paths:    one shared cold block per kind of runtime error (bad index, division by zero)
//! ```
//!
//! A trace tree (bridge segments after the main ops, see `jit_ir::trace`): a guard with a
//! segment has no exit; its failure block is where the segment is lowered, after the main
//! path, with the lowering state saved at the guard (values, bounds checks, lengths, element
//! addresses: what dominates the failure block). `Restart` jumps to a `top` block between the
//! input loads and the preamble (or the header, without a label). A trace with a redirect slot
//! first tail-calls the trace in that link slot when it is set. Trees with collecting calls
//! are refused (the root analysis in `roots` is for straight-line traces).
//!
//! The trace is in SSA form and straight-line, so trace variables map directly to Cranelift
//! values (inputs are the header's block parameters); every value's definition dominates its
//! uses, including the uses in failure blocks. Int and ref variables are `I64` words (64-bit
//! targets only), floats are `F64`. Addresses supplied by the runtime ([`Env`], the link table,
//! `JumpTo` targets) are embedded as constants, so the code has no relocations. Operand kinds
//! are checked while lowering, so a malformed trace is an error rather than invalid Cranelift
//! IR.
//!
//! Compile time: register allocation dominates, and grows with the number of blocks (every
//! guard and bounds check ends one) and of instructions, so the lowering keeps both small:
//! - guards whose fail_args have the same kinds form a group (up to [`MAX_GROUP`]) with one exit
//!   block; a position where every guard of the group stores the same constant or trace input
//!   is stored by the exit block itself, the others are passed as block arguments;
//! - bounds-check and division-by-zero failures of a kind share one block calling the runtime;
//! - a bounds check is done once per (object, index) pair, and an object's length is loaded
//!   once: array and string lengths never change, and every later access on the main path is
//!   dominated by the first one;
//! - a comparison whose result only fail arguments use is computed in the failure paths that
//!   need it, not on the main path ([`Val::LazyCmp`]);
//! - in a guard's failure path, its own condition variable is a known constant;
//! - additions of constants on 64-bit words are kept symbolic as `base + offset`
//!   ([`Val::Offset`]) and computed only where used: chains (`((x + 1) + 1) - 2`) fold, and
//!   equality tests against constants become tests of `base` (the e-graph optimizer, which
//!   did this before, is off: see `isa`); the same for `u8` words ([`Val::Narrow8`]:
//!   `(base + offset) & 0xff`), so that the steps of a chain like bf's `+++...` are not all
//!   kept alive (or spilled) from the chain to their last use;
//! - a `u8` loop variable counted by constants (`[->+<]`) goes around the loop *dirty*: the
//!   back edge passes `x + c` unmasked and the loop's tests look at its low byte, so the
//!   loop body is one add per cell plus its tests; uses that need the value mask it
//!   ([`Lower::dirty8`]).
//!
//! Stores of references (`SetField`/`ArraySet` of a ref) have no write barrier: [`Env`] has no
//! barrier entry, and the runtime's mark-sweep collector never sets the header's barrier flag
//! (see `docs/runtime-abi.md`).

use crate::roots::{self, Roots};
use crate::scalar;
use crate::Env;
use cranelift_codegen::ir::condcodes::IntCC;
use cranelift_codegen::ir::immediates::Ieee64;
use cranelift_codegen::ir::{
    types, AbiParam, Block, BlockArg, Function, InstBuilder, MemFlagsData, SigRef, Signature,
    StackSlot, StackSlotData, StackSlotKind, TrapCode, Type, Value,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use std::collections::{HashMap, HashSet};
use vmkit_jit_ir::ops::{self, BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{op_name, GuardKind, NewShape, Op, OpKind, Operand, Trace, Var};

/// `GcArray` layout (64-bit targets): `len: u64` at 24, element words from 32.
const ARRAY_LEN: i32 = 24;
const ARRAY_WORDS: i64 = 32;
/// `Str` layout: `len: u64` at 8, bytes from 16.
const STR_LEN: i32 = 8;
const STR_BYTES: i32 = 16;
/// After calls into the runtime that never return.
const NORETURN: TrapCode = TrapCode::unwrap_user(1);

/// `FloatBin(Rem)`: Rust's `%` on `f64` (C `fmod`), called from trace code.
extern "C" fn float_rem(a: f64, b: f64) -> f64 {
    a % b
}

/// The signature of compiled traces: `fn(frame) -> u32` in the `tail` convention.
pub(crate) fn trace_signature() -> Signature {
    let mut sig = Signature::new(CallConv::Tail);
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I32));
    sig
}

/// Builds the C-ABI trampoline `fn(frame, target) -> u32` (in `cc`, the target's default
/// convention) that calls the trace function at `target` (signature [`trace_signature`]).
pub(crate) fn build_trampoline(
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
    config: TargetFrontendConfig,
) {
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let (frame, target) = (b.block_params(entry)[0], b.block_params(entry)[1]);
    let sig = b.import_signature(trace_signature());
    let call = b.ins().call_indirect(sig, target, &[frame]);
    let r = b.inst_results(call)[0];
    b.ins().return_(&[r]);
    b.seal_all_blocks();
    b.finalize(config);
}

/// The trampoline's signature: `fn(frame, target) -> u32` in `cc`.
pub(crate) fn trampoline_signature(cc: CallConv) -> Signature {
    let mut sig = Signature::new(cc);
    sig.params.push(AbiParam::new(types::I64));
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I32));
    sig
}

/// Builds the body of `func` (whose signature is [`trace_signature`]) from `trace`. `cc` is
/// the convention of the runtime's functions; `links`, the guard link table (see
/// `TraceCompiler::compile`).
pub(crate) fn build(
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
    trace: &Trace,
    env: &Env,
    cc: CallConv,
    links: Option<*const u64>,
    config: TargetFrontendConfig,
) -> Result<(), String> {
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let frame = b.block_params(entry)[0];
    let is_bool = trace.bool_vars();
    let (groups, group_of) = plan_exits(trace, &is_bool);
    if !segment_guards(trace).is_empty() && trace.ops.iter().any(Op::may_collect) {
        return Err("trace trees with collecting calls are not supported".into());
    }
    let mut l = Lower {
        b,
        t: trace,
        env,
        cc,
        links,
        vals: vec![None; trace.kinds.len()],
        cold: false,
        frame,
        dirty8: dirty_u8_loop_vars(trace),
        header: entry,
        top: None,
        seg_guards: segment_guards(trace),
        pending: HashMap::new(),
        shadow_base: None,
        roots: roots::analyze(trace),
        bufs: Buffers::for_trace(trace),
        groups,
        group_of,
        is_bool,
        fail_only: fail_only_vars(trace),
        checked: Vec::new(),
        lens: Vec::new(),
        elems: Vec::new(),
        slow: Vec::new(),
        sigs: Vec::new(),
        tail_sig: None,
    };
    l.body()?;
    l.finish_slow_paths();
    l.b.seal_all_blocks();
    l.b.finalize(config);
    Ok(())
}

/// The label results whose jump argument is a `u8` addition or subtraction of a constant
/// (see [`Lower::dirty8`]).
fn dirty_u8_loop_vars(t: &Trace) -> HashSet<Var> {
    let (Some(label), Some(jump)) = (
        t.ops.iter().find(|o| o.kind == OpKind::Label),
        t.ops.last().filter(|o| o.kind == OpKind::Jump),
    ) else {
        return HashSet::new();
    };
    let mut def: HashMap<Var, &Op> = HashMap::new();
    for op in &t.ops {
        for &r in &op.results {
            def.insert(r, op);
        }
    }
    let u8_add = |a: &Operand| {
        let Operand::Var(x) = a else { return false };
        def.get(x).is_some_and(|d| {
            matches!(d.kind, OpKind::IntBin(BinOp::Add | BinOp::Sub, IntTy::U8))
                && d.args.iter().any(|a| matches!(a, Operand::Int(_)))
        })
    };
    label
        .results
        .iter()
        .zip(&jump.args)
        .filter(|(_, a)| u8_add(a))
        .map(|(r, _)| *r)
        .collect()
}

/// What [`Lower`] knows at a point of the main path (or of a segment) that a bridge segment
/// starting there may rely on: values, and the bounds checks, lengths and element addresses
/// computed so far (all dominate the guard's failure block).
struct SavedState {
    vals: Vec<Option<Val>>,
    checked: Vec<(Operand, Operand, i32)>,
    lens: Vec<(Operand, i32, Value)>,
    elems: Vec<(Operand, Operand, u32, Value)>,
}

/// The guards of `t` that have a bridge segment.
fn segment_guards(t: &Trace) -> HashSet<u32> {
    t.ops
        .iter()
        .filter_map(|o| match o.kind {
            OpKind::Bridge { guard } => Some(guard),
            _ => None,
        })
        .collect()
}

/// The most guards sharing one exit block. Register allocation merges the block's parameters
/// with the arguments of every predecessor, which costs time quadratic in their number.
const MAX_GROUP: usize = 16;

/// Guards whose fail_args have the same kinds, sharing one exit block.
struct ExitGroup {
    /// The Cranelift type of each fail-arg position.
    types: Vec<Type>,
    /// Per position: the operand that every guard of the group stores there, when the exit
    /// block can produce it itself (a constant or a trace input; anything when the group has a
    /// single guard, whose failure block then is the exit block); `None`: passed by each guard
    /// as a block argument.
    fixed: Vec<Option<Operand>>,
    guards: usize,
    /// Created on first use.
    block: Option<Block>,
}

/// Which variables are used only as fail arguments of guards (never as an operation's
/// argument, nor by `Jump`/`Exit`/`Label`/`JumpTo`).
fn fail_only_vars(t: &Trace) -> Vec<bool> {
    let mut in_fail = vec![false; t.kinds.len()];
    let mut in_args = vec![false; t.kinds.len()];
    for op in &t.ops {
        for a in &op.args {
            if let Operand::Var(v) = a {
                in_args[*v as usize] = true;
            }
        }
        if let OpKind::Guard {
            fail_args,
            virtuals,
            ..
        } = &op.kind
        {
            // (a virtual's fields are stored by the failure path, like fail args)
            for a in fail_args
                .iter()
                .chain(virtuals.iter().flat_map(|v| &v.args))
            {
                if let Operand::Var(v) = a {
                    in_fail[*v as usize] = true;
                }
            }
        }
    }
    in_fail
        .iter()
        .zip(&in_args)
        .map(|(f, a)| *f && !*a)
        .collect()
}

/// A fail arg of a guard as seen on its failure path: the guard's own condition variable is a
/// known constant there (0 for `guard_true`, 1 for `guard_false` of a 0/1 word), which spares
/// keeping the condition word alive into cold code.
fn fail_arg(op: &Op, is_bool: &[bool], a: Operand) -> Operand {
    let (OpKind::Guard { kind, .. }, Some(&Operand::Var(c))) = (&op.kind, op.args.first()) else {
        return a;
    };
    match (kind, a) {
        (GuardKind::True, Operand::Var(v)) if v == c => Operand::Int(0),
        (GuardKind::False, Operand::Var(v)) if v == c && is_bool[c as usize] => Operand::Int(1),
        _ => a,
    }
}

/// Groups the guards of `t` by the kinds of their fail_args (at most [`MAX_GROUP`] per group);
/// returns the groups and, per op, its group (`u32::MAX` for non-guards).
fn plan_exits(t: &Trace, is_bool: &[bool]) -> (Vec<ExitGroup>, Vec<u32>) {
    let mut groups: Vec<ExitGroup> = Vec::new();
    let mut group_of = vec![u32::MAX; t.ops.len()];
    let mut types = Vec::new();
    let seg = segment_guards(t);
    for (k, op) in t.ops.iter().enumerate() {
        let OpKind::Guard {
            fail_args, index, ..
        } = &op.kind
        else {
            continue;
        };
        if seg.contains(index) {
            continue;
        }
        let fail_args: Vec<Operand> = fail_args
            .iter()
            .map(|a| fail_arg(op, is_bool, *a))
            .collect();
        let fail_args = &fail_args[..];
        types.clear();
        types.extend(fail_args.iter().map(|a| cl_type(t.kind_of(*a))));
        let open = groups
            .iter()
            .rposition(|g| g.types == types)
            .filter(|&g| groups[g].guards < MAX_GROUP);
        let g = match open {
            Some(g) => {
                let group = &mut groups[g];
                group.guards += 1;
                for (f, a) in group.fixed.iter_mut().zip(fail_args) {
                    if *f != Some(*a) {
                        *f = None;
                    }
                }
                g
            }
            None => {
                groups.push(ExitGroup {
                    types: types.clone(),
                    fixed: fail_args.iter().map(|a| Some(*a)).collect(),
                    guards: 1,
                    block: None,
                });
                groups.len() - 1
            }
        };
        group_of[k] = g as u32;
    }
    let mut input = vec![false; t.kinds.len()];
    for &i in &t.inputs {
        input[i as usize] = true;
    }
    for g in groups.iter_mut().filter(|g| g.guards > 1) {
        for f in &mut g.fixed {
            if let Some(Operand::Var(v)) = *f {
                if !input[v as usize] {
                    *f = None;
                }
            }
        }
    }
    (groups, group_of)
}

/// Word buffers in the stack frame, shared by all operations and created on first use.
struct Buffers {
    /// Size in words of each buffer, indexed by [`Buf`].
    words: [usize; 3],
    slots: [Option<StackSlot>; 3],
}

/// The shared buffers: helper-call arguments and results, and the element buffer of the
/// array slow paths.
#[derive(Clone, Copy)]
enum Buf {
    Args = 0,
    Results = 1,
    Elem = 2,
}

impl Buffers {
    fn for_trace(t: &Trace) -> Buffers {
        let mut words = [1; 3];
        let mut grow = |b: Buf, n: usize| words[b as usize] = words[b as usize].max(n);
        for op in &t.ops {
            match op.kind {
                OpKind::Call { .. } | OpKind::New { .. } | OpKind::NewArray { .. } => {
                    grow(Buf::Args, op.args.len());
                    grow(Buf::Results, op.results.len());
                }
                OpKind::Guard { ref virtuals, .. } => {
                    for v in virtuals {
                        grow(Buf::Args, v.args.len());
                        grow(Buf::Results, 1);
                    }
                }
                OpKind::ArrayGet { width, .. }
                | OpKind::ArraySet { width, .. }
                | OpKind::ListGet { width, .. }
                | OpKind::ListSet { width, .. } => grow(Buf::Elem, width as usize),
                _ => {}
            }
        }
        Buffers {
            words,
            slots: [None; 3],
        }
    }
}

/// The value of a trace variable.
#[derive(Clone, Copy)]
enum Val {
    Value(Value),
    /// `base + offset` (64-bit wrapping), computed only where it is used (and then kept, when
    /// computed on the main path): additions of constants fold into one offset from `base`,
    /// and equality comparisons with constants into comparisons of `base`.
    Offset(Value, i64, Option<Value>),
    /// The `u8` value `(base + off) & 0xff` (`0 <= off < 256`): a `u8` value reached from
    /// `base` by additions of constants (`+++` on a bf cell), computed where it is first used
    /// (and then kept, when computed on the main path) rather than where it is defined, which
    /// may be far earlier (a countdown that reuses `x + 6`, `x + 5`, ... computed by an earlier
    /// `++++++`). `raw` caches `base + off` and `canon` the value. `base` is a canonical `u8`
    /// word unless `dirty`: a `u8` loop variable whose bits above the low byte are left
    /// over from the previous iteration's additions (see [`Lower::dirty8`]). Equality
    /// comparisons with constants become comparisons of `base` (of the low byte of `raw` when
    /// dirty), without the value itself.
    Narrow8 {
        base: Value,
        off: i64,
        raw: Option<Value>,
        canon: Option<Value>,
        dirty: bool,
    },
    /// The result of the integer comparison `t.ops[.0]`, used only by fail arguments: computed
    /// in the failure paths that need it, never on the main path (e.g. the original condition
    /// of a guard that range-guard merging replaced, still needed to resume the interpreter).
    LazyCmp(usize),
}

/// A shared cold block that reports a runtime error (and never returns), by kind; its
/// parameters are the values it reports.
#[derive(Clone, Copy, PartialEq)]
enum Slow {
    /// (array, index).
    ArrayGet,
    /// (array, index, value of word `word`).
    ArraySet { word: u32, kind: Kind },
    /// (list, index).
    ListGet,
    /// (list, index, value of word `word`).
    ListSet { word: u32, kind: Kind },
    /// (string, index).
    StrByteAt,
    /// No parameters: `env.fatal(msg)`.
    Fatal(&'static str),
}

struct Lower<'a, 'f> {
    b: FunctionBuilder<'f>,
    t: &'a Trace,
    env: &'a Env,
    /// The convention of the runtime's functions.
    cc: CallConv,
    /// The guard link table.
    links: Option<*const u64>,
    /// The value of every trace variable defined so far.
    vals: Vec<Option<Val>>,
    /// Emitting cold code (failure paths): values computed here are not reused elsewhere.
    cold: bool,
    frame: Value,
    /// `u8` loop variables (label results) kept *dirty*: the back edge passes `x + c`
    /// without masking it to its low byte, which every use that needs the value does (a
    /// [`Val::Narrow8`] with `dirty`). Those whose jump argument is a `u8` addition of a
    /// constant (so the variable is a `u8`): a bf cell counted up or down in a loop.
    dirty8: HashSet<Var>,
    /// The loop header (the target of `Jump`).
    header: Block,
    /// The top of the trace (the target of `Restart`), when the trace has one.
    top: Option<Block>,
    /// Guards (by index) whose failure runs a bridge segment of the trace instead of an exit.
    seg_guards: HashSet<u32>,
    /// For each such guard lowered so far: its failure block and the lowering state there,
    /// restored when its segment is lowered.
    pending: HashMap<u32, (Block, SavedState)>,
    /// The shadow-stack top at entry, when the trace reserves root slots.
    shadow_base: Option<Value>,
    roots: Roots,
    bufs: Buffers,
    groups: Vec<ExitGroup>,
    /// The exit group of each guard, by op index.
    group_of: Vec<u32>,
    /// See [`Trace::bool_vars`].
    is_bool: Vec<bool>,
    /// See [`fail_only_vars`].
    fail_only: Vec<bool>,
    /// Bounds checks done so far on the main path, as (object, index, length offset): lengths
    /// of arrays and strings never change, so a check dominates every later access with the
    /// same operands.
    checked: Vec<(Operand, Operand, i32)>,
    /// Lengths loaded so far on the main path: (object, length offset, value).
    lens: Vec<(Operand, i32, Value)>,
    /// Element addresses computed so far on the main path: (array, index, width, address).
    elems: Vec<(Operand, Operand, u32, Value)>,
    /// The shared slow-path blocks created so far.
    slow: Vec<(Slow, Block)>,
    /// Imported signatures of runtime calls: (params, returns, ref).
    sigs: Vec<(Vec<Type>, Vec<Type>, SigRef)>,
    /// The imported [`trace_signature`], for tail calls.
    tail_sig: Option<SigRef>,
}

fn cl_type(k: Kind) -> Type {
    match k {
        Kind::Float => types::F64,
        Kind::Int | Kind::Ref => types::I64,
    }
}

fn trusted() -> MemFlagsData {
    MemFlagsData::trusted()
}

fn arity(op: &Op, nargs: usize, nresults: usize) -> Result<(), String> {
    if op.args.len() != nargs || op.results.len() != nresults {
        return Err(format!(
            "expected {nargs} argument(s) and {nresults} result(s), got {} and {}",
            op.args.len(),
            op.results.len()
        ));
    }
    Ok(())
}

fn offset32(v: i64) -> Result<i32, String> {
    i32::try_from(v).map_err(|_| format!("offset {v} out of range"))
}

impl Lower<'_, '_> {
    fn body(&mut self) -> Result<(), String> {
        let t = self.t;
        if let (Some(slot), Some(links)) = (t.redirect, self.links) {
            // redirected: continue in the newer trace, with the same frame
            let w = types::I64;
            let addr = (links as u64).wrapping_add(u64::from(slot) * 8);
            let addr = self.b.ins().iconst(w, addr as i64);
            let target = self.b.ins().load(w, trusted(), addr, 0);
            let (go, stay) = (self.b.create_block(), self.b.create_block());
            self.b.set_cold_block(go);
            self.b.ins().brif(target, go, &[], stay, &[]);
            self.b.switch_to_block(go);
            self.tail_call(target);
            self.b.switch_to_block(stay);
        }
        self.reserve_shadow_slots();
        let mut inputs = Vec::with_capacity(t.inputs.len());
        for (i, &v) in t.inputs.iter().enumerate() {
            let ty = cl_type(self.var_kind(v)?);
            let off = offset32(i as i64 * 8)?;
            inputs.push(self.b.ins().load(ty, trusted(), self.frame, off));
        }
        if t.ops.iter().any(|o| o.kind == OpKind::Restart) {
            // `Restart` comes back here, above the preamble (or the loop header)
            let top = self.b.create_block();
            let mut params = Vec::with_capacity(inputs.len());
            for &v in &t.inputs {
                let ty = cl_type(self.var_kind(v)?);
                params.push(self.b.append_block_param(top, ty));
            }
            let args: Vec<BlockArg> = inputs.into_iter().map(BlockArg::Value).collect();
            self.b.ins().jump(top, &args);
            self.b.switch_to_block(top);
            self.top = Some(top);
            inputs = params;
            if !t.ops.iter().any(|o| o.kind == OpKind::Label) {
                self.header = top;
                for (&v, x) in t.inputs.iter().zip(inputs) {
                    self.vals[v as usize] = Some(Val::Value(x));
                }
                for (k, op) in t.ops.iter().enumerate() {
                    self.op(k, op)
                        .map_err(|e| format!("op {k} ({}): {e}", op_name(&op.kind)))?;
                }
                return Ok(());
            }
        }
        if t.ops.iter().any(|o| o.kind == OpKind::Label) {
            // a preamble: the inputs are plain values; the loop header comes at the label
            for (&v, x) in t.inputs.iter().zip(inputs) {
                self.vals[v as usize] = Some(Val::Value(x));
            }
        } else {
            self.header = self.b.create_block();
            for &v in &t.inputs {
                let ty = cl_type(self.var_kind(v)?);
                let p = self.b.append_block_param(self.header, ty);
                self.vals[v as usize] = Some(Val::Value(p));
            }
            let args: Vec<BlockArg> = inputs.into_iter().map(BlockArg::Value).collect();
            self.b.ins().jump(self.header, &args);
            self.b.switch_to_block(self.header);
        }
        for (k, op) in t.ops.iter().enumerate() {
            self.op(k, op)
                .map_err(|e| format!("op {k} ({}): {e}", op_name(&op.kind)))?;
        }
        Ok(())
    }

    // ---- operands and results -------------------------------------------------------------

    fn var_kind(&self, v: Var) -> Result<Kind, String> {
        self.t
            .kinds
            .get(v as usize)
            .copied()
            .ok_or_else(|| format!("v{v} has no kind"))
    }

    /// An operand's value and kind.
    fn value(&mut self, o: Operand) -> Result<(Value, Kind), String> {
        Ok(match o {
            Operand::Var(v) => {
                let k = self.var_kind(v)?;
                let val = match self.vals[v as usize] {
                    Some(
                        Val::Value(x)
                        | Val::Offset(_, _, Some(x))
                        | Val::Narrow8 { canon: Some(x), .. },
                    ) => x,
                    Some(Val::Narrow8 { .. }) => {
                        let raw = self.narrow8_raw(v);
                        let x = scalar::canon(&mut self.b, IntTy::U8, raw);
                        if !self.cold {
                            if let Some(Val::Narrow8 { canon, .. }) = &mut self.vals[v as usize] {
                                *canon = Some(x);
                            }
                        }
                        x
                    }
                    Some(Val::LazyCmp(k)) => {
                        let op = &self.t.ops[k];
                        let x = self.int_cmp(op)?;
                        if !self.cold {
                            self.vals[v as usize] = Some(Val::Value(x));
                        }
                        x
                    }
                    Some(Val::Offset(base, off, None)) => {
                        let x = self.b.ins().iadd_imm_s(base, off);
                        if !self.cold {
                            // The main path dominates everything lowered after it.
                            self.vals[v as usize] = Some(Val::Offset(base, off, Some(x)));
                        }
                        x
                    }
                    None => return Err(format!("v{v} is not defined")),
                };
                (val, k)
            }
            Operand::Int(i) => (self.b.ins().iconst(types::I64, i), Kind::Int),
            Operand::Ref(a) => (self.b.ins().iconst(types::I64, a as i64), Kind::Ref),
            Operand::Float(bits) => (self.b.ins().f64const(Ieee64::with_bits(bits)), Kind::Float),
        })
    }

    /// An operand that must be of kind `want`.
    fn arg(&mut self, o: Operand, want: Kind) -> Result<Value, String> {
        let (v, k) = self.value(o)?;
        if k != want {
            return Err(format!("operand {o:?} is {k:?}, expected {want:?}"));
        }
        Ok(v)
    }

    /// Argument `i` of `op` as a value of kind `want`.
    fn nth(&mut self, op: &Op, i: usize, want: Kind) -> Result<Value, String> {
        self.arg(op.args[i], want)
    }

    /// Defines result `i` of `op`, which must be of kind `kind`.
    fn def(&mut self, op: &Op, i: usize, val: Value, kind: Kind) -> Result<(), String> {
        self.def_val(op, i, Val::Value(val), kind)
    }

    fn def_val(&mut self, op: &Op, i: usize, val: Val, kind: Kind) -> Result<(), String> {
        let v = op.results[i];
        let k = self.var_kind(v)?;
        if k != kind {
            return Err(format!("result v{v} is {k:?}, expected {kind:?}"));
        }
        self.vals[v as usize] = Some(val);
        Ok(())
    }

    /// `(base, off)` with `o == base + off` (wrapping), for an int variable.
    fn offset_form(&self, o: Operand) -> Option<(Value, i64)> {
        let Operand::Var(v) = o else {
            return None;
        };
        if self.t.kinds.get(v as usize) != Some(&Kind::Int) {
            return None;
        }
        match self.vals.get(v as usize).copied().flatten()? {
            Val::Value(x) => Some((x, 0)),
            Val::Offset(base, off, _) => Some((base, off)),
            Val::LazyCmp(_) | Val::Narrow8 { .. } => None,
        }
    }

    /// `x + c`, `c + x`, `x - c` on 64-bit words, as an offset from the base of `x` (see
    /// [`Val::Offset`]); `None` for other shapes.
    fn fold_offset(&self, op: &Op, bop: BinOp) -> Option<Val> {
        let (x, delta) = match (bop, op.args[0], op.args[1]) {
            (BinOp::Add, x, Operand::Int(c)) | (BinOp::Add, Operand::Int(c), x) => (x, c),
            (BinOp::Sub, x, Operand::Int(c)) => (x, c.wrapping_neg()),
            _ => return None,
        };
        let (base, off) = self.offset_form(x)?;
        Some(match off.wrapping_add(delta) {
            0 => Val::Value(base),
            off => Val::Offset(base, off, None),
        })
    }

    /// `x == c` / `x != c` (either order) where `x` is `base + off`: `base == c - off` (so
    /// that `x` itself need not be computed). `None` for other shapes.
    fn fold_eq(&mut self, cc: IntCC, a: Operand, b: Operand) -> Option<Value> {
        if !matches!(cc, IntCC::Equal | IntCC::NotEqual) {
            return None;
        }
        let (x, c) = match (a, b) {
            (x, Operand::Int(c)) | (Operand::Int(c), x) => (x, c),
            _ => return None,
        };
        if let Operand::Var(v) = x {
            if let Some(Val::Narrow8 {
                base, off, dirty, ..
            }) = self.vals.get(v as usize).copied().flatten()
            {
                if !(0..256).contains(&c) {
                    return None;
                }
                if !dirty {
                    // `base` is in 0..256: `(base + off) & 0xff == c` iff
                    // `base == (c - off) & 0xff`
                    let k = self.b.ins().iconst(types::I64, (c - off) & 0xff);
                    return Some(self.b.ins().icmp(cc, base, k));
                }
                // the low byte of `base + off` against `c`
                let raw = self.narrow8_raw(v);
                let low = self.b.ins().ireduce(types::I8, raw);
                let k = self.b.ins().iconst(types::I8, c);
                return Some(self.b.ins().icmp(cc, low, k));
            }
        }
        let (base, off) = self.offset_form(x)?;
        if off == 0 {
            return None;
        }
        let k = self.b.ins().iconst(types::I64, c.wrapping_sub(off));
        Some(self.b.ins().icmp(cc, base, k))
    }

    /// `x + c`, `c + x`, `x - c` on `u8` words, as [`Val::Narrow8`] from the base of `x`;
    /// `None` for other shapes.
    fn fold_narrow8(&self, op: &Op, bop: BinOp) -> Option<Val> {
        let (x, delta) = match (bop, op.args[0], op.args[1]) {
            (BinOp::Add, x, Operand::Int(c)) | (BinOp::Add, Operand::Int(c), x) => (x, c),
            (BinOp::Sub, x, Operand::Int(c)) => (x, c.wrapping_neg()),
            _ => return None,
        };
        let Operand::Var(v) = x else { return None };
        let (base, off, dirty) = match self.vals.get(v as usize).copied().flatten()? {
            Val::Value(b) => (b, 0, false),
            Val::Narrow8 {
                base, off, dirty, ..
            } => (base, off, dirty),
            _ => return None,
        };
        Some(match (off.wrapping_add(delta) & 0xff, dirty) {
            (0, false) => Val::Value(base),
            (off, dirty) => Val::Narrow8 {
                base,
                off,
                raw: None,
                canon: None,
                dirty,
            },
        })
    }

    /// `base + off` of the [`Val::Narrow8`] variable `v` (kept when computed on the main
    /// path).
    fn narrow8_raw(&mut self, v: Var) -> Value {
        let Some(Val::Narrow8 { base, off, raw, .. }) = self.vals[v as usize] else {
            unreachable!("a Narrow8 value")
        };
        if let Some(r) = raw {
            return r;
        }
        let r = if off == 0 {
            base
        } else {
            self.b.ins().iadd_imm_s(base, off)
        };
        if !self.cold {
            if let Some(Val::Narrow8 { raw, .. }) = &mut self.vals[v as usize] {
                *raw = Some(r);
            }
        }
        r
    }

    /// The 0/1 word of the comparison `op` (an `IntCmp`), computed here.
    fn int_cmp(&mut self, op: &Op) -> Result<Value, String> {
        let OpKind::IntCmp(bop, it) = &op.kind else {
            return Err("not a comparison".into());
        };
        let cc = scalar::int_cc(*bop, it.signed())
            .ok_or_else(|| format!("unsupported operator {}", op_name(&op.kind)))?;
        if let Some(c) = self.fold_eq(cc, op.args[0], op.args[1]) {
            return Ok(scalar::bool_word(&mut self.b, c));
        }
        let x = self.nth(op, 0, Kind::Int)?;
        let y = self.nth(op, 1, Kind::Int)?;
        Ok(scalar::int_cmp(&mut self.b, cc, x, y))
    }

    // ---- operations -----------------------------------------------------------------------

    fn op(&mut self, k: usize, op: &Op) -> Result<(), String> {
        let unsupported = || format!("unsupported operator {}", op_name(&op.kind));
        match &op.kind {
            OpKind::IntBin(bop, it) => {
                arity(op, 2, 1)?;
                if it.bits(true) == 64 {
                    // Chains of constant additions (`((x + 1) + 1) - 3`) fold into one offset
                    // from `x`, computed only where needed.
                    if let Some(val) = self.fold_offset(op, *bop) {
                        return self.def_val(op, 0, val, Kind::Int);
                    }
                }
                if *it == IntTy::U8 {
                    if let Some(val) = self.fold_narrow8(op, *bop) {
                        return self.def_val(op, 0, val, Kind::Int);
                    }
                }
                if let Some(c) = scalar::int_cc(*bop, it.signed())
                    .and_then(|cc| self.fold_eq(cc, op.args[0], op.args[1]))
                {
                    let r = scalar::bool_word(&mut self.b, c);
                    return self.def(op, 0, r, Kind::Int);
                }
                let x = self.nth(op, 0, Kind::Int)?;
                let y = self.nth(op, 1, Kind::Int)?;
                let r = if let Some(cc) = scalar::int_cc(*bop, it.signed()) {
                    scalar::int_cmp(&mut self.b, cc, x, y)
                } else if matches!(bop, BinOp::Div | BinOp::Rem) {
                    let y_const = match op.args[1] {
                        Operand::Int(c) => Some(c),
                        _ => None,
                    };
                    self.div_rem(*bop, *it, x, y, y_const)
                } else {
                    scalar::int_bin(&mut self.b, *bop, *it, x, y).ok_or_else(unsupported)?
                };
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::IntCmp(..) => {
                arity(op, 2, 1)?;
                if self.fail_only[op.results[0] as usize] {
                    return self.def_val(op, 0, Val::LazyCmp(k), Kind::Int);
                }
                let r = self.int_cmp(op)?;
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::IntOvf(bop, it) => {
                arity(op, 2, 2)?;
                let x = self.nth(op, 0, Kind::Int)?;
                let y = self.nth(op, 1, Kind::Int)?;
                let (r, o) =
                    scalar::int_ovf(&mut self.b, *bop, *it, x, y).ok_or_else(unsupported)?;
                self.def(op, 0, r, Kind::Int)?;
                self.def(op, 1, o, Kind::Int)
            }
            OpKind::IntNeg(it) | OpKind::IntNot(it) => {
                arity(op, 1, 1)?;
                let x = self.nth(op, 0, Kind::Int)?;
                let r = if matches!(op.kind, OpKind::IntNeg(_)) {
                    scalar::int_neg(&mut self.b, *it, x)
                } else {
                    scalar::int_not(&mut self.b, *it, x)
                };
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::BoolBin(bop) => {
                arity(op, 2, 1)?;
                let x = self.nth(op, 0, Kind::Int)?;
                let y = self.nth(op, 1, Kind::Int)?;
                let r = scalar::bool_bin(&mut self.b, *bop, x, y).ok_or_else(unsupported)?;
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::BoolNot => {
                arity(op, 1, 1)?;
                let x = self.nth(op, 0, Kind::Int)?;
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, x, 0);
                let r = scalar::bool_word(&mut self.b, c);
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::FloatBin(bop) => {
                arity(op, 2, 1)?;
                let x = self.nth(op, 0, Kind::Float)?;
                let y = self.nth(op, 1, Kind::Float)?;
                let r = match bop {
                    BinOp::Add => self.b.ins().fadd(x, y),
                    BinOp::Sub => self.b.ins().fsub(x, y),
                    BinOp::Mul => self.b.ins().fmul(x, y),
                    BinOp::Div => self.b.ins().fdiv(x, y),
                    BinOp::Rem => {
                        let f = types::F64;
                        let addr = float_rem as extern "C" fn(f64, f64) -> f64 as usize;
                        let inst = self.call_addr(addr, &[f, f], &[f], &[x, y]);
                        self.b.inst_results(inst)[0]
                    }
                    _ => return Err(unsupported()),
                };
                self.def(op, 0, r, Kind::Float)
            }
            OpKind::FloatCmp(bop) => {
                arity(op, 2, 1)?;
                let cc = scalar::float_cc(*bop).ok_or_else(unsupported)?;
                let x = self.nth(op, 0, Kind::Float)?;
                let y = self.nth(op, 1, Kind::Float)?;
                let c = self.b.ins().fcmp(cc, x, y);
                let r = scalar::bool_word(&mut self.b, c);
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::FloatNeg => {
                arity(op, 1, 1)?;
                let x = self.nth(op, 0, Kind::Float)?;
                let r = self.b.ins().fneg(x);
                self.def(op, 0, r, Kind::Float)
            }
            OpKind::Cast(from, to) => {
                arity(op, 1, 1)?;
                if ops::cast(0, *from, *to, true).is_none() {
                    return Err(unsupported());
                }
                let x = self.nth(op, 0, from.kind())?;
                let r = scalar::cast(&mut self.b, x, *from, *to);
                self.def(op, 0, r, to.kind())
            }
            OpKind::PtrEq => {
                arity(op, 2, 1)?;
                let x = self.nth(op, 0, Kind::Ref)?;
                let y = self.nth(op, 1, Kind::Ref)?;
                let r = scalar::int_cmp(&mut self.b, IntCC::Equal, x, y);
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::PtrIsNull => {
                arity(op, 1, 1)?;
                let x = self.nth(op, 0, Kind::Ref)?;
                let c = self.b.ins().icmp_imm_s(IntCC::Equal, x, 0);
                let r = scalar::bool_word(&mut self.b, c);
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::GetField { offset, ty, .. } => {
                arity(op, 1, 1)?;
                let obj = self.nth(op, 0, Kind::Ref)?;
                let r = self.load_field(*ty, obj, offset32(i64::from(*offset))?);
                self.def(op, 0, r, ty.kind())
            }
            OpKind::SetField { offset, ty } => {
                arity(op, 2, 0)?;
                let obj = self.nth(op, 0, Kind::Ref)?;
                let val = self.nth(op, 1, ty.kind())?;
                self.store_field(*ty, val, obj, offset32(i64::from(*offset))?);
                Ok(())
            }
            OpKind::ArrayLen | OpKind::StrLen => {
                arity(op, 1, 1)?;
                let obj = self.nth(op, 0, Kind::Ref)?;
                let off = if op.kind == OpKind::ArrayLen {
                    ARRAY_LEN
                } else {
                    STR_LEN
                };
                let r = self.b.ins().load(types::I64, trusted(), obj, off);
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::ArrayGet { width, word, ty } | OpKind::ListGet { width, word, ty } => {
                arity(op, 2, 1)?;
                let (addr, off) = if matches!(op.kind, OpKind::ListGet { .. }) {
                    self.list_element(op, *width, *word, Slow::ListGet, None)?
                } else {
                    self.element(op, *width, *word, Slow::ArrayGet, None)?
                };
                let r = self.b.ins().load(cl_type(ty.kind()), trusted(), addr, off);
                self.def(op, 0, r, ty.kind())
            }
            OpKind::ArraySet { width, word, ty } | OpKind::ListSet { width, word, ty } => {
                arity(op, 3, 0)?;
                let val = self.nth(op, 2, ty.kind())?;
                let (word, kind) = (*word, ty.kind());
                let (addr, off) = if matches!(op.kind, OpKind::ListSet { .. }) {
                    let slow = Slow::ListSet { word, kind };
                    self.list_element(op, *width, word, slow, Some(val))?
                } else {
                    let slow = Slow::ArraySet { word, kind };
                    self.element(op, *width, word, slow, Some(val))?
                };
                self.b.ins().store(trusted(), val, addr, off);
                Ok(())
            }
            OpKind::StrByteAt => {
                arity(op, 2, 1)?;
                let s = self.nth(op, 0, Kind::Ref)?;
                let idx = self.nth(op, 1, Kind::Int)?;
                self.bounds_check(op, s, idx, STR_LEN, Slow::StrByteAt, None);
                let p = self.b.ins().iadd(s, idx);
                let r = self.b.ins().uload8(types::I64, trusted(), p, STR_BYTES);
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::Call {
                helper,
                args,
                results,
                can_collect,
            } => self.call((k, roots::MAIN), op, *helper, args, results, *can_collect),
            OpKind::New { helper, shape } => self.new_object((k, roots::MAIN), op, *helper, shape),
            OpKind::NewArray { helper, tys } => self.new_array((k, roots::MAIN), op, *helper, tys),
            OpKind::Guard {
                kind,
                index,
                fail_args,
                ..
            } => self.guard(k, op, *kind, *index, fail_args),
            OpKind::Label => {
                let mut vals = Vec::with_capacity(op.args.len());
                for (a, &r) in op.args.iter().zip(&op.results) {
                    let want = self.var_kind(r)?;
                    vals.push(BlockArg::Value(self.arg(*a, want)?));
                }
                self.header = self.b.create_block();
                let mut params = Vec::with_capacity(op.results.len());
                for &r in &op.results {
                    let ty = cl_type(self.var_kind(r)?);
                    params.push(self.b.append_block_param(self.header, ty));
                }
                self.b.ins().jump(self.header, &vals);
                self.b.switch_to_block(self.header);
                for (&r, p) in op.results.iter().zip(params) {
                    self.vals[r as usize] = Some(if self.dirty8.contains(&r) {
                        Val::Narrow8 {
                            base: p,
                            off: 0,
                            raw: Some(p),
                            canon: None,
                            dirty: true,
                        }
                    } else {
                        Val::Value(p)
                    });
                }
                Ok(())
            }
            OpKind::Jump => {
                let vars = self.t.loop_vars().to_vec();
                let mut vals = Vec::with_capacity(op.args.len());
                for (a, &var) in op.args.iter().zip(&vars) {
                    if let (true, Operand::Var(x)) = (self.dirty8.contains(&var), *a) {
                        if let Some(Val::Narrow8 { .. }) = self.vals[x as usize] {
                            // the loop variable takes the low byte only: no masking
                            vals.push(BlockArg::Value(self.narrow8_raw(x)));
                            continue;
                        }
                    }
                    let want = self.var_kind(var)?;
                    vals.push(BlockArg::Value(self.arg(*a, want)?));
                }
                if vals.len() != vars.len() {
                    return Err("argument count differs from the loop variables".into());
                }
                self.b.ins().jump(self.header, &vals);
                Ok(())
            }
            OpKind::Exit { index } => self.exit(&op.args, *index),
            OpKind::JumpTo { target } => self.jump_to(&op.args, *target),
            OpKind::Restart => {
                let top = self.top.ok_or("restart without a top block")?;
                let mut vals = Vec::with_capacity(op.args.len());
                for (a, &var) in op.args.iter().zip(&self.t.inputs) {
                    let want = self.var_kind(var)?;
                    vals.push(BlockArg::Value(self.arg(*a, want)?));
                }
                if vals.len() != self.t.inputs.len() {
                    return Err("argument count differs from the inputs".into());
                }
                self.b.ins().jump(top, &vals);
                Ok(())
            }
            OpKind::Bridge { guard } => {
                let (block, saved) = self
                    .pending
                    .remove(guard)
                    .ok_or_else(|| format!("no guard #{guard} before its segment"))?;
                self.vals = saved.vals;
                self.checked = saved.checked;
                self.lens = saved.lens;
                self.elems = saved.elems;
                self.b.switch_to_block(block);
                Ok(())
            }
        }
    }

    /// `Div`/`Rem` of [`ops::int_bin`]: a zero divisor is fatal; signed `MIN / -1` wraps
    /// (Cranelift's `sdiv` would trap, so a divisor of -1 is replaced by 1 and the quotient
    /// negated).
    fn div_rem(&mut self, op: BinOp, it: IntTy, x: Value, y: Value, y_const: Option<i64>) -> Value {
        if !matches!(y_const, Some(c) if c != 0) {
            let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
            let msg = ops::div_zero_message(op);
            self.fail_if(zero, Slow::Fatal(msg), &[]);
        }
        let r = if !it.signed() {
            if op == BinOp::Div {
                self.b.ins().udiv(x, y)
            } else {
                self.b.ins().urem(x, y)
            }
        } else if matches!(y_const, Some(c) if c != -1) {
            if op == BinOp::Div {
                self.b.ins().sdiv(x, y)
            } else {
                self.b.ins().srem(x, y)
            }
        } else {
            let m1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
            let one = self.b.ins().iconst(types::I64, 1);
            let safe = self.b.ins().select(m1, one, y);
            if op == BinOp::Div {
                let q = self.b.ins().sdiv(x, safe);
                let neg = self.b.ins().ineg(x);
                self.b.ins().select(m1, neg, q)
            } else {
                // `x % 1 == 0 == x.wrapping_rem(-1)`.
                self.b.ins().srem(x, safe)
            }
        };
        scalar::canon(&mut self.b, it, r)
    }

    fn load_field(&mut self, ty: Ty, obj: Value, off: i32) -> Value {
        let ins = self.b.ins();
        match ty {
            Ty::Bool | Ty::Int(IntTy::U8) => ins.uload8(types::I64, trusted(), obj, off),
            Ty::Int(IntTy::U32) => ins.uload32(trusted(), obj, off),
            Ty::Int(IntTy::I32) => ins.sload32(trusted(), obj, off),
            Ty::Int(IntTy::I64 | IntTy::U64 | IntTy::Usize) | Ty::Ref => {
                ins.load(types::I64, trusted(), obj, off)
            }
            Ty::F64 => ins.load(types::F64, trusted(), obj, off),
        }
    }

    fn store_field(&mut self, ty: Ty, val: Value, obj: Value, off: i32) {
        let ins = self.b.ins();
        match ty.mem_size(true) {
            1 => ins.istore8(trusted(), val, obj, off),
            4 => ins.istore32(trusted(), val, obj, off),
            _ => ins.store(trusted(), val, obj, off),
        };
    }

    /// The address (base value, offset) of word `word` of element `op.args[1]` of the
    /// `GcArray` `op.args[0]`, bounds-checked (`slow`, `val`: see [`Lower::bounds_check`]).
    fn element(
        &mut self,
        op: &Op,
        width: u32,
        word: u32,
        slow: Slow,
        val: Option<Value>,
    ) -> Result<(Value, i32), String> {
        if word >= width {
            return Err(format!("word {word} out of an element of {width}"));
        }
        let (ao, io) = (op.args[0], op.args[1]);
        let arr = self.arg(ao, Kind::Ref)?;
        let idx = self.arg(io, Kind::Int)?;
        self.bounds_check(op, arr, idx, ARRAY_LEN, slow, val);
        let bytes = i64::from(width) * 8;
        let word_off = ARRAY_WORDS + i64::from(word) * 8;
        if let Operand::Int(c) = io {
            // A constant index (in bounds, as checked): a constant offset.
            let off = c.checked_mul(bytes).and_then(|o| o.checked_add(word_off));
            if let Some(off) = off.and_then(|o| i32::try_from(o).ok()) {
                return Ok((arr, off));
            }
        }
        let found = self
            .elems
            .iter()
            .find(|e| (e.0, e.1, e.2) == (ao, io, width));
        let base = match found {
            Some(e) => e.3,
            None => {
                let scaled = self.scaled_index(idx, width);
                let base = self.b.ins().iadd(arr, scaled);
                self.elems.push((ao, io, width, base));
                base
            }
        };
        Ok((base, offset32(word_off)?))
    }

    /// `idx * width * 8`, the byte offset of element `idx` of `width`-word elements (a shift
    /// when the element size is a power of two: it folds into the address mode).
    fn scaled_index(&mut self, idx: Value, width: u32) -> Value {
        let bytes = i64::from(width) * 8;
        if width.is_power_of_two() {
            self.b
                .ins()
                .ishl_imm_u(idx, i64::from(bytes.trailing_zeros()))
        } else {
            self.b.ins().imul_imm_u(idx, bytes)
        }
    }

    /// The address (base, offset) of word `word` of element `idx` of the list `op.args[0]`,
    /// after its bounds check. A list's length and storage change when it grows or shrinks, so
    /// both are loaded at every access (only calls change them; the recorder's heap cache
    /// already keeps a trace from reading the same element twice between calls).
    fn list_element(
        &mut self,
        op: &Op,
        width: u32,
        word: u32,
        slow: Slow,
        val: Option<Value>,
    ) -> Result<(Value, i32), String> {
        use vmkit_jit_ir::trace::{LIST_DATA_OFFSET, LIST_LEN_OFFSET};
        if word >= width {
            return Err(format!("word {word} out of an element of {width}"));
        }
        let list = self.arg(op.args[0], Kind::Ref)?;
        let idx = self.arg(op.args[1], Kind::Int)?;
        let len = self
            .b
            .ins()
            .load(types::I64, trusted(), list, LIST_LEN_OFFSET as i32);
        self.check_below(list, idx, len, slow, val);
        let data = self
            .b
            .ins()
            .load(types::I64, trusted(), list, LIST_DATA_OFFSET as i32);
        let scaled = self.scaled_index(idx, width);
        let base = self.b.ins().iadd(data, scaled);
        Ok((base, offset32(i64::from(word) * 8)?))
    }

    /// `if idx >=u obj.len { slow path (reports the error, never returns) }`, unless the same
    /// operands (`op.args[0..2]`) were checked before; `val`: the value an `ArraySet` stores
    /// (reported by the slow path).
    fn bounds_check(
        &mut self,
        op: &Op,
        obj: Value,
        idx: Value,
        len_off: i32,
        slow: Slow,
        val: Option<Value>,
    ) {
        let key = (op.args[0], op.args[1], len_off);
        if self.checked.contains(&key) {
            return;
        }
        self.checked.push(key);
        // lengths never change: loaded once per object on the main path
        let len = match self
            .lens
            .iter()
            .find(|l| (l.0, l.1) == (op.args[0], len_off))
        {
            Some(l) => l.2,
            None => {
                let len = self.b.ins().load(types::I64, trusted(), obj, len_off);
                if !self.cold {
                    self.lens.push((op.args[0], len_off, len));
                }
                len
            }
        };
        self.check_below(obj, idx, len, slow, val);
    }

    /// `if idx >=u len { slow path `slow`(obj, idx[, val]) }`.
    fn check_below(&mut self, obj: Value, idx: Value, len: Value, slow: Slow, val: Option<Value>) {
        let bad = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, idx, len);
        match val {
            Some(val) => self.fail_if(bad, slow, &[obj, idx, val]),
            None => self.fail_if(bad, slow, &[obj, idx]),
        }
    }

    /// `if cond { slow path `slow`(args) }` (a shared block that never returns).
    fn fail_if(&mut self, cond: Value, slow: Slow, args: &[Value]) {
        let block = match self.slow.iter().find(|(s, _)| *s == slow) {
            Some(&(_, block)) => block,
            None => {
                let block = self.b.create_block();
                self.b.set_cold_block(block);
                for &a in args {
                    let ty = self.b.func.dfg.value_type(a);
                    self.b.append_block_param(block, ty);
                }
                self.slow.push((slow, block));
                block
            }
        };
        let ok = self.b.create_block();
        let args: Vec<BlockArg> = args.iter().map(|&a| BlockArg::Value(a)).collect();
        self.b.ins().brif(cond, block, &args, ok, &[]);
        self.b.switch_to_block(ok);
    }

    /// Fills the shared slow-path blocks (after the trace body).
    fn finish_slow_paths(&mut self) {
        let w = types::I64;
        for (slow, block) in std::mem::take(&mut self.slow) {
            self.b.switch_to_block(block);
            let p = self.b.block_params(block).to_vec();
            match slow {
                Slow::ArrayGet | Slow::ListGet => {
                    let out = self.buf(Buf::Elem);
                    let f = if slow == Slow::ListGet {
                        self.env.list_get
                    } else {
                        self.env.array_get
                    };
                    self.call_addr(f, &[w, w, w], &[], &[p[0], p[1], out]);
                }
                Slow::ArraySet { word, .. } | Slow::ListSet { word, .. } => {
                    let buf = self.buf(Buf::Elem);
                    self.b.ins().store(trusted(), p[2], buf, word as i32 * 8);
                    let f = if matches!(slow, Slow::ListSet { .. }) {
                        self.env.list_set
                    } else {
                        self.env.array_set
                    };
                    self.call_addr(f, &[w, w, w], &[], &[p[0], p[1], buf]);
                }
                Slow::StrByteAt => {
                    // Returns a byte, ignored: it reports the bad index and exits.
                    self.call_addr(self.env.str_byte_at, &[w, w], &[], &[p[0], p[1]]);
                }
                Slow::Fatal(msg) => {
                    let m = self.b.ins().iconst(w, msg.as_ptr() as i64);
                    let n = self.b.ins().iconst(w, msg.len() as i64);
                    self.call_addr(self.env.fatal, &[w, w], &[], &[m, n]);
                }
            }
            self.b.ins().trap(NORETURN);
        }
    }

    // ---- calls and GC roots ---------------------------------------------------------------

    /// An indirect call of the function at the constant address `addr`.
    fn call_addr(
        &mut self,
        addr: usize,
        params: &[Type],
        returns: &[Type],
        args: &[Value],
    ) -> cranelift_codegen::ir::Inst {
        let found = self
            .sigs
            .iter()
            .find(|(p, r, _)| p == params && r == returns);
        let sig = match found {
            Some(&(_, _, sig)) => sig,
            None => {
                let mut sig = Signature::new(self.cc);
                sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
                sig.returns
                    .extend(returns.iter().map(|t| AbiParam::new(*t)));
                let sig = self.b.import_signature(sig);
                self.sigs.push((params.to_vec(), returns.to_vec(), sig));
                sig
            }
        };
        let callee = self.b.ins().iconst(types::I64, addr as i64);
        self.b.ins().call_indirect(sig, callee, args)
    }

    /// The address of one of the shared word buffers.
    fn buf(&mut self, which: Buf) -> Value {
        let i = which as usize;
        let slot = match self.bufs.slots[i] {
            Some(slot) => slot,
            None => {
                let size = (self.bufs.words[i] * 8) as u32;
                let data = StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3);
                let slot = self.b.create_sized_stack_slot(data);
                self.bufs.slots[i] = Some(slot);
                slot
            }
        };
        self.b.ins().stack_addr(types::I64, slot, 0)
    }

    /// A `New` (at `site`): a call of its helper with the field values.
    fn new_object(
        &mut self,
        site: roots::Site,
        op: &Op,
        helper: u32,
        shape: &NewShape,
    ) -> Result<(), String> {
        let args: Vec<Ty> = shape.fields.iter().map(|f| f.1).collect();
        self.call(site, op, helper, &args, &[Ty::Ref], true)
    }

    /// A `NewArray` (at `site`): a call of its helper with the length and the element.
    fn new_array(
        &mut self,
        site: roots::Site,
        op: &Op,
        helper: u32,
        tys: &[Ty],
    ) -> Result<(), String> {
        let mut args = vec![Ty::Int(IntTy::Usize)];
        args.extend_from_slice(tys);
        self.call(site, op, helper, &args, &[Ty::Ref], true)
    }

    /// A helper call (at `site`): arguments through a word buffer, results through another.
    fn call(
        &mut self,
        site: roots::Site,
        op: &Op,
        helper: u32,
        args: &[Ty],
        results: &[Ty],
        can_collect: bool,
    ) -> Result<(), String> {
        arity(op, args.len(), results.len())?;
        if helper as usize >= self.env.nhelpers || self.env.helpers.is_null() {
            return Err(format!("helper {helper} is not in the helper table"));
        }
        // SAFETY: `Env` promises `nhelpers` readable entries; the table is immutable.
        let addr = unsafe { *self.env.helpers.add(helper as usize) };
        let argbuf = self.buf(Buf::Args);
        for (i, ty) in args.iter().enumerate() {
            let v = self.nth(op, i, ty.kind())?;
            self.b.ins().store(trusted(), v, argbuf, i as i32 * 8);
        }
        if can_collect {
            self.store_roots(site);
        }
        let resbuf = self.buf(Buf::Results);
        let w = types::I64;
        self.call_addr(addr, &[w, w], &[], &[argbuf, resbuf]);
        for (i, ty) in results.iter().enumerate() {
            let kind = ty.kind();
            let r = self
                .b
                .ins()
                .load(cl_type(kind), trusted(), resbuf, i as i32 * 8);
            self.def(op, i, r, kind)?;
        }
        Ok(())
    }

    /// At entry: `base = *top; *top = base + K words` (overflow checked), slots zeroed.
    fn reserve_shadow_slots(&mut self) {
        let n = self.roots.slots;
        if n == 0 {
            return;
        }
        let w = types::I64;
        let top_addr = self.b.ins().iconst(w, self.env.shadow_top as i64);
        let base = self.b.ins().load(w, trusted(), top_addr, 0);
        let new_top = self.b.ins().iadd_imm_s(base, n as i64 * 8);
        let limit_addr = self.b.ins().iconst(w, self.env.shadow_limit as i64);
        let limit = self.b.ins().load(w, trusted(), limit_addr, 0);
        let over = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThan, new_top, limit);
        let (cold, ok) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(over, cold, &[], ok, &[]);
        self.b.set_cold_block(cold);
        self.b.switch_to_block(cold);
        self.call_addr(self.env.stack_overflow, &[], &[], &[]);
        self.b.ins().trap(TrapCode::STACK_OVERFLOW);
        self.b.switch_to_block(ok);
        self.b.ins().store(trusted(), new_top, top_addr, 0);
        let zero = self.b.ins().iconst(w, 0);
        for i in 0..n {
            self.b.ins().store(trusted(), zero, base, i as i32 * 8);
        }
        self.shadow_base = Some(base);
    }

    /// Before collecting call `k`: its live references into the slots, the other slots zeroed
    /// (so that no dead object stays rooted).
    fn store_roots(&mut self, site: roots::Site) {
        let Some(base) = self.shadow_base else {
            return;
        };
        let live = self.roots.live.remove(&site).unwrap_or_default();
        for i in 0..self.roots.slots {
            let v = match live.get(i) {
                Some(&var) => {
                    self.value(Operand::Var(var))
                        .expect("live refs are defined")
                        .0
                }
                None => self.b.ins().iconst(types::I64, 0),
            };
            self.b.ins().store(trusted(), v, base, i as i32 * 8);
        }
    }

    /// Pops the reserved shadow-stack slots (before every return).
    fn restore_shadow(&mut self) {
        if let Some(base) = self.shadow_base {
            let top_addr = self.b.ins().iconst(types::I64, self.env.shadow_top as i64);
            self.b.ins().store(trusted(), base, top_addr, 0);
        }
    }

    // ---- guards and exits -----------------------------------------------------------------

    fn guard(
        &mut self,
        k: usize,
        op: &Op,
        kind: GuardKind,
        index: u32,
        fail_args: &[Operand],
    ) -> Result<(), String> {
        let (cont, fail) = (self.b.create_block(), self.b.create_block());
        match kind {
            GuardKind::True | GuardKind::False => {
                arity(op, 1, 0)?;
                let c = self.nth(op, 0, Kind::Int)?;
                if kind == GuardKind::True {
                    self.b.ins().brif(c, cont, &[], fail, &[]);
                } else {
                    self.b.ins().brif(c, fail, &[], cont, &[]);
                }
            }
            GuardKind::Value => {
                arity(op, 2, 0)?;
                if let Some(eq) = self.fold_eq(IntCC::Equal, op.args[0], op.args[1]) {
                    self.b.ins().brif(eq, cont, &[], fail, &[]);
                    return self.guard_failure(k, op, index, fail_args, cont, fail);
                }
                let (x, kx) = self.value(op.args[0])?;
                let y = self.arg(op.args[1], kx)?;
                let (x, y) = if kx == Kind::Float {
                    let flags = MemFlagsData::new();
                    let xb = self.b.ins().bitcast(types::I64, flags, x);
                    let yb = self.b.ins().bitcast(types::I64, flags, y);
                    (xb, yb)
                } else {
                    (x, y)
                };
                let eq = self.b.ins().icmp(IntCC::Equal, x, y);
                self.b.ins().brif(eq, cont, &[], fail, &[]);
            }
        }
        self.guard_failure(k, op, index, fail_args, cont, fail)
    }

    /// The failure block `fail` of guard `op` (number `k`), then continues in `cont`.
    fn guard_failure(
        &mut self,
        k: usize,
        op: &Op,
        index: u32,
        fail_args: &[Operand],
        cont: Block,
        fail: Block,
    ) -> Result<(), String> {
        if self.seg_guards.contains(&index) {
            // the failure continues in the guard's bridge segment, lowered later (after the
            // delayed stores)
            self.b.switch_to_block(fail);
            self.failure_effects(k, op)?;
            let saved = SavedState {
                vals: self.vals.clone(),
                checked: self.checked.clone(),
                lens: self.lens.clone(),
                elems: self.elems.clone(),
            };
            self.pending.insert(index, (fail, saved));
            self.b.switch_to_block(cont);
            return Ok(());
        }
        self.b.set_cold_block(fail);
        self.b.switch_to_block(fail);
        self.cold = true;
        self.failure_effects(k, op)?;
        let fail_args: Vec<Operand> = fail_args
            .iter()
            .map(|a| fail_arg(op, &self.is_bool, *a))
            .collect();
        let fail_args = &fail_args[..];
        let g = self.group_of[k] as usize;
        if self.groups[g].guards == 1 {
            // The failure block is the exit block.
            let words = self.values(fail_args)?;
            self.exit_body(&words, Err(index));
        } else {
            let block = match self.groups[g].block {
                Some(block) => block,
                None => self.make_exit_block(g)?,
            };
            let mut args = vec![BlockArg::Value(
                self.b.ins().iconst(types::I32, i64::from(index)),
            )];
            for (i, a) in fail_args.iter().enumerate() {
                if self.groups[g].fixed[i].is_none() {
                    args.push(BlockArg::Value(self.value(*a)?.0));
                }
            }
            self.b.ins().jump(block, &args);
        }
        self.cold = false;
        self.b.switch_to_block(cont);
        Ok(())
    }

    /// What guard `op` (number `k`) does on failure before its exit, in the current (failure)
    /// block: makes its virtuals, then does its delayed stores. What they learn (bounds
    /// checks, element addresses) is forgotten afterwards: it does not hold on the main path.
    /// (Delayed stores' elements were bounds-checked before the guard, so no check is emitted
    /// for them in practice.)
    fn failure_effects(&mut self, k: usize, op: &Op) -> Result<(), String> {
        let OpKind::Guard {
            stores, virtuals, ..
        } = &op.kind
        else {
            return Ok(());
        };
        if stores.is_empty() && virtuals.is_empty() {
            return Ok(());
        }
        let (checked, lens, elems) = (self.checked.clone(), self.lens.clone(), self.elems.clone());
        let cold = std::mem::replace(&mut self.cold, true);
        // the virtuals first: fail args and stores may hold them
        for (j, v) in virtuals.iter().enumerate() {
            match &v.kind {
                OpKind::New { helper, shape } => self.new_object((k, j), v, *helper, shape)?,
                OpKind::NewArray { helper, tys } => self.new_array((k, j), v, *helper, tys)?,
                OpKind::ArraySet { .. } => self.op(k, v)?,
                _ => return Err(format!("op {k}: a guard's virtual is not a `new`")),
            }
        }
        for st in stores {
            self.op(k, &st.op())?;
        }
        self.cold = cold;
        (self.checked, self.lens, self.elems) = (checked, lens, elems);
        Ok(())
    }

    /// The shared exit block of group `g`: `(index: i32, the non-fixed fail args...)`.
    fn make_exit_block(&mut self, g: usize) -> Result<Block, String> {
        offset32(self.groups[g].types.len() as i64 * 8)?;
        let cur = self.b.current_block().expect("in a block");
        let block = self.b.create_block();
        self.b.set_cold_block(block);
        let idx = self.b.append_block_param(block, types::I32);
        let mut params = Vec::new();
        for (ty, f) in self.groups[g].types.iter().zip(&self.groups[g].fixed) {
            if f.is_none() {
                params.push(self.b.append_block_param(block, *ty));
            }
        }
        self.b.switch_to_block(block);
        let mut words = Vec::with_capacity(self.groups[g].fixed.len());
        let mut params = params.into_iter();
        for i in 0..self.groups[g].fixed.len() {
            let v = match self.groups[g].fixed[i] {
                Some(a) => self.value(a)?.0,
                None => params.next().expect("one parameter per free position"),
            };
            words.push(v);
        }
        self.exit_body(&words, Ok(idx));
        self.groups[g].block = Some(block);
        self.b.switch_to_block(cur);
        Ok(block)
    }

    /// A guard failure: stores `words` into `frame[0..]`, pops the shadow-stack slots; then,
    /// when the guard is linked (`links[index] != 0`), tail-calls the linked trace, else
    /// returns `index` (`Ok`: an `I32` value, `Err`: a constant).
    fn exit_body(&mut self, words: &[Value], index: Result<Value, u32>) {
        self.store_words(words);
        self.restore_shadow();
        let i32_index = |b: &mut FunctionBuilder, index: Result<Value, u32>| match index {
            Ok(v) => v,
            Err(i) => b.ins().iconst(types::I32, i64::from(i)),
        };
        let Some(links) = self.links else {
            let r = i32_index(&mut self.b, index);
            self.b.ins().return_(&[r]);
            return;
        };
        let w = types::I64;
        let slot = match index {
            Ok(v) => {
                let base = self.b.ins().iconst(w, links as i64);
                let i = self.b.ins().uextend(w, v);
                let off = self.b.ins().ishl_imm_u(i, 3);
                self.b.ins().iadd(base, off)
            }
            Err(i) => {
                let addr = (links as u64).wrapping_add(u64::from(i) * 8);
                self.b.ins().iconst(w, addr as i64)
            }
        };
        let target = self.b.ins().load(w, trusted(), slot, 0);
        let (linked, unlinked) = (self.b.create_block(), self.b.create_block());
        self.b.set_cold_block(linked);
        self.b.set_cold_block(unlinked);
        self.b.ins().brif(target, linked, &[], unlinked, &[]);
        self.b.switch_to_block(linked);
        self.tail_call(target);
        self.b.switch_to_block(unlinked);
        let r = i32_index(&mut self.b, index);
        self.b.ins().return_(&[r]);
    }

    /// `frame[i] = words[i]`.
    fn store_words(&mut self, words: &[Value]) {
        for (i, &v) in words.iter().enumerate() {
            self.b.ins().store(trusted(), v, self.frame, i as i32 * 8);
        }
    }

    /// The values of `args`, checking that they fit in the frame's offsets.
    fn values(&mut self, args: &[Operand]) -> Result<Vec<Value>, String> {
        offset32(args.len() as i64 * 8)?;
        let mut words = Vec::with_capacity(args.len());
        for a in args {
            words.push(self.value(*a)?.0);
        }
        Ok(words)
    }

    /// Stores `args` into `frame[0..]`, pops the shadow-stack slots and returns `index` — or,
    /// with a link table whose slot `index` is set, tail-calls that trace (an exit the runtime
    /// linked once code appeared for where it leads).
    fn exit(&mut self, args: &[Operand], index: u32) -> Result<(), String> {
        let words = self.values(args)?;
        self.exit_body(&words, Err(index));
        Ok(())
    }

    /// Stores `args` into `frame[0..]`, pops the shadow-stack slots and tail-calls the trace
    /// at `target`.
    fn jump_to(&mut self, args: &[Operand], target: u64) -> Result<(), String> {
        if target == 0 {
            return Err("jump to address 0".into());
        }
        let words = self.values(args)?;
        self.store_words(&words);
        self.restore_shadow();
        let callee = self.b.ins().iconst(types::I64, target as i64);
        self.tail_call(callee);
        Ok(())
    }

    /// `return_call_indirect callee(frame)`: continues in another trace without growing the
    /// native stack.
    fn tail_call(&mut self, callee: Value) {
        let sig = match self.tail_sig {
            Some(sig) => sig,
            None => {
                let sig = self.b.import_signature(trace_signature());
                self.tail_sig = Some(sig);
                sig
            }
        };
        self.b
            .ins()
            .return_call_indirect(sig, callee, &[self.frame]);
    }
}
