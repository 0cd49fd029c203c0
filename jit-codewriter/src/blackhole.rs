//! The jitcode interpreter (the future *blackhole interpreter*): runs a program by interpreting
//! its jitcodes instead of its low-level graphs. With [`crate::make_jitcodes_all`] (every DSL
//! function codewritten, every DSL call an `inline_call`) it runs whole programs, which checks
//! the codewriter end to end: register allocation, the parallel moves of links, switch tables,
//! constant pools and descriptors must reproduce the graph interpreter's results exactly.
//!
//! # Design
//!
//! - **Decoding.** Every jitcode is decoded once, before running, into a vector of instructions
//!   (`Ins`): operands are checked against their opcode's argument kinds, registers against the
//!   jitcode's `num_regs`, descriptors against the program's tables, call arities and register
//!   banks against the callee's parameters and results, and jump targets (including switch table
//!   entries, which are absolute code offsets) must land on instruction boundaries. `-live-`
//!   markers, `jit_merge_point`, `loop_header` and `*_guard_value` execute nothing (the markers
//!   are kept aside for [`check`], which verifies them against a register-level liveness).
//! - **Registers.** Each frame has three register files (int, ref, float) sized by the jitcode's
//!   `num_regs`. Bools live in the int bank as 0/1; integers are kept canonical for their type
//!   (the type is in the opcode name: `int_add.u8` wraps at 8 bits).
//! - **Semantics** come from the graph interpreter ([`vmkit_translator::interp`]): integer,
//!   float and bool operations and casts call its functions; objects live in its heap (a
//!   [`Machine`]); built-ins, container creation and host calls run through
//!   [`Machine::exec_site`] with the types their descriptors carry (the register encoding loses
//!   bool-vs-integer, `Option` layouts, map key kinds and element layouts). The machine calls back
//!   into this interpreter ([`DslCallee`]) for the entry and for user `key_hash`/`key_eq`.
//! - **Calls** use an explicit frame stack (deep DSL recursion does not grow the host stack);
//!   `inline_call` pushes a frame, a return writes the values into the caller's result registers
//!   of the call. Residual calls of host functions go through the host registry.
//! - **Incomplete programs** (the JIT policy's jitcodes, [`crate::make_jitcodes`]) run too: a DSL
//!   function without a jitcode (a residual call, converted with the types of its call
//!   descriptor; the entry; a key callback) runs on the graph interpreter, and so does everything
//!   it calls. Only [`crate::make_jitcodes_all`] runs a whole program from jitcodes.

use crate::effects::CallTarget;
use crate::regalloc::bank_of;
use crate::{Bank, JitProgram, Reg};
use std::cell::Cell;
use std::collections::HashMap;
use vmkit::host::HostFn;
use vmkit_translator::driver::Translation;
use vmkit_translator::flow::{LlOp, LlTy};
use vmkit_translator::interp::{
    self, internal, Arena, DslCallee, Io, Machine, Obj, OpSite, Outcome, Prep, Value, R,
};
use vmkit_translator::program::FnId;
use vmkit_translator::thir::BinOp;
use vmkit_translator::ty::{AdtId, IntTy};

/// Runs `t`'s entry with `args` by interpreting the jitcodes of `p` (with
/// [`crate::make_jitcodes_all`], every DSL function; functions without a jitcode run on the graph
/// interpreter). Same contract as [`interp::run`]: host functions are looked up by name in
/// `hosts`, the program's output goes to `io` (flushed before returning), a fatal error is
/// returned as [`Outcome::Fatal`].
pub fn run(
    t: &Translation,
    p: &JitProgram,
    args: &[Vec<u8>],
    io: &mut dyn Io,
    hosts: &[HostFn],
) -> Outcome {
    let prog = match Decoded::new(t, p) {
        Ok(d) => d,
        Err(e) => {
            io.flush();
            return Outcome::Fatal(internal(e));
        }
    };
    let arena = Arena::new();
    let complete = t.ll.graphs.iter().flatten().count() == p.jitcodes.len();
    let prep = if complete {
        Prep::without_graphs(&t.ll, &arena, hosts)
    } else {
        Prep::new(&t.ll, &arena, hosts)
    };
    let prep = match prep {
        Ok(prep) => prep,
        Err(e) => {
            io.flush();
            return Outcome::Fatal(e);
        }
    };
    let bh = Blackhole {
        strs: prog
            .codes
            .iter()
            .map(|c| (0..c.consts_str.len()).map(|_| Cell::new(None)).collect())
            .collect(),
        prog: &prog,
    };
    Machine::new(&t.ll, &arena, &prep, io)
        .with_callee(&bh)
        .run(args)
}

/// Decodes every jitcode of `p` as [`run`] would, without running anything: the checks of the
/// decoder (operand kinds, register ranges, descriptors, call arities and banks, jump targets).
/// Then two register-level dataflow checks of the decoded code: every register read is written
/// before on every path from the entry (the parameters are written by the call), and every
/// `-live-` marker holds each register that may be read after it before being written (what
/// resuming there needs).
pub fn check(t: &Translation, p: &JitProgram) -> Result<(), String> {
    let d = Decoded::new(t, p)?;
    for c in &d.codes {
        check_registers(c, p).map_err(|e| format!("jitcode `{}`: {e}", c.name))?;
    }
    Ok(())
}

/// A set of registers of the three banks.
#[derive(Clone, PartialEq)]
struct RegSet([u64; 12]);

impl RegSet {
    fn new() -> Self {
        RegSet([0; 12])
    }
    fn bit(r: Reg) -> usize {
        bank_index(r.bank) * 256 + r.index as usize
    }
    fn insert(&mut self, r: Reg) {
        let b = Self::bit(r);
        self.0[b / 64] |= 1 << (b % 64);
    }
    fn remove(&mut self, r: Reg) {
        let b = Self::bit(r);
        self.0[b / 64] &= !(1 << (b % 64));
    }
    fn contains(&self, r: Reg) -> bool {
        let b = Self::bit(r);
        self.0[b / 64] & (1 << (b % 64)) != 0
    }
    fn union(&mut self, o: &RegSet) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a |= *b;
        }
    }
    fn intersect(&mut self, o: &RegSet) {
        for (a, b) in self.0.iter_mut().zip(&o.0) {
            *a &= *b;
        }
    }
    fn regs(&self) -> Vec<Reg> {
        let mut v = Vec::new();
        for bank in [Bank::Int, Bank::Ref, Bank::Float] {
            for index in 0..=255u8 {
                let r = Reg { bank, index };
                let b = Self::bit(r);
                if self.0[b / 64] & (1 << (b % 64)) != 0 {
                    v.push(r);
                }
            }
        }
        v
    }
}

/// Registers an instruction reads and writes (all reads happen before the writes).
fn reads_writes(ins: &Ins) -> (Vec<Reg>, Vec<Reg>) {
    let i = |index: u8| Reg {
        bank: Bank::Int,
        index,
    };
    let r = |index: u8| Reg {
        bank: Bank::Ref,
        index,
    };
    let f = |index: u8| Reg {
        bank: Bank::Float,
        index,
    };
    match ins {
        Ins::IntConst(_, x) => (vec![], vec![i(*x)]),
        Ins::FloatConst(_, x) => (vec![], vec![f(*x)]),
        Ins::RefNull(x) | Ins::StrConst(_, x) => (vec![], vec![r(*x)]),
        Ins::IntCopy(a, x) | Ins::IntNeg(_, a, x) | Ins::IntNot(_, a, x) | Ins::BoolNot(a, x) => {
            (vec![i(*a)], vec![i(*x)])
        }
        Ins::RefCopy(a, x) => (vec![r(*a)], vec![r(*x)]),
        Ins::FloatCopy(a, x) | Ins::FloatNeg(a, x) => (vec![f(*a)], vec![f(*x)]),
        Ins::IntBin(_, _, a, b, x) | Ins::IntCmp(_, _, a, b, x) | Ins::BoolBin(_, a, b, x) => {
            (vec![i(*a), i(*b)], vec![i(*x)])
        }
        Ins::IntOvf(_, _, a, b, x, o) => (vec![i(*a), i(*b)], vec![i(*x), i(*o)]),
        Ins::FloatBin(_, a, b, x) => (vec![f(*a), f(*b)], vec![f(*x)]),
        Ins::FloatCmp(_, a, b, x) => (vec![f(*a), f(*b)], vec![i(*x)]),
        Ins::Cast(_, _, a, x) => (vec![*a], vec![*x]),
        Ins::PtrEq(a, b, x) => (vec![r(*a), r(*b)], vec![i(*x)]),
        Ins::PtrIsNull(a, x) => (vec![r(*a)], vec![i(*x)]),
        Ins::GetField(o, _, _, x) => (vec![r(*o)], vec![*x]),
        Ins::SetField(o, _, _, v) => (vec![r(*o), *v], vec![]),
        Ins::New(_, _, args, x) => (args.iter().map(|(a, _)| *a).collect(), vec![r(*x)]),
        Ins::Call(_, args, res) | Ins::Site(_, args, res) | Ins::GraphCall(_, args, res) => {
            (args.to_vec(), res.to_vec())
        }
        Ins::GotoIfNot(c, _) | Ins::Switch(c, _, _) => (vec![i(*c)], vec![]),
        Ins::Return(vs) => (vs.to_vec(), vec![]),
        Ins::Goto(_) | Ins::Fatal(_) => (vec![], vec![]),
    }
}

/// Checks that registers are written before they are read, and the `-live-` markers of `c`
/// against a register-level liveness analysis.
fn check_registers(c: &Code, p: &JitProgram) -> Result<(), String> {
    let n = c.ins.len();
    let succs = |k: usize| -> Vec<usize> {
        match &c.ins[k] {
            Ins::Goto(l) => vec![*l as usize],
            Ins::GotoIfNot(_, l) => vec![k + 1, *l as usize],
            Ins::Switch(_, tbl, default) => c.switches[*tbl as usize]
                .values()
                .map(|t| *t as usize)
                .chain(std::iter::once(*default as usize))
                .collect(),
            Ins::Return(_) | Ins::Fatal(_) => vec![],
            _ => vec![k + 1],
        }
    };
    let rw: Vec<(Vec<Reg>, Vec<Reg>)> = c.ins.iter().map(reads_writes).collect();
    // Definitely written registers on entry to each instruction (forward, intersection).
    if n > 0 {
        let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
        for k in 0..n {
            for s in succs(k) {
                if s < n {
                    preds[s].push(k);
                }
            }
        }
        let top = RegSet([u64::MAX; 12]);
        let mut written_in = vec![top.clone(); n];
        let mut entry = RegSet::new();
        for r in &c.params {
            entry.insert(*r);
        }
        let mut changed = true;
        while changed {
            changed = false;
            for k in 0..n {
                let mut w = if k == 0 { entry.clone() } else { top.clone() };
                for &q in &preds[k] {
                    let mut out = written_in[q].clone();
                    for r in &rw[q].1 {
                        out.insert(*r);
                    }
                    w.intersect(&out);
                }
                if w != written_in[k] {
                    written_in[k] = w;
                    changed = true;
                }
            }
        }
        for k in 0..n {
            if let Some(r) = rw[k].0.iter().find(|r| !written_in[k].contains(**r)) {
                return Err(format!(
                    "instruction {k} reads {:?}{} before it is written on some path",
                    r.bank, r.index
                ));
            }
        }
    }
    let mut live_in = vec![RegSet::new(); n + 1];
    let mut changed = true;
    while changed {
        changed = false;
        for k in (0..n).rev() {
            let mut live = RegSet::new();
            for s in succs(k) {
                live.union(&live_in[s.min(n)]);
            }
            for w in &rw[k].1 {
                live.remove(*w);
            }
            for r in &rw[k].0 {
                live.insert(*r);
            }
            if live != live_in[k] {
                live_in[k] = live;
                changed = true;
            }
        }
    }
    for (k, l) in &c.markers {
        let mut missing = live_in[*k as usize].clone();
        for r in &p.liveness[*l as usize] {
            missing.remove(*r);
        }
        let missing = missing.regs();
        if !missing.is_empty() {
            return Err(format!(
                "the -live- marker before instruction {k} lacks {:?}",
                missing
            ));
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Decoded form
// ---------------------------------------------------------------------------------------------

/// A decoded instruction. Register operands are indices in their bank (checked against the
/// jitcode's `num_regs`); jump targets are instruction indices.
enum Ins {
    IntConst(i64, u8),
    FloatConst(f64, u8),
    RefNull(u8),
    /// Index in the jitcode's string pool, result.
    StrConst(u16, u8),
    IntCopy(u8, u8),
    RefCopy(u8, u8),
    FloatCopy(u8, u8),
    IntBin(BinOp, IntTy, u8, u8, u8),
    IntCmp(BinOp, IntTy, u8, u8, u8),
    /// op, type, a, b, result, overflowed
    IntOvf(BinOp, IntTy, u8, u8, u8, u8),
    IntNeg(IntTy, u8, u8),
    IntNot(IntTy, u8, u8),
    BoolBin(BinOp, u8, u8, u8),
    BoolNot(u8, u8),
    FloatBin(BinOp, u8, u8, u8),
    FloatCmp(BinOp, u8, u8, u8),
    FloatNeg(u8, u8),
    Cast(LlTy, LlTy, Reg, Reg),
    PtrEq(u8, u8, u8),
    PtrIsNull(u8, u8),
    /// object, slot, slot type, result
    GetField(u8, u32, LlTy, Reg),
    /// object, slot, slot type, value
    SetField(u8, u32, LlTy, Reg),
    /// type, variant, arguments with the types of the slots they fill, result
    New(AdtId, Option<u32>, Box<[(Reg, LlTy)]>, u8),
    /// callee jitcode, arguments, result registers
    Call(u32, Box<[Reg]>, Box<[Reg]>),
    /// an operation of the graph interpreter's machine (built-in or host call), arguments,
    /// results (typed by the site)
    Site(u32, Box<[Reg]>, Box<[Reg]>),
    Goto(u32),
    GotoIfNot(u8, u32),
    /// value, switch index in the jitcode, default target
    Switch(u8, u32, u32),
    Return(Box<[Reg]>),
    Fatal(u16),
    /// A residual call of a DSL function without a jitcode (see `Callee::Graph`): the call
    /// descriptor, arguments, results.
    GraphCall(u32, Box<[Reg]>, Box<[Reg]>),
}

struct Code {
    name: String,
    params: Vec<Reg>,
    param_tys: Vec<LlTy>,
    ret_tys: Vec<LlTy>,
    num_regs: [usize; 3],
    ins: Vec<Ins>,
    /// Switch tables: key → instruction index (the first entry of a key wins).
    switches: Vec<HashMap<i64, u32>>,
    /// `-live-` markers: (index of the instruction they precede, liveness set).
    markers: Vec<(u32, u16)>,
    consts_str: Vec<Vec<u8>>,
}

struct Decoded {
    codes: Vec<Code>,
    calls: Vec<Callee>,
    by_fn: HashMap<FnId, u32>,
    /// Built-in descriptors (indexed like `descrs.builtins`), then host call sites.
    sites: Vec<OpSite>,
    messages: Vec<String>,
    ptr64: bool,
}

/// A decoded operand.
enum Opd {
    R(Reg),
    C(u16),
    D(u16),
    L(u32),
    List(Vec<Reg>),
}

fn bank_index(b: Bank) -> usize {
    match b {
        Bank::Int => 0,
        Bank::Ref => 1,
        Bank::Float => 2,
    }
}

fn binop(s: &str) -> Option<BinOp> {
    use BinOp::*;
    Some(match s {
        "add" => Add,
        "sub" => Sub,
        "mul" => Mul,
        "div" => Div,
        "rem" => Rem,
        "and" => And,
        "or" => Or,
        "xor" => Xor,
        "shl" => Shl,
        "shr" => Shr,
        "eq" => Eq,
        "ne" => Ne,
        "lt" => Lt,
        "le" => Le,
        "gt" => Gt,
        "ge" => Ge,
        _ => return None,
    })
}

fn llty(s: &str) -> Option<LlTy> {
    Some(match s {
        "bool" => LlTy::Bool,
        "f64" => LlTy::F64,
        "ref" => LlTy::Ref,
        other => LlTy::Int(IntTy::from_name(other)?),
    })
}

impl Decoded {
    fn new(t: &Translation, p: &JitProgram) -> Result<Decoded, String> {
        let mut by_fn = HashMap::new();
        for (i, jc) in p.jitcodes.iter().enumerate() {
            if by_fn.insert(jc.fn_id, i as u32).is_some() {
                return Err(format!("two jitcodes for `{}`", jc.name));
            }
        }
        // Sites: built-ins first, then one per host call descriptor.
        let mut sites = Vec::new();
        for d in &p.descrs.builtins {
            let op = match &d.container {
                Some(info) => LlOp::NewContainer(d.builtin, info.clone()),
                None => LlOp::Builtin(d.builtin, d.key),
            };
            sites.push(OpSite::new(op, &d.args, &d.results));
        }
        // Call descriptor → a site (host functions) or a jitcode (DSL functions).
        let mut calls: Vec<Callee> = Vec::new();
        for d in &p.descrs.calls {
            calls.push(match &d.target {
                CallTarget::Host { name } => {
                    let f =
                        t.ll.host_names
                            .iter()
                            .position(|h| h.as_deref() == Some(name.as_str()))
                            .ok_or_else(|| format!("no host function `{name}`"))?;
                    sites.push(OpSite::new(LlOp::Host(FnId(f as u32)), &d.args, &d.results));
                    Callee::Site((sites.len() - 1) as u32)
                }
                CallTarget::Dsl { fn_id, .. } => match by_fn.get(&FnId(*fn_id)) {
                    Some(j) => Callee::Code(*j),
                    None => Callee::Graph(FnId(*fn_id), d.args.clone(), d.results.clone()),
                },
            });
        }
        let mut codes = Vec::new();
        for jc in &p.jitcodes {
            let g = t
                .ll
                .graphs
                .get(jc.fn_id.0 as usize)
                .and_then(|g| g.as_ref())
                .ok_or_else(|| format!("jitcode `{}` of a function without a graph", jc.name))?;
            codes.push(Code {
                name: jc.name.clone(),
                params: jc.params.clone(),
                param_tys: g.params().iter().map(|v| *g.ty(*v)).collect(),
                ret_tys: g.ret.clone(),
                num_regs: [
                    jc.num_regs[0] as usize,
                    jc.num_regs[1] as usize,
                    jc.num_regs[2] as usize,
                ],
                ins: Vec::new(),
                switches: Vec::new(),
                markers: Vec::new(),
                consts_str: jc
                    .consts_str
                    .iter()
                    .map(|s| s.as_bytes().to_vec())
                    .collect(),
            });
        }
        let mut d = Decoded {
            codes,
            calls: Vec::new(),
            by_fn,
            sites,
            messages: p.descrs.messages.clone(),
            ptr64: t.ll.target.pointer_width >= 64,
        };
        for (i, jc) in p.jitcodes.iter().enumerate() {
            let (ins, switches, markers) = d
                .decode(t, p, i, &calls)
                .map_err(|e| format!("jitcode `{}`: {e}", jc.name))?;
            d.codes[i].ins = ins;
            d.codes[i].switches = switches;
            d.codes[i].markers = markers;
        }
        d.calls = calls;
        // Parameters and arities, now that every jitcode is known.
        for c in &d.codes {
            if c.params.len() != c.param_tys.len() {
                return Err(format!("jitcode `{}`: parameters do not match", c.name));
            }
            for (r, ty) in c.params.iter().zip(&c.param_tys) {
                if r.bank != bank_of(*ty) || (r.index as usize) >= c.num_regs[bank_index(r.bank)] {
                    return Err(format!("jitcode `{}`: bad parameter register", c.name));
                }
            }
            for ins in &c.ins {
                match ins {
                    Ins::Call(j, args, res) => {
                        let callee = &d.codes[*j as usize];
                        let ok = args.len() == callee.params.len()
                            && args
                                .iter()
                                .zip(&callee.params)
                                .all(|(a, p)| a.bank == p.bank)
                            && res.len() == callee.ret_tys.len()
                            && res
                                .iter()
                                .zip(&callee.ret_tys)
                                .all(|(r, t)| r.bank == bank_of(*t));
                        if !ok {
                            return Err(format!(
                                "jitcode `{}`: call of `{}` with mismatched arguments or results",
                                c.name, callee.name
                            ));
                        }
                    }
                    Ins::Return(vs) => {
                        let ok = vs.len() == c.ret_tys.len()
                            && vs
                                .iter()
                                .zip(&c.ret_tys)
                                .all(|(r, t)| r.bank == bank_of(*t));
                        if !ok {
                            return Err(format!("jitcode `{}`: mismatched return", c.name));
                        }
                    }
                    _ => {}
                }
            }
        }
        Ok(d)
    }

    /// Decodes jitcode `i`: its instructions and its switch tables.
    #[allow(clippy::type_complexity)]
    fn decode(
        &self,
        t: &Translation,
        p: &JitProgram,
        i: usize,
        calls: &[Callee],
    ) -> Result<(Vec<Ins>, Vec<HashMap<i64, u32>>, Vec<(u32, u16)>), String> {
        let jc = &p.jitcodes[i];
        let num_regs = self.codes[i].num_regs;
        let code = &jc.code;
        // (offset, instruction with jump targets as code offsets)
        let mut out: Vec<Ins> = Vec::new();
        // index_at[offset] = index of the first instruction decoded at or after `offset`, for
        // instruction boundaries; u32::MAX elsewhere.
        let mut index_at = vec![u32::MAX; code.len() + 1];
        // switch tables as raw (key, offset) lists
        let mut raw_switches: Vec<&Vec<(i64, u32)>> = Vec::new();
        let mut markers = Vec::new();
        let mut pending_live: Option<u16> = None;
        let reg = |bank: Bank, index: u8| -> Result<Reg, String> {
            if (index as usize) < num_regs[bank_index(bank)] {
                Ok(Reg { bank, index })
            } else {
                Err(format!(
                    "register {bank:?}{index} out of range ({} registers)",
                    num_regs[bank_index(bank)]
                ))
            }
        };
        let conv = |o: crate::assemble::Operand| -> Result<Opd, String> {
            use crate::assemble::Operand as O;
            Ok(match o {
                O::Reg(r) => Opd::R(reg(r.bank, r.index)?),
                O::Const(c) => Opd::C(c),
                O::Descr(d) => Opd::D(d),
                O::Label(l) => Opd::L(l),
                O::List(l) => Opd::List(
                    l.into_iter()
                        .map(|r| reg(r.bank, r.index))
                        .collect::<Result<_, _>>()?,
                ),
            })
        };
        for raw in crate::assemble::decode(code, &p.opnames)? {
            let start = raw.offset;
            index_at[start] = out.len() as u32;
            let name = raw.name;
            let full = name;
            let args: Vec<Opd> = raw.args.into_iter().map(conv).collect::<Result<_, _>>()?;
            let res: Vec<Opd> = raw
                .results
                .into_iter()
                .map(conv)
                .collect::<Result<_, _>>()?;
            let bad = || format!("unexpected operands for `{full}` at {start}");
            if name == "-live-" {
                match (&args[..], &res[..]) {
                    ([Opd::D(l)], []) if (*l as usize) < p.liveness.len() => {
                        pending_live = Some(*l);
                        continue;
                    }
                    _ => return Err(bad()),
                }
            }
            let ins = self.instr(t, p, jc, name, &args, &res, calls, &mut raw_switches, bad)?;
            if let Some(ins) = ins {
                if let Some(l) = pending_live.take() {
                    markers.push((out.len() as u32, l));
                }
                out.push(ins);
            }
        }
        index_at[code.len()] = out.len() as u32;
        let target = |off: u32| -> Result<u32, String> {
            match index_at.get(off as usize) {
                Some(&i) if i != u32::MAX => Ok(i),
                _ => Err(format!("jump to {off}, not an instruction boundary")),
            }
        };
        for ins in out.iter_mut() {
            match ins {
                Ins::Goto(l) | Ins::GotoIfNot(_, l) | Ins::Switch(_, _, l) => *l = target(*l)?,
                _ => {}
            }
        }
        let mut switches = Vec::new();
        for raw in raw_switches {
            let mut m = HashMap::new();
            for (k, off) in raw {
                let at = target(*off)?;
                m.entry(*k).or_insert(at);
            }
            switches.push(m);
        }
        Ok((out, switches, markers))
    }

    /// One instruction from its name and operands (`None`: nothing to execute).
    #[allow(clippy::too_many_arguments)]
    fn instr<'p>(
        &self,
        t: &Translation,
        p: &'p JitProgram,
        jc: &crate::JitCode,
        name: &str,
        args: &[Opd],
        res: &[Opd],
        calls: &[Callee],
        raw_switches: &mut Vec<&'p Vec<(i64, u32)>>,
        bad: impl Fn() -> String,
    ) -> Result<Option<Ins>, String> {
        use Bank::{Float as F, Int as I, Ref as Rf};
        let r = |o: &Opd, b: Bank| -> Result<u8, String> {
            match o {
                Opd::R(r) if r.bank == b => Ok(r.index),
                _ => Err(bad()),
            }
        };
        let anyreg = |o: &Opd| -> Result<Reg, String> {
            match o {
                Opd::R(r) => Ok(*r),
                _ => Err(bad()),
            }
        };
        let d = |o: &Opd| -> Result<u16, String> {
            match o {
                Opd::D(d) => Ok(*d),
                _ => Err(bad()),
            }
        };
        let list = |o: &Opd| -> Result<Box<[Reg]>, String> {
            match o {
                Opd::List(l) => Ok(l.clone().into_boxed_slice()),
                _ => Err(bad()),
            }
        };
        let konst = |o: &Opd, len: usize| -> Result<usize, String> {
            match o {
                Opd::C(c) if (*c as usize) < len => Ok(*c as usize),
                Opd::C(c) => Err(format!("constant {c} out of the pool ({len})")),
                _ => Err(bad()),
            }
        };
        let label = |o: &Opd| -> Result<u32, String> {
            match o {
                Opd::L(l) => Ok(*l),
                _ => Err(bad()),
            }
        };
        let descr = |i: u16, len: usize, what: &str| -> Result<usize, String> {
            if (i as usize) < len {
                Ok(i as usize)
            } else {
                Err(format!("{what} descriptor {i} out of range"))
            }
        };
        let ins = match (name, args, res) {
            ("jit_merge_point", [Opd::D(_), Opd::List(_)], [])
            | ("loop_header", [Opd::D(_)], []) => return Ok(None),
            ("int_guard_value", [a], []) => {
                r(a, I)?;
                return Ok(None);
            }
            ("ref_guard_value", [a], []) => {
                r(a, Rf)?;
                return Ok(None);
            }
            ("float_guard_value", [a], []) => {
                r(a, F)?;
                return Ok(None);
            }
            ("int_const", [c], [x]) => {
                Ins::IntConst(jc.consts_int[konst(c, jc.consts_int.len())?], r(x, I)?)
            }
            ("float_const", [c], [x]) => {
                Ins::FloatConst(jc.consts_float[konst(c, jc.consts_float.len())?], r(x, F)?)
            }
            ("str_const", [c], [x]) => {
                Ins::StrConst(konst(c, jc.consts_str.len())? as u16, r(x, Rf)?)
            }
            ("ref_null", [], [x]) => Ins::RefNull(r(x, Rf)?),
            ("int_copy", [a], [x]) => Ins::IntCopy(r(a, I)?, r(x, I)?),
            ("ref_copy", [a], [x]) => Ins::RefCopy(r(a, Rf)?, r(x, Rf)?),
            ("float_copy", [a], [x]) => Ins::FloatCopy(r(a, F)?, r(x, F)?),
            ("bool_not", [a], [x]) => Ins::BoolNot(r(a, I)?, r(x, I)?),
            ("float_neg", [a], [x]) => Ins::FloatNeg(r(a, F)?, r(x, F)?),
            ("ptr_eq", [a, b], [x]) => Ins::PtrEq(r(a, Rf)?, r(b, Rf)?, r(x, I)?),
            ("ptr_iszero", [a], [x]) => Ins::PtrIsNull(r(a, Rf)?, r(x, I)?),
            ("getfield_i" | "getfield_r" | "getfield_f", [o, di], [x])
            | ("getfield_pure_i" | "getfield_pure_r" | "getfield_pure_f", [o, di], [x]) => {
                let fd = &p.descrs.fields[descr(d(di)?, p.descrs.fields.len(), "field")?];
                let x = anyreg(x)?;
                if x.bank != bank_of(fd.ty) {
                    return Err(format!(
                        "`{name}` of field {} into a {:?} register",
                        fd.name, x.bank
                    ));
                }
                Ins::GetField(r(o, Rf)?, fd.slot, fd.ty, x)
            }
            ("setfield_i" | "setfield_r" | "setfield_f", [o, v, di], []) => {
                let fd = &p.descrs.fields[descr(d(di)?, p.descrs.fields.len(), "field")?];
                let v = anyreg(v)?;
                if v.bank != bank_of(fd.ty) {
                    return Err(format!(
                        "`{name}` of field {} from a {:?} register",
                        fd.name, v.bank
                    ));
                }
                Ins::SetField(r(o, Rf)?, fd.slot, fd.ty, v)
            }
            ("new", [a, l], [x]) | ("new_variant", [a, _, l], [x]) => {
                let adt = d(a)? as u32;
                let variant = match args {
                    [_, v, _] => Some(d(v)? as u32),
                    _ => None,
                };
                let lay =
                    t.ll.layouts
                        .get(adt as usize)
                        .ok_or_else(|| format!("new of missing type {adt}"))?;
                let targets = lay.arg_slots(variant);
                let regs = list(l)?;
                let mut typed = Vec::with_capacity(regs.len());
                for (k, a) in regs.iter().enumerate() {
                    let slot = targets
                        .get(k)
                        .map(|&s| &lay.slots[s as usize])
                        .ok_or_else(|| format!("new of `{}`: too many arguments", lay.name))?;
                    if a.bank != bank_of(slot.ty) {
                        return Err(format!(
                            "new of `{}`: argument {k} in the wrong bank",
                            lay.name
                        ));
                    }
                    typed.push((*a, slot.ty));
                }
                Ins::New(AdtId(adt), variant, typed.into_boxed_slice(), r(x, Rf)?)
            }
            ("inline_call", [j, a], [x]) => {
                let j = d(j)?;
                descr(j, p.jitcodes.len(), "jitcode")?;
                Ins::Call(j as u32, list(a)?, list(x)?)
            }
            ("residual_call", [c, a], [x]) => {
                let c = descr(d(c)?, calls.len(), "call")?;
                match &calls[c] {
                    Callee::Code(j) => Ins::Call(*j, list(a)?, list(x)?),
                    Callee::Site(s) => self.site(*s, list(a)?, list(x)?)?,
                    Callee::Graph(..) => Ins::GraphCall(c as u32, list(a)?, list(x)?),
                }
            }
            ("builtin", [b, a], [x]) => {
                let b = descr(d(b)?, p.descrs.builtins.len(), "builtin")?;
                self.site(b as u32, list(a)?, list(x)?)?
            }
            ("goto", [l], []) => Ins::Goto(label(l)?),
            ("goto_if_not", [c, l], []) => Ins::GotoIfNot(r(c, I)?, label(l)?),
            ("switch", [v, tbl, l], []) => {
                let tbl = descr(d(tbl)?, p.descrs.switches.len(), "switch")?;
                raw_switches.push(&p.descrs.switches[tbl]);
                Ins::Switch(r(v, I)?, (raw_switches.len() - 1) as u32, label(l)?)
            }
            ("void_return", [], []) => Ins::Return(Box::new([])),
            ("int_return" | "ref_return" | "float_return", [a], []) => {
                Ins::Return(Box::new([anyreg(a)?]))
            }
            ("multi_return", [l], []) => Ins::Return(list(l)?),
            ("fatal", [m], []) => Ins::Fatal(descr(d(m)?, self.messages.len(), "message")? as u16),
            _ => {
                if let Some(rest) = name.strip_prefix("cast.") {
                    let (from, to) = rest.split_once('.').ok_or_else(&bad)?;
                    let (from, to) = (llty(from).ok_or_else(&bad)?, llty(to).ok_or_else(&bad)?);
                    let (a, x) = match (args, res) {
                        ([a], [x]) => (anyreg(a)?, anyreg(x)?),
                        _ => return Err(bad()),
                    };
                    if a.bank != bank_of(from) || x.bank != bank_of(to) {
                        return Err(bad());
                    }
                    Ins::Cast(from, to, a, x)
                } else if let Some(rest) = name.strip_prefix("int_") {
                    let (op, ty) = rest.split_once('.').ok_or_else(&bad)?;
                    let it = IntTy::from_name(ty).ok_or_else(&bad)?;
                    match (op, args, res) {
                        ("neg", [a], [x]) => Ins::IntNeg(it, r(a, I)?, r(x, I)?),
                        ("not", [a], [x]) => Ins::IntNot(it, r(a, I)?, r(x, I)?),
                        (op, [a, b], [x, o]) if op.ends_with("_ovf") => {
                            let op = binop(op.trim_end_matches("_ovf")).ok_or_else(&bad)?;
                            Ins::IntOvf(op, it, r(a, I)?, r(b, I)?, r(x, I)?, r(o, I)?)
                        }
                        (op, [a, b], [x]) => {
                            let op = binop(op).ok_or_else(&bad)?;
                            if op.is_cmp() {
                                Ins::IntCmp(op, it, r(a, I)?, r(b, I)?, r(x, I)?)
                            } else {
                                Ins::IntBin(op, it, r(a, I)?, r(b, I)?, r(x, I)?)
                            }
                        }
                        _ => return Err(bad()),
                    }
                } else if let Some(op) = name.strip_prefix("bool_") {
                    let op = binop(op).ok_or_else(&bad)?;
                    match (args, res) {
                        ([a, b], [x]) => Ins::BoolBin(op, r(a, I)?, r(b, I)?, r(x, I)?),
                        _ => return Err(bad()),
                    }
                } else if let Some(op) = name.strip_prefix("float_") {
                    let op = binop(op).ok_or_else(&bad)?;
                    match (args, res) {
                        ([a, b], [x]) if op.is_cmp() => {
                            Ins::FloatCmp(op, r(a, F)?, r(b, F)?, r(x, I)?)
                        }
                        ([a, b], [x]) => Ins::FloatBin(op, r(a, F)?, r(b, F)?, r(x, F)?),
                        _ => return Err(bad()),
                    }
                } else {
                    return Err(format!("unknown operation `{name}`"));
                }
            }
        };
        Ok(Some(ins))
    }

    /// A call of site `s` after checking the banks of its registers against the site's types.
    fn site(&self, s: u32, args: Box<[Reg]>, res: Box<[Reg]>) -> Result<Ins, String> {
        let site = &self.sites[s as usize];
        let ok = args.len() == site.arg_types().len()
            && res.len() == site.result_types().len()
            && args
                .iter()
                .zip(site.arg_types())
                .all(|(r, t)| r.bank == bank_of(*t))
            && res
                .iter()
                .zip(site.result_types())
                .all(|(r, t)| r.bank == bank_of(*t));
        if !ok {
            return Err(format!(
                "{:?} with registers that do not match its descriptor",
                site.op()
            ));
        }
        Ok(Ins::Site(s, args, res))
    }
}

enum Callee {
    Code(u32),
    Site(u32),
    /// A residual call of a DSL function without a jitcode (policy mode): runs on the graph
    /// interpreter; the types of its arguments and results.
    Graph(FnId, Vec<LlTy>, Vec<LlTy>),
}

// ---------------------------------------------------------------------------------------------
// Execution
// ---------------------------------------------------------------------------------------------

/// The register files of a frame.
#[derive(Default)]
struct Regs<'a> {
    i: Vec<i64>,
    r: Vec<Option<&'a Obj<'a>>>,
    f: Vec<f64>,
}

impl<'a> Regs<'a> {
    fn get(&self, r: Reg, ty: LlTy) -> Value<'a> {
        let k = r.index as usize;
        match (r.bank, ty) {
            (Bank::Int, LlTy::Bool) => Value::Bool(self.i[k] != 0),
            (Bank::Int, _) => Value::Int(self.i[k]),
            (Bank::Ref, _) => Value::Ref(self.r[k]),
            (Bank::Float, _) => Value::F64(self.f[k]),
        }
    }

    fn set(&mut self, r: Reg, ty: LlTy, v: Value<'a>) -> R<()> {
        let k = r.index as usize;
        match (r.bank, ty, v) {
            (Bank::Int, LlTy::Bool, Value::Bool(b)) => self.i[k] = b as i64,
            (Bank::Int, LlTy::Int(_), Value::Int(x)) => self.i[k] = x,
            (Bank::Ref, LlTy::Ref, Value::Ref(o)) => self.r[k] = o,
            (Bank::Float, LlTy::F64, Value::F64(x)) => self.f[k] = x,
            (b, t, v) => {
                return Err(internal(format!(
                    "a {t:?} value in a {b:?} register receives {v:?}"
                )))
            }
        }
        Ok(())
    }
}

/// A suspended caller.
struct Frame<'a> {
    code: u32,
    /// Index of the instruction after the call.
    pc: u32,
    regs: Regs<'a>,
}

struct Blackhole<'p, 'a> {
    prog: &'p Decoded,
    /// String constants, allocated once per run: per jitcode, per pool index.
    strs: Vec<Vec<Cell<Option<&'a Obj<'a>>>>>,
}

impl<'a> DslCallee<'a> for Blackhole<'_, 'a> {
    fn call(&self, m: &mut Machine<'a, '_>, f: FnId, args: &[Value<'a>]) -> R<Vec<Value<'a>>> {
        match self.prog.by_fn.get(&f) {
            Some(j) => self.execute(m, *j, args),
            None => m.call_graph(f, args),
        }
    }
}

fn fresh_regs<'a>(pool: &mut Vec<Regs<'a>>, c: &Code) -> Regs<'a> {
    let mut r = pool.pop().unwrap_or_default();
    r.i.clear();
    r.i.resize(c.num_regs[0], 0);
    r.r.clear();
    r.r.resize(c.num_regs[1], None);
    r.f.clear();
    r.f.resize(c.num_regs[2], 0.0);
    r
}

/// `to[d] = from[s]` (same bank, checked by the decoder).
fn copy_reg<'a>(from: &Regs<'a>, s: Reg, to: &mut Regs<'a>, d: Reg) {
    let (s, d2) = (s.index as usize, d.index as usize);
    match d.bank {
        Bank::Int => to.i[d2] = from.i[s],
        Bank::Ref => to.r[d2] = from.r[s],
        Bank::Float => to.f[d2] = from.f[s],
    }
}

impl<'a> Blackhole<'_, 'a> {
    /// Runs jitcode `entry` with `args` to its return, with its own frame stack.
    fn execute(
        &self,
        m: &mut Machine<'a, '_>,
        entry: u32,
        args: &[Value<'a>],
    ) -> R<Vec<Value<'a>>> {
        let prog = self.prog;
        let ptr64 = prog.ptr64;
        let mut frames: Vec<Frame<'a>> = Vec::new();
        let mut pool: Vec<Regs<'a>> = Vec::new();
        let mut vals: Vec<Value<'a>> = Vec::new();
        let mut cur = entry as usize;
        let mut code = &prog.codes[cur];
        let mut regs = fresh_regs(&mut pool, code);
        if args.len() != code.params.len() {
            return Err(internal(format!(
                "`{}` takes {} arguments, got {}",
                code.name,
                code.params.len(),
                args.len()
            )));
        }
        for ((p, ty), a) in code.params.iter().zip(&code.param_tys).zip(args) {
            regs.set(*p, *ty, *a)?;
        }
        m.push_frame()?;
        let mut pc = 0usize;
        loop {
            let Some(ins) = code.ins.get(pc) else {
                return Err(internal(format!(
                    "`{}` runs off the end of its jitcode",
                    code.name
                )));
            };
            pc += 1;
            match ins {
                Ins::IntConst(v, x) => regs.i[*x as usize] = *v,
                Ins::FloatConst(v, x) => regs.f[*x as usize] = *v,
                Ins::RefNull(x) => regs.r[*x as usize] = None,
                Ins::StrConst(k, x) => {
                    let cell = &self.strs[cur][*k as usize];
                    let o = match cell.get() {
                        Some(o) => o,
                        None => {
                            let Value::Ref(Some(o)) =
                                m.new_str(code.consts_str[*k as usize].clone())
                            else {
                                return Err(internal("a string is not an object"));
                            };
                            cell.set(Some(o));
                            o
                        }
                    };
                    regs.r[*x as usize] = Some(o);
                }
                Ins::IntCopy(a, x) => regs.i[*x as usize] = regs.i[*a as usize],
                Ins::RefCopy(a, x) => regs.r[*x as usize] = regs.r[*a as usize],
                Ins::FloatCopy(a, x) => regs.f[*x as usize] = regs.f[*a as usize],
                Ins::IntBin(op, it, a, b, x) => {
                    regs.i[*x as usize] =
                        interp::int_bin(*op, *it, regs.i[*a as usize], regs.i[*b as usize], ptr64)?
                }
                Ins::IntCmp(op, it, a, b, x) => {
                    regs.i[*x as usize] =
                        interp::int_cmp(*op, *it, regs.i[*a as usize], regs.i[*b as usize])? as i64
                }
                Ins::IntOvf(op, it, a, b, x, o) => {
                    let (v, ovf) =
                        interp::int_ovf(*op, *it, regs.i[*a as usize], regs.i[*b as usize], ptr64)?;
                    regs.i[*x as usize] = v;
                    regs.i[*o as usize] = ovf as i64;
                }
                Ins::IntNeg(it, a, x) => {
                    regs.i[*x as usize] =
                        interp::canon(*it, regs.i[*a as usize].wrapping_neg(), ptr64)
                }
                Ins::IntNot(it, a, x) => {
                    regs.i[*x as usize] = interp::canon(*it, !regs.i[*a as usize], ptr64)
                }
                Ins::BoolBin(op, a, b, x) => {
                    regs.i[*x as usize] =
                        interp::bool_bin(*op, regs.i[*a as usize] != 0, regs.i[*b as usize] != 0)?
                            as i64
                }
                Ins::BoolNot(a, x) => regs.i[*x as usize] = (regs.i[*a as usize] == 0) as i64,
                Ins::FloatBin(op, a, b, x) => {
                    regs.f[*x as usize] =
                        interp::float_bin(*op, regs.f[*a as usize], regs.f[*b as usize])?
                }
                Ins::FloatCmp(op, a, b, x) => {
                    regs.i[*x as usize] =
                        interp::float_cmp(*op, regs.f[*a as usize], regs.f[*b as usize])? as i64
                }
                Ins::FloatNeg(a, x) => regs.f[*x as usize] = -regs.f[*a as usize],
                Ins::Cast(from, to, a, x) => {
                    let v = interp::cast(regs.get(*a, *from), *from, *to, ptr64)?;
                    regs.set(*x, *to, v)?;
                }
                Ins::PtrEq(a, b, x) => {
                    regs.i[*x as usize] =
                        interp::ptr_eq(regs.r[*a as usize], regs.r[*b as usize]) as i64
                }
                Ins::PtrIsNull(a, x) => regs.i[*x as usize] = regs.r[*a as usize].is_none() as i64,
                Ins::GetField(o, slot, ty, x) => {
                    let v = match regs.r[*o as usize] {
                        Some(Obj::User { slots, .. }) => slots
                            .get(*slot as usize)
                            .ok_or_else(|| internal("field slot out of range"))?
                            .get(),
                        Some(_) => return Err(internal("field read of a non-user object")),
                        None => return Err(internal("field read of a null reference")),
                    };
                    regs.set(*x, *ty, v)?;
                }
                Ins::SetField(o, slot, ty, v) => {
                    let val = regs.get(*v, *ty);
                    match regs.r[*o as usize] {
                        Some(Obj::User { slots, .. }) => slots
                            .get(*slot as usize)
                            .ok_or_else(|| internal("field slot out of range"))?
                            .set(val),
                        Some(_) => return Err(internal("field write of a non-user object")),
                        None => return Err(internal("field write of a null reference")),
                    }
                }
                Ins::New(adt, variant, args, x) => {
                    vals.clear();
                    vals.extend(args.iter().map(|(r, t)| regs.get(*r, *t)));
                    let o = m.new_object(adt.0, *variant, &vals)?;
                    regs.set(
                        Reg {
                            bank: Bank::Ref,
                            index: *x,
                        },
                        LlTy::Ref,
                        o,
                    )?;
                }
                Ins::Site(s, args, res) => {
                    let site = &prog.sites[*s as usize];
                    vals.clear();
                    vals.extend(
                        args.iter()
                            .zip(site.arg_types())
                            .map(|(r, t)| regs.get(*r, *t)),
                    );
                    vals.extend(site.result_types().iter().map(|t| Value::default_for(*t)));
                    m.exec_site(site, &mut vals)?;
                    let n = args.len();
                    for (k, (r, t)) in res.iter().zip(site.result_types()).enumerate() {
                        regs.set(*r, *t, vals[n + k])?;
                    }
                }
                Ins::Call(callee, args, _) => {
                    let cc = &prog.codes[*callee as usize];
                    let mut nregs = fresh_regs(&mut pool, cc);
                    for (a, p) in args.iter().zip(&cc.params) {
                        copy_reg(&regs, *a, &mut nregs, *p);
                    }
                    m.push_frame()?;
                    let caller = std::mem::replace(&mut regs, nregs);
                    frames.push(Frame {
                        code: cur as u32,
                        pc: pc as u32,
                        regs: caller,
                    });
                    cur = *callee as usize;
                    code = cc;
                    pc = 0;
                }
                Ins::Return(vs) => {
                    m.pop_frame();
                    let Some(caller) = frames.pop() else {
                        return Ok(vs
                            .iter()
                            .zip(&code.ret_tys)
                            .map(|(r, t)| regs.get(*r, *t))
                            .collect());
                    };
                    let ccode = &prog.codes[caller.code as usize];
                    let Some(Ins::Call(_, _, res)) = ccode.ins.get(caller.pc as usize - 1) else {
                        return Err(internal("return to a non-call"));
                    };
                    let mut cregs = caller.regs;
                    for (v, r) in vs.iter().zip(res.iter()) {
                        copy_reg(&regs, *v, &mut cregs, *r);
                    }
                    pool.push(std::mem::replace(&mut regs, cregs));
                    cur = caller.code as usize;
                    code = ccode;
                    pc = caller.pc as usize;
                }
                Ins::Goto(l) => pc = *l as usize,
                Ins::GotoIfNot(c, l) => {
                    if regs.i[*c as usize] == 0 {
                        pc = *l as usize;
                    }
                }
                Ins::Switch(v, tbl, default) => {
                    let k = regs.i[*v as usize];
                    pc = code.switches[*tbl as usize]
                        .get(&k)
                        .copied()
                        .unwrap_or(*default) as usize;
                }
                Ins::Fatal(msg) => return Err(prog.messages[*msg as usize].clone()),
                Ins::GraphCall(c, args, res) => {
                    let Callee::Graph(f, arg_tys, res_tys) = &prog.calls[*c as usize] else {
                        return Err(internal("bad residual call"));
                    };
                    vals.clear();
                    vals.extend(args.iter().zip(arg_tys).map(|(r, t)| regs.get(*r, *t)));
                    let out = m.call_graph(*f, &vals)?;
                    if out.len() != res.len() {
                        return Err(internal("residual call with a wrong number of results"));
                    }
                    for ((r, t), v) in res.iter().zip(res_tys).zip(out) {
                        regs.set(*r, *t, v)?;
                    }
                }
            }
        }
    }
}
