//! `virtuals`: allocation removal (RPython's `virtualize`, for objects of user types).
//!
//! A `New` whose object does not escape is removed from the trace: the optimizer keeps the
//! object's fields as operands (a *virtual*), folds reads and writes of them, and folds pointer
//! comparisons with it (a fresh object is non-null and unequal to everything else). The object
//! is made for real only where it escapes ("forced"): where it is passed to a call, stored into
//! an object that is not virtual or into an array, compared by value in a guard, passed to the
//! next iteration or trace (`Jump`, `Exit`, `JumpTo`, `Label`), or read at an offset its shape
//! does not describe. Forcing emits the `New` at that point with the fields' current values
//! (forcing the virtuals they hold first), under the object's original variable.
//!
//! Guards: a virtual that a guard's fail args or delayed stores reach (directly or through
//! other virtuals' fields) is made by the guard's failure path only: the guard lists it in
//! `Guard::virtuals` as a `New` of the field values at that guard, and the backend makes the
//! objects (in order) before storing the fail args. So the resumed interpreter, or a bridge,
//! sees an ordinary object with exactly the fields the interpreter would have given it — built
//! lazily, on the cold path, like PyPy's resume-data virtuals but without a decoding step.
//!
//! Arrays: a `NewArray` (`GcArray::new`) of a constant length of at most
//! `MAX_ARRAY_WORDS` words is virtual the same way, its elements' words as its fields: reads
//! and writes at constant indices in range fold, its length is a constant; any other access
//! (a variable index) makes it. It is made by its `NewArray` followed by `ArraySet`s of the
//! words that differ from the initial element. Arrays do not go around loops as their fields.
//!
//! A guard whose failure path would need more than `MAX_GUARD_OPS` operations to make its
//! virtuals makes them before it, on the main path, instead (the code would be repeated in
//! every such guard's failure path: compile time).
//!
//! Invariants kept: a virtual may hold another virtual only if that one is older (made first),
//! so materializing in creation order needs no back-patching and there are no cycles (a write
//! that would break this forces the value being written). Virtuals do not live across the
//! loop header: every virtual used after a `Label` is forced there (a peeled loop's body
//! allocates its own temporaries, which stay virtual within one iteration).

use rustc_hash::FxHashMap as HashMap;
use vmkit_jit_ir::ops::{Kind, Ty};

/// The largest array kept virtual, in words.
const MAX_ARRAY_WORDS: i64 = 256;

/// The most operations a guard's failure path may spend making virtuals; beyond, they are
/// made before the guard (every guard compiles its own failure path: a frame with a stack
/// of many words would cost more compile time than the allocation saves).
const MAX_GUARD_OPS: usize = 8;
use vmkit_jit_ir::trace::{GuardKind, NewShape, Op, OpKind, Operand, Trace, Var};

/// A virtual object: its allocation and its fields' current values.
struct Virt {
    helper: u32,
    /// A user object's shape (empty for an array).
    shape: NewShape,
    /// For a `GcArray`: its element's types and initial words (`fields` then holds the words
    /// of every element, in order).
    array: Option<(Vec<Ty>, Vec<Operand>)>,
    fields: Vec<Operand>,
    /// Creation order (for the "older only" invariant).
    born: usize,
}

/// What a virtual is made of: its `New`'s helper and shape.
type Class = (u32, NewShape);

struct Pass {
    virts: HashMap<Var, Virt>,
    /// Results replaced by operands (reads of virtual fields, folded comparisons).
    subst: HashMap<Var, Operand>,
    out: Vec<Op>,
    born: usize,
    /// Label (and jump) positions whose virtual goes around the loop as its fields.
    explode: Vec<usize>,
    /// For each label / jump position: the class of the virtual there, when it could go
    /// around the loop as its fields (only there, once, and reached from nothing else).
    at_label: Vec<Option<Class>>,
    at_jump: Vec<Option<Class>>,
    /// Kinds of the variables this pass made (numbered from `first_new`).
    new_kinds: Vec<Kind>,
    first_new: Var,
    /// Exploding did not work out (the positions were not what the first run saw).
    failed: bool,
}

impl Pass {
    fn virt(&self, o: Operand) -> Option<Var> {
        o.as_var().filter(|v| self.virts.contains_key(v))
    }

    fn fresh(&mut self, k: Kind) -> Var {
        self.new_kinds.push(k);
        self.first_new + self.new_kinds.len() as Var - 1
    }

    fn class(&self, v: Var) -> Class {
        let obj = &self.virts[&v];
        (obj.helper, obj.shape.clone())
    }

    /// The class of the virtual at position `j` of `args` when it could go around the loop
    /// as its fields: a virtual named only there, not reached from the other positions nor
    /// from `also`.
    fn carried(&self, args: &[Operand], j: usize, also: &[Var]) -> Option<Class> {
        let x = self
            .virt(args[j])
            .filter(|x| self.virts[x].array.is_none())?;
        let others = args
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != j)
            .map(|(_, a)| *a)
            .chain(also.iter().map(|v| Operand::Var(*v)));
        if args.iter().filter(|a| a.as_var() == Some(x)).count() > 1
            || self.reachable(others).contains(&x)
        {
            return None;
        }
        Some(self.class(x))
    }

    /// Replaces position `j` of `args` (a virtual of `class`) by its fields, after making
    /// the virtuals those hold; returns them. `None` (and `failed`) if it is not such a
    /// virtual.
    fn explode_arg(
        &mut self,
        arg: Operand,
        class: &Option<Class>,
    ) -> Option<(Vec<Operand>, Class)> {
        let x = self.virt(arg);
        match (x, class) {
            (Some(x), Some(c)) if self.class(x) == *c => {
                let fields = self.virts[&x].fields.clone();
                for f in &fields {
                    self.force(*f);
                }
                self.virts.remove(&x);
                Some((fields, c.clone()))
            }
            _ => {
                self.failed = true;
                None
            }
        }
    }

    /// The ops making virtual `v` with its current fields: a `New`, or a `NewArray` and the
    /// stores of the words that differ from the initial element.
    fn make(&self, v: Var) -> Vec<Op> {
        let obj = &self.virts[&v];
        let Some((tys, init)) = &obj.array else {
            return vec![Op {
                kind: OpKind::New {
                    helper: obj.helper,
                    shape: obj.shape.clone(),
                },
                args: obj.fields.clone(),
                results: vec![v],
            }];
        };
        let width = tys.len();
        let len = obj.fields.len() / width.max(1);
        let mut args = vec![Operand::Int(len as i64)];
        args.extend_from_slice(init);
        let mut ops = vec![Op {
            kind: OpKind::NewArray {
                helper: obj.helper,
                tys: tys.clone(),
            },
            args,
            results: vec![v],
        }];
        for (k, f) in obj.fields.iter().enumerate() {
            if *f != init[k % width] {
                ops.push(Op {
                    kind: OpKind::ArraySet {
                        width: width as u32,
                        word: (k % width) as u32,
                        ty: tys[k % width],
                    },
                    args: vec![Operand::Var(v), Operand::Int((k / width) as i64), *f],
                    results: vec![],
                });
            }
        }
        ops
    }

    /// For an access of element `index` (word `word` of `width`, type `ty`) of virtual array
    /// `x`: the position of that word in its fields, when in range and of the array's type.
    fn element(&self, x: Var, index: Operand, width: u32, word: u32, ty: Ty) -> Option<usize> {
        let (tys, _) = self.virts[&x].array.as_ref()?;
        let Operand::Int(i) = index else {
            return None;
        };
        let (w, len) = (tys.len(), self.virts[&x].fields.len() / tys.len().max(1));
        (w == width as usize && tys.get(word as usize) == Some(&ty) && i >= 0 && (i as usize) < len)
            .then(|| i as usize * w + word as usize)
    }

    /// Records `v` as a new virtual (the youngest).
    fn add(
        &mut self,
        v: Var,
        helper: u32,
        shape: NewShape,
        array: Option<(Vec<Ty>, Vec<Operand>)>,
        fields: Vec<Operand>,
    ) {
        self.born += 1;
        let born = self.born;
        self.virts.insert(
            v,
            Virt {
                helper,
                shape,
                array,
                fields,
                born,
            },
        );
    }

    /// Stores `value` into field (or element word) `i` of virtual `x`; false when that made
    /// `x` real (writing a younger virtual into an older one makes the younger one first, so
    /// that virtuals hold older virtuals only, and it may hold `x`).
    fn write(&mut self, x: Var, i: usize, value: Operand) -> bool {
        if let Some(y) = self.virt(value) {
            if self.virts[&y].born >= self.virts[&x].born {
                self.force(value);
            }
        }
        match self.virts.get_mut(&x) {
            Some(obj) => {
                obj.fields[i] = value;
                true
            }
            None => false,
        }
    }

    /// Makes `o` a real object here, if it is a virtual (the virtuals it holds first).
    fn force(&mut self, o: Operand) {
        let Some(v) = self.virt(o) else {
            return;
        };
        let fields = self.virts[&v].fields.clone();
        for f in fields {
            self.force(f);
        }
        let ops = self.make(v);
        self.virts.remove(&v);
        self.out.extend(ops);
    }

    /// The virtuals reachable from `roots`, oldest first (the order they must be made in).
    fn reachable(&self, roots: impl Iterator<Item = Operand>) -> Vec<Var> {
        let mut seen: Vec<Var> = Vec::new();
        let mut stack: Vec<Var> = roots.filter_map(|o| self.virt(o)).collect();
        while let Some(v) = stack.pop() {
            if seen.contains(&v) {
                continue;
            }
            seen.push(v);
            stack.extend(self.virts[&v].fields.iter().filter_map(|f| self.virt(*f)));
        }
        seen.sort_by_key(|v| self.virts[v].born);
        seen
    }

    fn op(&mut self, mut op: Op, used_later: &dyn Fn(Var) -> bool) {
        super::opt::substitute(&mut op, &self.subst);
        // fields read from virtuals may be constants: fold what they decide
        if let Some(vals) = super::intbounds::fold(&op.kind, &op.args) {
            for (r, v) in op.results.iter().zip(vals) {
                self.subst.insert(*r, Operand::Int(v));
            }
            return;
        }
        if let (OpKind::Guard { kind, .. }, [Operand::Int(c)]) = (&op.kind, &op.args[..]) {
            if matches!(
                (kind, *c != 0),
                (GuardKind::True, true) | (GuardKind::False, false)
            ) {
                return;
            }
        }
        let arg_virt = |p: &Pass, i: usize| op.args.get(i).and_then(|a| p.virt(*a));
        match &mut op.kind {
            OpKind::New { helper, shape }
                if shape.fields.len() == op.args.len() && op.results.len() == 1 =>
            {
                let (shape, fields) = (shape.clone(), op.args.clone());
                self.add(op.results[0], *helper, shape, None, fields);
                return;
            }
            OpKind::NewArray { helper, tys } => {
                let n = tys.len() as i64;
                if let Operand::Int(len) = op.args[0] {
                    if op.args.len() == 1 + tys.len()
                        && n > 0
                        && len >= 0
                        && len * n <= MAX_ARRAY_WORDS
                    {
                        let init = op.args[1..].to_vec();
                        let words = init.iter().copied().cycle().take((len * n) as usize);
                        let shape = NewShape {
                            fields: Vec::new(),
                            tag: None,
                        };
                        let (helper, array) = (*helper, Some((tys.clone(), init.clone())));
                        self.add(op.results[0], helper, shape, array, words.collect());
                        return;
                    }
                }
            }
            OpKind::ArrayLen => {
                if let Some(x) = arg_virt(self, 0) {
                    if let Some((tys, _)) = &self.virts[&x].array {
                        let len = self.virts[&x].fields.len() / tys.len();
                        self.subst.insert(op.results[0], Operand::Int(len as i64));
                        return;
                    }
                }
            }
            OpKind::ArrayGet { width, word, ty } => {
                if let Some(x) = arg_virt(self, 0) {
                    if let Some(i) = self.element(x, op.args[1], *width, *word, *ty) {
                        let val = self.virts[&x].fields[i];
                        self.subst.insert(op.results[0], val);
                        return;
                    }
                }
            }
            OpKind::ArraySet { width, word, ty } => {
                if let Some(x) = arg_virt(self, 0) {
                    if let Some(i) = self.element(x, op.args[1], *width, *word, *ty) {
                        if self.write(x, i, op.args[2]) {
                            return;
                        }
                    }
                }
            }
            OpKind::GetField { offset, ty, .. } => {
                if let Some(x) = arg_virt(self, 0) {
                    let obj = &self.virts[&x];
                    let val = match (obj.shape.field(*offset, *ty), obj.shape.tag) {
                        (Some(i), _) => Some(obj.fields[i]),
                        (None, Some((off, tag))) if off == *offset && ty.kind() == Kind::Int => {
                            Some(Operand::Int(tag))
                        }
                        _ => None,
                    };
                    if let Some(val) = val {
                        self.subst.insert(op.results[0], val);
                        return;
                    }
                }
            }
            OpKind::SetField { offset, ty } => {
                if let Some(x) = arg_virt(self, 0) {
                    if let Some(i) = self.virts[&x].shape.field(*offset, *ty) {
                        if self.write(x, i, op.args[1]) {
                            return;
                        }
                    }
                }
            }
            OpKind::PtrEq => {
                let (a, b) = (op.args[0], op.args[1]);
                if self.virt(a).is_some() || self.virt(b).is_some() {
                    self.subst
                        .insert(op.results[0], Operand::Int(i64::from(a == b)));
                    return;
                }
            }
            OpKind::PtrIsNull => {
                if arg_virt(self, 0).is_some() {
                    self.subst.insert(op.results[0], Operand::Int(0));
                    return;
                }
            }
            OpKind::Guard {
                fail_args,
                stores,
                virtuals,
                ..
            } => {
                let roots = fail_args
                    .iter()
                    .chain(stores.iter().flat_map(|s| [&s.array, &s.index, &s.value]))
                    .copied();
                let reached = self.reachable(roots);
                let made: Vec<Op> = reached.iter().flat_map(|v| self.make(*v)).collect();
                if made.len() > MAX_GUARD_OPS {
                    // too much code for one failure path (each guard gets its own): made
                    // here, on the main path, instead
                    for v in reached {
                        self.force(Operand::Var(v));
                    }
                } else {
                    virtuals.extend(made);
                }
            }
            OpKind::Label => {
                // nothing virtual lives across the loop header
                // (a virtual is used later through its own variable or through the results
                // of reads that stand for it)
                let mut live: Vec<Var> = self
                    .virts
                    .keys()
                    .copied()
                    .filter(|v| used_later(*v))
                    .collect();
                for (w, o) in &self.subst {
                    if let Some(v) = self.virt(*o) {
                        if used_later(*w) && !live.contains(&v) {
                            live.push(v);
                        }
                    }
                }
                let mut live: Vec<(usize, Var)> =
                    live.into_iter().map(|v| (self.virts[&v].born, v)).collect();
                live.sort();
                let live: Vec<Var> = live.into_iter().map(|(_, v)| v).collect();
                self.at_label = (0..op.args.len())
                    .map(|j| self.carried(&op.args, j, &live))
                    .collect();
                for v in live {
                    self.force(Operand::Var(v));
                }
                if !self.explode.is_empty() {
                    // the carried virtuals' fields become loop variables, and the label's
                    // results for them virtuals of those
                    let (mut args, mut results, mut carried) = (vec![], vec![], vec![]);
                    for j in 0..op.args.len() {
                        if !self.explode.contains(&j) {
                            args.push(op.args[j]);
                            results.push(op.results[j]);
                            continue;
                        }
                        let class = self.at_label[j].clone();
                        let Some((fields, (helper, shape))) = self.explode_arg(op.args[j], &class)
                        else {
                            return;
                        };
                        let mut vars = Vec::with_capacity(fields.len());
                        for (f, (_, ty)) in fields.iter().zip(&shape.fields) {
                            args.push(*f);
                            let v = self.fresh(ty.kind());
                            results.push(v);
                            vars.push(Operand::Var(v));
                        }
                        carried.push((op.results[j], helper, shape, vars));
                    }
                    op.args = args;
                    op.results = results;
                    for i in 0..op.args.len() {
                        self.force(op.args[i]);
                    }
                    self.out.push(op);
                    for (r, helper, shape, fields) in carried {
                        self.add(r, helper, shape, None, fields);
                    }
                    return;
                }
            }
            OpKind::Jump => {
                self.at_jump = (0..op.args.len())
                    .map(|j| self.carried(&op.args, j, &[]))
                    .collect();
                if !self.explode.is_empty() {
                    let mut args = Vec::new();
                    for j in 0..op.args.len() {
                        if !self.explode.contains(&j) {
                            args.push(op.args[j]);
                            continue;
                        }
                        // (the class the label gave this position: the loop variables' kinds)
                        let class = self.at_label.get(j).cloned().flatten();
                        let Some((fields, _)) = self.explode_arg(op.args[j], &class) else {
                            return;
                        };
                        args.extend(fields);
                    }
                    op.args = args;
                }
            }
            _ => {}
        }
        // everything else: virtual arguments escape here
        for i in 0..op.args.len() {
            self.force(op.args[i]);
        }
        self.out.push(op);
    }
}

/// Runs the pass (see the module documentation).
pub fn run(t: &mut Trace) {
    if !t
        .ops
        .iter()
        .any(|o| matches!(o.kind, OpKind::New { .. } | OpKind::NewArray { .. }))
    {
        return;
    }
    let first = pass(t, Vec::new());
    // positions where the same class of virtual enters the loop and comes back to it
    let explode: Vec<usize> = first
        .at_label
        .iter()
        .zip(&first.at_jump)
        .enumerate()
        .filter(|(_, (l, j))| l.is_some() && l == j)
        .map(|(k, _)| k)
        .collect();
    let p = if explode.is_empty() {
        first
    } else {
        match pass(t, explode) {
            p if !p.failed => p,
            _ => first,
        }
    };
    t.ops = p.out;
    t.kinds.extend(p.new_kinds);
    t.comments = p.comments;
}

/// One run over `t` (which it leaves as it is), exploding the virtuals at label positions
/// `explode`.
fn pass(t: &Trace, explode: Vec<usize>) -> Done {
    // the last op using each variable (args, fail args, delayed stores)
    let mut last_use: HashMap<Var, usize> = HashMap::default();
    for (k, op) in t.ops.iter().enumerate() {
        last_use.extend(op.uses().filter_map(|o| o.as_var()).map(|v| (v, k)));
    }
    let mut p = Pass {
        virts: HashMap::default(),
        subst: HashMap::default(),
        out: Vec::with_capacity(t.ops.len()),
        born: 0,
        explode,
        at_label: Vec::new(),
        at_jump: Vec::new(),
        new_kinds: Vec::new(),
        first_new: t.kinds.len() as Var,
        failed: false,
    };
    let mut new_index = Vec::with_capacity(t.ops.len() + 1);
    for (k, op) in t.ops.iter().enumerate() {
        new_index.push(p.out.len());
        p.op(op.clone(), &|v| last_use.get(&v).is_some_and(|&u| u > k));
        if p.failed {
            break;
        }
    }
    new_index.push(p.out.len());
    let comments = t
        .comments
        .iter()
        .map(|(i, c)| (new_index[(*i).min(new_index.len() - 1)], c.clone()))
        .collect();
    Done {
        out: p.out,
        at_label: p.at_label,
        at_jump: p.at_jump,
        new_kinds: p.new_kinds,
        failed: p.failed,
        comments,
    }
}

/// What a [`pass`] made.
struct Done {
    out: Vec<Op>,
    at_label: Vec<Option<Class>>,
    at_jump: Vec<Option<Class>>,
    new_kinds: Vec<Kind>,
    failed: bool,
    comments: Vec<(usize, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use vmkit_jit_ir::ops::{BinOp, IntTy, Ty};

    const I: Ty = Ty::Int(IntTy::I64);

    fn shape() -> NewShape {
        NewShape {
            fields: vec![(8, I), (16, Ty::Ref)],
            tag: None,
        }
    }

    struct B(Trace);

    impl B {
        fn new(inputs: &[Kind]) -> B {
            let mut t = Trace::default();
            for k in inputs {
                let v = t.new_var(*k);
                t.inputs.push(v);
            }
            B(t)
        }
        fn op(&mut self, kind: OpKind, args: Vec<Operand>, res: &[Kind]) -> Vec<Var> {
            let results: Vec<Var> = res.iter().map(|k| self.0.new_var(*k)).collect();
            self.0.ops.push(Op {
                kind,
                args,
                results: results.clone(),
            });
            results
        }
        fn new_obj(&mut self, x: Operand, p: Operand) -> Operand {
            let kind = OpKind::New {
                helper: 3,
                shape: shape(),
            };
            Operand::Var(self.op(kind, vec![x, p], &[Kind::Ref])[0])
        }
        fn get(&mut self, o: Operand, offset: u32, ty: Ty) -> Operand {
            let k = ty.kind();
            Operand::Var(
                self.op(
                    OpKind::GetField {
                        offset,
                        ty,
                        pure: false,
                    },
                    vec![o],
                    &[k],
                )[0],
            )
        }
        fn set(&mut self, o: Operand, offset: u32, ty: Ty, v: Operand) {
            self.op(OpKind::SetField { offset, ty }, vec![o, v], &[]);
        }
        fn guard(&mut self, c: Operand, fail: Vec<Operand>) {
            let kind = OpKind::Guard {
                kind: GuardKind::True,
                index: 0,
                fail_args: fail,
                stores: vec![],
                virtuals: vec![],
            };
            self.op(kind, vec![c], &[]);
        }
        fn done(mut self, jump: Vec<Operand>) -> Trace {
            self.op(OpKind::Jump, jump, &[]);
            run(&mut self.0);
            self.0
                .verify()
                .unwrap_or_else(|e| panic!("{e}\n{}", self.0));
            self.0
        }
    }

    fn v(x: Var) -> Operand {
        Operand::Var(x)
    }

    fn names(t: &Trace) -> Vec<String> {
        t.ops
            .iter()
            .map(|o| vmkit_jit_ir::trace::op_name(&o.kind))
            .collect()
    }

    fn guard_virtuals(t: &Trace) -> Vec<Vec<Op>> {
        t.ops
            .iter()
            .filter_map(|o| match &o.kind {
                OpKind::Guard { virtuals, .. } => Some(virtuals.clone()),
                _ => None,
            })
            .collect()
    }

    /// A temporary whose field is read and written is gone: reads become the values written,
    /// and the guard that sees it makes it on failure, with the fields it has at that guard.
    #[test]
    fn a_temporary_object_is_removed_and_made_by_the_guards_that_see_it() {
        let mut b = B::new(&[Kind::Int, Kind::Ref]);
        let o = b.new_obj(v(0), v(1));
        let x = b.get(o, 8, I);
        let c = Operand::Var(
            b.op(
                OpKind::IntCmp(BinOp::Lt, IntTy::I64),
                vec![x, Operand::Int(9)],
                &[Kind::Int],
            )[0],
        );
        b.guard(c, vec![o]);
        let y = Operand::Var(
            b.op(
                OpKind::IntBin(BinOp::Add, IntTy::I64),
                vec![x, Operand::Int(1)],
                &[Kind::Int],
            )[0],
        );
        b.set(o, 8, I, y);
        b.guard(c, vec![v(0), o]);
        let z = b.get(o, 8, I);
        let p = b.get(o, 16, Ty::Ref);
        let t = b.done(vec![z, p]);
        assert_eq!(
            names(&t),
            [
                "int_lt.i64",
                "guard_true",
                "int_add.i64",
                "guard_true",
                "jump"
            ],
            "{t}"
        );
        let g = guard_virtuals(&t);
        assert_eq!(g[0].len(), 1, "{t}");
        assert_eq!(g[0][0].args, vec![v(0), v(1)], "{t}");
        // the second guard makes it with the field written since
        assert_eq!(
            g[1][0].args[0],
            t.ops[2].results.first().map(|r| v(*r)).unwrap(),
            "{t}"
        );
        // the jump gets the values, not the object
        assert_eq!(t.ops[4].args[1], v(1), "{t}");
    }

    /// An object passed to a call is made just before it, with its current fields; after
    /// that it is an ordinary object (its fields are read from memory).
    #[test]
    fn an_escaping_object_is_made_where_it_escapes() {
        let mut b = B::new(&[Kind::Int, Kind::Ref]);
        let o = b.new_obj(v(0), v(1));
        b.set(o, 8, I, Operand::Int(7));
        let call = OpKind::Call {
            helper: 1,
            args: vec![Ty::Ref],
            results: vec![],
            can_collect: true,
        };
        b.op(call, vec![o], &[]);
        let x = b.get(o, 8, I);
        let t = b.done(vec![x, v(1)]);
        assert_eq!(
            names(&t),
            ["new(h3)", "call_may_gc(h1)", "getfield.i64@8", "jump"],
            "{t}"
        );
        assert_eq!(t.ops[0].args, vec![Operand::Int(7), v(1)], "{t}");
        assert_eq!(t.ops[0].results[0], 2, "the object keeps its variable: {t}");
    }

    /// Pointer tests of a fresh object fold: it is not null and equal only to itself.
    #[test]
    fn pointer_tests_of_virtuals_fold() {
        let mut b = B::new(&[Kind::Int, Kind::Ref]);
        let o = b.new_obj(v(0), v(1));
        let eq_self = b.op(OpKind::PtrEq, vec![o, o], &[Kind::Int])[0];
        let eq_in = b.op(OpKind::PtrEq, vec![o, v(1)], &[Kind::Int])[0];
        let null = b.op(OpKind::PtrIsNull, vec![o], &[Kind::Int])[0];
        let t = b.done(vec![v(eq_self), v(1)]);
        let _ = (eq_in, null);
        assert_eq!(names(&t), ["jump"], "{t}");
        assert_eq!(t.ops[0].args[0], Operand::Int(1), "{t}");
    }

    /// Virtuals holding virtuals are made oldest first; a write of a newer virtual into an
    /// older one makes the newer one at once (no cycles).
    #[test]
    fn nested_virtuals_are_made_oldest_first() {
        let mut b = B::new(&[Kind::Int, Kind::Ref]);
        let inner = b.new_obj(v(0), v(1));
        let outer = b.new_obj(Operand::Int(2), inner);
        b.guard(Operand::Int(1), vec![]);
        let c = v(0);
        b.guard(c, vec![outer]);
        let newer = b.new_obj(Operand::Int(5), v(1));
        b.set(inner, 16, Ty::Ref, newer);
        let t = b.done(vec![v(0), v(1)]);
        let g = guard_virtuals(&t);
        assert_eq!(g.len(), 1, "the constant guard is gone: {t}");
        let made: Vec<Var> = g[0].iter().map(|o| o.results[0]).collect();
        assert_eq!(
            made,
            vec![inner.as_var().unwrap(), outer.as_var().unwrap()],
            "{t}"
        );
        // `newer` stored into the older `inner`: made there; `inner` stays virtual, so the
        // write and both objects are gone from the main path at the jump (nothing uses them)
        assert_eq!(names(&t), ["guard_true", "new(h3)", "jump"], "{t}");
    }

    /// A small array of constant length is virtual: element accesses at constant indices and
    /// its length fold; a guard that sees it makes it with a `NewArray` and stores of the
    /// words that differ from the initial element; an access at a variable index makes it.
    #[test]
    fn small_arrays_are_virtual_until_indexed_by_a_variable() {
        let tys = vec![I, Ty::Ref];
        let mut b = B::new(&[Kind::Int, Kind::Ref]);
        let new = OpKind::NewArray {
            helper: 5,
            tys: tys.clone(),
        };
        let a = v(b.op(
            new,
            vec![Operand::Int(3), Operand::Int(0), v(1)],
            &[Kind::Ref],
        )[0]);
        let set = |word: u32, ty: Ty| OpKind::ArraySet { width: 2, word, ty };
        let get = |word: u32, ty: Ty| OpKind::ArrayGet { width: 2, word, ty };
        b.op(set(0, I), vec![a, Operand::Int(2), v(0)], &[]);
        let x = v(b.op(get(0, I), vec![a, Operand::Int(2)], &[Kind::Int])[0]);
        let len = v(b.op(OpKind::ArrayLen, vec![a], &[Kind::Int])[0]);
        b.guard(x, vec![a, len]);
        let y = v(b.op(get(1, Ty::Ref), vec![a, v(0)], &[Kind::Ref])[0]);
        let t = b.done(vec![x, y]);
        assert_eq!(
            names(&t),
            [
                "guard_true",
                "new_array(h5)",
                "arrayset.i64[0/2]",
                "arrayget.ref[1/2]",
                "jump"
            ],
            "{t}"
        );
        // the guard: the array and one store (element 2, word 0); its length is a constant
        let g = guard_virtuals(&t);
        let made: Vec<String> = g[0]
            .iter()
            .map(|o| vmkit_jit_ir::trace::op_name(&o.kind))
            .collect();
        assert_eq!(made, ["new_array(h5)", "arrayset.i64[0/2]"], "{t}");
        assert_eq!(g[0][1].args, vec![a, Operand::Int(2), v(0)], "{t}");
        let OpKind::Guard { fail_args, .. } = &t.ops[0].kind else {
            panic!("a guard")
        };
        assert_eq!(fail_args[1], Operand::Int(3), "{t}");
        assert_eq!(t.ops[0].args[0], v(0), "the read folded: {t}");
    }

    /// A guard whose failure path would need more than `MAX_GUARD_OPS` operations makes the
    /// virtuals before it instead.
    #[test]
    fn big_virtuals_are_made_before_the_guard() {
        for n in [4i64, 12] {
            let mut b = B::new(&[Kind::Int]);
            let new = OpKind::NewArray {
                helper: 5,
                tys: vec![I],
            };
            let a = v(b.op(new, vec![Operand::Int(n), Operand::Int(0)], &[Kind::Ref])[0]);
            let set = OpKind::ArraySet {
                width: 1,
                word: 0,
                ty: I,
            };
            for i in 0..n {
                b.op(set.clone(), vec![a, Operand::Int(i), v(0)], &[]);
            }
            b.guard(v(0), vec![a]);
            let t = b.done(vec![v(0)]);
            let made = guard_virtuals(&t)[0].len();
            let main = t.ops.len() - 2; // ops before the guard and the jump
            if n == 4 {
                assert_eq!((made, main), (5, 0), "{t}");
            } else {
                assert_eq!((made, main), (0, 13), "{t}");
            }
        }
    }

    /// Nothing virtual crosses the loop header: a virtual used after the label is made
    /// before it.
    #[test]
    fn virtuals_used_after_the_label_are_made_before_it() {
        let mut b = B::new(&[Kind::Int, Kind::Ref]);
        let o = b.new_obj(v(0), v(1));
        let r = b.op(OpKind::Label, vec![v(0)], &[Kind::Int])[0];
        let x = b.get(o, 8, I);
        let s = Operand::Var(
            b.op(
                OpKind::IntBin(BinOp::Add, IntTy::I64),
                vec![x, v(r)],
                &[Kind::Int],
            )[0],
        );
        b.set(o, 8, I, s);
        let t = b.done(vec![s]);
        assert_eq!(
            names(&t),
            [
                "new(h3)",
                "label",
                "getfield.i64@8",
                "int_add.i64",
                "setfield.i64@8",
                "jump"
            ],
            "{t}"
        );
    }
}
