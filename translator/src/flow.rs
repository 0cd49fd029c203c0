//! Flow graphs: the translator's central IR, at two levels.
//!
//! A [`Graph`] is a function as SSA basic blocks. Each block has parameters; control transfers
//! through [`Link`]s that carry values to the target's parameters (RPython's style: no phi nodes,
//! no variables shared between blocks). Each variable is defined exactly once, by a block
//! parameter, a function parameter or an instruction result.
//!
//! - High level ([`HlGraph`]): typed with [`Ty`]; values of tuples, `Option`, `Result` and `Copy`
//!   user types are single variables; operations are [`HlOp`].
//! - Low level ([`LlGraph`]): typed with [`LlTy`] (integers, f64, bool, references); value types
//!   are flattened into scalars (a function may take and return several); memory accesses carry
//!   [`FieldDescr`]s with offsets computed for the target. Operations are [`LlOp`].
//!
//! Invariants (checked by [`Graph::verify`]): block 0 is the entry and takes the function's
//! parameters; every link passes exactly as many values as its target has parameters; every
//! variable is defined once and used only where its definition dominates (the builder guarantees
//! it by construction: blocks only use their own parameters and results).

use crate::diag::Loc;
use crate::program::{DriverId, FnId};
use crate::thir::{BinOp, Builtin, Lit, UnOp, VariantRef};
use crate::ty::{AdtId, IntTy, Ty};
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Var(pub u32);
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct BlockId(pub u32);

#[derive(Clone, Debug, Serialize)]
pub struct Link {
    pub target: BlockId,
    pub args: Vec<Var>,
}

/// How a block ends.
#[derive(Clone, Debug, Serialize)]
pub enum Exit {
    Goto(Link),
    If {
        cond: Var,
        then: Link,
        els: Link,
    },
    /// Jump on an integer value (enum tags, `match` on integers).
    Switch {
        value: Var,
        cases: Vec<(i64, Link)>,
        default: Link,
    },
    Return(Vec<Var>),
    /// A fatal error (`panic!`, failed `unwrap`, ...): the message is printed and the program ends
    /// with status 101.
    Fatal(String),
}

#[derive(Clone, Debug, Serialize)]
pub struct Instr<Op> {
    pub results: Vec<Var>,
    pub op: Op,
    pub args: Vec<Var>,
    #[serde(skip)]
    pub loc: Loc,
}

#[derive(Clone, Debug, Serialize)]
pub struct Block<Op> {
    pub params: Vec<Var>,
    pub ops: Vec<Instr<Op>>,
    pub exit: Exit,
}

#[derive(Clone, Debug, Serialize)]
pub struct Graph<T, Op> {
    /// Display name (`module::function` or `Type::method`).
    pub name: String,
    pub fn_id: FnId,
    /// Types of all variables, indexed by `Var`.
    pub var_types: Vec<T>,
    /// Source names of variables that hold a local (for dumps).
    pub var_names: Vec<Option<String>>,
    pub blocks: Vec<Block<Op>>,
    /// Result types.
    pub ret: Vec<T>,
}

impl<T: Clone, Op> Graph<T, Op> {
    pub fn new_var(&mut self, ty: T, name: Option<String>) -> Var {
        self.var_types.push(ty);
        self.var_names.push(name);
        Var(self.var_types.len() as u32 - 1)
    }
    pub fn ty(&self, v: Var) -> &T {
        &self.var_types[v.0 as usize]
    }
    pub fn params(&self) -> &[Var] {
        &self.blocks[0].params
    }
    pub fn block(&self, b: BlockId) -> &Block<Op> {
        &self.blocks[b.0 as usize]
    }
    pub fn successors(b: &Block<Op>) -> Vec<&Link> {
        match &b.exit {
            Exit::Goto(l) => vec![l],
            Exit::If { then, els, .. } => vec![then, els],
            Exit::Switch { cases, default, .. } => cases
                .iter()
                .map(|(_, l)| l)
                .chain(std::iter::once(default))
                .collect(),
            Exit::Return(_) | Exit::Fatal(_) => vec![],
        }
    }
    /// Checks the structural invariants; returns a description of the first violation.
    pub fn verify(&self) -> Result<(), String> {
        let mut defined = vec![false; self.var_types.len()];
        let mut def = |v: Var, what: &str| -> Result<(), String> {
            let d = defined
                .get_mut(v.0 as usize)
                .ok_or_else(|| format!("{}: {what} v{} out of range", self.name, v.0))?;
            if *d {
                return Err(format!("{}: v{} defined twice", self.name, v.0));
            }
            *d = true;
            Ok(())
        };
        for b in &self.blocks {
            for p in &b.params {
                def(*p, "param")?;
            }
            for i in &b.ops {
                for r in &i.results {
                    def(*r, "result")?;
                }
            }
        }
        for (bi, b) in self.blocks.iter().enumerate() {
            for l in Self::successors(b) {
                let t = self.blocks.get(l.target.0 as usize).ok_or_else(|| {
                    format!(
                        "{}: block {bi} links to missing block {}",
                        self.name, l.target.0
                    )
                })?;
                if t.params.len() != l.args.len() {
                    return Err(format!(
                        "{}: block {bi} passes {} values to block {} which takes {}",
                        self.name,
                        l.args.len(),
                        l.target.0,
                        t.params.len()
                    ));
                }
            }
        }
        Ok(())
    }
}

/// High-level operations (on [`Ty`]-typed values).
#[derive(Clone, Debug, Serialize)]
pub enum HlOp {
    Const(#[serde(skip)] Lit),
    /// `result = arg` (used where a value is renamed).
    Copy,
    Unary(#[serde(skip)] UnOp),
    Binary(#[serde(skip)] BinOp),
    /// `as` conversion to the result's type.
    Cast,
    Call(FnId),
    Host(FnId),
    Builtin(Builtin),
    Tuple,
    /// A value struct from its fields.
    Struct(AdtId),
    /// A value of a sum type (user value enum, Option, Result) from the variant's fields.
    Variant(#[serde(skip)] VariantRef),
    /// Allocates a GC struct (`None`) or a variant of a GC enum.
    GcNew(AdtId, Option<u32>),
    /// Field of a tuple or value struct.
    Field(u32),
    /// Reads field `i` of a GC struct.
    GcField(AdtId, u32),
    /// Writes field `i` of a GC struct (args: object, value).
    GcSetField(AdtId, u32),
    /// The variant index of a sum value (or of a GC enum object), as an `i64`.
    Tag,
    /// Field `i` of the given variant of a sum value (or GC enum object).
    VariantField(#[serde(skip)] VariantRef, u32),
    JitMergePoint(DriverId),
    CanEnterJit(DriverId),
}

/// Low-level types: what a machine register holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum LlTy {
    Bool,
    Int(#[serde(skip)] IntTy),
    F64,
    /// A (nullable) reference to a GC object: user objects, strings, arrays, lists, maps.
    Ref,
}

/// A field of a GC object as the low level sees it: the scalar slot index in the object and its
/// byte offset for the target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct FieldDescr {
    pub adt: AdtId,
    /// Index among the object's scalar slots (after flattening value-type fields).
    pub slot: u32,
    /// Byte offset from the start of the object (after the GC header), for the target.
    pub offset: u32,
    #[serde(skip)]
    pub ty: LlTy,
    /// Immutable field: loads from a constant object may be folded by the JIT.
    pub immutable: bool,
    /// Quasi-immutable field.
    pub quasi_immutable: bool,
}

/// How a map hashes and compares its keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum MapKeyKind {
    /// Integers and bools: the value itself.
    Int,
    Str,
    /// A user type with `impl MapKey`: calls `key_hash`/`key_eq` (keys of `width` scalars).
    User {
        hash: FnId,
        eq: FnId,
        width: u32,
    },
}

/// Low-level operations (on flattened scalars).
#[derive(Clone, Debug, Serialize)]
pub enum LlOp {
    Const(#[serde(skip)] LlConst),
    Copy,
    /// Wrapping integer arithmetic and bit operations (add sub mul div rem and or xor shl shr);
    /// shift amounts are masked to the width; division by zero is a fatal error.
    IntBin(#[serde(skip)] BinOp, #[serde(skip)] IntTy),
    /// Integer comparison → bool.
    IntCmp(#[serde(skip)] BinOp, #[serde(skip)] IntTy),
    /// Checked arithmetic (add sub mul) → (wrapped result, overflowed: bool).
    IntOvf(#[serde(skip)] BinOp, #[serde(skip)] IntTy),
    IntNeg(#[serde(skip)] IntTy),
    IntNot(#[serde(skip)] IntTy),
    /// Bool operations: and or xor eq ne.
    BoolBin(#[serde(skip)] BinOp),
    BoolNot,
    FloatBin(#[serde(skip)] BinOp),
    FloatCmp(#[serde(skip)] BinOp),
    FloatNeg,
    /// Rust `as` from the argument's type to the result's.
    Cast,
    /// A DSL call: flattened arguments, flattened results.
    Call(FnId),
    Host(FnId),
    /// Allocates and initialises a GC object: args are all of its scalar slots in order (for an
    /// enum variant, the tag slot is written from the variant index and args are its fields).
    New(AdtId, Option<u32>),
    GetField(FieldDescr),
    /// args: object, value.
    SetField(FieldDescr),
    PtrEq,
    PtrIsNull,
    /// Built-in operation on flattened arguments (container elements of `k` scalars are passed
    /// as `k` arguments and returned as `k` results; `Option` results as (is_some, payload...)).
    Builtin(Builtin, Option<MapKeyKind>),
    /// Creates a container (`ArrayNew`, `ListNew`, `MapNew`): like [`LlOp::Builtin`], plus the
    /// scalar types of its elements (for maps: keys and values), which the backends need.
    NewContainer(Builtin, ContainerInfo),
    JitMergePoint(DriverId),
    CanEnterJit(DriverId),
}

/// Element layout of a container: the scalars of one element (for maps, of one key and one
/// value) and, for maps, how keys hash.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ContainerInfo {
    #[serde(skip)]
    pub elem: Vec<LlTy>,
    #[serde(skip)]
    pub value: Vec<LlTy>,
    pub key: Option<MapKeyKind>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub enum LlConst {
    Int(i64, #[serde(skip)] IntTy),
    F64(f64),
    Bool(bool),
    Null,
    Str(Vec<u8>),
}

pub type HlGraph = Graph<Ty, HlOp>;
pub type LlGraph = Graph<LlTy, LlOp>;

impl Exit {
    /// Variables the exit reads: its condition or switch value, returned values and link
    /// arguments.
    pub fn uses(&self) -> Vec<Var> {
        let mut v = Vec::new();
        match self {
            Exit::Goto(l) => v.extend(&l.args),
            Exit::If { cond, then, els } => {
                v.push(*cond);
                v.extend(&then.args);
                v.extend(&els.args);
            }
            Exit::Switch {
                value,
                cases,
                default,
            } => {
                v.push(*value);
                cases.iter().for_each(|(_, l)| v.extend(&l.args));
                v.extend(&default.args);
            }
            Exit::Return(vs) => v.extend(vs),
            Exit::Fatal(_) => {}
        }
        v
    }
}

impl<T: Clone, Op> Graph<T, Op> {
    /// Live-out set of every block (backward dataflow; block parameters are defined at the
    /// block's start, link arguments are read at the end of the predecessor).
    pub fn live_out(&self) -> Vec<std::collections::BTreeSet<Var>> {
        use std::collections::BTreeSet;
        let n = self.blocks.len();
        let mut live_in: Vec<BTreeSet<Var>> = vec![BTreeSet::new(); n];
        let mut live_out: Vec<BTreeSet<Var>> = vec![BTreeSet::new(); n];
        let mut changed = true;
        while changed {
            changed = false;
            for b in (0..n).rev() {
                let block = &self.blocks[b];
                let mut out = BTreeSet::new();
                for l in Self::successors(block) {
                    out.extend(live_in[l.target.0 as usize].iter().copied());
                }
                let mut live = out.clone();
                live.extend(block.exit.uses());
                for ins in block.ops.iter().rev() {
                    for r in &ins.results {
                        live.remove(r);
                    }
                    live.extend(ins.args.iter().copied());
                }
                for p in &block.params {
                    live.remove(p);
                }
                if out != live_out[b] || live != live_in[b] {
                    live_out[b] = out;
                    live_in[b] = live;
                    changed = true;
                }
            }
        }
        live_out
    }
}
