//! `GcArray` (type id 2) and `GcList` (type id 3): flattened elements in 64-bit words.
//!
//! An element of `width` words crosses the boundary through a word buffer (see the ABI doc);
//! `refmask` bit `i` says word `i` of every element is a reference (words past the 64th never
//! are). Elements are stored back to back: element `i` occupies words `i*width .. (i+1)*width`.
//!
//! - An array ([`ArrayObj`]) stores its words inline after a small header: one allocation, fixed
//!   length.
//! - A list ([`ListObj`]) keeps its words in an out-of-line `Vec<u64>` and its length separately
//!   (so zero-width elements work). Growth doubles the capacity and is accounted to the GC
//!   ([`gc::reserve`]); only then can a list operation collect, and it roots the list and the
//!   incoming element first.
//!
//! Semantics follow `vmkit::array` (Rust's `Vec`), and the failures the graph interpreter's
//! messages: `index out of bounds: the len is L but the index is I`,
//! `insertion index (is I) should be <= len (is L)`, `removal index (is I) should be < len (is L)`.

use crate::fatal::{fatal, index_out_of_bounds};
use crate::gc;
use crate::object::{ref_words, Obj, TYPE_ARRAY, TYPE_LIST};
use crate::roots::RootGuard;
use std::ptr::{addr_of, addr_of_mut};

/// Array layout: the header, the element shape, the length, then `len * width` words.
#[repr(C)]
pub struct ArrayObj {
    pub header: Obj,
    pub width: u32,
    pub _pad: u32,
    pub refmask: u64,
    pub len: u64,
    pub words: [u64; 0],
}

/// Offset of an array's first word.
const ARRAY_WORDS_OFFSET: usize = std::mem::size_of::<ArrayObj>();

/// List layout: the header, the element shape, the length, the address of the out-of-line
/// words and the words. Compiled traces read `len` and `data` at fixed offsets
/// (`vmkit_jit_ir::trace::LIST_LEN_OFFSET`, `LIST_DATA_OFFSET`; checked below): `data` is
/// `words.as_ptr()`, refreshed by [`sync`] after every change of `words`.
#[repr(C)]
pub struct ListObj {
    pub header: Obj,
    pub width: u32,
    pub _pad: u32,
    pub refmask: u64,
    pub len: u64,
    pub data: *mut u64,
    pub words: Vec<u64>,
}

const _: () = assert!(
    std::mem::offset_of!(ListObj, len) == vmkit_jit_ir::trace::LIST_LEN_OFFSET as usize
        && std::mem::offset_of!(ListObj, data) == vmkit_jit_ir::trace::LIST_DATA_OFFSET as usize
);

/// Refreshes `data` after `words` changed (it may have moved).
#[inline]
fn sync(lo: &mut ListObj) {
    lo.data = lo.words.as_mut_ptr();
}

/// Allocation size of a list object.
pub const LIST_RAW_SIZE: usize = std::mem::size_of::<ListObj>();

/// Initial capacity hints larger than this many words are not honoured up front.
const MAX_INITIAL_WORDS: usize = 1 << 24;

#[inline]
unsafe fn array_words(a: *mut Obj) -> *mut u64 {
    (a as *mut u8).add(ARRAY_WORDS_OFFSET) as *mut u64
}

/// Allocation size of an array object.
///
/// # Safety
/// `a` must be a valid array.
pub unsafe fn array_raw_size(a: *mut Obj) -> usize {
    let ao = a as *const ArrayObj;
    ARRAY_WORDS_OFFSET + (*ao).len as usize * (*ao).width as usize * 8
}

/// Calls `f` on the references of array `a`.
///
/// # Safety
/// `a` must be a valid array.
pub unsafe fn trace_array(a: *mut Obj, f: &mut impl FnMut(*mut Obj)) {
    let ao = a as *const ArrayObj;
    let (w, mask, len) = ((*ao).width as usize, (*ao).refmask, (*ao).len as usize);
    if mask == 0 || w == 0 {
        return;
    }
    let words = array_words(a);
    for e in 0..len {
        for i in ref_words(w, mask) {
            f(*words.add(e * w + i) as usize as *mut Obj);
        }
    }
}

/// Out-of-line bytes of a list.
///
/// # Safety
/// `l` must be a valid list.
pub unsafe fn list_extra(l: *mut Obj) -> usize {
    (*(l as *const ListObj)).words.capacity() * 8
}

/// Drops the words of a dead list.
///
/// # Safety
/// `l` must be a valid list, never used again.
pub unsafe fn drop_list(l: *mut Obj) {
    std::ptr::drop_in_place(addr_of_mut!((*(l as *mut ListObj)).words));
}

/// Calls `f` on the references of list `l`.
///
/// # Safety
/// `l` must be a valid list.
pub unsafe fn trace_list(l: *mut Obj, f: &mut impl FnMut(*mut Obj)) {
    let lo = l as *const ListObj;
    let (w, mask) = ((*lo).width as usize, (*lo).refmask);
    if mask == 0 || w == 0 {
        return;
    }
    let words = &*addr_of!((*lo).words);
    for e in words.chunks_exact(w) {
        for i in ref_words(w, mask) {
            f(e[i] as usize as *mut Obj);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Arrays
// ---------------------------------------------------------------------------------------------

/// `vmkit_array_new(len, width, refmask, init)`: `len` copies of the element at `init`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_array_new(
    len: u64,
    width: u32,
    refmask: u64,
    init: *const u64,
) -> *mut Obj {
    let w = width as usize;
    let Some(total) = len
        .checked_mul(w as u64)
        .filter(|&t| t <= (isize::MAX as u64) / 16)
    else {
        fatal("capacity overflow")
    };
    let total = total as usize;
    let a = {
        let mut g = RootGuard::new();
        g.push_words(init, w, refmask);
        match gc::try_alloc(ARRAY_WORDS_OFFSET + total * 8, 0, TYPE_ARRAY) {
            Some(a) => a,
            // The graph interpreter's message (it counts 16 bytes per word).
            None => fatal(&format!("memory allocation of {} bytes failed", total * 16)),
        }
    };
    let ao = a as *mut ArrayObj;
    (*ao).width = width;
    (*ao).refmask = refmask;
    (*ao).len = len;
    if w > 0 {
        let init = std::slice::from_raw_parts(init, w);
        if init.iter().any(|&x| x != 0) {
            let words = std::slice::from_raw_parts_mut(array_words(a), total);
            for e in words.chunks_exact_mut(w) {
                e.copy_from_slice(init);
            }
        }
    }
    a
}

/// `vmkit_array_len(a)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_array_len(a: *mut Obj) -> u64 {
    (*(a as *const ArrayObj)).len
}

#[inline]
unsafe fn array_slot(a: *mut Obj, i: u64) -> (*mut u64, usize) {
    let ao = a as *const ArrayObj;
    let len = (*ao).len;
    if i >= len {
        index_out_of_bounds(len, i);
    }
    let w = (*ao).width as usize;
    (array_words(a).add(i as usize * w), w)
}

/// `vmkit_array_get(a, i, out)`: copies element `i` to `out`; out of range is fatal.
#[no_mangle]
pub unsafe extern "C" fn vmkit_array_get(a: *mut Obj, i: u64, out: *mut u64) {
    let (p, w) = array_slot(a, i);
    crate::object::copy_words(p, out, w);
}

/// `vmkit_array_set(a, i, val)`: copies the element at `val` into slot `i`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_array_set(a: *mut Obj, i: u64, val: *const u64) {
    let (p, w) = array_slot(a, i);
    crate::object::copy_words(val, p, w);
}

// ---------------------------------------------------------------------------------------------
// Lists
// ---------------------------------------------------------------------------------------------

#[inline]
unsafe fn list<'a>(l: *mut Obj) -> &'a mut ListObj {
    &mut *(l as *mut ListObj)
}

/// `vmkit_list_new(width, refmask, capacity)`: an empty list; `capacity` (in elements) is a hint.
#[no_mangle]
pub extern "C" fn vmkit_list_new(width: u32, refmask: u64, capacity: u64) -> *mut Obj {
    let w = width as usize;
    let cap_words = (capacity.min(MAX_INITIAL_WORDS as u64) as usize)
        .saturating_mul(w)
        .min(MAX_INITIAL_WORDS);
    let l = gc::alloc(LIST_RAW_SIZE, cap_words * 8, TYPE_LIST);
    // SAFETY: a fresh list object; the zeroed `words` field is overwritten without being dropped.
    unsafe {
        let lo = l as *mut ListObj;
        (*lo).width = width;
        (*lo).refmask = refmask;
        addr_of_mut!((*lo).words).write(Vec::with_capacity(cap_words));
        sync(&mut *lo);
    }
    l
}

/// Makes room for one more element, accounting the growth; roots the list and the incoming
/// element at `val` while the accounting may collect.
#[inline]
unsafe fn list_reserve_one(l: *mut Obj, val: *const u64) {
    let lo = list(l);
    let w = lo.width as usize;
    let (len, cap) = (lo.words.len(), lo.words.capacity());
    if len + w <= cap {
        return;
    }
    list_grow(l, val);
}

#[cold]
#[inline(never)]
unsafe fn list_grow(l: *mut Obj, val: *const u64) {
    let (w, mask, len, cap) = {
        let lo = list(l);
        (
            lo.width as usize,
            lo.refmask,
            lo.words.len(),
            lo.words.capacity(),
        )
    };
    let Some(need) = len.checked_add(w).filter(|&n| n <= isize::MAX as usize / 8) else {
        fatal("capacity overflow")
    };
    let new_cap = need.max(cap.saturating_mul(2)).max(4 * w);
    {
        let mut g = RootGuard::with(&[l]);
        g.push_words(val, w, mask);
        gc::reserve((new_cap - cap) * 8);
    }
    let lo = list(l);
    lo.words.reserve_exact(new_cap - len);
    sync(lo);
}

/// `vmkit_list_len(l)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_list_len(l: *mut Obj) -> u64 {
    list(l).len
}

/// `vmkit_list_get(l, i, out)`: copies element `i` to `out`; out of range is fatal.
#[no_mangle]
pub unsafe extern "C" fn vmkit_list_get(l: *mut Obj, i: u64, out: *mut u64) {
    let lo = list(l);
    if i >= lo.len {
        index_out_of_bounds(lo.len, i);
    }
    let w = lo.width as usize;
    debug_assert_eq!(lo.data as *const u64, lo.words.as_ptr());
    crate::object::copy_words(lo.words.as_ptr().add(i as usize * w), out, w);
}

/// `vmkit_list_set(l, i, val)`: overwrites element `i`; out of range is fatal.
#[no_mangle]
pub unsafe extern "C" fn vmkit_list_set(l: *mut Obj, i: u64, val: *const u64) {
    let lo = list(l);
    if i >= lo.len {
        index_out_of_bounds(lo.len, i);
    }
    let w = lo.width as usize;
    crate::object::copy_words(val, lo.words.as_mut_ptr().add(i as usize * w), w);
}

/// `vmkit_list_push(l, val)`: appends the element at `val`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_list_push(l: *mut Obj, val: *const u64) {
    list_reserve_one(l, val);
    let lo = list(l);
    let w = lo.width as usize;
    if w > 0 {
        lo.words
            .extend_from_slice(std::slice::from_raw_parts(val, w));
    }
    lo.len += 1;
    sync(lo);
}

/// `vmkit_list_pop(l, out) -> bool`: removes the last element into `out` (may be null); false
/// when the list is empty.
#[no_mangle]
pub unsafe extern "C" fn vmkit_list_pop(l: *mut Obj, out: *mut u64) -> bool {
    let lo = list(l);
    if lo.len == 0 {
        return false;
    }
    let w = lo.width as usize;
    let at = lo.words.len() - w;
    if !out.is_null() {
        crate::object::copy_words(lo.words.as_ptr().add(at), out, w);
    }
    lo.words.truncate(at);
    lo.len -= 1;
    true
}

/// `vmkit_list_insert(l, i, val)`: inserts at `i <= len`, shifting later elements up.
#[no_mangle]
pub unsafe extern "C" fn vmkit_list_insert(l: *mut Obj, i: u64, val: *const u64) {
    let len = list(l).len;
    if i > len {
        fatal(&format!(
            "insertion index (is {i}) should be <= len (is {len})"
        ));
    }
    list_reserve_one(l, val);
    let lo = list(l);
    let w = lo.width as usize;
    if w > 0 {
        let at = i as usize * w;
        lo.words
            .splice(at..at, std::slice::from_raw_parts(val, w).iter().copied());
    }
    lo.len += 1;
    sync(lo);
}

/// `vmkit_list_remove(l, i, out)`: removes element `i` into `out` (may be null), shifting later
/// elements down; out of range is fatal.
#[no_mangle]
pub unsafe extern "C" fn vmkit_list_remove(l: *mut Obj, i: u64, out: *mut u64) {
    let lo = list(l);
    if i >= lo.len {
        fatal(&format!(
            "removal index (is {i}) should be < len (is {})",
            lo.len
        ));
    }
    let w = lo.width as usize;
    let at = i as usize * w;
    if !out.is_null() {
        crate::object::copy_words(lo.words.as_ptr().add(at), out, w);
    }
    lo.words.drain(at..at + w);
    lo.len -= 1;
    sync(lo);
}

/// `vmkit_list_truncate(l, n)`: keeps the first `n` elements (no effect if `n >= len`).
#[no_mangle]
pub unsafe extern "C" fn vmkit_list_truncate(l: *mut Obj, n: u64) {
    let lo = list(l);
    if n < lo.len {
        lo.len = n;
        lo.words.truncate(n as usize * lo.width as usize);
        sync(lo);
    }
}

/// `vmkit_list_clear(l)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_list_clear(l: *mut Obj) {
    let lo = list(l);
    lo.len = 0;
    lo.words.clear();
    sync(lo);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{self, list_words, new_str, str_of};

    fn get(l: *mut Obj, i: u64, w: usize) -> Vec<u64> {
        let mut out = vec![0; w];
        unsafe { vmkit_list_get(l, i, out.as_mut_ptr()) };
        out
    }

    #[test]
    fn list_semantics_match_vec() {
        let _t = testutil::setup();
        for w in [0usize, 1, 3] {
            let l = vmkit_list_new(w as u32, 0, 0);
            let _g = RootGuard::with(&[l]);
            let mut model: Vec<Vec<u64>> = Vec::new();
            let elem = |x: u64| (0..w as u64).map(|k| x * 10 + k).collect::<Vec<u64>>();
            unsafe {
                for x in 0..50u64 {
                    vmkit_list_push(l, elem(x).as_ptr());
                    model.push(elem(x));
                }
                vmkit_list_insert(l, 0, elem(100).as_ptr());
                model.insert(0, elem(100));
                vmkit_list_insert(l, 10, elem(101).as_ptr());
                model.insert(10, elem(101));
                let len = vmkit_list_len(l);
                vmkit_list_insert(l, len, elem(102).as_ptr());
                model.insert(len as usize, elem(102));
                let mut out = vec![0u64; w];
                vmkit_list_remove(l, 5, out.as_mut_ptr());
                assert_eq!(out, model.remove(5));
                vmkit_list_remove(l, 0, std::ptr::null_mut());
                model.remove(0);
                vmkit_list_set(l, 3, elem(7).as_ptr());
                model[3] = elem(7);
                assert!(vmkit_list_pop(l, out.as_mut_ptr()));
                assert_eq!(out, model.pop().unwrap());
                assert_eq!(vmkit_list_len(l), model.len() as u64);
                for (i, m) in model.iter().enumerate() {
                    assert_eq!(&get(l, i as u64, w), m);
                }
                vmkit_list_truncate(l, 100);
                assert_eq!(vmkit_list_len(l), model.len() as u64);
                vmkit_list_truncate(l, 4);
                model.truncate(4);
                assert_eq!(vmkit_list_len(l), 4);
                assert_eq!(list_words(l), model.concat());
                vmkit_list_clear(l);
                assert_eq!(vmkit_list_len(l), 0);
                assert!(!vmkit_list_pop(l, out.as_mut_ptr()));
            }
        }
    }

    #[test]
    fn list_of_refs_under_stress() {
        let _t = testutil::setup();
        testutil::stress();
        let l = vmkit_list_new(2, 0b01, 1);
        let _g = RootGuard::with(&[l]);
        unsafe {
            for i in 0..100i64 {
                // The only reference to the new string is the word buffer passed in.
                let s = crate::str::vmkit_str_from_i64(i);
                let e = [s as u64, i as u64];
                if i % 3 == 0 {
                    vmkit_list_insert(l, 0, e.as_ptr());
                } else {
                    vmkit_list_push(l, e.as_ptr());
                }
            }
            gc::collect();
            assert_eq!(gc::stats().objects, 101);
            for i in 0..100 {
                let e = get(l, i, 2);
                assert_eq!(str_of(e[0] as *mut Obj), e[1].to_string().as_bytes());
            }
            // Removed elements become garbage.
            for _ in 0..50 {
                vmkit_list_remove(l, 0, std::ptr::null_mut());
            }
            gc::collect();
            assert_eq!(gc::stats().objects, 51);
        }
    }

    #[test]
    fn arrays() {
        let _t = testutil::setup();
        testutil::stress();
        unsafe {
            let s = new_str(b"init");
            let a = vmkit_array_new(5, 2, 0b10, [9, s as u64].as_ptr());
            let _g = RootGuard::with(&[a]);
            let v = vmkit::GcArray::new(5, 9u64);
            assert_eq!(vmkit_array_len(a), v.len() as u64);
            let mut out = [0u64; 2];
            for i in 0..5 {
                vmkit_array_get(a, i, out.as_mut_ptr());
                assert_eq!(out[0], 9);
                assert_eq!(str_of(out[1] as *mut Obj), b"init");
            }
            let t = new_str(b"three");
            vmkit_array_set(a, 3, [3, t as u64].as_ptr());
            gc::collect();
            assert_eq!(gc::stats().objects, 3);
            vmkit_array_get(a, 3, out.as_mut_ptr());
            assert_eq!(out[0], 3);
            assert_eq!(str_of(out[1] as *mut Obj), b"three");
            let z = vmkit_array_new(4, 1, 0, [0].as_ptr());
            vmkit_array_get(a, 0, out.as_mut_ptr());
            assert_eq!(vmkit_array_len(z), 4);
            let empty = vmkit_array_new(0, 3, 0, [1, 2, 3].as_ptr());
            assert_eq!(vmkit_array_len(empty), 0);
            let unit = vmkit_array_new(1000, 0, 0, std::ptr::NonNull::dangling().as_ptr());
            assert_eq!(vmkit_array_len(unit), 1000);
        }
    }

    #[test]
    fn container_errors() {
        for (child, msg) in [
            (
                "list_get",
                "index out of bounds: the len is 3 but the index is 5",
            ),
            (
                "list_set",
                "index out of bounds: the len is 3 but the index is 3",
            ),
            (
                "list_insert",
                "insertion index (is 4) should be <= len (is 3)",
            ),
            ("list_remove", "removal index (is 3) should be < len (is 3)"),
            (
                "array_get",
                "index out of bounds: the len is 2 but the index is 2",
            ),
            (
                "array_set",
                "index out of bounds: the len is 2 but the index is 18446744073709551615",
            ),
            ("array_new", "capacity overflow"),
        ] {
            let out = testutil::run_child(&format!("containers::tests::child_error_{child}"));
            assert_eq!(out.status.code(), Some(101), "{child}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.ends_with(&format!("fatal error: {msg}\n")),
                "{child}: {err}"
            );
        }
    }

    macro_rules! child_error {
        ($name:ident, |$l:ident, $a:ident| $body:expr) => {
            #[test]
            fn $name() {
                if !testutil::is_child() {
                    return;
                }
                let _t = testutil::setup();
                let $l = vmkit_list_new(1, 0, 0);
                let $a = unsafe { vmkit_array_new(2, 1, 0, [0].as_ptr()) };
                unsafe {
                    for x in 0..3u64 {
                        vmkit_list_push($l, &x);
                    }
                    let _ = $a;
                    $body;
                }
                unreachable!();
            }
        };
    }
    child_error!(child_error_list_get, |l, a| vmkit_list_get(
        l,
        5,
        [0].as_mut_ptr()
    ));
    child_error!(child_error_list_set, |l, a| vmkit_list_set(
        l,
        3,
        [0].as_ptr()
    ));
    child_error!(child_error_list_insert, |l, a| vmkit_list_insert(
        l,
        4,
        [0].as_ptr()
    ));
    child_error!(child_error_list_remove, |l, a| vmkit_list_remove(
        l,
        3,
        [0].as_mut_ptr()
    ));
    child_error!(child_error_array_get, |l, a| vmkit_array_get(
        a,
        2,
        [0].as_mut_ptr()
    ));
    child_error!(child_error_array_set, |l, a| vmkit_array_set(
        a,
        u64::MAX,
        [0].as_ptr()
    ));
    child_error!(child_error_array_new, |l, a| vmkit_array_new(
        u64::MAX / 2,
        2,
        0,
        [0, 0].as_ptr()
    ));
}
