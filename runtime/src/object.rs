//! GC objects: the header every object starts with, type ids, flags and the user type table.
//!
//! Every object begins with an 8-byte [`Obj`] header: `type_id: u32` and `flags: u32` (bit 0
//! [`FLAG_MARK`], bit 1 [`FLAG_STATIC`]). Type ids 1–5 are the built-in objects (their layouts
//! after the header are private to this crate, except `Str`'s, which generated code also builds
//! as static data); ids from [`FIRST_USER_TYPE`] on are the interpreter's own GC types, whose
//! size and reference slots come from the generated `vmkit_type_table` ([`TypeInfo`]).
//!
//! Objects are allocated individually with the system allocator, aligned to [`OBJ_ALIGN`]
//! (the targets' `object_alignment`).

/// The header of every GC object; a `*mut Obj` is a reference to any object.
#[repr(C)]
#[derive(Debug)]
pub struct Obj {
    pub type_id: u32,
    pub flags: u32,
}

/// Type id of `Str`.
pub const TYPE_STR: u32 = 1;
/// Type id of `GcArray`.
pub const TYPE_ARRAY: u32 = 2;
/// Type id of `GcList`.
pub const TYPE_LIST: u32 = 3;
/// Type id of `GcMap`.
pub const TYPE_MAP: u32 = 4;
/// Type id of `StrBuilder`.
pub const TYPE_SB: u32 = 5;
/// Type id of the user type `AdtId(0)`; `AdtId(i)` is `FIRST_USER_TYPE + i`.
pub const FIRST_USER_TYPE: u32 = 16;

/// Header flag: reached by the current collection's mark phase.
pub const FLAG_MARK: u32 = 1;
/// Header flag: a static object (read-only data of the generated code), never freed, never
/// traced into and never written (not even its mark bit).
pub const FLAG_STATIC: u32 = 2;

/// Alignment of every object (the targets' `object_alignment`).
pub const OBJ_ALIGN: usize = 8;

/// Size of the header (the targets' `gc_header_size`).
pub const HEADER_SIZE: usize = std::mem::size_of::<Obj>();

/// One entry of the generated `vmkit_type_table`, indexed by `type_id - FIRST_USER_TYPE`.
#[repr(C)]
#[derive(Debug)]
pub struct TypeInfo {
    /// Object size in bytes, header included.
    pub size: u32,
    /// Number of reference slots.
    pub nrefs: u32,
    /// `nrefs` byte offsets (from the start of the object) of the reference slots.
    pub ref_offsets: *const u32,
}

// SAFETY: type tables are immutable data.
unsafe impl Sync for TypeInfo {}

impl TypeInfo {
    /// The reference slot offsets.
    ///
    /// # Safety
    /// `ref_offsets` must point to `nrefs` readable `u32`s (or `nrefs` must be 0).
    pub unsafe fn offsets(&self) -> &[u32] {
        if self.nrefs == 0 || self.ref_offsets.is_null() {
            &[]
        } else {
            std::slice::from_raw_parts(self.ref_offsets, self.nrefs as usize)
        }
    }
}

/// `Str` layout: the header, the length, then the bytes (no terminator). Generated static strings
/// use exactly this layout with [`FLAG_STATIC`] set.
#[repr(C)]
pub struct StrObj {
    pub header: Obj,
    pub len: u64,
    pub bytes: [u8; 0],
}

/// Offset of the first byte of a `Str`.
pub const STR_BYTES_OFFSET: usize = std::mem::size_of::<StrObj>();

/// Rounds `n` up to the object alignment (`None` on overflow).
pub fn align_up(n: usize) -> Option<usize> {
    n.checked_add(OBJ_ALIGN - 1).map(|x| x & !(OBJ_ALIGN - 1))
}

/// Copies `n` words from `src` to `dst` (not overlapping). Elements and map values are a few
/// words: those are moved inline, where `copy_nonoverlapping` with a run-time length would call
/// `memmove` (~3% of a call-heavy pyvm run, in the map lookup of every global).
///
/// # Safety
/// As `std::ptr::copy_nonoverlapping(src, dst, n)`.
#[inline(always)]
pub unsafe fn copy_words(src: *const u64, dst: *mut u64, n: usize) {
    match n {
        0 => {}
        1 => *dst = *src,
        2 => {
            *dst = *src;
            *dst.add(1) = *src.add(1);
        }
        3 => {
            *dst = *src;
            *dst.add(1) = *src.add(1);
            *dst.add(2) = *src.add(2);
        }
        4 => {
            *dst = *src;
            *dst.add(1) = *src.add(1);
            *dst.add(2) = *src.add(2);
            *dst.add(3) = *src.add(3);
        }
        _ => std::ptr::copy_nonoverlapping(src, dst, n),
    }
}

/// Iterates over the indices of the reference words of an element of `width` words: the set bits
/// of `mask` below `width` (words past the 64th are never references).
pub fn ref_words(width: usize, mask: u64) -> impl Iterator<Item = usize> {
    let mask = if width >= 64 {
        mask
    } else {
        mask & ((1u64 << width) - 1)
    };
    let mut m = mask;
    std::iter::from_fn(move || {
        if m == 0 {
            None
        } else {
            let i = m.trailing_zeros() as usize;
            m &= m - 1;
            Some(i)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layouts_match_the_abi() {
        assert_eq!(HEADER_SIZE, 8);
        assert_eq!(STR_BYTES_OFFSET, 16);
        assert_eq!(std::mem::size_of::<TypeInfo>(), 16);
        assert_eq!(align_up(17), Some(24));
        assert_eq!(align_up(16), Some(16));
        assert_eq!(align_up(usize::MAX), None);
    }

    #[test]
    fn ref_words_respects_width() {
        assert_eq!(ref_words(3, 0b1101).collect::<Vec<_>>(), vec![0, 2]);
        assert_eq!(ref_words(64, 1 << 63).collect::<Vec<_>>(), vec![63]);
        assert_eq!(ref_words(0, u64::MAX).count(), 0);
        assert_eq!(ref_words(100, 0b10).collect::<Vec<_>>(), vec![1]);
    }
}
