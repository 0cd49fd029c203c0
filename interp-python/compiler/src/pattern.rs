//! `match` statements, lowered with the pattern instructions 120–125 of `docs/bytecode.md`.
//!
//! Each case matches a copy of the subject. A pattern consumes the value on top of the stack;
//! on failure it jumps into a *fail ladder*: label `k` pops `k` values and then jumps to the
//! next alternative, so every failure point only needs to know how many values it leaves.
//! Names are bound as soon as their sub-pattern matches.

use std::collections::BTreeMap;

use ruff_python_ast::{Pattern, Singleton, StmtMatch};
use ruff_text_size::Ranged;

use crate::code::Const;
use crate::codegen::{span, CResult, Compiler, Label, NameCtx};
use crate::errors::CompileError;
use crate::opcode::{CmpOp, Op};

/// Failure targets: jumping to `labels[k]` pops `k` values, then continues at `target`.
struct Ladder {
    base: usize,
    target: Label,
    labels: BTreeMap<usize, Label>,
}

impl<'a> Compiler<'a> {
    fn ladder_label(&mut self, ladder: &mut Ladder, k: usize) -> Label {
        match ladder.labels.get(&k) {
            Some(l) => *l,
            None => {
                let l = self.new_label();
                ladder.labels.insert(k, l);
                l
            }
        }
    }

    fn fail_jump(&mut self, op: Op, ladder: &mut Ladder, on_top: usize) {
        let k = on_top.saturating_sub(ladder.base);
        let l = self.ladder_label(ladder, k);
        self.jump(op, l);
    }

    /// Emits the ladder; `fallthrough` when `target` is the next instruction.
    fn emit_ladder(&mut self, ladder: Ladder, fallthrough: bool) {
        let max = ladder.labels.keys().next_back().copied().unwrap_or(0);
        for k in (1..=max).rev() {
            if let Some(l) = ladder.labels.get(&k) {
                self.bind(*l);
            }
            self.op(Op::POP_TOP);
        }
        if let Some(l) = ladder.labels.get(&0) {
            self.bind(*l);
        }
        if !fallthrough {
            self.jump(Op::JUMP, ladder.target);
        }
    }

    pub fn match_stmt(&mut self, m: &'a StmtMatch) -> CResult {
        self.expr(&m.subject)?;
        let end = self.new_label();
        let n = m.cases.len();
        for (i, case) in m.cases.iter().enumerate() {
            if case.guard.is_none() && case.pattern.is_irrefutable() && i + 1 < n {
                let (s, e) = span(case.pattern.range());
                let msg = match &case.pattern {
                    Pattern::MatchAs(a) if a.pattern.is_none() && a.name.is_some() => format!(
                        "name capture '{}' makes remaining patterns unreachable",
                        a.name.as_ref().map(|x| x.as_str()).unwrap_or("")
                    ),
                    _ => "wildcard makes remaining patterns unreachable".to_string(),
                };
                return Err(CompileError::syntax(msg, s, e));
            }
            let saved = self.set_line(case.range);
            let next = self.new_label();
            self.op(Op::DUP_TOP);
            let mut ladder = Ladder {
                base: 0,
                target: next,
                labels: BTreeMap::new(),
            };
            let mut on_top = 1;
            self.pattern(&case.pattern, &mut ladder, &mut on_top)?;
            if let Some(g) = &case.guard {
                // A failed guard leaves only the subject: ladder level 0.
                let fail = self.ladder_label(&mut ladder, 0);
                self.jump_if(g, false, fail)?;
            }
            self.op(Op::POP_TOP);
            self.restore_line(saved);
            self.body(&case.body)?;
            self.jump(Op::JUMP, end);
            self.emit_ladder(ladder, true);
            self.bind(next);
        }
        self.op(Op::POP_TOP);
        self.bind(end);
        Ok(())
    }

    fn store_capture(&mut self, name: &str) {
        self.name_op(name, NameCtx::Store);
    }

    fn pattern(&mut self, p: &'a Pattern, ladder: &mut Ladder, on_top: &mut usize) -> CResult {
        let saved = self.set_line(p.range());
        let r = self.pattern_inner(p, ladder, on_top);
        self.restore_line(saved);
        r
    }

    fn pattern_inner(
        &mut self,
        p: &'a Pattern,
        ladder: &mut Ladder,
        on_top: &mut usize,
    ) -> CResult {
        match p {
            Pattern::MatchValue(v) => {
                self.expr(&v.value)?;
                self.emit(Op::COMPARE_OP, CmpOp::Eq as i64);
                *on_top -= 1;
                self.fail_jump(Op::POP_JUMP_IF_FALSE, ladder, *on_top);
            }
            Pattern::MatchSingleton(s) => {
                self.load_const(match s.value {
                    Singleton::None => Const::None,
                    Singleton::True => Const::Bool(true),
                    Singleton::False => Const::Bool(false),
                });
                self.emit(Op::IS_OP, 0);
                *on_top -= 1;
                self.fail_jump(Op::POP_JUMP_IF_FALSE, ladder, *on_top);
            }
            Pattern::MatchAs(a) => match (&a.pattern, &a.name) {
                (None, None) => {
                    self.op(Op::POP_TOP);
                    *on_top -= 1;
                }
                (None, Some(n)) => {
                    self.store_capture(n.as_str());
                    *on_top -= 1;
                }
                (Some(sub), None) => self.pattern(sub, ladder, on_top)?,
                (Some(sub), Some(n)) => {
                    self.op(Op::DUP_TOP);
                    *on_top += 1;
                    self.pattern(sub, ladder, on_top)?;
                    self.store_capture(n.as_str());
                    *on_top -= 1;
                }
            },
            Pattern::MatchStar(s) => {
                let (a, b) = span(s.range);
                return Err(CompileError::syntax("can't use starred name here", a, b));
            }
            Pattern::MatchOr(o) => {
                let end = self.new_label();
                let n = *on_top;
                let count = o.patterns.len();
                for (i, alt) in o.patterns.iter().enumerate() {
                    if i + 1 < count {
                        let next_alt = self.new_label();
                        self.op(Op::DUP_TOP);
                        let mut inner = Ladder {
                            base: n,
                            target: next_alt,
                            labels: BTreeMap::new(),
                        };
                        let mut cur = n + 1;
                        self.pattern(alt, &mut inner, &mut cur)?;
                        self.op(Op::POP_TOP);
                        self.jump(Op::JUMP, end);
                        self.emit_ladder(inner, true);
                        self.bind(next_alt);
                    } else {
                        let mut cur = n;
                        self.pattern(alt, ladder, &mut cur)?;
                    }
                }
                self.bind(end);
                *on_top = n - 1;
            }
            Pattern::MatchSequence(s) => {
                let n = *on_top;
                let stars: Vec<usize> = s
                    .patterns
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| matches!(p, Pattern::MatchStar(_)))
                    .map(|(i, _)| i)
                    .collect();
                if stars.len() > 1 {
                    let (a, b) = span(s.range);
                    return Err(CompileError::syntax(
                        "multiple starred names in sequence pattern",
                        a,
                        b,
                    ));
                }
                let k = s.patterns.len();
                self.op(Op::MATCH_SEQUENCE);
                self.fail_jump(Op::POP_JUMP_IF_FALSE, ladder, n);
                self.op(Op::GET_LEN);
                match stars.first() {
                    None => {
                        self.load_const(Const::Int(k as i64));
                        self.emit(Op::COMPARE_OP, CmpOp::Eq as i64);
                    }
                    Some(_) => {
                        self.load_const(Const::Int(k as i64 - 1));
                        self.emit(Op::COMPARE_OP, CmpOp::Ge as i64);
                    }
                }
                self.fail_jump(Op::POP_JUMP_IF_FALSE, ladder, n);
                match stars.first() {
                    None => self.emit(Op::UNPACK_SEQUENCE, k as i64),
                    Some(&i) => {
                        let after = k - i - 1;
                        self.emit(Op::UNPACK_EX, (i + (after << 8)) as i64);
                    }
                }
                *on_top = n - 1 + k;
                for sub in &s.patterns {
                    match sub {
                        Pattern::MatchStar(st) => {
                            match &st.name {
                                Some(name) => self.store_capture(name.as_str()),
                                None => self.op(Op::POP_TOP),
                            }
                            *on_top -= 1;
                        }
                        other => self.pattern(other, ladder, on_top)?,
                    }
                }
            }
            Pattern::MatchMapping(m) => {
                let n = *on_top;
                self.op(Op::MATCH_MAPPING);
                self.fail_jump(Op::POP_JUMP_IF_FALSE, ladder, n);
                let k = m.keys.len();
                if k == 0 && m.rest.is_none() {
                    self.op(Op::POP_TOP);
                    *on_top = n - 1;
                    return Ok(());
                }
                if k > 0 {
                    self.op(Op::GET_LEN);
                    self.load_const(Const::Int(k as i64));
                    self.emit(Op::COMPARE_OP, CmpOp::Ge as i64);
                    self.fail_jump(Op::POP_JUMP_IF_FALSE, ladder, n);
                }
                let keys: Vec<&ruff_python_ast::Expr> = m.keys.iter().collect();
                self.tuple_of(&keys)?;
                self.op(Op::MATCH_KEYS);
                *on_top = n + 2;
                self.op(Op::DUP_TOP);
                self.load_const(Const::None);
                self.emit(Op::IS_OP, 1);
                self.fail_jump(Op::POP_JUMP_IF_FALSE, ladder, n + 2);
                self.emit(Op::UNPACK_SEQUENCE, k as i64);
                *on_top = n + 1 + k;
                for sub in &m.patterns {
                    self.pattern(sub, ladder, on_top)?;
                }
                match &m.rest {
                    Some(rest) => {
                        self.op(Op::COPY_DICT_WITHOUT_KEYS);
                        self.store_capture(rest.as_str());
                        self.op(Op::POP_TOP);
                    }
                    None => {
                        self.op(Op::POP_TOP);
                        self.op(Op::POP_TOP);
                    }
                }
                *on_top = n - 1;
            }
            Pattern::MatchClass(c) => {
                let n = *on_top;
                self.expr(&c.cls)?;
                let names: Vec<Const> = c
                    .arguments
                    .keywords
                    .iter()
                    .map(|k| Const::Str(k.attr.as_str().to_string()))
                    .collect();
                self.load_const(Const::Tuple(names));
                self.emit(Op::MATCH_CLASS, c.arguments.patterns.len() as i64);
                self.op(Op::DUP_TOP);
                self.load_const(Const::None);
                self.emit(Op::IS_OP, 1);
                self.fail_jump(Op::POP_JUMP_IF_FALSE, ladder, n);
                let m = c.arguments.patterns.len() + c.arguments.keywords.len();
                self.emit(Op::UNPACK_SEQUENCE, m as i64);
                *on_top = n - 1 + m;
                for sub in c.arguments.patterns.iter() {
                    self.pattern(sub, ladder, on_top)?;
                }
                for kw in &c.arguments.keywords {
                    self.pattern(&kw.pattern, ladder, on_top)?;
                }
            }
        }
        Ok(())
    }
}
