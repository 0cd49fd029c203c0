//! The flow-graph builder: typed trees ([`crate::thir`]) → high-level flow graphs.
//!
//! Locals become SSA values by construction: the builder keeps the current value of every local
//! in an environment; join points (the merge after `if`/`match`, loop heads, loop exits) are
//! blocks whose parameters are the locals in scope there, and every link passes the current
//! values. Blocks with a single predecessor take no parameters and simply use the values of
//! their dominator. A cleanup pass then removes unreachable blocks and parameters that receive
//! the same value on every incoming link (trivial phis), so the dumps stay readable.
//!
//! `match` is compiled arm by arm (test, bind, guard, body), except that a `match` whose arms are
//! all integer literals or enum variants with irrefutable sub-patterns (plus a final catch-all)
//! becomes one `Switch` exit, which is what an interpreter's dispatch loop needs.

use crate::diag::Loc;
use crate::flow::*;
use crate::program::Program;
use crate::thir::*;
use crate::ty::{IntTy, Ty};
use std::collections::HashMap;

struct LoopInfo {
    label: String,
    head: BlockId,
    head_scope: Vec<LocalId>,
    exit: BlockId,
    exit_scope: Vec<LocalId>,
    has_value: bool,
}

struct Builder<'a> {
    _prog: &'a Program,
    body: &'a Body,
    g: HlGraph,
    cur: Option<BlockId>,
    env: Vec<Option<Var>>,
    scope: Vec<LocalId>,
    loops: Vec<LoopInfo>,
    /// Join blocks: their local scope snapshot and whether anything links to them.
    joins: HashMap<BlockId, (Vec<LocalId>, bool)>,
}

/// Builds the high-level flow graph of one type-checked function.
pub fn build_graph(prog: &Program, body: &Body) -> HlGraph {
    let f = prog.func(body.fn_id);
    let mut b = Builder {
        _prog: prog,
        body,
        g: Graph {
            name: f.path.clone(),
            fn_id: body.fn_id,
            var_types: Vec::new(),
            var_names: Vec::new(),
            blocks: Vec::new(),
            ret: vec![f.ret.clone()],
        },
        cur: None,
        env: vec![None; body.locals.len()],
        scope: Vec::new(),
        loops: Vec::new(),
        joins: HashMap::new(),
    };
    let entry = b.new_block();
    let mut params = Vec::new();
    for &p in &body.params {
        let v = b.g.new_var(
            body.locals[p.0 as usize].ty.clone(),
            Some(body.locals[p.0 as usize].name.clone()),
        );
        params.push(v);
        b.env[p.0 as usize] = Some(v);
        b.scope.push(p);
    }
    b.g.blocks[entry.0 as usize].params = params;
    // Block 0 is never a jump target: the body starts in block 1.
    let start = b.new_block();
    b.g.blocks[entry.0 as usize].exit = Exit::Goto(Link {
        target: start,
        args: vec![],
    });
    b.cur = Some(start);
    let loc = body.expr.loc;
    if let Some(v) = b.expr(&body.expr) {
        b.finish(Exit::Return(vec![v]));
    }
    let _ = loc;
    let mut g = b.g;
    cleanup(&mut g);
    thread_empty_blocks(&mut g);
    remove_dead_pure_ops(&mut g, &|op| {
        matches!(
            op,
            HlOp::Const(_)
                | HlOp::Copy
                | HlOp::Tuple
                | HlOp::Struct(_)
                | HlOp::Variant(_)
                | HlOp::Field(_)
                | HlOp::Tag
                | HlOp::VariantField(..)
                | HlOp::Unary(_)
                | HlOp::Cast
        ) || matches!(op, HlOp::Binary(b) if !matches!(b, BinOp::Div | BinOp::Rem))
    });
    thread_empty_blocks(&mut g);
    cleanup(&mut g);
    g
}

impl Builder<'_> {
    fn new_block(&mut self) -> BlockId {
        self.g.blocks.push(Block {
            params: vec![],
            ops: vec![],
            exit: Exit::Fatal("unterminated block".into()),
        });
        BlockId(self.g.blocks.len() as u32 - 1)
    }

    /// A join block taking the locals currently in scope plus `extra` values.
    fn join_block(&mut self, extra: &[Ty]) -> BlockId {
        let b = self.new_block();
        let scope = self.scope.clone();
        let mut params = Vec::new();
        for &l in &scope {
            let d = &self.body.locals[l.0 as usize];
            params.push(self.g.new_var(d.ty.clone(), Some(d.name.clone())));
        }
        for t in extra {
            params.push(self.g.new_var(t.clone(), None));
        }
        self.g.blocks[b.0 as usize].params = params;
        self.joins.insert(b, (scope, false));
        b
    }

    fn link_to(&mut self, target: BlockId, extra: &[Var]) -> Link {
        let (scope, used) = self.joins.get_mut(&target).expect("join block");
        *used = true;
        let mut args: Vec<Var> = scope
            .iter()
            .map(|l| self.env[l.0 as usize].expect("local in scope has a value"))
            .collect();
        args.extend_from_slice(extra);
        Link { target, args }
    }

    fn plain_link(target: BlockId) -> Link {
        Link {
            target,
            args: vec![],
        }
    }

    /// Enters a join block: locals get its parameters. Returns the extra parameters.
    fn enter_join(&mut self, b: BlockId) -> Option<Vec<Var>> {
        let (scope, used) = self.joins.get(&b).cloned().expect("join block");
        if !used {
            self.cur = None;
            return None;
        }
        let params = self.g.blocks[b.0 as usize].params.clone();
        for (i, l) in scope.iter().enumerate() {
            self.env[l.0 as usize] = Some(params[i]);
        }
        self.scope = scope.clone();
        self.cur = Some(b);
        Some(params[scope.len()..].to_vec())
    }

    fn finish(&mut self, exit: Exit) {
        if let Some(c) = self.cur.take() {
            self.g.blocks[c.0 as usize].exit = exit;
        }
    }

    fn emit(&mut self, op: HlOp, args: Vec<Var>, ty: Ty, loc: Loc) -> Var {
        let v = self.g.new_var(ty, None);
        let c = self.cur.expect("emit in reachable code");
        self.g.blocks[c.0 as usize].ops.push(Instr {
            results: vec![v],
            op,
            args,
            loc,
        });
        v
    }

    fn konst(&mut self, lit: Lit, ty: Ty, loc: Loc) -> Var {
        self.emit(HlOp::Const(lit), vec![], ty, loc)
    }

    fn unit(&mut self, loc: Loc) -> Var {
        self.konst(Lit::Unit, Ty::Unit, loc)
    }

    fn exprs(&mut self, es: &[Expr]) -> Option<Vec<Var>> {
        let mut out = Vec::new();
        for e in es {
            out.push(self.expr(e)?);
        }
        Some(out)
    }

    /// Evaluates `e` in the current block. `None`: control does not continue (return, break...).
    fn expr(&mut self, e: &Expr) -> Option<Var> {
        self.cur?;
        let loc = e.loc;
        let ty = e.ty.clone();
        match &e.kind {
            ExprKind::Lit(l) => Some(self.konst(l.clone(), ty, loc)),
            ExprKind::Local(id) => Some(self.env[id.0 as usize].expect("local has a value")),
            ExprKind::Unary(op, a) => {
                let a = self.expr(a)?;
                Some(self.emit(HlOp::Unary(*op), vec![a], ty, loc))
            }
            ExprKind::Binary(op, a, b) => {
                let a = self.expr(a)?;
                let b = self.expr(b)?;
                Some(self.emit(HlOp::Binary(*op), vec![a, b], ty, loc))
            }
            ExprKind::LogicAnd(a, b) | ExprKind::LogicOr(a, b) => {
                let is_and = matches!(e.kind, ExprKind::LogicAnd(..));
                let va = self.expr(a)?;
                let join = self.join_block(&[Ty::Bool]);
                let rhs = self.new_block();
                let short = self.konst(Lit::Bool(!is_and), Ty::Bool, loc);
                let short_link = self.link_to(join, &[short]);
                let exit = if is_and {
                    Exit::If {
                        cond: va,
                        then: Self::plain_link(rhs),
                        els: short_link,
                    }
                } else {
                    Exit::If {
                        cond: va,
                        then: short_link,
                        els: Self::plain_link(rhs),
                    }
                };
                self.finish(exit);
                self.cur = Some(rhs);
                if let Some(vb) = self.expr(b) {
                    let l = self.link_to(join, &[vb]);
                    self.finish(Exit::Goto(l));
                }
                self.enter_join(join).map(|x| x[0])
            }
            ExprKind::Cast(a) => {
                let a = self.expr(a)?;
                Some(self.emit(HlOp::Cast, vec![a], ty, loc))
            }
            ExprKind::Call(f, args) => {
                let args = self.exprs(args)?;
                let v = self.emit(HlOp::Call(*f), args, ty.clone(), loc);
                self.after_call(v, &ty)
            }
            ExprKind::Host(f, args) => {
                let args = self.exprs(args)?;
                Some(self.emit(HlOp::Host(*f), args, ty, loc))
            }
            ExprKind::Builtin(b, args) => {
                let args = self.exprs(args)?;
                Some(self.emit(HlOp::Builtin(*b), args, ty, loc))
            }
            ExprKind::Tuple(xs) => {
                let args = self.exprs(xs)?;
                Some(self.emit(HlOp::Tuple, args, ty, loc))
            }
            ExprKind::Struct(a, xs) => {
                let args = self.exprs(xs)?;
                Some(self.emit(HlOp::Struct(*a), args, ty, loc))
            }
            ExprKind::Variant(vr, xs) => {
                let args = self.exprs(xs)?;
                Some(self.emit(HlOp::Variant(*vr), args, ty, loc))
            }
            ExprKind::GcNew(a, v, xs) => {
                let args = self.exprs(xs)?;
                Some(self.emit(HlOp::GcNew(*a, *v), args, ty, loc))
            }
            ExprKind::Field(x, i) => {
                let x = self.expr(x)?;
                Some(self.emit(HlOp::Field(*i), vec![x], ty, loc))
            }
            ExprKind::GcField(x, a, i) => {
                let x = self.expr(x)?;
                Some(self.emit(HlOp::GcField(*a, *i), vec![x], ty, loc))
            }
            ExprKind::GcSetField(x, a, i, v) => {
                let x = self.expr(x)?;
                let v = self.expr(v)?;
                Some(self.emit(HlOp::GcSetField(*a, *i), vec![x, v], Ty::Unit, loc))
            }
            ExprKind::Block(stmts, tail) => {
                let depth = self.scope.len();
                for s in stmts {
                    if self.cur.is_none() {
                        break;
                    }
                    match s {
                        Stmt::Expr(x) => {
                            self.expr(x);
                        }
                        Stmt::Let(p, x) => {
                            if let Some(v) = self.expr(x) {
                                self.bind_irrefutable(p, v);
                            }
                        }
                    }
                }
                let r = match tail {
                    Some(t) if self.cur.is_some() => self.expr(t),
                    _ if self.cur.is_some() => {
                        if ty == Ty::Never {
                            None
                        } else {
                            Some(self.unit(loc))
                        }
                    }
                    _ => None,
                };
                self.scope.truncate(depth);
                r
            }
            ExprKind::If(c, t, els) => {
                let vc = self.expr(c)?;
                let has_value = !matches!(ty, Ty::Never);
                let extra = if has_value { vec![ty.clone()] } else { vec![] };
                let join = self.join_block(&extra);
                let bt = self.new_block();
                let be = self.new_block();
                self.finish(Exit::If {
                    cond: vc,
                    then: Self::plain_link(bt),
                    els: Self::plain_link(be),
                });
                let saved = self.env.clone();
                let depth = self.scope.len();
                self.cur = Some(bt);
                if let Some(v) = self.expr(t) {
                    let l = self.link_to(
                        join,
                        if has_value {
                            std::slice::from_ref(&v)
                        } else {
                            &[]
                        },
                    );
                    self.finish(Exit::Goto(l));
                }
                self.env = saved;
                self.scope.truncate(depth);
                self.cur = Some(be);
                let ve = match els {
                    Some(x) => self.expr(x),
                    None => Some(self.unit(loc)),
                };
                if let Some(v) = ve {
                    let l = self.link_to(
                        join,
                        if has_value {
                            std::slice::from_ref(&v)
                        } else {
                            &[]
                        },
                    );
                    self.finish(Exit::Goto(l));
                }
                let extra = self.enter_join(join)?;
                if has_value {
                    Some(extra[0])
                } else {
                    Some(self.unit(loc))
                }
            }
            ExprKind::Match(s, arms) => {
                let vs = self.expr(s)?;
                self.build_match(vs, &s.ty, arms, &ty, loc)
            }
            ExprKind::Loop(label, body) => {
                let head = self.join_block(&[]);
                let head_scope = self.scope.clone();
                let has_value = !matches!(ty, Ty::Never | Ty::Unit);
                let exit = self.join_block(&if has_value { vec![ty.clone()] } else { vec![] });
                let exit_scope = self.scope.clone();
                let l = self.link_to(head, &[]);
                self.finish(Exit::Goto(l));
                self.enter_join(head);
                self.loops.push(LoopInfo {
                    label: label.clone().unwrap_or_default(),
                    head,
                    head_scope,
                    exit,
                    exit_scope,
                    has_value,
                });
                if self.expr(body).is_some() {
                    let l = self.link_to(head, &[]);
                    self.finish(Exit::Goto(l));
                }
                let info = self.loops.pop().expect("loop");
                let _ = (info.head_scope, info.exit_scope);
                let extra = self.enter_join(exit)?;
                if has_value {
                    Some(extra[0])
                } else {
                    Some(self.unit(loc))
                }
            }
            ExprKind::Break(label, value) => {
                let idx = self.loop_index(label.as_deref());
                let v = match value {
                    Some(x) => Some(self.expr(x)?),
                    None => None,
                };
                let (exit, has_value) = (self.loops[idx].exit, self.loops[idx].has_value);
                let extra: Vec<Var> = if has_value {
                    v.into_iter().collect()
                } else {
                    vec![]
                };
                let l = self.link_to(exit, &extra);
                self.finish(Exit::Goto(l));
                None
            }
            ExprKind::Continue(label) => {
                let idx = self.loop_index(label.as_deref());
                let head = self.loops[idx].head;
                let l = self.link_to(head, &[]);
                self.finish(Exit::Goto(l));
                None
            }
            ExprKind::Return(v) => {
                let v = match v {
                    Some(x) => self.expr(x)?,
                    None => self.unit(loc),
                };
                self.finish(Exit::Return(vec![v]));
                None
            }
            ExprKind::Assign(id, x) => {
                let v = self.expr(x)?;
                self.env[id.0 as usize] = Some(v);
                Some(self.unit(loc))
            }
            ExprKind::Panic(msg) => {
                self.finish(Exit::Fatal(msg.clone()));
                None
            }
            ExprKind::JitMergePoint(d, ids) | ExprKind::CanEnterJit(d, ids) => {
                let args: Vec<Var> = ids
                    .iter()
                    .map(|i| self.env[i.0 as usize].expect("jit var"))
                    .collect();
                let op = if matches!(e.kind, ExprKind::JitMergePoint(..)) {
                    HlOp::JitMergePoint(*d)
                } else {
                    HlOp::CanEnterJit(*d)
                };
                Some(self.emit(op, args, Ty::Unit, loc))
            }
        }
    }

    fn after_call(&mut self, v: Var, ty: &Ty) -> Option<Var> {
        if *ty == Ty::Never {
            self.finish(Exit::Fatal("a function returning `!` returned".into()));
            return None;
        }
        Some(v)
    }

    fn loop_index(&self, label: Option<&str>) -> usize {
        match label {
            Some(l) => self
                .loops
                .iter()
                .rposition(|x| x.label == l)
                .expect("loop label resolved by typeck"),
            None => self.loops.len() - 1,
        }
    }

    fn bind_local(&mut self, id: LocalId, v: Var) {
        self.env[id.0 as usize] = Some(v);
        self.scope.push(id);
        if self.g.var_names[v.0 as usize].is_none() {
            self.g.var_names[v.0 as usize] = Some(self.body.locals[id.0 as usize].name.clone());
        }
    }

    /// Binds an irrefutable pattern (`let`).
    fn bind_irrefutable(&mut self, p: &Pat, v: Var) {
        match &p.kind {
            PatKind::Wild => {}
            PatKind::Bind(id, sub) => {
                self.bind_local(*id, v);
                if let Some(s) = sub {
                    self.bind_irrefutable(s, v);
                }
            }
            PatKind::Tuple(ps) | PatKind::Struct(_, ps) => {
                for (i, sp) in ps.iter().enumerate() {
                    let f = self.emit(HlOp::Field(i as u32), vec![v], sp.ty.clone(), p.loc);
                    self.bind_irrefutable(sp, f);
                }
            }
            _ => {
                // refutable pattern in `let`: rustc rejects it; treat as a fatal error at run time
                self.finish(Exit::Fatal("refutable pattern in `let`".into()));
            }
        }
    }

    fn pat_is_irrefutable(p: &Pat) -> bool {
        match &p.kind {
            PatKind::Wild => true,
            PatKind::Bind(_, s) => s.as_ref().is_none_or(|s| Self::pat_is_irrefutable(s)),
            PatKind::Tuple(ps) | PatKind::Struct(_, ps) => ps.iter().all(Self::pat_is_irrefutable),
            _ => false,
        }
    }

    /// Tests `p` against `v`: continues in a new current block on success (with the bindings in
    /// `env`/`scope`), jumps to `fail` (a block without parameters) otherwise.
    fn test_pat(&mut self, p: &Pat, v: Var, fail: BlockId) {
        if self.cur.is_none() {
            return;
        }
        let loc = p.loc;
        match &p.kind {
            PatKind::Wild => {}
            PatKind::Bind(id, sub) => {
                self.bind_local(*id, v);
                if let Some(s) = sub {
                    self.test_pat(s, v, fail);
                }
            }
            PatKind::Lit(l) => {
                let c = self.konst(l.clone(), p.ty.clone(), loc);
                let eq = if matches!(l, Lit::Str(_)) {
                    self.emit(HlOp::Builtin(Builtin::StrEq), vec![v, c], Ty::Bool, loc)
                } else {
                    self.emit(HlOp::Binary(BinOp::Eq), vec![v, c], Ty::Bool, loc)
                };
                self.branch_or_fail(eq, fail);
            }
            PatKind::Range(lo, hi) => {
                let it = match p.ty {
                    Ty::Int(it) => it,
                    _ => IntTy::I64,
                };
                let clo = self.konst(Lit::Int(*lo, it), p.ty.clone(), loc);
                let ge = self.emit(HlOp::Binary(BinOp::Ge), vec![v, clo], Ty::Bool, loc);
                self.branch_or_fail(ge, fail);
                let chi = self.konst(Lit::Int(*hi, it), p.ty.clone(), loc);
                let le = self.emit(HlOp::Binary(BinOp::Le), vec![v, chi], Ty::Bool, loc);
                self.branch_or_fail(le, fail);
            }
            PatKind::Tuple(ps) | PatKind::Struct(_, ps) => {
                for (i, sp) in ps.iter().enumerate() {
                    let f = self.emit(HlOp::Field(i as u32), vec![v], sp.ty.clone(), loc);
                    self.test_pat(sp, f, fail);
                }
            }
            PatKind::Variant(vr, ps) => {
                let tag = self.emit(HlOp::Tag, vec![v], Ty::Int(IntTy::I64), loc);
                let want = self.konst(
                    Lit::Int(vr.tag() as i64, IntTy::I64),
                    Ty::Int(IntTy::I64),
                    loc,
                );
                let eq = self.emit(HlOp::Binary(BinOp::Eq), vec![tag, want], Ty::Bool, loc);
                self.branch_or_fail(eq, fail);
                self.variant_fields(*vr, ps, v, fail, loc);
            }
            PatKind::Or(alts) => {
                let mut binds = Vec::new();
                collect_binds(p, &mut binds);
                binds.sort();
                binds.dedup();
                let ok = self.new_block();
                let mut params = Vec::new();
                for b in &binds {
                    let d = &self.body.locals[b.0 as usize];
                    params.push(self.g.new_var(d.ty.clone(), Some(d.name.clone())));
                }
                self.g.blocks[ok.0 as usize].params = params.clone();
                let depth = self.scope.len();
                let saved = self.env.clone();
                for (i, alt) in alts.iter().enumerate() {
                    let next = if i + 1 == alts.len() {
                        fail
                    } else {
                        self.new_block()
                    };
                    self.test_pat(alt, v, next);
                    if self.cur.is_some() {
                        let args = binds
                            .iter()
                            .map(|b| self.env[b.0 as usize].expect("or-pattern binds every name"))
                            .collect();
                        self.finish(Exit::Goto(Link { target: ok, args }));
                    }
                    self.env = saved.clone();
                    self.scope.truncate(depth);
                    if next != fail {
                        self.cur = Some(next);
                    }
                }
                self.cur = Some(ok);
                for (b, pv) in binds.iter().zip(params) {
                    self.bind_local(*b, pv);
                }
            }
        }
    }

    fn variant_fields(&mut self, vr: VariantRef, ps: &[Pat], v: Var, fail: BlockId, loc: Loc) {
        for (i, sp) in ps.iter().enumerate() {
            if matches!(sp.kind, PatKind::Wild) {
                continue;
            }
            let f = self.emit(
                HlOp::VariantField(vr, i as u32),
                vec![v],
                sp.ty.clone(),
                loc,
            );
            self.test_pat(sp, f, fail);
        }
    }

    fn branch_or_fail(&mut self, cond: Var, fail: BlockId) {
        let ok = self.new_block();
        let els = if self.joins.contains_key(&fail) {
            self.link_to(fail, &[])
        } else {
            Self::plain_link(fail)
        };
        self.finish(Exit::If {
            cond,
            then: Self::plain_link(ok),
            els,
        });
        self.cur = Some(ok);
    }

    /// Can this match be a single `Switch`?
    fn switchable(arms: &[Arm]) -> bool {
        if arms.len() < 3 {
            return false;
        }
        let simple = |p: &Pat| match &p.kind {
            PatKind::Lit(Lit::Int(..)) => true,
            PatKind::Variant(_, ps) => ps.iter().all(Self::pat_is_irrefutable),
            _ => false,
        };
        for (i, a) in arms.iter().enumerate() {
            if a.guard.is_some() {
                return false;
            }
            let last = i + 1 == arms.len();
            // alternatives of an or-pattern share one body block: they must not bind
            let no_binds = |p: &Pat| match &p.kind {
                PatKind::Lit(Lit::Int(..)) => true,
                PatKind::Variant(_, ps) => ps.iter().all(|p| matches!(p.kind, PatKind::Wild)),
                _ => false,
            };
            let ok = match &a.pat.kind {
                PatKind::Or(alts) => alts.iter().all(no_binds),
                _ if simple(&a.pat) => true,
                PatKind::Wild | PatKind::Bind(_, None) => last,
                _ => false,
            };
            if !ok {
                return false;
            }
        }
        true
    }

    fn build_match(&mut self, vs: Var, sty: &Ty, arms: &[Arm], ty: &Ty, loc: Loc) -> Option<Var> {
        let has_value = !matches!(ty, Ty::Never);
        let join = self.join_block(&if has_value { vec![ty.clone()] } else { vec![] });
        let saved = self.env.clone();
        let depth = self.scope.len();
        if Self::switchable(arms) {
            let is_variant = arms.iter().any(|a| matches!(&a.pat.kind, PatKind::Variant(..)) || matches!(&a.pat.kind, PatKind::Or(alts) if matches!(alts[0].kind, PatKind::Variant(..))));
            let key = if is_variant {
                self.emit(HlOp::Tag, vec![vs], Ty::Int(IntTy::I64), loc)
            } else {
                vs
            };
            let mut cases: Vec<(i64, Link)> = Vec::new();
            let mut default = None;
            let mut bodies = Vec::new();
            for a in arms {
                let b = self.new_block();
                bodies.push(b);
                let alts: Vec<&Pat> = match &a.pat.kind {
                    PatKind::Or(alts) => alts.iter().collect(),
                    _ => vec![&a.pat],
                };
                for p in alts {
                    match &p.kind {
                        PatKind::Lit(Lit::Int(v, _)) => {
                            if !cases.iter().any(|(k, _)| k == v) {
                                cases.push((*v, Self::plain_link(b)));
                            }
                        }
                        PatKind::Variant(vr, _) => {
                            let t = vr.tag() as i64;
                            if !cases.iter().any(|(k, _)| *k == t) {
                                cases.push((t, Self::plain_link(b)));
                            }
                        }
                        _ => default = Some(b),
                    }
                }
            }
            let default = match default {
                Some(d) => d,
                None => {
                    let d = self.new_block();
                    self.g.blocks[d.0 as usize].exit = Exit::Fatal(
                        "internal error: entered unreachable code: no match arm matched".into(),
                    );
                    d
                }
            };
            self.finish(Exit::Switch {
                value: key,
                cases,
                default: Self::plain_link(default),
            });
            for (a, b) in arms.iter().zip(bodies) {
                self.env = saved.clone();
                self.scope.truncate(depth);
                self.cur = Some(b);
                match &a.pat.kind {
                    PatKind::Variant(vr, ps) => {
                        let dead = self.new_block();
                        self.g.blocks[dead.0 as usize].exit =
                            Exit::Fatal("internal error: entered unreachable code".into());
                        self.variant_fields(*vr, ps, vs, dead, loc);
                    }
                    PatKind::Bind(id, None) => self.bind_local(*id, vs),
                    _ => {}
                }
                if let Some(v) = self.expr(&a.body) {
                    let l = self.link_to(
                        join,
                        if has_value {
                            std::slice::from_ref(&v)
                        } else {
                            &[]
                        },
                    );
                    self.finish(Exit::Goto(l));
                }
            }
        } else {
            // An or-pattern with a guard tries the guard once per alternative, in order (Rust's
            // semantics): expand it into one arm per alternative.
            let mut expanded: Vec<(&Pat, Option<&Expr>, &Expr)> = Vec::new();
            for a in arms {
                match (&a.pat.kind, &a.guard) {
                    (PatKind::Or(alts), Some(g)) => alts
                        .iter()
                        .for_each(|p| expanded.push((p, Some(g), &a.body))),
                    _ => expanded.push((&a.pat, a.guard.as_ref(), &a.body)),
                }
            }
            for (pat, guard, body) in expanded {
                if self.cur.is_none() {
                    break;
                }
                self.scope.truncate(depth);
                // The next arm is a join block over the locals in scope, so that assignments
                // made by a failing guard are kept.
                let next = self.join_block(&[]);
                self.test_pat(pat, vs, next);
                if let Some(g) = guard {
                    if let Some(c) = self.expr(g) {
                        self.branch_or_fail(c, next);
                    }
                }
                if self.cur.is_some() {
                    if let Some(v) = self.expr(body) {
                        let l = self.link_to(
                            join,
                            if has_value {
                                std::slice::from_ref(&v)
                            } else {
                                &[]
                            },
                        );
                        self.finish(Exit::Goto(l));
                    }
                }
                self.enter_join(next);
            }
            self.finish(Exit::Fatal(
                "internal error: entered unreachable code: no match arm matched".into(),
            ));
        }
        let _ = sty;
        self.env = saved;
        self.scope.truncate(depth);
        let extra = self.enter_join(join)?;
        if has_value {
            Some(extra[0])
        } else {
            Some(self.unit(loc))
        }
    }
}

fn collect_binds(p: &Pat, out: &mut Vec<LocalId>) {
    match &p.kind {
        PatKind::Bind(id, s) => {
            out.push(*id);
            if let Some(s) = s {
                collect_binds(s, out);
            }
        }
        PatKind::Tuple(ps) | PatKind::Struct(_, ps) | PatKind::Variant(_, ps) | PatKind::Or(ps) => {
            ps.iter().for_each(|p| collect_binds(p, out))
        }
        _ => {}
    }
}

/// Redirects jumps to blocks that only jump on (no parameters, no operations) to their target.
/// Safe in SSA: the values such a block passes are defined in its dominators, which also
/// dominate its predecessors.
pub fn thread_empty_blocks<T: Clone, Op>(g: &mut Graph<T, Op>) {
    let n = g.blocks.len();
    let forward: Vec<Option<Link>> = (0..n)
        .map(|i| {
            let b = &g.blocks[i];
            match &b.exit {
                Exit::Goto(l)
                    if i != 0
                        && b.params.is_empty()
                        && b.ops.is_empty()
                        && l.target.0 as usize != i =>
                {
                    Some(l.clone())
                }
                _ => None,
            }
        })
        .collect();
    for b in &mut g.blocks {
        for_each_link_mut(&mut b.exit, &mut |l| {
            let mut hops = 0;
            while l.args.is_empty() {
                let Some(f) = &forward[l.target.0 as usize] else {
                    break;
                };
                *l = f.clone();
                hops += 1;
                if hops > n {
                    break;
                }
            }
        });
    }
}

/// Removes operations whose results are never used, for the operations `is_pure` accepts.
pub fn remove_dead_pure_ops<T: Clone, Op>(g: &mut Graph<T, Op>, is_pure: &dyn Fn(&Op) -> bool) {
    loop {
        let mut used = vec![false; g.var_types.len()];
        for b in &g.blocks {
            for i in &b.ops {
                i.args.iter().for_each(|a| used[a.0 as usize] = true);
            }
            match &b.exit {
                Exit::If { cond, .. } => used[cond.0 as usize] = true,
                Exit::Switch { value, .. } => used[value.0 as usize] = true,
                Exit::Return(vs) => vs.iter().for_each(|v| used[v.0 as usize] = true),
                _ => {}
            }
            for l in Graph::<T, Op>::successors(b) {
                l.args.iter().for_each(|a| used[a.0 as usize] = true);
            }
        }
        let mut changed = false;
        for b in &mut g.blocks {
            let before = b.ops.len();
            b.ops
                .retain(|i| !(is_pure(&i.op) && i.results.iter().all(|r| !used[r.0 as usize])));
            changed |= b.ops.len() != before;
        }
        if !changed {
            return;
        }
    }
}

/// Removes unreachable blocks and trivial block parameters; renumbers blocks.
pub fn cleanup<T: Clone, Op>(g: &mut Graph<T, Op>) {
    // 1. reachability
    let n = g.blocks.len();
    let mut reach = vec![false; n];
    let mut stack = vec![0usize];
    while let Some(b) = stack.pop() {
        if reach[b] {
            continue;
        }
        reach[b] = true;
        for l in Graph::<T, Op>::successors(&g.blocks[b]) {
            stack.push(l.target.0 as usize);
        }
    }
    let mut remap = vec![u32::MAX; n];
    let mut k = 0;
    for (i, r) in reach.iter().enumerate() {
        if *r {
            remap[i] = k;
            k += 1;
        }
    }
    let old = std::mem::take(&mut g.blocks);
    for (i, mut b) in old.into_iter().enumerate() {
        if !reach[i] {
            continue;
        }
        for_each_link_mut(&mut b.exit, &mut |l| {
            l.target = BlockId(remap[l.target.0 as usize])
        });
        g.blocks.push(b);
    }
    // 2. trivial parameters (never for the entry block)
    loop {
        let mut subst: HashMap<Var, Var> = HashMap::new();
        let mut incoming: Vec<Vec<Vec<Var>>> = g
            .blocks
            .iter()
            .map(|b| vec![Vec::new(); b.params.len()])
            .collect();
        for b in &g.blocks {
            for l in Graph::<T, Op>::successors(b) {
                for (i, a) in l.args.iter().enumerate() {
                    incoming[l.target.0 as usize][i].push(*a);
                }
            }
        }
        let mut remove: Vec<Vec<bool>> = g
            .blocks
            .iter()
            .map(|b| vec![false; b.params.len()])
            .collect();
        for (bi, b) in g.blocks.iter().enumerate().skip(1) {
            for (pi, p) in b.params.iter().enumerate() {
                let mut unique = None;
                let mut trivial = true;
                for a in &incoming[bi][pi] {
                    if a == p {
                        continue;
                    }
                    match unique {
                        None => unique = Some(*a),
                        Some(u) if u == *a => {}
                        Some(_) => {
                            trivial = false;
                            break;
                        }
                    }
                }
                if trivial {
                    if let Some(u) = unique {
                        subst.insert(*p, u);
                        remove[bi][pi] = true;
                    }
                }
            }
        }
        if subst.is_empty() {
            break;
        }
        let resolve = |mut v: Var, s: &HashMap<Var, Var>| {
            let mut guard = 0;
            while let Some(n) = s.get(&v) {
                v = *n;
                guard += 1;
                if guard > 10_000 {
                    break;
                }
            }
            v
        };
        let removed = remove.clone();
        for (bi, b) in g.blocks.iter_mut().enumerate() {
            let keep: Vec<Var> = b
                .params
                .iter()
                .enumerate()
                .filter(|(i, _)| !removed[bi][*i])
                .map(|(_, p)| *p)
                .collect();
            b.params = keep;
            for ins in &mut b.ops {
                for a in &mut ins.args {
                    *a = resolve(*a, &subst);
                }
            }
            match &mut b.exit {
                Exit::If { cond, .. } => *cond = resolve(*cond, &subst),
                Exit::Switch { value, .. } => *value = resolve(*value, &subst),
                Exit::Return(vs) => vs.iter_mut().for_each(|v| *v = resolve(*v, &subst)),
                _ => {}
            }
            for_each_link_mut(&mut b.exit, &mut |l| {
                let t = l.target.0 as usize;
                let args: Vec<Var> = l
                    .args
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| !removed[t][*i])
                    .map(|(_, a)| resolve(*a, &subst))
                    .collect();
                l.args = args;
            });
        }
    }
}

pub fn for_each_link_mut(e: &mut Exit, f: &mut dyn FnMut(&mut Link)) {
    match e {
        Exit::Goto(l) => f(l),
        Exit::If { then, els, .. } => {
            f(then);
            f(els);
        }
        Exit::Switch { cases, default, .. } => {
            for (_, l) in cases {
                f(l);
            }
            f(default);
        }
        Exit::Return(_) | Exit::Fatal(_) => {}
    }
}
