//! The code generator's core: code units under construction, labels, name resolution, and the
//! statements (including the `try`/`with`/loop unwinding sequences of `docs/bytecode.md`).
//! Expressions are in `expr.rs`, `match` statements in `pattern.rs`.

use std::collections::HashMap;

use ruff_python_ast::{ExceptHandler, Expr, Parameters, Stmt, StmtClassDef, StmtFunctionDef};
use ruff_text_size::{Ranged, TextRange};

use crate::code::{CodeObject, Const, Instr};
use crate::errors::{CompileError, LineMap};
use crate::opcode::{Op, CO_CLASS_BODY, CO_GENERATOR, CO_OPTIMIZED, CO_VARARGS, CO_VARKEYWORDS};
use crate::symtable::{NameScope, ScopeKind, SymbolTable};

pub type CResult<T = ()> = Result<T, CompileError>;

/// A forward-referencable jump target.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Label(usize);

/// A block that `return`/`break`/`continue` must unwind.
#[derive(Clone, Copy)]
pub enum FBlock<'a> {
    /// A `while` loop (nothing on the stack).
    While { cont: Label, brk: Label },
    /// A `for` loop (its iterator on the stack).
    For { cont: Label, brk: Label },
    /// The body of `try ... finally` (a SETUP_FINALLY block).
    TryFinally {
        finalbody: &'a [ruff_python_ast::Stmt],
    },
    /// The body of `try ... except` (a SETUP_FINALLY block).
    TryExcept,
    /// A `finally` body running for an exception (`e` and an EXCEPT_HANDLER block).
    FinallyEnd,
    /// An `except` handler body without a name (an EXCEPT_HANDLER block).
    Handler,
    /// An `except ... as name` body (EXCEPT_HANDLER + the SETUP_FINALLY cleanup block).
    NamedHandler { name: &'a str },
    /// A `with` body (the exit function on the stack, a SETUP_FINALLY block).
    With,
    /// A `finally` body copied into a return path: the return value is under its stack.
    PopValue,
}

/// One code object under construction.
pub struct Unit<'a> {
    pub scope: usize,
    pub code: CodeObject,
    pub instrs: Vec<(Op, i64, Option<Label>, u32)>,
    pub labels: Vec<Option<usize>>,
    consts: HashMap<String, usize>,
    names: HashMap<String, usize>,
    pub fblocks: Vec<FBlock<'a>>,
    pub line: u32,
    /// The first parameter (for zero-argument `super()`).
    pub first_param: Option<String>,
}

/// The compiler state for one module.
pub struct Compiler<'a> {
    pub source: &'a str,
    pub filename: String,
    pub lines: LineMap,
    pub table: SymbolTable,
    pub units: Vec<Unit<'a>>,
}

pub fn span(range: TextRange) -> (usize, usize) {
    (
        u32::from(range.start()) as usize,
        u32::from(range.end()) as usize,
    )
}

impl<'a> Compiler<'a> {
    pub fn new(source: &'a str, filename: &str, table: SymbolTable) -> Self {
        Compiler {
            source,
            filename: filename.to_string(),
            lines: LineMap::new(source),
            table,
            units: Vec::new(),
        }
    }

    // ----- units, labels, emission -----

    pub fn u(&mut self) -> &mut Unit<'a> {
        self.units.last_mut().expect("a code unit is always open")
    }

    pub fn ur(&self) -> &Unit<'a> {
        self.units.last().expect("a code unit is always open")
    }

    pub fn line_of(&self, range: TextRange) -> u32 {
        self.lines.line_of(u32::from(range.start()) as usize)
    }

    pub fn set_line(&mut self, range: TextRange) -> u32 {
        let l = self.line_of(range);
        std::mem::replace(&mut self.u().line, l)
    }

    pub fn restore_line(&mut self, l: u32) {
        self.u().line = l;
    }

    pub fn emit(&mut self, op: Op, arg: i64) {
        let u = self.u();
        let line = u.line;
        u.instrs.push((op, arg, None, line));
    }

    pub fn op(&mut self, op: Op) {
        self.emit(op, 0);
    }

    pub fn jump(&mut self, op: Op, l: Label) {
        let u = self.u();
        let line = u.line;
        u.instrs.push((op, 0, Some(l), line));
    }

    pub fn new_label(&mut self) -> Label {
        let u = self.u();
        u.labels.push(None);
        Label(u.labels.len() - 1)
    }

    pub fn bind(&mut self, l: Label) {
        let u = self.u();
        u.labels[l.0] = Some(u.instrs.len());
    }

    pub fn const_index(&mut self, c: Const) -> i64 {
        let u = self.u();
        if let Some(k) = c.key() {
            if let Some(i) = u.consts.get(&k) {
                return *i as i64;
            }
            u.consts.insert(k, u.code.consts.len());
        }
        u.code.consts.push(c);
        (u.code.consts.len() - 1) as i64
    }

    pub fn load_const(&mut self, c: Const) {
        let i = self.const_index(c);
        self.emit(Op::LOAD_CONST, i);
    }

    pub fn name_index(&mut self, name: &str) -> i64 {
        let u = self.u();
        if let Some(i) = u.names.get(name) {
            return *i as i64;
        }
        u.names.insert(name.to_string(), u.code.names.len());
        u.code.names.push(name.to_string());
        (u.code.names.len() - 1) as i64
    }

    pub fn emit_name(&mut self, op: Op, name: &str) {
        let i = self.name_index(name);
        self.emit(op, i);
    }

    fn varname_index(&mut self, name: &str) -> i64 {
        let u = self.u();
        if let Some(i) = u.code.varnames.iter().position(|n| n == name) {
            return i as i64;
        }
        u.code.varnames.push(name.to_string());
        (u.code.varnames.len() - 1) as i64
    }

    pub fn cell_index(&self, name: &str) -> Option<i64> {
        let u = self.ur();
        if let Some(i) = u.code.cellvars.iter().position(|n| n == name) {
            return Some(i as i64);
        }
        u.code
            .freevars
            .iter()
            .position(|n| n == name)
            .map(|i| (i + u.code.cellvars.len()) as i64)
    }

    pub fn scope_kind(&self) -> ScopeKind {
        self.table.scopes[self.ur().scope].kind
    }

    /// Opens a code unit for scope `scope`.
    pub fn enter(&mut self, scope: usize, name: &str, qualname: String, firstline: u32) {
        let s = &self.table.scopes[scope];
        let mut code = CodeObject {
            name: name.to_string(),
            qualname,
            filename: self.filename.clone(),
            firstlineno: firstline,
            ..Default::default()
        };
        let mut flags = 0;
        if s.kind.is_function() {
            flags |= CO_OPTIMIZED;
            code.varnames = s.params.clone();
            code.varnames.extend(s.other_locals());
        }
        if s.kind == ScopeKind::Class {
            flags |= CO_CLASS_BODY;
        }
        if s.varargs {
            flags |= CO_VARARGS;
        }
        if s.varkeywords {
            flags |= CO_VARKEYWORDS;
        }
        if s.is_generator {
            flags |= CO_GENERATOR;
        }
        code.flags = flags;
        code.argcount = s.argcount;
        code.posonlyargcount = s.posonlyargcount;
        code.kwonlyargcount = s.kwonlyargcount;
        code.cellvars = s.cellvars.clone();
        code.freevars = s.freevars.clone();
        code.cell2arg = code
            .cellvars
            .iter()
            .map(|c| {
                if s.kind.is_function() {
                    s.params
                        .iter()
                        .position(|p| p == c)
                        .map(|i| i as i64)
                        .unwrap_or(-1)
                } else {
                    -1
                }
            })
            .collect();
        let first_param = if s.kind.is_function() && s.argcount > 0 {
            s.params.first().cloned()
        } else {
            None
        };
        self.units.push(Unit {
            scope,
            code,
            instrs: Vec::new(),
            labels: Vec::new(),
            consts: HashMap::new(),
            names: HashMap::new(),
            fblocks: Vec::new(),
            line: firstline,
            first_param,
        });
    }

    /// Closes the current unit, resolving labels.
    pub fn leave(&mut self) -> CodeObject {
        let u = self.units.pop().expect("leave without enter");
        let mut code = u.code;
        code.instrs = u
            .instrs
            .iter()
            .map(|&(op, arg, label, line)| Instr {
                op,
                arg: match label {
                    Some(l) => u.labels[l.0].unwrap_or(0) as i64,
                    None => arg,
                },
                line,
            })
            .collect();
        code
    }

    /// True when the last emitted instruction ends the flow and no label points past it.
    pub fn ends_flow(&self) -> bool {
        let u = self.ur();
        let n = u.instrs.len();
        match u.instrs.last() {
            Some((op, ..)) if op.is_terminator() => !u.labels.contains(&Some(n)),
            _ => false,
        }
    }

    pub fn qualname_for(&self, name: &str) -> String {
        let u = self.ur();
        match self.table.scopes[u.scope].kind {
            ScopeKind::Module => name.to_string(),
            ScopeKind::Class => format!("{}.{}", u.code.qualname, name),
            _ => format!("{}.<locals>.{}", u.code.qualname, name),
        }
    }

    // ----- names -----

    /// Emits the load/store/delete of a variable according to the scope analysis.
    pub fn name_op(&mut self, name: &str, ctx: NameCtx) {
        let scope = &self.table.scopes[self.ur().scope];
        let kind = scope.kind;
        let ns = scope.lookup(name);
        let (fast, deref, global, named) = match ctx {
            NameCtx::Load => (
                Op::LOAD_FAST,
                Op::LOAD_DEREF,
                Op::LOAD_GLOBAL,
                Op::LOAD_NAME,
            ),
            NameCtx::Store => (
                Op::STORE_FAST,
                Op::STORE_DEREF,
                Op::STORE_GLOBAL,
                Op::STORE_NAME,
            ),
            NameCtx::Del => (
                Op::DELETE_FAST,
                Op::DELETE_DEREF,
                Op::DELETE_GLOBAL,
                Op::DELETE_NAME,
            ),
        };
        match ns {
            NameScope::Cell | NameScope::Free => {
                let op =
                    if kind == ScopeKind::Class && ns == NameScope::Free && ctx == NameCtx::Load {
                        Op::LOAD_CLASSDEREF
                    } else {
                        deref
                    };
                match self.cell_index(name) {
                    Some(i) => self.emit(op, i),
                    None => self.emit_name(if kind.is_function() { global } else { named }, name),
                }
            }
            NameScope::Local => {
                if kind.is_function() {
                    let i = self.varname_index(name);
                    self.emit(fast, i);
                } else {
                    self.emit_name(named, name);
                }
            }
            NameScope::GlobalExplicit => self.emit_name(global, name),
            NameScope::GlobalImplicit => {
                if kind.is_function() {
                    self.emit_name(global, name);
                } else {
                    self.emit_name(named, name);
                }
            }
        }
    }

    pub fn unsupported<T>(&self, what: &str, range: TextRange) -> CResult<T> {
        let (s, e) = span(range);
        Err(CompileError::unsupported(what, s, e))
    }

    // ----- module -----

    pub fn compile_module(&mut self, body: &'a [Stmt]) -> CResult<CodeObject> {
        self.enter(0, "<module>", "<module>".to_string(), 1);
        let body = self.prelude(body);
        self.body(body)?;
        self.implicit_return(body);
        Ok(self.leave())
    }

    /// Module/class body start: `__doc__` from a docstring and an empty `__annotations__`
    /// when the body has annotated names. Returns the statements still to compile.
    fn prelude(&mut self, body: &'a [Stmt]) -> &'a [Stmt] {
        let mut rest = body;
        if let Some(doc) = docstring(body) {
            if let Some(first) = body.first() {
                let saved = self.set_line(first.range());
                self.load_const(Const::Str(doc));
                self.emit_name(Op::STORE_NAME, "__doc__");
                self.restore_line(saved);
            }
            rest = &body[1..];
        }
        if has_annotations(body) {
            self.emit(Op::BUILD_MAP, 0);
            self.emit_name(Op::STORE_NAME, "__annotations__");
        }
        rest
    }

    /// `return None` at the end of a body (on the line of its last statement), unless the flow
    /// cannot get there.
    fn implicit_return(&mut self, body: &[Stmt]) {
        if self.ends_flow() {
            return;
        }
        if let Some(last) = body.last() {
            self.set_line(last.range());
        }
        self.load_const(Const::None);
        self.op(Op::RETURN_VALUE);
    }

    pub fn body(&mut self, body: &'a [Stmt]) -> CResult {
        for s in body {
            self.stmt(s)?;
        }
        Ok(())
    }

    // ----- statements -----

    pub fn stmt(&mut self, s: &'a Stmt) -> CResult {
        let saved = self.set_line(s.range());
        let r = self.stmt_inner(s);
        self.restore_line(saved);
        r
    }

    fn stmt_inner(&mut self, s: &'a Stmt) -> CResult {
        match s {
            Stmt::FunctionDef(f) => self.function_def(f),
            Stmt::ClassDef(c) => self.class_def(c),
            Stmt::Return(r) => {
                if !self.scope_kind().is_function() {
                    let (a, b) = span(r.range);
                    return Err(CompileError::syntax("'return' outside function", a, b));
                }
                match &r.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None),
                }
                self.unwind_all(true)?;
                self.op(Op::RETURN_VALUE);
                Ok(())
            }
            Stmt::Delete(d) => {
                for t in &d.targets {
                    self.delete(t)?;
                }
                Ok(())
            }
            Stmt::Assign(a) => {
                self.expr(&a.value)?;
                let n = a.targets.len();
                for (i, t) in a.targets.iter().enumerate() {
                    if i + 1 < n {
                        self.op(Op::DUP_TOP);
                    }
                    self.store(t)?;
                }
                Ok(())
            }
            Stmt::AugAssign(a) => self.aug_assign(a),
            Stmt::AnnAssign(a) => {
                if let Some(v) = &a.value {
                    self.expr(v)?;
                    self.store(&a.target)?;
                }
                // Module and class bodies record simple annotations in `__annotations__`
                // (created at the start of the body); functions evaluate nothing.
                if !self.scope_kind().is_function() {
                    match &*a.target {
                        Expr::Name(n) if a.simple => {
                            self.expr(&a.annotation)?;
                            self.emit_name(Op::LOAD_NAME, "__annotations__");
                            self.load_const(Const::Str(n.id.as_str().to_string()));
                            self.op(Op::STORE_SUBSCR);
                        }
                        _ => {
                            self.expr(&a.annotation)?;
                            self.op(Op::POP_TOP);
                        }
                    }
                }
                Ok(())
            }
            Stmt::For(f) => {
                if f.is_async {
                    return self.unsupported("'async for'", f.range);
                }
                self.for_stmt(f)
            }
            Stmt::While(w) => self.while_stmt(w),
            Stmt::If(i) => self.if_stmt(i),
            Stmt::With(w) => {
                if w.is_async {
                    return self.unsupported("'async with'", w.range);
                }
                self.with_items(&w.items, &w.body)
            }
            Stmt::Match(m) => self.match_stmt(m),
            Stmt::Raise(r) => {
                let mut n = 0;
                if let Some(e) = &r.exc {
                    self.expr(e)?;
                    n = 1;
                    if let Some(c) = &r.cause {
                        self.expr(c)?;
                        n = 2;
                    }
                }
                self.emit(Op::RAISE_VARARGS, n);
                Ok(())
            }
            Stmt::Try(t) => {
                if t.is_star {
                    return self.unsupported("'except*'", t.range);
                }
                if t.finalbody.is_empty() {
                    self.try_except(t)
                } else {
                    self.try_finally(t)
                }
            }
            Stmt::Assert(a) => {
                let ok = self.new_label();
                self.jump_if(&a.test, true, ok)?;
                self.op(Op::LOAD_ASSERTION_ERROR);
                if let Some(m) = &a.msg {
                    self.expr(m)?;
                    self.emit(Op::CALL_FUNCTION, 1);
                }
                self.emit(Op::RAISE_VARARGS, 1);
                self.bind(ok);
                Ok(())
            }
            Stmt::Import(i) => {
                for a in &i.names {
                    self.emit_name(Op::IMPORT_NAME, a.name.as_str());
                    match &a.asname {
                        Some(n) => {
                            let dotted: Vec<&str> = a.name.as_str().split('.').collect();
                            for part in &dotted[1..] {
                                self.emit_name(Op::IMPORT_FROM, part);
                                self.op(Op::ROT_TWO);
                                self.op(Op::POP_TOP);
                            }
                            self.name_op(n.as_str(), NameCtx::Store);
                        }
                        None => {
                            let first = a.name.as_str().split('.').next().unwrap_or("");
                            self.name_op(first, NameCtx::Store);
                        }
                    }
                }
                Ok(())
            }
            Stmt::ImportFrom(i) => {
                if i.level > 0 {
                    return self.unsupported("relative import", i.range);
                }
                let module = i.module.as_ref().map(|m| m.as_str()).unwrap_or("");
                self.emit_name(Op::IMPORT_NAME, module);
                if i.names.iter().any(|a| a.name.as_str() == "*") {
                    self.op(Op::IMPORT_STAR);
                    return Ok(());
                }
                for a in &i.names {
                    self.emit_name(Op::IMPORT_FROM, a.name.as_str());
                    let bound = a.asname.as_ref().unwrap_or(&a.name);
                    self.name_op(bound.as_str(), NameCtx::Store);
                }
                self.op(Op::POP_TOP);
                Ok(())
            }
            Stmt::Global(_) | Stmt::Nonlocal(_) | Stmt::Pass(_) => Ok(()),
            Stmt::Expr(e) => {
                if is_constant_expr(&e.value) {
                    return Ok(()); // docstrings, `...`: no code (as CPython)
                }
                self.expr(&e.value)?;
                self.op(Op::POP_TOP);
                Ok(())
            }
            Stmt::Break(b) => self.break_continue(true, b.range),
            Stmt::Continue(c) => self.break_continue(false, c.range),
            Stmt::TypeAlias(t) => self.unsupported("the 'type' statement", t.range),
            Stmt::IpyEscapeCommand(c) => self.unsupported("an IPython escape command", c.range),
        }
    }

    fn if_stmt(&mut self, i: &'a ruff_python_ast::StmtIf) -> CResult {
        let end = self.new_label();
        let mut next = self.new_label();
        self.jump_if(&i.test, false, next)?;
        self.body(&i.body)?;
        for clause in &i.elif_else_clauses {
            if !self.ends_flow() {
                self.jump(Op::JUMP, end);
            }
            self.bind(next);
            next = self.new_label();
            let saved = self.set_line(clause.range);
            if let Some(t) = &clause.test {
                self.jump_if(t, false, next)?;
            }
            self.restore_line(saved);
            self.body(&clause.body)?;
        }
        self.bind(next);
        self.bind(end);
        Ok(())
    }

    fn while_stmt(&mut self, w: &'a ruff_python_ast::StmtWhile) -> CResult {
        let top = self.new_label();
        let orelse = self.new_label();
        let end = self.new_label();
        self.bind(top);
        let always = matches!(crate::expr::const_value(&w.test), Some(c) if crate::fold::truthy(&c) == Some(true));
        if !always {
            self.jump_if(&w.test, false, orelse)?;
        }
        self.u().fblocks.push(FBlock::While {
            cont: top,
            brk: end,
        });
        self.body(&w.body)?;
        self.u().fblocks.pop();
        let saved = self.set_line(w.range);
        self.jump(Op::JUMP, top);
        self.restore_line(saved);
        self.bind(orelse);
        self.body(&w.orelse)?;
        self.bind(end);
        Ok(())
    }

    fn for_stmt(&mut self, f: &'a ruff_python_ast::StmtFor) -> CResult {
        let top = self.new_label();
        let orelse = self.new_label();
        let end = self.new_label();
        self.expr(&f.iter)?;
        self.op(Op::GET_ITER);
        self.bind(top);
        self.jump(Op::FOR_ITER, orelse);
        self.store(&f.target)?;
        self.u().fblocks.push(FBlock::For {
            cont: top,
            brk: end,
        });
        self.body(&f.body)?;
        self.u().fblocks.pop();
        let saved = self.set_line(f.range);
        self.jump(Op::JUMP, top);
        self.restore_line(saved);
        self.bind(orelse);
        self.body(&f.orelse)?;
        self.bind(end);
        Ok(())
    }

    /// Emits the exit sequence of one block (innermost first); `keep` means a return value is
    /// on top of the stack and must survive.
    fn unwind_block(&mut self, b: FBlock<'a>, keep: bool) -> CResult {
        match b {
            FBlock::While { .. } => {}
            FBlock::For { .. } | FBlock::PopValue => {
                if keep {
                    self.op(Op::ROT_TWO);
                }
                self.op(Op::POP_TOP);
            }
            FBlock::TryExcept => self.op(Op::POP_BLOCK),
            FBlock::TryFinally { finalbody } => {
                self.op(Op::POP_BLOCK);
                if keep {
                    self.u().fblocks.push(FBlock::PopValue);
                }
                let r = self.body(finalbody);
                if keep {
                    self.u().fblocks.pop();
                }
                r?;
            }
            FBlock::FinallyEnd => {
                if keep {
                    self.op(Op::ROT_TWO);
                }
                self.op(Op::POP_TOP);
                self.op(Op::POP_EXCEPT);
            }
            FBlock::Handler => self.op(Op::POP_EXCEPT),
            FBlock::NamedHandler { name } => {
                self.op(Op::POP_BLOCK);
                self.op(Op::POP_EXCEPT);
                self.load_const(Const::None);
                self.name_op(name, NameCtx::Store);
                self.name_op(name, NameCtx::Del);
            }
            FBlock::With => {
                self.op(Op::POP_BLOCK);
                if keep {
                    self.op(Op::ROT_TWO);
                }
                self.load_const(Const::None);
                self.op(Op::DUP_TOP);
                self.op(Op::DUP_TOP);
                self.emit(Op::CALL_FUNCTION, 3);
                self.op(Op::POP_TOP);
            }
        }
        Ok(())
    }

    /// Unwinds every block (for `return`), restoring the block list afterwards.
    fn unwind_all(&mut self, keep: bool) -> CResult {
        let saved = self.u().fblocks.clone();
        while let Some(b) = self.u().fblocks.pop() {
            if let Err(e) = self.unwind_block(b, keep) {
                self.u().fblocks = saved;
                return Err(e);
            }
        }
        self.u().fblocks = saved;
        Ok(())
    }

    fn break_continue(&mut self, is_break: bool, range: TextRange) -> CResult {
        let saved = self.u().fblocks.clone();
        let result = (|| loop {
            let Some(b) = self.u().fblocks.pop() else {
                let (s, e) = span(range);
                return Err(CompileError::syntax(
                    if is_break {
                        "'break' outside loop"
                    } else {
                        "'continue' not properly in loop"
                    },
                    s,
                    e,
                ));
            };
            match b {
                FBlock::While { cont, brk } => {
                    self.jump(Op::JUMP, if is_break { brk } else { cont });
                    return Ok(());
                }
                FBlock::For { cont, brk } => {
                    if is_break {
                        self.op(Op::POP_TOP);
                        self.jump(Op::JUMP, brk);
                    } else {
                        self.jump(Op::JUMP, cont);
                    }
                    return Ok(());
                }
                other => self.unwind_block(other, false)?,
            }
        })();
        self.u().fblocks = saved;
        result
    }

    fn try_except(&mut self, t: &'a ruff_python_ast::StmtTry) -> CResult {
        let handler = self.new_label();
        let end = self.new_label();
        self.jump(Op::SETUP_FINALLY, handler);
        self.u().fblocks.push(FBlock::TryExcept);
        self.body(&t.body)?;
        self.u().fblocks.pop();
        self.op(Op::POP_BLOCK);
        self.body(&t.orelse)?;
        self.jump(Op::JUMP, end);
        self.bind(handler);
        for h in &t.handlers {
            let ExceptHandler::ExceptHandler(h) = h;
            let saved = self.set_line(h.range);
            let next = self.new_label();
            if let Some(ty) = &h.type_ {
                self.expr(ty)?;
                self.op(Op::CHECK_EXC_MATCH);
                self.jump(Op::POP_JUMP_IF_FALSE, next);
            }
            match &h.name {
                Some(name) => {
                    let name = name.as_str();
                    self.name_op(name, NameCtx::Store);
                    let clean = self.new_label();
                    self.jump(Op::SETUP_FINALLY, clean);
                    self.u().fblocks.push(FBlock::NamedHandler { name });
                    self.body(&h.body)?;
                    self.u().fblocks.pop();
                    self.op(Op::POP_BLOCK);
                    self.op(Op::POP_EXCEPT);
                    self.load_const(Const::None);
                    self.name_op(name, NameCtx::Store);
                    self.name_op(name, NameCtx::Del);
                    self.jump(Op::JUMP, end);
                    self.bind(clean);
                    self.load_const(Const::None);
                    self.name_op(name, NameCtx::Store);
                    self.name_op(name, NameCtx::Del);
                    self.op(Op::RERAISE);
                }
                None => {
                    self.op(Op::POP_TOP);
                    self.u().fblocks.push(FBlock::Handler);
                    self.body(&h.body)?;
                    self.u().fblocks.pop();
                    self.op(Op::POP_EXCEPT);
                    self.jump(Op::JUMP, end);
                }
            }
            self.bind(next);
            self.restore_line(saved);
            if h.type_.is_none() {
                break; // a bare except must be last (the parser enforces it)
            }
        }
        if t.handlers.iter().all(|h| {
            let ExceptHandler::ExceptHandler(h) = h;
            h.type_.is_some()
        }) {
            self.op(Op::RERAISE);
        }
        self.bind(end);
        Ok(())
    }

    fn try_finally(&mut self, t: &'a ruff_python_ast::StmtTry) -> CResult {
        let handler = self.new_label();
        let end = self.new_label();
        self.jump(Op::SETUP_FINALLY, handler);
        self.u().fblocks.push(FBlock::TryFinally {
            finalbody: &t.finalbody,
        });
        if t.handlers.is_empty() {
            self.body(&t.body)?;
            self.body(&t.orelse)?;
        } else {
            self.try_except(t)?;
        }
        self.u().fblocks.pop();
        self.op(Op::POP_BLOCK);
        self.body(&t.finalbody)?;
        self.jump(Op::JUMP, end);
        self.bind(handler);
        self.u().fblocks.push(FBlock::FinallyEnd);
        self.body(&t.finalbody)?;
        self.u().fblocks.pop();
        self.op(Op::RERAISE);
        self.bind(end);
        Ok(())
    }

    fn with_items(&mut self, items: &'a [ruff_python_ast::WithItem], body: &'a [Stmt]) -> CResult {
        let Some((item, rest)) = items.split_first() else {
            return self.body(body);
        };
        let handler = self.new_label();
        let end = self.new_label();
        self.expr(&item.context_expr)?;
        self.jump(Op::SETUP_WITH, handler);
        match &item.optional_vars {
            Some(v) => self.store(v)?,
            None => self.op(Op::POP_TOP),
        }
        self.u().fblocks.push(FBlock::With);
        self.with_items(rest, body)?;
        self.u().fblocks.pop();
        self.op(Op::POP_BLOCK);
        self.load_const(Const::None);
        self.op(Op::DUP_TOP);
        self.op(Op::DUP_TOP);
        self.emit(Op::CALL_FUNCTION, 3);
        self.op(Op::POP_TOP);
        self.jump(Op::JUMP, end);
        self.bind(handler);
        let suppress = self.new_label();
        self.op(Op::WITH_EXCEPT_START);
        self.jump(Op::POP_JUMP_IF_TRUE, suppress);
        self.op(Op::RERAISE);
        self.bind(suppress);
        self.op(Op::POP_TOP);
        self.op(Op::POP_EXCEPT);
        self.op(Op::POP_TOP);
        self.bind(end);
        Ok(())
    }

    fn aug_assign(&mut self, a: &'a ruff_python_ast::StmtAugAssign) -> CResult {
        let kind = crate::expr::binop_kind(a.op) as i64;
        match &*a.target {
            Expr::Name(n) => {
                self.name_op(n.id.as_str(), NameCtx::Load);
                self.expr(&a.value)?;
                self.emit(Op::INPLACE_OP, kind);
                self.name_op(n.id.as_str(), NameCtx::Store);
            }
            Expr::Attribute(at) => {
                self.expr(&at.value)?;
                self.op(Op::DUP_TOP);
                self.emit_name(Op::LOAD_ATTR, at.attr.as_str());
                self.expr(&a.value)?;
                self.emit(Op::INPLACE_OP, kind);
                self.op(Op::ROT_TWO);
                self.emit_name(Op::STORE_ATTR, at.attr.as_str());
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.op(Op::DUP_TOP_TWO);
                self.op(Op::BINARY_SUBSCR);
                self.expr(&a.value)?;
                self.emit(Op::INPLACE_OP, kind);
                self.op(Op::ROT_THREE);
                self.op(Op::STORE_SUBSCR);
            }
            other => {
                let (s, e) = span(other.range());
                return Err(CompileError::syntax(
                    format!(
                        "'{}' is an illegal expression for augmented assignment",
                        crate::errors::expr_kind_name(other)
                    ),
                    s,
                    e,
                ));
            }
        }
        Ok(())
    }

    /// Stores the value on top of the stack into a target.
    pub fn store(&mut self, t: &'a Expr) -> CResult {
        let saved = self.set_line(t.range());
        let r = self.store_inner(t);
        self.restore_line(saved);
        r
    }

    fn store_inner(&mut self, t: &'a Expr) -> CResult {
        match t {
            Expr::Name(n) => self.name_op(n.id.as_str(), NameCtx::Store),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.emit_name(Op::STORE_ATTR, a.attr.as_str());
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.op(Op::STORE_SUBSCR);
            }
            Expr::Tuple(_) | Expr::List(_) => {
                let elts = match t {
                    Expr::Tuple(x) => &x.elts,
                    Expr::List(x) => &x.elts,
                    _ => unreachable!(),
                };
                let stars: Vec<usize> = elts
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| matches!(e, Expr::Starred(_)))
                    .map(|(i, _)| i)
                    .collect();
                match stars.as_slice() {
                    [] => self.emit(Op::UNPACK_SEQUENCE, elts.len() as i64),
                    [i] => {
                        let before = *i;
                        let after = elts.len() - i - 1;
                        if before > 255 || after > 255 {
                            let (s, e) = span(t.range());
                            return Err(CompileError::syntax(
                                "too many expressions in star-unpacking assignment",
                                s,
                                e,
                            ));
                        }
                        self.emit(Op::UNPACK_EX, (before + (after << 8)) as i64);
                    }
                    _ => {
                        let (s, e) = span(t.range());
                        return Err(CompileError::syntax(
                            "multiple starred expressions in assignment",
                            s,
                            e,
                        ));
                    }
                }
                for e in elts {
                    match e {
                        Expr::Starred(s) => self.store(&s.value)?,
                        other => self.store(other)?,
                    }
                }
            }
            Expr::Starred(s) => {
                let (a, b) = span(s.range);
                return Err(CompileError::syntax(
                    "starred assignment target must be in a list or tuple",
                    a,
                    b,
                ));
            }
            other => {
                let (s, e) = span(other.range());
                return Err(CompileError::syntax(
                    format!("cannot assign to {}", crate::errors::expr_kind_name(other)),
                    s,
                    e,
                ));
            }
        }
        Ok(())
    }

    fn delete(&mut self, t: &'a Expr) -> CResult {
        match t {
            Expr::Name(n) => self.name_op(n.id.as_str(), NameCtx::Del),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.emit_name(Op::DELETE_ATTR, a.attr.as_str());
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.op(Op::DELETE_SUBSCR);
            }
            Expr::Tuple(x) => {
                for e in &x.elts {
                    self.delete(e)?;
                }
            }
            Expr::List(x) => {
                for e in &x.elts {
                    self.delete(e)?;
                }
            }
            other => {
                let (s, e) = span(other.range());
                return Err(CompileError::syntax(
                    format!("cannot delete {}", crate::errors::expr_kind_name(other)),
                    s,
                    e,
                ));
            }
        }
        Ok(())
    }

    // ----- functions and classes -----

    /// Emits the default/kw-default tuples of a parameter list; returns the MAKE_FUNCTION flags.
    pub fn defaults(&mut self, p: Option<&'a Parameters>) -> CResult<i64> {
        let Some(p) = p else { return Ok(0) };
        let mut flags = 0;
        let pos: Vec<&Expr> = p
            .posonlyargs
            .iter()
            .chain(&p.args)
            .filter_map(|a| a.default.as_deref())
            .collect();
        if !pos.is_empty() {
            self.tuple_of(&pos)?;
            flags |= 1;
        }
        let kw: Vec<(&str, &'a Expr)> = p
            .kwonlyargs
            .iter()
            .filter_map(|a| a.default.as_deref().map(|d| (a.parameter.name.as_str(), d)))
            .collect();
        if !kw.is_empty() {
            for (n, d) in &kw {
                self.load_const(Const::Str(n.to_string()));
                self.expr(d)?;
            }
            self.emit(Op::BUILD_MAP, kw.len() as i64);
            flags |= 2;
        }
        Ok(flags)
    }

    /// Emits the annotations dict of a `def` (flag 0x04), if it has any.
    fn annotations(&mut self, p: &'a Parameters, returns: Option<&'a Expr>) -> CResult<i64> {
        let mut n = 0;
        let params = p
            .posonlyargs
            .iter()
            .chain(&p.args)
            .map(|a| &a.parameter)
            .chain(p.vararg.as_deref())
            .chain(p.kwonlyargs.iter().map(|a| &a.parameter))
            .chain(p.kwarg.as_deref());
        for param in params {
            if let Some(ann) = &param.annotation {
                self.load_const(Const::Str(param.name.as_str().to_string()));
                self.expr(ann)?;
                n += 1;
            }
        }
        if let Some(r) = returns {
            self.load_const(Const::Str("return".to_string()));
            self.expr(r)?;
            n += 1;
        }
        if n == 0 {
            return Ok(0);
        }
        self.emit(Op::BUILD_MAP, n);
        Ok(4)
    }

    /// Emits `[closure?, code]` and MAKE_FUNCTION for a finished child code object.
    pub fn make_function(&mut self, code: CodeObject, mut flags: i64) {
        if !code.freevars.is_empty() {
            for name in code.freevars.clone() {
                match self.cell_index(&name) {
                    Some(i) => self.emit(Op::LOAD_CLOSURE, i),
                    // Should not happen after a consistent analysis; keep the stack shape.
                    None => self.load_const(Const::None),
                }
            }
            self.emit(Op::BUILD_TUPLE, code.freevars.len() as i64);
            flags |= 8;
        }
        self.load_const(Const::Code(Box::new(code)));
        self.emit(Op::MAKE_FUNCTION, flags);
    }

    fn function_def(&mut self, f: &'a StmtFunctionDef) -> CResult {
        if f.is_async {
            return self.unsupported("'async def'", f.range);
        }
        if f.type_params.is_some() {
            return self.unsupported("type parameters", f.range);
        }
        for d in &f.decorator_list {
            self.expr(&d.expression)?;
        }
        let flags = self.defaults(Some(&f.parameters))?;
        let Some(scope) = self.table.scope_for(f.range) else {
            return self.unsupported("this function", f.range);
        };
        let firstline = match f.decorator_list.first() {
            Some(d) => self.line_of(d.range),
            None => self.line_of(f.range),
        };
        let flags = flags | self.annotations(&f.parameters, f.returns.as_deref())?;
        let qual = self.qualname_for(f.name.as_str());
        self.enter(scope, f.name.as_str(), qual, firstline);
        // consts[0] is the docstring or None (MAKE_FUNCTION takes `__doc__` from it).
        let doc = docstring(&f.body);
        let body: &'a [Stmt] = if doc.is_some() { &f.body[1..] } else { &f.body };
        self.const_index(doc.map(Const::Str).unwrap_or(Const::None));
        self.body(body)?;
        self.implicit_return(body);
        let code = self.leave();
        let saved = self.set_line(f.range);
        self.make_function(code, flags);
        for d in f.decorator_list.iter().rev() {
            self.set_line(d.range);
            self.emit(Op::CALL_FUNCTION, 1);
        }
        self.set_line(f.range);
        self.name_op(f.name.as_str(), NameCtx::Store);
        self.restore_line(saved);
        Ok(())
    }

    fn class_def(&mut self, c: &'a StmtClassDef) -> CResult {
        if c.type_params.is_some() {
            return self.unsupported("type parameters", c.range);
        }
        for d in &c.decorator_list {
            self.expr(&d.expression)?;
        }
        let Some(scope) = self.table.scope_for(c.range) else {
            return self.unsupported("this class", c.range);
        };
        let firstline = match c.decorator_list.first() {
            Some(d) => self.line_of(d.range),
            None => self.line_of(c.range),
        };
        let qual = self.qualname_for(c.name.as_str());
        self.op(Op::LOAD_BUILD_CLASS);
        self.enter(scope, c.name.as_str(), qual.clone(), firstline);
        self.emit_name(Op::LOAD_NAME, "__name__");
        self.emit_name(Op::STORE_NAME, "__module__");
        self.load_const(Const::Str(qual));
        self.emit_name(Op::STORE_NAME, "__qualname__");
        let body = self.prelude(&c.body);
        self.body(body)?;
        if self.table.scopes[scope].needs_class_cell {
            let i = self.cell_index("__class__").unwrap_or(0);
            self.emit(Op::LOAD_CLOSURE, i);
        } else {
            self.load_const(Const::None);
        }
        self.op(Op::RETURN_VALUE);
        let code = self.leave();
        let saved = self.set_line(c.range);
        self.make_function(code, 0);
        self.load_const(Const::Str(c.name.as_str().to_string()));
        match &c.arguments {
            Some(args) => self.call_args(&args.args, &args.keywords, 2)?,
            None => self.emit(Op::CALL_FUNCTION, 2),
        }
        for d in c.decorator_list.iter().rev() {
            self.set_line(d.range);
            self.emit(Op::CALL_FUNCTION, 1);
        }
        self.set_line(c.range);
        self.name_op(c.name.as_str(), NameCtx::Store);
        self.restore_line(saved);
        Ok(())
    }
}

/// How a name is used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameCtx {
    Load,
    Store,
    Del,
}

/// Expression statements that CPython compiles to nothing.
fn is_constant_expr(e: &Expr) -> bool {
    matches!(
        e,
        Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::NumberLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_)
    )
}

/// The docstring of a body: its first statement when that is a plain string literal.
pub fn docstring(body: &[Stmt]) -> Option<String> {
    match body.first() {
        Some(Stmt::Expr(e)) => match &*e.value {
            Expr::StringLiteral(s) => Some(s.value.to_str().to_string()),
            _ => None,
        },
        _ => None,
    }
}

/// Whether a module/class body has annotated simple names (CPython's `find_ann`: nested
/// blocks count, nested functions and classes do not).
fn has_annotations(body: &[Stmt]) -> bool {
    body.iter().any(|s| match s {
        Stmt::AnnAssign(a) => a.simple && matches!(&*a.target, Expr::Name(_)),
        Stmt::For(f) => has_annotations(&f.body) || has_annotations(&f.orelse),
        Stmt::While(w) => has_annotations(&w.body) || has_annotations(&w.orelse),
        Stmt::If(i) => {
            has_annotations(&i.body) || i.elif_else_clauses.iter().any(|c| has_annotations(&c.body))
        }
        Stmt::With(w) => has_annotations(&w.body),
        Stmt::Try(t) => {
            has_annotations(&t.body)
                || has_annotations(&t.orelse)
                || has_annotations(&t.finalbody)
                || t.handlers.iter().any(|h| {
                    let ExceptHandler::ExceptHandler(h) = h;
                    has_annotations(&h.body)
                })
        }
        Stmt::Match(m) => m.cases.iter().any(|c| has_annotations(&c.body)),
        _ => false,
    })
}
