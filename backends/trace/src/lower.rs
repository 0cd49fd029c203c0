//! Lowering of one trace to a Cranelift function.
//!
//! Shape of the generated function, `fn(frame: *mut u64) -> u32` in the target's default C
//! calling convention:
//!
//! ```text
//! entry(frame):  [reserve K shadow-stack slots]
//!                load the inputs from frame[0..]
//!                jump header(inputs)
//! header(inputs...):
//!                the operations, in order; each guard branches to a cold failure block
//!                jump header(args) | store the exit's args, return its index
//! ```
//!
//! The trace is in SSA form and straight-line, so trace variables map directly to Cranelift
//! values (inputs are the header's block parameters); every value's definition dominates its
//! uses, including the uses in failure blocks. Int and ref variables are `I64` words (64-bit
//! targets only), floats are `F64`. Addresses supplied by the runtime ([`Env`]) are embedded as
//! constants, so the code has no relocations. Operand kinds are checked while lowering, so a
//! malformed trace is an error rather than invalid Cranelift IR.
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
    types, AbiParam, Block, BlockArg, Function, InstBuilder, MemFlagsData, Signature, StackSlot,
    StackSlotData, StackSlotKind, TrapCode, Type, Value,
};
use cranelift_codegen::isa::{CallConv, TargetFrontendConfig};
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use vmkit_jit_ir::ops::{self, BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::{op_name, GuardKind, Op, OpKind, Operand, Trace, Var};

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

/// The function signature of compiled traces.
pub(crate) fn trace_signature(cc: CallConv) -> Signature {
    let mut sig = Signature::new(cc);
    sig.params.push(AbiParam::new(types::I64));
    sig.returns.push(AbiParam::new(types::I32));
    sig
}

/// Builds the body of `func` (whose signature is [`trace_signature`]) from `trace`.
pub(crate) fn build(
    func: &mut Function,
    fctx: &mut FunctionBuilderContext,
    trace: &Trace,
    env: &Env,
    cc: CallConv,
    config: TargetFrontendConfig,
) -> Result<(), String> {
    let mut b = FunctionBuilder::new(func, fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    let frame = b.block_params(entry)[0];
    let mut l = Lower {
        b,
        t: trace,
        env,
        cc,
        vals: vec![None; trace.kinds.len()],
        frame,
        header: entry,
        shadow_base: None,
        roots: roots::analyze(trace),
        bufs: Buffers::for_trace(trace),
    };
    l.body()?;
    l.b.seal_all_blocks();
    l.b.finalize(config);
    Ok(())
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
                OpKind::Call { .. } => {
                    grow(Buf::Args, op.args.len());
                    grow(Buf::Results, op.results.len());
                }
                OpKind::ArrayGet { width, .. } | OpKind::ArraySet { width, .. } => {
                    grow(Buf::Elem, width as usize)
                }
                _ => {}
            }
        }
        Buffers {
            words,
            slots: [None; 3],
        }
    }
}

/// What the out-of-bounds path of an indexed access calls.
enum Slow {
    ArrayGet,
    ArraySet { word: u32, val: Value },
    StrByteAt,
}

struct Lower<'a, 'f> {
    b: FunctionBuilder<'f>,
    t: &'a Trace,
    env: &'a Env,
    cc: CallConv,
    /// The Cranelift value of every trace variable defined so far.
    vals: Vec<Option<Value>>,
    frame: Value,
    /// The loop header (the target of `Jump`).
    header: Block,
    /// The shadow-stack top at entry, when the trace reserves root slots.
    shadow_base: Option<Value>,
    roots: Roots,
    bufs: Buffers,
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
        self.reserve_shadow_slots();
        let t = self.t;
        let mut inputs = Vec::with_capacity(t.inputs.len());
        for (i, &v) in t.inputs.iter().enumerate() {
            let ty = cl_type(self.var_kind(v)?);
            let off = offset32(i as i64 * 8)?;
            inputs.push(self.b.ins().load(ty, trusted(), self.frame, off));
        }
        self.header = self.b.create_block();
        for &v in &t.inputs {
            let ty = cl_type(self.var_kind(v)?);
            let p = self.b.append_block_param(self.header, ty);
            self.vals[v as usize] = Some(p);
        }
        let args: Vec<BlockArg> = inputs.into_iter().map(BlockArg::Value).collect();
        self.b.ins().jump(self.header, &args);
        self.b.switch_to_block(self.header);
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
                let val = self.vals[v as usize].ok_or_else(|| format!("v{v} is not defined"))?;
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
        let v = op.results[i];
        let k = self.var_kind(v)?;
        if k != kind {
            return Err(format!("result v{v} is {k:?}, expected {kind:?}"));
        }
        self.vals[v as usize] = Some(val);
        Ok(())
    }

    // ---- operations -----------------------------------------------------------------------

    fn op(&mut self, k: usize, op: &Op) -> Result<(), String> {
        let unsupported = || format!("unsupported operator {}", op_name(&op.kind));
        match &op.kind {
            OpKind::IntBin(bop, it) => {
                arity(op, 2, 1)?;
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
            OpKind::IntCmp(bop, it) => {
                arity(op, 2, 1)?;
                let cc = scalar::int_cc(*bop, it.signed()).ok_or_else(unsupported)?;
                let x = self.nth(op, 0, Kind::Int)?;
                let y = self.nth(op, 1, Kind::Int)?;
                let r = scalar::int_cmp(&mut self.b, cc, x, y);
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
            OpKind::GetField { offset, ty } => {
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
            OpKind::ArrayGet { width, word, ty } => {
                arity(op, 2, 1)?;
                let arr = self.nth(op, 0, Kind::Ref)?;
                let idx = self.nth(op, 1, Kind::Int)?;
                let (addr, off) = self.element(arr, idx, *width, *word)?;
                self.bounds_check(arr, idx, ARRAY_LEN, Slow::ArrayGet);
                let r = self.b.ins().load(cl_type(ty.kind()), trusted(), addr, off);
                self.def(op, 0, r, ty.kind())
            }
            OpKind::ArraySet { width, word, ty } => {
                arity(op, 3, 0)?;
                let arr = self.nth(op, 0, Kind::Ref)?;
                let idx = self.nth(op, 1, Kind::Int)?;
                let val = self.nth(op, 2, ty.kind())?;
                let (addr, off) = self.element(arr, idx, *width, *word)?;
                let slow = Slow::ArraySet { word: *word, val };
                self.bounds_check(arr, idx, ARRAY_LEN, slow);
                self.b.ins().store(trusted(), val, addr, off);
                Ok(())
            }
            OpKind::StrByteAt => {
                arity(op, 2, 1)?;
                let s = self.nth(op, 0, Kind::Ref)?;
                let idx = self.nth(op, 1, Kind::Int)?;
                self.bounds_check(s, idx, STR_LEN, Slow::StrByteAt);
                let p = self.b.ins().iadd(s, idx);
                let r = self.b.ins().uload8(types::I64, trusted(), p, STR_BYTES);
                self.def(op, 0, r, Kind::Int)
            }
            OpKind::Call {
                helper,
                args,
                results,
                can_collect,
            } => self.call(k, op, *helper, args, results, *can_collect),
            OpKind::Guard {
                kind,
                index,
                fail_args,
            } => self.guard(op, *kind, *index, fail_args),
            OpKind::Jump => {
                let mut vals = Vec::with_capacity(op.args.len());
                for (a, &input) in op.args.iter().zip(&self.t.inputs) {
                    let want = self.var_kind(input)?;
                    vals.push(BlockArg::Value(self.arg(*a, want)?));
                }
                if vals.len() != self.t.inputs.len() {
                    return Err("argument count differs from the inputs".into());
                }
                self.b.ins().jump(self.header, &vals);
                Ok(())
            }
            OpKind::Exit { index } => self.exit(&op.args, *index),
        }
    }

    /// `Div`/`Rem` of [`ops::int_bin`]: a zero divisor is fatal; signed `MIN / -1` wraps
    /// (Cranelift's `sdiv` would trap, so a divisor of -1 is replaced by 1 and the quotient
    /// negated).
    fn div_rem(&mut self, op: BinOp, it: IntTy, x: Value, y: Value, y_const: Option<i64>) -> Value {
        if !matches!(y_const, Some(c) if c != 0) {
            let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
            let msg = ops::div_zero_message(op);
            self.fatal_if(zero, msg);
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

    /// The address (base value, offset) of word `word` of element `idx` of a `GcArray`.
    fn element(
        &mut self,
        arr: Value,
        idx: Value,
        width: u32,
        word: u32,
    ) -> Result<(Value, i32), String> {
        if word >= width {
            return Err(format!("word {word} out of an element of {width}"));
        }
        let scaled = self.b.ins().imul_imm_u(idx, i64::from(width) * 8);
        let base = self.b.ins().iadd(arr, scaled);
        Ok((base, offset32(ARRAY_WORDS + i64::from(word) * 8)?))
    }

    /// `if idx >=u obj.len { slow path (reports the error, never returns) }`.
    fn bounds_check(&mut self, obj: Value, idx: Value, len_off: i32, slow: Slow) {
        let len = self.b.ins().load(types::I64, trusted(), obj, len_off);
        let bad = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, idx, len);
        let (cold, ok) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(bad, cold, &[], ok, &[]);
        self.b.set_cold_block(cold);
        self.b.switch_to_block(cold);
        let w = types::I64;
        match slow {
            Slow::ArrayGet => {
                let out = self.buf(Buf::Elem);
                self.call_addr(self.env.array_get, &[w, w, w], &[], &[obj, idx, out]);
            }
            Slow::ArraySet { word, val } => {
                let buf = self.buf(Buf::Elem);
                self.b.ins().store(trusted(), val, buf, word as i32 * 8);
                self.call_addr(self.env.array_set, &[w, w, w], &[], &[obj, idx, buf]);
            }
            Slow::StrByteAt => {
                // Returns a byte, ignored: it reports the bad index and exits.
                self.call_addr(self.env.str_byte_at, &[w, w], &[], &[obj, idx]);
            }
        }
        self.b.ins().trap(NORETURN);
        self.b.switch_to_block(ok);
    }

    /// `if cond { env.fatal(msg) }`.
    fn fatal_if(&mut self, cond: Value, msg: &'static str) {
        let (cold, ok) = (self.b.create_block(), self.b.create_block());
        self.b.ins().brif(cond, cold, &[], ok, &[]);
        self.b.set_cold_block(cold);
        self.b.switch_to_block(cold);
        let p = self.b.ins().iconst(types::I64, msg.as_ptr() as i64);
        let n = self.b.ins().iconst(types::I64, msg.len() as i64);
        let w = types::I64;
        self.call_addr(self.env.fatal, &[w, w], &[], &[p, n]);
        self.b.ins().trap(NORETURN);
        self.b.switch_to_block(ok);
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
        let mut sig = Signature::new(self.cc);
        sig.params.extend(params.iter().map(|t| AbiParam::new(*t)));
        sig.returns
            .extend(returns.iter().map(|t| AbiParam::new(*t)));
        let sig = self.b.import_signature(sig);
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

    /// A helper call: arguments through a word buffer, results through another.
    fn call(
        &mut self,
        k: usize,
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
            self.store_roots(k);
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
    fn store_roots(&mut self, k: usize) {
        let Some(base) = self.shadow_base else {
            return;
        };
        let live = self.roots.live.remove(&k).unwrap_or_default();
        for i in 0..self.roots.slots {
            let v = match live.get(i) {
                Some(&var) => self.vals[var as usize].expect("live refs are defined"),
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
        self.b.set_cold_block(fail);
        self.b.switch_to_block(fail);
        self.exit(fail_args, index)?;
        self.b.switch_to_block(cont);
        Ok(())
    }

    /// Stores `args` into `frame[0..]`, pops the shadow-stack slots and returns `index`.
    fn exit(&mut self, args: &[Operand], index: u32) -> Result<(), String> {
        for (i, a) in args.iter().enumerate() {
            let (v, _) = self.value(*a)?;
            let off = offset32(i as i64 * 8)?;
            self.b.ins().store(trusted(), v, self.frame, off);
        }
        self.restore_shadow();
        let r = self.b.ins().iconst(types::I32, i64::from(index));
        self.b.ins().return_(&[r]);
        Ok(())
    }
}
