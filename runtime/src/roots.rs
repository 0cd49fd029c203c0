//! Roots: the shadow stack shared with generated code, and [`RootGuard`] for the runtime's own.
//!
//! The shadow stack is an array of object pointers allocated by the runtime at start-up.
//! Generated code reserves slots by bumping the exported `vmkit_shadow_top` (checking it against
//! `vmkit_shadow_limit`) and restores it before returning; the collector scans
//! `[base, vmkit_shadow_top)` and skips null words.
//!
//! The runtime follows the same discipline for the references it holds while it may collect
//! (allocation) or call back into generated code (user map keys): a [`RootGuard`] pushes pointers
//! on top of the shadow stack and pops them all when dropped. Frames nest strictly, so restoring
//! the saved top is always correct. The collector is non-moving, so a rooted pointer stays valid
//! as is.

#![allow(non_upper_case_globals)]

use crate::global::Global;
use crate::object::{ref_words, Obj};
use std::ptr::null_mut;

/// The first free shadow-stack slot. Loaded and stored directly by generated code.
#[no_mangle]
pub static mut vmkit_shadow_top: *mut *mut Obj = null_mut();

/// One past the last shadow-stack slot. Read directly by generated code.
#[no_mangle]
pub static mut vmkit_shadow_limit: *mut *mut Obj = null_mut();

/// The shadow stack's storage and base.
static SHADOW: Global<Option<Box<[*mut Obj]>>> = Global::new(None);

/// References the JIT keeps alive for as long as the process runs: string constants of
/// jitcodes and the constants compiled into traces. Scanned by the collector like the shadow
/// stack.
static PERMANENT: Global<Vec<*mut Obj>> = Global::new(Vec::new());

/// Keeps `o` alive forever.
pub fn add_permanent_root(o: *mut Obj) {
    if !o.is_null() {
        // SAFETY: mutator thread; no other reference to the list is live.
        unsafe { (*PERMANENT.ptr()).push(o) }
    }
}

/// The permanent roots (see [`add_permanent_root`]).
pub fn permanent_roots() -> &'static [*mut Obj] {
    // SAFETY: mutator thread; the collector reads it while nothing adds to it.
    unsafe { &*PERMANENT.ptr() }
}

/// Default shadow-stack size of a translated program, in slots (32 MiB).
pub const DEFAULT_SHADOW_SLOTS: usize = 4 << 20;

/// Allocates a zeroed shadow stack of `slots` slots and points `vmkit_shadow_top` and
/// `vmkit_shadow_limit` at it. Replaces (and frees) a previous one.
pub fn init_shadow_stack(slots: usize) {
    let mut stack = vec![null_mut::<Obj>(); slots.max(1)].into_boxed_slice();
    let range = stack.as_mut_ptr_range();
    // SAFETY: mutator thread; nothing refers into the old stack any more.
    unsafe {
        vmkit_shadow_top = range.start;
        vmkit_shadow_limit = range.end;
        *SHADOW.ptr() = Some(stack);
    }
}

/// The live part of the shadow stack, `[base, top)` (empty before initialisation).
pub fn shadow_range() -> (*mut *mut Obj, *mut *mut Obj) {
    // SAFETY: mutator thread.
    unsafe {
        match &mut *SHADOW.ptr() {
            Some(s) => (s.as_mut_ptr(), vmkit_shadow_top),
            None => (null_mut(), null_mut()),
        }
    }
}

/// Pushes references on the shadow stack; pops them all when dropped.
pub struct RootGuard {
    saved: *mut *mut Obj,
}

impl RootGuard {
    /// A guard with nothing pushed yet.
    #[inline]
    pub fn new() -> RootGuard {
        // SAFETY: mutator thread.
        RootGuard {
            saved: unsafe { vmkit_shadow_top },
        }
    }

    /// A guard rooting `objs`.
    #[inline]
    pub fn with(objs: &[*mut Obj]) -> RootGuard {
        let mut g = RootGuard::new();
        for &o in objs {
            g.push(o);
        }
        g
    }

    /// Roots `obj` (null is allowed and ignored by the collector) until the guard is dropped.
    #[inline]
    pub fn push(&mut self, obj: *mut Obj) {
        // SAFETY: mutator thread; the slot is inside the shadow stack.
        unsafe {
            let top = vmkit_shadow_top;
            if top >= vmkit_shadow_limit {
                crate::fatal::fatal("stack overflow");
            }
            *top = obj;
            vmkit_shadow_top = top.add(1);
        }
    }

    /// Roots the reference words (per `mask`) of the `width`-word value at `words`.
    ///
    /// # Safety
    /// `words` must point to `width` readable words (it may dangle if `width` is 0).
    #[inline]
    pub unsafe fn push_words(&mut self, words: *const u64, width: usize, mask: u64) {
        if mask == 0 {
            return;
        }
        for i in ref_words(width, mask) {
            self.push(*words.add(i) as usize as *mut Obj);
        }
    }
}

impl Default for RootGuard {
    fn default() -> Self {
        RootGuard::new()
    }
}

impl Drop for RootGuard {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: mutator thread; guards nest strictly.
        unsafe { vmkit_shadow_top = self.saved }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guards_push_and_pop() {
        let _t = crate::testutil::setup();
        let (base, top) = shadow_range();
        assert_eq!(base, top);
        let a = 0x1000 as *mut Obj;
        {
            let mut g = RootGuard::with(&[a]);
            let words = [7u64, 0x2000, 0x3000];
            unsafe { g.push_words(words.as_ptr(), 3, 0b110) };
            let (b, t) = shadow_range();
            assert_eq!(unsafe { t.offset_from(b) }, 3);
            unsafe {
                assert_eq!(*b, a);
                assert_eq!(*b.add(1), 0x2000 as *mut Obj);
                assert_eq!(*b.add(2), 0x3000 as *mut Obj);
            }
            {
                let _inner = RootGuard::with(&[a, a]);
                assert_eq!(unsafe { shadow_range().1.offset_from(b) }, 5);
            }
            assert_eq!(unsafe { shadow_range().1.offset_from(b) }, 3);
        }
        assert_eq!(shadow_range().1, base);
    }
}
