//! Calls from the VM into C functions whose signature is known only at run time, and C-callable
//! callbacks into the VM — machine code generated with Cranelift (no libffi, no hand-written
//! machine code).
//!
//! - A **call trampoline** for a signature [`FfiSig`] is a C function
//!   `extern "C" fn(fnptr: usize, ints: *const i64, floats: *const f64) -> u64` that loads the
//!   arguments from the two arrays (the k-th integer-class argument — integers and pointers, in
//!   order — from `ints[k]`, the k-th float-class argument from `floats[k]`), calls `fnptr` with
//!   the target's C calling convention and returns the result as raw 64 bits (integers sign- or
//!   zero-extended according to their C type, `f64` as its bits, `f32` promoted to `f64`, void
//!   as 0). See [`build_call_trampoline`].
//! - A **callback trampoline** is a C function with signature `sig` that stores its arguments in
//!   two stack buffers and calls the VM's `dispatch(id, ints, nints, floats, nfloats) -> u64` at
//!   an address fixed in the code, then converts the raw result to the C return type. See
//!   [`build_callback_trampoline`].
//!
//! Both use the target's default C calling convention, from the Cranelift ISA for the triple
//! (`SystemV` on Linux and x86-64 macOS, `AppleAarch64` on arm64 macOS).
//!
//! Variadic calls. Cranelift has no varargs support (wasmtime issue #1030), so variadic
//! arguments are declared as extra parameters of the callee's signature, after the C default
//! promotions (integers narrower than `int` become `int`, `f32` becomes `f64`):
//! - x86-64 SysV and aarch64 AAPCS64 (Linux) pass variadic arguments exactly like fixed ones, so
//!   they are ordinary parameters. On x86-64 a variadic callee also expects `%al` = an upper
//!   bound of the number of vector registers used, which Cranelift cannot set: a variadic call
//!   with float-class variadic arguments is refused on x86-64 (with integer-only variadic
//!   arguments `%al` is unspecified; callees only use it to decide whether to spill `xmm0-7`
//!   into the register save area, which is harmless).
//! - arm64 Apple passes every variadic argument on the stack in its own 8-byte slot (the
//!   workaround of rustc_codegen_cranelift, PR #1500): the parameter list is padded with dummy
//!   `i64` parameters until `x0`–`x7` are used and with dummy `f64` parameters until `v0`–`v7`
//!   are used, then the variadic arguments follow as `i64` (integers sign/zero-extended,
//!   pointers) and `f64`, so they land in consecutive 8-byte stack slots.
//! - Other conventions (Windows) refuse variadic signatures.
//!
//! Narrow integers (`i8`/`u8`/`i16`/`u16`) are declared with `sext`/`uext` on every target (arm64
//! Apple requires the caller to extend arguments narrower than 32 bits, and the callee to extend
//! such return values).
//!
//! Executable code: [`compile_call_trampoline`] and [`compile_callback_trampoline`] place the
//! code in a process-wide W^X code arena (one per [`crate::MemPolicy`], behind a mutex; see
//! `codemem`); the returned [`FfiCode`] keeps it alive.

use crate::codemem::{Chunk, CodeArena};
use crate::{isa, MemPolicy};
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::{
    types, AbiParam, Function, InstBuilder, MemFlagsData, Signature, StackSlotData, StackSlotKind,
    Type, UserFuncName, Value,
};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext};
use std::fmt;
use std::sync::{Arc, Mutex};
use target_lexicon::Architecture;

/// A C scalar type. Signature strings use one letter per type:
/// `v` void (return only), `b` i8, `B` u8, `h` i16, `H` u16, `i` i32, `I` u32, `l` i64,
/// `L` u64, `f` f32, `d` f64, `p` pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CType {
    Void,
    I8,
    U8,
    I16,
    U16,
    I32,
    U32,
    I64,
    U64,
    F32,
    F64,
    Ptr,
}

impl CType {
    /// `f32` or `f64` (float-class: passed in `floats`).
    pub fn is_float(self) -> bool {
        matches!(self, CType::F32 | CType::F64)
    }

    /// An integer or a pointer (integer-class: passed in `ints`).
    pub fn is_int_class(self) -> bool {
        !self.is_float() && self != CType::Void
    }

    /// Signed integer types.
    pub fn is_signed(self) -> bool {
        matches!(self, CType::I8 | CType::I16 | CType::I32 | CType::I64)
    }

    /// The type for a signature letter.
    pub fn from_letter(c: char) -> Option<CType> {
        Some(match c {
            'v' => CType::Void,
            'b' => CType::I8,
            'B' => CType::U8,
            'h' => CType::I16,
            'H' => CType::U16,
            'i' => CType::I32,
            'I' => CType::U32,
            'l' => CType::I64,
            'L' => CType::U64,
            'f' => CType::F32,
            'd' => CType::F64,
            'p' => CType::Ptr,
            _ => return None,
        })
    }

    /// The signature letter of this type.
    pub fn letter(self) -> char {
        match self {
            CType::Void => 'v',
            CType::I8 => 'b',
            CType::U8 => 'B',
            CType::I16 => 'h',
            CType::U16 => 'H',
            CType::I32 => 'i',
            CType::U32 => 'I',
            CType::I64 => 'l',
            CType::U64 => 'L',
            CType::F32 => 'f',
            CType::F64 => 'd',
            CType::Ptr => 'p',
        }
    }

    /// The Cranelift type (`None` for void).
    fn cl(self) -> Option<Type> {
        Some(match self {
            CType::Void => return None,
            CType::I8 | CType::U8 => types::I8,
            CType::I16 | CType::U16 => types::I16,
            CType::I32 | CType::U32 => types::I32,
            CType::I64 | CType::U64 | CType::Ptr => types::I64,
            CType::F32 => types::F32,
            CType::F64 => types::F64,
        })
    }

    /// The ABI parameter/return for this type: narrow integers carry their extension.
    fn abi(self) -> Option<AbiParam> {
        let t = self.cl()?;
        let p = AbiParam::new(t);
        Some(match self {
            CType::I8 | CType::I16 => p.sext(),
            CType::U8 | CType::U16 => p.uext(),
            _ => p,
        })
    }
}

/// A C function signature: `ret` and `args`; `args[nfixed..]` are variadic arguments
/// (`nfixed == args.len()` for a non-variadic function).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FfiSig {
    pub ret: CType,
    pub args: Vec<CType>,
    pub nfixed: usize,
}

impl FfiSig {
    /// Parses `"<ret>(<args>)"` with an optional `...` before the variadic arguments: `"i(p)"`
    /// is `int f(char*)`; `"i(pLp...ld)"` is `snprintf(char*, size_t, const char*, ...)` called
    /// with a long and a double; `"v()"` takes nothing. (`"i(p...)"`, a variadic function
    /// called without variadic arguments, is the same as `"i(p)"`.) Positions in error messages
    /// count characters from 0.
    pub fn parse(s: &str) -> Result<FfiSig, String> {
        let err = |m: String| Err(format!("bad FFI signature `{s}`: {m}"));
        let chars: Vec<char> = s.chars().collect();
        let Some(&r) = chars.first() else {
            return err("empty (expected `<ret>(<args>)`, e.g. `i(p)`)".into());
        };
        if r == '(' {
            return err("missing return type before `(`".into());
        }
        let Some(ret) = CType::from_letter(r) else {
            return err(format!("unknown type letter `{r}` at position 0"));
        };
        if chars.get(1) != Some(&'(') {
            return match chars.get(1) {
                None => err("missing `(` after the return type".into()),
                Some(c) => err(format!(
                    "expected `(` at position 1, found `{c}` (the return type is one letter)"
                )),
            };
        }
        let mut args = Vec::new();
        let mut nfixed = None;
        let mut i = 2;
        loop {
            let Some(&c) = chars.get(i) else {
                return err("missing `)`".into());
            };
            match c {
                ')' => break,
                '.' => {
                    if chars.get(i..i + 3) != Some(&['.', '.', '.'][..]) {
                        return err(format!("incomplete `...` at position {i}"));
                    }
                    if nfixed.is_some() {
                        return err(format!("second `...` at position {i}"));
                    }
                    nfixed = Some(args.len());
                    i += 3;
                    continue;
                }
                'v' => {
                    return err(format!(
                        "`v` (void) at position {i} is only valid as the return type"
                    ))
                }
                _ => match CType::from_letter(c) {
                    Some(t) => args.push(t),
                    None => return err(format!("unknown type letter `{c}` at position {i}")),
                },
            }
            i += 1;
        }
        if i + 1 != chars.len() {
            return err(format!(
                "unexpected `{}` after `)` at position {}",
                chars[i + 1..].iter().collect::<String>(),
                i + 1
            ));
        }
        let nfixed = nfixed.unwrap_or(args.len());
        Ok(FfiSig { ret, args, nfixed })
    }

    /// Whether some arguments are variadic.
    pub fn is_variadic(&self) -> bool {
        self.nfixed < self.args.len()
    }

    /// Numbers of integer-class and float-class arguments (the lengths of `ints` and `floats`).
    pub fn arg_counts(&self) -> (usize, usize) {
        let f = self.args.iter().filter(|t| t.is_float()).count();
        (self.args.len() - f, f)
    }

    fn check(&self) -> Result<(), String> {
        if self.nfixed > self.args.len() {
            return Err(format!(
                "FFI signature `{self}`: nfixed {} > {} arguments",
                self.nfixed,
                self.args.len()
            ));
        }
        if let Some(k) = self.args.iter().position(|t| *t == CType::Void) {
            return Err(format!("FFI signature `{self}`: argument {k} is void"));
        }
        Ok(())
    }
}

/// The signature string ([`FfiSig::parse`] reads it back).
impl fmt::Display for FfiSig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        s.push(self.ret.letter());
        s.push('(');
        for (k, t) in self.args.iter().enumerate() {
            if k == self.nfixed {
                s.push_str("...");
            }
            s.push(t.letter());
        }
        s.push(')');
        f.write_str(&s)
    }
}

/// The ISA for `triple`, built once per triple.
fn isa_for(triple: &str) -> Result<OwnedTargetIsa, String> {
    static ISAS: Mutex<Vec<(String, OwnedTargetIsa)>> = Mutex::new(Vec::new());
    let mut isas = ISAS.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, i)) = isas.iter().find(|(t, _)| t == triple) {
        return Ok(i.clone());
    }
    let i = isa::make_isa(triple)?;
    isas.push((triple.to_string(), i.clone()));
    Ok(i)
}

fn flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// `v` (an `i64` holding a value of C type `t`) converted to the Cranelift type of `t`.
fn from_i64(b: &mut FunctionBuilder, t: CType, v: Value) -> Value {
    match t.cl().expect("not void") {
        types::I64 => v,
        ty => b.ins().ireduce(ty, v),
    }
}

/// An integer value of C type `t` extended to `i64` according to its signedness.
fn to_i64(b: &mut FunctionBuilder, t: CType, v: Value) -> Value {
    match t {
        CType::I8 | CType::I16 | CType::I32 => b.ins().sextend(types::I64, v),
        CType::U8 | CType::U16 | CType::U32 => b.ins().uextend(types::I64, v),
        _ => v,
    }
}

/// The callee's signature and how each argument of `sig` is passed: for each argument, the
/// Cranelift type it is converted to (after promotions; `None` = its own type). Also the
/// number of dummy `i64` and `f64` parameters inserted before the variadic arguments.
struct CallPlan {
    callee: Signature,
    /// Per argument of `sig`: the type it is passed as.
    passed: Vec<PassAs>,
    dummy_ints: usize,
    dummy_floats: usize,
}

#[derive(Clone, Copy, Debug)]
enum PassAs {
    /// Its own C type.
    Own,
    /// Promoted integer: extended to `i32` (C `int`; default promotions).
    Int32,
    /// Integer extended to `i64` (an arm64 Apple variadic slot).
    Int64,
    /// `f32` promoted to `f64`.
    F64,
}

fn call_plan(arch: Architecture, cc: CallConv, sig: &FfiSig) -> Result<CallPlan, String> {
    sig.check()?;
    let var = &sig.args[sig.nfixed..];
    if !var.is_empty() {
        match cc {
            CallConv::SystemV | CallConv::AppleAarch64 => {}
            _ => {
                return Err(format!(
                    "FFI signature `{sig}`: variadic calls are not supported with the {cc} calling convention"
                ))
            }
        }
        if arch == Architecture::X86_64 && var.iter().any(|t| t.is_float()) {
            return Err(format!(
                "FFI signature `{sig}`: variadic float arguments are not supported on x86-64 \
                 (the callee expects %al = number of vector registers used, which Cranelift \
                 cannot set); pass only integer/pointer variadic arguments"
            ));
        }
    }
    let apple = cc == CallConv::AppleAarch64;
    let mut callee = Signature::new(cc);
    let mut passed = Vec::with_capacity(sig.args.len());
    for t in &sig.args[..sig.nfixed] {
        callee.params.push(t.abi().expect("not void"));
        passed.push(PassAs::Own);
    }
    let (mut dummy_ints, mut dummy_floats) = (0, 0);
    if apple && !var.is_empty() {
        let fixed = &sig.args[..sig.nfixed];
        let nf = fixed.iter().filter(|t| t.is_float()).count();
        let ni = fixed.len() - nf;
        dummy_ints = 8usize.saturating_sub(ni);
        dummy_floats = 8usize.saturating_sub(nf);
        callee
            .params
            .extend(std::iter::repeat_n(AbiParam::new(types::I64), dummy_ints));
        callee
            .params
            .extend(std::iter::repeat_n(AbiParam::new(types::F64), dummy_floats));
    }
    for t in var {
        let (p, how) = if t.is_float() {
            (AbiParam::new(types::F64), PassAs::F64)
        } else if apple {
            (AbiParam::new(types::I64), PassAs::Int64)
        } else {
            match t {
                CType::I8 | CType::I16 => (AbiParam::new(types::I32).sext(), PassAs::Int32),
                CType::U8 | CType::U16 => (AbiParam::new(types::I32).sext(), PassAs::Int32),
                _ => (t.abi().expect("not void"), PassAs::Own),
            }
        };
        callee.params.push(p);
        passed.push(how);
    }
    if let Some(r) = sig.ret.abi() {
        callee.returns.push(r);
    }
    Ok(CallPlan {
        callee,
        passed,
        dummy_ints,
        dummy_floats,
    })
}

/// The signature of every call trampoline:
/// `extern "C" fn(fnptr: usize, ints: *const i64, floats: *const f64) -> u64`.
fn call_trampoline_signature(cc: CallConv) -> Signature {
    let mut s = Signature::new(cc);
    s.params.extend([AbiParam::new(types::I64); 3]);
    s.returns.push(AbiParam::new(types::I64));
    s
}

fn build_call(isa: &OwnedTargetIsa, sig: &FfiSig) -> Result<Function, String> {
    let (arch, cc) = (isa.triple().architecture, isa.default_call_conv());
    let plan = call_plan(arch, cc, sig)?;
    let mut func = Function::with_name_signature(
        UserFuncName::testcase("ffi_call"),
        call_trampoline_signature(cc),
    );
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let p = b.block_params(entry).to_vec();
    let (fnptr, ints, floats) = (p[0], p[1], p[2]);
    let (mut ki, mut kf) = (0i32, 0i32);
    let mut fixed = Vec::new();
    let mut variadic = Vec::new();
    for (k, (t, how)) in sig.args.iter().zip(&plan.passed).enumerate() {
        let v = if t.is_float() {
            let x = b.ins().load(types::F64, flags(), floats, kf * 8);
            kf += 1;
            match (t, how) {
                (CType::F32, PassAs::Own) => b.ins().fdemote(types::F32, x),
                // f32 promoted to f64 (the value is demoted first: it is an f32 argument)
                (CType::F32, _) => {
                    let s = b.ins().fdemote(types::F32, x);
                    b.ins().fpromote(types::F64, s)
                }
                _ => x,
            }
        } else {
            let x = b.ins().load(types::I64, flags(), ints, ki * 8);
            ki += 1;
            let own = from_i64(&mut b, *t, x);
            match how {
                PassAs::Own => own,
                PassAs::Int32 => {
                    let w = to_i64(&mut b, *t, own);
                    b.ins().ireduce(types::I32, w)
                }
                PassAs::Int64 => to_i64(&mut b, *t, own),
                PassAs::F64 => unreachable!("integer passed as f64"),
            }
        };
        if k < sig.nfixed {
            fixed.push(v);
        } else {
            variadic.push(v);
        }
    }
    let mut args = fixed;
    if plan.dummy_ints + plan.dummy_floats > 0 {
        let zi = b.ins().iconst(types::I64, 0);
        let zf = b.ins().f64const(0.0);
        args.extend(std::iter::repeat_n(zi, plan.dummy_ints));
        args.extend(std::iter::repeat_n(zf, plan.dummy_floats));
    }
    args.extend(variadic);
    let sref = b.import_signature(plan.callee);
    let call = b.ins().call_indirect(sref, fnptr, &args);
    let res = b.inst_results(call).first().copied();
    let out = match (sig.ret, res) {
        (CType::Void, _) | (_, None) => b.ins().iconst(types::I64, 0),
        (CType::F64, Some(r)) => b.ins().bitcast(types::I64, MemFlagsData::new(), r),
        (CType::F32, Some(r)) => {
            let d = b.ins().fpromote(types::F64, r);
            b.ins().bitcast(types::I64, MemFlagsData::new(), d)
        }
        (t, Some(r)) => to_i64(&mut b, t, r),
    };
    b.ins().return_(&[out]);
    b.finalize(isa.frontend_config());
    Ok(func)
}

/// The signature of the VM's dispatch function:
/// `extern "C" fn(id: i64, ints: *const i64, nints: u64, floats: *const f64, nfloats: u64) -> u64`.
fn dispatch_signature(cc: CallConv) -> Signature {
    let mut s = Signature::new(cc);
    s.params.extend([AbiParam::new(types::I64); 5]);
    s.returns.push(AbiParam::new(types::I64));
    s
}

fn build_callback(
    isa: &OwnedTargetIsa,
    sig: &FfiSig,
    id: i64,
    dispatch: usize,
) -> Result<Function, String> {
    let cc = isa.default_call_conv();
    sig.check()?;
    if sig.is_variadic() {
        return Err(format!(
            "FFI signature `{sig}`: a callback cannot be variadic"
        ));
    }
    let mut csig = Signature::new(cc);
    csig.params
        .extend(sig.args.iter().map(|t| t.abi().expect("not void")));
    if let Some(r) = sig.ret.abi() {
        csig.returns.push(r);
    }
    let mut func = Function::with_name_signature(UserFuncName::testcase("ffi_callback"), csig);
    let mut fctx = FunctionBuilderContext::new();
    let mut b = FunctionBuilder::new(&mut func, &mut fctx);
    let entry = b.create_block();
    b.append_block_params_for_function_params(entry);
    b.switch_to_block(entry);
    b.seal_block(entry);
    let params = b.block_params(entry).to_vec();
    let (nints, nfloats) = sig.arg_counts();
    let slot = |b: &mut FunctionBuilder, n: usize| {
        let size = (n.max(1) * 8) as u32;
        b.create_sized_stack_slot(StackSlotData::new(StackSlotKind::ExplicitSlot, size, 3))
    };
    let islot = slot(&mut b, nints);
    let fslot = slot(&mut b, nfloats);
    let (mut ki, mut kf) = (0i32, 0i32);
    for (t, v) in sig.args.iter().zip(params) {
        if t.is_float() {
            let x = if *t == CType::F32 {
                b.ins().fpromote(types::F64, v)
            } else {
                v
            };
            b.ins().stack_store(types::I64, x, fslot, kf * 8);
            kf += 1;
        } else {
            let x = to_i64(&mut b, *t, v);
            b.ins().stack_store(types::I64, x, islot, ki * 8);
            ki += 1;
        }
    }
    let iaddr = b.ins().stack_addr(types::I64, islot, 0);
    let faddr = b.ins().stack_addr(types::I64, fslot, 0);
    let idv = b.ins().iconst(types::I64, id);
    let ni = b.ins().iconst(types::I64, nints as i64);
    let nf = b.ins().iconst(types::I64, nfloats as i64);
    let callee = b.ins().iconst(types::I64, dispatch as i64);
    let sref = b.import_signature(dispatch_signature(cc));
    let call = b
        .ins()
        .call_indirect(sref, callee, &[idv, iaddr, ni, faddr, nf]);
    let raw = b.inst_results(call)[0];
    match sig.ret {
        CType::Void => {
            b.ins().return_(&[]);
        }
        CType::F64 => {
            let r = b.ins().bitcast(types::F64, MemFlagsData::new(), raw);
            b.ins().return_(&[r]);
        }
        CType::F32 => {
            let d = b.ins().bitcast(types::F64, MemFlagsData::new(), raw);
            let r = b.ins().fdemote(types::F32, d);
            b.ins().return_(&[r]);
        }
        t => {
            let r = from_i64(&mut b, t, raw);
            b.ins().return_(&[r]);
        }
    }
    b.finalize(isa.frontend_config());
    Ok(func)
}

/// Call trampoline: a function with the target's default C calling convention
/// `extern "C" fn(fnptr: usize, ints: *const i64, floats: *const f64) -> u64` that calls
/// `fnptr` with signature `sig` in the target's C calling convention. The k-th integer-class
/// argument (integers and pointers, in order) is read from `ints[k]` (truncated to its C type),
/// the k-th float-class argument from `floats[k]` (demoted to f32 for `f`). The result is
/// returned as raw 64 bits: integers sign- or zero-extended to 64 bits according to their C
/// type, pointers as is, f64 as its bits, f32 promoted to f64 then its bits, void as 0.
/// Variadic arguments follow the C default promotions (see the module documentation for how
/// each target passes them); variadic float arguments are refused on x86-64.
pub fn build_call_trampoline(triple: &str, sig: &FfiSig) -> Result<Function, String> {
    let isa = isa_for(triple)?;
    build_call(&isa, sig)
}

/// Callback trampoline: a function with C signature `sig` (no variadic arguments) that stores
/// its integer-class arguments (extended to i64) in a stack buffer `ints` and float-class
/// arguments (promoted to f64) in `floats`, then calls
/// `extern "C" fn dispatch(id: i64, ints: *const i64, nints: u64, floats: *const f64, nfloats: u64) -> u64`
/// at the absolute address `dispatch` (a constant in the code), and converts the raw 64-bit
/// result to `sig.ret` (truncate integers; f64 from bits; f32 = f64 from bits demoted).
pub fn build_callback_trampoline(
    triple: &str,
    sig: &FfiSig,
    id: i64,
    dispatch: usize,
) -> Result<Function, String> {
    let isa = isa_for(triple)?;
    build_callback(&isa, sig, id, dispatch)
}

/// Compiles `func` for `isa`: the machine code and, if `want_disasm`, Cranelift's VCode text.
fn codegen(
    isa: &OwnedTargetIsa,
    func: Function,
    what: &str,
    want_disasm: bool,
) -> Result<(Vec<u8>, Option<String>), String> {
    let mut ctx = Context::for_function(func);
    ctx.set_disasm(want_disasm);
    let compiled = ctx
        .compile(&**isa, &mut ControlPlane::default())
        .map_err(|e| {
            format!(
                "{what}: cranelift: {}",
                cranelift_codegen::print_errors::pretty_error(e.func, e.inner)
            )
        })?;
    if !compiled.buffer.relocs().is_empty() {
        return Err(format!("{what}: unexpected relocations"));
    }
    let text = want_disasm.then(|| compiled.vcode.clone().unwrap_or_default());
    Ok((compiled.code_buffer().to_vec(), text))
}

/// Compiled trampoline code in executable memory. Dropping it releases the code (which must
/// not run afterwards); the pages may stay mapped while other code of the same chunk lives.
pub struct FfiCode {
    entry: usize,
    size: usize,
    _chunk: Arc<Chunk>,
}

impl FfiCode {
    /// The address of the trampoline (a C function).
    pub fn entry(&self) -> usize {
        self.entry
    }

    /// The size of its machine code in bytes.
    pub fn code_size(&self) -> usize {
        self.size
    }
}

impl fmt::Debug for FfiCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FfiCode")
            .field("entry", &(self.entry as *const u8))
            .field("code_size", &self.size)
            .finish_non_exhaustive()
    }
}

/// The process-wide code arenas for FFI trampolines, one per policy.
static ARENAS: Mutex<Vec<(MemPolicy, CodeArena)>> = Mutex::new(Vec::new());

/// The ISA for `triple`, checked to be the host's (the code will run here).
fn host_isa(triple: &str) -> Result<OwnedTargetIsa, String> {
    let isa = isa_for(triple)?;
    let host = target_lexicon::Triple::host();
    if isa.triple().architecture != host.architecture
        || isa.default_call_conv() != CallConv::triple_default(&host)
    {
        return Err(format!("ffi: cannot run code for `{triple}` on `{host}`"));
    }
    Ok(isa)
}

/// Places `code` in executable memory under the policy of `triple`.
fn place(triple: &str, code: &[u8]) -> Result<FfiCode, String> {
    let policy = MemPolicy::for_target(triple);
    let mut arenas = ARENAS.lock().unwrap_or_else(|e| e.into_inner());
    let k = match arenas.iter().position(|(p, _)| *p == policy) {
        Some(k) => k,
        None => {
            arenas.push((policy, CodeArena::new(policy)));
            arenas.len() - 1
        }
    };
    let (chunk, p) = arenas[k]
        .1
        .alloc(code.len(), |buf, _| buf.copy_from_slice(code))?;
    Ok(FfiCode {
        entry: p as usize,
        size: code.len(),
        _chunk: chunk,
    })
}

/// Compiles the call trampoline for `sig` (see [`build_call_trampoline`]) into executable W^X
/// memory. `triple` must be the host's.
pub fn compile_call_trampoline(triple: &str, sig: &FfiSig) -> Result<FfiCode, String> {
    let isa = host_isa(triple)?;
    let func = build_call(&isa, sig)?;
    let (code, _) = codegen(&isa, func, &format!("ffi call `{sig}`"), false)?;
    place(triple, &code)
}

/// Compiles the callback trampoline (see [`build_callback_trampoline`]) into executable W^X
/// memory. `triple` must be the host's.
pub fn compile_callback_trampoline(
    triple: &str,
    sig: &FfiSig,
    id: i64,
    dispatch: usize,
) -> Result<FfiCode, String> {
    let isa = host_isa(triple)?;
    let func = build_callback(&isa, sig, id, dispatch)?;
    let (code, _) = codegen(&isa, func, &format!("ffi callback `{sig}`"), false)?;
    place(triple, &code)
}

/// The target's disassembly (Cranelift's VCode text) of the call trampoline for `sig`, for
/// any supported triple (nothing is executed).
pub fn call_trampoline_disasm(triple: &str, sig: &FfiSig) -> Result<String, String> {
    let isa = isa_for(triple)?;
    let func = build_call(&isa, sig)?;
    let (_, text) = codegen(&isa, func, &format!("ffi call `{sig}`"), true)?;
    Ok(text.unwrap_or_default())
}

/// The same for the callback trampoline.
pub fn callback_trampoline_disasm(
    triple: &str,
    sig: &FfiSig,
    id: i64,
    dispatch: usize,
) -> Result<String, String> {
    let isa = isa_for(triple)?;
    let func = build_callback(&isa, sig, id, dispatch)?;
    let (_, text) = codegen(&isa, func, &format!("ffi callback `{sig}`"), true)?;
    Ok(text.unwrap_or_default())
}
