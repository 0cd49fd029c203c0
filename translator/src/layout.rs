//! Memory layouts of GC objects for a target: which scalar slots an object has (value-type
//! fields flattened, see [`crate::lower::flatten`]) and their byte offsets after the GC header.
//!
//! Struct objects: one run of slots per field, in declaration order. Enum objects: slot 0 is the
//! tag (`u32`), then the slots of every variant's fields, variant after variant (no overlap:
//! simple and safe for a precise GC, at some cost in size). Slots are aligned to their size.

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
    /// For structs: first slot of each field. For enums: first slot of each variant's fields.
    pub field_start: Vec<Vec<u32>>,
    pub is_enum: bool,
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
        let mut field_start = Vec::new();
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
            for (vi, v) in adt.variants().iter().enumerate() {
                let mut starts = Vec::new();
                for (fi, f) in v.fields.iter().enumerate() {
                    starts.push(slots.len() as u32);
                    for t in crate::lower::flatten(prog, f) {
                        push(t, format!("{}.{fi}", v.name), true, false, &mut slots);
                    }
                    let _ = vi;
                }
                field_start.push(starts);
            }
        } else {
            let mut starts = Vec::new();
            for f in adt.fields() {
                starts.push(slots.len() as u32);
                let (imm, quasi) = match &f.ty {
                    crate::ty::Ty::Mut(_) => (false, false),
                    crate::ty::Ty::QuasiImmut(_) => (false, true),
                    _ => (true, false),
                };
                for t in crate::lower::flatten(prog, &f.ty) {
                    push(t, f.name.clone(), imm, quasi, &mut slots);
                }
            }
            field_start.push(starts);
        }
        let align = spec.object_alignment;
        let size = off.div_ceil(align) * align;
        let _ = id;
        out.push(ObjLayout {
            name: adt.name.clone(),
            slots,
            size,
            field_start,
            is_enum: adt.is_enum(),
        });
    }
    out
}
