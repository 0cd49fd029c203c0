//! Expressions: constants (with folding), operators, comparisons and chains, boolean operators
//! and conditional jumps, calls (method calls, keywords, `*`/`**`, zero-argument `super()`),
//! displays, subscripts and slices, f-strings, lambdas, comprehensions, yield.

use ruff_python_ast::{
    self as ast, BoolOp as AstBoolOp, CmpOp as AstCmpOp, ConversionFlag, Expr, FStringPart,
    InterpolatedElement, InterpolatedStringElement, Keyword, Number, Operator, UnaryOp,
};
use ruff_text_size::{Ranged, TextRange};

use crate::code::Const;
use crate::codegen::{span, CResult, Compiler, NameCtx};
use crate::errors::CompileError;
use crate::fold::{self, Unary};
use crate::opcode::{BinOp, CmpOp, Op};

/// The bytecode kind of a Python binary operator.
pub fn binop_kind(op: Operator) -> BinOp {
    match op {
        Operator::Add => BinOp::Add,
        Operator::Sub => BinOp::Sub,
        Operator::Mult => BinOp::Mul,
        Operator::MatMult => BinOp::MatMul,
        Operator::Div => BinOp::TrueDiv,
        Operator::Mod => BinOp::Mod,
        Operator::Pow => BinOp::Pow,
        Operator::LShift => BinOp::LShift,
        Operator::RShift => BinOp::RShift,
        Operator::BitOr => BinOp::Or,
        Operator::BitXor => BinOp::Xor,
        Operator::BitAnd => BinOp::And,
        Operator::FloorDiv => BinOp::FloorDiv,
    }
}

fn cmp_kind(op: AstCmpOp) -> Option<CmpOp> {
    Some(match op {
        AstCmpOp::Eq => CmpOp::Eq,
        AstCmpOp::NotEq => CmpOp::Ne,
        AstCmpOp::Lt => CmpOp::Lt,
        AstCmpOp::LtE => CmpOp::Le,
        AstCmpOp::Gt => CmpOp::Gt,
        AstCmpOp::GtE => CmpOp::Ge,
        _ => return None,
    })
}

/// The value of a constant expression after folding, if it is one.
pub fn const_value(e: &Expr) -> Option<Const> {
    match e {
        Expr::StringLiteral(s) => Some(Const::Str(s.value.to_str().to_string())),
        Expr::BytesLiteral(b) => Some(Const::Bytes(b.value.bytes().collect())),
        Expr::NumberLiteral(n) => match &n.value {
            Number::Int(i) => match i.as_i64() {
                Some(v) => Some(Const::Int(v)),
                None => fold::int_literal(&i.to_string()),
            },
            Number::Float(f) => Some(Const::Float(*f)),
            Number::Complex { .. } => None,
        },
        Expr::BooleanLiteral(b) => Some(Const::Bool(b.value)),
        Expr::NoneLiteral(_) => Some(Const::None),
        Expr::EllipsisLiteral(_) => Some(Const::Ellipsis),
        Expr::Tuple(t) if t.ctx.is_load() => {
            if t.elts.len() > fold::MAX_SIZE {
                return None;
            }
            let items = t.elts.iter().map(const_value).collect::<Option<Vec<_>>>()?;
            Some(Const::Tuple(items))
        }
        Expr::UnaryOp(u) => {
            let a = const_value(&u.operand)?;
            let op = match u.op {
                UnaryOp::USub => Unary::Neg,
                UnaryOp::UAdd => Unary::Pos,
                UnaryOp::Invert => Unary::Invert,
                UnaryOp::Not => Unary::Not,
            };
            fold::unary(op, &a)
        }
        Expr::BinOp(b) => {
            let l = const_value(&b.left)?;
            let r = const_value(&b.right)?;
            fold::binop(binop_kind(b.op), &l, &r)
        }
        Expr::Compare(c) if c.ops.len() == 1 => {
            let op = cmp_kind(c.ops[0])?;
            let l = const_value(&c.left)?;
            let r = const_value(&c.comparators[0])?;
            fold::compare(op, &l, &r)
        }
        _ => None,
    }
}

/// What a comprehension builds.
#[derive(Clone, Copy, PartialEq, Eq)]
enum CompKind {
    List,
    Set,
    Dict,
    Gen,
}

enum Piece<'a> {
    Lit(String),
    Val(&'a InterpolatedElement),
}

impl<'a> Compiler<'a> {
    /// Compiles an expression, leaving its value on the stack.
    pub fn expr(&mut self, e: &'a Expr) -> CResult {
        let saved = self.set_line(e.range());
        let r = self.expr_inner(e);
        self.restore_line(saved);
        r
    }

    fn expr_inner(&mut self, e: &'a Expr) -> CResult {
        if let Some(c) = const_value(e) {
            self.load_const(c);
            return Ok(());
        }
        match e {
            Expr::BoolOp(b) => {
                let end = self.new_label();
                let op = if b.op == AstBoolOp::And {
                    Op::JUMP_IF_FALSE_OR_POP
                } else {
                    Op::JUMP_IF_TRUE_OR_POP
                };
                let n = b.values.len();
                for (i, v) in b.values.iter().enumerate() {
                    self.expr(v)?;
                    if i + 1 < n {
                        self.jump(op, end);
                    }
                }
                self.bind(end);
            }
            Expr::Named(n) => {
                self.expr(&n.value)?;
                self.op(Op::DUP_TOP);
                self.store(&n.target)?;
            }
            Expr::BinOp(b) => {
                self.expr(&b.left)?;
                self.expr(&b.right)?;
                self.emit(Op::BINARY_OP, binop_kind(b.op) as i64);
            }
            Expr::UnaryOp(u) => {
                self.expr(&u.operand)?;
                self.op(match u.op {
                    UnaryOp::USub => Op::UNARY_NEGATIVE,
                    UnaryOp::UAdd => Op::UNARY_POSITIVE,
                    UnaryOp::Invert => Op::UNARY_INVERT,
                    UnaryOp::Not => Op::UNARY_NOT,
                });
            }
            Expr::Lambda(l) => {
                let flags = self.defaults(l.parameters.as_deref())?;
                let Some(scope) = self.table.scope_for(l.range) else {
                    return self.unsupported("this lambda", l.range);
                };
                let qual = self.qualname_for("<lambda>");
                let line = self.line_of(l.range);
                self.enter(scope, "<lambda>", qual, line);
                // consts[0] is None: a lambda has no docstring.
                self.const_index(Const::None);
                self.expr(&l.body)?;
                self.op(Op::RETURN_VALUE);
                let code = self.leave();
                self.make_function(code, flags);
            }
            Expr::If(i) => {
                let orelse = self.new_label();
                let end = self.new_label();
                self.jump_if(&i.test, false, orelse)?;
                self.expr(&i.body)?;
                self.jump(Op::JUMP, end);
                self.bind(orelse);
                self.expr(&i.orelse)?;
                self.bind(end);
            }
            Expr::Dict(d) => {
                let mut n = 0;
                let mut have = false;
                for item in &d.items {
                    match &item.key {
                        Some(k) => {
                            self.expr(k)?;
                            self.expr(&item.value)?;
                            n += 1;
                        }
                        None => {
                            if !have {
                                self.emit(Op::BUILD_MAP, n);
                                have = true;
                            } else if n > 0 {
                                self.emit(Op::BUILD_MAP, n);
                                self.emit(Op::DICT_UPDATE, 1);
                            }
                            n = 0;
                            self.expr(&item.value)?;
                            self.emit(Op::DICT_UPDATE, 1);
                        }
                    }
                }
                if !have {
                    self.emit(Op::BUILD_MAP, n);
                } else if n > 0 {
                    self.emit(Op::BUILD_MAP, n);
                    self.emit(Op::DICT_UPDATE, 1);
                }
            }
            Expr::Set(s) => {
                self.starred_build(&s.elts, Op::BUILD_SET, Op::SET_ADD, Op::SET_UPDATE)?
            }
            Expr::List(l) => {
                self.starred_build(&l.elts, Op::BUILD_LIST, Op::LIST_APPEND, Op::LIST_EXTEND)?
            }
            Expr::Tuple(t) => {
                if t.elts.iter().any(|x| matches!(x, Expr::Starred(_))) {
                    self.starred_build(&t.elts, Op::BUILD_LIST, Op::LIST_APPEND, Op::LIST_EXTEND)?;
                    self.op(Op::LIST_TO_TUPLE);
                } else {
                    for x in &t.elts {
                        self.expr(x)?;
                    }
                    self.emit(Op::BUILD_TUPLE, t.elts.len() as i64);
                }
            }
            Expr::ListComp(c) => self.comprehension(
                c.range,
                "<listcomp>",
                &c.generators,
                CompKind::List,
                &c.elt,
                None,
            )?,
            Expr::SetComp(c) => self.comprehension(
                c.range,
                "<setcomp>",
                &c.generators,
                CompKind::Set,
                &c.elt,
                None,
            )?,
            Expr::DictComp(c) => match &c.key {
                Some(k) => self.comprehension(
                    c.range,
                    "<dictcomp>",
                    &c.generators,
                    CompKind::Dict,
                    k,
                    Some(&c.value),
                )?,
                None => return self.unsupported("dict unpacking in a comprehension", c.range),
            },
            Expr::Generator(c) => self.comprehension(
                c.range,
                "<genexpr>",
                &c.generators,
                CompKind::Gen,
                &c.elt,
                None,
            )?,
            Expr::Await(a) => return self.unsupported("'await'", a.range),
            Expr::Yield(y) => {
                match &y.value {
                    Some(v) => self.expr(v)?,
                    None => self.load_const(Const::None),
                }
                self.op(Op::YIELD_VALUE);
            }
            Expr::YieldFrom(y) => {
                self.expr(&y.value)?;
                self.op(Op::GET_YIELD_FROM_ITER);
                self.load_const(Const::None);
                self.op(Op::YIELD_FROM);
            }
            Expr::Compare(c) => self.compare(c)?,
            Expr::Call(c) => self.call(c)?,
            Expr::FString(f) => self.fstring(f)?,
            Expr::TString(t) => return self.unsupported("template strings", t.range),
            Expr::NumberLiteral(n) => return self.unsupported("complex numbers", n.range),
            Expr::StringLiteral(_)
            | Expr::BytesLiteral(_)
            | Expr::BooleanLiteral(_)
            | Expr::NoneLiteral(_)
            | Expr::EllipsisLiteral(_) => return self.unsupported("this literal", e.range()),
            Expr::Attribute(a) => {
                self.expr(&a.value)?;
                self.emit_name(Op::LOAD_ATTR, a.attr.as_str());
            }
            Expr::Subscript(s) => {
                self.expr(&s.value)?;
                self.expr(&s.slice)?;
                self.op(Op::BINARY_SUBSCR);
            }
            Expr::Starred(s) => {
                let (a, b) = span(s.range);
                return Err(CompileError::syntax(
                    "can't use starred expression here",
                    a,
                    b,
                ));
            }
            Expr::Name(n) => self.name_op(n.id.as_str(), NameCtx::Load),
            Expr::Slice(s) => {
                for part in [&s.lower, &s.upper] {
                    match part {
                        Some(x) => self.expr(x)?,
                        None => self.load_const(Const::None),
                    }
                }
                match &s.step {
                    Some(x) => {
                        self.expr(x)?;
                        self.emit(Op::BUILD_SLICE, 3);
                    }
                    None => self.emit(Op::BUILD_SLICE, 2),
                }
            }
            Expr::IpyEscapeCommand(c) => {
                return self.unsupported("an IPython escape command", c.range)
            }
        }
        Ok(())
    }

    /// A list/set display (or the list behind a starred tuple).
    fn starred_build(&mut self, elts: &'a [Expr], build: Op, add: Op, update: Op) -> CResult {
        let prefix = elts
            .iter()
            .take_while(|x| !matches!(x, Expr::Starred(_)))
            .count();
        for x in &elts[..prefix] {
            self.expr(x)?;
        }
        self.emit(build, prefix as i64);
        for x in &elts[prefix..] {
            match x {
                Expr::Starred(s) => {
                    self.expr(&s.value)?;
                    self.emit(update, 1);
                }
                other => {
                    self.expr(other)?;
                    self.emit(add, 1);
                }
            }
        }
        Ok(())
    }

    /// A tuple of the values of `items` (one constant when they all are constants).
    pub fn tuple_of(&mut self, items: &[&'a Expr]) -> CResult {
        if let Some(cs) = items
            .iter()
            .map(|e| const_value(e))
            .collect::<Option<Vec<_>>>()
        {
            self.load_const(Const::Tuple(cs));
            return Ok(());
        }
        for e in items {
            self.expr(e)?;
        }
        self.emit(Op::BUILD_TUPLE, items.len() as i64);
        Ok(())
    }

    fn cmp_op(&mut self, op: AstCmpOp) {
        match op {
            AstCmpOp::Is => self.emit(Op::IS_OP, 0),
            AstCmpOp::IsNot => self.emit(Op::IS_OP, 1),
            AstCmpOp::In => self.emit(Op::CONTAINS_OP, 0),
            AstCmpOp::NotIn => self.emit(Op::CONTAINS_OP, 1),
            other => self.emit(
                Op::COMPARE_OP,
                cmp_kind(other).map(|k| k as i64).unwrap_or(2),
            ),
        }
    }

    fn compare(&mut self, c: &'a ast::ExprCompare) -> CResult {
        self.expr(&c.left)?;
        let n = c.ops.len();
        if n == 1 {
            self.expr(&c.comparators[0])?;
            self.cmp_op(c.ops[0]);
            return Ok(());
        }
        let cleanup = self.new_label();
        let end = self.new_label();
        for i in 0..n - 1 {
            self.expr(&c.comparators[i])?;
            self.op(Op::DUP_TOP);
            self.op(Op::ROT_THREE);
            self.cmp_op(c.ops[i]);
            self.jump(Op::JUMP_IF_FALSE_OR_POP, cleanup);
        }
        self.expr(&c.comparators[n - 1])?;
        self.cmp_op(c.ops[n - 1]);
        self.jump(Op::JUMP, end);
        self.bind(cleanup);
        self.op(Op::ROT_TWO);
        self.op(Op::POP_TOP);
        self.bind(end);
        Ok(())
    }

    /// Jumps to `target` when the truth value of `e` equals `cond` (consuming it either way).
    pub fn jump_if(&mut self, e: &'a Expr, cond: bool, target: crate::codegen::Label) -> CResult {
        if let Some(c) = const_value(e) {
            if let Some(t) = fold::truthy(&c) {
                if t == cond {
                    self.jump(Op::JUMP, target);
                }
                return Ok(());
            }
        }
        match e {
            Expr::UnaryOp(u) if u.op == UnaryOp::Not => self.jump_if(&u.operand, !cond, target),
            Expr::BoolOp(b) => {
                let is_and = b.op == AstBoolOp::And;
                let n = b.values.len();
                if is_and != cond {
                    // and/false or or/true: any operand decides.
                    for v in &b.values {
                        self.jump_if(v, cond, target)?;
                    }
                } else {
                    let skip = self.new_label();
                    for v in &b.values[..n - 1] {
                        self.jump_if(v, !cond, skip)?;
                    }
                    self.jump_if(&b.values[n - 1], cond, target)?;
                    self.bind(skip);
                }
                Ok(())
            }
            _ => {
                self.expr(e)?;
                let saved = self.set_line(e.range());
                self.jump(
                    if cond {
                        Op::POP_JUMP_IF_TRUE
                    } else {
                        Op::POP_JUMP_IF_FALSE
                    },
                    target,
                );
                self.restore_line(saved);
                Ok(())
            }
        }
    }

    fn call(&mut self, c: &'a ast::ExprCall) -> CResult {
        let args = &c.arguments.args;
        let kws = &c.arguments.keywords;
        // Zero-argument super() → super(__class__, <first parameter>).
        if let Expr::Name(n) = &*c.func {
            if n.id.as_str() == "super"
                && args.is_empty()
                && kws.is_empty()
                && self.scope_kind().is_function()
            {
                if let (Some(first), Some(cell)) =
                    (self.ur().first_param.clone(), self.cell_index("__class__"))
                {
                    self.name_op("super", NameCtx::Load);
                    self.emit(Op::LOAD_DEREF, cell);
                    self.name_op(&first, NameCtx::Load);
                    let saved = self.set_line(c.range());
                    self.emit(Op::CALL_FUNCTION, 2);
                    self.restore_line(saved);
                    return Ok(());
                }
            }
        }
        let simple = !args.iter().any(|a| matches!(a, Expr::Starred(_))) && kws.is_empty();
        if let (Expr::Attribute(a), true) = (&*c.func, simple) {
            self.expr(&a.value)?;
            let saved = self.set_line(a.range);
            self.emit_name(Op::LOAD_METHOD, a.attr.as_str());
            self.restore_line(saved);
            for x in args.iter() {
                self.expr(x)?;
            }
            let saved = self.set_line(c.range());
            self.emit(Op::CALL_METHOD, args.len() as i64);
            self.restore_line(saved);
            return Ok(());
        }
        self.expr(&c.func)?;
        self.call_args(args, kws, 0)
    }

    /// Pushes the arguments and emits the call; `pushed` positional arguments are already on
    /// the stack above the callable (class creation: the body function and the name).
    pub fn call_args(&mut self, args: &'a [Expr], kws: &'a [Keyword], pushed: usize) -> CResult {
        let mut seen = std::collections::HashSet::new();
        for k in kws {
            if let Some(a) = &k.arg {
                if !seen.insert(a.as_str()) {
                    let (s, e) = span(k.range);
                    return Err(CompileError::syntax(
                        format!("keyword argument repeated: {}", a.as_str()),
                        s,
                        e,
                    ));
                }
            }
        }
        let has_star = args.iter().any(|a| matches!(a, Expr::Starred(_)));
        let has_dstar = kws.iter().any(|k| k.arg.is_none());
        if !has_star && !has_dstar {
            for a in args {
                self.expr(a)?;
            }
            if kws.is_empty() {
                self.emit(Op::CALL_FUNCTION, (pushed + args.len()) as i64);
            } else {
                let mut names = Vec::new();
                for k in kws {
                    self.expr(&k.value)?;
                    names.push(Const::Str(
                        k.arg
                            .as_ref()
                            .map(|a| a.as_str().to_string())
                            .unwrap_or_default(),
                    ));
                }
                self.load_const(Const::Tuple(names));
                self.emit(
                    Op::CALL_FUNCTION_KW,
                    (pushed + args.len() + kws.len()) as i64,
                );
            }
            return Ok(());
        }
        // Positional arguments as one tuple.
        if pushed == 0 && !has_star {
            let items: Vec<&Expr> = args.iter().collect();
            self.tuple_of(&items)?;
        } else {
            self.emit(Op::BUILD_LIST, pushed as i64);
            for a in args {
                match a {
                    Expr::Starred(s) => {
                        self.expr(&s.value)?;
                        self.emit(Op::LIST_EXTEND, 1);
                    }
                    other => {
                        self.expr(other)?;
                        self.emit(Op::LIST_APPEND, 1);
                    }
                }
            }
            self.op(Op::LIST_TO_TUPLE);
        }
        if kws.is_empty() {
            self.emit(Op::CALL_FUNCTION_EX, 0);
            return Ok(());
        }
        let mut have = false;
        let mut pending: Vec<&'a Keyword> = Vec::new();
        for k in kws {
            if k.arg.is_some() {
                pending.push(k);
                continue;
            }
            self.flush_keywords(&mut pending, &mut have)?;
            if !have {
                self.emit(Op::BUILD_MAP, 0);
                have = true;
            }
            self.expr(&k.value)?;
            self.emit(Op::DICT_MERGE, 1);
        }
        self.flush_keywords(&mut pending, &mut have)?;
        self.emit(Op::CALL_FUNCTION_EX, 1);
        Ok(())
    }

    fn flush_keywords(&mut self, pending: &mut Vec<&'a Keyword>, have: &mut bool) -> CResult {
        if pending.is_empty() {
            return Ok(());
        }
        for k in pending.iter() {
            let name = k
                .arg
                .as_ref()
                .map(|a| a.as_str().to_string())
                .unwrap_or_default();
            self.load_const(Const::Str(name));
            self.expr(&k.value)?;
        }
        self.emit(Op::BUILD_MAP, pending.len() as i64);
        if *have {
            self.emit(Op::DICT_MERGE, 1);
        }
        *have = true;
        pending.clear();
        Ok(())
    }

    // ----- f-strings -----

    fn pieces(&self, elements: &'a [InterpolatedStringElement], out: &mut Vec<Piece<'a>>) {
        for el in elements {
            match el {
                InterpolatedStringElement::Literal(l) => out.push(Piece::Lit(l.value.to_string())),
                InterpolatedStringElement::Interpolation(i) => {
                    if let Some(d) = &i.debug_text {
                        out.push(Piece::Lit(d.as_str().to_string()));
                    }
                    out.push(Piece::Val(i));
                }
            }
        }
    }

    fn emit_pieces(&mut self, pieces: Vec<Piece<'a>>) -> CResult {
        // Merge adjacent literals, drop empty ones.
        let mut merged: Vec<Piece<'a>> = Vec::new();
        for p in pieces {
            match (merged.last_mut(), p) {
                (_, Piece::Lit(s)) if s.is_empty() => {}
                (Some(Piece::Lit(prev)), Piece::Lit(s)) => prev.push_str(&s),
                (_, p) => merged.push(p),
            }
        }
        let n = merged.len();
        if n == 0 {
            self.load_const(Const::Str(String::new()));
            return Ok(());
        }
        for p in merged {
            match p {
                Piece::Lit(s) => self.load_const(Const::Str(s)),
                Piece::Val(i) => self.formatted_value(i)?,
            }
        }
        if n > 1 {
            self.emit(Op::BUILD_STRING, n as i64);
        }
        Ok(())
    }

    fn formatted_value(&mut self, i: &'a InterpolatedElement) -> CResult {
        self.expr(&i.expression)?;
        let mut flags = match i.conversion {
            ConversionFlag::None => {
                if i.debug_text.is_some() && i.format_spec.is_none() {
                    2
                } else {
                    0
                }
            }
            ConversionFlag::Str => 1,
            ConversionFlag::Repr => 2,
            ConversionFlag::Ascii => 3,
        };
        if let Some(spec) = &i.format_spec {
            let mut pieces = Vec::new();
            self.pieces(&spec.elements, &mut pieces);
            self.emit_pieces(pieces)?;
            flags |= 4;
        }
        self.emit(Op::FORMAT_VALUE, flags);
        Ok(())
    }

    fn fstring(&mut self, f: &'a ast::ExprFString) -> CResult {
        let mut pieces = Vec::new();
        for part in f.value.iter() {
            match part {
                FStringPart::Literal(l) => pieces.push(Piece::Lit(l.value.to_string())),
                FStringPart::FString(fs) => self.pieces(&fs.elements, &mut pieces),
            }
        }
        self.emit_pieces(pieces)
    }

    // ----- comprehensions -----

    fn comprehension(
        &mut self,
        range: TextRange,
        name: &str,
        gens: &'a [ast::Comprehension],
        kind: CompKind,
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> CResult {
        if let Some(g) = gens.iter().find(|g| g.is_async) {
            return self.unsupported("asynchronous comprehensions", g.range);
        }
        let Some(scope) = self.table.scope_for(range) else {
            return self.unsupported("this comprehension", range);
        };
        let qual = self.qualname_for(name);
        let line = self.line_of(range);
        self.enter(scope, name, qual, line);
        match kind {
            CompKind::List => self.emit(Op::BUILD_LIST, 0),
            CompKind::Set => self.emit(Op::BUILD_SET, 0),
            CompKind::Dict => self.emit(Op::BUILD_MAP, 0),
            CompKind::Gen => {}
        }
        self.comp_loop(gens, 0, kind, elt, value)?;
        if kind == CompKind::Gen {
            self.load_const(Const::None);
        }
        self.op(Op::RETURN_VALUE);
        let code = self.leave();
        self.make_function(code, 0);
        self.expr(&gens[0].iter)?;
        self.op(Op::GET_ITER);
        self.emit(Op::CALL_FUNCTION, 1);
        Ok(())
    }

    fn comp_loop(
        &mut self,
        gens: &'a [ast::Comprehension],
        i: usize,
        kind: CompKind,
        elt: &'a Expr,
        value: Option<&'a Expr>,
    ) -> CResult {
        let g = &gens[i];
        let start = self.new_label();
        let end = self.new_label();
        if i == 0 {
            self.emit(Op::LOAD_FAST, 0);
        } else {
            self.expr(&g.iter)?;
            self.op(Op::GET_ITER);
        }
        self.bind(start);
        self.jump(Op::FOR_ITER, end);
        self.store(&g.target)?;
        for cond in &g.ifs {
            self.jump_if(cond, false, start)?;
        }
        if i + 1 < gens.len() {
            self.comp_loop(gens, i + 1, kind, elt, value)?;
        } else {
            let depth = gens.len() as i64 + 1;
            match kind {
                CompKind::List => {
                    self.expr(elt)?;
                    self.emit(Op::LIST_APPEND, depth);
                }
                CompKind::Set => {
                    self.expr(elt)?;
                    self.emit(Op::SET_ADD, depth);
                }
                CompKind::Dict => {
                    self.expr(elt)?;
                    if let Some(v) = value {
                        self.expr(v)?;
                    }
                    self.emit(Op::MAP_ADD, depth);
                }
                CompKind::Gen => {
                    self.expr(elt)?;
                    self.op(Op::YIELD_VALUE);
                    self.op(Op::POP_TOP);
                }
            }
        }
        self.jump(Op::JUMP, start);
        self.bind(end);
        Ok(())
    }
}
