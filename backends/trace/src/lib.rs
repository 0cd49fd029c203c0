//! The JIT's trace backend: compiles a trace ([`vmkit_jit_ir::trace::Trace`]) to native code
//! with Cranelift and places it in executable memory that is never writable and executable at
//! once.
//!
//! This crate is linked into the runtime of translated programs and runs on the target machine,
//! so it depends only on the trace IR, Cranelift and libc — never on the translator.
//!
//! A compiled trace is a function `fn(frame: *mut u64) -> u32` in Cranelift's `tail` calling
//! convention ([`CompiledTrace::tail_entry`]): it loads its inputs from `frame[0..]`, runs (a
//! loop trace forever, until a guard fails), stores the failing guard's `fail_args` (or the final
//! `Exit`'s arguments) into `frame[0..]` and returns that guard's or exit's index. The caller
//! sizes `frame` for the largest of these. The runtime enters it with the C ABI through
//! [`CompiledTrace::entry`] (a per-trace stub that jumps to the compiler's C-ABI trampoline).
//!
//! Direct linking: a trace may continue in another trace without returning to the runtime —
//! `OpKind::JumpTo { target }` tail-calls the `tail_entry` `target`, and a failing guard (or
//! the final `Exit`) of a trace compiled with a link table tail-calls the address in the table's
//! word for its index when that word is non-zero (see [`TraceCompiler::compile`]). Tail calls replace the caller's
//! native frame, so chains of any length (loop → bridge → loop → ...) run in constant stack;
//! the frame buffer is shared, and each trace pops its shadow-stack slots before a tail call as
//! before a return.
//!
//! Compiling is two steps: [`CodeGen::generate`] makes the machine code (position independent,
//! no relocations: every address is a constant in it), on any thread with its own `CodeGen`;
//! [`CodeMemory::place`] (or [`TraceCompiler::install`]) places it into code memory with its
//! entry stub, on any thread holding a handle to that memory. [`TraceCompiler::compile`] does
//! both at once. (The runtime generates and places code on a background thread; see its `jit`
//! module.)
//!
//! Modules:
//! - `isa`: the Cranelift ISA for a target triple;
//! - `lower`: trace → Cranelift IR (control flow, memory, calls, guards, shadow stack);
//! - `scalar`: the exact scalar semantics of `vmkit_jit_ir::ops` in Cranelift IR;
//! - `roots`: liveness of references across calls that may collect;
//! - `codemem`: W^X code memory (a bump arena over chunks: mprotect'ed read-execute pages, or
//!   `MAP_JIT` memory with per-thread write protection on arm64 macOS);
//! - [`ffi`]: call trampolines into C functions with run-time signatures and C-callable
//!   callback trampolines into the VM, generated with Cranelift.

mod codemem;
pub mod ffi;
mod isa;
mod lower;
mod roots;
mod scalar;

pub use ffi::{
    build_call_trampoline, build_callback_trampoline, call_trampoline_disasm,
    compile_call_trampoline, compile_callback_trampoline, CType, FfiCode, FfiSig,
};

use codemem::{Chunk, CodeArena};
use cranelift_codegen::control::ControlPlane;
use cranelift_codegen::ir::UserFuncName;
use cranelift_codegen::isa::{CallConv, OwnedTargetIsa};
use cranelift_codegen::Context;
use cranelift_frontend::FunctionBuilderContext;
use std::fmt;
use std::sync::{Arc, Mutex};
use target_lexicon::Architecture;
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
    /// `extern "C" fn(list: *mut u8, index: u64, out: *mut u64)` and
    /// `extern "C" fn(list: *mut u8, index: u64, val: *const u64)`: the same for lists.
    pub list_get: usize,
    pub list_set: usize,
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

/// How executable memory is obtained and protected (`jit_memory` in `targets/*.ron`;
/// [`MemPolicy::for_target`] picks it from a triple). Both go through the same code arena; see
/// `codemem`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MemPolicy {
    /// Chunks mapped RW; each trace is written to fresh pages, then mprotected RX (Linux,
    /// x86-64 macOS).
    #[default]
    MprotectWx,
    /// macOS arm64: chunks mapped RWX with `MAP_JIT`; each trace is written while the thread's
    /// JIT write protection is off (`pthread_jit_write_protect_np`), then the instruction cache
    /// is invalidated. Only available when built for arm64 macOS (elsewhere compiling a trace
    /// fails with an error).
    MapJit,
}

/// Generates the machine code of trace functions for one target, without placing it anywhere
/// (no code memory, no entry stub): the part of compiling a trace that may run on another
/// thread than the one that runs the code. Owns its ISA and Cranelift contexts, reused between
/// traces. The code it makes is position independent (no relocations: every address — helpers,
/// link table, `JumpTo` targets — is embedded as a constant), so it can be copied to any
/// address by [`TraceCompiler::install`].
pub struct CodeGen {
    isa: OwnedTargetIsa,
    ctx: Context,
    fctx: FunctionBuilderContext,
}

/// The machine code of one trace function made by [`CodeGen::generate`], not yet executable.
pub struct TraceCode {
    /// The code bytes (position independent).
    pub bytes: Vec<u8>,
    /// The Cranelift IR and the disassembly, when requested.
    pub text: Option<String>,
    /// The architecture it was generated for (checked by [`TraceCompiler::install`]).
    arch: Architecture,
}

impl fmt::Debug for TraceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TraceCode")
            .field("len", &self.bytes.len())
            .field("arch", &self.arch)
            .finish_non_exhaustive()
    }
}

/// Compiles traces for one target: a [`CodeGen`] plus the code memory the traces are placed
/// in. Reuses its Cranelift contexts, its ISA and its code memory between traces.
///
/// Compiling is two steps, which [`TraceCompiler::compile`] does at once: generating the
/// machine code ([`CodeGen::generate`], which may run on any thread with its own `CodeGen`),
/// then placing it into code memory ([`TraceCompiler::install`], or [`CodeMemory::place`]
/// on any thread holding a handle to the same code memory).
pub struct TraceCompiler {
    cg: CodeGen,
    mem: CodeMemory,
}

/// A handle to a [`TraceCompiler`]'s code memory, which any thread may use to place generated
/// code ([`CodeMemory::place`]); clones share the memory. Each piece of code goes to fresh
/// memory that no thread executes until its address is handed out, and the arena's policy
/// makes it executable before that (an `mprotect` of its own pages, or the placing thread's
/// own `MAP_JIT` write window), so placing on one thread while another runs older code of the
/// same chunk is safe. A thread that runs code placed by another must have received the
/// [`CompiledTrace`] through a synchronizing operation (a channel, a lock), and call
/// [`CompiledTrace::acquire`] before running it.
#[derive(Clone)]
pub struct CodeMemory {
    inner: Arc<Mutex<Placer>>,
    arch: Architecture,
    cc: CallConv,
}

/// The state behind a [`CodeMemory`].
struct Placer {
    arena: CodeArena,
    /// The C-ABI trampoline `fn(frame, tail_entry) -> u32` (its address and chunk), compiled on
    /// the first placement.
    trampoline: Option<(usize, Arc<Chunk>)>,
    /// The trampoline's machine code (made by the compiler's `CodeGen` up front, so that
    /// placing needs no code generator).
    trampoline_code: Vec<u8>,
}

/// A compiled trace in executable memory. Dropping it releases its code, which must not run
/// afterwards (neither through `entry` nor as a link or `JumpTo` target of another trace). The
/// pages themselves may stay mapped until the other traces of the same code-memory chunk are
/// dropped too (see `codemem`).
pub struct CompiledTrace {
    /// Runs the trace from Rust (C ABI): loads the inputs from `frame[0..]`, runs; returns the
    /// index of the guard that failed or of the final Exit, after storing their
    /// fail_args/args into `frame[0..]`. (Jump loops back forever.) When the trace continues
    /// in other traces (`JumpTo`, linked guards), the index and the frame are those of the last
    /// trace, which returned.
    pub entry: unsafe extern "C" fn(frame: *mut u64) -> u32,
    /// The address of the trace function itself, in Cranelift's `tail` calling convention
    /// (`fn(frame: *mut u64) -> u32`): the target to give to `OpKind::JumpTo` and to store in
    /// link tables. Not callable from Rust.
    pub tail_entry: usize,
    /// Size of the machine code of the trace function in bytes.
    pub code_size: usize,
    /// The Cranelift IR and the disassembly, when requested.
    pub text: Option<String>,
    _code: Arc<Chunk>,
    _trampoline: Arc<Chunk>,
}

impl CompiledTrace {
    /// To be called by a thread about to run code that another thread placed (after receiving
    /// it through a synchronizing operation): discards instructions this thread may have
    /// fetched earlier (`isb` on aarch64; nothing on x86-64, whose instruction caches are
    /// coherent).
    pub fn acquire(&self) {
        codemem::sync_instruction_stream();
    }
}

impl fmt::Debug for CompiledTrace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CompiledTrace")
            .field("entry", &(self.entry as *const u8))
            .field("tail_entry", &(self.tail_entry as *const u8))
            .field("code_size", &self.code_size)
            .finish_non_exhaustive()
    }
}

/// Placeholder bytes between the trace function and its entry stub (traps if executed).
fn padding_byte(arch: Architecture) -> u8 {
    match arch {
        Architecture::X86_64 => 0xcc, // int3
        _ => 0,                       // aarch64: udf #0
    }
}

/// The C-ABI entry stub of one trace: `entry(frame)` = `trampoline(frame, tail_entry)`, as a
/// tail jump (the trampoline returns to `entry`'s caller). Machine code for `arch` with the
/// default C convention `cc`; `None` if unsupported.
fn entry_stub(
    arch: Architecture,
    cc: CallConv,
    tail_entry: u64,
    trampoline: u64,
) -> Option<Vec<u8>> {
    let mut s = Vec::with_capacity(32);
    match (arch, cc) {
        (Architecture::X86_64, CallConv::SystemV) => {
            s.extend([0x48, 0xbe]); // movabs rsi, tail_entry
            s.extend(tail_entry.to_le_bytes());
            s.extend([0x48, 0xb8]); // movabs rax, trampoline
            s.extend(trampoline.to_le_bytes());
            s.extend([0xff, 0xe0]); // jmp rax
        }
        (Architecture::Aarch64(_), CallConv::SystemV | CallConv::AppleAarch64) => {
            // At a 16-byte aligned address, so that the literals are 8-byte aligned.
            for insn in [
                0x5800_0081u32, // ldr x1, #16 (tail_entry)
                0x5800_00b0,    // ldr x16, #20 (trampoline)
                0xd61f_0200,    // br x16
                0xd503_201f,    // nop
            ] {
                s.extend(insn.to_le_bytes());
            }
            s.extend(tail_entry.to_le_bytes());
            s.extend(trampoline.to_le_bytes());
        }
        _ => return None,
    }
    Some(s)
}

/// Alignment of the entry stub after the trace function.
const STUB_ALIGN: usize = 16;

impl CodeGen {
    /// A code generator for `triple` (e.g. "x86_64-unknown-linux-gnu",
    /// "aarch64-unknown-linux-gnu", "aarch64-apple-darwin"). 64-bit targets only.
    pub fn new(triple: &str) -> Result<CodeGen, String> {
        Ok(CodeGen {
            isa: isa::make_isa(triple)?,
            ctx: Context::new(),
            fctx: FunctionBuilderContext::new(),
        })
    }

    /// Generates the machine code of `trace`. `env`, `links` and `want_text` as for
    /// [`TraceCompiler::compile`]: the helper table of `env` is read here; the link table is
    /// only embedded in the code (as an address), never read or written.
    pub fn generate(
        &mut self,
        trace: &Trace,
        env: &Env,
        links: Option<*const u64>,
        want_text: bool,
    ) -> Result<TraceCode, String> {
        let text = self.codegen(trace, env, links, want_text)?;
        let bytes = self
            .ctx
            .compiled_code()
            .expect("compiled")
            .code_buffer()
            .to_vec();
        Ok(TraceCode {
            bytes,
            text,
            arch: self.isa.triple().architecture,
        })
    }

    /// The machine code of the C-ABI trampoline `fn(frame, tail_entry) -> u32`.
    fn trampoline_code(&mut self) -> Result<Vec<u8>, String> {
        self.ctx.clear();
        let cc = self.isa.default_call_conv();
        self.ctx.func.signature = lower::trampoline_signature(cc);
        self.ctx.func.name = UserFuncName::testcase("trampoline");
        lower::build_trampoline(
            &mut self.ctx.func,
            &mut self.fctx,
            self.isa.frontend_config(),
        );
        self.ctx.set_disasm(false);
        let compiled = self
            .ctx
            .compile(&*self.isa, &mut ControlPlane::default())
            .map_err(|e| format!("trampoline: cranelift: {:?}", e.inner))?;
        if !compiled.buffer.relocs().is_empty() {
            return Err("trampoline: unexpected relocations".into());
        }
        Ok(compiled.code_buffer().to_vec())
    }

    /// Generates the code of `trace` into `self.ctx`; returns the text when `want_text`.
    fn codegen(
        &mut self,
        trace: &Trace,
        env: &Env,
        links: Option<*const u64>,
        want_text: bool,
    ) -> Result<Option<String>, String> {
        trace.verify()?;
        if links.is_some_and(|p| p.is_null()) {
            return Err(format!("trace `{}`: null link table", trace.name));
        }
        self.ctx.clear();
        let cc = self.isa.default_call_conv();
        let func = &mut self.ctx.func;
        func.signature = lower::trace_signature();
        func.name = UserFuncName::testcase("trace");
        let config = self.isa.frontend_config();
        if let Err(e) = lower::build(func, &mut self.fctx, trace, env, cc, links, config) {
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
        Ok(ir.map(|ir| {
            let asm = compiled.vcode.as_deref().unwrap_or("");
            format!("{ir}\n; disassembly\n{asm}")
        }))
    }
}

impl TraceCompiler {
    /// `triple`: the target triple (e.g. "x86_64-unknown-linux-gnu",
    /// "aarch64-unknown-linux-gnu", "aarch64-apple-darwin"); the ISA and calling convention
    /// come from it. 64-bit targets only.
    pub fn new(triple: &str, policy: MemPolicy) -> Result<TraceCompiler, String> {
        let mut cg = CodeGen::new(triple)?;
        let trampoline_code = cg.trampoline_code()?;
        let arch = cg.isa.triple().architecture;
        let cc = cg.isa.default_call_conv();
        Ok(TraceCompiler {
            cg,
            mem: CodeMemory {
                inner: Arc::new(Mutex::new(Placer {
                    arena: CodeArena::new(policy),
                    trampoline: None,
                    trampoline_code,
                })),
                arch,
                cc,
            },
        })
    }

    /// A handle to this compiler's code memory, for placing code on another thread.
    pub fn code_memory(&self) -> CodeMemory {
        self.mem.clone()
    }

    /// Compiles `trace` into executable memory. The target must be the machine this runs on.
    /// The same as [`CodeGen::generate`] (with this compiler's own code generator) followed
    /// by [`TraceCompiler::install`].
    ///
    /// `links`: the link table, or `None` (failing guards and exits always return their index).
    /// With `Some(p)` — one word per guard index and per exit index — a failing guard (or an
    /// `Exit`) with index `i` stores its fail_args (args) into the frame,
    /// then reads the word `*p.add(i)`: if non-zero, it is the `tail_entry` of a compiled
    /// trace, which it tail-calls with the frame (that trace's inputs are the fail_args);
    /// else it returns `i`. The table is read at every guard failure, never written by the
    /// backend: the runtime owns it, sizes it for the largest guard index of the trace (+1),
    /// may write it at any time (e.g. when it attaches a bridge) and must keep it alive, at the
    /// same address, as long as the code exists. Every non-zero word and every `JumpTo` target
    /// must be the `tail_entry` of a live trace compiled for this target.
    ///
    /// `want_text`: also return the Cranelift IR and the disassembly (for the `jit-backend`
    /// log).
    pub fn compile(
        &mut self,
        trace: &Trace,
        env: &Env,
        links: Option<*const u64>,
        want_text: bool,
    ) -> Result<CompiledTrace, String> {
        self.check_host()?;
        let code = self.cg.generate(trace, env, links, want_text)?;
        self.install(code)
    }

    /// This compiler's own code generator (to generate code on this thread).
    pub fn code_gen(&mut self) -> &mut CodeGen {
        &mut self.cg
    }

    /// [`CodeGen::generate`] with this compiler's own code generator (on this thread).
    pub fn generate(
        &mut self,
        trace: &Trace,
        env: &Env,
        links: Option<*const u64>,
        want_text: bool,
    ) -> Result<TraceCode, String> {
        self.cg.generate(trace, env, links, want_text)
    }

    /// Whether code for this compiler's target runs here (same architecture and C
    /// convention), with an entry stub.
    fn check_host(&self) -> Result<(), String> {
        let host = target_lexicon::Triple::host();
        let target = self.cg.isa.triple();
        let arch = target.architecture;
        let cc = self.cg.isa.default_call_conv();
        if arch != host.architecture || cc != CallConv::triple_default(&host) {
            return Err(format!(
                "trace backend: cannot run code for `{target}` on `{host}`"
            ));
        }
        if entry_stub(arch, cc, 0, 0).is_none() {
            return Err(format!("trace backend: no entry stub for `{target}`"));
        }
        Ok(())
    }

    /// Places generated code (from any [`CodeGen`] for this compiler's target) into executable
    /// memory, with its entry stub ([`CodeMemory::place`] on this compiler's code memory).
    /// The link table and `JumpTo` targets embedded in the code must satisfy what
    /// [`TraceCompiler::compile`] says from now on.
    pub fn install(&mut self, code: TraceCode) -> Result<CompiledTrace, String> {
        self.check_host()?;
        self.mem.place(code)
    }

    /// Only generates the machine code bytes of the trace function (no memory mapping, no
    /// entry stub) — for cross-ISA tests. `links` as for [`TraceCompiler::compile`] (only
    /// embedded in the code, never read here).
    pub fn compile_bytes(
        &mut self,
        trace: &Trace,
        env: &Env,
        links: Option<*const u64>,
    ) -> Result<Vec<u8>, String> {
        Ok(self.cg.generate(trace, env, links, false)?.bytes)
    }
}

impl CodeMemory {
    /// Places generated code (from any [`CodeGen`] for this memory's target, checked to run on
    /// this machine by [`TraceCompiler::new`]'s caller) into executable memory, with its entry
    /// stub; may run on any thread. The link table and `JumpTo` targets embedded in the code
    /// must satisfy what [`TraceCompiler::compile`] says once the code can run.
    pub fn place(&self, code: TraceCode) -> Result<CompiledTrace, String> {
        let (arch, cc) = (self.arch, self.cc);
        if code.arch != arch {
            return Err(format!(
                "trace backend: code generated for {} installed for {arch}",
                code.arch
            ));
        }
        if entry_stub(arch, cc, 0, 0).is_none() {
            return Err(format!("trace backend: no entry stub for `{arch}`"));
        }
        // a panic while placing leaves nothing half-done that later placements would use
        let mut pl = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let (tramp_addr, tramp_chunk) = match &pl.trampoline {
            Some((a, c)) => (*a, c.clone()),
            None => {
                let code = std::mem::take(&mut pl.trampoline_code);
                let (chunk, p) = pl
                    .arena
                    .alloc(code.len(), |buf, _| buf.copy_from_slice(&code))?;
                pl.trampoline = Some((p as usize, chunk.clone()));
                (p as usize, chunk)
            }
        };
        let TraceCode { bytes, text, .. } = code;
        let code_size = bytes.len();
        let stub_at = code_size.next_multiple_of(STUB_ALIGN);
        let stub_len = entry_stub(arch, cc, 0, 0).map_or(0, |s| s.len());
        let pad = padding_byte(arch);
        let (chunk, p) = pl.arena.alloc(stub_at + stub_len, |buf, addr| {
            buf[..code_size].copy_from_slice(&bytes);
            buf[code_size..stub_at].fill(pad);
            let stub = entry_stub(arch, cc, addr as u64, tramp_addr as u64).expect("checked");
            buf[stub_at..].copy_from_slice(&stub);
        })?;
        drop(pl);
        // SAFETY: the stub at `p + stub_at` is a complete C-ABI function with this signature:
        // it jumps to the trampoline, which calls the trace function (see `lower`).
        let entry = unsafe {
            std::mem::transmute::<*const u8, unsafe extern "C" fn(*mut u64) -> u32>(p.add(stub_at))
        };
        Ok(CompiledTrace {
            entry,
            tail_entry: p as usize,
            code_size,
            text,
            _code: chunk,
            _trampoline: tramp_chunk,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The trampoline and the entry stub exist for every supported target (only the host's
    /// can run; see `tests/link.rs`).
    #[test]
    fn trampolines_and_entry_stubs_for_every_target() {
        for triple in [
            "x86_64-unknown-linux-gnu",
            "x86_64-apple-darwin",
            "aarch64-unknown-linux-gnu",
            "aarch64-apple-darwin",
        ] {
            let mut c = TraceCompiler::new(triple, MemPolicy::MprotectWx).expect(triple);
            let code = c.cg.trampoline_code().expect(triple);
            assert!(!code.is_empty(), "{triple}");
            let arch = c.cg.isa.triple().architecture;
            let stub =
                entry_stub(arch, c.cg.isa.default_call_conv(), 0x1122, 0x3344).expect(triple);
            assert!(stub.len() <= 32, "{triple}");
            assert!(
                stub.windows(8).any(|w| w == 0x1122u64.to_le_bytes()),
                "{triple}"
            );
        }
    }
}
