//! The AOT backend: low-level flow graphs → Cranelift IR → one object file for the target.
//!
//! Every DSL function becomes a Cranelift function with the target's default calling convention
//! (flattened parameters and results; multiple results go through Cranelift's implicit return
//! area). Each low-level variable is a Cranelift `Variable`; a link assigns the target block's
//! parameter variables (a parallel copy) and jumps, and the frontend's SSA construction builds the
//! block parameters. Built-in operations become calls into the runtime (`docs/runtime-abi.md`);
//! container elements travel through stack buffers of 64-bit words.
//!
//! GC roots: a backward liveness analysis finds the references live across a call that may
//! collect; each gets a slot in the function's shadow-stack frame and is stored there when it
//! is defined. The collector is non-moving, so values need no reload after a call.
//!
//! Functions are built serially and compiled in parallel (rayon), then defined in the object.

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    types, AbiParam, Function, InstBuilder, MemFlagsData, Signature, StackSlotData, StackSlotKind,
    TrapCode, Type, UserFuncName, Value,
};
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};
use cranelift_codegen::Context;
use cranelift_frontend::{FunctionBuilder, FunctionBuilderContext, Switch, Variable};
use cranelift_module::{DataDescription, DataId, FuncId, Linkage, Module, ModuleReloc};
use cranelift_object::{ObjectBuilder, ObjectModule};
use rayon::prelude::*;
use std::collections::{BTreeSet, HashMap};
use vmkit_jit_codewriter::export::HelperSpec;
use vmkit_translator::flow::{ContainerInfo, Exit, LlConst, LlGraph, LlOp, LlTy, MapKeyKind, Var};
use vmkit_translator::lower::LlProgram;
use vmkit_translator::program::FnId;
use vmkit_translator::target::{CallConv as SpecCallConv, TargetSpec};
use vmkit_translator::thir::{BinOp, Builtin};
use vmkit_translator::ty::IntTy;

/// Alignment of every generated function. Cranelift asks for as little as 1 byte on x86-64,
/// and where a hot interpreter loop falls relative to cache lines changes run times by up to
/// 14% (bf on life1d.b). With 64, identical functions (the portal's hook-less copy in a JIT
/// build and the portal of a `--no-jit` build) get identical layouts, so JIT-off runs measure
/// the same code.
const FUNCTION_ALIGN: u64 = 64;

/// Type ids of user objects start here (see docs/runtime-abi.md).
pub const FIRST_USER_TYPE: u32 = 16;
const STR_TYPE: u32 = 1;
const FLAG_STATIC: u32 = 2;
/// Header flag a generational collector sets on objects that need the write barrier.
const FLAG_BARRIER: i64 = 4;
/// Layouts the backend accesses inline (docs/runtime-abi.md, 64-bit targets).
const STR_LEN: i32 = 8;
const STR_BYTES: i32 = 16;
const ARRAY_LEN: i32 = 24;
const ARRAY_WORDS: i32 = 32;

/// The result of AOT compilation.
pub struct AotOutput {
    /// The object file bytes.
    pub object: Vec<u8>,
    /// Cranelift IR of every function (for `--dump clif`), as (name, text).
    pub clif: Vec<(String, String)>,
}

/// Builds the Cranelift ISA for a target spec.
pub fn make_isa(spec: &TargetSpec) -> Result<OwnedTargetIsa, String> {
    let triple: target_lexicon::Triple = spec
        .triple
        .parse()
        .map_err(|e| format!("bad triple `{}`: {e}", spec.triple))?;
    let mut flags = settings::builder();
    let set = |f: &mut settings::Builder, k: &str, v: &str| {
        f.set(k, v)
            .map_err(|e| format!("cranelift setting {k}={v}: {e}"))
    };
    set(&mut flags, "opt_level", "speed")?;
    set(&mut flags, "is_pic", "true")?;
    set(&mut flags, "preserve_frame_pointers", "true")?;
    set(&mut flags, "enable_multi_ret_implicit_sret", "true")?;
    let isa = cranelift_codegen::isa::lookup(triple)
        .map_err(|e| format!("no Cranelift backend for `{}`: {e}", spec.triple))?;
    isa.finish(settings::Flags::new(flags))
        .map_err(|e| format!("cannot configure Cranelift for `{}`: {e}", spec.triple))
}

fn call_conv(spec: &TargetSpec) -> CallConv {
    match spec.calling_convention {
        SpecCallConv::SystemV => CallConv::SystemV,
        SpecCallConv::AppleAarch64 => CallConv::AppleAarch64,
        SpecCallConv::WindowsFastcall => CallConv::WindowsFastcall,
    }
}

fn cl_ty(t: LlTy, ptr: Type) -> Type {
    match t {
        LlTy::Bool => types::I8,
        LlTy::Int(IntTy::U8) => types::I8,
        LlTy::Int(IntTy::U32 | IntTy::I32) => types::I32,
        LlTy::Int(IntTy::Usize) => ptr,
        LlTy::Int(_) => types::I64,
        LlTy::F64 => types::F64,
        LlTy::Ref => ptr,
    }
}

/// An ABI parameter, extended by the caller when narrower than 32 bits (Apple arm64 requires it;
/// harmless elsewhere).
fn abi_param(t: Type, signed: bool) -> AbiParam {
    let p = AbiParam::new(t);
    if t.bits() < 32 && t.is_int() {
        if signed {
            p.sext()
        } else {
            p.uext()
        }
    } else {
        p
    }
}

fn is_signed(t: LlTy) -> bool {
    matches!(t, LlTy::Int(it) if it.signed())
}

struct RtSig {
    params: Vec<Type>,
    results: Vec<Type>,
}

fn rt_sig(name: &str, ptr: Type) -> RtSig {
    use types::{F64, I32, I64, I8};
    let p = ptr;
    let (params, results): (Vec<Type>, Vec<Type>) = match name {
        "vmkit_new" => (vec![I32], vec![p]),
        "vmkit_write_barrier" => (vec![p], vec![]),
        "vmkit_quasi_immut_written" => (vec![p, I32], vec![]),
        "vmkit_fatal" => (vec![p, I64], vec![]),
        "vmkit_stack_overflow" => (vec![], vec![]),
        "vmkit_host_call" => (vec![p, I64, p, p, I32, I8, p], vec![]),
        "vmkit_str_len" | "vmkit_sb_len" | "vmkit_array_len" | "vmkit_list_len"
        | "vmkit_map_len" => (vec![p], vec![I64]),
        "vmkit_str_byte_at" => (vec![p, I64], vec![I8]),
        "vmkit_str_concat" => (vec![p, p], vec![p]),
        "vmkit_str_slice" => (vec![p, I64, I64], vec![p]),
        "vmkit_str_repeat" => (vec![p, I64], vec![p]),
        "vmkit_str_find" => (vec![p, p, I64, p], vec![I8]),
        "vmkit_str_starts_with" | "vmkit_str_ends_with" | "vmkit_str_eq" => (vec![p, p], vec![I8]),
        "vmkit_str_hash" => (vec![p], vec![I64]),
        "vmkit_str_compare" => (vec![p, p], vec![I64]),
        "vmkit_str_parse_i64" | "vmkit_str_parse_f64" => (vec![p, p], vec![I8]),
        "vmkit_str_from_i64" | "vmkit_str_from_u64" => (vec![I64], vec![p]),
        "vmkit_str_from_f64" => (vec![F64], vec![p]),
        "vmkit_str_from_byte" => (vec![I8], vec![p]),
        "vmkit_sb_new" => (vec![], vec![p]),
        "vmkit_sb_push_str" => (vec![p, p], vec![]),
        "vmkit_sb_push_byte" => (vec![p, I8], vec![]),
        "vmkit_sb_build" => (vec![p], vec![p]),
        "vmkit_array_new" => (vec![I64, I32, I64, p], vec![p]),
        "vmkit_array_get" | "vmkit_list_get" | "vmkit_list_remove" | "vmkit_map_key_at"
        | "vmkit_map_value_at" => (vec![p, I64, p], vec![]),
        "vmkit_array_set" | "vmkit_list_set" | "vmkit_list_insert" => (vec![p, I64, p], vec![]),
        "vmkit_list_new" => (vec![I32, I64, I64], vec![p]),
        "vmkit_list_push" => (vec![p, p], vec![]),
        "vmkit_list_pop" => (vec![p, p], vec![I8]),
        "vmkit_list_truncate" => (vec![p, I64], vec![]),
        "vmkit_list_clear" | "vmkit_map_clear" | "vmkit_print" | "vmkit_eprint" => {
            (vec![p], vec![])
        }
        "vmkit_map_new" => (vec![I32, I64, I32, I64, I32, p, p], vec![p]),
        "vmkit_map_get" | "vmkit_map_remove" => (vec![p, p, p], vec![I8]),
        "vmkit_map_contains" => (vec![p, p], vec![I8]),
        "vmkit_map_insert" => (vec![p, p, p, p], vec![I8]),
        "vmkit_write_byte" => (vec![I8], vec![]),
        "vmkit_read_byte" => (vec![], vec![I64]),
        "vmkit_read_file" => (vec![p], vec![p]),
        "vmkit_write_file" => (vec![p, p], vec![I8]),
        "vmkit_flush" => (vec![], vec![]),
        "vmkit_f64_sin" | "vmkit_f64_cos" | "vmkit_f64_exp" | "vmkit_f64_ln" => {
            (vec![F64], vec![F64])
        }
        "vmkit_f64_powf" | "vmkit_f64_min" | "vmkit_f64_max" | "fmod" => {
            (vec![F64, F64], vec![F64])
        }
        "vmkit_f64_powi" => (vec![F64, I32], vec![F64]),
        "vmkit_jit_can_enter" | "vmkit_jit_portal_entry" => (vec![I32, p, I32], vec![I32]),
        // foreign functions (runtime/src/ffi.rs); addresses are pointer-sized integers
        "vmkit_ffi_open" | "vmkit_ffi_to_cstr" => (vec![p], vec![p]),
        "vmkit_ffi_symbol" => (vec![p, p], vec![p]),
        "vmkit_ffi_error" => (vec![], vec![p]),
        "vmkit_ffi_call" => (vec![p, p, p, p], vec![I64]),
        "vmkit_ffi_call_f64" => (vec![p, p, p, p], vec![F64]),
        "vmkit_ffi_malloc" => (vec![p], vec![p]),
        "vmkit_ffi_free" => (vec![p], vec![]),
        "vmkit_ffi_peek" => (vec![p, I8], vec![I64]),
        "vmkit_ffi_poke" => (vec![p, I8, I64], vec![]),
        "vmkit_ffi_peek_f64" => (vec![p, I8], vec![F64]),
        "vmkit_ffi_poke_f64" => (vec![p, I8, F64], vec![]),
        "vmkit_ffi_from_cstr" => (vec![p], vec![p]),
        "vmkit_ffi_callback" => (vec![p, I64, p], vec![p]),
        other => panic!("unknown runtime function {other}"),
    };
    RtSig { params, results }
}

/// Builtins that never allocate nor call back into generated code: not GC points.
fn builtin_may_collect(b: Builtin) -> bool {
    use Builtin::*;
    !matches!(
        b,
        StrLen
            | StrByteAt
            | StrHash
            | StrCompare
            | StrEq
            | StrStartsWith
            | StrEndsWith
            | StrFind
            | ArrayLen
            | ArrayGet
            | ArraySet
            | ListLen
            | ListGet
            | ListSet
            | ListPop
            | ListRemove
            | ListTruncate
            | ListClear
            | MapLen
            | MapKeyAt
            | MapValueAt
            | SbLen
            | GcPtrEq
            | Print
            | EPrint
            | WriteByte
            | ReadByte
            | Flush
            | WriteFile
            | FSqrt
            | FFloor
            | FCeil
            | FAbs
            | FSin
            | FCos
            | FExp
            | FLn
            | FPowf
            | FPowi
            | FMin
            | FMax
            | FIsNan
            | IntAbs
            | IntMin
            | IntMax
            | Promote
            | WeAreJitted
            | CheckedAdd
            | CheckedSub
            | CheckedMul
            | OverflowingAdd
            | OverflowingSub
            | OverflowingMul
            | WrappingAdd
            | WrappingSub
            | WrappingMul
    )
}

fn may_collect(op: &LlOp) -> bool {
    match op {
        LlOp::Call(_) | LlOp::Host(_) | LlOp::New(..) | LlOp::NewContainer(..) => true,
        // `vmkit_jit_can_enter` may run compiled code and allocate, but then it answers 1 or 2
        // and the merge point's values are reloaded from its buffer (or the portal returns):
        // values held across the call are only used after an answer of 0, given before
        // anything could allocate. So nothing needs a root for it.
        LlOp::CanEnterJit(_) => false,
        LlOp::Builtin(b, kind) => {
            builtin_may_collect(*b) || matches!(kind, Some(MapKeyKind::User { .. }))
        }
        _ => false,
    }
}

/// The DSL function name as part of a local symbol (`interp::execute` → `interp__execute`), so
/// that profilers and debuggers name generated code.
fn symbol_part(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// Shadow-stack slots of a function: the references live across a call that may collect, each
/// with a slot index, and the number of slots. References whose live ranges do not interfere
/// share a slot (greedy colouring of the interference graph), so a big dispatch function zeroes
/// and reserves a handful of slots instead of one per reference. Sharing is safe because a
/// slot only ever holds null or a reference stored by this frame, and whatever it holds is kept
/// alive by the collector while the frame exists: a stale value is a valid object.
fn shadow_slots(g: &LlGraph) -> (HashMap<Var, u32>, u32) {
    let n = g.blocks.len();
    let is_ref = |v: &Var| *g.ty(*v) == LlTy::Ref;
    let mut live_in: Vec<BTreeSet<Var>> = vec![BTreeSet::new(); n];
    let mut rooted: BTreeSet<Var> = BTreeSet::new();
    let succ_uses = |b: usize, live_in: &Vec<BTreeSet<Var>>| -> BTreeSet<Var> {
        let mut out = BTreeSet::new();
        for l in LlGraph::successors(&g.blocks[b]) {
            out.extend(live_in[l.target.0 as usize].iter().copied());
            out.extend(l.args.iter().copied().filter(is_ref));
        }
        match &g.blocks[b].exit {
            Exit::If { cond, .. } => {
                out.insert(*cond);
            }
            Exit::Switch { value, .. } => {
                out.insert(*value);
            }
            Exit::Return(vs) => out.extend(vs.iter().copied()),
            _ => {}
        }
        out.retain(is_ref);
        out
    };
    let mut changed = true;
    while changed {
        changed = false;
        for b in (0..n).rev() {
            let mut live = succ_uses(b, &live_in);
            for ins in g.blocks[b].ops.iter().rev() {
                for r in &ins.results {
                    live.remove(r);
                }
                if may_collect(&ins.op) {
                    rooted.extend(live.iter().copied());
                    if matches!(ins.op, LlOp::New(..)) {
                        rooted.extend(ins.args.iter().copied().filter(is_ref));
                    }
                }
                live.extend(ins.args.iter().copied().filter(is_ref));
            }
            for p in &g.blocks[b].params {
                live.remove(p);
            }
            if live != live_in[b] {
                live_in[b] = live;
                changed = true;
            }
        }
    }
    if rooted.is_empty() {
        return (HashMap::new(), 0);
    }
    // Interference among rooted references: a definition interferes with everything rooted
    // that is live right after it (for `New`, its rooted arguments too: they are stored
    // before the allocation). Block parameters are stored by the predecessor before it
    // branches, so they interfere with everything live out of any predecessor (on any edge).
    let mut adj: HashMap<Var, BTreeSet<Var>> =
        rooted.iter().map(|v| (*v, BTreeSet::new())).collect();
    let clash = |a: Var, b: Var, adj: &mut HashMap<Var, BTreeSet<Var>>| {
        if a != b && rooted.contains(&a) && rooted.contains(&b) {
            adj.get_mut(&a).map(|s| s.insert(b));
            adj.get_mut(&b).map(|s| s.insert(a));
        }
    };
    for b in 0..n {
        let out_all = succ_uses(b, &live_in);
        for l in LlGraph::successors(&g.blocks[b]) {
            let params = &g.blocks[l.target.0 as usize].params;
            for &p in params {
                for &o in &out_all {
                    clash(p, o, &mut adj);
                }
                for &q in params {
                    clash(p, q, &mut adj);
                }
            }
        }
        let mut live = out_all;
        for ins in g.blocks[b].ops.iter().rev() {
            for &r in &ins.results {
                for &o in &live {
                    clash(r, o, &mut adj);
                }
                for &r2 in &ins.results {
                    clash(r, r2, &mut adj);
                }
                if matches!(ins.op, LlOp::New(..)) {
                    for &a in &ins.args {
                        clash(r, a, &mut adj);
                    }
                }
            }
            for r in &ins.results {
                live.remove(r);
            }
            live.extend(ins.args.iter().copied().filter(is_ref));
        }
    }
    // Function parameters are all stored at entry.
    let entry_params = g.params();
    for &p in entry_params {
        for &q in entry_params {
            clash(p, q, &mut adj);
        }
        for &o in &live_in[0] {
            clash(p, o, &mut adj);
        }
    }
    let mut slots: HashMap<Var, u32> = HashMap::new();
    let mut count = 0u32;
    for v in &rooted {
        let taken: BTreeSet<u32> = adj[v]
            .iter()
            .filter_map(|w| slots.get(w).copied())
            .collect();
        let s = (0..).find(|s| !taken.contains(s)).expect("a free slot");
        count = count.max(s + 1);
        slots.insert(*v, s);
    }
    (slots, count)
}

struct Ctx<'a> {
    prog: &'a LlProgram,
    module: ObjectModule,
    ptr: Type,
    cc: CallConv,
    funcs: HashMap<FnId, FuncId>,
    runtime: HashMap<String, FuncId>,
    strings: HashMap<Vec<u8>, DataId>,
    messages: HashMap<String, DataId>,
    shadow_top: DataId,
    shadow_limit: DataId,
    stack_limit: DataId,
    thunks: HashMap<(FnId, bool), FuncId>,
    nstr: usize,
    /// Whether `can_enter_jit!` calls into the runtime's JIT (`vmkit_jit_can_enter`).
    jit_hooks: bool,
    jit_active: Option<DataId>,
    /// Hook-less copies of the functions with `can_enter_jit!`.
    plain: HashMap<FnId, FuncId>,
}

/// What the AOT object carries for the JIT: the serialized jitcode program and the helpers
/// (see `jit_codewriter::export`).
pub struct JitSupport<'a> {
    pub blob: &'a [u8],
    pub helpers: &'a [HelperSpec],
}

/// Compiles a lowered program into an object file for `prog.target`.
pub fn compile(prog: &LlProgram, jit: Option<&JitSupport>) -> Result<AotOutput, String> {
    let spec = &prog.target;
    let isa = make_isa(spec)?;
    let ptr = isa.pointer_type();
    let cc = call_conv(spec);
    let builder = ObjectBuilder::new(
        isa.clone(),
        "vmkit_program",
        cranelift_module::default_libcall_names(),
    )
    .map_err(|e| e.to_string())?;
    let mut module = ObjectModule::new(builder);
    let shadow_top = module
        .declare_data("vmkit_shadow_top", Linkage::Import, true, false)
        .map_err(|e| e.to_string())?;
    let shadow_limit = module
        .declare_data("vmkit_shadow_limit", Linkage::Import, true, false)
        .map_err(|e| e.to_string())?;
    let stack_limit = module
        .declare_data("vmkit_stack_limit", Linkage::Import, true, false)
        .map_err(|e| e.to_string())?;
    let mut cx = Ctx {
        stack_limit,
        prog,
        module,
        ptr,
        cc,
        funcs: HashMap::new(),
        runtime: HashMap::new(),
        strings: HashMap::new(),
        messages: HashMap::new(),
        shadow_top,
        shadow_limit,
        thunks: HashMap::new(),
        nstr: 0,
        jit_hooks: jit.is_some(),
        jit_active: None,
        plain: HashMap::new(),
    };
    if jit.is_some() {
        cx.jit_active = Some(
            cx.module
                .declare_data("vmkit_jit_active", Linkage::Import, true, false)
                .map_err(|e| e.to_string())?,
        );
    }
    // The graphs compiled here, with small and single-use callees inlined (see `inline`).
    let graphs = crate::inline::inline_program(&prog.graphs);
    // Declare every DSL function.
    for (i, g) in graphs.iter().enumerate() {
        let Some(g) = g else { continue };
        let name = if FnId(i as u32) == prog.entry {
            "vmkit_entry".to_string()
        } else {
            format!("vmkit_fn{i}_{}", symbol_part(&g.name))
        };
        let linkage = if FnId(i as u32) == prog.entry {
            Linkage::Export
        } else {
            Linkage::Local
        };
        let sig = cx.fn_sig(g);
        let id = cx
            .module
            .declare_function(&name, linkage, &sig)
            .map_err(|e| e.to_string())?;
        cx.funcs.insert(FnId(i as u32), id);
    }
    // Build IR serially.
    let mut fctx = FunctionBuilderContext::new();
    let mut pending: Vec<(FuncId, String, Context)> = Vec::new();
    // A function with `can_enter_jit!` (the portal) also gets a plain copy without the JIT
    // hooks; the hooked version calls it when the JIT is off (`vmkit_jit_active` = 0 at
    // entry), so that the interpreter alone runs exactly the code of a `--no-jit` build.
    if cx.jit_hooks {
        for (i, g) in graphs.iter().enumerate() {
            let Some(g) = g else { continue };
            let hooked = g
                .blocks
                .iter()
                .any(|b| b.ops.iter().any(|o| matches!(o.op, LlOp::CanEnterJit(_))));
            if !hooked {
                continue;
            }
            let sig = cx.fn_sig(g);
            let plain = cx
                .module
                .declare_function(
                    &format!("vmkit_fn{i}_{}_plain", symbol_part(&g.name)),
                    Linkage::Local,
                    &sig,
                )
                .map_err(|e| e.to_string())?;
            cx.plain.insert(FnId(i as u32), plain);
            let mut func =
                Function::with_name_signature(UserFuncName::user(0, plain.as_u32()), sig);
            cx.jit_hooks = false;
            let r = cx.build_function(g, &mut func, &mut fctx);
            cx.jit_hooks = true;
            r?;
            pending.push((
                plain,
                format!("{}_plain", g.name),
                Context::for_function(func),
            ));
        }
    }
    for (i, g) in graphs.iter().enumerate() {
        let Some(g) = g else { continue };
        let id = cx.funcs[&FnId(i as u32)];
        let mut func =
            Function::with_name_signature(UserFuncName::user(0, id.as_u32()), cx.fn_sig(g));
        cx.build_function(g, &mut func, &mut fctx)?;
        let mut c = Context::for_function(func);
        c.want_disasm = false;
        pending.push((id, g.name.clone(), c));
    }
    // JIT helpers: each one low-level operation in a graph of its own, plus a uniform-ABI
    // wrapper `fn(args: *const u64, results: *mut u64)` listed in `vmkit_jit_helpers`.
    let mut wrappers = Vec::new();
    if let Some(jit) = jit {
        for (i, h) in jit.helpers.iter().enumerate() {
            let g = helper_graph(h, i);
            let impl_id = cx
                .module
                .declare_function(
                    &format!("vmkit_jit_h{i}_impl"),
                    Linkage::Local,
                    &cx.fn_sig(&g),
                )
                .map_err(|e| e.to_string())?;
            let wsig = cx.helper_sig();
            let wrap_id = cx
                .module
                .declare_function(&format!("vmkit_jit_h{i}"), Linkage::Local, &wsig)
                .map_err(|e| e.to_string())?;
            let mut func = Function::with_name_signature(
                UserFuncName::user(0, impl_id.as_u32()),
                cx.fn_sig(&g),
            );
            cx.build_function(&g, &mut func, &mut fctx)?;
            pending.push((impl_id, g.name.clone(), Context::for_function(func)));
            let mut func =
                Function::with_name_signature(UserFuncName::user(0, wrap_id.as_u32()), wsig);
            cx.build_helper_wrapper(&g, impl_id, &mut func, &mut fctx)?;
            pending.push((
                wrap_id,
                format!("{}_wrapper", g.name),
                Context::for_function(func),
            ));
            wrappers.push(wrap_id);
        }
    }
    // Thunks for user map keys were declared while building; define them now.
    let thunk_keys: Vec<(FnId, bool)> = cx.thunks.keys().copied().collect();
    for (f, is_eq) in thunk_keys {
        let id = cx.thunks[&(f, is_eq)];
        let mut func =
            Function::with_name_signature(UserFuncName::user(0, id.as_u32()), cx.thunk_sig(is_eq));
        cx.build_thunk(f, is_eq, &mut func, &mut fctx)?;
        pending.push((
            id,
            format!("key_thunk_{}_{}", f.0, is_eq),
            Context::for_function(func),
        ));
    }
    let clif: Vec<(String, String)> = pending
        .iter()
        .map(|(_, n, c)| (n.clone(), c.func.display().to_string()))
        .collect();
    // Compile in parallel.
    let compiled: Vec<Result<(FuncId, u64, Vec<u8>, Vec<ModuleReloc>), String>> = pending
        .into_par_iter()
        .map(|(id, name, mut c)| {
            let mut cp = cranelift_codegen::control::ControlPlane::default();
            c.compile(&*isa, &mut cp)
                .map_err(|e| format!("Cranelift failed on `{name}`: {:?}", e.inner))?;
            let code = c.compiled_code().ok_or("no compiled code")?;
            let relocs = code
                .buffer
                .relocs()
                .iter()
                .map(|r| ModuleReloc::from_mach_reloc(r, &c.func, id))
                .collect();
            Ok((
                id,
                (code.buffer.alignment as u64).max(FUNCTION_ALIGN),
                code.buffer.data().to_vec(),
                relocs,
            ))
        })
        .collect();
    for r in compiled {
        let (id, align, bytes, relocs) = r?;
        cx.module
            .define_function_bytes(id, align, &bytes, &relocs)
            .map_err(|e| e.to_string())?;
    }
    cx.define_type_table()?;
    cx.define_ffi_handler()?;
    cx.define_jit_tables(jit.map(|j| j.blob).unwrap_or(&[]), &wrappers)?;
    let product = cx.module.finish();
    let object = product.emit().map_err(|e| e.to_string())?;
    Ok(AotOutput { object, clif })
}

impl Ctx<'_> {
    /// `vmkit_ffi_handler`: the address of the `#[vmkit::ffi_callback]` function, or 0 (the
    /// runtime calls it for C callbacks, see `runtime/src/ffi.rs`).
    fn define_ffi_handler(&mut self) -> Result<(), String> {
        let id = self
            .module
            .declare_data("vmkit_ffi_handler", Linkage::Export, false, false)
            .map_err(|e| e.to_string())?;
        let mut d = DataDescription::new();
        d.define(vec![0u8; self.ptr.bytes() as usize].into_boxed_slice());
        d.set_align(self.ptr.bytes() as u64);
        if let Some(f) = self.prog.ffi_handler {
            let fid = self.funcs[&f];
            let fr = self.module.declare_func_in_data(fid, &mut d);
            d.write_function_addr(0, fr);
        }
        self.module.define_data(id, &d).map_err(|e| e.to_string())
    }

    fn fn_sig(&self, g: &LlGraph) -> Signature {
        let mut sig = Signature::new(self.cc);
        for p in g.params() {
            let t = *g.ty(*p);
            sig.params.push(abi_param(cl_ty(t, self.ptr), is_signed(t)));
        }
        for r in &g.ret {
            sig.returns
                .push(abi_param(cl_ty(*r, self.ptr), is_signed(*r)));
        }
        sig
    }

    /// `extern "C" fn(args: *const u64, results: *mut u64)`.
    fn helper_sig(&self) -> Signature {
        let mut sig = Signature::new(self.cc);
        sig.params.push(AbiParam::new(self.ptr));
        sig.params.push(AbiParam::new(self.ptr));
        sig
    }

    /// The uniform-ABI wrapper of helper graph `g` (compiled as `impl_id`).
    fn build_helper_wrapper(
        &mut self,
        g: &LlGraph,
        impl_id: FuncId,
        func: &mut Function,
        fctx: &mut FunctionBuilderContext,
    ) -> Result<(), String> {
        let fref = self.module.declare_func_in_func(impl_id, func);
        let ptr = self.ptr;
        let mut b = FunctionBuilder::new(func, fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let (args, res) = (b.block_params(entry)[0], b.block_params(entry)[1]);
        let mut vals = Vec::new();
        for (i, p) in g.params().iter().enumerate() {
            let w = b
                .ins()
                .load(types::I64, MemFlagsData::trusted(), args, (i * 8) as i32);
            vals.push(word_to_scalar(&mut b, w, *g.ty(*p), ptr));
        }
        let call = b.ins().call(fref, &vals);
        let outs = b.inst_results(call).to_vec();
        for (i, (v, t)) in outs.iter().zip(&g.ret).enumerate() {
            let w = scalar_to_word(&mut b, *v, *t, ptr);
            b.ins()
                .store(MemFlagsData::trusted(), w, res, (i * 8) as i32);
        }
        b.ins().return_(&[]);
        b.seal_all_blocks();
        b.finalize(self.module.target_config());
        Ok(())
    }

    /// `vmkit_jit_program` (+ `_len`), `vmkit_jit_helpers` (+ `vmkit_jit_nhelpers`) and
    /// `vmkit_jit_triple`: defined even without a JIT (empty), so the runtime always links.
    fn define_jit_tables(&mut self, blob: &[u8], wrappers: &[FuncId]) -> Result<(), String> {
        let mut define = |name: &str, bytes: Vec<u8>, funcs: &[FuncId]| -> Result<(), String> {
            let id = self
                .module
                .declare_data(name, Linkage::Export, false, false)
                .map_err(|e| e.to_string())?;
            let mut d = DataDescription::new();
            let mut bytes = bytes;
            if bytes.is_empty() {
                bytes.push(0);
            }
            d.define(bytes.into_boxed_slice());
            d.set_align(8);
            for (i, f) in funcs.iter().enumerate() {
                let r = self.module.declare_func_in_data(*f, &mut d);
                d.write_function_addr((i * 8) as u32, r);
            }
            self.module.define_data(id, &d).map_err(|e| e.to_string())
        };
        define("vmkit_jit_program", blob.to_vec(), &[])?;
        define(
            "vmkit_jit_program_len",
            (blob.len() as u64).to_le_bytes().to_vec(),
            &[],
        )?;
        define("vmkit_jit_helpers", vec![0u8; wrappers.len() * 8], wrappers)?;
        define(
            "vmkit_jit_nhelpers",
            (wrappers.len() as u64).to_le_bytes().to_vec(),
            &[],
        )?;
        let mut triple = self.prog.target.triple.as_bytes().to_vec();
        triple.push(0);
        define("vmkit_jit_triple", triple, &[])?;
        Ok(())
    }

    fn thunk_sig(&self, is_eq: bool) -> Signature {
        let mut sig = Signature::new(self.cc);
        sig.params.push(AbiParam::new(self.ptr));
        if is_eq {
            sig.params.push(AbiParam::new(self.ptr));
            sig.returns.push(AbiParam::new(types::I8));
        } else {
            sig.returns.push(AbiParam::new(types::I64));
        }
        sig
    }

    fn runtime_fn(&mut self, name: &str) -> Result<FuncId, String> {
        if let Some(id) = self.runtime.get(name) {
            return Ok(*id);
        }
        let s = rt_sig(name, self.ptr);
        let mut sig = Signature::new(self.cc);
        for p in s.params {
            sig.params.push(abi_param(p, name == "vmkit_f64_powi"));
        }
        for r in s.results {
            sig.returns.push(AbiParam::new(r));
        }
        let id = self
            .module
            .declare_function(name, Linkage::Import, &sig)
            .map_err(|e| e.to_string())?;
        self.runtime.insert(name.to_string(), id);
        Ok(id)
    }

    fn thunk(&mut self, f: FnId, is_eq: bool) -> Result<FuncId, String> {
        if let Some(id) = self.thunks.get(&(f, is_eq)) {
            return Ok(*id);
        }
        let sig = self.thunk_sig(is_eq);
        let id = self
            .module
            .declare_function(
                &format!("vmkit_keythunk{}_{}", f.0, is_eq as u8),
                Linkage::Local,
                &sig,
            )
            .map_err(|e| e.to_string())?;
        self.thunks.insert((f, is_eq), id);
        Ok(id)
    }

    /// A static `Str` object in read-only data.
    fn string_data(&mut self, bytes: &[u8]) -> Result<DataId, String> {
        if let Some(d) = self.strings.get(bytes) {
            return Ok(*d);
        }
        let mut contents = Vec::with_capacity(16 + bytes.len());
        contents.extend_from_slice(&STR_TYPE.to_le_bytes());
        contents.extend_from_slice(&FLAG_STATIC.to_le_bytes());
        contents.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        contents.extend_from_slice(bytes);
        let id = self
            .module
            .declare_data(
                &format!("vmkit_str{}", self.nstr),
                Linkage::Local,
                false,
                false,
            )
            .map_err(|e| e.to_string())?;
        self.nstr += 1;
        let mut d = DataDescription::new();
        d.define(contents.into_boxed_slice());
        d.set_align(8);
        self.module.define_data(id, &d).map_err(|e| e.to_string())?;
        self.strings.insert(bytes.to_vec(), id);
        Ok(id)
    }

    fn message_data(&mut self, msg: &str) -> Result<DataId, String> {
        if let Some(d) = self.messages.get(msg) {
            return Ok(*d);
        }
        let id = self
            .module
            .declare_data(
                &format!("vmkit_msg{}", self.messages.len()),
                Linkage::Local,
                false,
                false,
            )
            .map_err(|e| e.to_string())?;
        let mut d = DataDescription::new();
        d.define(msg.as_bytes().to_vec().into_boxed_slice());
        self.module.define_data(id, &d).map_err(|e| e.to_string())?;
        self.messages.insert(msg.to_string(), id);
        Ok(id)
    }

    fn define_type_table(&mut self) -> Result<(), String> {
        let pb = self.ptr.bytes() as usize;
        let entry = 8 + pb;
        let mut table = vec![0u8; entry * self.prog.layouts.len()];
        let mut relocs = Vec::new();
        for (i, lay) in self.prog.layouts.iter().enumerate() {
            let refs: Vec<u32> = lay
                .slots
                .iter()
                .filter(|s| s.ty == LlTy::Ref)
                .map(|s| s.offset)
                .collect();
            let off = i * entry;
            table[off..off + 4].copy_from_slice(&lay.size.max(8).to_le_bytes());
            table[off + 4..off + 8].copy_from_slice(&(refs.len() as u32).to_le_bytes());
            if !refs.is_empty() {
                let id = self
                    .module
                    .declare_data(&format!("vmkit_refs{i}"), Linkage::Local, false, false)
                    .map_err(|e| e.to_string())?;
                let mut d = DataDescription::new();
                d.define(
                    refs.iter()
                        .flat_map(|r| r.to_le_bytes())
                        .collect::<Vec<u8>>()
                        .into_boxed_slice(),
                );
                d.set_align(4);
                self.module.define_data(id, &d).map_err(|e| e.to_string())?;
                relocs.push(((off + 8) as u32, id));
            }
        }
        let id = self
            .module
            .declare_data("vmkit_type_table", Linkage::Export, false, false)
            .map_err(|e| e.to_string())?;
        let mut d = DataDescription::new();
        if table.is_empty() {
            table = vec![0u8; entry];
        }
        d.define(table.into_boxed_slice());
        d.set_align(8);
        for (off, target) in relocs {
            let gv = self.module.declare_data_in_data(target, &mut d);
            d.write_data_addr(off, gv, 0);
        }
        self.module.define_data(id, &d).map_err(|e| e.to_string())?;
        let cid = self
            .module
            .declare_data("vmkit_type_count", Linkage::Export, false, false)
            .map_err(|e| e.to_string())?;
        let mut d = DataDescription::new();
        d.define(
            (self.prog.layouts.len() as u32)
                .to_le_bytes()
                .to_vec()
                .into_boxed_slice(),
        );
        d.set_align(4);
        self.module
            .define_data(cid, &d)
            .map_err(|e| e.to_string())?;
        Ok(())
    }

    fn build_thunk(
        &mut self,
        f: FnId,
        is_eq: bool,
        func: &mut Function,
        fctx: &mut FunctionBuilderContext,
    ) -> Result<(), String> {
        let g = self.prog.graphs[f.0 as usize]
            .as_ref()
            .ok_or("thunk of a host function")?;
        let callee_id = self.funcs[&f];
        let callee = self.module.declare_func_in_func(callee_id, func);
        let ptr = self.ptr;
        let mut b = FunctionBuilder::new(func, fctx);
        let entry = b.create_block();
        b.append_block_params_for_function_params(entry);
        b.switch_to_block(entry);
        let ps = b.block_params(entry).to_vec();
        let tys: Vec<LlTy> = g.params().iter().map(|p| *g.ty(*p)).collect();
        let width = if is_eq { tys.len() / 2 } else { tys.len() };
        let mut args = Vec::new();
        for (i, t) in tys.iter().enumerate() {
            let (base, k) = if i < width {
                (ps[0], i)
            } else {
                (ps[1], i - width)
            };
            let w = b
                .ins()
                .load(types::I64, MemFlagsData::trusted(), base, (k * 8) as i32);
            args.push(word_to_scalar(&mut b, w, *t, ptr));
        }
        let call = b.ins().call(callee, &args);
        let r = b.inst_results(call)[0];
        b.ins().return_(&[r]);
        b.seal_all_blocks();
        b.finalize(self.module.target_config());
        Ok(())
    }

    fn build_function(
        &mut self,
        g: &LlGraph,
        func: &mut Function,
        fctx: &mut FunctionBuilderContext,
    ) -> Result<(), String> {
        let (slots, nslots) = shadow_slots(g);
        // Pre-declare everything that needs the module, before borrowing `func` in the builder.
        let mut fb = FnBuilder::new(self, g, func, fctx, slots, nslots)?;
        fb.emit_body()?;
        fb.b.seal_all_blocks();
        let cfg = fb.cx.module.target_config();
        fb.b.finalize(cfg);
        Ok(())
    }
}

fn word_to_scalar(b: &mut FunctionBuilder, w: Value, t: LlTy, ptr: Type) -> Value {
    let ct = cl_ty(t, ptr);
    match t {
        LlTy::F64 => b.ins().bitcast(types::F64, MemFlagsData::new(), w),
        _ if ct == types::I64 => w,
        _ => b.ins().ireduce(ct, w),
    }
}

fn scalar_to_word(b: &mut FunctionBuilder, v: Value, t: LlTy, ptr: Type) -> Value {
    let ct = cl_ty(t, ptr);
    match t {
        LlTy::F64 => b.ins().bitcast(types::I64, MemFlagsData::new(), v),
        _ if ct == types::I64 => v,
        LlTy::Int(it) if it.signed() => b.ins().sextend(types::I64, v),
        _ => b.ins().uextend(types::I64, v),
    }
}

struct FnBuilder<'a, 'b, 'c> {
    cx: &'a mut Ctx<'c>,
    g: &'a LlGraph,
    b: FunctionBuilder<'b>,
    vars: Vec<Variable>,
    blocks: Vec<cranelift_codegen::ir::Block>,
    slots: HashMap<Var, u32>,
    /// Number of shadow-stack slots (slots are shared, see [`shadow_slots`]).
    nslots: u32,
    shadow_base: Option<Value>,
    top_gv: cranelift_codegen::ir::GlobalValue,
    limit_gv: cranelift_codegen::ir::GlobalValue,
    stack_gv: cranelift_codegen::ir::GlobalValue,
    fref: HashMap<FuncId, cranelift_codegen::ir::FuncRef>,
    /// The exit of the block being emitted, and whether the op being emitted is its last.
    exit_after_jit: Option<&'a Exit>,
    last_op: bool,
    /// In the hooked portal: 1 until the first `jit_merge_point!` of this call has been
    /// passed (it then calls `vmkit_jit_portal_entry`), 0 after.
    fresh: Option<Variable>,
    /// Variables defined by constants, for jump threading (see [`crate::thread`]).
    consts: HashMap<Var, crate::thread::Cst>,
}

impl<'a, 'b, 'c> FnBuilder<'a, 'b, 'c> {
    fn new(
        cx: &'a mut Ctx<'c>,
        g: &'a LlGraph,
        func: &'b mut Function,
        fctx: &'b mut FunctionBuilderContext,
        slots: HashMap<Var, u32>,
        nslots: u32,
    ) -> Result<Self, String> {
        let top_gv = cx.module.declare_data_in_func(cx.shadow_top, func);
        let limit_gv = cx.module.declare_data_in_func(cx.shadow_limit, func);
        let stack_gv = cx.module.declare_data_in_func(cx.stack_limit, func);
        let mut b = FunctionBuilder::new(func, fctx);
        let ptr = cx.ptr;
        let vars: Vec<Variable> = g
            .var_types
            .iter()
            .map(|t| b.declare_var(cl_ty(*t, ptr)))
            .collect();
        let blocks = (0..g.blocks.len()).map(|_| b.create_block()).collect();
        Ok(FnBuilder {
            cx,
            g,
            b,
            vars,
            blocks,
            slots,
            nslots,
            shadow_base: None,
            top_gv,
            limit_gv,
            stack_gv,
            fref: HashMap::new(),
            exit_after_jit: None,
            last_op: false,
            fresh: None,
            consts: crate::thread::graph_consts(g),
        })
    }

    fn ptr(&self) -> Type {
        self.cx.ptr
    }

    fn func_ref(&mut self, id: FuncId) -> cranelift_codegen::ir::FuncRef {
        if let Some(f) = self.fref.get(&id) {
            return *f;
        }
        let f = self.cx.module.declare_func_in_func(id, self.b.func);
        self.fref.insert(id, f);
        f
    }

    fn call_rt(&mut self, name: &str, args: &[Value]) -> Result<Vec<Value>, String> {
        let id = self.cx.runtime_fn(name)?;
        let f = self.func_ref(id);
        let call = self.b.ins().call(f, args);
        Ok(self.b.inst_results(call).to_vec())
    }

    fn use_var(&mut self, v: Var) -> Value {
        self.b.use_var(self.vars[v.0 as usize])
    }

    /// Defines `v`, storing it into its shadow-stack slot if it is rooted.
    fn def_var(&mut self, v: Var, val: Value) {
        self.b.def_var(self.vars[v.0 as usize], val);
        if let (Some(slot), Some(base)) = (self.slots.get(&v), self.shadow_base) {
            let off = (*slot * self.ptr().bytes()) as i32;
            self.b.ins().store(MemFlagsData::trusted(), val, base, off);
        }
    }

    fn fatal(&mut self, msg: &str) -> Result<(), String> {
        let d = self.cx.message_data(msg)?;
        let gv = self.cx.module.declare_data_in_func(d, self.b.func);
        let ptr = self.ptr();
        let p = self.b.ins().symbol_value(ptr, gv);
        let len = self.b.ins().iconst(types::I64, msg.len() as i64);
        self.call_rt("vmkit_fatal", &[p, len])?;
        self.b.ins().trap(TrapCode::user(1).expect("trap code"));
        Ok(())
    }

    /// Emits `if cond { fatal(msg) }` and continues in a new block.
    fn fatal_if(&mut self, cond: Value, msg: &str) -> Result<(), String> {
        let bad = self.b.create_block();
        let ok = self.b.create_block();
        self.b.ins().brif(cond, bad, &[], ok, &[]);
        self.b.set_cold_block(bad);
        self.b.switch_to_block(bad);
        self.fatal(msg)?;
        self.b.switch_to_block(ok);
        Ok(())
    }

    fn emit_body(&mut self) -> Result<(), String> {
        let entry = self.b.create_block();
        self.b.append_block_params_for_function_params(entry);
        self.b.switch_to_block(entry);
        let ptr = self.ptr();
        if let (true, Some(&plain)) = (self.cx.jit_hooks, self.cx.plain.get(&self.g.fn_id)) {
            let active_id = self.cx.jit_active.ok_or("no vmkit_jit_active")?;
            let gv = self.cx.module.declare_data_in_func(active_id, self.b.func);
            let addr = self.b.ins().symbol_value(ptr, gv);
            let active = self
                .b
                .ins()
                .load(types::I8, MemFlagsData::trusted(), addr, 0);
            let off = self.b.create_block();
            let on = self.b.create_block();
            self.b.ins().brif(active, on, &[], off, &[]);
            self.b.switch_to_block(off);
            let args = self.b.block_params(entry).to_vec();
            let f = self.func_ref(plain);
            let call = self.b.ins().call(f, &args);
            let rets = self.b.inst_results(call).to_vec();
            self.b.ins().return_(&rets);
            self.b.switch_to_block(on);
            let fresh = self.b.declare_var(types::I8);
            let one = self.b.ins().iconst(types::I8, 1);
            self.b.def_var(fresh, one);
            self.fresh = Some(fresh);
        }
        // Functions that call others check the native stack against the runtime's limit, so
        // deep recursion ends with `fatal error: stack overflow` rather than a crash. Leaf
        // functions cannot recurse and skip the check.
        let calls = self
            .g
            .blocks
            .iter()
            .any(|b| b.ops.iter().any(|o| matches!(o.op, LlOp::Call(_))));
        if calls {
            let sp = self.b.ins().get_stack_pointer(ptr);
            let limit_addr = self.b.ins().symbol_value(ptr, self.stack_gv);
            let limit = self
                .b
                .ins()
                .load(ptr, MemFlagsData::trusted(), limit_addr, 0);
            let over = self.b.ins().icmp(IntCC::UnsignedLessThan, sp, limit);
            let bad = self.b.create_block();
            let ok = self.b.create_block();
            self.b.ins().brif(over, bad, &[], ok, &[]);
            self.b.set_cold_block(bad);
            self.b.switch_to_block(bad);
            self.call_rt("vmkit_stack_overflow", &[])?;
            self.b.ins().trap(TrapCode::STACK_OVERFLOW);
            self.b.switch_to_block(ok);
        }
        if self.nslots > 0 {
            let top_addr = self.b.ins().symbol_value(ptr, self.top_gv);
            let base = self.b.ins().load(ptr, MemFlagsData::trusted(), top_addr, 0);
            let new_top = self
                .b
                .ins()
                .iadd_imm_s(base, (self.nslots * ptr.bytes()) as i64);
            let limit_addr = self.b.ins().symbol_value(ptr, self.limit_gv);
            let limit = self
                .b
                .ins()
                .load(ptr, MemFlagsData::trusted(), limit_addr, 0);
            let over = self
                .b
                .ins()
                .icmp(IntCC::UnsignedGreaterThan, new_top, limit);
            let bad = self.b.create_block();
            let ok = self.b.create_block();
            self.b.ins().brif(over, bad, &[], ok, &[]);
            self.b.set_cold_block(bad);
            self.b.switch_to_block(bad);
            self.call_rt("vmkit_stack_overflow", &[])?;
            self.b.ins().trap(TrapCode::STACK_OVERFLOW);
            self.b.switch_to_block(ok);
            self.b
                .ins()
                .store(MemFlagsData::trusted(), new_top, top_addr, 0);
            let zero = self.b.ins().iconst(ptr, 0);
            for i in 0..self.nslots {
                self.b.ins().store(
                    MemFlagsData::trusted(),
                    zero,
                    base,
                    (i * ptr.bytes()) as i32,
                );
            }
            self.shadow_base = Some(base);
        }
        let params = self.b.block_params(entry).to_vec();
        let gparams = self.g.params().to_vec();
        for (p, v) in gparams.iter().zip(params) {
            self.def_var(*p, v);
        }
        let first = self.blocks[0];
        self.b.ins().jump(first, &[]);
        for bi in 0..self.g.blocks.len() {
            let blk = self.blocks[bi];
            self.b.switch_to_block(blk);
            let block = &self.g.blocks[bi];
            self.exit_after_jit = Some(&block.exit);
            for (k, ins) in block.ops.iter().enumerate() {
                self.last_op = k + 1 == block.ops.len();
                self.emit_instr(ins)?;
            }
            self.exit_after_jit = None;
            self.emit_exit(&block.exit)?;
        }
        Ok(())
    }

    /// Assigns the target's parameters (a parallel copy) and jumps. When constants on the link
    /// decide the branch ending the target (see [`crate::thread`]), the target's few pure
    /// operations are emitted here and the jump goes to the decided successor instead
    /// (repeatedly, up to a small depth).
    fn emit_link(&mut self, l: &vmkit_translator::flow::Link) -> Result<(), String> {
        let g = self.g;
        let mut l = l;
        for depth in 0.. {
            let vals: Vec<Value> = l.args.iter().map(|a| self.use_var(*a)).collect();
            let params = g.block(l.target).params.clone();
            for (p, v) in params.iter().zip(vals) {
                self.def_var(*p, v);
            }
            let next = if depth < 4 {
                crate::thread::decide(g, &self.consts, l)
            } else {
                None
            };
            let Some(next) = next else { break };
            for ins in &g.block(l.target).ops {
                self.emit_instr(ins)?;
            }
            l = next;
        }
        let t = self.blocks[l.target.0 as usize];
        self.b.ins().jump(t, &[]);
        Ok(())
    }

    /// The block a branch should target for link `l`: the target itself when the link passes
    /// no values, else a new edge block (filled later by [`Self::fill_edges`], once the current
    /// block is terminated).
    fn edge_block(
        &mut self,
        l: &vmkit_translator::flow::Link,
        pending: &mut Vec<(cranelift_codegen::ir::Block, vmkit_translator::flow::Link)>,
    ) -> cranelift_codegen::ir::Block {
        if l.args.is_empty() {
            return self.blocks[l.target.0 as usize];
        }
        let e = self.b.create_block();
        pending.push((e, l.clone()));
        e
    }

    fn fill_edges(
        &mut self,
        pending: Vec<(cranelift_codegen::ir::Block, vmkit_translator::flow::Link)>,
    ) -> Result<(), String> {
        for (e, l) in pending {
            self.b.switch_to_block(e);
            self.emit_link(&l)?;
        }
        Ok(())
    }

    fn restore_shadow(&mut self) {
        if let Some(base) = self.shadow_base {
            let ptr = self.ptr();
            let top_addr = self.b.ins().symbol_value(ptr, self.top_gv);
            self.b
                .ins()
                .store(MemFlagsData::trusted(), base, top_addr, 0);
        }
    }

    fn emit_exit(&mut self, e: &Exit) -> Result<(), String> {
        match e {
            Exit::Goto(l) => self.emit_link(l)?,
            Exit::If { cond, then, els } => {
                let c = self.use_var(*cond);
                let mut pending = Vec::new();
                let t = self.edge_block(then, &mut pending);
                let f = self.edge_block(els, &mut pending);
                self.b.ins().brif(c, t, &[], f, &[]);
                self.fill_edges(pending)?;
            }
            Exit::Switch {
                value,
                cases,
                default,
            } => {
                let v = self.use_var(*value);
                let vt = self.b.func.dfg.value_type(v);
                // Case keys are the values' bit patterns: extend by the value's signedness.
                let v = if vt == types::I64 {
                    v
                } else if it_signed(*self.g.ty(*value)) {
                    self.b.ins().sextend(types::I64, v)
                } else {
                    self.b.ins().uextend(types::I64, v)
                };
                let mut sw = Switch::new();
                let mut seen = BTreeSet::new();
                let mut pending = Vec::new();
                for (k, l) in cases {
                    if !seen.insert(*k) {
                        continue;
                    }
                    let blk = self.edge_block(l, &mut pending);
                    sw.set_entry(*k as u64 as u128, blk);
                }
                let d = self.edge_block(default, &mut pending);
                // A dense but gappy key set (an interpreter's opcodes grouped by tens) would
                // become a binary search over several jump tables; filling the gaps with the
                // default makes it one table and one indirect branch.
                for k in dense_gaps(&seen) {
                    sw.set_entry(k as u64 as u128, d);
                }
                sw.emit(&mut self.b, v, d);
                self.fill_edges(pending)?;
            }
            Exit::Return(vs) => {
                let vals: Vec<Value> = vs.iter().map(|v| self.use_var(*v)).collect();
                self.restore_shadow();
                self.b.ins().return_(&vals);
            }
            Exit::Fatal(m) => self.fatal(m)?,
        }
        Ok(())
    }

    fn word_buffer(&mut self, n: usize) -> Value {
        let slot = self.b.create_sized_stack_slot(StackSlotData::new(
            StackSlotKind::ExplicitSlot,
            (n.max(1) * 8) as u32,
            3,
        ));
        let ptr = self.ptr();
        self.b.ins().stack_addr(ptr, slot, 0)
    }

    fn store_words(&mut self, buf: Value, vars: &[Var]) {
        let ptr = self.ptr();
        for (i, v) in vars.iter().enumerate() {
            let val = self.use_var(*v);
            let w = scalar_to_word(&mut self.b, val, *self.g.ty(*v), ptr);
            self.b
                .ins()
                .store(MemFlagsData::trusted(), w, buf, (i * 8) as i32);
        }
    }

    fn load_words(&mut self, buf: Value, vars: &[Var]) {
        let ptr = self.ptr();
        for (i, v) in vars.iter().enumerate() {
            let w = self
                .b
                .ins()
                .load(types::I64, MemFlagsData::trusted(), buf, (i * 8) as i32);
            let s = word_to_scalar(&mut self.b, w, *self.g.ty(*v), ptr);
            self.def_var(*v, s);
        }
    }
}

/// A graph holding only `h.op`: parameters in, results out.
fn helper_graph(h: &HelperSpec, i: usize) -> LlGraph {
    let mut g: LlGraph = vmkit_translator::flow::Graph {
        name: format!("jit_helper{i}"),
        fn_id: FnId(u32::MAX),
        var_types: vec![],
        var_names: vec![],
        blocks: vec![],
        ret: h.results.clone(),
    };
    let params: Vec<Var> = h.args.iter().map(|t| g.new_var(*t, None)).collect();
    let results: Vec<Var> = h.results.iter().map(|t| g.new_var(*t, None)).collect();
    g.blocks.push(vmkit_translator::flow::Block {
        params: params.clone(),
        ops: vec![vmkit_translator::flow::Instr {
            results: results.clone(),
            op: h.op.clone(),
            args: params,
            loc: Default::default(),
        }],
        exit: Exit::Return(results),
    });
    g
}

/// Bit `i` set when scalar `i` of an element is a reference.
fn refmask(tys: &[LlTy]) -> i64 {
    let mut m = 0u64;
    for (i, t) in tys.iter().enumerate() {
        if *t == LlTy::Ref && i < 64 {
            m |= 1 << i;
        }
    }
    m as i64
}

impl<'a, 'b, 'c> FnBuilder<'a, 'b, 'c> {
    fn emit_instr(&mut self, ins: &vmkit_translator::flow::Instr<LlOp>) -> Result<(), String> {
        let ptr = self.ptr();
        let a: Vec<Value> = ins.args.iter().map(|v| self.use_var(*v)).collect();
        let rty = |i: usize| *self.g.ty(ins.results[i]);
        match &ins.op {
            LlOp::Const(c) => {
                let t = rty(0);
                let v = match c {
                    LlConst::Int(v, _) => self.b.ins().iconst(cl_ty(t, ptr), *v),
                    LlConst::F64(f) => self.b.ins().f64const(*f),
                    LlConst::Bool(x) => self.b.ins().iconst(types::I8, *x as i64),
                    LlConst::Null => self.b.ins().iconst(ptr, 0),
                    LlConst::Str(s) => {
                        let d = self.cx.string_data(s)?;
                        let gv = self.cx.module.declare_data_in_func(d, self.b.func);
                        self.b.ins().symbol_value(ptr, gv)
                    }
                };
                self.def_var(ins.results[0], v);
            }
            LlOp::Copy => {
                for (r, v) in ins.results.clone().iter().zip(a) {
                    self.def_var(*r, v);
                }
            }
            LlOp::IntBin(op, it) => {
                let v = self.int_bin(*op, *it, a[0], a[1])?;
                self.def_var(ins.results[0], v);
            }
            LlOp::IntCmp(op, it) => {
                let cc = int_cc(*op, it.signed());
                let v = self.b.ins().icmp(cc, a[0], a[1]);
                self.def_var(ins.results[0], v);
            }
            LlOp::IntOvf(op, it) => {
                let (v, o) = self.int_ovf(*op, *it, a[0], a[1]);
                self.def_var(ins.results[0], v);
                self.def_var(ins.results[1], o);
            }
            LlOp::IntNeg(_) => {
                let v = self.b.ins().ineg(a[0]);
                self.def_var(ins.results[0], v);
            }
            LlOp::IntNot(_) => {
                let v = self.b.ins().bnot(a[0]);
                self.def_var(ins.results[0], v);
            }
            LlOp::BoolBin(op) => {
                let v = match op {
                    BinOp::And => self.b.ins().band(a[0], a[1]),
                    BinOp::Or => self.b.ins().bor(a[0], a[1]),
                    BinOp::Xor | BinOp::Ne => self.b.ins().bxor(a[0], a[1]),
                    BinOp::Eq => self.b.ins().icmp(IntCC::Equal, a[0], a[1]),
                    other => self.b.ins().icmp(int_cc(*other, false), a[0], a[1]),
                };
                self.def_var(ins.results[0], v);
            }
            LlOp::BoolNot => {
                let v = self.b.ins().bxor_imm_u(a[0], 1);
                self.def_var(ins.results[0], v);
            }
            LlOp::FloatBin(op) => {
                let v = match op {
                    BinOp::Add => self.b.ins().fadd(a[0], a[1]),
                    BinOp::Sub => self.b.ins().fsub(a[0], a[1]),
                    BinOp::Mul => self.b.ins().fmul(a[0], a[1]),
                    BinOp::Div => self.b.ins().fdiv(a[0], a[1]),
                    _ => self.call_rt("fmod", &[a[0], a[1]])?[0],
                };
                self.def_var(ins.results[0], v);
            }
            LlOp::FloatCmp(op) => {
                let cc = match op {
                    BinOp::Eq => FloatCC::Equal,
                    BinOp::Ne => FloatCC::NotEqual,
                    BinOp::Lt => FloatCC::LessThan,
                    BinOp::Le => FloatCC::LessThanOrEqual,
                    BinOp::Gt => FloatCC::GreaterThan,
                    _ => FloatCC::GreaterThanOrEqual,
                };
                let v = self.b.ins().fcmp(cc, a[0], a[1]);
                self.def_var(ins.results[0], v);
            }
            LlOp::FloatNeg => {
                let v = self.b.ins().fneg(a[0]);
                self.def_var(ins.results[0], v);
            }
            LlOp::Cast => {
                let from = *self.g.ty(ins.args[0]);
                let to = rty(0);
                let v = self.cast(a[0], from, to);
                self.def_var(ins.results[0], v);
            }
            LlOp::Call(f) => {
                let id = *self.cx.funcs.get(f).ok_or("call of an unknown function")?;
                let fr = self.func_ref(id);
                let call = self.b.ins().call(fr, &a);
                let rs = self.b.inst_results(call).to_vec();
                for (r, v) in ins.results.clone().iter().zip(rs) {
                    self.def_var(*r, v);
                }
            }
            LlOp::Host(f) => self.host_call(*f, ins, &a)?,
            LlOp::New(adt, variant) => {
                let tid = self
                    .b
                    .ins()
                    .iconst(types::I32, (FIRST_USER_TYPE + adt.0) as i64);
                let obj = self.call_rt("vmkit_new", &[tid])?[0];
                let lay = &self.cx.prog.layouts[adt.0 as usize];
                let mut stores: Vec<(u32, usize)> = Vec::new();
                match variant {
                    None => {
                        for (i, s) in lay.slots.iter().enumerate().take(a.len()) {
                            stores.push((s.offset, i));
                        }
                    }
                    Some(v) => {
                        let tagoff = lay.slots[0].offset;
                        let tag = self.b.ins().iconst(types::I32, *v as i64);
                        self.b
                            .ins()
                            .store(MemFlagsData::trusted(), tag, obj, tagoff as i32);
                        for (i, s) in lay
                            .arg_slots(Some(*v))
                            .into_iter()
                            .take(a.len())
                            .enumerate()
                        {
                            stores.push((lay.slots[s as usize].offset, i));
                        }
                    }
                }
                for (off, i) in stores {
                    self.b
                        .ins()
                        .store(MemFlagsData::trusted(), a[i], obj, off as i32);
                }
                self.def_var(ins.results[0], obj);
            }
            LlOp::GetField(d) => {
                let v = self.b.ins().load(
                    cl_ty(d.ty, ptr),
                    MemFlagsData::trusted(),
                    a[0],
                    d.offset as i32,
                );
                self.def_var(ins.results[0], v);
            }
            LlOp::SetField(d) => {
                if d.ty == LlTy::Ref {
                    self.write_barrier(a[0])?;
                }
                self.b
                    .ins()
                    .store(MemFlagsData::trusted(), a[1], a[0], d.offset as i32);
                if d.quasi_immutable && self.cx.jit_hooks {
                    // compiled traces that folded this field must stop using it
                    let off = self.b.ins().iconst(types::I32, i64::from(d.offset));
                    self.call_rt("vmkit_quasi_immut_written", &[a[0], off])?;
                }
            }
            LlOp::PtrEq => {
                let v = self.b.ins().icmp(IntCC::Equal, a[0], a[1]);
                self.def_var(ins.results[0], v);
            }
            LlOp::PtrIsNull => {
                let v = self.b.ins().icmp_imm_s(IntCC::Equal, a[0], 0);
                self.def_var(ins.results[0], v);
            }
            LlOp::Builtin(b, key) => self.builtin(*b, *key, None, ins, &a)?,
            LlOp::NewContainer(b, info) => self.builtin(*b, info.key, Some(info), ins, &a)?,
            LlOp::CanEnterJit(d) if self.cx.jit_hooks => self.can_enter_jit(d.0, ins, false)?,
            LlOp::JitMergePoint(d) if self.fresh.is_some() => self.portal_entry(d.0, ins)?,
            LlOp::JitMergePoint(_) | LlOp::CanEnterJit(_) => {}
        }
        Ok(())
    }

    /// `can_enter_jit!`: when the runtime's `vmkit_jit_active` flag is set, pass the merge
    /// point's values to `vmkit_jit_can_enter(driver, words, n)`, which counts, traces or runs
    /// compiled code and answers 0 (continue), 1 (continue with the values now in the buffer)
    /// or 2 (the portal returns the values in the buffer).
    /// `jit_merge_point!` in the hooked portal: the first time in each call of the portal,
    /// `vmkit_jit_portal_entry` gets the merge point's values (same answers as
    /// `vmkit_jit_can_enter`; 1 continues at this merge point with the values reloaded), so
    /// that the JIT counts portal entries per green key (`function_threshold`) and enters
    /// function-entry traces.
    fn portal_entry(
        &mut self,
        driver: u32,
        ins: &vmkit_translator::flow::Instr<LlOp>,
    ) -> Result<(), String> {
        let fresh = self.fresh.expect("hooked portal");
        let f = self.b.use_var(fresh);
        let hook = self.b.create_block();
        let cont = self.b.create_block();
        self.b.ins().brif(f, hook, &[], cont, &[]);
        self.b.set_cold_block(hook);
        self.b.switch_to_block(hook);
        let zero = self.b.ins().iconst(types::I8, 0);
        self.b.def_var(fresh, zero);
        self.can_enter_jit(driver, ins, true)?;
        self.b.ins().jump(cont, &[]);
        self.b.switch_to_block(cont);
        Ok(())
    }

    fn can_enter_jit(
        &mut self,
        driver: u32,
        ins: &vmkit_translator::flow::Instr<LlOp>,
        at_merge_point: bool,
    ) -> Result<(), String> {
        let ptr = self.ptr();
        let active_id = self.cx.jit_active.ok_or("no vmkit_jit_active")?;
        let gv = self.cx.module.declare_data_in_func(active_id, self.b.func);
        let addr = self.b.ins().symbol_value(ptr, gv);
        let active = self
            .b
            .ins()
            .load(types::I8, MemFlagsData::trusted(), addr, 0);
        let call_blk = self.b.create_block();
        let cont = self.b.create_block();
        self.b.ins().brif(active, call_blk, &[], cont, &[]);
        self.b.set_cold_block(call_blk);
        self.b.switch_to_block(call_blk);
        let n = ins.args.len().max(self.g.ret.len());
        let buf = self.word_buffer(n);
        self.store_words(buf, &ins.args);
        let d = self.b.ins().iconst(types::I32, driver as i64);
        let nargs = self.b.ins().iconst(types::I32, ins.args.len() as i64);
        let rt = if at_merge_point {
            "vmkit_jit_portal_entry"
        } else {
            "vmkit_jit_can_enter"
        };
        let action = self.call_rt(rt, &[d, buf, nargs])?[0];
        let reload = self.b.create_block();
        let ret = self.b.create_block();
        let not0 = self.b.create_block();
        self.b.ins().brif(action, not0, &[], cont, &[]);
        self.b.switch_to_block(not0);
        let is1 = self.b.ins().icmp_imm_s(IntCC::Equal, action, 1);
        self.b.ins().brif(is1, reload, &[], ret, &[]);
        self.b.switch_to_block(reload);
        self.load_words(buf, &ins.args);
        match (self.last_op && !at_merge_point, self.exit_after_jit) {
            // the usual shape (`can_enter_jit!` then `continue`): take the block's exit from
            // here, so the values flow straight to the loop header and `cont` needs no phis
            (true, Some(e @ Exit::Goto(_))) => self.emit_exit(e)?,
            _ => {
                self.b.ins().jump(cont, &[]);
            }
        }
        self.b.switch_to_block(ret);
        let mut vals = Vec::new();
        for (i, t) in self.g.ret.clone().iter().enumerate() {
            let w = self
                .b
                .ins()
                .load(types::I64, MemFlagsData::trusted(), buf, (i * 8) as i32);
            vals.push(word_to_scalar(&mut self.b, w, *t, ptr));
        }
        self.restore_shadow();
        self.b.ins().return_(&vals);
        self.b.switch_to_block(cont);
        Ok(())
    }

    fn int_bin(&mut self, op: BinOp, it: IntTy, x: Value, y: Value) -> Result<Value, String> {
        let signed = it.signed();
        Ok(match op {
            BinOp::Add => self.b.ins().iadd(x, y),
            BinOp::Sub => self.b.ins().isub(x, y),
            BinOp::Mul => self.b.ins().imul(x, y),
            BinOp::And => self.b.ins().band(x, y),
            BinOp::Or => self.b.ins().bor(x, y),
            BinOp::Xor => self.b.ins().bxor(x, y),
            BinOp::Shl => self.b.ins().ishl(x, y),
            BinOp::Shr if signed => self.b.ins().sshr(x, y),
            BinOp::Shr => self.b.ins().ushr(x, y),
            BinOp::Div | BinOp::Rem => {
                let zero = self.b.ins().icmp_imm_s(IntCC::Equal, y, 0);
                let msg = if op == BinOp::Div {
                    "attempt to divide by zero"
                } else {
                    "attempt to calculate the remainder with a divisor of zero"
                };
                self.fatal_if(zero, msg)?;
                if signed {
                    // MIN / -1 wraps (Cranelift's sdiv would trap): compute with y' = 1 and negate.
                    let t = self.b.func.dfg.value_type(x);
                    let minus1 = self.b.ins().icmp_imm_s(IntCC::Equal, y, -1);
                    let one = self.b.ins().iconst(t, 1);
                    let safe_y = self.b.ins().select(minus1, one, y);
                    if op == BinOp::Div {
                        let q = self.b.ins().sdiv(x, safe_y);
                        let nq = self.b.ins().ineg(q);
                        self.b.ins().select(minus1, nq, q)
                    } else {
                        let r = self.b.ins().srem(x, safe_y);
                        let z = self.b.ins().iconst(t, 0);
                        self.b.ins().select(minus1, z, r)
                    }
                } else if op == BinOp::Div {
                    self.b.ins().udiv(x, y)
                } else {
                    self.b.ins().urem(x, y)
                }
            }
            _ => return Err(format!("bad integer operation {op:?}")),
        })
    }

    fn int_ovf(&mut self, op: BinOp, it: IntTy, x: Value, y: Value) -> (Value, Value) {
        let t = self.b.func.dfg.value_type(x);
        let signed = it.signed();
        if t.bits() < 64 {
            let ext = |b: &mut FunctionBuilder, v| {
                if signed {
                    b.ins().sextend(types::I64, v)
                } else {
                    b.ins().uextend(types::I64, v)
                }
            };
            let (wx, wy) = (ext(&mut self.b, x), ext(&mut self.b, y));
            let w = match op {
                BinOp::Add => self.b.ins().iadd(wx, wy),
                BinOp::Sub => self.b.ins().isub(wx, wy),
                _ => self.b.ins().imul(wx, wy),
            };
            let r = self.b.ins().ireduce(t, w);
            let back = ext(&mut self.b, r);
            let o = self.b.ins().icmp(IntCC::NotEqual, back, w);
            return (r, o);
        }
        match (op, signed) {
            (BinOp::Add, true) => {
                let r = self.b.ins().iadd(x, y);
                let a1 = self.b.ins().bxor(x, r);
                let a2 = self.b.ins().bxor(y, r);
                let m = self.b.ins().band(a1, a2);
                let o = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, m, 0);
                (r, o)
            }
            (BinOp::Sub, true) => {
                let r = self.b.ins().isub(x, y);
                let a1 = self.b.ins().bxor(x, y);
                let a2 = self.b.ins().bxor(x, r);
                let m = self.b.ins().band(a1, a2);
                let o = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, m, 0);
                (r, o)
            }
            (BinOp::Add, false) => {
                let r = self.b.ins().iadd(x, y);
                let o = self.b.ins().icmp(IntCC::UnsignedLessThan, r, x);
                (r, o)
            }
            (BinOp::Sub, false) => {
                let r = self.b.ins().isub(x, y);
                let o = self.b.ins().icmp(IntCC::UnsignedLessThan, x, y);
                (r, o)
            }
            (_, true) => {
                let r = self.b.ins().imul(x, y);
                let hi = self.b.ins().smulhi(x, y);
                let sign = self.b.ins().sshr_imm_u(r, 63);
                let o = self.b.ins().icmp(IntCC::NotEqual, hi, sign);
                (r, o)
            }
            (_, false) => {
                let r = self.b.ins().imul(x, y);
                let hi = self.b.ins().umulhi(x, y);
                let o = self.b.ins().icmp_imm_s(IntCC::NotEqual, hi, 0);
                (r, o)
            }
        }
    }

    fn cast(&mut self, v: Value, from: LlTy, to: LlTy) -> Value {
        let ptr = self.ptr();
        let (ft, tt) = (cl_ty(from, ptr), cl_ty(to, ptr));
        match (from, to) {
            (LlTy::F64, LlTy::F64) => v,
            (LlTy::F64, LlTy::Int(it)) => {
                // Rust `as`: saturating, NaN -> 0.
                if tt.bits() >= 32 {
                    if it.signed() {
                        self.b.ins().fcvt_to_sint_sat(tt, v)
                    } else {
                        self.b.ins().fcvt_to_uint_sat(tt, v)
                    }
                } else {
                    let w = self.b.ins().fcvt_to_uint_sat(types::I32, v);
                    let max = self.b.ins().iconst(types::I32, 255);
                    let c = self.b.ins().umin(w, max);
                    self.b.ins().ireduce(tt, c)
                }
            }
            (LlTy::Int(_), LlTy::F64) if it_signed(from) => {
                self.b.ins().fcvt_from_sint(types::F64, v)
            }
            (_, LlTy::F64) => self.b.ins().fcvt_from_uint(types::F64, v),
            _ => {
                if ft == tt {
                    v
                } else if ft.bits() > tt.bits() {
                    self.b.ins().ireduce(tt, v)
                } else if it_signed(from) {
                    self.b.ins().sextend(tt, v)
                } else {
                    self.b.ins().uextend(tt, v)
                }
            }
        }
    }

    fn host_call(
        &mut self,
        f: FnId,
        ins: &vmkit_translator::flow::Instr<LlOp>,
        a: &[Value],
    ) -> Result<(), String> {
        let ptr = self.ptr();
        let name = self.cx.prog.host_names[f.0 as usize]
            .clone()
            .ok_or("host call of a DSL function")?;
        let kind = |t: LlTy| -> u8 {
            match t {
                LlTy::Bool => 1,
                LlTy::Int(it) if it.signed() => 2,
                LlTy::Int(_) => 3,
                LlTy::F64 => 4,
                LlTy::Ref => 5,
            }
        };
        let kinds: Vec<u8> = ins.args.iter().map(|v| kind(*self.g.ty(*v))).collect();
        let ret_kind = ins
            .results
            .first()
            .map(|r| kind(*self.g.ty(*r)))
            .unwrap_or(0);
        let name_d = self.cx.message_data(&name)?;
        let kbuf = self.word_buffer(kinds.len());
        for (i, k) in kinds.iter().enumerate() {
            let kv = self.b.ins().iconst(types::I8, *k as i64);
            self.b
                .ins()
                .store(MemFlagsData::trusted(), kv, kbuf, i as i32);
        }
        let abuf = self.word_buffer(a.len());
        self.store_words(abuf, &ins.args.clone());
        let rbuf = self.word_buffer(1);
        let gv = self.cx.module.declare_data_in_func(name_d, self.b.func);
        let np = self.b.ins().symbol_value(ptr, gv);
        let nl = self.b.ins().iconst(types::I64, name.len() as i64);
        let na = self.b.ins().iconst(types::I32, a.len() as i64);
        let rk = self.b.ins().iconst(types::I8, ret_kind as i64);
        self.call_rt("vmkit_host_call", &[np, nl, kbuf, abuf, na, rk, rbuf])?;
        self.load_words(rbuf, &ins.results.clone());
        Ok(())
    }

    fn builtin(
        &mut self,
        b: Builtin,
        key: Option<MapKeyKind>,
        info: Option<&ContainerInfo>,
        ins: &vmkit_translator::flow::Instr<LlOp>,
        a: &[Value],
    ) -> Result<(), String> {
        use Builtin::*;
        let ptr = self.ptr();
        let results = ins.results.clone();
        let args = ins.args.clone();
        let def1 = |s: &mut Self, v: Value| s.def_var(results[0], v);
        // Simple runtime calls: scalar arguments, at most one scalar result.
        let simple = |b: Builtin| -> Option<&'static str> {
            Some(match b {
                StrLen => "vmkit_str_len",
                StrByteAt => "vmkit_str_byte_at",
                StrConcat => "vmkit_str_concat",
                StrSlice => "vmkit_str_slice",
                StrRepeat => "vmkit_str_repeat",
                StrStartsWith => "vmkit_str_starts_with",
                StrEndsWith => "vmkit_str_ends_with",
                StrHash => "vmkit_str_hash",
                StrCompare => "vmkit_str_compare",
                StrEq => "vmkit_str_eq",
                StrFromI64 => "vmkit_str_from_i64",
                StrFromU64 => "vmkit_str_from_u64",
                StrFromF64 => "vmkit_str_from_f64",
                StrFromByte => "vmkit_str_from_byte",
                SbNew => "vmkit_sb_new",
                SbPushStr => "vmkit_sb_push_str",
                SbPushByte => "vmkit_sb_push_byte",
                SbLen => "vmkit_sb_len",
                SbBuild => "vmkit_sb_build",
                ArrayLen => "vmkit_array_len",
                ListLen => "vmkit_list_len",
                ListTruncate => "vmkit_list_truncate",
                ListClear => "vmkit_list_clear",
                MapLen => "vmkit_map_len",
                MapClear => "vmkit_map_clear",
                Print => "vmkit_print",
                EPrint => "vmkit_eprint",
                WriteByte => "vmkit_write_byte",
                ReadByte => "vmkit_read_byte",
                ReadFile => "vmkit_read_file",
                WriteFile => "vmkit_write_file",
                Flush => "vmkit_flush",
                FfiOpen => "vmkit_ffi_open",
                FfiSymbol => "vmkit_ffi_symbol",
                FfiError => "vmkit_ffi_error",
                FfiCall => "vmkit_ffi_call",
                FfiCallF64 => "vmkit_ffi_call_f64",
                FfiMalloc => "vmkit_ffi_malloc",
                FfiFree => "vmkit_ffi_free",
                FfiPeek => "vmkit_ffi_peek",
                FfiPoke => "vmkit_ffi_poke",
                FfiPeekF64 => "vmkit_ffi_peek_f64",
                FfiPokeF64 => "vmkit_ffi_poke_f64",
                FfiToCstr => "vmkit_ffi_to_cstr",
                FfiFromCstr => "vmkit_ffi_from_cstr",
                FfiCallback => "vmkit_ffi_callback",
                FSin => "vmkit_f64_sin",
                FCos => "vmkit_f64_cos",
                FExp => "vmkit_f64_exp",
                FLn => "vmkit_f64_ln",
                FPowf => "vmkit_f64_powf",
                FPowi => "vmkit_f64_powi",
                FMin => "vmkit_f64_min",
                FMax => "vmkit_f64_max",
                _ => return None,
            })
        };
        if ptr == types::I64 {
            match b {
                StrLen => {
                    let v = self
                        .b
                        .ins()
                        .load(types::I64, MemFlagsData::trusted(), a[0], STR_LEN);
                    def1(self, v);
                    return Ok(());
                }
                ArrayLen => {
                    let v = self
                        .b
                        .ins()
                        .load(types::I64, MemFlagsData::trusted(), a[0], ARRAY_LEN);
                    def1(self, v);
                    return Ok(());
                }
                StrByteAt => {
                    let len = self
                        .b
                        .ins()
                        .load(types::I64, MemFlagsData::trusted(), a[0], STR_LEN);
                    self.bounds_check(a[1], len, "vmkit_str_byte_at", &[a[0], a[1]])?;
                    let addr = self.b.ins().iadd(a[0], a[1]);
                    let v =
                        self.b
                            .ins()
                            .uload8(types::I32, MemFlagsData::trusted(), addr, STR_BYTES);
                    let v = self.b.ins().ireduce(types::I8, v);
                    def1(self, v);
                    return Ok(());
                }
                ArrayGet | ArraySet => {
                    let width = if b == ArrayGet {
                        results.len()
                    } else {
                        args.len() - 2
                    };
                    let len =
                        self.b
                            .ins()
                            .load(types::I64, MemFlagsData::trusted(), a[0], ARRAY_LEN);
                    let scratch = self.word_buffer(width);
                    self.bounds_check(
                        a[1],
                        len,
                        if b == ArrayGet {
                            "vmkit_array_get"
                        } else {
                            "vmkit_array_set"
                        },
                        &[a[0], a[1], scratch],
                    )?;
                    let off = self.b.ins().imul_imm_s(a[1], (width * 8) as i64);
                    let base = self.b.ins().iadd(a[0], off);
                    if b == ArrayGet {
                        for (i, v) in results.iter().enumerate() {
                            let w = self.b.ins().load(
                                types::I64,
                                MemFlagsData::trusted(),
                                base,
                                ARRAY_WORDS + (i * 8) as i32,
                            );
                            let sv = word_to_scalar(&mut self.b, w, *self.g.ty(*v), ptr);
                            self.def_var(*v, sv);
                        }
                    } else {
                        if args[2..].iter().any(|v| *self.g.ty(*v) == LlTy::Ref) {
                            self.write_barrier(a[0])?;
                        }
                        for (i, v) in args[2..].iter().enumerate() {
                            let t = *self.g.ty(*v);
                            let w = scalar_to_word(&mut self.b, a[2 + i], t, ptr);
                            self.b.ins().store(
                                MemFlagsData::trusted(),
                                w,
                                base,
                                ARRAY_WORDS + (i * 8) as i32,
                            );
                        }
                    }
                    return Ok(());
                }
                _ => {}
            }
        }
        if let Some(name) = simple(b) {
            let rs = self.call_rt(name, a)?;
            if let (Some(r), Some(v)) = (results.first(), rs.first()) {
                // usize results come back as i64 already; narrow types match the declaration.
                let want = cl_ty(*self.g.ty(*r), ptr);
                let have = self.b.func.dfg.value_type(*v);
                let v = if want == have {
                    *v
                } else if want.bits() < have.bits() {
                    self.b.ins().ireduce(want, *v)
                } else {
                    self.b.ins().uextend(want, *v)
                };
                def1(self, v);
            }
            return Ok(());
        }
        match b {
            FSqrt => {
                let v = self.b.ins().sqrt(a[0]);
                def1(self, v);
            }
            FFloor => {
                let v = self.b.ins().floor(a[0]);
                def1(self, v);
            }
            FCeil => {
                let v = self.b.ins().ceil(a[0]);
                def1(self, v);
            }
            FAbs => {
                let v = self.b.ins().fabs(a[0]);
                def1(self, v);
            }
            FIsNan => {
                let v = self.b.ins().fcmp(FloatCC::Unordered, a[0], a[0]);
                def1(self, v);
            }
            IntAbs => {
                let neg = self.b.ins().ineg(a[0]);
                let lt = self.b.ins().icmp_imm_s(IntCC::SignedLessThan, a[0], 0);
                let v = self.b.ins().select(lt, neg, a[0]);
                def1(self, v);
            }
            IntMin | IntMax => {
                let signed = it_signed(*self.g.ty(args[0]));
                let v = match (b == IntMin, signed) {
                    (true, true) => self.b.ins().smin(a[0], a[1]),
                    (true, false) => self.b.ins().umin(a[0], a[1]),
                    (false, true) => self.b.ins().smax(a[0], a[1]),
                    (false, false) => self.b.ins().umax(a[0], a[1]),
                };
                def1(self, v);
            }
            Promote => {
                for (r, v) in results.iter().zip(a) {
                    self.def_var(*r, *v);
                }
            }
            WeAreJitted => {
                let v = self.b.ins().iconst(types::I8, 0);
                def1(self, v);
            }
            GcPtrEq => {
                let v = self.b.ins().icmp(IntCC::Equal, a[0], a[1]);
                def1(self, v);
            }
            StrFind => {
                let out = self.word_buffer(1);
                let rs = self.call_rt("vmkit_str_find", &[a[0], a[1], a[2], out])?;
                self.def_var(results[0], rs[0]);
                self.load_words(out, &results[1..]);
            }
            StrParseI64 | StrParseF64 => {
                let out = self.word_buffer(1);
                let name = if b == StrParseI64 {
                    "vmkit_str_parse_i64"
                } else {
                    "vmkit_str_parse_f64"
                };
                let rs = self.call_rt(name, &[a[0], out])?;
                self.def_var(results[0], rs[0]);
                self.load_words(out, &results[1..]);
            }
            ArrayNew => {
                let elem: Vec<LlTy> = info
                    .map(|i| i.elem.clone())
                    .unwrap_or_else(|| args[1..].iter().map(|v| *self.g.ty(*v)).collect());
                let buf = self.word_buffer(elem.len());
                self.store_words(buf, &args[1..]);
                let w = self.b.ins().iconst(types::I32, elem.len() as i64);
                let m = {
                    let m = refmask(&elem);
                    self.b.ins().iconst(types::I64, m)
                };
                let r = self.call_rt("vmkit_array_new", &[a[0], w, m, buf])?[0];
                def1(self, r);
            }
            ListNew => {
                let elem = info.map(|i| i.elem.clone()).unwrap_or_default();
                let w = self.b.ins().iconst(types::I32, elem.len() as i64);
                let m = {
                    let m = refmask(&elem);
                    self.b.ins().iconst(types::I64, m)
                };
                let cap = if a.is_empty() {
                    self.b.ins().iconst(types::I64, 0)
                } else {
                    a[0]
                };
                let r = self.call_rt("vmkit_list_new", &[w, m, cap])?[0];
                def1(self, r);
            }
            MapNew => {
                let info = info.ok_or("MapNew without container info")?;
                let kw = self.b.ins().iconst(types::I32, info.elem.len() as i64);
                let km = {
                    let m = refmask(&info.elem);
                    self.b.ins().iconst(types::I64, m)
                };
                let vw = self.b.ins().iconst(types::I32, info.value.len() as i64);
                let vm = {
                    let m = refmask(&info.value);
                    self.b.ins().iconst(types::I64, m)
                };
                let (kind, h, e) = match info.key {
                    Some(MapKeyKind::Str) => (1, None, None),
                    Some(MapKeyKind::User { hash, eq, .. }) => (
                        2,
                        Some(self.cx.thunk(hash, false)?),
                        Some(self.cx.thunk(eq, true)?),
                    ),
                    _ => (0, None, None),
                };
                let k = self.b.ins().iconst(types::I32, kind);
                let hp = match h {
                    Some(id) => {
                        let fr = self.func_ref(id);
                        self.b.ins().func_addr(ptr, fr)
                    }
                    None => self.b.ins().iconst(ptr, 0),
                };
                let ep = match e {
                    Some(id) => {
                        let fr = self.func_ref(id);
                        self.b.ins().func_addr(ptr, fr)
                    }
                    None => self.b.ins().iconst(ptr, 0),
                };
                let r = self.call_rt("vmkit_map_new", &[kw, km, vw, vm, k, hp, ep])?[0];
                def1(self, r);
            }
            ArrayGet | ListGet | ListRemove | MapKeyAt | MapValueAt => {
                let name = match b {
                    ArrayGet => "vmkit_array_get",
                    ListGet => "vmkit_list_get",
                    ListRemove => "vmkit_list_remove",
                    MapKeyAt => "vmkit_map_key_at",
                    _ => "vmkit_map_value_at",
                };
                let out = self.word_buffer(results.len());
                self.call_rt(name, &[a[0], a[1], out])?;
                self.load_words(out, &results);
            }
            ArraySet | ListSet | ListInsert => {
                let name = match b {
                    ArraySet => "vmkit_array_set",
                    ListSet => "vmkit_list_set",
                    _ => "vmkit_list_insert",
                };
                let buf = self.word_buffer(args.len() - 2);
                self.store_words(buf, &args[2..]);
                self.call_rt(name, &[a[0], a[1], buf])?;
            }
            ListPush => {
                let buf = self.word_buffer(args.len() - 1);
                self.store_words(buf, &args[1..]);
                self.call_rt("vmkit_list_push", &[a[0], buf])?;
            }
            ListPop => {
                let nullable = results.len() == 1 && *self.g.ty(results[0]) == LlTy::Ref;
                let width = if nullable { 1 } else { results.len() - 1 };
                let out = self.word_buffer(width);
                let found = self.call_rt("vmkit_list_pop", &[a[0], out])?[0];
                self.option_result(found, out, &results, nullable);
            }
            MapGet | MapRemove | MapContains | MapInsert => {
                let kw = match key {
                    Some(MapKeyKind::User { width, .. }) => width as usize,
                    _ => 1,
                };
                let kbuf = self.word_buffer(kw);
                self.store_words(kbuf, &args[1..1 + kw]);
                match b {
                    MapContains => {
                        let r = self.call_rt("vmkit_map_contains", &[a[0], kbuf])?[0];
                        def1(self, r);
                    }
                    MapInsert => {
                        let vbuf = self.word_buffer(args.len() - 1 - kw);
                        self.store_words(vbuf, &args[1 + kw..]);
                        let nullable = results.len() == 1 && *self.g.ty(results[0]) == LlTy::Ref;
                        let width = if nullable { 1 } else { results.len() - 1 };
                        let out = self.word_buffer(width);
                        let found = self.call_rt("vmkit_map_insert", &[a[0], kbuf, vbuf, out])?[0];
                        self.option_result(found, out, &results, nullable);
                    }
                    _ => {
                        let nullable = results.len() == 1 && *self.g.ty(results[0]) == LlTy::Ref;
                        let width = if nullable { 1 } else { results.len() - 1 };
                        let out = self.word_buffer(width);
                        let name = if b == MapGet {
                            "vmkit_map_get"
                        } else {
                            "vmkit_map_remove"
                        };
                        let found = self.call_rt(name, &[a[0], kbuf, out])?[0];
                        self.option_result(found, out, &results, nullable);
                    }
                }
            }
            other => return Err(format!("the AOT backend does not handle builtin {other:?}")),
        }
        Ok(())
    }

    /// `if index >= len { call <slow>(args) }`: the runtime's slow path reports the error with
    /// the standard message (it does not return).
    fn bounds_check(
        &mut self,
        index: Value,
        len: Value,
        slow: &str,
        args: &[Value],
    ) -> Result<(), String> {
        let bad = self
            .b
            .ins()
            .icmp(IntCC::UnsignedGreaterThanOrEqual, index, len);
        let cold = self.b.create_block();
        let ok = self.b.create_block();
        self.b.ins().brif(bad, cold, &[], ok, &[]);
        self.b.set_cold_block(cold);
        self.b.switch_to_block(cold);
        self.call_rt(slow, args)?;
        self.b.ins().trap(TrapCode::user(2).expect("trap code"));
        self.b.switch_to_block(ok);
        Ok(())
    }

    /// The write barrier, shaped for a generational collector: objects whose header has the
    /// barrier flag get `vmkit_write_barrier(obj)` before a reference is stored into them. The
    /// mark-sweep collector never sets the flag, so this is a load and a predictable branch.
    fn write_barrier(&mut self, obj: Value) -> Result<(), String> {
        let flags = self
            .b
            .ins()
            .load(types::I32, MemFlagsData::trusted(), obj, 4);
        let bit = self.b.ins().band_imm_u(flags, FLAG_BARRIER);
        let slow = self.b.create_block();
        let done = self.b.create_block();
        self.b.ins().brif(bit, slow, &[], done, &[]);
        self.b.set_cold_block(slow);
        self.b.switch_to_block(slow);
        self.call_rt("vmkit_write_barrier", &[obj])?;
        self.b.ins().jump(done, &[]);
        self.b.switch_to_block(done);
        Ok(())
    }

    /// Defines an `Option` result from a found flag and an out buffer.
    fn option_result(&mut self, found: Value, out: Value, results: &[Var], nullable: bool) {
        if nullable {
            let ptr = self.ptr();
            let w = self
                .b
                .ins()
                .load(types::I64, MemFlagsData::trusted(), out, 0);
            let w = if ptr == types::I64 {
                w
            } else {
                self.b.ins().ireduce(ptr, w)
            };
            let z = self.b.ins().iconst(ptr, 0);
            let v = self.b.ins().select(found, w, z);
            self.def_var(results[0], v);
        } else {
            self.def_var(results[0], found);
            // The buffer is only meaningful when found; load it anyway (the runtime zero-fills).
            let ptr = self.ptr();
            for (i, v) in results[1..].iter().enumerate() {
                let w = self
                    .b
                    .ins()
                    .load(types::I64, MemFlagsData::trusted(), out, (i * 8) as i32);
                let z = self.b.ins().iconst(types::I64, 0);
                let w = self.b.ins().select(found, w, z);
                let s = word_to_scalar(&mut self.b, w, *self.g.ty(*v), ptr);
                self.def_var(*v, s);
            }
        }
    }
}

fn it_signed(t: LlTy) -> bool {
    matches!(t, LlTy::Int(it) if it.signed())
}

fn int_cc(op: BinOp, signed: bool) -> IntCC {
    match (op, signed) {
        (BinOp::Eq, _) => IntCC::Equal,
        (BinOp::Ne, _) => IntCC::NotEqual,
        (BinOp::Lt, true) => IntCC::SignedLessThan,
        (BinOp::Le, true) => IntCC::SignedLessThanOrEqual,
        (BinOp::Gt, true) => IntCC::SignedGreaterThan,
        (_, true) => IntCC::SignedGreaterThanOrEqual,
        (BinOp::Lt, false) => IntCC::UnsignedLessThan,
        (BinOp::Le, false) => IntCC::UnsignedLessThanOrEqual,
        (BinOp::Gt, false) => IntCC::UnsignedGreaterThan,
        (_, false) => IntCC::UnsignedGreaterThanOrEqual,
    }
}

/// The keys missing from `keys` between its smallest and largest when the range is at most
/// three times as large as the set (and small): filling them with the default target turns a
/// switch into a single jump table. Empty otherwise.
fn dense_gaps(keys: &BTreeSet<i64>) -> Vec<i64> {
    let (Some(&lo), Some(&hi)) = (keys.first(), keys.last()) else {
        return Vec::new();
    };
    let span = (hi as i128) - (lo as i128) + 1;
    if keys.len() < 8 || span > 3 * keys.len() as i128 || span > 4096 {
        return Vec::new();
    }
    (lo..=hi).filter(|k| !keys.contains(k)).collect()
}
