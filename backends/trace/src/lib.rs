//! The JIT's trace backend: compiles a trace ([`vmkit_jit_ir::trace::Trace`]) to native code
//! with Cranelift and places it in executable memory that is never writable and executable at
//! once.
//!
//! This crate is linked into the runtime of translated programs and runs on the target machine,
//! so it depends only on the trace IR, Cranelift and libc — never on the translator.
//!
//! A compiled trace is an `extern "C" fn(frame: *mut u64) -> u32`: it loads its inputs from
//! `frame[0..]`, runs (a loop trace forever, until a guard fails), stores the failing guard's
//! `fail_args` (or the final `Exit`'s arguments) into `frame[0..]` and returns that guard's or
//! exit's index. The caller sizes `frame` for the largest of these.
//!
//! Modules:
//! - `isa`: the Cranelift ISA for a target triple;
//! - `lower`: trace → Cranelift IR (control flow, memory, calls, guards, shadow stack);
//! - `scalar`: the exact scalar semantics of `vmkit_jit_ir::ops` in Cranelift IR;
//! - `roots`: liveness of references across calls that may collect;
//! - `codemem`: W^X code memory.

mod codemem;
mod isa;
mod lower;
mod roots;
mod scalar;

use codemem::CodeMemory;
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::UserFuncName;
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilderContext;
use std::fmt;
use vmkit_jit_ir::trace::Trace;

/// Addresses the compiled code needs, supplied by the runtime.
#[derive(Clone, Copy, Debug)]
pub struct Env {
    /// Table of helper function addresses; `OpKind::Call { helper: i }` calls `*helpers.add(i)`,
    /// each with ABI `extern "C" fn(args: *const u64, results: *mut u64)`. The table is read at
    /// compile time (it must be immutable and hold `nhelpers` entries).
    pub helpers: *const usize,
    pub nhelpers: usize,
    /// `extern "C" fn(array: *mut u8, index: u64, out: *mut u64)` — reports the out-of-bounds
    /// error and exits (called only on the failing path).
    pub array_get: usize,
    /// `extern "C" fn(array: *mut u8, index: u64, val: *const u64)` — same, for stores.
    pub array_set: usize,
    /// `extern "C" fn(s: *mut u8, index: u64) -> u8` — reports a bad string index and exits.
    pub str_byte_at: usize,
    /// `extern "C" fn(msg: *const u8, len: u64) -> !` (division by zero messages).
    pub fatal: usize,
    /// Addresses of the runtime's statics `vmkit_shadow_top` / `vmkit_shadow_limit` (each a
    /// `*mut *mut u8` variable: the shadow stack of GC roots grows upward, top = first free
    /// slot).
    pub shadow_top: usize,
    pub shadow_limit: usize,
    /// `extern "C" fn() -> !` called when the shadow stack would overflow.
    pub stack_overflow: usize,
}

// SAFETY: `Env` is a set of addresses of process-wide functions and statics; the helper table
// it points to is immutable.
unsafe impl Send for Env {}
unsafe impl Sync for Env {}

/// How executable memory is obtained and protected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MemPolicy {
    /// mmap RW, write, mprotect RX (Linux, x86-64 macOS).
    #[default]
    MprotectWx,
}

/// Compiles traces for one target. Reuses its Cranelift contexts between traces.
pub struct TraceCompiler {
    isa: OwnedTargetIsa,
    ctx: Context,
    fctx: FunctionBuilderContext,
    policy: MemPolicy,
}

/// A compiled trace in executable memory. Dropping it unmaps the code: `entry` must not be
/// called afterwards.
pub struct CompiledTrace {
    /// Loads the inputs from `frame[0..]`, runs; returns the index of the guard that failed or
    /// of the final Exit, after storing their fail_args/args into `frame[0..]`. (Jump loops
    /// back forever.)
    pub entry: unsafe extern "C" fn(frame: *mut u64) -> u32,
    /// Size of the machine code in bytes.
    pub code_size: usize,
    /// The Cranelift IR and the disassembly, when requested.
    pub text: Option<String>,
    _mem: CodeMemory,
}

impl fmt::Debug for CompiledTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledTrace")
            .field("entry", &(self.entry as *const u8))
            .field("code_size", &self.code_size)
            .finish_non_exhaustive()
    }
}

impl TraceCompiler {
    /// `triple`: the target triple (e.g. "x86_64-unknown-linux-gnu",
    /// "aarch64-unknown-linux-gnu", "aarch64-apple-darwin"); the ISA and calling convention
    /// come from it. 64-bit targets only.
    pub fn new(triple: &str, policy: MemPolicy) -> Result<TraceCompiler, String> {
        Ok(TraceCompiler {
            isa: isa::make_isa(triple)?,
            ctx: Context::new(),
            fctx: FunctionBuilderContext::new(),
            policy,
        })
    }

    /// Compiles `trace` into executable memory. `want_text`: also return the Cranelift IR and
    /// the disassembly (for the `jit-backend` log). The target must be the machine this runs
    /// on.
    pub fn compile(
        &mut self,
        trace: &Trace,
        env: &Env,
        want_text: bool,
    ) -> Result<CompiledTrace, String> {
        let host = target_lexicon::Triple::host();
        let target = self.isa.triple();
        if target.architecture != host.architecture
            || self.isa.default_call_conv() != CallConv::triple_default(&host)
        {
            return Err(format!(
                "trace backend: cannot run code for `{target}` on `{host}`"
            ));
        }
        let (code, text) = self.codegen(trace, env, want_text)?;
        let mem = CodeMemory::new(&code, self.policy)?;
        // SAFETY: `mem` holds a complete function with this signature (see `lower`).
        let entry = unsafe {
            std::mem::transmute::<*const u8, unsafe extern "C" fn(*mut u64) -> u32>(mem.as_ptr())
        };
        Ok(CompiledTrace {
            entry,
            code_size: code.len(),
            text,
            _mem: mem,
        })
    }

    /// Only generates machine code bytes (no memory mapping) — for cross-ISA tests.
    pub fn compile_bytes(&mut self, trace: &Trace, env: &Env) -> Result<Vec<u8>, String> {
        Ok(self.codegen(trace, env, false)?.0)
    }

    fn codegen(
        &mut self,
        trace: &Trace,
        env: &Env,
        want_text: bool,
    ) -> Result<(Vec<u8>, Option<String>), String> {
        trace.verify()?;
        self.ctx.clear();
        let cc = self.isa.default_call_conv();
        let func = &mut self.ctx.func;
        func.signature = lower::trace_signature(cc);
        func.name = UserFuncName::testcase("trace");
        let config = self.isa.frontend_config();
        if let Err(e) = lower::build(func, &mut self.fctx, trace, env, cc, config) {
            // The builder context may hold a half-built function: start afresh.
            self.fctx = FunctionBuilderContext::new();
            return Err(format!("trace `{}`: {e}", trace.name));
        }
        let ir = want_text.then(|| self.ctx.func.display().to_string());
        self.ctx.set_disasm(want_text);
        let compiled = self
            .ctx
            .compile(&*self.isa, &mut ControlPlane::default())
            .map_err(|e| {
                format!(
                    "trace `{}`: cranelift: {}",
                    trace.name,
                    cranelift_codegen::print_errors::pretty_error(e.func, e.inner)
                )
            })?;
        if !compiled.buffer.relocs().is_empty() {
            return Err(format!("trace `{}`: unexpected relocations", trace.name));
        }
        let text = ir.map(|ir| {
            let asm = compiled.vcode.as_deref().unwrap_or("");
            format!("{ir}\n; disassembly\n{asm}")
        });
        Ok((compiled.code_buffer().to_vec(), text))
    }
}
