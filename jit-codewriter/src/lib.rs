//! The JIT codewriter: from the interpreter's low-level flow graphs to *jitcodes*, the form the
//! runtime's meta-interpreter traces (and the blackhole interpreter resumes) the interpreter in.
//!
//! Pipeline (RPython's `rpython/jit/codewriter`, adapted):
//!
//! 1. [`policy`]: which functions the JIT looks inside — the portal (the function holding
//!    `jit_merge_point!`) and everything it reaches, except `#[elidable]` and
//!    `#[dont_look_inside]` functions, host functions, and functions with loops that are not
//!    `#[unroll_safe]`. Calls to the others become residual calls.
//! 2. [`effects`]: a whole-program analysis giving every function's effect information (fields
//!    and containers it may write, whether it can collect, whether it can fail), attached to the
//!    call descriptors.
//! 3. [`regalloc`]: low-level variables → registers in three banks (int, ref, float), at most
//!    256 per bank, by linear scan over liveness intervals.
//! 4. [`assemble`]: linear bytecode with one-byte opcodes keyed by name and argument kinds
//!    (`int_add.i64/ii>i`), constants loaded from per-jitcode pools, `-live-` markers (an index
//!    into a deduplicated liveness table) before every operation that can become a guard or a
//!    call, and descriptors (fields, calls, builtins, switches) referenced by index.
//! 5. [`dump`]: a readable RON dump (`vmkit translate --dump jitcodes`) with a disassembly.
//!
//! [`make_jitcodes_all`] codewrites every DSL function instead of the policy's candidates (every
//! DSL call becomes an `inline_call`); [`blackhole`] interprets such a program, which checks the
//! codewriter end to end against the graph interpreter's semantics.
//!
//! Nothing here depends on which interpreter is being compiled.

pub mod assemble;
pub mod blackhole;
pub mod dump;
pub mod effects;
pub mod export;
pub mod policy;
pub mod regalloc;

use serde::Serialize;
use std::collections::HashMap;
use vmkit_translator::driver::Translation;
use vmkit_translator::program::FnId;

/// Index of a jitcode in [`JitProgram::jitcodes`].
pub type JitCodeId = u32;

/// The three register banks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub enum Bank {
    Int,
    Ref,
    Float,
}

impl Bank {
    /// The bank of an operand kind letter (`i`, `r`, `f`).
    pub fn from_char(c: char) -> Bank {
        match c {
            'r' => Bank::Ref,
            'f' => Bank::Float,
            _ => Bank::Int,
        }
    }
}

/// A register: a bank and an index (< 256).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
pub struct Reg {
    pub bank: Bank,
    pub index: u8,
}

/// One function in jitcode form.
#[derive(Clone, Debug, Serialize)]
pub struct JitCode {
    pub name: String,
    pub fn_id: FnId,
    /// Registers holding the arguments on entry, in order.
    pub params: Vec<Reg>,
    /// Registers used, per bank (int, ref, float).
    pub num_regs: [u16; 3],
    pub code: Vec<u8>,
    pub consts_int: Vec<i64>,
    pub consts_float: Vec<f64>,
    /// String constants (the only reference constants).
    pub consts_str: Vec<String>,
}

/// Everything the meta-interpreter needs, serialised into the translated binary.
#[derive(Clone, Debug, Serialize)]
pub struct JitProgram {
    pub jitcodes: Vec<JitCode>,
    /// The portal's jitcode, if the interpreter has a `jit_merge_point!`.
    pub portal: Option<JitCodeId>,
    pub descrs: effects::Descrs,
    /// Deduplicated liveness sets: `-live-` markers refer to them by index.
    pub liveness: Vec<Vec<Reg>>,
    /// The opcode table: `opnames[opcode]` is `name/argkinds`.
    pub opnames: Vec<String>,
    #[serde(skip)]
    pub by_fn: HashMap<FnId, JitCodeId>,
}

/// Runs the codewriter on a translated program: the policy's candidates (see [`policy`]).
pub fn make_jitcodes(t: &Translation) -> Result<JitProgram, String> {
    codewrite(t, policy::candidates(t))
}

/// Runs the codewriter on every DSL function (in `FnId` order), whatever the policy says: every
/// call of a DSL function becomes an `inline_call`, only host functions stay residual. This is
/// what [`blackhole::run`] executes.
pub fn make_jitcodes_all(t: &Translation) -> Result<JitProgram, String> {
    let all = (0..t.ll.graphs.len())
        .filter(|i| t.ll.graphs[*i].is_some())
        .map(|i| FnId(i as u32))
        .collect();
    codewrite(t, all)
}

fn codewrite(t: &Translation, candidates: Vec<FnId>) -> Result<JitProgram, String> {
    let mut descrs = effects::analyze(t);
    let mut asm = assemble::Assembler::new();
    let mut by_fn = HashMap::new();
    for (i, f) in candidates.iter().enumerate() {
        by_fn.insert(*f, i as JitCodeId);
    }
    let mut jitcodes = Vec::new();
    for f in &candidates {
        let g = t.ll.graphs[f.0 as usize]
            .as_ref()
            .ok_or("candidate without a graph")?;
        let alloc = regalloc::allocate(g)?;
        jitcodes.push(asm.assemble(t, g, &alloc, &by_fn, &mut descrs)?);
    }
    // Descriptor indices are encoded as u16: a larger table would have aliased indices.
    let tables = [
        ("field", descrs.fields.len()),
        ("call", descrs.calls.len()),
        ("builtin", descrs.builtins.len()),
        ("switch", descrs.switches.len()),
        ("message", descrs.messages.len()),
        ("liveness", asm.liveness.len()),
        ("type", t.ll.layouts.len()),
    ];
    for (what, n) in tables {
        if n > 1 << 16 {
            return Err(format!("more than 65536 {what} descriptors"));
        }
    }
    let portal = policy::portal(t).and_then(|p| by_fn.get(&p).copied());
    Ok(JitProgram {
        jitcodes,
        portal,
        descrs,
        liveness: asm.liveness,
        opnames: asm.opnames,
        by_fn,
    })
}
