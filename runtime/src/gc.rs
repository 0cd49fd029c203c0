//! The garbage collector: allocation, accounting and a precise, non-moving mark-sweep collection.
//!
//! # Allocation
//!
//! Small objects (up to [`SMALL_MAX`] bytes) live in *pages* of [`PAGE_BYTES`] bytes, each cut
//! into cells of one size (a multiple of [`OBJ_ALIGN`], at least 16 bytes). A page hands out
//! its never-used cells in address order (a bump index), then the cells the sweep freed,
//! lowest address first: consecutive allocations are neighbours in memory, so allocating is a
//! few instructions on memory the hardware prefetches, and the sweep walks pages linearly
//! instead of chasing a list of scattered objects. A free cell has type id 0 (never a valid
//! one) and the next free cell of its page in its second word. Pages left with no live object
//! after a sweep go to a pool of spare pages (about one collection cycle's worth; the rest back
//! to the system). Larger objects are allocated individually with the system allocator and kept
//! in a list. Every object is zero-filled when handed out. Built-in objects with growable storage
//! (lists, maps, string builders) keep that storage out of line in ordinary Rust buffers; its
//! growth is *accounted* like an allocation ([`reserve`]) so that it counts towards the
//! collection trigger and the heap limit.
//!
//! # When to collect
//!
//! Before an allocation (or a growth) of `n` bytes the collector runs if
//! - `VMKIT_GC_STRESS` is on (every allocation collects), or
//! - the bytes allocated since the last collection plus `n` exceed
//!   `max(MIN_THRESHOLD, live bytes after the last collection)`, or
//! - a heap limit (`VMKIT_GC_MAX_HEAP`) is set and live-after-last + allocated-since + `n` would
//!   exceed it.
//!
//! With a limit, if live bytes plus `n` still exceed it after the collection, the program ends
//! with the fatal error `out of memory: heap limit of N bytes exceeded (VMKIT_GC_MAX_HEAP)`.
//! Since any allocation may collect, callers root the references they still need (see
//! [`crate::roots`]).
//!
//! # Collection
//!
//! With `VMKIT_GC_VERIFY=1` (a debugging aid for code generators) every reference the collector
//! follows is checked to be null, a live heap object or a static object; anything else is the
//! fatal error `internal error: the GC found an invalid reference ...` naming where it was found
//! (a shadow-stack slot or the object holding it). Combined with `VMKIT_GC_STRESS=1` it catches
//! most missing roots at the first collection after the object was freed.
//!
//! Mark: from every non-null word of the shadow stack `[base, top)`, with an explicit mark stack
//! (no recursion). Static objects (flag bit 1) are skipped without being written. User objects
//! are traced through their type's `ref_offsets` (`vmkit_type_table`); arrays, lists and maps
//! through their words and reference masks; strings and string builders hold no references.
//! Sweep: every page's used cells and the list of large objects are visited; unmarked objects
//! are freed (built-ins drop their out-of-line buffers), marks of survivors are cleared and
//! their sizes summed into the live byte count. Objects never move, so raw pointers held by the runtime stay valid as long as they
//! are rooted.

use crate::fatal::fatal;
use crate::global::Global;
use crate::object::{
    align_up, Obj, TypeInfo, FIRST_USER_TYPE, FLAG_MARK, FLAG_STATIC, HEADER_SIZE, OBJ_ALIGN,
    TYPE_ARRAY, TYPE_LIST, TYPE_MAP, TYPE_SB, TYPE_STR,
};
use crate::roots;
use std::alloc::Layout;
use std::collections::HashSet;

/// The smallest collection threshold (bytes allocated since the last collection).
pub const MIN_THRESHOLD: usize = 4 << 20;

/// GC settings (from the environment, see [`crate::entry`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GcConfig {
    /// Collect before every allocation (`VMKIT_GC_STRESS=1`).
    pub stress: bool,
    /// Heap limit in bytes (`VMKIT_GC_MAX_HEAP`).
    pub max_heap: Option<u64>,
    /// Check every reference the collector follows (`VMKIT_GC_VERIFY=1`, a debugging aid).
    pub verify: bool,
}

/// Counters, for tests and diagnostics.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GcStats {
    /// Objects currently allocated (live or not yet collected).
    pub objects: usize,
    /// Bytes of the objects that survived the last collection.
    pub live_bytes_after_gc: usize,
    /// Bytes allocated (or grown) since the last collection.
    pub allocated_since_gc: usize,
    /// Number of collections so far.
    pub collections: u64,
    /// Pages of small objects in use.
    pub pages: usize,
}

/// A page of same-size cells (see the module docs).
struct Page {
    base: *mut u8,
    /// Cell size in bytes.
    cell: usize,
    /// Cells handed out at least once: `[0, used)`.
    used: usize,
    ncells: usize,
    /// Free cells below `used`, lowest address first (linked through their second word).
    free: *mut u8,
    /// Live objects found by the last sweep.
    live: usize,
}

struct Heap {
    /// (Boxed: `cur` points into them.)
    pages: Vec<Box<Page>>,
    /// Per size class (cell size / [`OBJ_ALIGN`]): the page allocation takes cells from, or
    /// null (after a sweep, before the class's first allocation).
    cur: [*mut Page; NCLASSES],
    /// Per size class: indices into `pages` of the other pages that may have a free cell.
    avail: [Vec<u32>; NCLASSES],
    /// Memory of empty pages kept for reuse.
    spare: Vec<*mut u8>,
    /// Objects larger than [`SMALL_MAX`], each allocated on its own.
    large: Vec<*mut Obj>,
    /// Objects currently allocated (live or not yet collected).
    nobjects: usize,
    allocated_since: usize,
    live_after: usize,
    stress: bool,
    verify: bool,
    max_heap: Option<usize>,
    types: *const TypeInfo,
    ntypes: usize,
    mark_stack: Vec<*mut Obj>,
    collections: u64,
    /// Objects allocated so far.
    allocations: u64,
    /// Time spent collecting so far.
    gc_time: std::time::Duration,
}

/// Largest object size (bytes) allocated in pages.
pub const SMALL_MAX: usize = 2048;
/// Bytes of a page of small objects.
pub const PAGE_BYTES: usize = 64 << 10;
/// Smallest cell: room for the header and a free cell's link.
const MIN_CELL: usize = 16;
/// Number of size classes.
const NCLASSES: usize = SMALL_MAX / OBJ_ALIGN + 1;

static HEAP: Global<Heap> = Global::new(Heap {
    pages: Vec::new(),
    cur: [std::ptr::null_mut(); NCLASSES],
    avail: [const { Vec::new() }; NCLASSES],
    spare: Vec::new(),
    large: Vec::new(),
    nobjects: 0,
    allocated_since: 0,
    live_after: 0,
    stress: false,
    verify: false,
    max_heap: None,
    types: std::ptr::null(),
    ntypes: 0,
    mark_stack: Vec::new(),
    collections: 0,
    allocations: 0,
    gc_time: std::time::Duration::ZERO,
});

/// The heap. Callers keep the reference short: never across a collection or a callback.
#[inline]
fn heap() -> &'static mut Heap {
    // SAFETY: mutator thread; see the module docs of `global`.
    unsafe { &mut *HEAP.ptr() }
}

/// Applies GC settings.
pub fn configure(config: GcConfig) {
    let h = heap();
    h.stress = config.stress;
    h.verify = config.verify;
    h.max_heap = config
        .max_heap
        .map(|m| usize::try_from(m).unwrap_or(usize::MAX));
}

/// Installs the user type table (`vmkit_type_table`, `vmkit_type_count`).
///
/// # Safety
/// `table` must point to `count` valid entries that live for the rest of the process.
pub unsafe fn set_type_table(table: *const TypeInfo, count: u32) {
    let h = heap();
    h.types = table;
    h.ntypes = if table.is_null() { 0 } else { count as usize };
}

/// The type info of a user type id; an unknown id is an internal fatal error.
#[inline]
pub fn user_type(type_id: u32) -> &'static TypeInfo {
    let h = heap();
    let i = type_id.wrapping_sub(FIRST_USER_TYPE) as usize;
    if type_id < FIRST_USER_TYPE || i >= h.ntypes {
        invalid_type(type_id)
    }
    // SAFETY: in bounds of the installed table.
    unsafe { &*h.types.add(i) }
}

#[cold]
fn invalid_type(type_id: u32) -> ! {
    fatal(&format!("internal error: invalid GC type id {type_id}"))
}

/// The allocation layout of an object of `size` bytes; too large is `capacity overflow`.
#[inline]
pub fn obj_layout(size: usize) -> Layout {
    match align_up(size.max(HEADER_SIZE)).and_then(|s| Layout::from_size_align(s, OBJ_ALIGN).ok()) {
        Some(l) => l,
        None => fatal("capacity overflow"),
    }
}

/// Accounts for `bytes` about to be allocated, collecting first if due (see the module docs).
/// May collect: the caller must have rooted every reference it still needs.
#[inline]
pub fn reserve(bytes: usize) {
    let h = heap();
    let total = h.allocated_since.saturating_add(bytes);
    let over_limit = match h.max_heap {
        Some(m) => h.live_after.saturating_add(total) > m,
        None => false,
    };
    if h.stress || over_limit || total > h.live_after.max(MIN_THRESHOLD) {
        collect_before(bytes);
    }
    let h = heap();
    h.allocated_since = h.allocated_since.saturating_add(bytes);
}

#[cold]
#[inline(never)]
fn collect_before(bytes: usize) {
    collect();
    let h = heap();
    if let Some(m) = h.max_heap {
        if h.live_after.saturating_add(bytes) > m {
            fatal(&format!(
                "out of memory: heap limit of {m} bytes exceeded (VMKIT_GC_MAX_HEAP)"
            ));
        }
    }
}

/// Allocates a zero-filled object of `size` bytes (header included) with the given type id,
/// accounting `extra` more bytes of out-of-line storage the caller is about to attach.
/// May collect: the caller must have rooted every reference it still needs. A failure of the
/// system allocator is the fatal error `memory allocation of N bytes failed`.
pub fn alloc(size: usize, extra: usize, type_id: u32) -> *mut Obj {
    match try_alloc(size, extra, type_id) {
        Some(p) => p,
        None => fatal(&format!(
            "memory allocation of {} bytes failed",
            obj_layout(size).size()
        )),
    }
}

/// [`alloc`], returning `None` if the system allocator fails (so that the caller can report the
/// failure as the untranslated operation would).
pub fn try_alloc(size: usize, extra: usize, type_id: u32) -> Option<*mut Obj> {
    let layout = obj_layout(size);
    let size = layout.size();
    reserve(size.saturating_add(extra));
    let h = heap();
    // SAFETY: a page cell is free memory of at least `size` bytes; otherwise the layout has a
    // non-zero size.
    let p = unsafe {
        if size <= SMALL_MAX {
            let p = alloc_cell(h, size.max(MIN_CELL))?;
            std::ptr::write_bytes(p, 0, size);
            p as *mut Obj
        } else {
            let p = std::alloc::alloc_zeroed(layout) as *mut Obj;
            if p.is_null() {
                return None;
            }
            h.large.push(p);
            p
        }
    };
    // SAFETY: freshly allocated, at least a header in size.
    unsafe { (*p).type_id = type_id };
    h.nobjects += 1;
    h.allocations += 1;
    Some(p)
}

/// A free cell of `cell` bytes (not zeroed), from the size class's current page, else from
/// another page of that size with room (a new one if none has); None if the system allocator
/// fails.
#[inline]
unsafe fn alloc_cell(h: &mut Heap, cell: usize) -> Option<*mut u8> {
    let class = cell / OBJ_ALIGN;
    let pg = h.cur[class];
    if !pg.is_null() {
        if let Some(c) = take_cell(&mut *pg) {
            return Some(c);
        }
    }
    alloc_cell_slow(h, class, cell)
}

/// A free cell of `pg` (its free list first, then its never-used cells).
#[inline]
unsafe fn take_cell(pg: &mut Page) -> Option<*mut u8> {
    if !pg.free.is_null() {
        let c = pg.free;
        pg.free = *(c.add(8) as *mut *mut u8);
        return Some(c);
    }
    if pg.used < pg.ncells {
        let c = pg.base.add(pg.used * pg.cell);
        pg.used += 1;
        return Some(c);
    }
    None
}

/// [`alloc_cell`] when the current page is full: the next page with room becomes current.
#[cold]
unsafe fn alloc_cell_slow(h: &mut Heap, class: usize, cell: usize) -> Option<*mut u8> {
    while let Some(pi) = h.avail[class].pop() {
        let pg: *mut Page = &mut *h.pages[pi as usize];
        if let Some(c) = take_cell(&mut *pg) {
            h.cur[class] = pg;
            return Some(c);
        }
    }
    let base = match h.spare.pop() {
        Some(b) => b,
        None => {
            let b = std::alloc::alloc(page_layout());
            if b.is_null() {
                return None;
            }
            b
        }
    };
    h.pages.push(Box::new(Page {
        base,
        cell,
        used: 0,
        ncells: PAGE_BYTES / cell,
        free: std::ptr::null_mut(),
        live: 0,
    }));
    let pg: *mut Page = &mut **h.pages.last_mut().expect("a page");
    h.cur[class] = pg;
    take_cell(&mut *pg)
}

fn page_layout() -> Layout {
    Layout::from_size_align(PAGE_BYTES, 16).expect("page layout")
}

/// Calls `f` on every allocated object of the pages (used cells that are not free).
unsafe fn each_small_object(h: &Heap, mut f: impl FnMut(*mut Obj)) {
    for pg in &h.pages {
        for i in 0..pg.used {
            let o = pg.base.add(i * pg.cell) as *mut Obj;
            if (*o).type_id != 0 {
                f(o);
            }
        }
    }
}

/// `vmkit_new(type_id)`: a zero-filled user object.
#[no_mangle]
pub extern "C" fn vmkit_new(type_id: u32) -> *mut Obj {
    let size = user_type(type_id).size as usize;
    alloc(size, 0, type_id)
}

/// Sets the mark of `o` and queues it for tracing, unless null, static or already marked.
#[inline]
unsafe fn mark(stack: &mut Vec<*mut Obj>, o: *mut Obj) {
    if o.is_null() {
        return;
    }
    let flags = (*o).flags;
    if flags & (FLAG_MARK | FLAG_STATIC) != 0 {
        return;
    }
    (*o).flags = flags | FLAG_MARK;
    let t = (*o).type_id;
    if t != TYPE_STR && t != TYPE_SB {
        stack.push(o);
    }
}

/// With `VMKIT_GC_VERIFY`: `o` (found in `place`) must be null, a heap object or a static one
/// (flags exactly [`FLAG_STATIC`] and a known type id).
#[cold]
unsafe fn verify_ref(
    valid: &HashSet<usize>,
    ntypes: usize,
    o: *mut Obj,
    place: &dyn Fn() -> String,
) {
    if o.is_null() || valid.contains(&(o as usize)) {
        return;
    }
    if (o as usize) & (OBJ_ALIGN - 1) == 0 && (o as usize) >= 4096 {
        let (t, flags) = ((*o).type_id, (*o).flags);
        let known = (TYPE_STR..=TYPE_SB).contains(&t)
            || (t >= FIRST_USER_TYPE && ((t - FIRST_USER_TYPE) as usize) < ntypes);
        if flags == FLAG_STATIC && known {
            return;
        }
    }
    fatal(&format!(
        "internal error: the GC found an invalid reference {o:p} in {}",
        place()
    ))
}

/// Calls `f` on every reference held by `o`.
unsafe fn trace(o: *mut Obj, types: &[TypeInfo], f: &mut impl FnMut(*mut Obj)) {
    match (*o).type_id {
        TYPE_STR | TYPE_SB => {}
        TYPE_ARRAY => crate::containers::trace_array(o, f),
        TYPE_LIST => crate::containers::trace_list(o, f),
        TYPE_MAP => crate::map::trace(o, f),
        t => {
            let i = t.wrapping_sub(FIRST_USER_TYPE) as usize;
            let Some(info) = types.get(i).filter(|_| t >= FIRST_USER_TYPE) else {
                invalid_type(t)
            };
            for &off in info.offsets() {
                f(*((o as *mut u8).add(off as usize) as *mut *mut Obj));
            }
        }
    }
}

/// Bytes accounted to `o`: its allocation plus its out-of-line storage.
unsafe fn object_size(o: *mut Obj, types: &[TypeInfo]) -> usize {
    let (raw, extra) = match (*o).type_id {
        TYPE_STR => (crate::str::str_raw_size(o), 0),
        TYPE_SB => (crate::str::SB_RAW_SIZE, crate::str::sb_extra(o)),
        TYPE_ARRAY => (crate::containers::array_raw_size(o), 0),
        TYPE_LIST => (
            crate::containers::LIST_RAW_SIZE,
            crate::containers::list_extra(o),
        ),
        TYPE_MAP => (crate::map::MAP_RAW_SIZE, crate::map::extra(o)),
        t => (types[(t - FIRST_USER_TYPE) as usize].size as usize, 0),
    };
    obj_layout(raw).size().saturating_add(extra)
}

/// Finalizes an unreachable object (dropping the out-of-line storage of built-ins) and returns
/// the layout of its memory, which the caller frees or caches.
unsafe fn finalize(o: *mut Obj, types: &[TypeInfo]) -> Layout {
    let raw = match (*o).type_id {
        TYPE_STR => crate::str::str_raw_size(o),
        TYPE_SB => {
            crate::str::drop_sb(o);
            crate::str::SB_RAW_SIZE
        }
        TYPE_ARRAY => crate::containers::array_raw_size(o),
        TYPE_LIST => {
            crate::containers::drop_list(o);
            crate::containers::LIST_RAW_SIZE
        }
        TYPE_MAP => {
            crate::map::drop_map(o);
            crate::map::MAP_RAW_SIZE
        }
        t => types[(t - FIRST_USER_TYPE) as usize].size as usize,
    };
    obj_layout(raw)
}

/// Runs a full collection now.
pub fn collect() {
    let t0 = std::time::Instant::now();
    collect_now();
    let h = heap();
    h.gc_time += t0.elapsed();
}

/// The `gc-summary` log line (`VMKIT_LOG=gc-summary`, printed at exit): collections, objects
/// allocated, time spent collecting, objects and bytes alive after the last collection.
pub fn summary() -> String {
    let h = heap();
    format!(
        "gc-summary: collections {}, objects allocated {}, collecting {:.3} ms, objects now {}, live bytes after the last collection {}",
        h.collections,
        h.allocations,
        h.gc_time.as_secs_f64() * 1e3,
        h.nobjects,
        h.live_after
    )
}

fn collect_now() {
    let h = heap();
    let types: &[TypeInfo] = if h.types.is_null() {
        &[]
    } else {
        // SAFETY: installed by `set_type_table`.
        unsafe { std::slice::from_raw_parts(h.types, h.ntypes) }
    };
    let mut stack = std::mem::take(&mut h.mark_stack);
    let (base, top) = roots::shadow_range();
    // SAFETY: the shadow stack's live part holds null or valid object pointers; so do the
    // reference slots of reachable objects.
    unsafe {
        let valid: Option<HashSet<usize>> = h.verify.then(|| {
            let mut v: HashSet<usize> = h.large.iter().map(|&o| o as usize).collect();
            each_small_object(h, |o| {
                v.insert(o as usize);
            });
            v
        });
        let mut p = base;
        while p < top {
            if let Some(v) = &valid {
                let slot = p.offset_from(base);
                verify_ref(v, types.len(), *p, &|| format!("shadow stack slot {slot}"));
            }
            mark(&mut stack, *p);
            p = p.add(1);
        }
        for &o in roots::permanent_roots() {
            mark(&mut stack, o);
        }
        while let Some(o) = stack.pop() {
            match &valid {
                None => trace(o, types, &mut |c| mark(&mut stack, c)),
                Some(v) => trace(o, types, &mut |c| {
                    let t = (*o).type_id;
                    verify_ref(v, types.len(), c, &|| {
                        format!("an object of type {t} at {o:p}")
                    });
                    mark(&mut stack, c)
                }),
            }
        }
    }
    h.mark_stack = stack;
    let mut live = 0usize;
    let mut freed = 0usize;
    // SAFETY: every used cell holds an allocated object (type id set) or a free cell (type id
    // 0); large objects are valid, runtime-allocated objects.
    unsafe {
        for pg in h.pages.iter_mut() {
            // from the top, so that the page's free list starts at its lowest cell
            let mut head: *mut u8 = std::ptr::null_mut();
            pg.live = 0;
            for i in (0..pg.used).rev() {
                let c = pg.base.add(i * pg.cell);
                let o = c as *mut Obj;
                if (*o).type_id != 0 {
                    if (*o).flags & FLAG_MARK != 0 {
                        (*o).flags &= !FLAG_MARK;
                        live = live.saturating_add(object_size(o, types));
                        pg.live += 1;
                        continue;
                    }
                    finalize(o, types);
                    (*o).type_id = 0;
                    (*o).flags = 0;
                    freed += 1;
                }
                *(c.add(8) as *mut *mut u8) = head;
                head = c;
            }
            pg.free = head;
        }
        h.large.retain(|&o| {
            if (*o).flags & FLAG_MARK != 0 {
                (*o).flags &= !FLAG_MARK;
                live = live.saturating_add(object_size(o, types));
                true
            } else {
                let layout = finalize(o, types);
                std::alloc::dealloc(o as *mut u8, layout);
                freed += 1;
                false
            }
        });
    }
    h.nobjects -= freed;
    // Pages without a live object become spare (about one collection cycle's worth is kept;
    // none when verifying, so that the system allocator sees every free); then every page with
    // room is available to its size class.
    let keep = if h.verify {
        0
    } else {
        h.live_after.max(MIN_THRESHOLD) / PAGE_BYTES
    };
    let (spare, pages) = (&mut h.spare, &mut h.pages);
    pages.retain(|pg| {
        if pg.live > 0 {
            return true;
        }
        if spare.len() < keep {
            spare.push(pg.base);
        } else {
            // SAFETY: allocated with `page_layout`, no object left in it.
            unsafe { std::alloc::dealloc(pg.base, page_layout()) };
        }
        false
    });
    for a in h.avail.iter_mut() {
        a.clear();
    }
    h.cur = [std::ptr::null_mut(); NCLASSES];
    for (i, pg) in h.pages.iter().enumerate() {
        if !pg.free.is_null() || pg.used < pg.ncells {
            h.avail[pg.cell / OBJ_ALIGN].push(i as u32);
        }
    }
    h.live_after = live;
    h.allocated_since = 0;
    h.collections += 1;
}

/// Current counters.
pub fn stats() -> GcStats {
    let h = heap();
    GcStats {
        objects: h.nobjects,
        live_bytes_after_gc: h.live_after,
        allocated_since_gc: h.allocated_since,
        collections: h.collections,
        pages: h.pages.len(),
    }
}

/// Frees every object and resets the counters and settings (tests).
#[cfg(test)]
pub fn reset() {
    let h = heap();
    let types: &[TypeInfo] = if h.types.is_null() {
        &[]
    } else {
        unsafe { std::slice::from_raw_parts(h.types, h.ntypes) }
    };
    // SAFETY: as in a sweep that finds nothing alive.
    unsafe {
        each_small_object(h, |o| {
            finalize(o, types);
        });
        for o in std::mem::take(&mut h.large) {
            let layout = finalize(o, types);
            std::alloc::dealloc(o as *mut u8, layout);
        }
        for pg in std::mem::take(&mut h.pages) {
            std::alloc::dealloc(pg.base, page_layout());
        }
        for b in std::mem::take(&mut h.spare) {
            std::alloc::dealloc(b, page_layout());
        }
    }
    h.avail.iter_mut().for_each(Vec::clear);
    h.cur = [std::ptr::null_mut(); NCLASSES];
    h.nobjects = 0;
    h.allocated_since = 0;
    h.live_after = 0;
    h.collections = 0;
    h.stress = false;
    h.verify = false;
    h.max_heap = None;
}

/// Parses a heap limit: a decimal number of bytes with an optional `K`, `M` or `G` suffix
/// (binary multiples, case-insensitive, optionally followed by `B` or `iB`).
pub fn parse_heap_limit(s: &str) -> Result<u64, String> {
    let err = || {
        format!(
            "invalid VMKIT_GC_MAX_HEAP value `{s}`: expected a number of bytes with an optional K, M or G suffix"
        )
    };
    let t = s.trim();
    let digits = t.bytes().take_while(|b| b.is_ascii_digit()).count();
    if digits == 0 {
        return Err(err());
    }
    let n: u64 = t[..digits].parse().map_err(|_| err())?;
    let suffix = t[digits..].trim_start().to_ascii_lowercase();
    let mult: u64 = match suffix.as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(err()),
    };
    n.checked_mul(mult).ok_or_else(err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::object::{TYPE_LIST, TYPE_STR};
    use crate::roots::RootGuard;
    use crate::testutil::{self, list_words, new_str, str_of};

    #[test]
    fn heap_limit_parser() {
        assert_eq!(parse_heap_limit("0"), Ok(0));
        assert_eq!(parse_heap_limit("12345"), Ok(12345));
        assert_eq!(parse_heap_limit("64K"), Ok(64 << 10));
        assert_eq!(parse_heap_limit("64k"), Ok(64 << 10));
        assert_eq!(parse_heap_limit("3M"), Ok(3 << 20));
        assert_eq!(parse_heap_limit("2G"), Ok(2 << 30));
        assert_eq!(parse_heap_limit(" 2 MiB "), Ok(2 << 20));
        assert_eq!(parse_heap_limit("10MB"), Ok(10 << 20));
        assert_eq!(parse_heap_limit("100b"), Ok(100));
        for bad in [
            "",
            "M",
            "-1",
            "1.5M",
            "12T",
            "1 2",
            "99999999999999999999",
            "17179869184G",
        ] {
            let e = parse_heap_limit(bad).unwrap_err();
            assert!(
                e.starts_with("invalid VMKIT_GC_MAX_HEAP value"),
                "{bad}: {e}"
            );
        }
    }

    #[test]
    fn unrooted_objects_are_freed_and_rooted_ones_survive() {
        let _t = testutil::setup();
        // A user type: Node { header, value: i64 @8, next: Ref @16, other: Ref @24 }.
        let base = stats().objects;
        let keep = new_str(b"kept");
        let mut g = RootGuard::with(&[keep]);
        let node = vmkit_new(testutil::NODE);
        g.push(node);
        unsafe {
            testutil::set_node(node, 42, new_str(b"via a ref slot"), std::ptr::null_mut());
        }
        // A list (rooted only through the node's second ref slot) holding a string.
        let l = crate::containers::vmkit_list_new(2, 0b10, 0);
        unsafe { testutil::set_node_other(node, l) };
        let s = new_str(b"in a list");
        unsafe { crate::containers::vmkit_list_push(l, [7u64, s as u64].as_ptr()) };
        for i in 0..1000 {
            new_str(format!("garbage {i}").as_bytes());
            vmkit_new(testutil::NODE);
        }
        assert_eq!(stats().objects, base + 5 + 2000);
        collect();
        let st = stats();
        assert_eq!(st.objects, base + 5, "only the reachable objects survive");
        assert!(st.live_bytes_after_gc > 0);
        assert_eq!(str_of(keep), b"kept");
        unsafe {
            let (v, next, other) = testutil::get_node(node);
            assert_eq!(v, 42);
            assert_eq!(str_of(next), b"via a ref slot");
            assert_eq!(other, l);
            assert_eq!((*l).type_id, TYPE_LIST);
            let words = list_words(l);
            assert_eq!(words[0], 7);
            assert_eq!(str_of(words[1] as *mut Obj), b"in a list");
            assert_eq!((*(words[1] as *mut Obj)).type_id, TYPE_STR);
        }
        // Unrooting everything frees everything.
        drop(g);
        collect();
        assert_eq!(stats().objects, base);
        assert_eq!(stats().live_bytes_after_gc, 0);
    }

    #[test]
    fn freed_cells_are_reused_zeroed() {
        let _t = testutil::setup();
        let keep = vmkit_new(testutil::NODE);
        let mut g = RootGuard::with(&[keep]);
        let mut dead = std::collections::HashSet::new();
        for i in 0..100 {
            let n = vmkit_new(testutil::NODE);
            unsafe { testutil::set_node(n, i, keep, n) };
            dead.insert(n as usize);
        }
        unsafe { testutil::set_node(keep, 7, keep, std::ptr::null_mut()) };
        collect();
        assert_eq!(stats().objects, 1);
        let mut reused = 0;
        for _ in 0..100 {
            let n = vmkit_new(testutil::NODE);
            g.push(n);
            reused += dead.contains(&(n as usize)) as usize;
            unsafe {
                assert_eq!((*n).type_id, testutil::NODE);
                assert_eq!((*n).flags, 0);
                assert_eq!(
                    testutil::get_node(n),
                    (0, std::ptr::null_mut(), std::ptr::null_mut())
                );
            }
            // Other types take cells of their own size class.
            let l = crate::containers::vmkit_list_new(1, 0, 0);
            g.push(l);
            unsafe { assert_eq!(crate::containers::vmkit_list_len(l), 0) };
        }
        assert!(reused > 50, "{reused}");
        assert_eq!(unsafe { testutil::get_node(keep).0 }, 7);
        collect();
        assert_eq!(stats().objects, 201);
    }

    #[test]
    fn cycles_and_static_objects() {
        let _t = testutil::setup();
        let a = vmkit_new(testutil::NODE);
        let mut g = RootGuard::with(&[a]);
        let b = vmkit_new(testutil::NODE);
        unsafe {
            testutil::set_node(a, 1, b, testutil::static_str());
            testutil::set_node(b, 2, a, std::ptr::null_mut());
        }
        collect();
        assert_eq!(stats().objects, 2);
        unsafe {
            assert_eq!(testutil::get_node(b).1, a);
            assert_eq!(str_of(testutil::static_str()), b"static");
            assert_eq!((*testutil::static_str()).flags, FLAG_STATIC);
        }
        g.push(testutil::static_str());
        let leaf = vmkit_new(testutil::LEAF);
        g.push(leaf);
        collect();
        assert_eq!(stats().objects, 3);
        assert_eq!(unsafe { (*leaf).type_id }, testutil::LEAF);
        drop(g);
        collect();
        assert_eq!(stats().objects, 0);
    }

    #[test]
    fn collection_is_triggered_by_allocation_volume() {
        let _t = testutil::setup();
        let before = stats().collections;
        // 16 MiB of garbage strings: at least a few automatic collections.
        for _ in 0..(16 << 10) {
            new_str(&[b'x'; 1000]);
        }
        let st = stats();
        assert!(st.collections >= before + 3, "{st:?}");
        assert!(st.objects < (MIN_THRESHOLD / 1000) + 10, "{st:?}");
    }

    /// Small objects of one size are handed out in address order from a page; after a
    /// collection the freed cells are reused lowest first, before the page's never-used ones;
    /// a page left without live objects is given up (kept as spare memory).
    #[test]
    fn small_objects_fill_pages_in_address_order() {
        let _t = testutil::setup();
        let a = new_str(b"aaaa");
        let b = new_str(b"bbbb");
        let c = new_str(b"cccc");
        let cell = (b as usize).wrapping_sub(a as usize);
        assert!(cell >= 16 && cell % OBJ_ALIGN == 0, "{a:p} {b:p}");
        assert_eq!((c as usize) - (b as usize), cell);
        assert_eq!(stats().pages, 1);
        {
            let _g = RootGuard::with(&[b]);
            collect();
            assert_eq!(stats().objects, 1);
            let d = new_str(b"dddd");
            let e = new_str(b"eeee");
            let f = new_str(b"ffff");
            assert_eq!((d, e), (a, c), "freed cells first, lowest first");
            assert_eq!(
                f as usize,
                c as usize + cell,
                "then the page's unused cells"
            );
            // (and zero-filled: the strings read back as written)
            assert_eq!(str_of(d), b"dddd");
            // a large object is not in a page
            let big = new_str(&[b'x'; 3000]);
            assert_eq!(stats().pages, 1);
            assert_eq!(stats().objects, 5);
            let _ = big;
        }
        collect();
        let st = stats();
        assert_eq!(
            (st.objects, st.pages, st.live_bytes_after_gc),
            (0, 0, 0),
            "{st:?}"
        );
    }

    #[test]
    fn stress_mode_collects_at_every_allocation() {
        let _t = testutil::setup();
        testutil::stress();
        let l = crate::containers::vmkit_list_new(1, 1, 0);
        let _g = RootGuard::with(&[l]);
        let c0 = stats().collections;
        for i in 0..200 {
            let s = crate::str::vmkit_str_from_i64(i);
            unsafe { crate::containers::vmkit_list_push(l, [s as u64].as_ptr()) };
            // Garbage in between.
            crate::str::vmkit_str_from_i64(-i);
        }
        assert!(stats().collections >= c0 + 400);
        unsafe {
            let words = list_words(l);
            assert_eq!(words.len(), 200);
            for (i, w) in words.iter().enumerate() {
                assert_eq!(str_of(*w as *mut Obj), i.to_string().as_bytes());
            }
        }
        collect();
        assert_eq!(stats().objects, 201);
    }

    #[test]
    fn verification_reports_invalid_references() {
        let out = testutil::run_child("gc::tests::child_verify_root");
        assert_eq!(out.status.code(), Some(101), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.ends_with(
                "fatal error: internal error: the GC found an invalid reference 0x10 in shadow stack slot 1\n"
            ),
            "{err}"
        );
        let out = testutil::run_child("gc::tests::child_verify_slot");
        assert_eq!(out.status.code(), Some(101), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains("fatal error: internal error: the GC found an invalid reference 0x")
                && err.contains(" in an object of type 16 at 0x"),
            "{err}"
        );
    }

    #[test]
    fn child_verify_root() {
        if !testutil::is_child() {
            return;
        }
        let _t = testutil::setup();
        testutil::stress();
        let _g = RootGuard::with(&[testutil::static_str(), 0x10 as *mut Obj]);
        new_str(b"x");
    }

    #[test]
    fn child_verify_slot() {
        if !testutil::is_child() {
            return;
        }
        let _t = testutil::setup();
        testutil::stress();
        let n = vmkit_new(testutil::NODE);
        let _g = RootGuard::with(&[n]);
        // Looks like a string, but the collector never allocated it.
        let fake: &'static mut [u64; 2] = Box::leak(Box::new([TYPE_STR as u64, 0]));
        unsafe { testutil::set_node(n, 0, fake.as_mut_ptr() as *mut Obj, std::ptr::null_mut()) };
        new_str(b"x");
    }

    #[test]
    fn heap_limit_is_enforced_in_a_child_process() {
        let out = testutil::run_child("gc::tests::child_heap_limit");
        assert_eq!(out.status.code(), Some(101), "{out:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            err.contains(
                "fatal error: out of memory: heap limit of 1048576 bytes exceeded (VMKIT_GC_MAX_HEAP)\n"
            ),
            "{err}"
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("before oom"));
    }

    #[test]
    fn child_heap_limit() {
        if !testutil::is_child() {
            return;
        }
        let _t = testutil::setup();
        configure(GcConfig {
            max_heap: Some(1 << 20),
            ..GcConfig::default()
        });
        // Garbage within the limit is fine: it is collected.
        for _ in 0..10_000 {
            new_str(&[0; 1000]);
        }
        unsafe { crate::io::vmkit_print(new_str(b"before oom\n")) };
        let l = crate::containers::vmkit_list_new(1, 1, 0);
        let _g = RootGuard::with(&[l]);
        for _ in 0..10_000 {
            let s = new_str(&[0; 1000]);
            unsafe { crate::containers::vmkit_list_push(l, [s as u64].as_ptr()) };
        }
        unreachable!("the heap limit was not enforced");
    }
}
