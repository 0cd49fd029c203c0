//! Shared test support: a small trace builder, a test `Env` whose runtime functions report and
//! exit, and helpers to run compiled traces on the host and in a child process.

#![allow(dead_code)]

use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use vmkit_jit_ir::ops::Kind;
use vmkit_jit_ir::trace::{GuardKind, Op, OpKind, Operand, Trace, Var};
use vmkit_trace_backend::{CompiledTrace, Env, MemPolicy, TraceCompiler};

/// The machine the tests run on (x86-64 Linux; aarch64 Linux under qemu-user also works).
#[cfg(not(target_arch = "aarch64"))]
pub const HOST: &str = "x86_64-unknown-linux-gnu";
#[cfg(target_arch = "aarch64")]
pub const HOST: &str = "aarch64-unknown-linux-gnu";
/// A 64-bit target whose code cannot run here.
#[cfg(not(target_arch = "aarch64"))]
pub const FOREIGN: &str = "aarch64-unknown-linux-gnu";
#[cfg(target_arch = "aarch64")]
pub const FOREIGN: &str = "x86_64-unknown-linux-gnu";

/// Builds a trace op by op.
pub struct B {
    pub t: Trace,
}

pub fn v(x: Var) -> Operand {
    Operand::Var(x)
}

impl B {
    pub fn new(name: &str) -> B {
        B {
            t: Trace {
                name: name.into(),
                ..Default::default()
            },
        }
    }

    pub fn input(&mut self, k: Kind) -> Var {
        let x = self.t.new_var(k);
        self.t.inputs.push(x);
        x
    }

    pub fn op(&mut self, kind: OpKind, args: Vec<Operand>, results: &[Kind]) -> Vec<Var> {
        let results: Vec<Var> = results.iter().map(|k| self.t.new_var(*k)).collect();
        self.t.ops.push(Op {
            kind,
            args,
            results: results.clone(),
        });
        results
    }

    pub fn op1(&mut self, kind: OpKind, args: Vec<Operand>, result: Kind) -> Var {
        self.op(kind, args, &[result])[0]
    }

    pub fn guard(&mut self, kind: GuardKind, index: u32, args: Vec<Operand>, fail: Vec<Operand>) {
        self.guard_with_stores(kind, index, args, fail, Vec::new());
    }

    /// A guard whose failure path first does the delayed `stores`.
    pub fn guard_with_stores(
        &mut self,
        kind: GuardKind,
        index: u32,
        args: Vec<Operand>,
        fail: Vec<Operand>,
        stores: Vec<vmkit_jit_ir::trace::DelayedStore>,
    ) {
        self.op(
            OpKind::Guard {
                kind,
                index,
                fail_args: fail,
                stores,
                virtuals: Vec::new(),
            },
            args,
            &[],
        );
    }

    pub fn exit(mut self, index: u32, args: Vec<Operand>) -> Trace {
        self.op(OpKind::Exit { index }, args, &[]);
        self.t
    }

    pub fn jump(mut self, args: Vec<Operand>) -> Trace {
        self.op(OpKind::Jump, args, &[]);
        self.t
    }

    /// Ends with a tail call of the trace whose `tail_entry` is `target`.
    pub fn jump_to(mut self, target: usize, args: Vec<Operand>) -> Trace {
        self.op(
            OpKind::JumpTo {
                target: target as u64,
            },
            args,
            &[],
        );
        self.t
    }
}

extern "C" fn fatal(msg: *const u8, len: u64) -> ! {
    // SAFETY: the trace passes a 'static message.
    let s = unsafe { std::slice::from_raw_parts(msg, len as usize) };
    eprintln!("fatal error: {}", String::from_utf8_lossy(s));
    std::process::exit(101)
}

extern "C" fn array_get(_a: *mut u8, index: u64, _out: *mut u64) {
    eprintln!("array_get: index {index} out of bounds");
    std::process::exit(101)
}

extern "C" fn array_set(_a: *mut u8, index: u64, val: *const u64) {
    // SAFETY: the trace passes its element buffer.
    let w = unsafe { *val };
    eprintln!("array_set: index {index} out of bounds (word 0 = {w})");
    std::process::exit(101)
}

extern "C" fn str_byte_at(_s: *mut u8, index: u64) -> u8 {
    eprintln!("str_byte_at: index {index} out of bounds");
    std::process::exit(101)
}

extern "C" fn stack_overflow() -> ! {
    eprintln!("fatal error: stack overflow");
    std::process::exit(101)
}

/// A shadow stack owned by one test: `top` and `limit` variables and their storage (leaked).
pub struct Shadow {
    pub base: *mut u64,
    pub top: *mut *mut u64,
    pub limit: *mut *mut u64,
}

impl Shadow {
    pub fn new(words: usize) -> Shadow {
        let stack = Box::leak(vec![0u64; words].into_boxed_slice()).as_mut_ptr();
        // SAFETY: one past the end of the leaked slice.
        let end = unsafe { stack.add(words) };
        Shadow {
            base: stack,
            top: Box::leak(Box::new(stack)),
            limit: Box::leak(Box::new(end)),
        }
    }

    /// The words currently on the stack, `[base, top)`.
    pub fn contents(&self) -> Vec<u64> {
        // SAFETY: `top` stays within the leaked slice.
        unsafe {
            let n = (*self.top).offset_from(self.base) as usize;
            std::slice::from_raw_parts(self.base, n).to_vec()
        }
    }
}

/// A test environment with helper table `helpers` (leaked) and its own shadow stack.
pub fn env_with(helpers: &[usize], shadow: &Shadow) -> Env {
    let table: &'static [usize] = Box::leak(helpers.to_vec().into_boxed_slice());
    Env {
        helpers: table.as_ptr(),
        nhelpers: table.len(),
        array_get: array_get as *const () as usize,
        array_set: array_set as *const () as usize,
        list_get: array_get as *const () as usize,
        list_set: array_set as *const () as usize,
        str_byte_at: str_byte_at as *const () as usize,
        fatal: fatal as *const () as usize,
        shadow_top: shadow.top as usize,
        shadow_limit: shadow.limit as usize,
        stack_overflow: stack_overflow as *const () as usize,
    }
}

pub fn env() -> Env {
    env_with(&[], &Shadow::new(16))
}

pub fn compiler() -> TraceCompiler {
    TraceCompiler::new(HOST, MemPolicy::MprotectWx).expect("host compiler")
}

pub fn compile(c: &mut TraceCompiler, t: &Trace, env: &Env) -> CompiledTrace {
    c.compile(t, env, None, false)
        .unwrap_or_else(|e| panic!("{e}\n{t}"))
}

/// A guard link table, as the runtime keeps one per trace: one word per guard index, written
/// after the trace was compiled (atomics: the compiled code reads the words behind Rust's back).
pub struct Links(Box<[AtomicU64]>);

impl Links {
    pub fn new(words: usize) -> Links {
        Links((0..words).map(|_| AtomicU64::new(0)).collect())
    }
    pub fn ptr(&self) -> *const u64 {
        self.0.as_ptr().cast()
    }
    /// Links guard `i` to the trace whose `tail_entry` is `target` (0: unlinks).
    pub fn set(&self, i: usize, target: usize) {
        self.0[i].store(target as u64, Ordering::SeqCst);
    }
}

/// Compiles with the guard link table `links`.
pub fn compile_linked(c: &mut TraceCompiler, t: &Trace, env: &Env, links: &Links) -> CompiledTrace {
    c.compile(t, env, Some(links.ptr()), false)
        .unwrap_or_else(|e| panic!("{e}\n{t}"))
}

/// Runs a compiled trace on `frame`; returns the exit/guard index.
pub fn run(ct: &CompiledTrace, frame: &mut [u64]) -> u32 {
    // SAFETY: frames in tests are sized for every input and exit of their traces.
    unsafe { (ct.entry)(frame.as_mut_ptr()) }
}

/// Runs test `name` of the current test binary in a child process with `VMKIT_TRACE_CHILD`
/// set (and `vars`); returns (exit code, stderr).
pub fn run_child(name: &str, vars: &[(&str, &str)]) -> (Option<i32>, String) {
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env("VMKIT_TRACE_CHILD", "1")
        .envs(vars.iter().copied())
        .output()
        .expect("spawn child");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

pub fn in_child() -> bool {
    std::env::var_os("VMKIT_TRACE_CHILD").is_some()
}
