//! Lowering: high-level flow graphs → low-level flow graphs for a target.
//!
//! Value types are flattened into scalars ([`flatten`]): a tuple, a `Copy` struct or a
//! `Result` becomes several variables, function parameters and results included. `Option<T>`
//! of a reference type is a nullable reference; other `Option`s are (is_some, payload...).
//! Field accesses of GC objects become [`LlOp::GetField`]/[`LlOp::SetField`] with
//! [`FieldDescr`]s from the target layouts ([`crate::layout`]).
//!
//! Flattening conventions (shared with the graph interpreter and the backends):
//! - `()`/`!` → nothing; `bool`/integers/`f64` → one scalar; references (`Gc`, `Str`,
//!   `StrBuilder`, `GcArray`, `GcList`, `GcMap`) → one `Ref`.
//! - tuple, value struct → fields in order; value enum → `u32` tag, then every variant's fields.
//! - `Option<T>` → `[Ref]` (null = `None`) when `T` is a reference type, else `[Bool, T...]`.
//! - `Result<T, E>` → `[Bool is_err, T..., E...]`.

use crate::flow::*;
use crate::layout::ObjLayout;
use crate::program::{FnId, Program};
use crate::target::TargetSpec;
use crate::ty::{IntTy, Ty};
use serde::Serialize;

/// A lowered program: what the graph interpreter and the backends consume.
#[derive(Serialize)]
pub struct LlProgram {
    /// Indexed by `FnId`; `None` for host functions.
    pub graphs: Vec<Option<LlGraph>>,
    pub entry: FnId,
    /// Display names of all functions (indexed by `FnId`), host functions included.
    pub fn_names: Vec<String>,
    /// Indexed by `FnId`: the host function's name when it is one.
    pub host_names: Vec<Option<String>>,
    /// Indexed by `AdtId`.
    pub layouts: Vec<ObjLayout>,
    pub target: TargetSpec,
    /// The `#[vmkit::ffi_callback]` function, if any (called by the runtime for C callbacks).
    pub ffi_handler: Option<FnId>,
}

/// Is `t` represented by a single (nullable) reference?
pub fn is_ref(t: &Ty) -> bool {
    matches!(
        t,
        Ty::Gc(_) | Ty::Str | Ty::StrBuilder | Ty::Array(_) | Ty::List(_) | Ty::Map(..)
    )
}

/// The scalars a value of type `t` is made of.
pub fn flatten(prog: &Program, t: &Ty) -> Vec<LlTy> {
    let mut v = Vec::new();
    flatten_into(prog, t, &mut v);
    v
}

fn flatten_into(prog: &Program, t: &Ty, out: &mut Vec<LlTy>) {
    match t {
        Ty::Unit | Ty::Never | Ty::Var(_) | Ty::JitDriver => {}
        Ty::Bool => out.push(LlTy::Bool),
        Ty::Int(it) => out.push(LlTy::Int(*it)),
        Ty::F64 => out.push(LlTy::F64),
        t if is_ref(t) => out.push(LlTy::Ref),
        Ty::Tuple(ts) => ts.iter().for_each(|t| flatten_into(prog, t, out)),
        Ty::Adt(a) => {
            let adt = prog.adt(*a);
            if adt.is_enum() {
                out.push(LlTy::Int(IntTy::U32));
                out.extend(crate::layout::enum_plan(prog, *a).slots);
            } else {
                adt.fields()
                    .iter()
                    .for_each(|f| flatten_into(prog, &f.ty, out));
            }
        }
        Ty::Option(inner) => {
            if !is_ref(inner) {
                out.push(LlTy::Bool);
            }
            flatten_into(prog, inner, out);
        }
        Ty::Result(a, b) => {
            out.push(LlTy::Bool);
            flatten_into(prog, a, out);
            flatten_into(prog, b, out);
        }
        Ty::Mut(t) | Ty::QuasiImmut(t) => flatten_into(prog, t, out),
        _ => {}
    }
}

use crate::flow::MapKeyKind;
use crate::thir::{BinOp, Builtin, Lit, UnOp, VariantRef};
use crate::ty::AdtId;

struct Lowerer<'a> {
    prog: &'a Program,
    layouts: &'a [ObjLayout],
    hl: &'a HlGraph,
    ll: LlGraph,
    map: Vec<Vec<Var>>,
    cur: Vec<Instr<LlOp>>,
}

/// Lowers every graph of the program for `spec`.
pub fn lower_program(prog: &Program, hl: &[Option<HlGraph>], spec: &TargetSpec) -> LlProgram {
    let layouts = crate::layout::compute(prog, spec);
    let graphs = hl
        .iter()
        .map(|g| g.as_ref().map(|g| lower_graph(prog, &layouts, g)))
        .collect();
    LlProgram {
        graphs,
        entry: prog.entry.expect("checked by collect"),
        fn_names: prog.fns.iter().map(|f| f.path.clone()).collect(),
        host_names: prog
            .fns
            .iter()
            .map(|f| f.is_host.then(|| f.name.clone()))
            .collect(),
        layouts,
        target: spec.clone(),
        ffi_handler: prog.ffi_handler,
    }
}

pub fn lower_graph(prog: &Program, layouts: &[ObjLayout], hl: &HlGraph) -> LlGraph {
    let mut lw = Lowerer {
        prog,
        layouts,
        hl,
        ll: Graph {
            name: hl.name.clone(),
            fn_id: hl.fn_id,
            var_types: vec![],
            var_names: vec![],
            blocks: vec![],
            ret: hl.ret.iter().flat_map(|t| flatten(prog, t)).collect(),
        },
        map: vec![Vec::new(); hl.var_types.len()],
        cur: Vec::new(),
    };
    // Block parameters first, so every block's params exist before links refer to them.
    for b in &hl.blocks {
        for p in &b.params {
            lw.define(*p);
        }
    }
    // Lower in reverse post-order so that definitions are lowered before their uses.
    let mut out: Vec<Option<Block<LlOp>>> = (0..hl.blocks.len()).map(|_| None).collect();
    for bi in reverse_postorder(hl) {
        let b = &hl.blocks[bi];
        let params: Vec<Var> = b
            .params
            .iter()
            .flat_map(|p| lw.map[p.0 as usize].clone())
            .collect();
        for ins in &b.ops {
            lw.lower_instr(ins);
        }
        let exit = lw.lower_exit(&b.exit);
        let ops = std::mem::take(&mut lw.cur);
        out[bi] = Some(Block { params, ops, exit });
    }
    lw.ll.blocks = out
        .into_iter()
        .map(|b| {
            b.unwrap_or(Block {
                params: vec![],
                ops: vec![],
                exit: Exit::Fatal("unreachable block".into()),
            })
        })
        .collect();
    lw.ll
}

/// Block indices in reverse post-order from the entry.
pub fn reverse_postorder<T: Clone, Op>(g: &Graph<T, Op>) -> Vec<usize> {
    let n = g.blocks.len();
    let mut seen = vec![false; n];
    let mut post = Vec::with_capacity(n);
    // iterative DFS: (block, next successor index)
    let mut stack: Vec<(usize, usize)> = vec![(0, 0)];
    seen[0] = true;
    while let Some((b, i)) = stack.pop() {
        let succ: Vec<usize> = Graph::<T, Op>::successors(&g.blocks[b])
            .iter()
            .map(|l| l.target.0 as usize)
            .collect();
        if i < succ.len() {
            stack.push((b, i + 1));
            let s = succ[i];
            if !seen[s] {
                seen[s] = true;
                stack.push((s, 0));
            }
        } else {
            post.push(b);
        }
    }
    post.reverse();
    post
}

fn default_const(t: LlTy) -> LlConst {
    match t {
        LlTy::Bool => LlConst::Bool(false),
        LlTy::Int(it) => LlConst::Int(0, it),
        LlTy::F64 => LlConst::F64(0.0),
        LlTy::Ref => LlConst::Null,
    }
}

impl Lowerer<'_> {
    fn hl_ty(&self, v: Var) -> &Ty {
        self.hl.ty(v)
    }

    /// Fresh scalars for an HL variable.
    fn define(&mut self, v: Var) -> Vec<Var> {
        let tys = flatten(self.prog, self.hl.ty(v));
        let name = self.hl.var_names[v.0 as usize].clone();
        let n = tys.len();
        let vars: Vec<Var> = tys
            .into_iter()
            .enumerate()
            .map(|(i, t)| {
                self.ll.new_var(
                    t,
                    name.as_ref()
                        .map(|s| if n > 1 { format!("{s}.{i}") } else { s.clone() }),
                )
            })
            .collect();
        self.map[v.0 as usize] = vars.clone();
        vars
    }

    fn scalars(&self, v: Var) -> &[Var] {
        &self.map[v.0 as usize]
    }

    fn emit(&mut self, op: LlOp, args: Vec<Var>, results: Vec<Var>, loc: crate::diag::Loc) {
        self.cur.push(Instr {
            results,
            op,
            args,
            loc,
        });
    }

    fn emit1(&mut self, op: LlOp, args: Vec<Var>, ty: LlTy, loc: crate::diag::Loc) -> Var {
        let r = self.ll.new_var(ty, None);
        self.emit(op, args, vec![r], loc);
        r
    }

    fn konst(&mut self, c: LlConst, ty: LlTy, loc: crate::diag::Loc) -> Var {
        self.emit1(LlOp::Const(c), vec![], ty, loc)
    }

    fn args_of(&self, vs: &[Var]) -> Vec<Var> {
        vs.iter()
            .flat_map(|v| self.map[v.0 as usize].clone())
            .collect()
    }

    fn flat_len(&self, t: &Ty) -> usize {
        flatten(self.prog, t).len()
    }

    /// Scalar positions of variant `vr`'s field `i` inside a flattened value of sum type `t`.
    fn variant_field_pos(&self, t: &Ty, vr: VariantRef, i: u32) -> Vec<usize> {
        match (t, vr) {
            (Ty::Option(inner), _) => {
                let start = if is_ref(inner) { 0 } else { 1 };
                (start..start + self.flat_len(inner)).collect()
            }
            (Ty::Result(a, _), VariantRef::Ok) => (1..1 + self.flat_len(a)).collect(),
            (Ty::Result(a, b), _) => {
                let s = 1 + self.flat_len(a);
                (s..s + self.flat_len(b)).collect()
            }
            (Ty::Adt(adt), VariantRef::Adt(_, v)) => {
                let plan = crate::layout::enum_plan(self.prog, *adt);
                plan.pos
                    .get(v as usize)
                    .and_then(|vp| vp.get(i as usize))
                    .map(|fp| fp.iter().map(|p| *p as usize + 1).collect())
                    .unwrap_or_default()
            }
            _ => Vec::new(),
        }
    }

    fn field_descrs(
        &self,
        adt: AdtId,
        variant: Option<u32>,
        field: u32,
        count: usize,
    ) -> Vec<FieldDescr> {
        let lay = &self.layouts[adt.0 as usize];
        let slots = &lay.field_slots[variant.unwrap_or(0) as usize][field as usize];
        debug_assert_eq!(slots.len(), count);
        slots
            .iter()
            .map(|&s| {
                let slot = &lay.slots[s as usize];
                FieldDescr {
                    adt,
                    slot: s,
                    offset: slot.offset,
                    ty: slot.ty,
                    immutable: slot.immutable,
                    quasi_immutable: slot.quasi_immutable,
                }
            })
            .collect()
    }

    fn lower_instr(&mut self, ins: &Instr<HlOp>) {
        let loc = ins.loc;
        let res = ins.results[0];
        let rty = self.hl_ty(res).clone();
        match &ins.op {
            HlOp::Const(l) => {
                let scal = flatten(self.prog, &rty);
                let out = match (l, scal.first()) {
                    (Lit::Unit, _) | (_, None) => vec![],
                    (Lit::Int(v, _), Some(LlTy::Int(it))) => {
                        vec![self.konst(LlConst::Int(it.wrap(*v), *it), LlTy::Int(*it), loc)]
                    }
                    (Lit::Int(v, _), Some(LlTy::F64)) => {
                        vec![self.konst(LlConst::F64(*v as f64), LlTy::F64, loc)]
                    }
                    (Lit::Float(f), _) => vec![self.konst(LlConst::F64(*f), LlTy::F64, loc)],
                    (Lit::Bool(b), _) => vec![self.konst(LlConst::Bool(*b), LlTy::Bool, loc)],
                    (Lit::Str(s), _) => vec![self.konst(LlConst::Str(s.clone()), LlTy::Ref, loc)],
                    (Lit::Int(v, it), Some(t)) => vec![self.konst(LlConst::Int(*v, *it), *t, loc)],
                };
                self.map[res.0 as usize] = out;
            }
            HlOp::Copy | HlOp::Tuple | HlOp::Struct(_) => {
                let a = self.args_of(&ins.args);
                self.map[res.0 as usize] = a;
            }
            HlOp::Unary(op) => {
                let a = self.scalars(ins.args[0]).to_vec();
                let out = match (op, self.ll.ty(a[0])) {
                    (UnOp::Neg, LlTy::Int(it)) => {
                        self.emit1(LlOp::IntNeg(*it), a, LlTy::Int(*it), loc)
                    }
                    (UnOp::Neg, _) => self.emit1(LlOp::FloatNeg, a, LlTy::F64, loc),
                    (UnOp::Not, LlTy::Int(it)) => {
                        self.emit1(LlOp::IntNot(*it), a, LlTy::Int(*it), loc)
                    }
                    (UnOp::Not, _) => self.emit1(LlOp::BoolNot, a, LlTy::Bool, loc),
                };
                self.map[res.0 as usize] = vec![out];
            }
            HlOp::Binary(op) => {
                let a = self.scalars(ins.args[0]).to_vec();
                let b = self.scalars(ins.args[1]).to_vec();
                if a.is_empty() {
                    // `()` == `()`
                    let v = matches!(op, BinOp::Eq | BinOp::Le | BinOp::Ge);
                    let c = self.konst(LlConst::Bool(v), LlTy::Bool, loc);
                    self.map[res.0 as usize] = vec![c];
                    return;
                }
                let t = *self.ll.ty(a[0]);
                let out = match t {
                    LlTy::Int(it) if op.is_cmp() => {
                        self.emit1(LlOp::IntCmp(*op, it), vec![a[0], b[0]], LlTy::Bool, loc)
                    }
                    LlTy::Int(it) => {
                        self.emit1(LlOp::IntBin(*op, it), vec![a[0], b[0]], LlTy::Int(it), loc)
                    }
                    LlTy::F64 if op.is_cmp() => {
                        self.emit1(LlOp::FloatCmp(*op), vec![a[0], b[0]], LlTy::Bool, loc)
                    }
                    LlTy::F64 => self.emit1(LlOp::FloatBin(*op), vec![a[0], b[0]], LlTy::F64, loc),
                    LlTy::Bool => {
                        let op = match op {
                            BinOp::Lt => BinOp::Lt,
                            o => *o,
                        };
                        self.emit1(LlOp::BoolBin(op), vec![a[0], b[0]], LlTy::Bool, loc)
                    }
                    LlTy::Ref => self.emit1(LlOp::PtrEq, vec![a[0], b[0]], LlTy::Bool, loc),
                };
                self.map[res.0 as usize] = vec![out];
            }
            HlOp::Cast => {
                let a = self.scalars(ins.args[0]).to_vec();
                let to = flatten(self.prog, &rty)[0];
                let out = if *self.ll.ty(a[0]) == to {
                    a[0]
                } else {
                    self.emit1(LlOp::Cast, vec![a[0]], to, loc)
                };
                self.map[res.0 as usize] = vec![out];
            }
            HlOp::Call(f) | HlOp::Host(f) => {
                let args = self.args_of(&ins.args);
                let results = self.define(res);
                let op = if matches!(ins.op, HlOp::Call(_)) {
                    LlOp::Call(*f)
                } else {
                    LlOp::Host(*f)
                };
                self.emit(op, args, results, loc);
            }
            HlOp::Builtin(b) => self.lower_builtin(*b, ins, &rty),
            HlOp::Variant(vr) => {
                let args = self.args_of(&ins.args);
                let out = match (&rty, vr) {
                    (Ty::Option(inner), VariantRef::Some) => {
                        if is_ref(inner) {
                            args
                        } else {
                            let t = self.konst(LlConst::Bool(true), LlTy::Bool, loc);
                            std::iter::once(t).chain(args).collect()
                        }
                    }
                    (Ty::Option(inner), _) => {
                        if is_ref(inner) {
                            vec![self.konst(LlConst::Null, LlTy::Ref, loc)]
                        } else {
                            let mut v = vec![self.konst(LlConst::Bool(false), LlTy::Bool, loc)];
                            for t in flatten(self.prog, inner) {
                                v.push(self.konst(default_const(t), t, loc));
                            }
                            v
                        }
                    }
                    (Ty::Result(a, b), _) => {
                        let is_err = *vr == VariantRef::Err;
                        let mut v = vec![self.konst(LlConst::Bool(is_err), LlTy::Bool, loc)];
                        let (ta, tb) = (flatten(self.prog, a), flatten(self.prog, b));
                        if is_err {
                            for t in ta {
                                v.push(self.konst(default_const(t), t, loc));
                            }
                            v.extend(args);
                        } else {
                            v.extend(args);
                            for t in tb {
                                v.push(self.konst(default_const(t), t, loc));
                            }
                        }
                        v
                    }
                    (Ty::Adt(adt), VariantRef::Adt(_, vi)) => {
                        let mut v = vec![self.konst(
                            LlConst::Int(*vi as i64, IntTy::U32),
                            LlTy::Int(IntTy::U32),
                            loc,
                        )];
                        let plan = crate::layout::enum_plan(self.prog, *adt);
                        let mut payload: Vec<Option<Var>> = vec![None; plan.slots.len()];
                        let mut it = args.into_iter();
                        for fpos in &plan.pos[*vi as usize] {
                            for &p in fpos {
                                let a = it.next().expect("variant arg");
                                let want = plan.slots[p as usize];
                                // Value enums keep integers and bools in 64-bit slots.
                                let a = if *self.ll.ty(a) == want {
                                    a
                                } else {
                                    self.emit1(LlOp::Cast, vec![a], want, loc)
                                };
                                payload[p as usize] = Some(a);
                            }
                        }
                        for (p, t) in payload.into_iter().zip(plan.slots) {
                            v.push(match p {
                                Some(x) => x,
                                None => self.konst(default_const(t), t, loc),
                            });
                        }
                        v
                    }
                    _ => vec![],
                };
                self.map[res.0 as usize] = out;
            }
            HlOp::GcNew(adt, v) => {
                let args = self.args_of(&ins.args);
                let r = self.emit1(LlOp::New(*adt, *v), args, LlTy::Ref, loc);
                self.map[res.0 as usize] = vec![r];
            }
            HlOp::Field(i) => {
                let base_ty = self.hl_ty(ins.args[0]).clone();
                let base = self.scalars(ins.args[0]).to_vec();
                let field_tys: Vec<Ty> = match &base_ty {
                    Ty::Tuple(ts) => ts.clone(),
                    Ty::Adt(a) => self
                        .prog
                        .adt(*a)
                        .fields()
                        .iter()
                        .map(|f| f.ty.clone())
                        .collect(),
                    _ => vec![],
                };
                let start: usize = field_tys[..*i as usize]
                    .iter()
                    .map(|t| self.flat_len(t))
                    .sum();
                let n = self.flat_len(&field_tys[*i as usize]);
                self.map[res.0 as usize] = base[start..start + n].to_vec();
            }
            HlOp::GcField(adt, i) => {
                let obj = self.scalars(ins.args[0])[0];
                let n = self.flat_len(&rty);
                let descrs = self.field_descrs(*adt, None, *i, n);
                let out: Vec<Var> = descrs
                    .into_iter()
                    .map(|d| self.emit1(LlOp::GetField(d), vec![obj], d.ty, loc))
                    .collect();
                self.map[res.0 as usize] = out;
            }
            HlOp::GcSetField(adt, i) => {
                let obj = self.scalars(ins.args[0])[0];
                let vals = self.scalars(ins.args[1]).to_vec();
                let descrs = self.field_descrs(*adt, None, *i, vals.len());
                for (d, v) in descrs.into_iter().zip(vals) {
                    self.emit(LlOp::SetField(d), vec![obj, v], vec![], loc);
                }
                self.map[res.0 as usize] = vec![];
            }
            HlOp::Tag => {
                let t = self.hl_ty(ins.args[0]).clone();
                let s = self.scalars(ins.args[0]).to_vec();
                let i64t = LlTy::Int(IntTy::I64);
                let out = match &t {
                    Ty::Gc(adt) => {
                        let d = self.field_descrs_tag(*adt);
                        let tag = self.emit1(LlOp::GetField(d), vec![s[0]], d.ty, loc);
                        self.emit1(LlOp::Cast, vec![tag], i64t, loc)
                    }
                    Ty::Option(inner) if is_ref(inner) => {
                        let isnull = self.emit1(LlOp::PtrIsNull, vec![s[0]], LlTy::Bool, loc);
                        let some = self.emit1(LlOp::BoolNot, vec![isnull], LlTy::Bool, loc);
                        self.emit1(LlOp::Cast, vec![some], i64t, loc)
                    }
                    _ => self.emit1(LlOp::Cast, vec![s[0]], i64t, loc),
                };
                self.map[res.0 as usize] = vec![out];
            }
            HlOp::VariantField(vr, i) => {
                let t = self.hl_ty(ins.args[0]).clone();
                let s = self.scalars(ins.args[0]).to_vec();
                let out = match (&t, vr) {
                    (Ty::Gc(adt), VariantRef::Adt(_, v)) => {
                        let n = self.flat_len(&rty);
                        let descrs = self.field_descrs(*adt, Some(*v), *i, n);
                        descrs
                            .into_iter()
                            .map(|d| self.emit1(LlOp::GetField(d), vec![s[0]], d.ty, loc))
                            .collect()
                    }
                    _ => {
                        let r = self.variant_field_pos(&t, *vr, *i);
                        let want = flatten(self.prog, &rty);
                        let mut out = Vec::with_capacity(r.len());
                        for (p, w) in r.into_iter().zip(want) {
                            let x = s[p];
                            let have = *self.ll.ty(x);
                            out.push(if have == w {
                                x
                            } else if w == LlTy::Bool {
                                // from a value enum's 64-bit slot
                                let it = match have {
                                    LlTy::Int(it) => it,
                                    _ => IntTy::I64,
                                };
                                let zero = self.konst(LlConst::Int(0, it), have, loc);
                                self.emit1(
                                    LlOp::IntCmp(BinOp::Ne, it),
                                    vec![x, zero],
                                    LlTy::Bool,
                                    loc,
                                )
                            } else {
                                self.emit1(LlOp::Cast, vec![x], w, loc)
                            });
                        }
                        out
                    }
                };
                self.map[res.0 as usize] = out;
            }
            HlOp::JitMergePoint(d) | HlOp::CanEnterJit(d) => {
                let args = self.args_of(&ins.args);
                let op = if matches!(ins.op, HlOp::JitMergePoint(_)) {
                    LlOp::JitMergePoint(*d)
                } else {
                    LlOp::CanEnterJit(*d)
                };
                self.emit(op, args, vec![], loc);
                self.map[res.0 as usize] = vec![];
            }
        }
    }

    fn field_descrs_tag(&self, adt: AdtId) -> FieldDescr {
        let slot = &self.layouts[adt.0 as usize].slots[0];
        FieldDescr {
            adt,
            slot: 0,
            offset: slot.offset,
            ty: slot.ty,
            immutable: true,
            quasi_immutable: false,
        }
    }

    fn map_key_kind(&self, t: &Ty) -> MapKeyKind {
        match t {
            Ty::Str => MapKeyKind::Str,
            Ty::Adt(a) | Ty::Gc(a) => match self.prog.map_keys.get(a) {
                Some((h, e)) => MapKeyKind::User {
                    hash: *h,
                    eq: *e,
                    width: self.flat_len(t) as u32,
                },
                None => MapKeyKind::Int,
            },
            _ => MapKeyKind::Int,
        }
    }

    fn lower_builtin(&mut self, b: Builtin, ins: &Instr<HlOp>, rty: &Ty) {
        let loc = ins.loc;
        let res = ins.results[0];
        let args = self.args_of(&ins.args);
        let ovf = |b| match b {
            Builtin::CheckedAdd | Builtin::OverflowingAdd | Builtin::WrappingAdd => BinOp::Add,
            Builtin::CheckedSub | Builtin::OverflowingSub | Builtin::WrappingSub => BinOp::Sub,
            _ => BinOp::Mul,
        };
        match b {
            Builtin::CheckedAdd
            | Builtin::CheckedSub
            | Builtin::CheckedMul
            | Builtin::OverflowingAdd
            | Builtin::OverflowingSub
            | Builtin::OverflowingMul => {
                let LlTy::Int(it) = *self.ll.ty(args[0]) else {
                    unreachable!("int builtin on non-int")
                };
                let v = self.ll.new_var(LlTy::Int(it), None);
                let o = self.ll.new_var(LlTy::Bool, None);
                self.emit(LlOp::IntOvf(ovf(b), it), args, vec![v, o], loc);
                let out = if matches!(
                    b,
                    Builtin::CheckedAdd | Builtin::CheckedSub | Builtin::CheckedMul
                ) {
                    let ok = self.emit1(LlOp::BoolNot, vec![o], LlTy::Bool, loc);
                    vec![ok, v]
                } else {
                    vec![v, o]
                };
                self.map[res.0 as usize] = out;
            }
            Builtin::WrappingAdd | Builtin::WrappingSub | Builtin::WrappingMul => {
                let LlTy::Int(it) = *self.ll.ty(args[0]) else {
                    unreachable!("int builtin on non-int")
                };
                let r = self.emit1(LlOp::IntBin(ovf(b), it), args, LlTy::Int(it), loc);
                self.map[res.0 as usize] = vec![r];
            }
            _ => {
                let key = match b {
                    Builtin::MapNew
                    | Builtin::MapLen
                    | Builtin::MapGet
                    | Builtin::MapContains
                    | Builtin::MapInsert
                    | Builtin::MapRemove
                    | Builtin::MapKeyAt
                    | Builtin::MapValueAt
                    | Builtin::MapClear => {
                        let mt = match b {
                            Builtin::MapNew => rty.clone(),
                            _ => self.hl_ty(ins.args[0]).clone(),
                        };
                        match mt {
                            Ty::Map(k, _) => Some(self.map_key_kind(&k)),
                            _ => None,
                        }
                    }
                    _ => None,
                };
                let results = self.define(res);
                let container = match (b, rty) {
                    (Builtin::ArrayNew, Ty::Array(e)) | (Builtin::ListNew, Ty::List(e)) => {
                        Some(ContainerInfo {
                            elem: flatten(self.prog, e),
                            value: vec![],
                            key,
                        })
                    }
                    (Builtin::MapNew, Ty::Map(k, v)) => Some(ContainerInfo {
                        elem: flatten(self.prog, k),
                        value: flatten(self.prog, v),
                        key,
                    }),
                    _ => None,
                };
                match container {
                    Some(info) => self.emit(LlOp::NewContainer(b, info), args, results, loc),
                    None => self.emit(LlOp::Builtin(b, key), args, results, loc),
                }
            }
        }
    }

    fn lower_link(&self, l: &Link) -> Link {
        Link {
            target: l.target,
            args: self.args_of(&l.args),
        }
    }

    fn lower_exit(&mut self, e: &Exit) -> Exit {
        match e {
            Exit::Goto(l) => Exit::Goto(self.lower_link(l)),
            Exit::If { cond, then, els } => Exit::If {
                cond: self.scalars(*cond)[0],
                then: self.lower_link(then),
                els: self.lower_link(els),
            },
            Exit::Switch {
                value,
                cases,
                default,
            } => Exit::Switch {
                value: self.scalars(*value)[0],
                cases: cases
                    .iter()
                    .map(|(k, l)| (*k, self.lower_link(l)))
                    .collect(),
                default: self.lower_link(default),
            },
            Exit::Return(vs) => Exit::Return(self.args_of(vs)),
            Exit::Fatal(m) => Exit::Fatal(m.clone()),
        }
    }
}
