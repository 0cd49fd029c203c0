//! The assembler: one low-level graph + its register allocation → one [`JitCode`].
//!
//! Encoding: a one-byte opcode (interned in [`Assembler::opnames`] under `name/argkinds`),
//! then the operands its argument kinds describe:
//!
//! | kind | operand |
//! |---|---|
//! | `i` `r` `f` | a register of that bank: one byte |
//! | `c` | a constant-pool index (u16, little-endian), of the bank named by the opcode |
//! | `d` | a descriptor index (u16) |
//! | `L` | a code offset (u32) |
//! | `*` | a register list: a count byte, then (bank byte, index byte) pairs |
//!
//! Kinds after `>` are results. Every operation that can become a guard or a call (branches,
//! switches, calls, builtins that can fail or collect, `promote`, the merge point) is preceded
//! by `-live-/d`, whose descriptor indexes the deduplicated table of registers live there.

use crate::effects::Descrs;
use crate::regalloc::{bank_of, exit_uses, Allocation};
use crate::{Bank, JitCode, JitCodeId, Reg};
use std::collections::{BTreeSet, HashMap};
use vmkit_translator::driver::Translation;
use vmkit_translator::flow::{Exit, Instr, Link, LlConst, LlGraph, LlOp, LlTy, Var};
use vmkit_translator::program::FnId;
use vmkit_translator::thir::Builtin;

pub struct Assembler {
    pub opnames: Vec<String>,
    opcodes: HashMap<String, u8>,
    pub liveness: Vec<Vec<Reg>>,
    live_index: HashMap<Vec<Reg>, u16>,
}

struct Code<'a> {
    bytes: Vec<u8>,
    labels: Vec<Option<u32>>,
    fixups: Vec<(usize, usize)>,
    jc: JitCode,
    extra_scratch: [bool; 3],
    alloc: &'a Allocation,
}

fn kind_char(b: Bank) -> char {
    match b {
        Bank::Int => 'i',
        Bank::Ref => 'r',
        Bank::Float => 'f',
    }
}

fn bank_byte(b: Bank) -> u8 {
    match b {
        Bank::Int => 0,
        Bank::Ref => 1,
        Bank::Float => 2,
    }
}

/// The name of a low-level type in opnames (`cast.u8.i64`) and dumps.
pub fn ty_name(t: LlTy) -> String {
    match t {
        LlTy::Bool => "bool".into(),
        LlTy::Int(it) => it.name().into(),
        LlTy::F64 => "f64".into(),
        LlTy::Ref => "ref".into(),
    }
}

impl Default for Assembler {
    fn default() -> Self {
        Self::new()
    }
}

impl Assembler {
    pub fn new() -> Self {
        Assembler {
            opnames: Vec::new(),
            opcodes: HashMap::new(),
            liveness: Vec::new(),
            live_index: HashMap::new(),
        }
    }

    fn opcode(&mut self, name: &str) -> Result<u8, String> {
        if let Some(o) = self.opcodes.get(name) {
            return Ok(*o);
        }
        if self.opnames.len() >= 256 {
            return Err("more than 256 distinct jitcode operations".into());
        }
        self.opnames.push(name.to_string());
        let o = (self.opnames.len() - 1) as u8;
        self.opcodes.insert(name.to_string(), o);
        Ok(o)
    }

    fn live_set(&mut self, regs: Vec<Reg>) -> u16 {
        if let Some(i) = self.live_index.get(&regs) {
            return *i;
        }
        self.liveness.push(regs.clone());
        let i = (self.liveness.len() - 1) as u16;
        self.live_index.insert(regs, i);
        i
    }

    /// Assembles one graph.
    pub fn assemble(
        &mut self,
        t: &Translation,
        g: &LlGraph,
        alloc: &Allocation,
        jitcode_of: &HashMap<FnId, JitCodeId>,
        descrs: &mut Descrs,
    ) -> Result<JitCode, String> {
        let params: Vec<Reg> = g.params().iter().map(|p| alloc.reg(*p)).collect();
        let mut c = Code {
            bytes: Vec::new(),
            labels: vec![None; g.blocks.len()],
            fixups: Vec::new(),
            jc: JitCode {
                name: g.name.clone(),
                fn_id: g.fn_id,
                params,
                num_regs: alloc.num_regs,
                code: Vec::new(),
                consts_int: Vec::new(),
                consts_float: Vec::new(),
                consts_str: Vec::new(),
            },
            extra_scratch: [false; 3],
            alloc,
        };
        for (pos, &b) in alloc.order.iter().enumerate() {
            c.labels[b] = Some(c.bytes.len() as u32);
            let block = &g.blocks[b];
            // live-after sets for -live- markers
            let mut live = alloc.live_out[b].clone();
            live.extend(exit_uses(&block.exit));
            let mut after: Vec<BTreeSet<Var>> = vec![BTreeSet::new(); block.ops.len()];
            for (k, ins) in block.ops.iter().enumerate().rev() {
                after[k] = live.clone();
                for r in &ins.results {
                    live.remove(r);
                }
                live.extend(ins.args.iter().copied());
            }
            for (k, ins) in block.ops.iter().enumerate() {
                self.instr(t, g, &mut c, ins, &after[k], jitcode_of, descrs)?;
            }
            let next = alloc.order.get(pos + 1).copied();
            let exit_live: BTreeSet<Var> = alloc.live_out[b]
                .iter()
                .copied()
                .chain(exit_uses(&block.exit))
                .collect();
            self.exit(g, &mut c, &block.exit, next, &exit_live, descrs)?;
        }
        for (at, block) in std::mem::take(&mut c.fixups) {
            let target = c.labels[block].ok_or("jump to a block that was not laid out")?;
            c.bytes[at..at + 4].copy_from_slice(&target.to_le_bytes());
        }
        let mut jc = c.jc;
        jc.code = c.bytes;
        for (k, e) in c.extra_scratch.iter().enumerate() {
            if *e {
                jc.num_regs[k] += 1;
            }
        }
        Ok(jc)
    }

    fn op(&mut self, c: &mut Code, name: &str) -> Result<(), String> {
        let o = self.opcode(name)?;
        c.bytes.push(o);
        Ok(())
    }

    fn live(&mut self, c: &mut Code, vars: &BTreeSet<Var>) -> Result<(), String> {
        let mut regs: Vec<Reg> = vars
            .iter()
            .filter_map(|v| c.alloc.regs[v.0 as usize])
            .collect();
        regs.sort();
        regs.dedup();
        let idx = self.live_set(regs);
        self.op(c, "-live-/d")?;
        c.bytes.extend_from_slice(&idx.to_le_bytes());
        Ok(())
    }

    fn reg_list(c: &mut Code, regs: &[Reg]) -> Result<(), String> {
        let n = u8::try_from(regs.len()).map_err(|_| {
            format!(
                "`{}`: an operation with {} register operands (at most 255)",
                c.jc.name,
                regs.len()
            )
        })?;
        c.bytes.push(n);
        for r in regs {
            c.bytes.push(bank_byte(r.bank));
            c.bytes.push(r.index);
        }
        Ok(())
    }

    fn regs(&self, c: &Code, vs: &[Var]) -> Vec<Reg> {
        vs.iter().map(|v| c.alloc.reg(*v)).collect()
    }

    #[allow(clippy::too_many_arguments)]
    fn instr(
        &mut self,
        t: &Translation,
        g: &LlGraph,
        c: &mut Code,
        ins: &Instr<LlOp>,
        live_after: &BTreeSet<Var>,
        jitcode_of: &HashMap<FnId, JitCodeId>,
        descrs: &mut Descrs,
    ) -> Result<(), String> {
        let args = self.regs(c, &ins.args);
        let res = self.regs(c, &ins.results);
        let ty = |v: Var| *g.ty(v);
        let arg_tys: Vec<LlTy> = ins.args.iter().map(|v| ty(*v)).collect();
        let res_tys: Vec<LlTy> = ins.results.iter().map(|v| ty(*v)).collect();
        let simple = |asm: &mut Self, c: &mut Code, name: String| -> Result<(), String> {
            let kinds: String = args.iter().map(|r| kind_char(r.bank)).collect();
            let rk: String = res.iter().map(|r| kind_char(r.bank)).collect();
            asm.op(c, &format!("{name}/{kinds}>{rk}"))?;
            for r in args.iter().chain(&res) {
                c.bytes.push(r.index);
            }
            Ok(())
        };
        let mut with_live: BTreeSet<Var> = live_after.clone();
        with_live.extend(ins.args.iter().copied());
        match &ins.op {
            LlOp::Const(k) => {
                let r = res[0];
                let (name, idx) = match k {
                    LlConst::Int(v, _) => {
                        ("int_const/c>i", Some(pool_index(&mut c.jc.consts_int, *v)))
                    }
                    LlConst::Bool(b) => (
                        "int_const/c>i",
                        Some(pool_index(&mut c.jc.consts_int, *b as i64)),
                    ),
                    LlConst::F64(f) => (
                        "float_const/c>f",
                        Some(fpool_index(&mut c.jc.consts_float, *f)),
                    ),
                    LlConst::Null => ("ref_null/>r", None),
                    LlConst::Str(s) => (
                        "str_const/c>r",
                        Some(pool_index(
                            &mut c.jc.consts_str,
                            String::from_utf8_lossy(s).into_owned(),
                        )),
                    ),
                };
                self.op(c, name)?;
                if let Some(idx) = idx {
                    let idx = u16::try_from(idx).map_err(|_| {
                        format!("`{}`: more than 65536 constants in a pool", c.jc.name)
                    })?;
                    c.bytes.extend_from_slice(&idx.to_le_bytes());
                }
                c.bytes.push(r.index);
            }
            LlOp::Copy => {
                for (a, r) in args.iter().zip(&res) {
                    self.op(
                        c,
                        &format!("{0}_copy/{1}>{1}", bank_name(a.bank), kind_char(a.bank)),
                    )?;
                    c.bytes.push(a.index);
                    c.bytes.push(r.index);
                }
            }
            LlOp::IntBin(op, it) => {
                if matches!(
                    op,
                    vmkit_translator::thir::BinOp::Div | vmkit_translator::thir::BinOp::Rem
                ) {
                    self.live(c, &with_live)?;
                }
                simple(self, c, format!("int_{}.{}", op.name(), it.name()))?
            }
            LlOp::IntCmp(op, it) => simple(self, c, format!("int_{}.{}", op.name(), it.name()))?,
            LlOp::IntOvf(op, it) => {
                simple(self, c, format!("int_{}_ovf.{}", op.name(), it.name()))?
            }
            LlOp::IntNeg(it) => simple(self, c, format!("int_neg.{}", it.name()))?,
            LlOp::IntNot(it) => simple(self, c, format!("int_not.{}", it.name()))?,
            LlOp::BoolBin(op) => simple(self, c, format!("bool_{}", op.name()))?,
            LlOp::BoolNot => simple(self, c, "bool_not".into())?,
            LlOp::FloatBin(op) => simple(self, c, format!("float_{}", op.name()))?,
            LlOp::FloatCmp(op) => simple(self, c, format!("float_{}", op.name()))?,
            LlOp::FloatNeg => simple(self, c, "float_neg".into())?,
            LlOp::Cast => simple(
                self,
                c,
                format!(
                    "cast.{}.{}",
                    ty_name(ty(ins.args[0])),
                    ty_name(ty(ins.results[0]))
                ),
            )?,
            LlOp::PtrEq => simple(self, c, "ptr_eq".into())?,
            LlOp::PtrIsNull => simple(self, c, "ptr_iszero".into())?,
            LlOp::GetField(d) => {
                if d.quasi_immutable {
                    // the tracer folds it behind a guard (resumed here)
                    self.live(c, &with_live)?;
                }
                let di = descrs.field(t, d);
                let rk = kind_char(bank_of(d.ty));
                let pure = if d.immutable { "_pure" } else { "" };
                self.op(c, &format!("getfield{pure}_{rk}/rd>{rk}"))?;
                c.bytes.push(args[0].index);
                c.bytes.extend_from_slice(&di.to_le_bytes());
                c.bytes.push(res[0].index);
            }
            LlOp::SetField(d) => {
                let di = descrs.field(t, d);
                let vk = kind_char(args[1].bank);
                self.op(c, &format!("setfield_{vk}/r{vk}d"))?;
                c.bytes.push(args[0].index);
                c.bytes.push(args[1].index);
                c.bytes.extend_from_slice(&di.to_le_bytes());
            }
            LlOp::New(adt, variant) => {
                let d = adt.0 as u16;
                let name = match variant {
                    None => "new/d*>r".to_string(),
                    Some(_) => "new_variant/dd*>r".to_string(),
                };
                self.op(c, &name)?;
                c.bytes.extend_from_slice(&d.to_le_bytes());
                if let Some(v) = variant {
                    c.bytes.extend_from_slice(&(*v as u16).to_le_bytes());
                }
                Self::reg_list(c, &args)?;
                c.bytes.push(res[0].index);
            }
            LlOp::Call(f) => {
                self.live(c, &with_live)?;
                match jitcode_of.get(f) {
                    Some(j) => {
                        let j = u16::try_from(*j)
                            .map_err(|_| "more than 65536 jitcodes".to_string())?;
                        self.op(c, "inline_call/d*>*")?;
                        c.bytes.extend_from_slice(&j.to_le_bytes());
                    }
                    None => {
                        let d = descrs.call(t, *f, &arg_tys, &res_tys);
                        self.op(c, "residual_call/d*>*")?;
                        c.bytes.extend_from_slice(&d.to_le_bytes());
                    }
                }
                Self::reg_list(c, &args)?;
                Self::reg_list(c, &res)?;
            }
            LlOp::Host(f) => {
                self.live(c, &with_live)?;
                let d = descrs.call(t, *f, &arg_tys, &res_tys);
                self.op(c, "residual_call/d*>*")?;
                c.bytes.extend_from_slice(&d.to_le_bytes());
                Self::reg_list(c, &args)?;
                Self::reg_list(c, &res)?;
            }
            LlOp::Builtin(b, _) | LlOp::NewContainer(b, _) => {
                let (key, container) = match &ins.op {
                    LlOp::Builtin(_, key) => (*key, None),
                    LlOp::NewContainer(_, info) => (info.key, Some(info)),
                    _ => unreachable!("matched above"),
                };
                if *b == Builtin::Promote {
                    self.live(c, &with_live)?;
                    for (a, r) in args.iter().zip(&res) {
                        let k = kind_char(a.bank);
                        self.op(c, &format!("{}_guard_value/{k}", bank_name(a.bank)))?;
                        c.bytes.push(a.index);
                        self.op(c, &format!("{0}_copy/{1}>{1}", bank_name(a.bank), k))?;
                        c.bytes.push(a.index);
                        c.bytes.push(r.index);
                    }
                    return Ok(());
                }
                let eff = crate::effects::builtin_effect(*b);
                if eff.can_raise
                    || eff.can_collect
                    || eff.level == crate::effects::EffectLevel::RandomEffects
                {
                    self.live(c, &with_live)?;
                }
                let d = descrs.builtin(*b, key, container, &arg_tys, &res_tys);
                self.op(c, "builtin/d*>*")?;
                c.bytes.extend_from_slice(&d.to_le_bytes());
                Self::reg_list(c, &args)?;
                Self::reg_list(c, &res)?;
            }
            LlOp::JitMergePoint(d) => {
                self.live(c, &with_live)?;
                self.op(c, "jit_merge_point/d*")?;
                c.bytes.extend_from_slice(&(d.0 as u16).to_le_bytes());
                Self::reg_list(c, &args)?;
            }
            LlOp::CanEnterJit(d) => {
                self.op(c, "loop_header/d")?;
                c.bytes.extend_from_slice(&(d.0 as u16).to_le_bytes());
            }
        }
        Ok(())
    }

    /// Emits the moves of a link (a parallel copy) and, unless it falls through, a goto.
    fn link(
        &mut self,
        g: &LlGraph,
        c: &mut Code,
        l: &Link,
        next: Option<usize>,
    ) -> Result<(), String> {
        let params = &g.block(l.target).params;
        let mut moves: Vec<(Reg, Reg)> = l
            .args
            .iter()
            .zip(params)
            .map(|(a, p)| (c.alloc.reg(*a), c.alloc.reg(*p)))
            .filter(|(s, d)| s != d)
            .collect();
        while !moves.is_empty() {
            if let Some(i) = moves
                .iter()
                .position(|(_, d)| !moves.iter().any(|(s, _)| s == d))
            {
                let (s, d) = moves.remove(i);
                self.mov(c, s, d)?;
            } else {
                // a cycle: save the first destination's current value in the bank's scratch
                // register and let the moves that read it read the scratch instead
                let (_, d) = moves[0];
                let k = bank_byte(d.bank) as usize;
                c.extra_scratch[k] = true;
                let index = u8::try_from(c.alloc.num_regs[k]).map_err(|_| {
                    format!(
                        "`{}`: no {:?} register left for a move cycle (256 in use)",
                        c.jc.name, d.bank
                    )
                })?;
                let scratch = Reg {
                    bank: d.bank,
                    index,
                };
                self.mov(c, d, scratch)?;
                for m in moves.iter_mut() {
                    if m.0 == d {
                        m.0 = scratch;
                    }
                }
            }
        }
        if next != Some(l.target.0 as usize) {
            self.op(c, "goto/L")?;
            c.fixups.push((c.bytes.len(), l.target.0 as usize));
            c.bytes.extend_from_slice(&[0; 4]);
        }
        Ok(())
    }

    fn mov(&mut self, c: &mut Code, s: Reg, d: Reg) -> Result<(), String> {
        let k = kind_char(s.bank);
        self.op(c, &format!("{}_copy/{k}>{k}", bank_name(s.bank)))?;
        c.bytes.push(s.index);
        c.bytes.push(d.index);
        Ok(())
    }

    fn exit(
        &mut self,
        g: &LlGraph,
        c: &mut Code,
        e: &Exit,
        next: Option<usize>,
        live: &BTreeSet<Var>,
        descrs: &mut Descrs,
    ) -> Result<(), String> {
        match e {
            Exit::Goto(l) => self.link(g, c, l, next)?,
            Exit::If { cond, then, els } => {
                self.live(c, live)?;
                self.op(c, "goto_if_not/iL")?;
                c.bytes.push(c.alloc.reg(*cond).index);
                // the false edge jumps to an edge stub emitted after the true edge
                let patch = c.bytes.len();
                c.bytes.extend_from_slice(&[0; 4]);
                self.link(g, c, then, None)?;
                let here = c.bytes.len() as u32;
                c.bytes[patch..patch + 4].copy_from_slice(&here.to_le_bytes());
                self.link(g, c, els, next)?;
            }
            Exit::Switch {
                value,
                cases,
                default,
            } => {
                self.live(c, live)?;
                let table = descrs.switches.len();
                descrs.switches.push(Vec::new());
                self.op(c, "switch/idL")?;
                c.bytes.push(c.alloc.reg(*value).index);
                c.bytes.extend_from_slice(&(table as u16).to_le_bytes());
                let default_patch = c.bytes.len();
                c.bytes.extend_from_slice(&[0; 4]);
                let mut entries = Vec::new();
                for (k, l) in cases {
                    let at = c.bytes.len() as u32;
                    self.link(g, c, l, None)?;
                    entries.push((*k, at));
                }
                let here = c.bytes.len() as u32;
                c.bytes[default_patch..default_patch + 4].copy_from_slice(&here.to_le_bytes());
                self.link(g, c, default, next)?;
                descrs.switches[table] = entries;
            }
            Exit::Return(vs) => {
                let regs: Vec<Reg> = vs.iter().map(|v| c.alloc.reg(*v)).collect();
                match regs.as_slice() {
                    [] => self.op(c, "void_return/")?,
                    [r] => {
                        let k = kind_char(r.bank);
                        self.op(c, &format!("{}_return/{k}", bank_name(r.bank)))?;
                        c.bytes.push(r.index);
                    }
                    _ => {
                        self.op(c, "multi_return/*")?;
                        Self::reg_list(c, &regs)?;
                    }
                }
            }
            Exit::Fatal(m) => {
                let d = descrs.message(m);
                self.op(c, "fatal/d")?;
                c.bytes.extend_from_slice(&d.to_le_bytes());
            }
        }
        Ok(())
    }
}

fn bank_name(b: Bank) -> &'static str {
    match b {
        Bank::Int => "int",
        Bank::Ref => "ref",
        Bank::Float => "float",
    }
}

/// Index of `v` in a constant pool, added if missing.
fn pool_index<T: PartialEq>(p: &mut Vec<T>, v: T) -> usize {
    if let Some(i) = p.iter().position(|x| *x == v) {
        return i;
    }
    p.push(v);
    p.len() - 1
}

/// [`pool_index`] for floats, by bit pattern (`-0.0` and `0.0` differ, a NaN equals itself).
fn fpool_index(p: &mut Vec<f64>, v: f64) -> usize {
    if let Some(i) = p.iter().position(|x| x.to_bits() == v.to_bits()) {
        return i;
    }
    p.push(v);
    p.len() - 1
}

/// A decoded operand (the inverse of the encoding in the module documentation).
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    /// `i` `r` `f`: a register.
    Reg(Reg),
    /// `c`: a constant-pool index.
    Const(u16),
    /// `d`: a descriptor index.
    Descr(u16),
    /// `L`: a code offset.
    Label(u32),
    /// `*`: a register list.
    List(Vec<Reg>),
}

/// One instruction as encoded: its offset, its name (without the argument kinds) and its
/// operands before and after the `>` of its kinds.
#[derive(Clone, Debug)]
pub struct RawInsn<'a> {
    pub offset: usize,
    pub name: &'a str,
    pub args: Vec<Operand>,
    pub results: Vec<Operand>,
    /// Whether the kinds have a `>` (the instruction has a result part, maybe empty).
    pub arrow: bool,
}

/// Decodes a jitcode's bytes with the opcode table `opnames`: the one decoder behind the
/// disassembler, the export to the runtime and the codewriter's jitcode interpreter.
pub fn decode<'a>(code: &[u8], opnames: &'a [String]) -> Result<Vec<RawInsn<'a>>, String> {
    let mut out = Vec::new();
    let mut pc = 0usize;
    let take = |pc: &mut usize, n: usize| -> Result<&[u8], String> {
        let s = code
            .get(*pc..*pc + n)
            .ok_or_else(|| format!("truncated at {}", *pc))?;
        *pc += n;
        Ok(s)
    };
    let bank = |b: u8| -> Result<Bank, String> {
        Ok(match b {
            0 => Bank::Int,
            1 => Bank::Ref,
            2 => Bank::Float,
            o => return Err(format!("bad bank byte {o}")),
        })
    };
    while pc < code.len() {
        let offset = pc;
        let opcode = take(&mut pc, 1)?[0];
        let full = opnames
            .get(opcode as usize)
            .ok_or_else(|| format!("bad opcode {opcode} at {offset}"))?;
        let (name, kinds) = full
            .split_once('/')
            .ok_or_else(|| format!("opname `{full}` without kinds"))?;
        let mut insn = RawInsn {
            offset,
            name,
            args: Vec::new(),
            results: Vec::new(),
            arrow: false,
        };
        for k in kinds.chars() {
            let u16_at = |pc: &mut usize| -> Result<u16, String> {
                let b = take(pc, 2)?;
                Ok(u16::from_le_bytes([b[0], b[1]]))
            };
            let opd = match k {
                'i' | 'r' | 'f' => Operand::Reg(Reg {
                    bank: crate::Bank::from_char(k),
                    index: take(&mut pc, 1)?[0],
                }),
                'c' => Operand::Const(u16_at(&mut pc)?),
                'd' => Operand::Descr(u16_at(&mut pc)?),
                'L' => {
                    let b = take(&mut pc, 4)?;
                    Operand::Label(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                }
                '*' => {
                    let n = take(&mut pc, 1)?[0] as usize;
                    let mut regs = Vec::with_capacity(n);
                    for _ in 0..n {
                        let b = take(&mut pc, 2)?;
                        regs.push(Reg {
                            bank: bank(b[0])?,
                            index: b[1],
                        });
                    }
                    Operand::List(regs)
                }
                '>' => {
                    insn.arrow = true;
                    continue;
                }
                other => return Err(format!("unknown operand kind `{other}` in `{full}`")),
            };
            if insn.arrow {
                insn.results.push(opd);
            } else {
                insn.args.push(opd);
            }
        }
        out.push(insn);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use vmkit_translator::flow::{Block, BlockId, Graph};
    use vmkit_translator::ty::IntTy;

    /// `b0(a, b) -> b1(b, a)` where the allocation makes the link a swap cycle.
    fn swap_graph() -> LlGraph {
        let i64t = LlTy::Int(IntTy::I64);
        let mut g: LlGraph = Graph {
            name: "swap".into(),
            fn_id: FnId(0),
            var_types: vec![],
            var_names: vec![],
            blocks: vec![],
            ret: vec![i64t],
        };
        let (a, b, p, q) = (
            g.new_var(i64t, None),
            g.new_var(i64t, None),
            g.new_var(i64t, None),
            g.new_var(i64t, None),
        );
        g.blocks.push(Block {
            params: vec![a, b],
            ops: vec![],
            exit: Exit::Goto(Link {
                target: BlockId(1),
                args: vec![b, a],
            }),
        });
        g.blocks.push(Block {
            params: vec![p, q],
            ops: vec![],
            exit: Exit::Return(vec![p]),
        });
        g
    }

    fn code<'a>(alloc: &'a Allocation) -> Code<'a> {
        Code {
            bytes: Vec::new(),
            labels: vec![None; 2],
            fixups: Vec::new(),
            jc: JitCode {
                name: "swap".into(),
                fn_id: FnId(0),
                params: vec![],
                num_regs: alloc.num_regs,
                code: Vec::new(),
                consts_int: Vec::new(),
                consts_float: Vec::new(),
                consts_str: Vec::new(),
            },
            extra_scratch: [false; 3],
            alloc,
        }
    }

    fn alloc(num_int: u16) -> Allocation {
        let r = |index| {
            Some(Reg {
                bank: Bank::Int,
                index,
            })
        };
        Allocation {
            regs: vec![r(0), r(1), r(0), r(1)],
            order: vec![0, 1],
            live_out: vec![BTreeSet::new(); 2],
            num_regs: [num_int, 0, 0],
        }
    }

    #[test]
    fn a_move_cycle_goes_through_a_scratch_register() {
        let g = swap_graph();
        let a = alloc(2);
        let mut c = code(&a);
        let mut asm = Assembler::new();
        let Exit::Goto(l) = &g.blocks[0].exit else {
            unreachable!()
        };
        asm.link(&g, &mut c, l, Some(1)).expect("assembles");
        // i0 -> i2 (scratch), i1 -> i0, i2 -> i1
        let copy = asm.opcodes["int_copy/i>i"];
        assert_eq!(c.bytes, vec![copy, 0, 2, copy, 1, 0, copy, 2, 1]);
        assert!(c.extra_scratch[0]);
    }

    /// With all 256 registers of the bank in use there is no scratch register: the index must
    /// not wrap around to register 0 (which would clobber a live value).
    #[test]
    fn a_move_cycle_with_256_registers_in_use_is_an_error() {
        let g = swap_graph();
        let a = alloc(256);
        let mut c = code(&a);
        let mut asm = Assembler::new();
        let Exit::Goto(l) = &g.blocks[0].exit else {
            unreachable!()
        };
        let e = asm.link(&g, &mut c, l, Some(1)).unwrap_err();
        assert!(e.contains("move cycle"), "{e}");
    }
}
