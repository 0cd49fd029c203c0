//! Integer bounds (`enable_opts` item `intbounds`): the range each integer variable can have,
//! from constants, arithmetic and the guards on comparisons before it, used to drop overflow
//! checks that cannot fail (`int_ovf` whose flag is then the constant 0, and the guard on it)
//! and to fold comparisons the ranges decide (with the guards on them); integer and bool
//! operations whose arguments became constants are folded on the way.
//!
//! One forward pass over the trace. A range is kept with the integer type of the operation
//! that produced or checked it and only used by operations of that type. Facts stay valid
//! across the `label` of a peeled loop (values from before it are the same in every
//! iteration; the loop variables it defines start unknown) but not across a `bridge` segment
//! of a trace tree, which runs only when its guard failed: every fact is dropped there.

use rustc_hash::FxHashMap as HashMap;
use vmkit_jit_ir::ops::{self, BinOp, IntTy, Ty};
use vmkit_jit_ir::trace::{GuardKind, OpKind, Operand, Trace};

/// A closed interval of mathematical values.
type Range = (i128, i128);

/// The values of `ty` (64-bit targets: `usize` is 64 bits).
fn domain(ty: IntTy) -> Range {
    match ty {
        IntTy::I64 => (i64::MIN as i128, i64::MAX as i128),
        IntTy::U64 | IntTy::Usize => (0, u64::MAX as i128),
        IntTy::U8 => (0, u8::MAX as i128),
        IntTy::U32 => (0, u32::MAX as i128),
        IntTy::I32 => (i32::MIN as i128, i32::MAX as i128),
    }
}

/// The value of the canonical word `w` as a `ty`.
fn value(w: i64, ty: IntTy) -> i128 {
    if ty.signed() {
        w as i128
    } else {
        w as u64 as i128
    }
}

fn within(r: Range, ty: IntTy) -> bool {
    let d = domain(ty);
    r.0 >= d.0 && r.1 <= d.1
}

/// `a op b` over intervals, if it is one of + - *.
fn arith(op: BinOp, a: Range, b: Range) -> Option<Range> {
    match op {
        BinOp::Add => Some((a.0 + b.0, a.1 + b.1)),
        BinOp::Sub => Some((a.0 - b.1, a.1 - b.0)),
        BinOp::Mul => {
            let c = [
                a.0.checked_mul(b.0)?,
                a.0.checked_mul(b.1)?,
                a.1.checked_mul(b.0)?,
                a.1.checked_mul(b.1)?,
            ];
            Some((*c.iter().min()?, *c.iter().max()?))
        }
        _ => None,
    }
}

/// Whether `a op b` holds for all values of the ranges (Some(true)), for none (Some(false)).
fn decide(op: BinOp, a: Range, b: Range) -> Option<bool> {
    let (lt, le, gt, ge) = (a.1 < b.0, a.1 <= b.0, a.0 > b.1, a.0 >= b.1);
    match op {
        BinOp::Lt if lt => Some(true),
        BinOp::Lt if ge => Some(false),
        BinOp::Le if le => Some(true),
        BinOp::Le if gt => Some(false),
        BinOp::Gt if gt => Some(true),
        BinOp::Gt if le => Some(false),
        BinOp::Ge if ge => Some(true),
        BinOp::Ge if lt => Some(false),
        BinOp::Eq | BinOp::Ne if lt || gt => Some(op == BinOp::Ne),
        BinOp::Eq | BinOp::Ne if a.0 == a.1 && b.0 == b.1 && a.0 == b.0 => Some(op == BinOp::Eq),
        _ => None,
    }
}

/// The relation that holds when `a op b` is false.
fn negate(op: BinOp) -> Option<BinOp> {
    Some(match op {
        BinOp::Lt => BinOp::Ge,
        BinOp::Le => BinOp::Gt,
        BinOp::Gt => BinOp::Le,
        BinOp::Ge => BinOp::Lt,
        BinOp::Eq => BinOp::Ne,
        BinOp::Ne => BinOp::Eq,
        _ => return None,
    })
}

#[derive(Default)]
struct Facts {
    ranges: HashMap<u32, (IntTy, Range)>,
    /// Comparison results: var -> (op, type, a, b).
    cmps: HashMap<u32, (BinOp, IntTy, Operand, Operand)>,
}

impl Facts {
    fn range(&self, o: Operand, ty: IntTy) -> Range {
        match o {
            Operand::Int(w) => {
                let v = value(w, ty);
                (v, v)
            }
            Operand::Var(v) => match self.ranges.get(&v) {
                Some((t, r)) if *t == ty => *r,
                _ => domain(ty),
            },
            _ => domain(ty),
        }
    }

    fn narrow(&mut self, o: Operand, ty: IntTy, r: Range) {
        if let Operand::Var(v) = o {
            let cur = self.range(o, ty);
            let n = (cur.0.max(r.0), cur.1.min(r.1));
            if n.0 <= n.1 {
                self.ranges.insert(v, (ty, n));
            }
        }
    }

    /// Learns `a op b` (it holds from here on).
    fn learn(&mut self, op: BinOp, ty: IntTy, a: Operand, b: Operand) {
        let (ra, rb) = (self.range(a, ty), self.range(b, ty));
        match op {
            BinOp::Lt => {
                self.narrow(a, ty, (i128::MIN, rb.1 - 1));
                self.narrow(b, ty, (ra.0 + 1, i128::MAX));
            }
            BinOp::Le => {
                self.narrow(a, ty, (i128::MIN, rb.1));
                self.narrow(b, ty, (ra.0, i128::MAX));
            }
            BinOp::Gt => self.learn(BinOp::Lt, ty, b, a),
            BinOp::Ge => self.learn(BinOp::Le, ty, b, a),
            BinOp::Eq => {
                self.narrow(a, ty, rb);
                self.narrow(b, ty, ra);
            }
            _ => {}
        }
    }
}

/// The results of an integer or bool operation whose arguments are all integer constants (or
/// of a comparison of a variable with itself).
pub(super) fn fold(kind: &OpKind, args: &[Operand]) -> Option<Vec<i64>> {
    // `x == x`, `x < x`, ... of one integer variable
    if let (OpKind::IntCmp(op, _), [a, b]) = (kind, args) {
        if a == b {
            return Some(vec![matches!(op, BinOp::Eq | BinOp::Le | BinOp::Ge) as i64]);
        }
    }
    let mut w = Vec::with_capacity(args.len());
    for a in args {
        match a {
            Operand::Int(x) => w.push(*x),
            _ => return None,
        }
    }
    Some(match kind {
        OpKind::IntBin(op, ty) if !matches!(op, BinOp::Div | BinOp::Rem) => {
            vec![ops::int_bin(*op, *ty, w[0], w[1], true).ok()?]
        }
        OpKind::IntCmp(op, ty) => vec![ops::int_cmp(*op, *ty, w[0], w[1])? as i64],
        OpKind::IntOvf(op, ty) => {
            let (r, o) = ops::int_ovf(*op, *ty, w[0], w[1], true)?;
            vec![r, o as i64]
        }
        OpKind::BoolNot => vec![(w[0] == 0) as i64],
        OpKind::BoolBin(op) => vec![ops::bool_bin(*op, w[0] != 0, w[1] != 0)? as i64],
        OpKind::Cast(from @ (Ty::Int(_) | Ty::Bool), to @ (Ty::Int(_) | Ty::Bool)) => {
            vec![ops::cast(w[0] as u64, *from, *to, true)? as i64]
        }
        _ => return None,
    })
}

/// Runs the pass on `t`.
pub fn run(t: &mut Trace) {
    let mut facts = Facts::default();
    // results proved constant
    let mut subst: HashMap<u32, Operand> = HashMap::default();
    let mut keep = vec![true; t.ops.len()];
    for (i, op) in t.ops.iter_mut().enumerate() {
        super::opt::substitute(op, &subst);
        if let Some(vals) = fold(&op.kind, &op.args) {
            // (e.g. what the overflow flag proved 0 computes: `bool_not`, casts, comparisons)
            for (r, v) in op.results.iter().zip(vals) {
                subst.insert(*r, Operand::Int(v));
            }
            keep[i] = false;
            continue;
        }
        match op.kind.clone() {
            OpKind::Bridge { .. } => facts = Facts::default(),
            OpKind::IntBin(bop, ty) => {
                let (a, b) = (facts.range(op.args[0], ty), facts.range(op.args[1], ty));
                let r = match bop {
                    // the bits of a non-negative operand bound the result
                    BinOp::And => [a, b]
                        .iter()
                        .filter(|r| r.0 >= 0)
                        .map(|r| r.1)
                        .min()
                        .map(|hi| (0, hi)),
                    _ => arith(bop, a, b),
                };
                if let Some(r) = r.filter(|r| within(*r, ty)) {
                    facts.ranges.insert(op.results[0], (ty, r));
                }
            }
            OpKind::IntOvf(bop, ty) => {
                let (a, b) = (facts.range(op.args[0], ty), facts.range(op.args[1], ty));
                if let Some(r) = arith(bop, a, b).filter(|r| within(*r, ty)) {
                    // cannot overflow: a plain operation, its flag the constant 0
                    facts.ranges.insert(op.results[0], (ty, r));
                    subst.insert(op.results[1], Operand::Int(0));
                    op.kind = OpKind::IntBin(bop, ty);
                    op.results.truncate(1);
                }
            }
            OpKind::IntCmp(cop, ty) => {
                let (a, b) = (facts.range(op.args[0], ty), facts.range(op.args[1], ty));
                match decide(cop, a, b) {
                    Some(x) => {
                        subst.insert(op.results[0], Operand::Int(x as i64));
                    }
                    None => {
                        facts.ranges.insert(op.results[0], (IntTy::I64, (0, 1)));
                        facts
                            .cmps
                            .insert(op.results[0], (cop, ty, op.args[0], op.args[1]));
                    }
                }
            }
            OpKind::Guard {
                kind: kind @ (GuardKind::True | GuardKind::False),
                ..
            } => {
                let holds = match op.args[0] {
                    Operand::Int(x) => Some((x != 0) == (kind == GuardKind::True)),
                    _ => None,
                };
                if holds == Some(true) {
                    keep[i] = false;
                    continue;
                }
                if let Operand::Var(v) = op.args[0] {
                    if let Some(&(cop, ty, a, b)) = facts.cmps.get(&v) {
                        let rel = if kind == GuardKind::True {
                            Some(cop)
                        } else {
                            negate(cop)
                        };
                        if let Some(rel) = rel {
                            facts.learn(rel, ty, a, b);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    super::opt::apply(t, &keep);
}

#[cfg(test)]
mod tests {
    use super::*;
    use vmkit_jit_ir::ops::Kind;
    use vmkit_jit_ir::trace::{Op, Var};

    fn op(t: &mut Trace, kind: OpKind, args: Vec<Operand>, nres: usize) -> Vec<Var> {
        let results: Vec<Var> = (0..nres).map(|_| t.new_var(Kind::Int)).collect();
        t.ops.push(Op {
            kind,
            args,
            results: results.clone(),
        });
        results
    }

    fn guard(t: &mut Trace, kind: GuardKind, v: Var) {
        t.ops.push(Op {
            kind: OpKind::Guard {
                kind,
                index: 0,
                fail_args: vec![],
                stores: vec![],
                virtuals: vec![],
            },
            args: vec![Operand::Var(v)],
            results: vec![],
        });
    }

    fn names(t: &Trace) -> Vec<String> {
        t.ops
            .iter()
            .map(|o| {
                format!("{:?}", o.kind)
                    .split(['(', ' '])
                    .next()
                    .unwrap_or("")
                    .to_string()
            })
            .collect()
    }

    /// `n < limit` makes `n + 1` unable to overflow: the overflow flag is 0 and its guard goes.
    /// Without the comparison's guard, nothing changes.
    #[test]
    fn a_guarded_bound_removes_the_overflow_check() {
        for guarded in [true, false] {
            let mut t = Trace::default();
            let n = t.new_var(Kind::Int);
            let limit = t.new_var(Kind::Int);
            t.inputs = vec![n, limit];
            let c = op(
                &mut t,
                OpKind::IntCmp(BinOp::Lt, IntTy::I64),
                vec![Operand::Var(n), Operand::Var(limit)],
                1,
            )[0];
            if guarded {
                guard(&mut t, GuardKind::True, c);
            }
            let r = op(
                &mut t,
                OpKind::IntOvf(BinOp::Add, IntTy::I64),
                vec![Operand::Var(n), Operand::Int(1)],
                2,
            );
            guard(&mut t, GuardKind::False, r[1]);
            let before = t.ops.len();
            run(&mut t);
            let guards = names(&t).iter().filter(|n| *n == "Guard").count();
            assert_eq!(guards, 1, "{t}");
            if guarded {
                // the comparison's own guard stays, the overflow guard goes
                assert_eq!(t.ops.len(), before - 1, "{t}");
                assert!(
                    !t.ops.iter().any(|o| o.args.contains(&Operand::Var(r[1]))),
                    "{t}"
                );
            } else {
                assert_eq!(t.ops.len(), before, "{t}");
            }
        }
    }

    /// Constants and masks bound results: `(x & 255) + 1` cannot overflow an i64, and
    /// `(x & 255) < 256` always holds; a multiplication of unknown values may overflow.
    #[test]
    fn masks_and_constants_bound_results() {
        let mut t = Trace::default();
        let x = t.new_var(Kind::Int);
        let y = t.new_var(Kind::Int);
        t.inputs = vec![x, y];
        let m = op(
            &mut t,
            OpKind::IntBin(BinOp::And, IntTy::I64),
            vec![Operand::Var(x), Operand::Int(255)],
            1,
        )[0];
        let r = op(
            &mut t,
            OpKind::IntOvf(BinOp::Add, IntTy::I64),
            vec![Operand::Var(m), Operand::Int(1)],
            2,
        );
        guard(&mut t, GuardKind::False, r[1]);
        let c = op(
            &mut t,
            OpKind::IntCmp(BinOp::Lt, IntTy::I64),
            vec![Operand::Var(m), Operand::Int(256)],
            1,
        )[0];
        guard(&mut t, GuardKind::True, c);
        let p = op(
            &mut t,
            OpKind::IntOvf(BinOp::Mul, IntTy::I64),
            vec![Operand::Var(x), Operand::Var(y)],
            2,
        );
        guard(&mut t, GuardKind::False, p[1]);
        run(&mut t);
        let guards = names(&t).iter().filter(|n| *n == "Guard").count();
        assert_eq!(guards, 1, "only the multiplication's check stays:\n{t}");
    }
}
