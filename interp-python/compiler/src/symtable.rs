//! Scope analysis: which names are fast locals, cells, free variables, explicit or implicit
//! globals, for every module, class, function, lambda and comprehension scope (CPython 3.11
//! rules: class scopes are invisible to nested functions except for the implicit `__class__`
//! cell, comprehensions are function scopes whose walrus targets bind in the enclosing
//! function, `nonlocal` needs a binding in an enclosing function).

use std::collections::{BTreeSet, HashMap};

use ruff_python_ast::{
    Comprehension, ExceptHandler, Expr, InterpolatedStringElement, Parameters, Pattern, Stmt,
};
use ruff_text_size::TextRange;

use crate::errors::CompileError;

/// The kind of a scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScopeKind {
    Module,
    Class,
    Function,
    Lambda,
    Comprehension,
}

impl ScopeKind {
    /// Function-like scopes have fast locals.
    pub fn is_function(self) -> bool {
        matches!(
            self,
            ScopeKind::Function | ScopeKind::Lambda | ScopeKind::Comprehension
        )
    }
}

/// Where a name lives, as seen from one scope.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameScope {
    Local,
    Cell,
    Free,
    GlobalExplicit,
    GlobalImplicit,
}

const DEF_LOCAL: u32 = 1;
const DEF_PARAM: u32 = 2;
const DEF_GLOBAL: u32 = 4;
const DEF_NONLOCAL: u32 = 8;
const USE: u32 = 16;
const DEF_IMPORT: u32 = 32;
/// A comprehension's walrus target: bound in the enclosing function (nonlocal-like).
const DEF_COMP_WALRUS: u32 = 64;
/// An iteration variable of a comprehension.
const DEF_COMP_ITER: u32 = 128;

const DEF_BOUND: u32 = DEF_LOCAL | DEF_PARAM | DEF_IMPORT;

/// One scope and the result of its analysis.
#[derive(Debug)]
pub struct Scope {
    pub kind: ScopeKind,
    pub name: String,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Name flags in first-seen order.
    order: Vec<String>,
    flags: HashMap<String, u32>,
    /// Parameters in varnames order.
    pub params: Vec<String>,
    pub argcount: u32,
    pub posonlyargcount: u32,
    pub kwonlyargcount: u32,
    pub varargs: bool,
    pub varkeywords: bool,
    pub is_generator: bool,
    /// Class scope: a method needs the `__class__` cell.
    pub needs_class_cell: bool,
    /// Resolution of every name used in this scope.
    pub resolved: HashMap<String, NameScope>,
    pub cellvars: Vec<String>,
    pub freevars: Vec<String>,
    /// Where each `nonlocal` name was declared (for error messages).
    decl_ranges: HashMap<String, (usize, usize)>,
}

impl Scope {
    fn new(kind: ScopeKind, name: &str, parent: Option<usize>) -> Self {
        Scope {
            kind,
            name: name.to_string(),
            parent,
            children: Vec::new(),
            order: Vec::new(),
            flags: HashMap::new(),
            params: Vec::new(),
            argcount: 0,
            posonlyargcount: 0,
            kwonlyargcount: 0,
            varargs: false,
            varkeywords: false,
            is_generator: false,
            needs_class_cell: false,
            resolved: HashMap::new(),
            cellvars: Vec::new(),
            freevars: Vec::new(),
            decl_ranges: HashMap::new(),
        }
    }

    fn flag(&self, name: &str) -> u32 {
        self.flags.get(name).copied().unwrap_or(0)
    }

    /// How `name` is accessed from this scope.
    pub fn lookup(&self, name: &str) -> NameScope {
        if let Some(s) = self.resolved.get(name) {
            return *s;
        }
        if self.kind.is_function() && self.flag(name) & DEF_BOUND != 0 {
            NameScope::Local
        } else {
            NameScope::GlobalImplicit
        }
    }

    /// The non-parameter fast locals, in first-seen order (function-like scopes only).
    pub fn other_locals(&self) -> Vec<String> {
        self.order
            .iter()
            .filter(|n| !self.params.contains(n))
            .filter(|n| self.resolved.get(*n) == Some(&NameScope::Local))
            .cloned()
            .collect()
    }
}

/// All scopes of a module; scope 0 is the module.
#[derive(Debug)]
pub struct SymbolTable {
    pub scopes: Vec<Scope>,
    by_range: HashMap<(u32, u32), usize>,
}

impl SymbolTable {
    /// The scope created by the node with this range (function, class, lambda, comprehension).
    pub fn scope_for(&self, range: TextRange) -> Option<usize> {
        self.by_range
            .get(&(range.start().into(), range.end().into()))
            .copied()
    }
}

fn r(range: TextRange) -> (usize, usize) {
    (
        u32::from(range.start()) as usize,
        u32::from(range.end()) as usize,
    )
}

/// Builds and analyses the symbol table of a module.
pub fn build(body: &[Stmt]) -> Result<SymbolTable, CompileError> {
    let mut b = Builder {
        scopes: vec![Scope::new(ScopeKind::Module, "<module>", None)],
        by_range: HashMap::new(),
        stack: vec![0],
    };
    for s in body {
        b.stmt(s)?;
    }
    let mut table = SymbolTable {
        scopes: b.scopes,
        by_range: b.by_range,
    };
    analyze(&mut table, 0, &BTreeSet::new(), &BTreeSet::new())?;
    Ok(table)
}

struct Builder {
    scopes: Vec<Scope>,
    by_range: HashMap<(u32, u32), usize>,
    stack: Vec<usize>,
}

type Res = Result<(), CompileError>;

impl Builder {
    fn cur(&mut self) -> &mut Scope {
        let i = *self.stack.last().unwrap_or(&0);
        &mut self.scopes[i]
    }

    fn add(&mut self, name: &str, flag: u32) {
        let s = self.cur();
        let e = s.flags.entry(name.to_string()).or_insert(0);
        if *e == 0 {
            s.order.push(name.to_string());
        }
        *e |= flag;
    }

    fn push_scope(&mut self, kind: ScopeKind, name: &str, range: TextRange) -> usize {
        let parent = *self.stack.last().unwrap_or(&0);
        let id = self.scopes.len();
        self.scopes.push(Scope::new(kind, name, Some(parent)));
        self.scopes[parent].children.push(id);
        self.by_range
            .insert((range.start().into(), range.end().into()), id);
        self.stack.push(id);
        id
    }

    fn pop_scope(&mut self) {
        self.stack.pop();
    }

    fn body(&mut self, body: &[Stmt]) -> Res {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    fn params(&mut self, p: &Parameters) {
        let id = *self.stack.last().unwrap_or(&0);
        let mut names = Vec::new();
        for a in &p.posonlyargs {
            names.push(a.parameter.name.as_str().to_string());
        }
        for a in &p.args {
            names.push(a.parameter.name.as_str().to_string());
        }
        for a in &p.kwonlyargs {
            names.push(a.parameter.name.as_str().to_string());
        }
        if let Some(v) = &p.vararg {
            names.push(v.name.as_str().to_string());
        }
        if let Some(k) = &p.kwarg {
            names.push(k.name.as_str().to_string());
        }
        for n in &names {
            self.add(n, DEF_PARAM);
        }
        let s = &mut self.scopes[id];
        s.params = names;
        s.posonlyargcount = p.posonlyargs.len() as u32;
        s.argcount = (p.posonlyargs.len() + p.args.len()) as u32;
        s.kwonlyargcount = p.kwonlyargs.len() as u32;
        s.varargs = p.vararg.is_some();
        s.varkeywords = p.kwarg.is_some();
    }

    fn param_defaults(&mut self, p: &Parameters) -> Res {
        for a in p.posonlyargs.iter().chain(&p.args).chain(&p.kwonlyargs) {
            if let Some(d) = &a.default {
                self.expr(d)?;
            }
        }
        Ok(())
    }

    fn declare(&mut self, name: &str, range: TextRange, global: bool) -> Res {
        let kind = self.cur().kind;
        let (s, e) = r(range);
        if !global && kind == ScopeKind::Module {
            return Err(CompileError::syntax(
                "nonlocal declaration not allowed at module level",
                s,
                e,
            ));
        }
        let f = self.cur().flag(name);
        let what = if global { "global" } else { "nonlocal" };
        if f & DEF_PARAM != 0 {
            return Err(CompileError::syntax(
                format!("name '{name}' is parameter and {what}"),
                s,
                e,
            ));
        }
        if global && f & DEF_NONLOCAL != 0 {
            return Err(CompileError::syntax(
                format!("name '{name}' is nonlocal and global"),
                s,
                e,
            ));
        }
        if !global && f & DEF_GLOBAL != 0 {
            return Err(CompileError::syntax(
                format!("name '{name}' is nonlocal and global"),
                s,
                e,
            ));
        }
        if f & (DEF_LOCAL | DEF_IMPORT) != 0 {
            return Err(CompileError::syntax(
                format!("name '{name}' is assigned to before {what} declaration"),
                s,
                e,
            ));
        }
        if f & USE != 0 {
            return Err(CompileError::syntax(
                format!("name '{name}' is used prior to {what} declaration"),
                s,
                e,
            ));
        }
        self.add(name, if global { DEF_GLOBAL } else { DEF_NONLOCAL });
        self.cur().decl_ranges.insert(name.to_string(), (s, e));
        Ok(())
    }

    fn stmt(&mut self, s: &Stmt) -> Res {
        match s {
            Stmt::FunctionDef(f) => {
                for d in &f.decorator_list {
                    self.expr(&d.expression)?;
                }
                self.param_defaults(&f.parameters)?;
                for p in f.parameters.iter() {
                    if let Some(a) = p.annotation() {
                        self.expr(a)?;
                    }
                }
                if let Some(r) = &f.returns {
                    self.expr(r)?;
                }
                self.add(f.name.as_str(), DEF_LOCAL);
                self.push_scope(ScopeKind::Function, f.name.as_str(), f.range);
                self.params(&f.parameters);
                self.body(&f.body)?;
                self.pop_scope();
            }
            Stmt::ClassDef(c) => {
                for d in &c.decorator_list {
                    self.expr(&d.expression)?;
                }
                if let Some(a) = &c.arguments {
                    for e in a.args.iter() {
                        self.expr(e)?;
                    }
                    for k in a.keywords.iter() {
                        self.expr(&k.value)?;
                    }
                }
                self.add(c.name.as_str(), DEF_LOCAL);
                self.push_scope(ScopeKind::Class, c.name.as_str(), c.range);
                self.body(&c.body)?;
                self.pop_scope();
            }
            Stmt::Return(x) => {
                if let Some(v) = &x.value {
                    self.expr(v)?;
                }
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.expr(t)?;
                }
            }
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                for t in &a.targets {
                    self.expr(t)?;
                }
            }
            Stmt::AugAssign(a) => {
                self.expr(&a.value)?;
                if let Expr::Name(n) = &*a.target {
                    self.add(n.id.as_str(), DEF_LOCAL | USE);
                } else {
                    self.expr(&a.target)?;
                }
            }
            Stmt::AnnAssign(a) => {
                if !self.cur().kind.is_function() {
                    self.expr(&a.annotation)?;
                }
                if let Some(v) = &a.value {
                    self.expr(v)?;
                    self.expr(&a.target)?;
                } else if let Expr::Name(n) = &*a.target {
                    // `x: int` alone still makes x local (CPython).
                    self.add(n.id.as_str(), DEF_LOCAL);
                }
            }
            Stmt::For(f) => {
                self.expr(&f.iter)?;
                self.expr(&f.target)?;
                self.body(&f.body)?;
                self.body(&f.orelse)?;
            }
            Stmt::While(w) => {
                self.expr(&w.test)?;
                self.body(&w.body)?;
                self.body(&w.orelse)?;
            }
            Stmt::If(i) => {
                self.expr(&i.test)?;
                self.body(&i.body)?;
                for c in &i.elif_else_clauses {
                    if let Some(t) = &c.test {
                        self.expr(t)?;
                    }
                    self.body(&c.body)?;
                }
            }
            Stmt::With(w) => {
                for it in &w.items {
                    self.expr(&it.context_expr)?;
                    if let Some(v) = &it.optional_vars {
                        self.expr(v)?;
                    }
                }
                self.body(&w.body)?;
            }
            Stmt::Match(m) => {
                self.expr(&m.subject)?;
                for c in &m.cases {
                    self.pattern(&c.pattern)?;
                    if let Some(g) = &c.guard {
                        self.expr(g)?;
                    }
                    self.body(&c.body)?;
                }
            }
            Stmt::Raise(x) => {
                if let Some(e) = &x.exc {
                    self.expr(e)?;
                }
                if let Some(c) = &x.cause {
                    self.expr(c)?;
                }
            }
            Stmt::Try(t) => {
                self.body(&t.body)?;
                for h in &t.handlers {
                    let ExceptHandler::ExceptHandler(h) = h;
                    if let Some(ty) = &h.type_ {
                        self.expr(ty)?;
                    }
                    if let Some(n) = &h.name {
                        self.add(n.as_str(), DEF_LOCAL);
                    }
                    self.body(&h.body)?;
                }
                self.body(&t.orelse)?;
                self.body(&t.finalbody)?;
            }
            Stmt::Assert(a) => {
                self.expr(&a.test)?;
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                }
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    let bound = match &a.asname {
                        Some(n) => n.as_str().to_string(),
                        None => a.name.as_str().split('.').next().unwrap_or("").to_string(),
                    };
                    self.add(&bound, DEF_IMPORT);
                }
            }
            Stmt::ImportFrom(i) => {
                for a in &i.names {
                    if a.name.as_str() == "*" {
                        if self.cur().kind != ScopeKind::Module {
                            let (s, e) = r(i.range);
                            return Err(CompileError::syntax(
                                "import * only allowed at module level",
                                s,
                                e,
                            ));
                        }
                        continue;
                    }
                    let bound = a.asname.as_ref().unwrap_or(&a.name).as_str().to_string();
                    self.add(&bound, DEF_IMPORT);
                }
            }
            Stmt::Global(g) => {
                for n in &g.names {
                    self.declare(n.as_str(), g.range, true)?;
                }
            }
            Stmt::Nonlocal(g) => {
                for n in &g.names {
                    self.declare(n.as_str(), g.range, false)?;
                }
            }
            Stmt::Expr(e) => self.expr(&e.value)?,
            Stmt::Pass(_) | Stmt::Break(_) | Stmt::Continue(_) => {}
            Stmt::TypeAlias(_) | Stmt::IpyEscapeCommand(_) => {}
        }
        Ok(())
    }

    fn pattern(&mut self, p: &Pattern) -> Res {
        match p {
            Pattern::MatchValue(v) => self.expr(&v.value)?,
            Pattern::MatchSingleton(_) => {}
            Pattern::MatchSequence(s) => {
                for p in &s.patterns {
                    self.pattern(p)?;
                }
            }
            Pattern::MatchMapping(m) => {
                for k in &m.keys {
                    self.expr(k)?;
                }
                for p in &m.patterns {
                    self.pattern(p)?;
                }
                if let Some(rest) = &m.rest {
                    self.add(rest.as_str(), DEF_LOCAL);
                }
            }
            Pattern::MatchClass(c) => {
                self.expr(&c.cls)?;
                for p in &c.arguments.patterns {
                    self.pattern(p)?;
                }
                for k in &c.arguments.keywords {
                    self.pattern(&k.pattern)?;
                }
            }
            Pattern::MatchStar(s) => {
                if let Some(n) = &s.name {
                    self.add(n.as_str(), DEF_LOCAL);
                }
            }
            Pattern::MatchAs(a) => {
                if let Some(p) = &a.pattern {
                    self.pattern(p)?;
                }
                if let Some(n) = &a.name {
                    self.add(n.as_str(), DEF_LOCAL);
                }
            }
            Pattern::MatchOr(o) => {
                for p in &o.patterns {
                    self.pattern(p)?;
                }
            }
        }
        Ok(())
    }

    fn comprehension(
        &mut self,
        range: TextRange,
        name: &str,
        generators: &[Comprehension],
        elts: &[&Expr],
        is_genexp: bool,
    ) -> Res {
        let Some(first) = generators.first() else {
            return Ok(());
        };
        // The outermost iterable is evaluated in the enclosing scope.
        self.expr(&first.iter)?;
        let id = self.push_scope(ScopeKind::Comprehension, name, range);
        {
            let s = &mut self.scopes[id];
            s.params = vec![".0".to_string()];
            s.argcount = 1;
            s.is_generator = is_genexp;
        }
        self.add(".0", DEF_PARAM);
        for (i, g) in generators.iter().enumerate() {
            if i > 0 {
                self.expr(&g.iter)?;
            }
            self.comp_target(&g.target)?;
            for cond in &g.ifs {
                self.expr(cond)?;
            }
        }
        for e in elts {
            self.expr(e)?;
        }
        self.pop_scope();
        Ok(())
    }

    fn comp_target(&mut self, t: &Expr) -> Res {
        match t {
            Expr::Name(n) => self.add(n.id.as_str(), DEF_LOCAL | DEF_COMP_ITER),
            Expr::Tuple(x) => {
                for e in &x.elts {
                    self.comp_target(e)?;
                }
            }
            Expr::List(x) => {
                for e in &x.elts {
                    self.comp_target(e)?;
                }
            }
            Expr::Starred(s) => self.comp_target(&s.value)?,
            other => self.expr(other)?,
        }
        Ok(())
    }

    fn walrus_target(&mut self, name: &str, range: TextRange) -> Res {
        let cur = *self.stack.last().unwrap_or(&0);
        if self.scopes[cur].kind != ScopeKind::Comprehension {
            self.add(name, DEF_LOCAL);
            return Ok(());
        }
        let (s, e) = r(range);
        // Every enclosing comprehension treats the name as nonlocal; the first
        // non-comprehension scope binds it.
        for depth in (0..self.stack.len()).rev() {
            let id = self.stack[depth];
            let kind = self.scopes[id].kind;
            if kind == ScopeKind::Comprehension {
                if self.scopes[id].flag(name) & DEF_COMP_ITER != 0 {
                    return Err(CompileError::syntax(
                        format!("assignment expression cannot rebind comprehension iteration variable '{name}'"),
                        s,
                        e,
                    ));
                }
                let sc = &mut self.scopes[id];
                if !sc.flags.contains_key(name) {
                    sc.order.push(name.to_string());
                }
                *sc.flags.entry(name.to_string()).or_insert(0) |= DEF_COMP_WALRUS;
                continue;
            }
            if kind == ScopeKind::Class {
                return Err(CompileError::syntax(
                    "assignment expression within a comprehension cannot be used in a class body",
                    s,
                    e,
                ));
            }
            let sc = &mut self.scopes[id];
            if !sc.flags.contains_key(name) {
                sc.order.push(name.to_string());
            }
            let f = sc.flags.entry(name.to_string()).or_insert(0);
            if kind == ScopeKind::Module {
                *f |= DEF_LOCAL;
                // Mark the comprehensions as seeing a global.
                for d in depth + 1..self.stack.len() {
                    let cid = self.stack[d];
                    if let Some(f) = self.scopes[cid].flags.get_mut(name) {
                        *f = (*f & !DEF_COMP_WALRUS) | DEF_GLOBAL;
                    }
                }
            } else if *f & DEF_GLOBAL == 0 {
                *f |= DEF_LOCAL;
            } else {
                for d in depth + 1..self.stack.len() {
                    let cid = self.stack[d];
                    if let Some(f) = self.scopes[cid].flags.get_mut(name) {
                        *f = (*f & !DEF_COMP_WALRUS) | DEF_GLOBAL;
                    }
                }
            }
            break;
        }
        Ok(())
    }

    fn mark_yield(&mut self, range: TextRange) -> Res {
        let cur = *self.stack.last().unwrap_or(&0);
        let (s, e) = r(range);
        match self.scopes[cur].kind {
            ScopeKind::Module | ScopeKind::Class => {
                Err(CompileError::syntax("'yield' outside function", s, e))
            }
            ScopeKind::Comprehension => {
                let what = match self.scopes[cur].name.as_str() {
                    "<listcomp>" => "list comprehension",
                    "<setcomp>" => "set comprehension",
                    "<dictcomp>" => "dict comprehension",
                    _ => "generator expression",
                };
                Err(CompileError::syntax(format!("'yield' inside {what}"), s, e))
            }
            _ => {
                self.scopes[cur].is_generator = true;
                Ok(())
            }
        }
    }

    fn expr(&mut self, e: &Expr) -> Res {
        match e {
            Expr::BoolOp(b) => {
                for v in &b.values {
                    self.expr(v)?;
                }
            }
            Expr::Named(n) => {
                self.expr(&n.value)?;
                if let Expr::Name(t) = &*n.target {
                    self.walrus_target(t.id.as_str(), n.range)?;
                }
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
            }
            Expr::UnaryOp(u) => self.expr(&u.operand)?,
            Expr::Lambda(l) => {
                if let Some(p) = &l.parameters {
                    self.param_defaults(p)?;
                }
                self.push_scope(ScopeKind::Lambda, "<lambda>", l.range);
                if let Some(p) = &l.parameters {
                    self.params(p);
                }
                self.expr(&l.body)?;
                self.pop_scope();
            }
            Expr::If(i) => {
                self.expr(&i.test)?;
                self.expr(&i.body)?;
                self.expr(&i.orelse)?;
            }
            Expr::Dict(d) => {
                for it in &d.items {
                    if let Some(k) = &it.key {
                        self.expr(k)?;
                    }
                    self.expr(&it.value)?;
                }
            }
            Expr::Set(s) => {
                for x in &s.elts {
                    self.expr(x)?;
                }
            }
            Expr::ListComp(c) => {
                self.comprehension(c.range, "<listcomp>", &c.generators, &[&c.elt], false)?
            }
            Expr::SetComp(c) => {
                self.comprehension(c.range, "<setcomp>", &c.generators, &[&c.elt], false)?
            }
            Expr::DictComp(c) => {
                let mut elts: Vec<&Expr> = Vec::new();
                if let Some(k) = &c.key {
                    elts.push(k);
                }
                elts.push(&c.value);
                self.comprehension(c.range, "<dictcomp>", &c.generators, &elts, false)?
            }
            Expr::Generator(c) => {
                self.comprehension(c.range, "<genexpr>", &c.generators, &[&c.elt], true)?
            }
            Expr::Await(a) => self.expr(&a.value)?,
            Expr::Yield(y) => {
                self.mark_yield(y.range)?;
                if let Some(v) = &y.value {
                    self.expr(v)?;
                }
            }
            Expr::YieldFrom(y) => {
                self.mark_yield(y.range)?;
                self.expr(&y.value)?;
            }
            Expr::Compare(c) => {
                self.expr(&c.left)?;
                for x in c.comparators.iter() {
                    self.expr(x)?;
                }
            }
            Expr::Call(c) => {
                self.expr(&c.func)?;
                for a in c.arguments.args.iter() {
                    self.expr(a)?;
                }
                for k in c.arguments.keywords.iter() {
                    self.expr(&k.value)?;
                }
            }
            Expr::FString(f) => {
                for el in f.value.elements() {
                    self.fstring_element(el)?;
                }
            }
            Expr::TString(_) => {}
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
            | Expr::IpyEscapeCommand(_) => {}
            Expr::Attribute(a) => self.expr(&a.value)?,
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
            }
            Expr::Starred(s) => self.expr(&s.value)?,
            Expr::Name(n) => {
                let name = n.id.as_str();
                if n.ctx.is_load() {
                    self.add(name, USE);
                    let kind = self.cur().kind;
                    if name == "super" && kind.is_function() {
                        // Zero-argument super() needs the `__class__` cell.
                        self.add("__class__", USE);
                    }
                } else {
                    self.add(name, DEF_LOCAL);
                }
            }
            Expr::List(l) => {
                for x in &l.elts {
                    self.expr(x)?;
                }
            }
            Expr::Tuple(t) => {
                for x in &t.elts {
                    self.expr(x)?;
                }
            }
            Expr::Slice(s) => {
                for x in [&s.lower, &s.upper, &s.step].into_iter().flatten() {
                    self.expr(x)?;
                }
            }
        }
        Ok(())
    }

    fn fstring_element(&mut self, el: &InterpolatedStringElement) -> Res {
        if let InterpolatedStringElement::Interpolation(i) = el {
            self.expr(&i.expression)?;
            if let Some(spec) = &i.format_spec {
                for el in spec.elements.iter() {
                    self.fstring_element(el)?;
                }
            }
        }
        Ok(())
    }
}

/// Resolves every name of scope `id` (and its children); returns the names free in `id`.
fn analyze(
    t: &mut SymbolTable,
    id: usize,
    bound: &BTreeSet<String>,
    global: &BTreeSet<String>,
) -> Result<BTreeSet<String>, CompileError> {
    let kind = t.scopes[id].kind;
    let mut local = BTreeSet::new();
    let mut newglobal = global.clone();
    let mut newbound = bound.clone();
    let mut free = BTreeSet::new();
    let names: Vec<(String, u32)> = t.scopes[id]
        .order
        .iter()
        .map(|n| (n.clone(), t.scopes[id].flag(n)))
        .collect();
    for (name, f) in &names {
        let res = if f & DEF_GLOBAL != 0 {
            newglobal.insert(name.clone());
            newbound.remove(name);
            NameScope::GlobalExplicit
        } else if f & (DEF_NONLOCAL | DEF_COMP_WALRUS) != 0 {
            if !bound.contains(name) {
                if f & DEF_COMP_WALRUS != 0 {
                    // Walrus in a comprehension at module level: a global.
                    NameScope::GlobalImplicit
                } else {
                    let (s, e) = t.scopes[id]
                        .decl_ranges
                        .get(name)
                        .copied()
                        .unwrap_or((0, 0));
                    return Err(CompileError::syntax(
                        format!("no binding for nonlocal '{name}' found"),
                        s,
                        e,
                    ));
                }
            } else {
                free.insert(name.clone());
                NameScope::Free
            }
        } else if f & DEF_BOUND != 0 {
            local.insert(name.clone());
            newglobal.remove(name);
            NameScope::Local
        } else if kind != ScopeKind::Class && bound.contains(name) {
            free.insert(name.clone());
            NameScope::Free
        } else if kind == ScopeKind::Class && bound.contains(name) && name != "__class__" {
            // A class body reading a variable of an enclosing function: LOAD_CLASSDEREF.
            free.insert(name.clone());
            NameScope::Free
        } else {
            // Declared global in an enclosing scope, or not bound anywhere: a global.
            NameScope::GlobalImplicit
        };
        t.scopes[id].resolved.insert(name.clone(), res);
    }
    match kind {
        ScopeKind::Module => newbound.clear(),
        ScopeKind::Class => {
            newbound.insert("__class__".to_string());
        }
        _ => {
            for l in &local {
                newbound.insert(l.clone());
            }
        }
    }
    let children = t.scopes[id].children.clone();
    let mut child_free = BTreeSet::new();
    for c in children {
        let cf = analyze(t, c, &newbound, &newglobal)?;
        child_free.extend(cf);
    }
    let mut cells = BTreeSet::new();
    for name in child_free {
        if kind == ScopeKind::Class && name == "__class__" {
            t.scopes[id].needs_class_cell = true;
            cells.insert(name);
            continue;
        }
        let here = t.scopes[id].resolved.get(&name).copied();
        match here {
            Some(NameScope::Local) if kind.is_function() => {
                t.scopes[id].resolved.insert(name.clone(), NameScope::Cell);
                cells.insert(name);
            }
            Some(NameScope::Cell) => {}
            Some(NameScope::GlobalExplicit) => {}
            _ if kind == ScopeKind::Module => {}
            Some(NameScope::Local) | Some(NameScope::GlobalImplicit)
                if kind == ScopeKind::Class =>
            {
                // Bound in the class body but free for a method: the class passes the
                // enclosing function's cell through without changing its own access.
                free.insert(name);
            }
            _ => {
                if here.is_none() {
                    t.scopes[id].resolved.insert(name.clone(), NameScope::Free);
                }
                if here.is_none()
                    || here == Some(NameScope::Free)
                    || here == Some(NameScope::GlobalImplicit)
                {
                    if here == Some(NameScope::GlobalImplicit) && kind.is_function() {
                        t.scopes[id].resolved.insert(name.clone(), NameScope::Free);
                    }
                    free.insert(name);
                }
            }
        }
    }
    let s = &mut t.scopes[id];
    s.cellvars = cells.into_iter().collect();
    s.freevars = free.iter().cloned().collect();
    Ok(free)
}
