//! Effect analysis and descriptors.
//!
//! Every call descriptor carries the callee's [`EffectInfo`], computed over the whole program
//! (a fixpoint over the call graph): the fields it may write, whether it writes containers,
//! whether it can allocate (and so collect), whether it can fail (a fatal error), and its effect
//! level from the hints (`#[elidable]`, `#[loop_invariant]`) and from I/O. The optimizer uses
//! them to keep heap caches across calls and to fold elidable calls.

use serde::Serialize;
use std::collections::{BTreeSet, HashMap};
use vmkit_translator::driver::Translation;
use vmkit_translator::flow::{ContainerInfo, Exit, LlOp, LlTy, MapKeyKind};
use vmkit_translator::program::FnId;
use vmkit_translator::thir::{BinOp, Builtin};

/// RPython's effect levels, from most to least foldable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Default)]
pub enum EffectLevel {
    ElidableCannotRaise,
    LoopInvariant,
    CannotRaise,
    ElidableCanRaise,
    #[default]
    CanRaise,
    /// I/O or host code: anything may happen.
    RandomEffects,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Default)]
pub struct EffectInfo {
    pub level: EffectLevel,
    /// (adt, slot) of the object fields the call may write.
    pub writes_fields: BTreeSet<(u32, u32)>,
    pub writes_containers: bool,
    pub can_collect: bool,
    pub can_raise: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct FieldDescrInfo {
    pub name: String,
    pub adt: u32,
    pub slot: u32,
    pub offset: u32,
    #[serde(skip)]
    pub ty: LlTy,
    pub immutable: bool,
    pub quasi_immutable: bool,
}

#[derive(Clone, Debug, Serialize)]
pub enum CallTarget {
    Dsl { fn_id: u32, name: String },
    Host { name: String },
}

/// Serialises low-level types by name (`i64`, `bool`, `f64`, `ref`...).
fn ser_tys<S: serde::Serializer>(tys: &[LlTy], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(tys.iter().map(|t| crate::assemble::ty_name(*t)))
}

#[derive(Clone, Debug, Serialize)]
pub struct CallDescr {
    pub target: CallTarget,
    pub effect: EffectInfo,
    /// Low-level types of the flattened arguments and results (how a host call converts them).
    #[serde(serialize_with = "ser_tys")]
    pub args: Vec<LlTy>,
    #[serde(serialize_with = "ser_tys")]
    pub results: Vec<LlTy>,
}

/// A built-in operation with everything its implementation needs that the register encoding
/// loses: the map key kind, the element layout of a created container, and the low-level types
/// of its arguments and results (bools and integers share the int bank; `Option` results are a
/// nullable reference or `(is_some, payload...)`). Deduplicated by their full content.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BuiltinDescr {
    pub builtin: Builtin,
    pub effect: EffectInfo,
    /// For map operations: how keys hash and compare.
    pub key: Option<MapKeyKind>,
    /// For `ArrayNew`/`ListNew`/`MapNew`: the element (key and value) scalars.
    pub container: Option<ContainerInfo>,
    #[serde(serialize_with = "ser_tys")]
    pub args: Vec<LlTy>,
    #[serde(serialize_with = "ser_tys")]
    pub results: Vec<LlTy>,
}

/// All descriptors of a jit program (referenced by index from jitcodes).
#[derive(Clone, Debug, Serialize, Default)]
pub struct Descrs {
    pub fields: Vec<FieldDescrInfo>,
    pub calls: Vec<CallDescr>,
    pub builtins: Vec<BuiltinDescr>,
    /// Switch tables: (key, target pc).
    pub switches: Vec<Vec<(i64, u32)>>,
    /// Fatal-error messages.
    pub messages: Vec<String>,
    /// Effect information of every function, indexed by `FnId`.
    pub fn_effects: Vec<EffectInfo>,
    #[serde(skip)]
    pub(crate) field_index: HashMap<(u32, u32), u16>,
    #[serde(skip)]
    pub(crate) call_index: HashMap<u32, u16>,
}

/// Effects of a builtin operation.
pub fn builtin_effect(b: Builtin) -> EffectInfo {
    use Builtin::*;
    let mut e = EffectInfo {
        level: EffectLevel::CannotRaise,
        ..Default::default()
    };
    match b {
        Print | EPrint | WriteByte | ReadByte | ReadFile | WriteFile | Flush => {
            e.level = EffectLevel::RandomEffects;
            e.can_collect = matches!(b, ReadFile);
        }
        ArraySet | ListSet | ListPush | ListPop | ListInsert | ListRemove | ListTruncate
        | ListClear | MapInsert | MapRemove | MapClear | SbPushStr | SbPushByte => {
            e.writes_containers = true;
            e.can_collect = matches!(
                b,
                ListPush | ListInsert | MapInsert | SbPushStr | SbPushByte
            );
            e.can_raise = matches!(b, ArraySet | ListSet | ListInsert | ListRemove);
            e.level = if e.can_raise {
                EffectLevel::CanRaise
            } else {
                EffectLevel::CannotRaise
            };
        }
        StrConcat | StrSlice | StrRepeat | StrFromI64 | StrFromU64 | StrFromF64 | StrFromByte
        | SbNew | SbBuild | ArrayNew | ListNew | MapNew => {
            e.can_collect = true;
            e.can_raise = matches!(b, StrSlice | StrRepeat);
            e.level = if e.can_raise {
                EffectLevel::CanRaise
            } else {
                EffectLevel::CannotRaise
            };
        }
        StrByteAt | ArrayGet | ListGet | MapKeyAt | MapValueAt => {
            e.can_raise = true;
            e.level = EffectLevel::ElidableCanRaise;
        }
        FfiOpen | FfiSymbol | FfiError | FfiCall | FfiCallF64 | FfiMalloc | FfiFree | FfiPeek
        | FfiPoke | FfiPeekF64 | FfiPokeF64 | FfiToCstr | FfiFromCstr | FfiCallback => {
            // Foreign code (and, through callbacks, any DSL code): opaque to the optimizer.
            e.level = EffectLevel::RandomEffects;
            e.writes_containers = true;
            e.can_collect = true;
            e.can_raise = true;
        }
        MapGet | MapContains => {
            // user keys call back into DSL code
            e.can_collect = true;
            e.can_raise = true;
            e.level = EffectLevel::CanRaise;
        }
        _ => e.level = EffectLevel::ElidableCannotRaise,
    }
    e
}

fn merge(into: &mut EffectInfo, from: &EffectInfo) -> bool {
    let before = into.clone();
    into.writes_fields
        .extend(from.writes_fields.iter().copied());
    into.writes_containers |= from.writes_containers;
    into.can_collect |= from.can_collect;
    into.can_raise |= from.can_raise;
    if from.level == EffectLevel::RandomEffects {
        into.level = EffectLevel::RandomEffects;
    }
    *into != before
}

/// Computes every function's effects (fixpoint over calls).
pub fn analyze(t: &Translation) -> Descrs {
    let n = t.prog.fns.len();
    let mut eff: Vec<EffectInfo> = vec![EffectInfo::default(); n];
    for (i, f) in t.prog.fns.iter().enumerate() {
        if f.is_host {
            eff[i] = EffectInfo {
                level: EffectLevel::RandomEffects,
                writes_fields: BTreeSet::new(),
                writes_containers: true,
                can_collect: true,
                can_raise: true,
            };
        }
    }
    let mut changed = true;
    while changed {
        changed = false;
        for i in 0..n {
            let Some(g) = &t.ll.graphs[i] else { continue };
            let mut e = eff[i].clone();
            e.level = EffectLevel::CannotRaise;
            for b in &g.blocks {
                if matches!(b.exit, Exit::Fatal(_)) {
                    e.can_raise = true;
                }
                for o in &b.ops {
                    match &o.op {
                        LlOp::SetField(d) => {
                            e.writes_fields.insert((d.adt.0, d.slot));
                        }
                        LlOp::New(..) => e.can_collect = true,
                        LlOp::IntBin(BinOp::Div | BinOp::Rem, _) => e.can_raise = true,
                        LlOp::Call(c) | LlOp::Host(c) => {
                            let ce = eff[c.0 as usize].clone();
                            merge(&mut e, &ce);
                        }
                        LlOp::Builtin(bi, _) | LlOp::NewContainer(bi, _) => {
                            merge(&mut e, &builtin_effect(*bi));
                        }
                        _ => {}
                    }
                }
            }
            if e.level != EffectLevel::RandomEffects {
                let hints = &t.prog.fns[i].hints;
                e.level = match (hints.elidable, hints.loop_invariant, e.can_raise) {
                    (true, _, false) => EffectLevel::ElidableCannotRaise,
                    (true, _, true) => EffectLevel::ElidableCanRaise,
                    (false, true, _) => EffectLevel::LoopInvariant,
                    (false, false, false) => EffectLevel::CannotRaise,
                    (false, false, true) => EffectLevel::CanRaise,
                };
            }
            if e != eff[i] {
                eff[i] = e;
                changed = true;
            }
        }
    }
    Descrs {
        fn_effects: eff,
        ..Default::default()
    }
}

impl Descrs {
    /// Interns the descriptor of field slot `slot` of `adt`.
    pub fn field(&mut self, t: &Translation, d: &vmkit_translator::flow::FieldDescr) -> u16 {
        if let Some(i) = self.field_index.get(&(d.adt.0, d.slot)) {
            return *i;
        }
        let lay = &t.ll.layouts[d.adt.0 as usize];
        let name = format!(
            "{}.{}",
            lay.name,
            lay.slots
                .get(d.slot as usize)
                .map(|s| s.field.as_str())
                .unwrap_or("?")
        );
        self.fields.push(FieldDescrInfo {
            name,
            adt: d.adt.0,
            slot: d.slot,
            offset: d.offset,
            ty: d.ty,
            immutable: d.immutable,
            quasi_immutable: d.quasi_immutable,
        });
        let i = (self.fields.len() - 1) as u16;
        self.field_index.insert((d.adt.0, d.slot), i);
        i
    }

    /// Interns the call descriptor of `f`, whose flattened arguments and results have the types
    /// `args` and `results`.
    pub fn call(&mut self, t: &Translation, f: FnId, args: &[LlTy], results: &[LlTy]) -> u16 {
        if let Some(i) = self.call_index.get(&f.0) {
            return *i;
        }
        let def = t.prog.func(f);
        let target = if def.is_host {
            CallTarget::Host {
                name: def.name.clone(),
            }
        } else {
            CallTarget::Dsl {
                fn_id: f.0,
                name: def.path.clone(),
            }
        };
        self.calls.push(CallDescr {
            target,
            effect: self.fn_effects[f.0 as usize].clone(),
            args: args.to_vec(),
            results: results.to_vec(),
        });
        let i = (self.calls.len() - 1) as u16;
        self.call_index.insert(f.0, i);
        i
    }

    /// Interns the descriptor of built-in `b` used with this key kind, container layout and
    /// argument and result types.
    pub fn builtin(
        &mut self,
        b: Builtin,
        key: Option<MapKeyKind>,
        container: Option<&ContainerInfo>,
        args: &[LlTy],
        results: &[LlTy],
    ) -> u16 {
        let d = BuiltinDescr {
            builtin: b,
            effect: builtin_effect(b),
            key,
            container: container.cloned(),
            args: args.to_vec(),
            results: results.to_vec(),
        };
        if let Some(i) = self.builtins.iter().position(|x| *x == d) {
            return i as u16;
        }
        self.builtins.push(d);
        (self.builtins.len() - 1) as u16
    }

    pub fn message(&mut self, m: &str) -> u16 {
        if let Some(i) = self.messages.iter().position(|x| x == m) {
            return i as u16;
        }
        self.messages.push(m.to_string());
        (self.messages.len() - 1) as u16
    }
}
