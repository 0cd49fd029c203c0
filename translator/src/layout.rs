//! Memory layouts of GC objects for a target: which scalar slots an object has (value-type
//! fields flattened, see [`crate::lower::flatten`]) and their byte offsets after the GC header.
//!
//! Struct objects: one run of slots per field, in declaration order. Enums (GC objects and
//! value types alike): slot 0 is the tag (`u32`), then the *shared* payload slots of
//! [`enum_plan`]: variants reuse each other's slots of the same scalar type, so an enum is as
//! big as its largest variant per scalar type, not the sum of all variants. Slots keep a single
//! scalar type whatever the tag, so the GC's pointer maps and the JIT's register banks stay
//! static; a variant's constructor writes the default (0, false, null) into every payload slot
//! it does not use, so a reference slot never holds a stale or garbage pointer. Slots are
//! aligned to their size.

use crate::flow::LlTy;
use crate::program::Program;
use crate::target::TargetSpec;
use crate::ty::{AdtId, IntTy};
use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Slot {
    #[serde(skip)]
    pub ty: LlTy,
    pub offset: u32,
    /// The source field (struct field index, or (variant, field) for enums) for dumps.
    pub field: String,
    pub immutable: bool,
    pub quasi_immutable: bool,
}

/// The layout of a GC object type on the target.
#[derive(Clone, Debug, Serialize)]
pub struct ObjLayout {
    pub name: String,
    pub slots: Vec<Slot>,
    /// Total size in bytes, GC header included, rounded up to the object alignment.
    pub size: u32,
    /// The slots of each field: `field_slots[0][f]` for struct field `f`,
    /// `field_slots[v][f]` for field `f` of enum variant `v` (not contiguous for enums).
    pub field_slots: Vec<Vec<Vec<u32>>>,
    pub is_enum: bool,
}

impl ObjLayout {
    /// The slots a `New` of this type (of `variant` for enums) stores its flattened arguments
    /// into, in argument order.
    pub fn arg_slots(&self, variant: Option<u32>) -> Vec<u32> {
        self.field_slots
            .get(variant.unwrap_or(0) as usize)
            .map(|fs| fs.iter().flatten().copied().collect())
            .unwrap_or_default()
    }
}

/// How the variants of an enum share payload slots.
#[derive(Clone, Debug)]
pub struct EnumPlan {
    /// The payload slots' scalar types (after the tag).
    pub slots: Vec<LlTy>,
    /// `pos[v][f]`: the payload slots (indices into `slots`) holding the flattened scalars of
    /// field `f` of variant `v`, in flattening order.
    pub pos: Vec<Vec<Vec<u32>>>,
}

/// The slot type holding a scalar of type `t` in a value enum: every integer and `bool` goes to
/// a 64-bit integer slot (converted on the way in and out), so that `Bool(bool)` and `Int(i64)`
/// variants share one word; floats and references keep slots of their own type (the JIT's
/// register banks and the GC's reference maps stay per slot).
pub fn value_slot_class(t: LlTy) -> LlTy {
    match t {
        LlTy::Bool | LlTy::Int(_) => LlTy::Int(IntTy::I64),
        other => other,
    }
}

/// Assigns payload slots: each variant takes, for each flattened scalar of its fields in
/// order, the next slot of that scalar's class it has not used yet, creating slots as needed.
/// A scalar's class is its own type in GC enums (fields are stored as they are) and
/// [`value_slot_class`] in value enums (`#[derive(Clone, Copy)]`).
pub fn enum_plan(prog: &Program, adt: AdtId) -> EnumPlan {
    let def = prog.adt(adt);
    let merge = def.is_value;
    let mut slots: Vec<LlTy> = Vec::new();
    let mut pos = Vec::new();
    for v in def.variants() {
        let mut used = vec![false; slots.len()];
        let mut vpos = Vec::new();
        for f in &v.fields {
            let mut fpos = Vec::new();
            for t in crate::lower::flatten(prog, f) {
                let c = if merge { value_slot_class(t) } else { t };
                let i = match (0..slots.len()).find(|&i| !used[i] && slots[i] == c) {
                    Some(i) => i,
                    None => {
                        slots.push(c);
                        used.push(false);
                        slots.len() - 1
                    }
                };
                used[i] = true;
                fpos.push(i as u32);
            }
            vpos.push(fpos);
        }
        pos.push(vpos);
    }
    EnumPlan { slots, pos }
}

pub fn size_of(t: LlTy, spec: &TargetSpec) -> u32 {
    match t {
        LlTy::Bool => 1,
        LlTy::Int(it) => it.bits(spec.pointer_width) / 8,
        LlTy::F64 => 8,
        LlTy::Ref => spec.pointer_bytes(),
    }
}

/// Computes the layout of every GC-allocated user type (value types get an empty layout).
pub fn compute(prog: &Program, spec: &TargetSpec) -> Vec<ObjLayout> {
    let mut out = Vec::new();
    for (i, adt) in prog.adts.iter().enumerate() {
        let id = AdtId(i as u32);
        let mut slots = Vec::new();
        let mut field_slots = Vec::new();
        let mut off = spec.gc_header_size;
        let mut push = |ty: LlTy, field: String, imm: bool, quasi: bool, slots: &mut Vec<Slot>| {
            let sz = size_of(ty, spec);
            off = off.div_ceil(sz) * sz;
            slots.push(Slot {
                ty,
                offset: off,
                field,
                immutable: imm,
                quasi_immutable: quasi,
            });
            off += sz;
        };
        if adt.is_enum() {
            push(LlTy::Int(IntTy::U32), "tag".into(), true, false, &mut slots);
            let plan = enum_plan(prog, id);
            // Name each shared slot after the variant fields that use it (for dumps).
            let mut names: Vec<Vec<String>> = vec![Vec::new(); plan.slots.len()];
            for (v, vpos) in adt.variants().iter().zip(&plan.pos) {
                for (fi, fpos) in vpos.iter().enumerate() {
                    for &p in fpos {
                        names[p as usize].push(format!("{}.{fi}", v.name));
                    }
                }
            }
            for (t, n) in plan.slots.iter().zip(names) {
                push(*t, n.join("|"), true, false, &mut slots);
            }
            field_slots = plan
                .pos
                .iter()
                .map(|vpos| {
                    vpos.iter()
                        .map(|fpos| fpos.iter().map(|p| p + 1).collect())
                        .collect()
                })
                .collect();
        } else {
            let mut fields = Vec::new();
            for f in adt.fields() {
                let first = slots.len() as u32;
                let (imm, quasi) = match &f.ty {
                    crate::ty::Ty::Mut(_) => (false, false),
                    crate::ty::Ty::QuasiImmut(_) => (false, true),
                    _ => (true, false),
                };
                for t in crate::lower::flatten(prog, &f.ty) {
                    push(t, f.name.clone(), imm, quasi, &mut slots);
                }
                fields.push((first..slots.len() as u32).collect());
            }
            field_slots.push(fields);
        }
        let align = spec.object_alignment;
        let size = off.div_ceil(align) * align;
        out.push(ObjLayout {
            name: adt.name.clone(),
            slots,
            size,
            field_slots,
            is_enum: adt.is_enum(),
        });
    }
    out
}
