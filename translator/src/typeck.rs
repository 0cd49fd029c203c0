//! Type inference and checking of function bodies: syn AST → [`crate::thir`].
//!
//! One function at a time, with unification over type variables (integer literals get
//! integer-only variables defaulting to `i64`). Names are resolved through
//! [`Program::resolve_path`]; method calls become user calls or [`Builtin`]s; sugar is removed
//! (`while`, `for`, `if let`, `while let`, `?`, `matches!`, `Option::unwrap`, ...).
//!
//! Invariant: every construct outside the subset produces a [`Diagnostic`] at its span with a
//! `help` suggestion; nothing here panics on user input.

use crate::diag::{loc_of, DResult, Diagnostic, Loc};
use crate::program::{int_max, int_min, parse_int_lit, ConstValue, FnId, Item, ModId, Program};
use crate::source::FileId;
use crate::thir::*;
use crate::ty::{AdtId, IntTy, Ty};
use std::collections::{BTreeSet, HashMap};
use syn::spanned::Spanned;

#[derive(Clone, Debug)]
enum VarState {
    Unbound { int: bool },
    Bound(Ty),
}

struct LoopCtx {
    label: String,
    user_label: Option<String>,
    break_ty: Ty,
    broke: bool,
    /// `while`/`for` loops: `break` takes no value.
    valueless: bool,
}

/// Type-checks every DSL function of the program.
pub fn check_program(prog: &Program) -> DResult<Vec<Option<Body>>> {
    let mut out = Vec::new();
    let mut merge_points: Vec<(FnId, Loc)> = Vec::new();
    for (i, f) in prog.fns.iter().enumerate() {
        if f.is_host || f.body.is_none() {
            out.push(None);
            continue;
        }
        let mut tc = Checker::new(prog, FnId(i as u32));
        let body = tc.check_fn()?;
        if let Some(l) = tc.merge_point {
            merge_points.push((FnId(i as u32), l));
        }
        out.push(Some(body));
    }
    if merge_points.len() > 1 {
        return Err(Diagnostic::new(
            merge_points[1].1,
            "a second `jit_merge_point!` in the program",
        )
        .help("an interpreter has one dispatch loop with one merge point (one portal function)"));
    }
    for d in &prog.drivers {
        if let Some(name) = &d.get_printable_location {
            let m = d.module.unwrap_or(ModId(0));
            let ok = match prog.resolve_path(m, std::slice::from_ref(name), d.loc) {
                Ok((Item::Fn(f), r)) if r.is_empty() => {
                    let fd = prog.func(f);
                    fd.params.len() == d.greens.len() && fd.ret == Ty::Str
                }
                _ => false,
            };
            if !ok {
                return Err(Diagnostic::new(d.printable_loc, format!("`get_printable_location: Some(\"{name}\")` does not name a function of this module taking the {} green(s) and returning `Str`", d.greens.len())).help("define `fn <name>(<greens in order>) -> Str` next to the driver"));
            }
        }
    }
    Ok(out)
}

struct Checker<'p> {
    prog: &'p Program,
    fn_id: FnId,
    module: ModId,
    file: FileId,
    self_adt: Option<AdtId>,
    locals: Vec<LocalDecl>,
    scopes: Vec<HashMap<String, LocalId>>,
    vars: Vec<VarState>,
    ret: Ty,
    loops: Vec<LoopCtx>,
    nlabels: u32,
    merge_point_ok: bool,
    merge_point: Option<Loc>,
}

fn unit_expr(loc: Loc) -> Expr {
    Expr {
        kind: ExprKind::Lit(Lit::Unit),
        ty: Ty::Unit,
        loc,
    }
}

fn path_segs(p: &syn::Path) -> Vec<String> {
    p.segments.iter().map(|s| s.ident.to_string()).collect()
}

impl<'p> Checker<'p> {
    fn new(prog: &'p Program, fn_id: FnId) -> Self {
        let f = prog.func(fn_id);
        Checker {
            prog,
            fn_id,
            module: f.module,
            file: prog.modules[f.module.0 as usize].file,
            self_adt: f.self_adt,
            locals: Vec::new(),
            scopes: vec![HashMap::new()],
            vars: Vec::new(),
            ret: f.ret.clone(),
            loops: Vec::new(),
            nlabels: 0,
            merge_point_ok: false,
            merge_point: None,
        }
    }

    fn loc(&self, span: proc_macro2::Span) -> Loc {
        loc_of(&self.prog.sources, self.file, span)
    }
    fn ts(&self, t: &Ty) -> String {
        let t = self.zonk(t);
        self.prog.ty_str(&t)
    }

    // ---- inference variables ----

    fn fresh(&mut self, int: bool) -> Ty {
        self.vars.push(VarState::Unbound { int });
        Ty::Var(self.vars.len() as u32 - 1)
    }

    fn shallow(&self, t: &Ty) -> Ty {
        let mut t = t.clone();
        while let Ty::Var(v) = t {
            match &self.vars[v as usize] {
                VarState::Bound(b) => t = b.clone(),
                VarState::Unbound { .. } => return t,
            }
        }
        t
    }

    fn zonk(&self, t: &Ty) -> Ty {
        match self.shallow(t) {
            Ty::Var(v) => match self.vars[v as usize] {
                VarState::Unbound { int: true } => Ty::Int(IntTy::I64),
                _ => Ty::Var(v),
            },
            Ty::Tuple(ts) => Ty::Tuple(ts.iter().map(|t| self.zonk(t)).collect()),
            Ty::Option(t) => Ty::Option(Box::new(self.zonk(&t))),
            Ty::Result(a, b) => Ty::Result(Box::new(self.zonk(&a)), Box::new(self.zonk(&b))),
            Ty::Array(t) => Ty::Array(Box::new(self.zonk(&t))),
            Ty::List(t) => Ty::List(Box::new(self.zonk(&t))),
            Ty::Map(a, b) => Ty::Map(Box::new(self.zonk(&a)), Box::new(self.zonk(&b))),
            Ty::Mut(t) => Ty::Mut(Box::new(self.zonk(&t))),
            Ty::QuasiImmut(t) => Ty::QuasiImmut(Box::new(self.zonk(&t))),
            t => t,
        }
    }

    fn occurs(&self, v: u32, t: &Ty) -> bool {
        let t = self.zonk(t);
        let mut found = false;
        t.walk(&mut |x| found |= *x == Ty::Var(v));
        found
    }

    fn unify(&mut self, a: &Ty, b: &Ty, loc: Loc) -> DResult<()> {
        let a = self.shallow(a);
        let b = self.shallow(b);
        if a == Ty::Never || b == Ty::Never {
            return Ok(());
        }
        let mismatch = |s: &Self| {
            Diagnostic::new(
                loc,
                format!(
                    "mismatched types: expected `{}`, found `{}`",
                    s.ts(&b),
                    s.ts(&a)
                ),
            )
            .help("make both sides the same type (convert numbers with `as`)")
        };
        match (&a, &b) {
            (Ty::Var(x), Ty::Var(y)) if x == y => Ok(()),
            (Ty::Var(x), _) => self.bind(*x, &b, loc).map_err(|_| mismatch(self)),
            (_, Ty::Var(y)) => self.bind(*y, &a, loc).map_err(|_| mismatch(self)),
            (Ty::Tuple(xs), Ty::Tuple(ys)) if xs.len() == ys.len() => {
                for (x, y) in xs.iter().zip(ys) {
                    self.unify(x, y, loc).map_err(|_| mismatch(self))?;
                }
                Ok(())
            }
            (Ty::Option(x), Ty::Option(y))
            | (Ty::Array(x), Ty::Array(y))
            | (Ty::List(x), Ty::List(y))
            | (Ty::Mut(x), Ty::Mut(y))
            | (Ty::QuasiImmut(x), Ty::QuasiImmut(y)) => {
                self.unify(x, y, loc).map_err(|_| mismatch(self))
            }
            (Ty::Result(x1, x2), Ty::Result(y1, y2)) | (Ty::Map(x1, x2), Ty::Map(y1, y2)) => {
                self.unify(x1, y1, loc).map_err(|_| mismatch(self))?;
                self.unify(x2, y2, loc).map_err(|_| mismatch(self))
            }
            _ if a == b => Ok(()),
            _ => Err(mismatch(self)),
        }
    }

    fn bind(&mut self, v: u32, t: &Ty, loc: Loc) -> DResult<()> {
        if let VarState::Unbound { int: true } = self.vars[v as usize] {
            match t {
                Ty::Int(_) => {}
                Ty::Var(w) => {
                    // merge int-ness
                    if let VarState::Unbound { .. } = self.vars[*w as usize] {
                        self.vars[*w as usize] = VarState::Unbound { int: true };
                    }
                }
                _ => return Err(Diagnostic::new(loc, "expected an integer")),
            }
        }
        if self.occurs(v, t) {
            return Err(Diagnostic::new(loc, "infinite type"));
        }
        self.vars[v as usize] = VarState::Bound(t.clone());
        Ok(())
    }

    /// The type two branches join to (`!` gives way to the other).
    fn join(&mut self, a: &Ty, b: &Ty, loc: Loc) -> DResult<Ty> {
        let (sa, sb) = (self.shallow(a), self.shallow(b));
        if sa == Ty::Never {
            return Ok(sb);
        }
        if sb == Ty::Never {
            return Ok(sa);
        }
        self.unify(b, a, loc)?;
        Ok(sa)
    }

    fn resolved(&self, t: &Ty, loc: Loc) -> DResult<Ty> {
        let t = self.shallow(t);
        if let Ty::Var(v) = t {
            if let VarState::Unbound { int: true } = self.vars[v as usize] {
                return Ok(Ty::Var(v));
            }
            return Err(
                Diagnostic::new(loc, "cannot infer the type of this expression here")
                    .help("add a type annotation, e.g. `let x: GcList<i64> = GcList::new();`"),
            );
        }
        Ok(t)
    }

    // ---- scopes ----

    fn declare(&mut self, name: &str, ty: Ty, mutable: bool) -> LocalId {
        self.locals.push(LocalDecl {
            name: name.to_string(),
            ty,
            mutable,
        });
        let id = LocalId(self.locals.len() as u32 - 1);
        self.scopes
            .last_mut()
            .expect("scope")
            .insert(name.to_string(), id);
        id
    }
    fn temp(&mut self, ty: Ty) -> LocalId {
        self.locals.push(LocalDecl {
            name: format!("tmp{}", self.locals.len()),
            ty,
            mutable: true,
        });
        LocalId(self.locals.len() as u32 - 1)
    }
    fn lookup_local(&self, name: &str) -> Option<LocalId> {
        self.scopes.iter().rev().find_map(|s| s.get(name).copied())
    }

    // ---- functions ----

    fn check_fn(&mut self) -> DResult<Body> {
        let f = self.prog.func(self.fn_id).clone();
        let mut params = Vec::new();
        for p in &f.params {
            let mutable = false;
            params.push(self.declare(&p.name, p.ty.clone(), mutable));
        }
        // `mut` parameters
        for input in f.sig.inputs.iter() {
            if let syn::FnArg::Typed(pt) = input {
                if let syn::Pat::Ident(pi) = &*pt.pat {
                    if pi.mutability.is_some() {
                        if let Some(l) = self.lookup_local(&pi.ident.to_string()) {
                            self.locals[l.0 as usize].mutable = true;
                        }
                    }
                }
            }
        }
        let block = f.body.as_ref().expect("DSL fn has a body");
        let body = self.check_block(block)?;
        let ret = self.ret.clone();
        let body_loc = match &body.kind {
            ExprKind::Block(_, Some(t)) => t.loc,
            _ => body.loc,
        };
        self.unify(&body.ty, &ret, body_loc).map_err(|d| {
            Diagnostic::new(
                body_loc,
                format!(
                    "the function body has type `{}` but the function returns `{}`",
                    self.ts(&body.ty),
                    self.ts(&ret)
                ),
            )
            .help(d.help.unwrap_or_default())
        })?;
        let mut expr = body;
        self.zonk_expr(&mut expr)?;
        let locals = self
            .locals
            .iter()
            .map(|l| LocalDecl {
                name: l.name.clone(),
                ty: self.default_ty(&l.ty),
                mutable: l.mutable,
            })
            .collect();
        Ok(Body {
            fn_id: self.fn_id,
            locals,
            params,
            expr,
        })
    }

    fn default_ty(&self, t: &Ty) -> Ty {
        let z = self.zonk(t);
        fn fix(t: Ty) -> Ty {
            match t {
                Ty::Var(_) => Ty::Unit,
                Ty::Tuple(ts) => Ty::Tuple(ts.into_iter().map(fix).collect()),
                Ty::Option(t) => Ty::Option(Box::new(fix(*t))),
                Ty::Result(a, b) => Ty::Result(Box::new(fix(*a)), Box::new(fix(*b))),
                Ty::Array(t) => Ty::Array(Box::new(fix(*t))),
                Ty::List(t) => Ty::List(Box::new(fix(*t))),
                Ty::Map(a, b) => Ty::Map(Box::new(fix(*a)), Box::new(fix(*b))),
                t => t,
            }
        }
        fix(z)
    }

    fn zonk_expr(&self, e: &mut Expr) -> DResult<()> {
        if self.zonk(&e.ty).has_vars() {
            return Err(
                Diagnostic::new(e.loc, "cannot infer the type of this expression")
                    .help("add a type annotation, e.g. `let xs: GcList<i64> = GcList::new();`"),
            );
        }
        e.ty = self.default_ty(&e.ty);
        if let (ExprKind::Lit(Lit::Int(v, _)), Ty::Int(it)) = (&e.kind, &e.ty) {
            if !crate::program::int_fits(*v, *it) {
                return Err(Diagnostic::new(
                    e.loc,
                    format!("integer literal out of range for `{}`", it.name()),
                )
                .help(format!(
                    "`{}` holds {}..={}",
                    it.name(),
                    crate::program::int_min(*it),
                    crate::program::int_max_str(*it)
                )));
            }
        }
        let mut r = Ok(());
        visit_children_mut(
            e,
            &mut |c| {
                if r.is_ok() {
                    r = self.zonk_expr(c);
                }
            },
            &mut |p| self.zonk_pat(p),
        );
        r
    }

    fn zonk_pat(&self, p: &mut Pat) {
        p.ty = self.default_ty(&p.ty);
        match &mut p.kind {
            PatKind::Bind(_, Some(s)) => self.zonk_pat(s),
            PatKind::Tuple(ps)
            | PatKind::Struct(_, ps)
            | PatKind::Variant(_, ps)
            | PatKind::Or(ps) => ps.iter_mut().for_each(|p| self.zonk_pat(p)),
            _ => {}
        }
    }

    // ---- blocks and statements ----

    fn check_block(&mut self, b: &syn::Block) -> DResult<Expr> {
        let loc = self.loc(b.brace_token.span.join());
        self.scopes.push(HashMap::new());
        let r = self.check_stmts(&b.stmts, loc);
        self.scopes.pop();
        r
    }

    fn check_stmts(&mut self, stmts: &[syn::Stmt], loc: Loc) -> DResult<Expr> {
        let mut out = Vec::new();
        let mut tail = None;
        let mut diverges = false;
        let first_ok = std::mem::replace(&mut self.merge_point_ok, false);
        for (i, s) in stmts.iter().enumerate() {
            self.merge_point_ok = first_ok && i == 0;
            let last = i + 1 == stmts.len();
            match s {
                syn::Stmt::Local(l) if has_cfg(&l.attrs) => {
                    return Err(cfg_error(self.loc(l.span())))
                }
                syn::Stmt::Macro(m) if has_cfg(&m.attrs) => {
                    return Err(cfg_error(self.loc(m.span())))
                }
                syn::Stmt::Expr(e, _) if expr_attrs(e).is_some_and(has_cfg) => {
                    return Err(cfg_error(self.loc(e.span())))
                }
                syn::Stmt::Local(l) => {
                    let st = self.check_let(l)?;
                    out.push(st);
                }
                syn::Stmt::Expr(e, semi) => {
                    let ex = self.check_expr(e)?;
                    if self.shallow(&ex.ty) == Ty::Never {
                        diverges = true;
                    }
                    if last && semi.is_none() {
                        tail = Some(Box::new(ex));
                    } else {
                        if semi.is_none()
                            && !matches!(self.shallow(&ex.ty), Ty::Unit | Ty::Never)
                            && !is_block_like(e)
                        {
                            return Err(Diagnostic::new(
                                ex.loc,
                                "expression statement without `;`",
                            )
                            .help("add `;`"));
                        }
                        out.push(Stmt::Expr(ex));
                    }
                }
                syn::Stmt::Macro(m) => {
                    let e = syn::Expr::Macro(syn::ExprMacro {
                        attrs: m.attrs.clone(),
                        mac: m.mac.clone(),
                    });
                    let ex = self.check_expr(&e)?;
                    if self.shallow(&ex.ty) == Ty::Never {
                        diverges = true;
                    }
                    out.push(Stmt::Expr(ex));
                }
                syn::Stmt::Item(it) => {
                    return Err(Diagnostic::new(
                        self.loc(it.span()),
                        "items inside function bodies are not supported",
                    )
                    .help("move the item to module level"));
                }
            }
        }
        self.merge_point_ok = false;
        let ty = match &tail {
            Some(t) => t.ty.clone(),
            None if diverges => Ty::Never,
            None => Ty::Unit,
        };
        Ok(Expr {
            kind: ExprKind::Block(out, tail),
            ty,
            loc,
        })
    }

    fn check_let(&mut self, l: &syn::Local) -> DResult<Stmt> {
        let loc = self.loc(l.span());
        let Some(init) = &l.init else {
            return Err(Diagnostic::new(loc, "`let` without an initial value").help("initialise the variable: `let x = value;` (declare it where its first value is known)"));
        };
        if let Some((_, els)) = &init.diverge {
            return Err(
                Diagnostic::new(self.loc(els.span()), "`let ... else` is not supported")
                    .help("use `match` or `if let`"),
            );
        }
        let (pat, annot) = match &l.pat {
            syn::Pat::Type(pt) => {
                let t = crate::program::resolve_type(
                    self.prog,
                    self.module,
                    self.file,
                    &pt.ty,
                    self.self_adt,
                )?;
                (&*pt.pat, Some(t))
            }
            p => (p, None),
        };
        let e = self.check_expr(&init.expr)?;
        let ty = match annot {
            Some(t) => {
                self.unify(&e.ty, &t, e.loc)?;
                t
            }
            None => e.ty.clone(),
        };
        let mut binds = HashMap::new();
        let p = self.check_pat(pat, &ty, &mut binds, true)?;
        if !pat_irrefutable(&p) {
            return Err(Diagnostic::new(p.loc, "refutable pattern in `let`")
                .help("use `if let PATTERN = value { ... }` or `match`"));
        }
        for (name, id) in binds {
            self.scopes.last_mut().expect("scope").insert(name, id);
        }
        Ok(Stmt::Let(p, e))
    }

    // ---- patterns ----

    fn check_pat(
        &mut self,
        p: &syn::Pat,
        ty: &Ty,
        binds: &mut HashMap<String, LocalId>,
        irrefutable: bool,
    ) -> DResult<Pat> {
        let loc = self.loc(p.span());
        let mk = |kind, ty: &Ty| Pat {
            kind,
            ty: ty.clone(),
            loc,
        };
        match p {
            syn::Pat::Wild(_) => Ok(mk(PatKind::Wild, ty)),
            syn::Pat::Paren(pp) => self.check_pat(&pp.pat, ty, binds, irrefutable),
            syn::Pat::Reference(r) => self.check_pat(&r.pat, ty, binds, irrefutable),
            syn::Pat::Ident(pi) => {
                let name = pi.ident.to_string();
                if pi.by_ref.is_some() {
                    return Err(Diagnostic::new(loc, "`ref` bindings are not supported")
                        .help("bind by value: DSL values are `Copy`"));
                }
                if pi.subpat.is_none() && self.lookup_local(&name).is_none() {
                    // An enum variant imported by name (`use Enum::*`) is a variant pattern, never
                    // a binding.
                    if let Ok((Item::Variant(a, i), r)) =
                        self.prog
                            .resolve_path(self.module, std::slice::from_ref(&name), loc)
                    {
                        if r.is_empty() {
                            let def = self.prog.adt(a);
                            if !def.variants()[i as usize].fields.is_empty() {
                                return Err(Diagnostic::new(
                                    loc,
                                    format!("`{name}` is a variant with fields"),
                                )
                                .help(format!("write `{name}(..)` with one pattern per field")));
                            }
                            let owner = if def.is_value { Ty::Adt(a) } else { Ty::Gc(a) };
                            self.unify(&owner, ty, loc)?;
                            return Ok(mk(PatKind::Variant(VariantRef::Adt(a, i), vec![]), ty));
                        }
                    }
                }
                if pi.subpat.is_none() && !irrefutable {
                    // A unit variant or constant in scope?
                    if name == "None" {
                        let inner = self.fresh(false);
                        self.unify(&Ty::Option(Box::new(inner)), ty, loc)?;
                        return Ok(mk(PatKind::Variant(VariantRef::None, vec![]), ty));
                    }
                    if let Ok((Item::Const(c), r)) =
                        self.prog
                            .resolve_path(self.module, std::slice::from_ref(&name), loc)
                    {
                        if r.is_empty() && self.lookup_local(&name).is_none() {
                            let cd = &self.prog.consts[c.0 as usize];
                            self.unify(&cd.ty, ty, loc)?;
                            return Ok(mk(PatKind::Lit(const_lit(&cd.value)), ty));
                        }
                    }
                }
                let id = match binds.get(&name) {
                    Some(id) => *id,
                    None => {
                        self.locals.push(LocalDecl {
                            name: name.clone(),
                            ty: ty.clone(),
                            mutable: pi.mutability.is_some(),
                        });
                        let id = LocalId(self.locals.len() as u32 - 1);
                        binds.insert(name, id);
                        id
                    }
                };
                self.unify(ty, &self.locals[id.0 as usize].ty.clone(), loc)?;
                let sub = match &pi.subpat {
                    Some((_, sp)) => Some(Box::new(self.check_pat(sp, ty, binds, irrefutable)?)),
                    None => None,
                };
                Ok(mk(PatKind::Bind(id, sub), ty))
            }
            syn::Pat::Tuple(t) => {
                let elems: Vec<Ty> = t.elems.iter().map(|_| self.fresh(false)).collect();
                self.unify(&Ty::Tuple(elems.clone()), ty, loc)?;
                let mut ps = Vec::new();
                for (sp, et) in t.elems.iter().zip(&elems) {
                    if let syn::Pat::Rest(_) = sp {
                        return Err(Diagnostic::new(
                            self.loc(sp.span()),
                            "`..` in tuple patterns is not supported",
                        )
                        .help("write one pattern per element (`_` for the ones you skip)"));
                    }
                    ps.push(self.check_pat(sp, et, binds, irrefutable)?);
                }
                Ok(mk(PatKind::Tuple(ps), ty))
            }
            syn::Pat::Lit(l) => {
                let (lit, lty) = self.check_lit(&l.lit, loc)?;
                self.unify(&lty, ty, loc)?;
                Ok(mk(PatKind::Lit(lit), ty))
            }
            syn::Pat::Range(r) => {
                let ety = self.resolved(ty, loc)?;
                let lo = match &r.start {
                    Some(e) => self.const_int(e, &ety)?,
                    None => {
                        return Err(Diagnostic::new(loc, "range patterns need a start")
                            .help("write `lo..=hi`"))
                    }
                };
                let hi = match &r.end {
                    Some(e) => self.const_int(e, &ety)?,
                    None => {
                        return Err(Diagnostic::new(loc, "range patterns need an end")
                            .help("write `lo..=hi`"))
                    }
                };
                let hi = match r.limits {
                    syn::RangeLimits::Closed(_) => hi,
                    syn::RangeLimits::HalfOpen(_) => match hi.checked_sub(1) {
                        Some(h) if h >= lo => h,
                        _ => {
                            return Err(Diagnostic::new(loc, "empty range pattern").help(
                                "the range matches no value: write `lo..=hi` with `lo <= hi`",
                            ))
                        }
                    },
                };
                Ok(mk(PatKind::Range(lo, hi), ty))
            }
            syn::Pat::Or(o) => {
                let mut ps = Vec::new();
                let mut names: Option<BTreeSet<String>> = None;
                for c in &o.cases {
                    let p = self.check_pat(c, ty, binds, irrefutable)?;
                    let mut bound = BTreeSet::new();
                    collect_bind_names(&p, &self.locals, &mut bound);
                    match &names {
                        None => names = Some(bound),
                        Some(first) if *first != bound => {
                            return Err(Diagnostic::new(
                                self.loc(c.span()),
                                "the alternatives of this or-pattern bind different names",
                            )
                            .help("every alternative of `a | b` must bind the same variables"));
                        }
                        _ => {}
                    }
                    ps.push(p);
                }
                Ok(mk(PatKind::Or(ps), ty))
            }
            syn::Pat::Path(pp) => {
                let segs = path_segs(&pp.path);
                self.variant_pat(&segs, &[], None, ty, binds, loc, irrefutable)
            }
            syn::Pat::TupleStruct(ts) => {
                let segs = path_segs(&ts.path);
                let elems: Vec<&syn::Pat> = ts.elems.iter().collect();
                self.variant_pat(&segs, &elems, Some(()), ty, binds, loc, irrefutable)
            }
            syn::Pat::Struct(sp) => {
                let segs = path_segs(&sp.path);
                let adt = match self.resolve_adt_path(&segs, loc)? {
                    Some(a) if !self.prog.adt(a).is_enum() => a,
                    _ => {
                        return Err(Diagnostic::new(
                            loc,
                            "struct patterns are only supported for structs",
                        )
                        .help("match enum variants with tuple patterns `E::V(a, b)`"))
                    }
                };
                let def = self.prog.adt(adt).clone();
                let sty = if def.is_value {
                    Ty::Adt(adt)
                } else {
                    Ty::Gc(adt)
                };
                self.unify(&sty, ty, loc)?;
                if !def.is_value {
                    return Err(
                        Diagnostic::new(loc, "destructuring a GC struct is not supported")
                            .help("read its fields with `x.field`"),
                    );
                }
                let mut subs: Vec<Pat> = def
                    .fields()
                    .iter()
                    .map(|f| Pat {
                        kind: PatKind::Wild,
                        ty: f.ty.clone(),
                        loc,
                    })
                    .collect();
                for fp in &sp.fields {
                    let syn::Member::Named(n) = &fp.member else {
                        return Err(Diagnostic::new(loc, "numbered fields in struct patterns")
                            .help("name the fields"));
                    };
                    let Some(i) = def.fields().iter().position(|f| f.name == n.to_string()) else {
                        return Err(Diagnostic::new(
                            self.loc(n.span()),
                            format!("struct `{}` has no field `{n}`", def.name),
                        )
                        .help("check the field name"));
                    };
                    subs[i] =
                        self.check_pat(&fp.pat, &def.fields()[i].ty.clone(), binds, irrefutable)?;
                }
                Ok(mk(PatKind::Struct(adt, subs), ty))
            }
            syn::Pat::Verbatim(ts) => {
                // negative literal patterns, e.g. `-1`
                if let Ok(e) = syn::parse2::<syn::Expr>(ts.clone()) {
                    let ety = self.resolved(ty, loc)?;
                    if let Ok(v) = self.const_int(&e, &ety) {
                        let it = match ety {
                            Ty::Int(it) => it,
                            _ => IntTy::I64,
                        };
                        return Ok(mk(PatKind::Lit(Lit::Int(v, it)), ty));
                    }
                }
                Err(Diagnostic::new(loc, "this pattern is not supported")
                    .help("see docs/dsl.md for the accepted patterns"))
            }
            syn::Pat::Slice(_) => Err(Diagnostic::new(loc, "slice patterns are not supported")
                .help("index the array or list with `.get(i)`")),
            syn::Pat::Type(_) => Err(Diagnostic::new(
                loc,
                "type ascription inside patterns is not supported",
            )
            .help("annotate the whole `let`")),
            _ => Err(Diagnostic::new(loc, "this pattern is not supported")
                .help("see docs/dsl.md for the accepted patterns")),
        }
    }

    /// A conservative exhaustiveness check (rustc does the precise one on the untranslated
    /// build): every variant of an enum, `Option`, `Result` or `bool` must appear in an arm
    /// without a guard, `u8` matches must cover 0..=255, other types need a catch-all arm.
    fn check_exhaustive(&self, ty: &Ty, arms: &[Arm], loc: Loc) -> DResult<()> {
        if arms
            .iter()
            .any(|a| a.guard.is_none() && pat_irrefutable(&a.pat))
        {
            return Ok(());
        }
        fn tops<'a>(p: &'a Pat, out: &mut Vec<&'a Pat>) {
            match &p.kind {
                PatKind::Or(ps) => ps.iter().for_each(|p| tops(p, out)),
                PatKind::Bind(_, Some(s)) => tops(s, out),
                _ => out.push(p),
            }
        }
        let mut pats = Vec::new();
        for a in arms.iter().filter(|a| a.guard.is_none()) {
            tops(&a.pat, &mut pats);
        }
        let ty = self.zonk(ty);
        let has_variant = |vr: VariantRef| {
            pats.iter()
                .any(|p| matches!(&p.kind, PatKind::Variant(v, _) if *v == vr))
        };
        let missing: Option<String> = match &ty {
            Ty::Adt(a) | Ty::Gc(a) if self.prog.adt(*a).is_enum() => {
                let adt = self.prog.adt(*a);
                (0..adt.variants().len())
                    .find(|i| !has_variant(VariantRef::Adt(*a, *i as u32)))
                    .map(|i| format!("`{}::{}`", adt.name, adt.variants()[i].name))
            }
            Ty::Option(_) => [
                (VariantRef::Some, "`Some(_)`"),
                (VariantRef::None, "`None`"),
            ]
            .into_iter()
            .find(|(v, _)| !has_variant(*v))
            .map(|(_, n)| n.to_string()),
            Ty::Result(..) => [(VariantRef::Ok, "`Ok(_)`"), (VariantRef::Err, "`Err(_)`")]
                .into_iter()
                .find(|(v, _)| !has_variant(*v))
                .map(|(_, n)| n.to_string()),
            Ty::Bool => [true, false]
                .into_iter()
                .find(|b| {
                    !pats
                        .iter()
                        .any(|p| matches!(&p.kind, PatKind::Lit(Lit::Bool(x)) if x == b))
                })
                .map(|b| format!("`{b}`")),
            Ty::Int(IntTy::U8) => {
                let mut covered = [false; 256];
                for p in &pats {
                    match &p.kind {
                        PatKind::Lit(Lit::Int(v, _)) if (0..256).contains(v) => {
                            covered[*v as usize] = true
                        }
                        PatKind::Range(lo, hi) => {
                            for v in (*lo).max(0)..=(*hi).min(255) {
                                covered[v as usize] = true;
                            }
                        }
                        _ => {}
                    }
                }
                covered.iter().position(|c| !c).map(|v| format!("`{v}_u8`"))
            }
            Ty::Tuple(_) | Ty::Adt(_) => None,
            _ => Some("`_`".to_string()),
        };
        match missing {
            Some(m) => Err(Diagnostic::new(
                loc,
                format!("non-exhaustive patterns: {m} not covered"),
            )
            .help("add an arm for it, or a catch-all `_ => ...` arm")),
            None => Ok(()),
        }
    }

    /// `let tmp = e;` and the expression reading `tmp`: forces an evaluation order.
    fn let_temp(&mut self, e: Expr) -> (Stmt, Expr) {
        let (ty, loc) = (e.ty.clone(), e.loc);
        let t = self.temp(ty.clone());
        (
            Stmt::Let(
                Pat {
                    kind: PatKind::Bind(t, None),
                    ty: ty.clone(),
                    loc,
                },
                e,
            ),
            Expr {
                kind: ExprKind::Local(t),
                ty,
                loc,
            },
        )
    }

    /// Opens a scope holding the bindings of a refutable pattern matched against `ty` (the caller
    /// pops it).
    fn open_pat_scope(&mut self, p: &syn::Pat, ty: &Ty) -> DResult<Pat> {
        self.scopes.push(HashMap::new());
        let mut binds = HashMap::new();
        let pat = self.check_pat(p, ty, &mut binds, false)?;
        for (n, id) in binds {
            self.scopes.last_mut().expect("scope").insert(n, id);
        }
        Ok(pat)
    }

    fn const_int(&self, e: &syn::Expr, ty: &Ty) -> DResult<i64> {
        let loc = self.loc(e.span());
        match e {
            syn::Expr::Lit(l) => match &l.lit {
                syn::Lit::Int(i) => parse_int_lit(i).ok_or_else(|| {
                    Diagnostic::new(loc, "integer literal out of range").help("use a smaller value")
                }),
                syn::Lit::Byte(b) => Ok(b.value() as i64),
                _ => Err(Diagnostic::new(loc, "expected an integer constant")
                    .help("range patterns take integer or byte literals")),
            },
            syn::Expr::Unary(u) if matches!(u.op, syn::UnOp::Neg(_)) => {
                Ok(-self.const_int(&u.expr, ty)?)
            }
            syn::Expr::Path(p) => {
                match self
                    .prog
                    .resolve_path(self.module, &path_segs(&p.path), loc)?
                {
                    (Item::Const(c), r) if r.is_empty() => {
                        match self.prog.consts[c.0 as usize].value {
                            ConstValue::Int(v, _) => Ok(v),
                            _ => Err(Diagnostic::new(loc, "expected an integer constant")
                                .help("use an integer constant")),
                        }
                    }
                    (Item::Builtin(b), r) if r.len() == 1 => {
                        match (IntTy::from_name(&b), r[0].as_str()) {
                            (Some(it), "MAX") => Ok(int_max(it)),
                            (Some(it), "MIN") => Ok(int_min(it)),
                            _ => Err(Diagnostic::new(loc, "expected an integer constant")
                                .help("use a literal")),
                        }
                    }
                    _ => {
                        Err(Diagnostic::new(loc, "expected an integer constant")
                            .help("use a literal"))
                    }
                }
            }
            _ => {
                let _ = ty;
                Err(Diagnostic::new(loc, "expected an integer constant").help("use a literal"))
            }
        }
    }

    fn resolve_adt_path(&self, segs: &[String], loc: Loc) -> DResult<Option<AdtId>> {
        if segs == ["Self"] {
            return Ok(self.self_adt);
        }
        match self.prog.resolve_path(self.module, segs, loc)? {
            (Item::Adt(a), r) if r.is_empty() => Ok(Some(a)),
            _ => Ok(None),
        }
    }

    /// Resolves a variant path: returns the variant and its payload types (with `owner` the type
    /// the scrutinee must have).
    fn resolve_variant(
        &mut self,
        segs: &[String],
        loc: Loc,
    ) -> DResult<Option<(VariantRef, Vec<Ty>, Ty)>> {
        let (item, rest) = if segs[0] == "Self" {
            match self.self_adt {
                Some(a) => (Item::Adt(a), segs[1..].to_vec()),
                None => {
                    return Err(Diagnostic::new(loc, "`Self` outside an `impl` block")
                        .help("name the type"))
                }
            }
        } else {
            match self.prog.resolve_path(self.module, segs, loc) {
                Ok(x) => x,
                Err(_) if segs.len() == 1 => return Ok(None),
                Err(e) => return Err(e),
            }
        };
        match (item, rest.as_slice()) {
            (Item::Adt(a), [v]) if self.prog.adt(a).is_enum() => {
                let def = self.prog.adt(a);
                let Some(i) = def.variants().iter().position(|x| &x.name == v) else {
                    return Err(Diagnostic::new(
                        loc,
                        format!("`{}` has no variant `{v}`", def.name),
                    )
                    .help("check the variant name"));
                };
                let owner = if def.is_value { Ty::Adt(a) } else { Ty::Gc(a) };
                Ok(Some((
                    VariantRef::Adt(a, i as u32),
                    def.variants()[i].fields.clone(),
                    owner,
                )))
            }
            (Item::Variant(a, i), []) => {
                let def = self.prog.adt(a);
                let owner = if def.is_value { Ty::Adt(a) } else { Ty::Gc(a) };
                Ok(Some((
                    VariantRef::Adt(a, i),
                    def.variants()[i as usize].fields.clone(),
                    owner,
                )))
            }
            (Item::Builtin(b), []) => {
                let t = self.fresh(false);
                let e = self.fresh(false);
                Ok(match b.as_str() {
                    "Some" => Some((VariantRef::Some, vec![t.clone()], Ty::Option(Box::new(t)))),
                    "None" => Some((VariantRef::None, vec![], Ty::Option(Box::new(t)))),
                    "Ok" => Some((
                        VariantRef::Ok,
                        vec![t.clone()],
                        Ty::Result(Box::new(t), Box::new(e)),
                    )),
                    "Err" => Some((
                        VariantRef::Err,
                        vec![e.clone()],
                        Ty::Result(Box::new(t), Box::new(e)),
                    )),
                    _ => None,
                })
            }
            _ => Ok(None),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn variant_pat(
        &mut self,
        segs: &[String],
        elems: &[&syn::Pat],
        tuple: Option<()>,
        ty: &Ty,
        binds: &mut HashMap<String, LocalId>,
        loc: Loc,
        irrefutable: bool,
    ) -> DResult<Pat> {
        if tuple.is_none() {
            // `i64::MIN`-style constants in patterns
            if let Ok((Item::Builtin(b), r)) = self.prog.resolve_path(self.module, segs, loc) {
                if let (Some(it), [name]) = (IntTy::from_name(&b), r.as_slice()) {
                    let v = match name.as_str() {
                        "MAX" => int_max(it),
                        "MIN" => int_min(it),
                        _ => {
                            return Err(Diagnostic::new(
                                loc,
                                format!("unknown constant `{b}::{name}`"),
                            )
                            .help("use `MAX` or `MIN`"))
                        }
                    };
                    self.unify(&Ty::Int(it), ty, loc)?;
                    return Ok(Pat {
                        kind: PatKind::Lit(Lit::Int(v, it)),
                        ty: ty.clone(),
                        loc,
                    });
                }
            }
            // constants in patterns
            if let Ok((Item::Const(c), r)) = self.prog.resolve_path(self.module, segs, loc) {
                if r.is_empty() {
                    let cd = &self.prog.consts[c.0 as usize];
                    self.unify(&cd.ty, ty, loc)?;
                    return Ok(Pat {
                        kind: PatKind::Lit(const_lit(&cd.value)),
                        ty: ty.clone(),
                        loc,
                    });
                }
            }
        }
        let Some((vr, ftys, owner)) = self.resolve_variant(segs, loc)? else {
            return Err(Diagnostic::new(
                loc,
                format!("`{}` is not an enum variant", segs.join("::")),
            )
            .help(
                "match on variants `Enum::Variant(..)`, `Some(..)`, `None`, `Ok(..)`, `Err(..)`",
            ));
        };
        self.unify(&owner, ty, loc).map_err(|_| {
            Diagnostic::new(
                loc,
                format!(
                    "this pattern matches `{}` but the value has type `{}`",
                    self.ts(&owner),
                    self.ts(ty)
                ),
            )
            .help("match the scrutinee's own variants")
        })?;
        if elems.len() != ftys.len() {
            return Err(Diagnostic::new(
                loc,
                format!(
                    "this variant has {} field(s) but the pattern has {}",
                    ftys.len(),
                    elems.len()
                ),
            )
            .help("write one sub-pattern per field (`_` to ignore one)"));
        }
        let mut ps = Vec::new();
        for (sp, ft) in elems.iter().zip(&ftys) {
            if let syn::Pat::Rest(_) = sp {
                return Err(Diagnostic::new(
                    self.loc(sp.span()),
                    "`..` in variant patterns is not supported",
                )
                .help("write one pattern per field"));
            }
            ps.push(self.check_pat(sp, ft, binds, irrefutable)?);
        }
        Ok(Pat {
            kind: PatKind::Variant(vr, ps),
            ty: ty.clone(),
            loc,
        })
    }

    // ---- expressions ----

    fn check_lit(&mut self, l: &syn::Lit, loc: Loc) -> DResult<(Lit, Ty)> {
        Ok(match l {
            syn::Lit::Int(i) => {
                let v = parse_int_lit(i).ok_or_else(|| {
                    Diagnostic::new(loc, "integer literal out of range")
                        .help("integers are at most 64 bits")
                })?;
                match i.suffix() {
                    "" => {
                        let t = self.fresh(true);
                        (Lit::Int(v, IntTy::I64), t)
                    }
                    "f64" => (Lit::Float(v as f64), Ty::F64),
                    s => match IntTy::from_name(s) {
                        Some(it) if !crate::program::int_fits(v, it) => {
                            return Err(Diagnostic::new(
                                loc,
                                format!("integer literal out of range for `{}`", it.name()),
                            )
                            .help(format!(
                                "`{}` holds {}..={}",
                                it.name(),
                                crate::program::int_min(it),
                                crate::program::int_max_str(it)
                            )));
                        }
                        Some(it) => (Lit::Int(it.wrap(v), it), Ty::Int(it)),
                        None => {
                            return Err(Diagnostic::new(
                                loc,
                                format!("unsupported literal suffix `{s}`"),
                            )
                            .help("use i64, u64, usize, u8, i32 or u32"))
                        }
                    },
                }
            }
            syn::Lit::Float(f) => {
                if !matches!(f.suffix(), "" | "f64") {
                    return Err(Diagnostic::new(loc, "only `f64` floats are supported")
                        .help("remove the suffix or write `f64`"));
                }
                (
                    Lit::Float(f.base10_parse::<f64>().map_err(|_| {
                        Diagnostic::new(loc, "bad float literal").help("write a decimal float")
                    })?),
                    Ty::F64,
                )
            }
            syn::Lit::Bool(b) => (Lit::Bool(b.value), Ty::Bool),
            syn::Lit::Byte(b) => (Lit::Int(b.value() as i64, IntTy::U8), Ty::Int(IntTy::U8)),
            syn::Lit::Str(_) => {
                return Err(Diagnostic::new(
                    loc,
                    "string literals are only accepted as `Str::from(\"...\")`",
                )
                .help("write `Str::from(\"...\")`"))
            }
            syn::Lit::Char(_) => {
                return Err(Diagnostic::new(loc, "`char` literals are not supported")
                    .help("use a byte literal `b'x'` (type u8)"))
            }
            syn::Lit::ByteStr(_) => {
                return Err(
                    Diagnostic::new(loc, "byte string literals are not supported")
                        .help("use `Str::from(\"...\")`"),
                )
            }
            _ => {
                return Err(Diagnostic::new(loc, "unsupported literal")
                    .help("see docs/dsl.md for the accepted literals"))
            }
        })
    }

    fn check_expr(&mut self, e: &syn::Expr) -> DResult<Expr> {
        let ex = self.check_expr_inner(e)?;
        if let Ty::Mut(_) | Ty::QuasiImmut(_) = self.shallow(&ex.ty) {
            return Err(
                Diagnostic::new(ex.loc, "a `Mut`/`QuasiImmut` field is used as a value")
                    .help("read it with `.get()` and write it with `.set(value)`"),
            );
        }
        Ok(ex)
    }

    fn check_expr_inner(&mut self, e: &syn::Expr) -> DResult<Expr> {
        let loc = self.loc(e.span());
        let mk = |kind, ty| Ok(Expr { kind, ty, loc });
        match e {
            syn::Expr::Lit(l) => {
                let (lit, ty) = self.check_lit(&l.lit, loc)?;
                mk(ExprKind::Lit(lit), ty)
            }
            syn::Expr::Paren(p) => self.check_expr_inner(&p.expr),
            syn::Expr::Group(g) => self.check_expr_inner(&g.expr),
            syn::Expr::Reference(r) => {
                if r.mutability.is_some() {
                    return Err(Diagnostic::new(loc, "`&mut` is not supported")
                        .help("mutate through `Mut<T>` fields, arrays, lists or maps"));
                }
                self.check_expr(&r.expr)
            }
            syn::Expr::Unary(u) => match u.op {
                syn::UnOp::Deref(_) => self.check_expr(&u.expr),
                syn::UnOp::Neg(_) => {
                    let x = self.check_expr(&u.expr)?;
                    let t = self.shallow(&x.ty);
                    match &t {
                        Ty::Int(it) if !it.signed() => return Err(Diagnostic::new(loc, format!("cannot negate an unsigned `{}`", it.name())).help("use `wrapping_neg` semantics via `0u64.wrapping_sub(x)`, or a signed type")),
                        Ty::Int(_) | Ty::F64 | Ty::Var(_) => {}
                        _ => return Err(Diagnostic::new(loc, format!("cannot negate `{}`", self.ts(&t))).help("negate integers or floats")),
                    }
                    let ty = x.ty.clone();
                    mk(ExprKind::Unary(UnOp::Neg, Box::new(x)), ty)
                }
                syn::UnOp::Not(_) => {
                    let x = self.check_expr(&u.expr)?;
                    let t = self.shallow(&x.ty);
                    if !matches!(t, Ty::Bool | Ty::Int(_) | Ty::Var(_)) {
                        return Err(Diagnostic::new(
                            loc,
                            format!("cannot apply `!` to `{}`", self.ts(&t)),
                        )
                        .help("`!` takes a bool (logical not) or an integer (bitwise not)"));
                    }
                    let ty = x.ty.clone();
                    mk(ExprKind::Unary(UnOp::Not, Box::new(x)), ty)
                }
                _ => {
                    Err(Diagnostic::new(loc, "unsupported unary operator").help("see docs/dsl.md"))
                }
            },
            syn::Expr::Binary(b) => self.check_binary(b, loc),
            syn::Expr::Cast(c) => {
                let x = self.check_expr(&c.expr)?;
                let to = crate::program::resolve_type(
                    self.prog,
                    self.module,
                    self.file,
                    &c.ty,
                    self.self_adt,
                )?;
                let from = self.shallow(&x.ty);
                let ok_from = matches!(from, Ty::Int(_) | Ty::F64 | Ty::Bool | Ty::Var(_));
                let ok_to = matches!(to, Ty::Int(_) | Ty::F64);
                if !ok_from || !ok_to || (from == Ty::Bool && to == Ty::F64) {
                    return Err(Diagnostic::new(loc, format!("cannot cast `{}` to `{}`", self.ts(&from), self.ts(&to))).help("`as` converts between integer types, integers and f64, and from bool to integers"));
                }
                mk(ExprKind::Cast(Box::new(x)), to)
            }
            syn::Expr::Path(p) => self.check_path_expr(p, loc),
            syn::Expr::Call(c) => self.check_call(c, loc),
            syn::Expr::MethodCall(m) => self.check_method(m, loc),
            syn::Expr::Field(f) => self.check_field(f, loc),
            syn::Expr::Tuple(t) => {
                if t.elems.is_empty() {
                    return mk(ExprKind::Lit(Lit::Unit), Ty::Unit);
                }
                let es = t
                    .elems
                    .iter()
                    .map(|x| self.check_expr(x))
                    .collect::<DResult<Vec<_>>>()?;
                let ty = Ty::Tuple(es.iter().map(|x| x.ty.clone()).collect());
                mk(ExprKind::Tuple(es), ty)
            }
            syn::Expr::Struct(s) => {
                let segs = path_segs(&s.path);
                let Some(adt) = self.resolve_adt_path(&segs, loc)? else {
                    return Err(Diagnostic::new(
                        loc,
                        format!("`{}` is not a struct", segs.join("::")),
                    )
                    .help("name a struct of the program"));
                };
                if !self.prog.adt(adt).is_value {
                    return Err(Diagnostic::new(loc, format!("`{}` is a GC struct: its literal must be allocated with `Gc::new(...)`", self.prog.adt(adt).name)).help(format!("write `Gc::new({} {{ ... }})`", self.prog.adt(adt).name)));
                }
                let (lets, fields) = self.struct_fields(s, adt, loc)?;
                let e = Expr {
                    kind: ExprKind::Struct(adt, fields),
                    ty: Ty::Adt(adt),
                    loc,
                };
                Ok(if lets.is_empty() {
                    e
                } else {
                    Expr {
                        kind: ExprKind::Block(lets, Some(Box::new(e))),
                        ty: Ty::Adt(adt),
                        loc,
                    }
                })
            }
            syn::Expr::Block(b) => {
                if b.label.is_some() {
                    return Err(Diagnostic::new(loc, "labeled blocks are not supported")
                        .help("use a labeled `loop` with `break`"));
                }
                self.check_block(&b.block)
            }
            syn::Expr::If(i) => self.check_if(i, loc),
            syn::Expr::Match(m) => {
                let scrut = self.check_expr(&m.expr)?;
                let mut arms = Vec::new();
                let mut ty = Ty::Never;
                for a in &m.arms {
                    let st = scrut.ty.clone();
                    let pat = self.open_pat_scope(&a.pat, &st)?;
                    let guard = match &a.guard {
                        Some((_, g)) => {
                            let g = self.check_expr(g)?;
                            self.unify(&g.ty, &Ty::Bool, g.loc)?;
                            Some(g)
                        }
                        None => None,
                    };
                    let body = self.check_expr(&a.body)?;
                    self.scopes.pop();
                    ty = self.join(&ty, &body.ty, body.loc)?;
                    arms.push(Arm { pat, guard, body });
                }
                self.check_exhaustive(&scrut.ty, &arms, scrut.loc)?;
                mk(ExprKind::Match(Box::new(scrut), arms), ty)
            }
            syn::Expr::Loop(l) => {
                let user = l.label.as_ref().map(|x| x.name.ident.to_string());
                let bt = self.fresh(false);
                self.push_loop(user, bt, false);
                let body = self.check_loop_body(&l.body);
                let ctx = self.loops.pop().expect("loop");
                let body = body?;
                let ty = if ctx.broke { ctx.break_ty } else { Ty::Never };
                mk(ExprKind::Loop(Some(ctx.label), Box::new(body)), ty)
            }
            syn::Expr::While(w) => self.check_while(w, loc),
            syn::Expr::ForLoop(f) => self.check_for(f, loc),
            syn::Expr::Break(b) => {
                let idx = self.find_loop(b.label.as_ref(), loc)?;
                let value = match &b.expr {
                    Some(v) => {
                        if self.loops[idx].valueless {
                            return Err(Diagnostic::new(
                                loc,
                                "`break` with a value inside `while`/`for`",
                            )
                            .help("only `loop` can produce a value"));
                        }
                        let x = self.check_expr(v)?;
                        let bt = self.loops[idx].break_ty.clone();
                        self.unify(&x.ty, &bt, x.loc)?;
                        Some(Box::new(x))
                    }
                    None => {
                        let bt = self.loops[idx].break_ty.clone();
                        self.unify(&Ty::Unit, &bt, loc)?;
                        None
                    }
                };
                self.loops[idx].broke = true;
                let label = self.loops[idx].label.clone();
                mk(ExprKind::Break(Some(label), value), Ty::Never)
            }
            syn::Expr::Continue(c) => {
                let idx = self.find_loop(c.label.as_ref(), loc)?;
                let label = self.loops[idx].label.clone();
                mk(ExprKind::Continue(Some(label)), Ty::Never)
            }
            syn::Expr::Return(r) => {
                let ret = self.ret.clone();
                let value = match &r.expr {
                    Some(v) => {
                        let x = self.check_expr(v)?;
                        self.unify(&x.ty, &ret, x.loc)?;
                        Some(Box::new(x))
                    }
                    None => {
                        self.unify(&Ty::Unit, &ret, loc)?;
                        None
                    }
                };
                mk(ExprKind::Return(value), Ty::Never)
            }
            syn::Expr::Assign(a) => {
                let id = self.assign_target(&a.left)?;
                let x = self.check_expr(&a.right)?;
                let lt = self.locals[id.0 as usize].ty.clone();
                self.unify(&x.ty, &lt, x.loc)?;
                mk(ExprKind::Assign(id, Box::new(x)), Ty::Unit)
            }
            syn::Expr::Try(t) => self.check_try(t, loc),
            syn::Expr::Macro(m) => self.check_macro(&m.mac, loc),
            syn::Expr::Index(_) => Err(Diagnostic::new(loc, "indexing with `[]` is not supported")
                .help("use `.get(i)` and `.set(i, value)` on `GcArray`/`GcList`")),
            syn::Expr::Closure(_) => Err(Diagnostic::new(loc, "closures are not supported")
                .help("write a named function (and pass its data as arguments)")),
            syn::Expr::Range(_) => Err(Diagnostic::new(
                loc,
                "ranges are only supported in `for` loops and patterns",
            )
            .help("use `for i in a..b`")),
            syn::Expr::Let(_) => Err(Diagnostic::new(
                loc,
                "`let` is only accepted directly in `if let` and `while let`",
            )
            .help("use `match`, or one `if let` without `&&`")),
            syn::Expr::Array(_) | syn::Expr::Repeat(_) => {
                Err(Diagnostic::new(loc, "array expressions are not supported")
                    .help("build a `GcArray::new(len, init)` or a `GcList` and fill it"))
            }
            syn::Expr::Unsafe(_) => Err(Diagnostic::new(loc, "`unsafe` blocks are not supported")
                .help("move unsafe code into a `#[vmkit::host]` function")),
            syn::Expr::Async(_) | syn::Expr::Await(_) => {
                Err(Diagnostic::new(loc, "`async`/`.await` are not supported")
                    .help("write plain functions"))
            }
            syn::Expr::Const(_) => {
                Err(Diagnostic::new(loc, "`const` blocks are not supported")
                    .help("use a `const` item"))
            }
            _ => Err(
                Diagnostic::new(loc, "this expression is not supported in the DSL")
                    .help("see docs/dsl.md for the accepted expressions"),
            ),
        }
    }

    fn push_loop(&mut self, user: Option<String>, break_ty: Ty, valueless: bool) {
        self.nlabels += 1;
        let label = match &user {
            Some(u) => format!("{u}#{}", self.nlabels),
            None => format!("#{}", self.nlabels),
        };
        self.loops.push(LoopCtx {
            label,
            user_label: user,
            break_ty,
            broke: false,
            valueless,
        });
    }

    fn find_loop(&self, label: Option<&syn::Lifetime>, loc: Loc) -> DResult<usize> {
        match label {
            None => {
                if self.loops.is_empty() {
                    return Err(Diagnostic::new(loc, "`break`/`continue` outside a loop")
                        .help("remove it, or `return` from the function"));
                }
                Ok(self.loops.len() - 1)
            }
            Some(l) => {
                let name = l.ident.to_string();
                self.loops
                    .iter()
                    .rposition(|c| c.user_label.as_deref() == Some(name.as_str()))
                    .ok_or_else(|| {
                        Diagnostic::new(loc, format!("no enclosing loop labeled `'{name}`"))
                            .help("label the loop: `'name: loop { ... }`")
                    })
            }
        }
    }

    fn check_loop_body(&mut self, b: &syn::Block) -> DResult<Expr> {
        self.merge_point_ok = true;
        let r = self.check_block(b);
        self.merge_point_ok = false;
        r
    }

    fn assign_target(&mut self, lhs: &syn::Expr) -> DResult<LocalId> {
        let loc = self.loc(lhs.span());
        match lhs {
            syn::Expr::Path(p) if p.path.segments.len() == 1 => {
                let name = p.path.segments[0].ident.to_string();
                let Some(id) = self.lookup_local(&name) else {
                    return Err(Diagnostic::new(loc, format!("cannot assign to `{name}`: not a local variable")).help("constants and functions cannot be assigned"));
                };
                if !self.locals[id.0 as usize].mutable {
                    return Err(Diagnostic::new(loc, format!("cannot assign twice to immutable variable `{name}`")).help(format!("declare it with `let mut {name}`")));
                }
                Ok(id)
            }
            syn::Expr::Field(_) => Err(Diagnostic::new(loc, "assignment to a field").help("declare the field as `Mut<T>` in a GC struct and write `obj.field.set(value)`; value structs are rebuilt, not mutated")),
            syn::Expr::Index(_) => Err(Diagnostic::new(loc, "assignment through `[]`").help("use `.set(i, value)`")),
            syn::Expr::Unary(_) => Err(Diagnostic::new(loc, "assignment through a dereference").help("use `Mut<T>` fields and `.set(value)`")),
            _ => Err(Diagnostic::new(loc, "unsupported assignment target").help("assign to a `let mut` local variable")),
        }
    }

    fn check_binary(&mut self, b: &syn::ExprBinary, loc: Loc) -> DResult<Expr> {
        use syn::BinOp as B;
        let (op, assign) = match b.op {
            B::Add(_) => (BinOp::Add, false),
            B::Sub(_) => (BinOp::Sub, false),
            B::Mul(_) => (BinOp::Mul, false),
            B::Div(_) => (BinOp::Div, false),
            B::Rem(_) => (BinOp::Rem, false),
            B::BitAnd(_) => (BinOp::And, false),
            B::BitOr(_) => (BinOp::Or, false),
            B::BitXor(_) => (BinOp::Xor, false),
            B::Shl(_) => (BinOp::Shl, false),
            B::Shr(_) => (BinOp::Shr, false),
            B::Eq(_) => (BinOp::Eq, false),
            B::Ne(_) => (BinOp::Ne, false),
            B::Lt(_) => (BinOp::Lt, false),
            B::Le(_) => (BinOp::Le, false),
            B::Gt(_) => (BinOp::Gt, false),
            B::Ge(_) => (BinOp::Ge, false),
            B::AddAssign(_) => (BinOp::Add, true),
            B::SubAssign(_) => (BinOp::Sub, true),
            B::MulAssign(_) => (BinOp::Mul, true),
            B::DivAssign(_) => (BinOp::Div, true),
            B::RemAssign(_) => (BinOp::Rem, true),
            B::BitAndAssign(_) => (BinOp::And, true),
            B::BitOrAssign(_) => (BinOp::Or, true),
            B::BitXorAssign(_) => (BinOp::Xor, true),
            B::ShlAssign(_) => (BinOp::Shl, true),
            B::ShrAssign(_) => (BinOp::Shr, true),
            B::And(_) | B::Or(_) => {
                let l = self.check_expr(&b.left)?;
                self.unify(&l.ty, &Ty::Bool, l.loc)?;
                let r = self.check_expr(&b.right)?;
                self.unify(&r.ty, &Ty::Bool, r.loc)?;
                let kind = if matches!(b.op, B::And(_)) {
                    ExprKind::LogicAnd(Box::new(l), Box::new(r))
                } else {
                    ExprKind::LogicOr(Box::new(l), Box::new(r))
                };
                return Ok(Expr {
                    kind,
                    ty: Ty::Bool,
                    loc,
                });
            }
            _ => return Err(Diagnostic::new(loc, "unsupported operator").help("see docs/dsl.md")),
        };
        if assign {
            let id = self.assign_target(&b.left)?;
            let lt = self.locals[id.0 as usize].ty.clone();
            let lhs = Expr {
                kind: ExprKind::Local(id),
                ty: lt,
                loc: self.loc(b.left.span()),
            };
            // Rust evaluates the right-hand side of a compound assignment first (primitives).
            let rhs = self.check_expr(&b.right)?;
            let (let_rhs, rhs) = self.let_temp(rhs);
            let value = self.binop(op, lhs, rhs, loc)?;
            let assign = Expr {
                kind: ExprKind::Assign(id, Box::new(value)),
                ty: Ty::Unit,
                loc,
            };
            return Ok(Expr {
                kind: ExprKind::Block(vec![let_rhs, Stmt::Expr(assign)], None),
                ty: Ty::Unit,
                loc,
            });
        }
        let l = self.check_expr(&b.left)?;
        let r = self.check_expr(&b.right)?;
        self.binop(op, l, r, loc)
    }

    fn binop(&mut self, op: BinOp, l: Expr, r: Expr, loc: Loc) -> DResult<Expr> {
        if matches!(op, BinOp::Shl | BinOp::Shr) {
            let lt = self.shallow(&l.ty);
            if !matches!(lt, Ty::Int(_) | Ty::Var(_)) {
                return Err(
                    Diagnostic::new(loc, format!("cannot shift `{}`", self.ts(&lt)))
                        .help("shift integers"),
                );
            }
            let rt = self.shallow(&r.ty);
            if !matches!(rt, Ty::Int(_) | Ty::Var(_)) {
                return Err(
                    Diagnostic::new(r.loc, "the shift amount must be an integer")
                        .help("shift by an integer"),
                );
            }
            let ty = l.ty.clone();
            return Ok(Expr {
                kind: ExprKind::Binary(op, Box::new(l), Box::new(r)),
                ty,
                loc,
            });
        }
        self.unify(&r.ty, &l.ty, r.loc)?;
        let t = self.shallow(&l.ty);
        let ok = match op {
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem => {
                matches!(t, Ty::Int(_) | Ty::F64 | Ty::Var(_))
            }
            BinOp::And | BinOp::Or | BinOp::Xor => matches!(t, Ty::Int(_) | Ty::Bool | Ty::Var(_)),
            BinOp::Eq | BinOp::Ne => matches!(
                t,
                Ty::Int(_) | Ty::F64 | Ty::Bool | Ty::Str | Ty::Var(_) | Ty::Unit
            ),
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                matches!(t, Ty::Int(_) | Ty::F64 | Ty::Var(_))
            }
            BinOp::Shl | BinOp::Shr => true,
        };
        if !ok {
            let help = match t {
                Ty::Gc(_) => "compare references with `Gc::ptr_eq(a, b)`",
                Ty::Option(_) => "use `.is_some()`/`.is_none()` or `match`",
                Ty::Adt(_) => "compare with `matches!(x, Enum::Variant(..))` or compare the fields",
                Ty::Str if op == BinOp::Add => {
                    "concatenate strings with `a.concat(b)` (or a `StrBuilder`)"
                }
                Ty::Str => "strings support `==`/`!=`; order them with `.compare(other)`",
                _ => "see docs/dsl.md for the operators each type supports",
            };
            return Err(Diagnostic::new(
                loc,
                format!(
                    "operator `{}` is not supported for `{}`",
                    op.symbol(),
                    self.ts(&t)
                ),
            )
            .help(help));
        }
        if t == Ty::Str {
            let eq = Expr {
                kind: ExprKind::Builtin(Builtin::StrEq, vec![l, r]),
                ty: Ty::Bool,
                loc,
            };
            return Ok(if op == BinOp::Ne {
                Expr {
                    kind: ExprKind::Unary(UnOp::Not, Box::new(eq)),
                    ty: Ty::Bool,
                    loc,
                }
            } else {
                eq
            });
        }
        let ty = if op.is_cmp() { Ty::Bool } else { l.ty.clone() };
        Ok(Expr {
            kind: ExprKind::Binary(op, Box::new(l), Box::new(r)),
            ty,
            loc,
        })
    }

    fn check_if(&mut self, i: &syn::ExprIf, loc: Loc) -> DResult<Expr> {
        if let syn::Expr::Let(l) = &*i.cond {
            // if let PAT = EXPR { then } else { else }  =>  match EXPR { PAT => then, _ => else }
            let scrut = self.check_expr(&l.expr)?;
            let st = scrut.ty.clone();
            let pat = self.open_pat_scope(&l.pat, &st)?;
            let then = self.check_block(&i.then_branch);
            self.scopes.pop();
            let then = then?;
            let els = match &i.else_branch {
                Some((_, e)) => self.check_expr(e)?,
                None => unit_expr(loc),
            };
            let ty = if i.else_branch.is_some() {
                self.join(&then.ty, &els.ty, value_loc(&els))?
            } else {
                self.unify(&then.ty, &Ty::Unit, then.loc).map_err(|_| {
                    Diagnostic::new(then.loc, "`if let` without `else` must have type `()`")
                        .help("add an `else` branch or end the block with `;`")
                })?;
                Ty::Unit
            };
            let wild = Pat {
                kind: PatKind::Wild,
                ty: st,
                loc,
            };
            let arms = vec![
                Arm {
                    pat,
                    guard: None,
                    body: then,
                },
                Arm {
                    pat: wild,
                    guard: None,
                    body: els,
                },
            ];
            return Ok(Expr {
                kind: ExprKind::Match(Box::new(scrut), arms),
                ty,
                loc,
            });
        }
        if let syn::Expr::Binary(b) = &*i.cond {
            let let_expr = [&*b.left, &*b.right]
                .into_iter()
                .find(|e| matches!(e, syn::Expr::Let(_)));
            if let Some(le) = let_expr {
                return Err(
                    Diagnostic::new(self.loc(le.span()), "`let` chains are not supported")
                        .help("nest an `if` inside the `if let`"),
                );
            }
        }
        let c = self.check_expr(&i.cond)?;
        self.unify(&c.ty, &Ty::Bool, c.loc)?;
        let then = self.check_block(&i.then_branch)?;
        match &i.else_branch {
            Some((_, e)) => {
                let els = self.check_expr(e)?;
                let ty = self.join(&then.ty, &els.ty, value_loc(&els))?;
                Ok(Expr {
                    kind: ExprKind::If(Box::new(c), Box::new(then), Some(Box::new(els))),
                    ty,
                    loc,
                })
            }
            None => {
                let tt = self.shallow(&then.ty);
                if tt != Ty::Never {
                    self.unify(&then.ty, &Ty::Unit, then.loc).map_err(|_| {
                        Diagnostic::new(then.loc, "`if` without `else` must have type `()`")
                            .help("add an `else` branch or end the block with `;`")
                    })?;
                }
                Ok(Expr {
                    kind: ExprKind::If(Box::new(c), Box::new(then), None),
                    ty: Ty::Unit,
                    loc,
                })
            }
        }
    }

    fn check_while(&mut self, w: &syn::ExprWhile, loc: Loc) -> DResult<Expr> {
        let user = w.label.as_ref().map(|x| x.name.ident.to_string());
        self.push_loop(user, Ty::Unit, true);
        let r = self.check_while_inner(w, loc);
        let ctx = self.loops.pop().expect("loop");
        let body = r?;
        Ok(Expr {
            kind: ExprKind::Loop(Some(ctx.label), Box::new(body)),
            ty: Ty::Unit,
            loc,
        })
    }

    fn brk(&self, loc: Loc) -> Expr {
        let label = self.loops.last().expect("loop").label.clone();
        Expr {
            kind: ExprKind::Break(Some(label), None),
            ty: Ty::Never,
            loc,
        }
    }

    fn check_while_inner(&mut self, w: &syn::ExprWhile, loc: Loc) -> DResult<Expr> {
        self.loops.last_mut().expect("loop").broke = true;
        if let syn::Expr::Let(l) = &*w.cond {
            let scrut = self.check_expr(&l.expr)?;
            let st = scrut.ty.clone();
            let pat = self.open_pat_scope(&l.pat, &st)?;
            let body = self.check_block(&w.body);
            self.scopes.pop();
            let body = body?;
            let wild = Pat {
                kind: PatKind::Wild,
                ty: st,
                loc,
            };
            let arms = vec![
                Arm {
                    pat,
                    guard: None,
                    body,
                },
                Arm {
                    pat: wild,
                    guard: None,
                    body: self.brk(loc),
                },
            ];
            return Ok(Expr {
                kind: ExprKind::Match(Box::new(scrut), arms),
                ty: Ty::Unit,
                loc,
            });
        }
        let c = self.check_expr(&w.cond)?;
        self.unify(&c.ty, &Ty::Bool, c.loc)?;
        let body = self.check_block(&w.body)?;
        Ok(Expr {
            kind: ExprKind::If(Box::new(c), Box::new(body), Some(Box::new(self.brk(loc)))),
            ty: Ty::Unit,
            loc,
        })
    }

    fn check_for(&mut self, f: &syn::ExprForLoop, loc: Loc) -> DResult<Expr> {
        let syn::Expr::Range(r) = &*f.expr else {
            return Err(Diagnostic::new(
                self.loc(f.expr.span()),
                "`for` loops only iterate over integer ranges `a..b` / `a..=b`",
            )
            .help("iterate with an index: `for i in 0..list.len() { let x = list.get(i); ... }`"));
        };
        let (Some(start), Some(end)) = (&r.start, &r.end) else {
            return Err(
                Diagnostic::new(loc, "open ranges are not supported in `for`")
                    .help("write both bounds: `a..b`"),
            );
        };
        let closed = matches!(r.limits, syn::RangeLimits::Closed(_));
        let s = self.check_expr(start)?;
        let e = self.check_expr(end)?;
        self.unify(&e.ty, &s.ty, e.loc)?;
        let it = s.ty.clone();
        if !matches!(self.shallow(&it), Ty::Int(_) | Ty::Var(_)) {
            return Err(
                Diagnostic::new(s.loc, "`for` ranges must be integers").help("use integer bounds")
            );
        }
        // { let cur = s; let end = e; [let done = false;] loop { if !(cur < end) break; let i = cur; cur += 1; body } }
        self.scopes.push(HashMap::new());
        let cur = self.temp(it.clone());
        let endv = self.temp(it.clone());
        let done = self.temp(Ty::Bool);
        let user = f.label.as_ref().map(|x| x.name.ident.to_string());
        self.push_loop(user, Ty::Unit, true);
        self.loops.last_mut().expect("loop").broke = true;
        let r = (|| -> DResult<Expr> {
            let local = |id: LocalId, ty: &Ty| Expr {
                kind: ExprKind::Local(id),
                ty: ty.clone(),
                loc,
            };
            let one = Expr {
                kind: ExprKind::Lit(Lit::Int(1, IntTy::I64)),
                ty: it.clone(),
                loc,
            };
            let cond = if closed {
                let gt = Expr {
                    kind: ExprKind::Binary(
                        BinOp::Gt,
                        Box::new(local(cur, &it)),
                        Box::new(local(endv, &it)),
                    ),
                    ty: Ty::Bool,
                    loc,
                };
                Expr {
                    kind: ExprKind::LogicOr(Box::new(local(done, &Ty::Bool)), Box::new(gt)),
                    ty: Ty::Bool,
                    loc,
                }
            } else {
                Expr {
                    kind: ExprKind::Binary(
                        BinOp::Ge,
                        Box::new(local(cur, &it)),
                        Box::new(local(endv, &it)),
                    ),
                    ty: Ty::Bool,
                    loc,
                }
            };
            let exit = Expr {
                kind: ExprKind::If(Box::new(cond), Box::new(self.brk(loc)), None),
                ty: Ty::Unit,
                loc,
            };
            self.scopes.push(HashMap::new());
            let mut binds = HashMap::new();
            let pat = self.check_pat(&f.pat, &it, &mut binds, true)?;
            for (n, id) in binds {
                self.scopes.last_mut().expect("scope").insert(n, id);
            }
            let bind = Stmt::Let(pat, local(cur, &it));
            let inc = Expr {
                kind: ExprKind::Assign(
                    cur,
                    Box::new(Expr {
                        kind: ExprKind::Binary(
                            BinOp::Add,
                            Box::new(local(cur, &it)),
                            Box::new(one),
                        ),
                        ty: it.clone(),
                        loc,
                    }),
                ),
                ty: Ty::Unit,
                loc,
            };
            let step = if closed {
                let at_end = Expr {
                    kind: ExprKind::Binary(
                        BinOp::Eq,
                        Box::new(local(cur, &it)),
                        Box::new(local(endv, &it)),
                    ),
                    ty: Ty::Bool,
                    loc,
                };
                let set_done = Expr {
                    kind: ExprKind::Assign(
                        done,
                        Box::new(Expr {
                            kind: ExprKind::Lit(Lit::Bool(true)),
                            ty: Ty::Bool,
                            loc,
                        }),
                    ),
                    ty: Ty::Unit,
                    loc,
                };
                Expr {
                    kind: ExprKind::If(Box::new(at_end), Box::new(set_done), Some(Box::new(inc))),
                    ty: Ty::Unit,
                    loc,
                }
            } else {
                inc
            };
            let body = self.check_block(&f.body);
            self.scopes.pop();
            let body = body?;
            Ok(Expr {
                kind: ExprKind::Block(
                    vec![Stmt::Expr(exit), bind, Stmt::Expr(step), Stmt::Expr(body)],
                    None,
                ),
                ty: Ty::Unit,
                loc,
            })
        })();
        let ctx = self.loops.pop().expect("loop");
        self.scopes.pop();
        let body = r?;
        let init = |id: LocalId, e: Expr, ty: &Ty| {
            Stmt::Let(
                Pat {
                    kind: PatKind::Bind(id, None),
                    ty: ty.clone(),
                    loc,
                },
                e,
            )
        };
        let f = Expr {
            kind: ExprKind::Lit(Lit::Bool(false)),
            ty: Ty::Bool,
            loc,
        };
        let lp = Expr {
            kind: ExprKind::Loop(Some(ctx.label), Box::new(body)),
            ty: Ty::Unit,
            loc,
        };
        Ok(Expr {
            kind: ExprKind::Block(
                vec![
                    init(cur, s, &it),
                    init(endv, e, &it),
                    init(done, f, &Ty::Bool),
                    Stmt::Expr(lp),
                ],
                None,
            ),
            ty: Ty::Unit,
            loc,
        })
    }

    fn check_try(&mut self, t: &syn::ExprTry, loc: Loc) -> DResult<Expr> {
        let x = self.check_expr(&t.expr)?;
        let xt = self.resolved(&x.ty, x.loc)?;
        let ret = self.shallow(&self.ret.clone());
        match (&xt, &ret) {
            (Ty::Result(ok, err), Ty::Result(_, rerr)) => {
                self.unify(err, rerr, loc).map_err(|_| Diagnostic::new(loc, format!("`?` on an error of type `{}` in a function returning errors of type `{}`", self.ts(err), self.ts(rerr))).help("the DSL does no error conversion: map the error explicitly with `match`"))?;
                let v = self.temp((**ok).clone());
                let e = self.temp((**err).clone());
                let okp = Pat { kind: PatKind::Variant(VariantRef::Ok, vec![Pat { kind: PatKind::Bind(v, None), ty: (**ok).clone(), loc }]), ty: xt.clone(), loc };
                let errp = Pat { kind: PatKind::Variant(VariantRef::Err, vec![Pat { kind: PatKind::Bind(e, None), ty: (**err).clone(), loc }]), ty: xt.clone(), loc };
                let rerr_val = Expr { kind: ExprKind::Variant(VariantRef::Err, vec![Expr { kind: ExprKind::Local(e), ty: (**err).clone(), loc }]), ty: ret.clone(), loc };
                let arms = vec![
                    Arm { pat: okp, guard: None, body: Expr { kind: ExprKind::Local(v), ty: (**ok).clone(), loc } },
                    Arm { pat: errp, guard: None, body: Expr { kind: ExprKind::Return(Some(Box::new(rerr_val))), ty: Ty::Never, loc } },
                ];
                Ok(Expr { kind: ExprKind::Match(Box::new(x), arms), ty: (**ok).clone(), loc })
            }
            (Ty::Option(inner), Ty::Option(_)) => {
                let v = self.temp((**inner).clone());
                let somep = Pat { kind: PatKind::Variant(VariantRef::Some, vec![Pat { kind: PatKind::Bind(v, None), ty: (**inner).clone(), loc }]), ty: xt.clone(), loc };
                let nonep = Pat { kind: PatKind::Wild, ty: xt.clone(), loc };
                let none = Expr { kind: ExprKind::Variant(VariantRef::None, vec![]), ty: ret.clone(), loc };
                let arms = vec![
                    Arm { pat: somep, guard: None, body: Expr { kind: ExprKind::Local(v), ty: (**inner).clone(), loc } },
                    Arm { pat: nonep, guard: None, body: Expr { kind: ExprKind::Return(Some(Box::new(none))), ty: Ty::Never, loc } },
                ];
                Ok(Expr { kind: ExprKind::Match(Box::new(x), arms), ty: (**inner).clone(), loc })
            }
            _ => Err(Diagnostic::new(loc, format!("`?` on `{}` in a function returning `{}`", self.ts(&xt), self.ts(&ret))).help("`?` works on `Result` in functions returning `Result` (same error type) and on `Option` in functions returning `Option`")),
        }
    }

    fn check_macro(&mut self, m: &syn::Macro, loc: Loc) -> DResult<Expr> {
        let name = m
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default();
        match name.as_str() {
            "matches" => {
                let parsed = m.parse_body_with(|input: syn::parse::ParseStream| {
                    let e: syn::Expr = input.parse()?;
                    let _: syn::Token![,] = input.parse()?;
                    let p = syn::Pat::parse_multi_with_leading_vert(input)?;
                    let guard = if input.peek(syn::Token![if]) {
                        let _: syn::Token![if] = input.parse()?;
                        Some(input.parse::<syn::Expr>()?)
                    } else {
                        None
                    };
                    let _: Option<syn::Token![,]> = input.parse()?;
                    Ok((e, p, guard))
                });
                let (e, p, guard) = parsed.map_err(|err| Diagnostic::new(loc, format!("cannot parse `matches!`: {err}")).help("write `matches!(expr, pattern)`"))?;
                let scrut = self.check_expr(&e)?;
                let st = scrut.ty.clone();
                let pat = self.open_pat_scope(&p, &st)?;
                let guard = match guard {
                    Some(g) => {
                        let g = self.check_expr(&g)?;
                        self.unify(&g.ty, &Ty::Bool, g.loc)?;
                        Some(g)
                    }
                    None => None,
                };
                self.scopes.pop();
                let t = Expr { kind: ExprKind::Lit(Lit::Bool(true)), ty: Ty::Bool, loc };
                let f = Expr { kind: ExprKind::Lit(Lit::Bool(false)), ty: Ty::Bool, loc };
                let arms = vec![Arm { pat, guard, body: t }, Arm { pat: Pat { kind: PatKind::Wild, ty: st, loc }, guard: None, body: f }];
                Ok(Expr { kind: ExprKind::Match(Box::new(scrut), arms), ty: Ty::Bool, loc })
            }
            "panic" | "unreachable" | "todo" | "unimplemented" => {
                let default = match name.as_str() {
                    "panic" => "explicit panic",
                    "unreachable" => "internal error: entered unreachable code",
                    "todo" => "not yet implemented",
                    _ => "not implemented",
                };
                let msg = if m.tokens.is_empty() {
                    default.to_string()
                } else {
                    let lit: syn::LitStr = syn::parse2(m.tokens.clone()).map_err(|_| Diagnostic::new(loc, format!("`{name}!` takes only a string literal in the DSL")).help("formatting is not available: write `panic!(\"message\")`"))?;
                    if lit.value().contains('{') {
                        return Err(Diagnostic::new(loc, format!("`{name}!` message with format arguments")).help("formatting is not available: write a plain message"));
                    }
                    match name.as_str() {
                        "unreachable" => format!("internal error: entered unreachable code: {}", lit.value()),
                        "todo" => format!("not yet implemented: {}", lit.value()),
                        "unimplemented" => format!("not implemented: {}", lit.value()),
                        _ => lit.value(),
                    }
                };
                Ok(Expr { kind: ExprKind::Panic(msg), ty: Ty::Never, loc })
            }
            "assert" => {
                let parsed = m.parse_body_with(|input: syn::parse::ParseStream| {
                    let e: syn::Expr = input.parse()?;
                    let msg = if input.peek(syn::Token![,]) {
                        let _: syn::Token![,] = input.parse()?;
                        Some(input.parse::<syn::LitStr>()?)
                    } else {
                        None
                    };
                    Ok((e, msg))
                });
                let (e, msg) = parsed.map_err(|err| Diagnostic::new(loc, format!("cannot parse `assert!`: {err}")).help("write `assert!(condition)` or `assert!(condition, \"message\")`"))?;
                let c = self.check_expr(&e)?;
                self.unify(&c.ty, &Ty::Bool, c.loc)?;
                let text = match msg {
                    Some(m) => m.value(),
                    None => {
                        // rustc prints the condition as written
                        let l = self.loc(e.span());
                        let text = self.prog.sources.text(l.file).get(l.start as usize..l.end as usize).map(str::to_string);
                        format!("assertion failed: {}", text.unwrap_or_else(|| quote::ToTokens::to_token_stream(&e).to_string()))
                    }
                };
                let p = Expr { kind: ExprKind::Panic(text), ty: Ty::Never, loc };
                let not = Expr { kind: ExprKind::Unary(UnOp::Not, Box::new(c)), ty: Ty::Bool, loc };
                Ok(Expr { kind: ExprKind::If(Box::new(not), Box::new(p), None), ty: Ty::Unit, loc })
            }
            "jit_merge_point" | "can_enter_jit" => self.check_jit_macro(m, &name, loc),
            "println" | "print" | "eprintln" | "eprint" => Err(Diagnostic::new(loc, format!("`{name}!` is not available in the DSL")).help("write output with `vmkit::io::print(s)` (build `s` with `Str::from`, `Str::from_i64`, `concat` or a `StrBuilder`)")),
            "format" => Err(Diagnostic::new(loc, "`format!` is not available in the DSL").help("build strings with `StrBuilder` or `Str::concat`")),
            "vec" => Err(Diagnostic::new(loc, "`vec!` is not available in the DSL").help("use `GcList::new()` and `push`, or `GcArray::new(len, init)`")),
            _ => Err(Diagnostic::new(loc, format!("macro `{name}!` is not supported")).help("the DSL accepts `matches!`, `panic!`, `unreachable!`, `assert!`, `jit_merge_point!` and `can_enter_jit!`")),
        }
    }

    fn check_jit_macro(&mut self, m: &syn::Macro, name: &str, loc: Loc) -> DResult<Expr> {
        let help = format!("write `{name}!(DRIVER; green1, green2; red1, red2)` with the driver's greens and reds in declaration order");
        let parsed = m.parse_body_with(|input: syn::parse::ParseStream| {
            let drv: syn::Path = input.parse()?;
            let _: syn::Token![;] = input.parse()?;
            let mut greens = Vec::new();
            while !input.peek(syn::Token![;]) {
                greens.push(input.parse::<syn::Ident>()?);
                if input.peek(syn::Token![,]) {
                    let _: syn::Token![,] = input.parse()?;
                }
            }
            let _: syn::Token![;] = input.parse()?;
            let mut reds = Vec::new();
            while !input.is_empty() {
                reds.push(input.parse::<syn::Ident>()?);
                if input.peek(syn::Token![,]) {
                    let _: syn::Token![,] = input.parse()?;
                }
            }
            Ok((drv, greens, reds))
        });
        let (drv, greens, reds) = parsed.map_err(|err| {
            Diagnostic::new(loc, format!("cannot parse `{name}!`: {err}")).help(help.clone())
        })?;
        let segs = path_segs(&drv);
        let did = match self.prog.resolve_path(self.module, &segs, loc)? {
            (Item::Driver(d), r) if r.is_empty() => d,
            _ => {
                return Err(Diagnostic::new(
                    loc,
                    format!("`{}` is not a JIT driver", segs.join("::")),
                )
                .help("declare `static DRIVER: JitDriver = JitDriver { ... };` and name it here"))
            }
        };
        let d = &self.prog.drivers[did.0 as usize];
        let gn: Vec<String> = greens.iter().map(|i| i.to_string()).collect();
        let rn: Vec<String> = reds.iter().map(|i| i.to_string()).collect();
        if gn != d.greens || rn != d.reds {
            return Err(Diagnostic::new(loc, format!("`{name}!` names greens [{}] and reds [{}], but driver `{}` declares greens [{}] and reds [{}]", gn.join(", "), rn.join(", "), d.static_name, d.greens.join(", "), d.reds.join(", "))).help(help));
        }
        let mut ids = Vec::new();
        for v in gn.iter().chain(&rn) {
            let Some(id) = self.lookup_local(v) else {
                return Err(
                    Diagnostic::new(loc, format!("`{v}` is not a local variable here"))
                        .help("greens and reds are local variables of the portal function"),
                );
            };
            ids.push(id);
        }
        if name == "jit_merge_point" {
            if !self.merge_point_ok {
                return Err(Diagnostic::new(
                    loc,
                    "`jit_merge_point!` must be the first statement of a `loop` body",
                )
                .help("put it at the top of the interpreter's dispatch `loop { ... }`"));
            }
            if self.merge_point.is_some() {
                return Err(Diagnostic::new(loc, "a second `jit_merge_point!`")
                    .help("an interpreter has one merge point"));
            }
            self.merge_point = Some(loc);
            for (v, id) in d.virtualizables.iter().filter_map(|v| {
                rn.iter()
                    .position(|r| r == v)
                    .map(|i| (v, ids[gn.len() + i]))
            }) {
                let t = self.shallow(&self.locals[id.0 as usize].ty.clone());
                let ok = matches!(t, Ty::Gc(a) if self.prog.adt(a).virtualizable);
                if !ok {
                    return Err(Diagnostic::new(loc, format!("virtualizable `{v}` must be a `Gc<T>` of a `#[vmkit::virtualizable]` struct")).help("mark the frame struct with `#[vmkit::virtualizable]`"));
                }
            }
            Ok(Expr {
                kind: ExprKind::JitMergePoint(did, ids),
                ty: Ty::Unit,
                loc,
            })
        } else {
            Ok(Expr {
                kind: ExprKind::CanEnterJit(did, ids),
                ty: Ty::Unit,
                loc,
            })
        }
    }

    /// The field values of a struct literal in declaration order, and the `let`s that evaluate
    /// them in source order when the two orders differ.
    fn struct_fields(
        &mut self,
        s: &syn::ExprStruct,
        adt: AdtId,
        loc: Loc,
    ) -> DResult<(Vec<Stmt>, Vec<Expr>)> {
        if s.rest.is_some() || s.dot2_token.is_some() {
            let rloc = match (&s.dot2_token, &s.rest) {
                (Some(d), Some(r)) => self.loc(d.span().join(r.span()).unwrap_or(d.span())),
                (Some(d), None) => self.loc(d.span()),
                _ => loc,
            };
            return Err(
                Diagnostic::new(rloc, "struct update syntax `..base` is not supported")
                    .help("write every field"),
            );
        }
        let def = self.prog.adt(adt).clone();
        let mut vals: Vec<Option<Expr>> = vec![None; def.fields().len()];
        let mut source_order: Vec<usize> = Vec::new();
        for fv in &s.fields {
            let floc = self.loc(fv.member.span());
            let syn::Member::Named(n) = &fv.member else {
                return Err(Diagnostic::new(floc, "numbered fields").help("name the fields"));
            };
            let Some(i) = def.fields().iter().position(|f| f.name == n.to_string()) else {
                return Err(Diagnostic::new(
                    floc,
                    format!("struct `{}` has no field `{n}`", def.name),
                )
                .help("check the field name"));
            };
            let fty = def.fields()[i].ty.clone();
            let e = match &fty {
                Ty::Mut(inner) | Ty::QuasiImmut(inner) => {
                    let wrapper = if matches!(fty, Ty::Mut(_)) {
                        "Mut"
                    } else {
                        "QuasiImmut"
                    };
                    let inner_expr = match &fv.expr {
                        syn::Expr::Call(c)
                            if matches!(&*c.func, syn::Expr::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "new") && p.path.segments.iter().rev().nth(1).is_some_and(|s| s.ident == wrapper))
                                && c.args.len() == 1 =>
                        {
                            &c.args[0]
                        }
                        _ => {
                            let floc = self.loc(fv.expr.span());
                            return Err(Diagnostic::new(floc, format!("field `{n}` is `{wrapper}<_>`: initialise it with `{wrapper}::new(value)`")).help(format!("write `{n}: {wrapper}::new(...)`")));
                        }
                    };
                    let e = self.check_expr(inner_expr)?;
                    self.unify(&e.ty, inner, e.loc)?;
                    e
                }
                _ => {
                    let e = self.check_expr(&fv.expr)?;
                    self.unify(&e.ty, &fty, e.loc)?;
                    e
                }
            };
            source_order.push(i);
            vals[i] = Some(e);
        }
        let in_order = source_order.windows(2).all(|w| w[0] < w[1]);
        let mut stmts = Vec::new();
        if !in_order {
            for i in source_order {
                if let Some(e) = vals[i].take() {
                    let (st, local) = self.let_temp(e);
                    stmts.push(st);
                    vals[i] = Some(local);
                }
            }
        }
        let mut out = Vec::new();
        for (i, v) in vals.into_iter().enumerate() {
            match v {
                Some(e) => out.push(e),
                None => {
                    return Err(Diagnostic::new(
                        loc,
                        format!(
                            "missing field `{}` in `{}` literal",
                            def.fields()[i].name,
                            def.name
                        ),
                    )
                    .help("initialise every field"))
                }
            }
        }
        Ok((stmts, out))
    }

    fn check_args(
        &mut self,
        args: &syn::punctuated::Punctuated<syn::Expr, syn::Token![,]>,
        params: &[Ty],
        loc: Loc,
        what: &str,
    ) -> DResult<Vec<Expr>> {
        if args.len() != params.len() {
            return Err(Diagnostic::new(
                loc,
                format!(
                    "`{what}` takes {} argument(s) but {} were given",
                    params.len(),
                    args.len()
                ),
            )
            .help("pass one argument per parameter"));
        }
        let mut out = Vec::new();
        for (a, p) in args.iter().zip(params) {
            let e = self.check_expr(a)?;
            self.unify(&e.ty, p, e.loc)?;
            out.push(e);
        }
        Ok(out)
    }

    fn call_fn(&mut self, f: FnId, args: Vec<Expr>, loc: Loc) -> Expr {
        let fd = self.prog.func(f);
        let kind = if fd.is_host {
            ExprKind::Host(f, args)
        } else {
            ExprKind::Call(f, args)
        };
        Expr {
            kind,
            ty: fd.ret.clone(),
            loc,
        }
    }

    fn check_path_expr(&mut self, p: &syn::ExprPath, loc: Loc) -> DResult<Expr> {
        let segs = path_segs(&p.path);
        if segs.len() == 1 {
            if let Some(id) = self.lookup_local(&segs[0]) {
                return Ok(Expr {
                    kind: ExprKind::Local(id),
                    ty: self.locals[id.0 as usize].ty.clone(),
                    loc,
                });
            }
        }
        if let Some((vr, ftys, owner)) = self.resolve_variant(&segs, loc)? {
            if !ftys.is_empty() {
                return Err(
                    Diagnostic::new(loc, "a variant with fields used as a value")
                        .help("construct it with its fields: `Variant(a, b)`"),
                );
            }
            if let Ty::Gc(_) = owner {
                return Err(
                    Diagnostic::new(loc, "a variant of a GC enum must be allocated")
                        .help("write `Gc::new(Enum::Variant)`"),
                );
            }
            return Ok(Expr {
                kind: ExprKind::Variant(vr, vec![]),
                ty: owner,
                loc,
            });
        }
        let (item, rest) = if segs[0] == "Self" && self.self_adt.is_some() {
            (Item::Adt(self.self_adt.expect("self")), segs[1..].to_vec())
        } else {
            self.prog.resolve_path(self.module, &segs, loc)?
        };
        match (item, rest.as_slice()) {
            (Item::Const(c), []) => {
                let cd = &self.prog.consts[c.0 as usize];
                Ok(Expr {
                    kind: ExprKind::Lit(const_lit(&cd.value)),
                    ty: cd.ty.clone(),
                    loc,
                })
            }
            (Item::Builtin(b), [name]) => {
                if let Some(it) = IntTy::from_name(&b) {
                    let v = match name.as_str() {
                        "MAX" => int_max(it),
                        "MIN" => int_min(it),
                        "BITS" => it.bits(64) as i64,
                        _ => {
                            return Err(Diagnostic::new(
                                loc,
                                format!("unknown constant `{b}::{name}`"),
                            )
                            .help("use `MAX` or `MIN`"))
                        }
                    };
                    let (v, t) = if name == "BITS" {
                        (v, IntTy::U32)
                    } else {
                        (v, it)
                    };
                    return Ok(Expr {
                        kind: ExprKind::Lit(Lit::Int(v, t)),
                        ty: Ty::Int(t),
                        loc,
                    });
                }
                if b == "f64" {
                    let v = match name.as_str() {
                        "INFINITY" => f64::INFINITY,
                        "NEG_INFINITY" => f64::NEG_INFINITY,
                        "NAN" => f64::NAN,
                        "MAX" => f64::MAX,
                        "MIN" => f64::MIN,
                        "EPSILON" => f64::EPSILON,
                        _ => {
                            return Err(Diagnostic::new(
                                loc,
                                format!("unknown constant `f64::{name}`"),
                            )
                            .help("use INFINITY, NEG_INFINITY, NAN, MAX, MIN or EPSILON"))
                        }
                    };
                    return Ok(Expr {
                        kind: ExprKind::Lit(Lit::Float(v)),
                        ty: Ty::F64,
                        loc,
                    });
                }
                Err(
                    Diagnostic::new(loc, format!("`{}` is not a value", segs.join("::")))
                        .help("call it, or name a local, a constant or a unit variant"),
                )
            }
            (Item::Fn(_), []) => Err(Diagnostic::new(loc, "functions are not values in the DSL")
                .help("call the function; to choose an operation at run time, `match` on an enum")),
            (Item::External(p), _) => {
                Err(Diagnostic::new(loc, format!("`{p}` is outside the DSL"))
                    .help("DSL code uses its own items and `vmkit`'s; see docs/dsl.md"))
            }
            _ => Err(Diagnostic::new(
                loc,
                format!("cannot find value `{}` in this scope", segs.join("::")),
            )
            .help("declare it with `let`, or name a constant or a unit variant")),
        }
    }

    fn check_call(&mut self, c: &syn::ExprCall, loc: Loc) -> DResult<Expr> {
        let syn::Expr::Path(fp) = &*c.func else {
            return Err(Diagnostic::new(loc, "only named functions can be called")
                .help("call a function by its path"));
        };
        let segs = path_segs(&fp.path);
        if segs.len() == 1 && self.lookup_local(&segs[0]).is_some() {
            return Err(Diagnostic::new(
                loc,
                format!("`{}` is a local variable, not a function", segs[0]),
            )
            .help("functions are not values in the DSL"));
        }
        // variant constructors (value enums, Option, Result)
        if let Some((vr, ftys, owner)) = self.resolve_variant(&segs, loc)? {
            if let Ty::Gc(a) = owner {
                return Err(Diagnostic::new(
                    loc,
                    format!(
                        "a variant of the GC enum `{}` must be allocated",
                        self.prog.adt(a).name
                    ),
                )
                .help("wrap it: `Gc::new(Enum::Variant(...))`"));
            }
            let args = self.check_args(&c.args, &ftys, loc, &segs.join("::"))?;
            return Ok(Expr {
                kind: ExprKind::Variant(vr, args),
                ty: owner,
                loc,
            });
        }
        let (item, rest) = if segs[0] == "Self" {
            match self.self_adt {
                Some(a) => (Item::Adt(a), segs[1..].to_vec()),
                None => {
                    return Err(Diagnostic::new(loc, "`Self` outside an `impl` block")
                        .help("name the type"))
                }
            }
        } else {
            self.prog.resolve_path(self.module, &segs, loc)?
        };
        match (item, rest.as_slice()) {
            (Item::Fn(f), []) => {
                let fd = self.prog.func(f);
                if fd.self_adt.is_some() {
                    return Err(Diagnostic::new(
                        loc,
                        "internal: method resolved as a free function",
                    )
                    .help(""));
                }
                let params: Vec<Ty> = fd.params.iter().map(|p| p.ty.clone()).collect();
                let path = fd.path.clone();
                let args = self.check_args(&c.args, &params, loc, &path)?;
                Ok(self.call_fn(f, args, loc))
            }
            (Item::Adt(a), [name]) => {
                let Some(f) = self
                    .prog
                    .fns
                    .iter()
                    .position(|f| f.self_adt == Some(a) && &f.name == name)
                    .map(|i| FnId(i as u32))
                else {
                    return Err(Diagnostic::new(
                        loc,
                        format!("no function `{name}` in `impl {}`", self.prog.adt(a).name),
                    )
                    .help("define it in an `impl` block of the type"));
                };
                let fd = self.prog.func(f);
                let params: Vec<Ty> = fd.params.iter().map(|p| p.ty.clone()).collect();
                let path = fd.path.clone();
                let args = self.check_args(&c.args, &params, loc, &path)?;
                Ok(self.call_fn(f, args, loc))
            }
            (Item::Builtin(b), rest) => {
                let full = if rest.is_empty() {
                    b.clone()
                } else {
                    format!("{b}::{}", rest.join("::"))
                };
                self.check_builtin_call(&full, c, loc)
            }
            (Item::External(p), _) => {
                Err(Diagnostic::new(loc, format!("`{p}` is outside the DSL"))
                    .help("call ordinary Rust from a `#[vmkit::host]` function"))
            }
            _ => Err(
                Diagnostic::new(loc, format!("`{}` is not a function", segs.join("::")))
                    .help("call a function, an associated function or a variant"),
            ),
        }
    }

    fn builtin(&self, b: Builtin, args: Vec<Expr>, ty: Ty, loc: Loc) -> DResult<Expr> {
        Ok(Expr {
            kind: ExprKind::Builtin(b, args),
            ty,
            loc,
        })
    }

    fn check_builtin_call(&mut self, full: &str, c: &syn::ExprCall, loc: Loc) -> DResult<Expr> {
        use Builtin as B;
        let int = |t| Ty::Int(t);
        let usize_t = Ty::Int(IntTy::Usize);
        match full {
            "Gc::new" => {
                if c.args.len() != 1 {
                    return Err(Diagnostic::new(loc, "`Gc::new` takes one argument")
                        .help("write `Gc::new(Struct { ... })`"));
                }
                self.check_gc_new(&c.args[0], loc)
            }
            "Gc::ptr_eq" => {
                let t = self.fresh(false);
                let args = self.check_args(&c.args, &[t.clone(), t.clone()], loc, full)?;
                if !matches!(self.shallow(&t), Ty::Gc(_)) {
                    return Err(Diagnostic::new(
                        loc,
                        "`Gc::ptr_eq` compares two `Gc<T>` references",
                    )
                    .help("pass two references of the same type"));
                }
                self.builtin(B::GcPtrEq, args, Ty::Bool, loc)
            }
            "Mut::new" | "QuasiImmut::new" => Err(Diagnostic::new(
                loc,
                format!("`{full}` is only used to initialise a field in a struct literal"),
            )
            .help("write `Gc::new(S { field: Mut::new(value) })`")),
            "Str::from" => {
                let lit = match c.args.first() {
                    Some(syn::Expr::Lit(syn::ExprLit { lit: syn::Lit::Str(s), .. })) if c.args.len() == 1 => s.value(),
                    _ => return Err(Diagnostic::new(loc, "`Str::from` takes a string literal").help("write `Str::from(\"text\")`; convert numbers with `Str::from_i64`/`from_f64`")),
                };
                Ok(Expr {
                    kind: ExprKind::Lit(Lit::Str(lit.into_bytes())),
                    ty: Ty::Str,
                    loc,
                })
            }
            "Str::from_i64" => {
                let a = self.check_args(&c.args, &[int(IntTy::I64)], loc, full)?;
                self.builtin(B::StrFromI64, a, Ty::Str, loc)
            }
            "Str::from_u64" => {
                let a = self.check_args(&c.args, &[int(IntTy::U64)], loc, full)?;
                self.builtin(B::StrFromU64, a, Ty::Str, loc)
            }
            "Str::from_f64" => {
                let a = self.check_args(&c.args, &[Ty::F64], loc, full)?;
                self.builtin(B::StrFromF64, a, Ty::Str, loc)
            }
            "Str::from_byte" => {
                let a = self.check_args(&c.args, &[int(IntTy::U8)], loc, full)?;
                self.builtin(B::StrFromByte, a, Ty::Str, loc)
            }
            "StrBuilder::new" => {
                let a = self.check_args(&c.args, &[], loc, full)?;
                self.builtin(B::SbNew, a, Ty::StrBuilder, loc)
            }
            "GcArray::new" => {
                let t = self.fresh(false);
                let a = self.check_args(&c.args, &[usize_t, t.clone()], loc, full)?;
                self.builtin(B::ArrayNew, a, Ty::Array(Box::new(t)), loc)
            }
            "GcList::new" | "GcList::with_capacity" => {
                let t = self.fresh(false);
                let params = if full == "GcList::new" {
                    vec![]
                } else {
                    vec![usize_t]
                };
                let a = self.check_args(&c.args, &params, loc, full)?;
                self.builtin(B::ListNew, a, Ty::List(Box::new(t)), loc)
            }
            "GcMap::new" => {
                let k = self.fresh(false);
                let v = self.fresh(false);
                let a = self.check_args(&c.args, &[], loc, full)?;
                self.builtin(B::MapNew, a, Ty::Map(Box::new(k), Box::new(v)), loc)
            }
            "io::print" | "io::eprint" => {
                let a = self.check_args(&c.args, &[Ty::Str], loc, full)?;
                self.builtin(
                    if full == "io::print" {
                        B::Print
                    } else {
                        B::EPrint
                    },
                    a,
                    Ty::Unit,
                    loc,
                )
            }
            "io::write_byte" => {
                let a = self.check_args(&c.args, &[int(IntTy::U8)], loc, full)?;
                self.builtin(B::WriteByte, a, Ty::Unit, loc)
            }
            "io::read_byte" => {
                let a = self.check_args(&c.args, &[], loc, full)?;
                self.builtin(B::ReadByte, a, int(IntTy::I64), loc)
            }
            "io::read_file" => {
                let a = self.check_args(&c.args, &[Ty::Str], loc, full)?;
                self.builtin(B::ReadFile, a, Ty::Option(Box::new(Ty::Str)), loc)
            }
            "io::write_file" => {
                let a = self.check_args(&c.args, &[Ty::Str, Ty::Str], loc, full)?;
                self.builtin(B::WriteFile, a, Ty::Bool, loc)
            }
            "io::flush" => {
                let a = self.check_args(&c.args, &[], loc, full)?;
                self.builtin(B::Flush, a, Ty::Unit, loc)
            }
            "jit::promote" => {
                let t = self.fresh(false);
                let a = self.check_args(&c.args, &[t.clone()], loc, full)?;
                self.builtin(B::Promote, a, t, loc)
            }
            "jit::we_are_jitted" => {
                let a = self.check_args(&c.args, &[], loc, full)?;
                self.builtin(B::WeAreJitted, a, Ty::Bool, loc)
            }
            "ffi::open" | "ffi::symbol" | "ffi::error" | "ffi::call" | "ffi::call_f64"
            | "ffi::malloc" | "ffi::free" | "ffi::peek" | "ffi::poke" | "ffi::peek_f64"
            | "ffi::poke_f64" | "ffi::to_cstr" | "ffi::from_cstr" | "ffi::callback" => {
                let u8_t = int(IntTy::U8);
                let i64_t = int(IntTy::I64);
                let ints = Ty::Array(Box::new(i64_t.clone()));
                let floats = Ty::Array(Box::new(Ty::F64));
                let (b, params, ret) = match full {
                    "ffi::open" => (B::FfiOpen, vec![Ty::Str], usize_t.clone()),
                    "ffi::symbol" => (
                        B::FfiSymbol,
                        vec![usize_t.clone(), Ty::Str],
                        usize_t.clone(),
                    ),
                    "ffi::error" => (B::FfiError, vec![], Ty::Str),
                    "ffi::call" => (
                        B::FfiCall,
                        vec![usize_t.clone(), Ty::Str, ints, floats],
                        i64_t.clone(),
                    ),
                    "ffi::call_f64" => (
                        B::FfiCallF64,
                        vec![usize_t.clone(), Ty::Str, ints, floats],
                        Ty::F64,
                    ),
                    "ffi::malloc" => (B::FfiMalloc, vec![usize_t.clone()], usize_t.clone()),
                    "ffi::free" => (B::FfiFree, vec![usize_t.clone()], Ty::Unit),
                    "ffi::peek" => (B::FfiPeek, vec![usize_t.clone(), u8_t], i64_t.clone()),
                    "ffi::poke" => (
                        B::FfiPoke,
                        vec![usize_t.clone(), u8_t, i64_t.clone()],
                        Ty::Unit,
                    ),
                    "ffi::peek_f64" => (B::FfiPeekF64, vec![usize_t.clone(), u8_t], Ty::F64),
                    "ffi::poke_f64" => (
                        B::FfiPokeF64,
                        vec![usize_t.clone(), u8_t, Ty::F64],
                        Ty::Unit,
                    ),
                    "ffi::to_cstr" => (B::FfiToCstr, vec![Ty::Str], usize_t.clone()),
                    "ffi::from_cstr" => (B::FfiFromCstr, vec![usize_t.clone()], Ty::Str),
                    _ => {
                        let Some(h) = self.prog.ffi_handler else {
                            return Err(Diagnostic::new(loc, "`ffi::callback` without a `#[vmkit::ffi_callback]` function")
                                .help("add `#[vmkit::ffi_callback] fn on_callback(ctx: Gc<T>, id: i64, ints: GcArray<i64>, floats: GcArray<f64>) -> i64`: C callbacks call it"));
                        };
                        let ctx = self.prog.fns[h.0 as usize]
                            .params
                            .first()
                            .map(|p| p.ty.clone())
                            .unwrap_or(Ty::Unit);
                        (
                            B::FfiCallback,
                            vec![Ty::Str, i64_t.clone(), ctx],
                            usize_t.clone(),
                        )
                    }
                };
                let a = self.check_args(&c.args, &params, loc, full)?;
                self.builtin(b, a, ret, loc)
            }
            _ => Err(
                Diagnostic::new(loc, format!("`{full}` is not a DSL function"))
                    .help("see docs/dsl.md for the built-in functions"),
            ),
        }
    }

    fn check_gc_new(&mut self, arg: &syn::Expr, loc: Loc) -> DResult<Expr> {
        let aloc = self.loc(arg.span());
        match arg {
            syn::Expr::Struct(s) => {
                let segs = path_segs(&s.path);
                let Some(adt) = self.resolve_adt_path(&segs, aloc)? else {
                    return Err(Diagnostic::new(
                        aloc,
                        format!("`{}` is not a struct", segs.join("::")),
                    )
                    .help("allocate one of the program's structs"));
                };
                if self.prog.adt(adt).is_value {
                    return Err(Diagnostic::new(aloc, format!("`{}` is a `Copy` value type and cannot be allocated with `Gc::new`", self.prog.adt(adt).name)).help("remove `Copy` from its derive to make it a GC type, or use the value directly"));
                }
                let (lets, fields) = self.struct_fields(s, adt, aloc)?;
                let e = Expr {
                    kind: ExprKind::GcNew(adt, None, fields),
                    ty: Ty::Gc(adt),
                    loc,
                };
                Ok(if lets.is_empty() {
                    e
                } else {
                    Expr {
                        kind: ExprKind::Block(lets, Some(Box::new(e))),
                        ty: Ty::Gc(adt),
                        loc,
                    }
                })
            }
            syn::Expr::Call(c) => {
                if let syn::Expr::Path(p) = &*c.func {
                    let segs = path_segs(&p.path);
                    if let Some((VariantRef::Adt(a, v), ftys, Ty::Gc(_))) =
                        self.resolve_variant(&segs, aloc)?
                    {
                        let args = self.check_args(&c.args, &ftys, aloc, &segs.join("::"))?;
                        return Ok(Expr {
                            kind: ExprKind::GcNew(a, Some(v), args),
                            ty: Ty::Gc(a),
                            loc,
                        });
                    }
                }
                Err(Diagnostic::new(
                    aloc,
                    "`Gc::new` takes a struct literal or a variant of a GC enum",
                )
                .help("write `Gc::new(Struct { ... })` or `Gc::new(Enum::Variant(...))`"))
            }
            syn::Expr::Path(p) => {
                let segs = path_segs(&p.path);
                if let Some((VariantRef::Adt(a, v), ftys, Ty::Gc(_))) =
                    self.resolve_variant(&segs, aloc)?
                {
                    if ftys.is_empty() {
                        return Ok(Expr {
                            kind: ExprKind::GcNew(a, Some(v), vec![]),
                            ty: Ty::Gc(a),
                            loc,
                        });
                    }
                }
                Err(Diagnostic::new(
                    aloc,
                    "`Gc::new` takes a struct literal or a variant of a GC enum",
                )
                .help("write `Gc::new(Struct { ... })` or `Gc::new(Enum::Variant(...))`"))
            }
            _ => Err(Diagnostic::new(
                aloc,
                "`Gc::new` takes a struct literal or a variant of a GC enum",
            )
            .help("write `Gc::new(Struct { ... })` or `Gc::new(Enum::Variant(...))`")),
        }
    }

    fn check_field(&mut self, f: &syn::ExprField, loc: Loc) -> DResult<Expr> {
        let base = self.check_expr(&f.base)?;
        let bt = self.resolved(&base.ty, base.loc)?;
        match (&f.member, &bt) {
            (syn::Member::Unnamed(i), Ty::Tuple(ts)) => {
                let i = i.index;
                let Some(t) = ts.get(i as usize) else {
                    return Err(Diagnostic::new(loc, format!("tuple has no field {i}"))
                        .help("tuple fields count from 0"));
                };
                let t = t.clone();
                Ok(Expr {
                    kind: ExprKind::Field(Box::new(base), i),
                    ty: t,
                    loc,
                })
            }
            (syn::Member::Named(n), Ty::Adt(a) | Ty::Gc(a)) => {
                let def = self.prog.adt(*a);
                let Some(i) = def.fields().iter().position(|x| x.name == n.to_string()) else {
                    return Err(
                        Diagnostic::new(loc, format!("`{}` has no field `{n}`", def.name))
                            .help("check the field name"),
                    );
                };
                let fty = def.fields()[i].ty.clone();
                let kind = if def.is_value {
                    ExprKind::Field(Box::new(base), i as u32)
                } else {
                    ExprKind::GcField(Box::new(base), *a, i as u32)
                };
                Ok(Expr { kind, ty: fty, loc })
            }
            _ => Err(Diagnostic::new(
                loc,
                format!(
                    "no field `{}` on `{}`",
                    quote::ToTokens::to_token_stream(&f.member),
                    self.ts(&bt)
                ),
            )
            .help("fields exist on structs (named) and tuples (numbered)")),
        }
    }

    fn check_method(&mut self, m: &syn::ExprMethodCall, loc: Loc) -> DResult<Expr> {
        use Builtin as B;
        if m.turbofish.is_some() {
            return Err(Diagnostic::new(loc, "turbofish `::<>` is not supported")
                .help("annotate the `let` instead"));
        }
        let name = m.method.to_string();
        let recv = self.check_expr_inner(&m.receiver)?;
        let rt = self.resolved(&recv.ty, recv.loc)?;
        let usize_t = Ty::Int(IntTy::Usize);
        // Mut / QuasiImmut field access
        if let Ty::Mut(inner) | Ty::QuasiImmut(inner) = &rt {
            let (obj, adt, idx) = match recv.kind {
                ExprKind::GcField(o, a, i) => (o, a, i),
                _ => {
                    return Err(
                        Diagnostic::new(loc, "internal: field wrapper outside a field").help(""),
                    )
                }
            };
            return match name.as_str() {
                "get" => {
                    self.check_args(&m.args, &[], loc, "get")?;
                    Ok(Expr {
                        kind: ExprKind::GcField(obj, adt, idx),
                        ty: (**inner).clone(),
                        loc,
                    })
                }
                "set" => {
                    let mut a = self.check_args(&m.args, &[(**inner).clone()], loc, "set")?;
                    Ok(Expr {
                        kind: ExprKind::GcSetField(obj, adt, idx, Box::new(a.remove(0))),
                        ty: Ty::Unit,
                        loc,
                    })
                }
                _ => Err(Diagnostic::new(
                    loc,
                    format!("no method `{name}` on a `Mut`/`QuasiImmut` field"),
                )
                .help("use `.get()` and `.set(value)`")),
            };
        }
        let b = |s: &mut Self, builtin: B, params: Vec<Ty>, ret: Ty| -> DResult<Expr> {
            let mut args = vec![recv.clone()];
            args.extend(s.check_args(&m.args, &params, loc, &name)?);
            Ok(Expr {
                kind: ExprKind::Builtin(builtin, args),
                ty: ret,
                loc,
            })
        };
        if name == "clone" && m.args.is_empty() {
            return Ok(recv);
        }
        match &rt {
            Ty::Int(_) | Ty::Var(_) => {
                let t = rt.clone();
                let signed = matches!(t, Ty::Int(it) if it.signed()) || matches!(t, Ty::Var(_));
                match name.as_str() {
                    "checked_add" => b(
                        self,
                        B::CheckedAdd,
                        vec![t.clone()],
                        Ty::Option(Box::new(t)),
                    ),
                    "checked_sub" => b(
                        self,
                        B::CheckedSub,
                        vec![t.clone()],
                        Ty::Option(Box::new(t)),
                    ),
                    "checked_mul" => b(
                        self,
                        B::CheckedMul,
                        vec![t.clone()],
                        Ty::Option(Box::new(t)),
                    ),
                    "overflowing_add" => b(
                        self,
                        B::OverflowingAdd,
                        vec![t.clone()],
                        Ty::Tuple(vec![t, Ty::Bool]),
                    ),
                    "overflowing_sub" => b(
                        self,
                        B::OverflowingSub,
                        vec![t.clone()],
                        Ty::Tuple(vec![t, Ty::Bool]),
                    ),
                    "overflowing_mul" => b(
                        self,
                        B::OverflowingMul,
                        vec![t.clone()],
                        Ty::Tuple(vec![t, Ty::Bool]),
                    ),
                    "wrapping_add" => b(self, B::WrappingAdd, vec![t.clone()], t),
                    "wrapping_sub" => b(self, B::WrappingSub, vec![t.clone()], t),
                    "wrapping_mul" => b(self, B::WrappingMul, vec![t.clone()], t),
                    "abs" if signed => b(self, B::IntAbs, vec![], t),
                    "min" => b(self, B::IntMin, vec![t.clone()], t),
                    "max" => b(self, B::IntMax, vec![t.clone()], t),
                    _ => Err(self.no_method(
                        &name,
                        &rt,
                        loc,
                        "integers have checked_/overflowing_/wrapping_ add/sub/mul, abs, min, max",
                    )),
                }
            }
            Ty::F64 => match name.as_str() {
                "sqrt" => b(self, B::FSqrt, vec![], Ty::F64),
                "floor" => b(self, B::FFloor, vec![], Ty::F64),
                "ceil" => b(self, B::FCeil, vec![], Ty::F64),
                "abs" => b(self, B::FAbs, vec![], Ty::F64),
                "sin" => b(self, B::FSin, vec![], Ty::F64),
                "cos" => b(self, B::FCos, vec![], Ty::F64),
                "exp" => b(self, B::FExp, vec![], Ty::F64),
                "ln" => b(self, B::FLn, vec![], Ty::F64),
                "powf" => b(self, B::FPowf, vec![Ty::F64], Ty::F64),
                "powi" => b(self, B::FPowi, vec![Ty::Int(IntTy::I32)], Ty::F64),
                "min" => b(self, B::FMin, vec![Ty::F64], Ty::F64),
                "max" => b(self, B::FMax, vec![Ty::F64], Ty::F64),
                "is_nan" => b(self, B::FIsNan, vec![], Ty::Bool),
                _ => Err(self.no_method(
                    &name,
                    &rt,
                    loc,
                    "f64 has sqrt floor ceil abs sin cos exp ln powf powi min max is_nan",
                )),
            },
            Ty::Str => match name.as_str() {
                "len" => b(self, B::StrLen, vec![], usize_t),
                "is_empty" => {
                    let len = b(self, B::StrLen, vec![], usize_t.clone())?;
                    Ok(self.is_zero(len, loc))
                }
                "byte_at" => b(self, B::StrByteAt, vec![usize_t], Ty::Int(IntTy::U8)),
                "concat" => b(self, B::StrConcat, vec![Ty::Str], Ty::Str),
                "slice" => b(self, B::StrSlice, vec![usize_t.clone(), usize_t], Ty::Str),
                "repeat" => b(self, B::StrRepeat, vec![usize_t], Ty::Str),
                "find" => b(
                    self,
                    B::StrFind,
                    vec![Ty::Str, usize_t.clone()],
                    Ty::Option(Box::new(usize_t)),
                ),
                "starts_with" => b(self, B::StrStartsWith, vec![Ty::Str], Ty::Bool),
                "ends_with" => b(self, B::StrEndsWith, vec![Ty::Str], Ty::Bool),
                "hash" => b(self, B::StrHash, vec![], Ty::Int(IntTy::U64)),
                "compare" => b(self, B::StrCompare, vec![Ty::Str], Ty::Int(IntTy::I64)),
                "parse_i64" => b(
                    self,
                    B::StrParseI64,
                    vec![],
                    Ty::Option(Box::new(Ty::Int(IntTy::I64))),
                ),
                "parse_f64" => b(self, B::StrParseF64, vec![], Ty::Option(Box::new(Ty::F64))),
                _ => {
                    Err(self.no_method(&name, &rt, loc, "see the `Str` operations in docs/dsl.md"))
                }
            },
            Ty::StrBuilder => match name.as_str() {
                "push_str" => b(self, B::SbPushStr, vec![Ty::Str], Ty::Unit),
                "push_byte" => b(self, B::SbPushByte, vec![Ty::Int(IntTy::U8)], Ty::Unit),
                "len" => b(self, B::SbLen, vec![], usize_t),
                "is_empty" => {
                    let len = b(self, B::SbLen, vec![], usize_t.clone())?;
                    Ok(self.is_zero(len, loc))
                }
                "build" => b(self, B::SbBuild, vec![], Ty::Str),
                _ => Err(self.no_method(
                    &name,
                    &rt,
                    loc,
                    "StrBuilder has push_str push_byte len build",
                )),
            },
            Ty::Array(t) => {
                let t = (**t).clone();
                match name.as_str() {
                    "len" => b(self, B::ArrayLen, vec![], usize_t),
                    "is_empty" => {
                        let len = b(self, B::ArrayLen, vec![], usize_t.clone())?;
                        Ok(self.is_zero(len, loc))
                    }
                    "get" => b(self, B::ArrayGet, vec![usize_t], t),
                    "set" => b(self, B::ArraySet, vec![usize_t, t], Ty::Unit),
                    _ => Err(self.no_method(&name, &rt, loc, "GcArray has len get set")),
                }
            }
            Ty::List(t) => {
                let t = (**t).clone();
                match name.as_str() {
                    "len" => b(self, B::ListLen, vec![], usize_t),
                    "is_empty" => {
                        let len = b(self, B::ListLen, vec![], usize_t.clone())?;
                        Ok(self.is_zero(len, loc))
                    }
                    "get" => b(self, B::ListGet, vec![usize_t], t),
                    "set" => b(self, B::ListSet, vec![usize_t, t], Ty::Unit),
                    "push" => b(self, B::ListPush, vec![t], Ty::Unit),
                    "pop" => b(self, B::ListPop, vec![], Ty::Option(Box::new(t))),
                    "insert" => b(self, B::ListInsert, vec![usize_t, t], Ty::Unit),
                    "remove" => b(self, B::ListRemove, vec![usize_t], t),
                    "truncate" => b(self, B::ListTruncate, vec![usize_t], Ty::Unit),
                    "clear" => b(self, B::ListClear, vec![], Ty::Unit),
                    _ => Err(self.no_method(
                        &name,
                        &rt,
                        loc,
                        "GcList has len is_empty get set push pop insert remove truncate clear",
                    )),
                }
            }
            Ty::Map(k, v) => {
                let (k, v) = ((**k).clone(), (**v).clone());
                let kz = self.zonk(&k);
                let key_ok = match &kz {
                    Ty::Int(_) | Ty::Bool | Ty::Str | Ty::Var(_) => true,
                    Ty::Adt(a) | Ty::Gc(a) => self.prog.map_keys.contains_key(a),
                    _ => false,
                };
                if !key_ok {
                    return Err(Diagnostic::new(
                        loc,
                        format!("`{}` cannot be a map key", self.ts(&kz)),
                    )
                    .help("keys are integers, bool, Str, or a type with `impl vmkit::MapKey`"));
                }
                match name.as_str() {
                    "len" => b(self, B::MapLen, vec![], usize_t),
                    "is_empty" => {
                        let len = b(self, B::MapLen, vec![], usize_t.clone())?;
                        Ok(self.is_zero(len, loc))
                    }
                    "get" => b(self, B::MapGet, vec![k], Ty::Option(Box::new(v))),
                    "contains_key" => b(self, B::MapContains, vec![k], Ty::Bool),
                    "insert" => b(self, B::MapInsert, vec![k, v.clone()], Ty::Option(Box::new(v))),
                    "remove" => b(self, B::MapRemove, vec![k], Ty::Option(Box::new(v))),
                    "key_at" => b(self, B::MapKeyAt, vec![usize_t], k),
                    "value_at" => b(self, B::MapValueAt, vec![usize_t], v),
                    "clear" => b(self, B::MapClear, vec![], Ty::Unit),
                    _ => Err(self.no_method(&name, &rt, loc, "GcMap has len is_empty get contains_key insert remove key_at value_at clear")),
                }
            }
            Ty::Option(payload) | Ty::Result(payload, _) => {
                let payload = (**payload).clone();
                self.sum_method(&name, recv, payload, m, loc)
            }
            Ty::Adt(a) | Ty::Gc(a) => {
                let a = *a;
                let Some(f) = self
                    .prog
                    .fns
                    .iter()
                    .position(|f| f.self_adt == Some(a) && f.name == name && f.has_self)
                    .map(|i| FnId(i as u32))
                else {
                    return Err(self.no_method(
                        &name,
                        &rt,
                        loc,
                        "define it in an `impl` block taking `&self`",
                    ));
                };
                let fd = self.prog.func(f);
                let params: Vec<Ty> = fd.params[1..].iter().map(|p| p.ty.clone()).collect();
                let path = fd.path.clone();
                let mut args = vec![recv];
                args.extend(self.check_args(&m.args, &params, loc, &path)?);
                Ok(self.call_fn(f, args, loc))
            }
            _ => Err(self.no_method(
                &name,
                &rt,
                loc,
                "see docs/dsl.md for the methods of each type",
            )),
        }
    }

    fn is_zero(&self, len: Expr, loc: Loc) -> Expr {
        let zero = Expr {
            kind: ExprKind::Lit(Lit::Int(0, IntTy::Usize)),
            ty: Ty::Int(IntTy::Usize),
            loc,
        };
        Expr {
            kind: ExprKind::Binary(BinOp::Eq, Box::new(len), Box::new(zero)),
            ty: Ty::Bool,
            loc,
        }
    }

    fn no_method(&self, name: &str, t: &Ty, loc: Loc, help: &str) -> Diagnostic {
        Diagnostic::new(loc, format!("no method `{name}` on `{}`", self.ts(t)))
            .help(help.to_string())
    }

    /// Methods of `Option` and `Result`, desugared to a `match` on the success variant.
    fn sum_method(
        &mut self,
        name: &str,
        recv: Expr,
        payload: Ty,
        m: &syn::ExprMethodCall,
        loc: Loc,
    ) -> DResult<Expr> {
        let st = recv.ty.clone();
        let is_option = matches!(self.shallow(&st), Ty::Option(_));
        let success = if is_option {
            VariantRef::Some
        } else {
            VariantRef::Ok
        };
        let v = self.temp(payload.clone());
        let ok_pat = |p: PatKind| Pat {
            kind: PatKind::Variant(
                success,
                vec![Pat {
                    kind: p,
                    ty: payload.clone(),
                    loc,
                }],
            ),
            ty: st.clone(),
            loc,
        };
        let wild = Pat {
            kind: PatKind::Wild,
            ty: st.clone(),
            loc,
        };
        let b = |x: bool| Expr {
            kind: ExprKind::Lit(Lit::Bool(x)),
            ty: Ty::Bool,
            loc,
        };
        let local = Expr {
            kind: ExprKind::Local(v),
            ty: payload.clone(),
            loc,
        };
        let (test_true, test_false, help) = if is_option {
            ("is_some", "is_none", "Option has is_some is_none unwrap unwrap_or expect; use `match` or `if let` for the rest")
        } else {
            (
                "is_ok",
                "is_err",
                "Result has is_ok is_err unwrap unwrap_or expect; use `match` or `?` for the rest",
            )
        };
        let (arms, ty) = match name {
            n if n == test_true || n == test_false => {
                self.check_args(&m.args, &[], loc, name)?;
                let s = n == test_true;
                (
                    vec![
                        Arm {
                            pat: ok_pat(PatKind::Wild),
                            guard: None,
                            body: b(s),
                        },
                        Arm {
                            pat: wild,
                            guard: None,
                            body: b(!s),
                        },
                    ],
                    Ty::Bool,
                )
            }
            "unwrap" | "expect" => {
                let msg = if name == "expect" {
                    match m.args.first() {
                        Some(syn::Expr::Lit(syn::ExprLit {
                            lit: syn::Lit::Str(s),
                            ..
                        })) if m.args.len() == 1 => s.value(),
                        _ => {
                            return Err(Diagnostic::new(loc, "`expect` takes a string literal")
                                .help("write `.expect(\"message\")`"))
                        }
                    }
                } else {
                    self.check_args(&m.args, &[], loc, name)?;
                    if is_option {
                        "called `Option::unwrap()` on a `None` value"
                    } else {
                        "called `Result::unwrap()` on an `Err` value"
                    }
                    .to_string()
                };
                let p = Expr {
                    kind: ExprKind::Panic(msg),
                    ty: Ty::Never,
                    loc,
                };
                (
                    vec![
                        Arm {
                            pat: ok_pat(PatKind::Bind(v, None)),
                            guard: None,
                            body: local,
                        },
                        Arm {
                            pat: wild,
                            guard: None,
                            body: p,
                        },
                    ],
                    payload.clone(),
                )
            }
            "unwrap_or" => {
                // Rust evaluates the default eagerly, after the receiver.
                let mut a = self.check_args(&m.args, &[payload.clone()], loc, name)?;
                let (let_recv, recv_local) = self.let_temp(recv);
                let (let_default, default) = self.let_temp(a.remove(0));
                let arms = vec![
                    Arm {
                        pat: ok_pat(PatKind::Bind(v, None)),
                        guard: None,
                        body: local,
                    },
                    Arm {
                        pat: wild,
                        guard: None,
                        body: default,
                    },
                ];
                let m = Expr {
                    kind: ExprKind::Match(Box::new(recv_local), arms),
                    ty: payload.clone(),
                    loc,
                };
                return Ok(Expr {
                    kind: ExprKind::Block(vec![let_recv, let_default], Some(Box::new(m))),
                    ty: payload,
                    loc,
                });
            }
            _ => return Err(self.no_method(name, &st, loc, help)),
        };
        Ok(Expr {
            kind: ExprKind::Match(Box::new(recv), arms),
            ty,
            loc,
        })
    }
}

fn collect_bind_names(p: &Pat, locals: &[LocalDecl], out: &mut BTreeSet<String>) {
    match &p.kind {
        PatKind::Bind(id, sub) => {
            out.insert(locals[id.0 as usize].name.clone());
            if let Some(s) = sub {
                collect_bind_names(s, locals, out);
            }
        }
        PatKind::Tuple(ps) | PatKind::Struct(_, ps) | PatKind::Variant(_, ps) => {
            ps.iter().for_each(|p| collect_bind_names(p, locals, out))
        }
        PatKind::Or(ps) => {
            if let Some(first) = ps.first() {
                collect_bind_names(first, locals, out);
            }
        }
        _ => {}
    }
}

fn has_cfg(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("cfg"))
}

fn cfg_error(loc: Loc) -> Diagnostic {
    Diagnostic::new(loc, "`#[cfg]` on statements is not supported").help("the translator compiles one configuration: put configuration-specific code in separate functions, or test a `const` flag with `if`")
}

fn expr_attrs(e: &syn::Expr) -> Option<&[syn::Attribute]> {
    Some(match e {
        syn::Expr::Call(x) => &x.attrs,
        syn::Expr::MethodCall(x) => &x.attrs,
        syn::Expr::Macro(x) => &x.attrs,
        syn::Expr::Assign(x) => &x.attrs,
        syn::Expr::Binary(x) => &x.attrs,
        syn::Expr::Block(x) => &x.attrs,
        syn::Expr::If(x) => &x.attrs,
        syn::Expr::Match(x) => &x.attrs,
        syn::Expr::While(x) => &x.attrs,
        syn::Expr::ForLoop(x) => &x.attrs,
        syn::Expr::Loop(x) => &x.attrs,
        _ => return None,
    })
}

/// Where an expression's value comes from: the tail of a block, recursively.
fn value_loc(e: &Expr) -> Loc {
    match &e.kind {
        ExprKind::Block(_, Some(t)) => value_loc(t),
        _ => e.loc,
    }
}

/// Does `p` match every value of its type?
pub fn pat_irrefutable(p: &Pat) -> bool {
    match &p.kind {
        PatKind::Wild => true,
        PatKind::Bind(_, s) => s.as_ref().is_none_or(|s| pat_irrefutable(s)),
        PatKind::Tuple(ps) | PatKind::Struct(_, ps) => ps.iter().all(pat_irrefutable),
        PatKind::Or(ps) => ps.iter().any(pat_irrefutable),
        _ => false,
    }
}

fn is_block_like(e: &syn::Expr) -> bool {
    matches!(
        e,
        syn::Expr::If(_)
            | syn::Expr::Match(_)
            | syn::Expr::Loop(_)
            | syn::Expr::While(_)
            | syn::Expr::ForLoop(_)
            | syn::Expr::Block(_)
            | syn::Expr::Unsafe(_)
    )
}

pub fn const_lit(v: &ConstValue) -> Lit {
    match v {
        ConstValue::Int(i, t) => Lit::Int(*i, *t),
        ConstValue::Float(f) => Lit::Float(*f),
        ConstValue::Bool(b) => Lit::Bool(*b),
    }
}

/// Visits the direct sub-expressions (and patterns) of `e`.
pub fn visit_children_mut(
    e: &mut Expr,
    f: &mut dyn FnMut(&mut Expr),
    fp: &mut dyn FnMut(&mut Pat),
) {
    match &mut e.kind {
        ExprKind::Lit(_)
        | ExprKind::Local(_)
        | ExprKind::Continue(_)
        | ExprKind::Panic(_)
        | ExprKind::JitMergePoint(..)
        | ExprKind::CanEnterJit(..) => {}
        ExprKind::Unary(_, a)
        | ExprKind::Cast(a)
        | ExprKind::Field(a, _)
        | ExprKind::GcField(a, _, _)
        | ExprKind::Loop(_, a)
        | ExprKind::Assign(_, a) => f(a),
        ExprKind::Binary(_, a, b)
        | ExprKind::LogicAnd(a, b)
        | ExprKind::LogicOr(a, b)
        | ExprKind::GcSetField(a, _, _, b) => {
            f(a);
            f(b);
        }
        ExprKind::Call(_, xs)
        | ExprKind::Host(_, xs)
        | ExprKind::Builtin(_, xs)
        | ExprKind::Tuple(xs)
        | ExprKind::Struct(_, xs)
        | ExprKind::Variant(_, xs)
        | ExprKind::GcNew(_, _, xs) => xs.iter_mut().for_each(f),
        ExprKind::Block(stmts, tail) => {
            for s in stmts {
                match s {
                    Stmt::Let(p, x) => {
                        fp(p);
                        f(x);
                    }
                    Stmt::Expr(x) => f(x),
                }
            }
            if let Some(t) = tail {
                f(t);
            }
        }
        ExprKind::If(c, t, e2) => {
            f(c);
            f(t);
            if let Some(x) = e2 {
                f(x);
            }
        }
        ExprKind::Match(s, arms) => {
            f(s);
            for a in arms {
                fp(&mut a.pat);
                if let Some(g) = &mut a.guard {
                    f(g);
                }
                f(&mut a.body);
            }
        }
        ExprKind::Break(_, v) | ExprKind::Return(v) => {
            if let Some(x) = v {
                f(x);
            }
        }
    }
}
