//! Export: the codewriter's [`JitProgram`] → the runtime's [`jitcode::Program`] (decoded
//! instructions, descriptors, the portal) plus the list of *helpers* the AOT backend must
//! compile into the binary.
//!
//! A helper is one low-level operation (a built-in, an allocation, a call of an interpreter or
//! host function) with its exact argument and result types. The AOT backend compiles each into a
//! function with the uniform ABI `extern "C" fn(args: *const u64, results: *mut u64)`, so the
//! runtime's meta-interpreter, its blackhole interpreter and compiled traces execute these
//! operations with the interpreter's own code.

use crate::effects::{CallTarget, EffectInfo, EffectLevel};
use crate::regalloc::bank_of;
use crate::{Bank, JitProgram};
use std::collections::HashMap;
use vmkit_jit_ir::jitcode::{
    self, CallDescr, Effects, FieldDescr, Insn, JitCode, Portal, Reg, Special,
};
use vmkit_jit_ir::ops::{BinOp, IntTy, Kind, Ty};
use vmkit_jit_ir::trace::NewShape;
use vmkit_translator::driver::Translation;
use vmkit_translator::flow::{HlOp, LlOp, LlTy};
use vmkit_translator::program::FnId;
use vmkit_translator::thir::Builtin;
use vmkit_translator::ty::AdtId;

/// One operation the AOT backend compiles into a uniform-ABI helper function.
#[derive(Clone, Debug)]
pub struct HelperSpec {
    pub op: LlOp,
    pub args: Vec<LlTy>,
    pub results: Vec<LlTy>,
}

/// What the translated binary embeds for the JIT.
pub struct Export {
    pub program: jitcode::Program,
    pub helpers: Vec<HelperSpec>,
}

pub fn ty(t: LlTy) -> Ty {
    match t {
        LlTy::Bool => Ty::Bool,
        LlTy::Int(it) => Ty::Int(int_ty(it)),
        LlTy::F64 => Ty::F64,
        LlTy::Ref => Ty::Ref,
    }
}

fn int_ty(it: vmkit_translator::ty::IntTy) -> IntTy {
    IntTy::from_name(it.name()).expect("same integer types on both sides")
}

fn kind(b: Bank) -> Kind {
    match b {
        Bank::Int => Kind::Int,
        Bank::Ref => Kind::Ref,
        Bank::Float => Kind::Float,
    }
}

fn effects(e: &EffectInfo, field_index: &HashMap<(u32, u32), u16>) -> Effects {
    Effects {
        elidable: matches!(
            e.level,
            EffectLevel::ElidableCannotRaise | EffectLevel::ElidableCanRaise
        ),
        loop_invariant: e.level == EffectLevel::LoopInvariant,
        can_raise: e.can_raise,
        can_collect: e.can_collect,
        random_effects: e.level == EffectLevel::RandomEffects,
        writes_fields: e
            .writes_fields
            .iter()
            .filter_map(|k| field_index.get(k).copied())
            .collect(),
        writes_containers: e.writes_containers,
    }
}

#[derive(Default)]
struct Builder {
    calls: Vec<CallDescr>,
    helpers: Vec<HelperSpec>,
    news: HashMap<(u32, Option<u32>), u16>,
    residuals: HashMap<u16, u16>,
    strs: Vec<Vec<u8>>,
    str_index: HashMap<Vec<u8>, u32>,
}

impl Builder {
    fn add(
        &mut self,
        spec: HelperSpec,
        name: String,
        eff: Effects,
        special: Option<Special>,
    ) -> u16 {
        let d = CallDescr {
            helper: self.helpers.len() as u32,
            name,
            effects: eff,
            args: spec.args.iter().map(|t| ty(*t)).collect(),
            results: spec.results.iter().map(|t| ty(*t)).collect(),
            special,
            new: None,
        };
        self.helpers.push(spec);
        self.calls.push(d);
        (self.calls.len() - 1) as u16
    }

    fn str_const(&mut self, s: &str) -> u32 {
        let b = s.as_bytes().to_vec();
        if let Some(i) = self.str_index.get(&b) {
            return *i;
        }
        self.strs.push(b.clone());
        let i = self.strs.len() as u32 - 1;
        self.str_index.insert(b, i);
        i
    }
}

fn special(b: Builtin, args: &[LlTy], results: &[LlTy]) -> Option<Special> {
    Some(match b {
        Builtin::ArrayLen => Special::ArrayLen,
        // Elements of several words (structs, enums with payloads) are read and written one word
        // at a time: the element's scalars are its words, in order (`docs/runtime-abi.md`).
        Builtin::ArrayGet if !results.is_empty() => Special::ArrayGet,
        Builtin::ArraySet if args.len() >= 3 => Special::ArraySet,
        Builtin::StrLen => Special::StrLen,
        Builtin::StrByteAt => Special::StrByteAt,
        Builtin::ArrayNew if args.len() >= 2 && results.len() == 1 => Special::ArrayNew,
        Builtin::ListLen if results.len() == 1 => Special::ListLen,
        Builtin::ListGet if !results.is_empty() => Special::ListGet,
        Builtin::ListSet if args.len() >= 3 => Special::ListSet,
        _ => return None,
    })
}

/// Builds the runtime's program and the helper list.
pub fn export(t: &Translation, p: &JitProgram) -> Result<Export, String> {
    let mut b = Builder::default();
    let fidx = &p.descrs.field_index;
    // residual calls: calls[0..ncalls]
    for c in &p.descrs.calls {
        let (op, name) = match &c.target {
            CallTarget::Dsl { fn_id, name } => (LlOp::Call(FnId(*fn_id)), name.clone()),
            CallTarget::Host { name } => {
                let f = t
                    .prog
                    .fns
                    .iter()
                    .position(|f| f.is_host && &f.name == name)
                    .ok_or_else(|| format!("host function `{name}` not found"))?;
                (LlOp::Host(FnId(f as u32)), name.clone())
            }
        };
        let spec = HelperSpec {
            op,
            args: c.args.clone(),
            results: c.results.clone(),
        };
        b.add(spec, name, effects(&c.effect, fidx), None);
    }
    let builtin_base = b.calls.len();
    for d in &p.descrs.builtins {
        let op = match &d.container {
            Some(info) => LlOp::NewContainer(d.builtin, info.clone()),
            None => LlOp::Builtin(d.builtin, d.key),
        };
        let spec = HelperSpec {
            op,
            args: d.args.clone(),
            results: d.results.clone(),
        };
        let sp = special(d.builtin, &d.args, &d.results);
        let mut eff = effects(&d.effect, fidx);
        // Reads of mutable containers have no side effects, but their result depends on the
        // container's current contents: the tracer must neither fold nor CSE them.
        if matches!(
            d.builtin,
            Builtin::SbLen
                | Builtin::ListLen
                | Builtin::MapLen
                | Builtin::ArrayGet
                | Builtin::ListGet
                | Builtin::MapGet
                | Builtin::MapContains
                | Builtin::MapKeyAt
                | Builtin::MapValueAt
        ) {
            eff.elidable = false;
        }
        b.add(spec, format!("{:?}", d.builtin), eff, sp);
    }
    let fields = p
        .descrs
        .fields
        .iter()
        .map(|f| FieldDescr {
            name: f.name.clone(),
            offset: f.offset,
            ty: ty(f.ty),
            immutable: f.immutable,
            quasi_immutable: f.quasi_immutable,
        })
        .collect();
    let mut jitcodes = Vec::new();
    let mut switches: Vec<Vec<(i64, u32)>> = Vec::new();
    for (i, jc) in p.jitcodes.iter().enumerate() {
        let code = decode(t, p, i, builtin_base, &mut b, &mut switches)
            .map_err(|e| format!("jitcode `{}`: {e}", jc.name))?;
        jitcodes.push(code);
    }
    let portal = match p.portal {
        None => None,
        Some(j) => Some(portal(t, p, j, &jitcodes, &mut b)?),
    };
    let liveness = p
        .liveness
        .iter()
        .map(|l| {
            l.iter()
                .map(|r| Reg {
                    kind: kind(r.bank),
                    index: r.index,
                })
                .collect()
        })
        .collect();
    let program = jitcode::Program {
        ptr64: t.ll.target.pointer_width == 64,
        jitcodes,
        portal,
        fields,
        calls: b.calls,
        switches,
        messages: p.descrs.messages.clone(),
        liveness,
        strs: b.strs,
    };
    Ok(Export {
        program,
        helpers: b.helpers,
    })
}

/// The portal description: its jitcode, the merge point's layout, the location helper.
fn portal(
    t: &Translation,
    p: &JitProgram,
    j: u32,
    jitcodes: &[JitCode],
    b: &mut Builder,
) -> Result<Portal, String> {
    let jc = &jitcodes[j as usize];
    let (driver, regs) = jc
        .insns
        .iter()
        .find_map(|i| match i {
            Insn::JitMergePoint(d, regs) => Some((*d, regs.clone())),
            _ => None,
        })
        .ok_or("the portal has no merge point")?;
    let dd = &t.prog.drivers[driver as usize];
    let fn_id = p.jitcodes[j as usize].fn_id;
    // greens' flattened width, from the high-level merge point's arguments
    let hl = t.hl[fn_id.0 as usize]
        .as_ref()
        .ok_or("the portal has no graph")?;
    let mp = hl
        .blocks
        .iter()
        .flat_map(|bl| bl.ops.iter())
        .find(|o| matches!(o.op, HlOp::JitMergePoint(_)))
        .ok_or("the portal's graph has no merge point")?;
    let mut green_tys = Vec::new();
    for v in mp.args.iter().take(dd.greens.len()) {
        green_tys.extend(vmkit_translator::lower::flatten(&t.prog, hl.ty(*v)));
    }
    let ngreens = green_tys.len();
    if ngreens > regs.len() {
        return Err("merge point: more greens than registers".into());
    }
    let g = t.ll.graphs[fn_id.0 as usize]
        .as_ref()
        .ok_or("the portal has no graph")?;
    let results = g.ret.iter().map(|r| ty(*r)).collect();
    let location = match &dd.get_printable_location {
        None => None,
        Some(name) => {
            let f = t
                .prog
                .fns
                .iter()
                .position(|f| &f.name == name && !f.is_host)
                .ok_or_else(|| format!("printable-location function `{name}` not found"))?;
            let spec = HelperSpec {
                op: LlOp::Call(FnId(f as u32)),
                args: green_tys.clone(),
                results: vec![LlTy::Ref],
            };
            let d = b.add(spec, name.clone(), Effects::default(), None);
            Some(b.calls[d as usize].helper)
        }
    };
    Ok(Portal {
        name: dd.name.clone(),
        jitcode: j as u16,
        ngreens: ngreens as u16,
        kinds: regs.iter().map(|r| r.kind).collect(),
        results,
        location,
    })
}

enum Opd {
    R(Reg),
    C(u16),
    D(u16),
    L(u32),
    List(Vec<Reg>),
}

fn decode(
    t: &Translation,
    p: &JitProgram,
    i: usize,
    builtin_base: usize,
    b: &mut Builder,
    switches: &mut Vec<Vec<(i64, u32)>>,
) -> Result<JitCode, String> {
    let jc = &p.jitcodes[i];
    let code = &jc.code;
    let mut out: Vec<Insn> = Vec::new();
    let mut index_at = vec![u32::MAX; code.len() + 1];
    let mut my_switches: Vec<usize> = Vec::new();
    let conv = |o: crate::assemble::Operand| -> Opd {
        use crate::assemble::Operand as O;
        let reg = |r: crate::Reg| Reg {
            kind: kind(r.bank),
            index: r.index,
        };
        match o {
            O::Reg(r) => Opd::R(reg(r)),
            O::Const(c) => Opd::C(c),
            O::Descr(d) => Opd::D(d),
            O::Label(l) => Opd::L(l),
            O::List(l) => Opd::List(l.into_iter().map(reg).collect()),
        }
    };
    for raw in crate::assemble::decode(code, &p.opnames)? {
        let start = raw.offset;
        index_at[start] = out.len() as u32;
        let name = raw.name;
        let full = name;
        let args: Vec<Opd> = raw.args.into_iter().map(conv).collect();
        let res: Vec<Opd> = raw.results.into_iter().map(conv).collect();
        let bad = || format!("unexpected operands for `{full}` at {start}");
        let r = |o: &Opd| match o {
            Opd::R(r) => Ok(r.index),
            _ => Err(bad()),
        };
        let rr = |o: &Opd| match o {
            Opd::R(r) => Ok(*r),
            _ => Err(bad()),
        };
        let list = |o: &Opd| match o {
            Opd::List(l) => Ok(l.clone()),
            _ => Err(bad()),
        };
        let d = |o: &Opd| match o {
            Opd::D(d) | Opd::C(d) => Ok(*d),
            _ => Err(bad()),
        };
        let (base, suffix) = name.split_once('.').unwrap_or((name, ""));
        let insn = match (name, &args[..], &res[..]) {
            ("-live-", [l], []) => Insn::Live(d(l)?),
            ("int_const", [c], [x]) => {
                Insn::IntConst(*jc.consts_int.get(d(c)? as usize).ok_or_else(bad)?, r(x)?)
            }
            ("float_const", [c], [x]) => Insn::FloatConst(
                jc.consts_float
                    .get(d(c)? as usize)
                    .ok_or_else(bad)?
                    .to_bits(),
                r(x)?,
            ),
            ("str_const", [c], [x]) => {
                let s = jc.consts_str.get(d(c)? as usize).ok_or_else(bad)?;
                Insn::StrConst(b.str_const(s), r(x)?)
            }
            ("ref_null", [], [x]) => Insn::RefNull(r(x)?),
            ("int_copy" | "ref_copy" | "float_copy", [a], [x]) => Insn::Copy(rr(a)?, rr(x)?),
            ("bool_not", [a], [x]) => Insn::BoolNot(r(a)?, r(x)?),
            ("float_neg", [a], [x]) => Insn::FloatNeg(r(a)?, r(x)?),
            ("ptr_eq", [a, c], [x]) => Insn::PtrEq(r(a)?, r(c)?, r(x)?),
            ("ptr_iszero", [a], [x]) => Insn::PtrIsNull(r(a)?, r(x)?),
            (
                "getfield_i" | "getfield_r" | "getfield_f" | "getfield_pure_i" | "getfield_pure_r"
                | "getfield_pure_f",
                [o, f],
                [x],
            ) => Insn::GetField {
                obj: r(o)?,
                field: d(f)?,
                dst: rr(x)?,
                pure: name.starts_with("getfield_pure"),
            },
            ("setfield_i" | "setfield_r" | "setfield_f", [o, v, f], []) => Insn::SetField {
                obj: r(o)?,
                val: rr(v)?,
                field: d(f)?,
            },
            ("new", [a, l], [x]) | ("new_variant", [a, _, l], [x]) => {
                let adt = d(a)? as u32;
                let variant = match &args[..] {
                    [_, v, _] => Some(d(v)? as u32),
                    _ => None,
                };
                let regs = list(l)?;
                let call = new_helper(t, b, adt, variant, regs.len())?;
                Insn::Call {
                    call,
                    args: regs,
                    results: vec![rr(x)?],
                }
            }
            ("residual_call", [c, a], [x]) => Insn::Call {
                call: d(c)?,
                args: list(a)?,
                results: list(x)?,
            },
            ("builtin", [c, _], [x])
                if p.descrs.builtins.get(d(c)? as usize).map(|b| b.builtin)
                    == Some(Builtin::WeAreJitted) =>
            {
                // true for the JIT (traces and the blackhole interpreter), as in RPython
                let l = list(x)?;
                let r = l.first().ok_or_else(bad)?;
                Insn::IntConst(1, r.index)
            }
            ("builtin", [c, a], [x]) => Insn::Call {
                call: u16::try_from(builtin_base + d(c)? as usize)
                    .map_err(|_| "more than 65536 helpers".to_string())?,
                args: list(a)?,
                results: list(x)?,
            },
            ("inline_call", [j, a], [x]) => {
                let jitcode = d(j)?;
                let residual = residual_helper(t, p, b, jitcode)?;
                Insn::InlineCall {
                    jitcode,
                    residual,
                    args: list(a)?,
                    results: list(x)?,
                }
            }
            ("int_guard_value" | "ref_guard_value" | "float_guard_value", [a], []) => {
                Insn::GuardValue(rr(a)?)
            }
            ("goto", [Opd::L(l)], []) => Insn::Goto(*l),
            ("goto_if_not", [c, Opd::L(l)], []) => Insn::GotoIfNot(r(c)?, *l),
            ("switch", [v, tbl, Opd::L(l)], []) => {
                let tb = d(tbl)? as usize;
                let entries = p.descrs.switches.get(tb).ok_or_else(bad)?.clone();
                switches.push(entries);
                my_switches.push(switches.len() - 1);
                Insn::Switch(r(v)?, (switches.len() - 1) as u16, *l)
            }
            ("void_return", [], []) => Insn::Return(vec![]),
            ("int_return" | "ref_return" | "float_return", [a], []) => Insn::Return(vec![rr(a)?]),
            ("multi_return", [l], []) => Insn::Return(list(l)?),
            ("fatal", [m], []) => Insn::Fatal(d(m)?),
            ("jit_merge_point", [dr, l], []) => Insn::JitMergePoint(d(dr)?, list(l)?),
            ("loop_header", [dr], []) => Insn::LoopHeader(d(dr)?),
            _ => {
                // int_add.i64, int_lt.u8, int_add_ovf.i64, int_neg.i32, bool_and, float_add,
                // float_lt, cast.u8.i64
                if let Some(opn) = base.strip_prefix("int_") {
                    let it = IntTy::from_name(suffix).ok_or_else(bad)?;
                    match (opn, &args[..], &res[..]) {
                        ("neg", [a], [x]) => Insn::IntNeg(it, r(a)?, r(x)?),
                        ("not", [a], [x]) => Insn::IntNot(it, r(a)?, r(x)?),
                        (o, [a, c], [x, f]) if o.ends_with("_ovf") => {
                            let op =
                                BinOp::from_name(o.trim_end_matches("_ovf")).ok_or_else(bad)?;
                            Insn::IntOvf(op, it, r(a)?, r(c)?, r(x)?, r(f)?)
                        }
                        (o, [a, c], [x]) => {
                            let op = BinOp::from_name(o).ok_or_else(bad)?;
                            if op.is_cmp() {
                                Insn::IntCmp(op, it, r(a)?, r(c)?, r(x)?)
                            } else {
                                Insn::IntBin(op, it, r(a)?, r(c)?, r(x)?)
                            }
                        }
                        _ => return Err(bad()),
                    }
                } else if let Some(opn) = name.strip_prefix("bool_") {
                    let op = BinOp::from_name(opn).ok_or_else(bad)?;
                    match (&args[..], &res[..]) {
                        ([a, c], [x]) => Insn::BoolBin(op, r(a)?, r(c)?, r(x)?),
                        _ => return Err(bad()),
                    }
                } else if let Some(opn) = name.strip_prefix("float_") {
                    let op = BinOp::from_name(opn).ok_or_else(bad)?;
                    match (&args[..], &res[..]) {
                        ([a, c], [x]) if op.is_cmp() => Insn::FloatCmp(op, r(a)?, r(c)?, r(x)?),
                        ([a, c], [x]) => Insn::FloatBin(op, r(a)?, r(c)?, r(x)?),
                        _ => return Err(bad()),
                    }
                } else if base == "cast" {
                    let (from, to) = suffix.split_once('.').ok_or_else(bad)?;
                    let from = Ty::from_name(from).ok_or_else(bad)?;
                    let to = Ty::from_name(to).ok_or_else(bad)?;
                    match (&args[..], &res[..]) {
                        ([a], [x]) => Insn::Cast(from, to, rr(a)?, rr(x)?),
                        _ => return Err(bad()),
                    }
                } else {
                    return Err(format!("unknown jitcode operation `{full}`"));
                }
            }
        };
        out.push(insn);
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
            Insn::Goto(l) | Insn::GotoIfNot(_, l) | Insn::Switch(_, _, l) => *l = target(*l)?,
            _ => {}
        }
    }
    for s in my_switches {
        for e in switches[s].iter_mut() {
            e.1 = target(e.1)?;
        }
    }
    Ok(JitCode {
        name: jc.name.clone(),
        params: jc
            .params
            .iter()
            .map(|r| Reg {
                kind: kind(r.bank),
                index: r.index,
            })
            .collect(),
        num_regs: jc.num_regs,
        insns: out,
    })
}

/// The helper calling jitcode `j`'s function as compiled by the AOT backend.
fn residual_helper(
    t: &Translation,
    p: &JitProgram,
    b: &mut Builder,
    j: u16,
) -> Result<u16, String> {
    if let Some(c) = b.residuals.get(&j) {
        return Ok(*c);
    }
    let fn_id = p
        .jitcodes
        .get(j as usize)
        .ok_or_else(|| format!("inline call of missing jitcode {j}"))?
        .fn_id;
    let g = t.ll.graphs[fn_id.0 as usize]
        .as_ref()
        .ok_or("inline call of a function without a graph")?;
    let spec = HelperSpec {
        op: LlOp::Call(fn_id),
        args: g.params().iter().map(|v| *g.ty(*v)).collect(),
        results: g.ret.clone(),
    };
    let eff = effects(
        &p.descrs.fn_effects[fn_id.0 as usize],
        &p.descrs.field_index,
    );
    let c = b.add(spec, g.name.clone(), eff, None);
    b.residuals.insert(j, c);
    Ok(c)
}

/// The helper allocating `adt` (variant `variant`) from `n` field values.
fn new_helper(
    t: &Translation,
    b: &mut Builder,
    adt: u32,
    variant: Option<u32>,
    n: usize,
) -> Result<u16, String> {
    if let Some(c) = b.news.get(&(adt, variant)) {
        return Ok(*c);
    }
    let lay =
        t.ll.layouts
            .get(adt as usize)
            .ok_or_else(|| format!("new of missing type {adt}"))?;
    let targets = lay.arg_slots(variant);
    let args: Vec<LlTy> = (0..n)
        .map(|k| {
            targets
                .get(k)
                .map(|&s| lay.slots[s as usize].ty)
                .ok_or_else(|| format!("new of `{}`: too many arguments", lay.name))
        })
        .collect::<Result<_, _>>()?;
    let _ = bank_of;
    let spec = HelperSpec {
        op: LlOp::New(AdtId(adt), variant),
        args,
        results: vec![LlTy::Ref],
    };
    let eff = Effects {
        can_collect: true,
        ..Default::default()
    };
    let shape = NewShape {
        // (the slots the AOT backend's `New` stores into: a struct's first `n`, a variant's
        // argument slots)
        fields: match variant {
            None => (0..lay.slots.len() as u32).collect::<Vec<_>>(),
            Some(_) => targets.clone(),
        }
        .iter()
        .take(n)
        .map(|&s| (lay.slots[s as usize].offset, ty(lay.slots[s as usize].ty)))
        .collect(),
        tag: variant.map(|v| (lay.slots[0].offset, i64::from(v))),
    };
    let c = b.add(spec, format!("new {}", lay.name), eff, None);
    b.calls[c as usize].new = Some(shape);
    b.news.insert((adt, variant), c);
    Ok(c)
}
