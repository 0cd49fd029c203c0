//! `GcMap` (type id 4): an insertion-ordered hash map of flattened keys and values.
//!
//! # Representation
//!
//! Entries live in parallel out-of-line vectors in insertion order: `keys` (`kwidth` words per
//! entry), `vals` (`vwidth` words) and `hashes` (the key's hash). An open-addressing `table`
//! (linear probing, power-of-two size, load at most 1/2) maps hashes to entry numbers (stored
//! `+ 1`, 0 marks an empty slot). `key_at(i)`/`value_at(i)` index the entries directly; replacing
//! a value keeps its entry; removing an entry shifts the later ones down (keeping their order)
//! and rebuilds the table. The table is only ever appended to or rebuilt in entry order, so
//! entries with equal hashes appear along a probe sequence in insertion order.
//!
//! # Key kinds
//!
//! - 0: integer/bool keys: word 0 is the key and its own hash.
//! - 1: `Str` keys: word 0 is the string, hashed with FNV-1a, compared by bytes.
//! - 2: user keys: hashed and compared by thunks of the generated code, called with pointers to
//!   key word buffers. To agree with the untranslated `vmkit::GcMap` (user key functions may have
//!   effects), the calls are made in the same sequence: a lookup hashes the probe once, then calls
//!   `eq(stored, probe)` on every entry with the same hash in insertion order until one matches;
//!   inserting a new entry hashes the key a second time; a removal re-hashes every remaining key
//!   in order. While calling back, the map, the probe key, the value being inserted or removed
//!   and the stored key being compared are rooted, and stored keys are copied out first (the
//!   callback may allocate, collect or even modify the map).
//!
//! Growth of the vectors is accounted to the GC; it may collect, with the map, key and value
//! rooted. Index errors use Rust's `index out of bounds: the len is L but the index is I`.

use crate::fatal::{fatal, index_out_of_bounds};
use crate::gc;
use crate::object::{ref_words, Obj, TYPE_MAP};
use crate::roots::RootGuard;
use crate::str::{str_bytes, vmkit_str_eq};
use std::ptr::addr_of_mut;

/// `hash(key)` thunk of user keys.
pub type HashFn = extern "C" fn(*const u64) -> u64;
/// `eq(stored, probe)` thunk of user keys.
pub type EqFn = extern "C" fn(*const u64, *const u64) -> bool;

/// Integer/bool keys.
pub const KIND_INT: u32 = 0;
/// `Str` keys.
pub const KIND_STR: u32 = 1;
/// User keys (through thunks).
pub const KIND_USER: u32 = 2;

/// Map layout: the header and the runtime-private [`MapData`].
#[repr(C)]
pub struct MapObj {
    pub header: Obj,
    pub data: MapData,
}

/// The state of a map (see the module docs).
pub struct MapData {
    kind: u32,
    kwidth: u32,
    vwidth: u32,
    kmask: u64,
    vmask: u64,
    hash: Option<HashFn>,
    eq: Option<EqFn>,
    len: usize,
    keys: Vec<u64>,
    vals: Vec<u64>,
    hashes: Vec<u64>,
    table: Vec<u32>,
}

/// Allocation size of a map object.
pub const MAP_RAW_SIZE: usize = std::mem::size_of::<MapObj>();

/// Smallest non-empty table.
const MIN_TABLE: usize = 8;

#[inline]
unsafe fn data<'a>(m: *mut Obj) -> &'a mut MapData {
    &mut *addr_of_mut!((*(m as *mut MapObj)).data)
}

/// Out-of-line bytes of a map.
///
/// # Safety
/// `m` must be a valid map.
pub unsafe fn extra(m: *mut Obj) -> usize {
    let d = data(m);
    (d.keys.capacity() + d.vals.capacity() + d.hashes.capacity()) * 8 + d.table.capacity() * 4
}

/// Drops the storage of a dead map.
///
/// # Safety
/// `m` must be a valid map, never used again.
pub unsafe fn drop_map(m: *mut Obj) {
    std::ptr::drop_in_place(addr_of_mut!((*(m as *mut MapObj)).data));
}

/// Calls `f` on the references of map `m`.
///
/// # Safety
/// `m` must be a valid map.
pub unsafe fn trace(m: *mut Obj, f: &mut impl FnMut(*mut Obj)) {
    let d = data(m);
    for (words, w, mask) in [
        (&d.keys, d.kwidth as usize, d.kmask),
        (&d.vals, d.vwidth as usize, d.vmask),
    ] {
        if mask == 0 || w == 0 {
            continue;
        }
        for e in words.chunks_exact(w) {
            for i in ref_words(w, mask) {
                f(e[i] as usize as *mut Obj);
            }
        }
    }
}

/// Home slot of hash `h` in a table of `1 << bits` slots (Fibonacci hashing: integer keys are
/// their own hashes and need mixing).
#[inline]
fn home(h: u64, mask: usize) -> usize {
    let bits = (mask + 1).trailing_zeros();
    (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize
}

impl MapData {
    /// Puts entry `i` (with hash `h`) into the table, which has room.
    #[inline]
    fn table_insert(&mut self, i: usize, h: u64) {
        let mask = self.table.len() - 1;
        let mut pos = home(h, mask);
        while self.table[pos] != 0 {
            pos = (pos + 1) & mask;
        }
        self.table[pos] = (i + 1) as u32;
    }

    /// Rebuilds the table from `hashes` (entry order), with at least `min_slots` slots.
    fn rebuild_table(&mut self, min_slots: usize) {
        let n = min_slots
            .max(self.len * 2)
            .max(MIN_TABLE)
            .next_power_of_two();
        if self.table.len() != n {
            self.table = vec![0; n];
        } else {
            self.table.fill(0);
        }
        for i in 0..self.len {
            let h = self.hashes[i];
            self.table_insert(i, h);
        }
    }

    /// Entry numbers whose hash is `h`, in insertion order (probe order).
    fn candidates(&self, h: u64) -> Vec<usize> {
        let mut out = Vec::new();
        if self.table.is_empty() {
            return out;
        }
        let mask = self.table.len() - 1;
        let mut pos = home(h, mask);
        loop {
            let e = self.table[pos] as usize;
            if e == 0 {
                return out;
            }
            if self.hashes.get(e - 1) == Some(&h) {
                out.push(e - 1);
            }
            pos = (pos + 1) & mask;
        }
    }

    /// Lookup for the native kinds (no callbacks).
    #[inline]
    unsafe fn find_native(&self, key: *const u64, h: u64) -> Option<usize> {
        if self.table.is_empty() {
            return None;
        }
        let kw = self.kwidth as usize;
        let k0 = if kw > 0 { *key } else { 0 };
        let mask = self.table.len() - 1;
        let mut pos = home(h, mask);
        loop {
            let e = self.table[pos] as usize;
            if e == 0 {
                return None;
            }
            let i = e - 1;
            if self.hashes[i] == h {
                let stored = if kw > 0 { self.keys[i * kw] } else { 0 };
                let same = if self.kind == KIND_STR {
                    vmkit_str_eq(stored as usize as *mut Obj, k0 as usize as *mut Obj)
                } else {
                    stored == k0
                };
                if same {
                    return Some(i);
                }
            }
            pos = (pos + 1) & mask;
        }
    }
}

/// The hash of a key of a native kind.
#[inline]
unsafe fn native_hash(kind: u32, kw: usize, key: *const u64) -> u64 {
    if kw == 0 {
        return 0;
    }
    if kind == KIND_STR {
        vmkit::str::fnv1a(str_bytes(*key as usize as *mut Obj))
    } else {
        *key
    }
}

/// A scratch buffer for one key (inline for narrow keys).
struct KeyBuf {
    inline: [u64; 8],
    heap: Vec<u64>,
    w: usize,
}

impl KeyBuf {
    fn new(w: usize) -> KeyBuf {
        KeyBuf {
            inline: [0; 8],
            heap: if w > 8 { vec![0; w] } else { Vec::new() },
            w,
        }
    }
    fn words(&mut self) -> &mut [u64] {
        if self.w > 8 {
            &mut self.heap
        } else {
            &mut self.inline[..self.w]
        }
    }
}

/// Copies the key of entry `i` into `buf`; an entry that vanished (a callback shrank the map) is
/// the index error the untranslated map would raise.
unsafe fn copy_key(m: *mut Obj, i: usize, buf: &mut KeyBuf) {
    let d = data(m);
    if i >= d.len {
        index_out_of_bounds(d.len as u64, i as u64);
    }
    let kw = d.kwidth as usize;
    buf.words().copy_from_slice(&d.keys[i * kw..(i + 1) * kw]);
}

/// Calls the user hash thunk on `key`.
unsafe fn user_hash(m: *mut Obj, key: *const u64) -> u64 {
    let f = data(m).hash.unwrap_or_else(|| missing_thunk());
    f(key)
}

#[cold]
fn missing_thunk() -> ! {
    fatal("internal error: map with user keys lacks its hash or eq function")
}

/// Finds `key`: the entry number (if present) and the key's hash.
unsafe fn find(m: *mut Obj, key: *const u64) -> (Option<usize>, u64) {
    let d = data(m);
    let kind = d.kind;
    if kind != KIND_USER {
        let h = native_hash(kind, d.kwidth as usize, key);
        return (d.find_native(key, h), h);
    }
    let (kw, kmask) = (d.kwidth as usize, d.kmask);
    let mut g = RootGuard::with(&[m]);
    g.push_words(key, kw, kmask);
    let h = user_hash(m, key);
    let cands = data(m).candidates(h);
    if cands.is_empty() {
        return (None, h);
    }
    let eq = data(m).eq.unwrap_or_else(|| missing_thunk());
    let mut buf = KeyBuf::new(kw);
    for i in cands {
        copy_key(m, i, &mut buf);
        let mut g2 = RootGuard::new();
        g2.push_words(buf.words().as_ptr(), kw, kmask);
        if eq(buf.words().as_ptr(), key) {
            return (Some(i), h);
        }
    }
    (None, h)
}

/// Makes room for one more entry, accounting the growth; roots the map and the incoming key and
/// value while the accounting may collect.
unsafe fn reserve_one(m: *mut Obj, key: *const u64, val: *const u64) {
    let d = data(m);
    let (kw, vw) = (d.kwidth as usize, d.vwidth as usize);
    let need_table = (d.len + 1) * 2 > d.table.len();
    let need_vecs = d.hashes.len() == d.hashes.capacity();
    if !need_table && !need_vecs {
        return;
    }
    if d.len >= u32::MAX as usize - 1 {
        fatal("capacity overflow");
    }
    let cap = d.hashes.capacity();
    let new_cap = if need_vecs { (cap * 2).max(4) } else { cap };
    let new_table = if need_table {
        ((d.len + 1) * 2).max(MIN_TABLE).next_power_of_two()
    } else {
        d.table.len()
    };
    let Some(bytes) = (new_cap - cap)
        .checked_mul((kw + vw + 1) * 8)
        .and_then(|b| b.checked_add((new_table - d.table.len()) * 4))
    else {
        fatal("capacity overflow")
    };
    {
        let mut g = RootGuard::with(&[m]);
        g.push_words(key, kw, d.kmask);
        g.push_words(val, vw, d.vmask);
        gc::reserve(bytes);
    }
    let d = data(m);
    if need_vecs {
        let extra = new_cap - d.hashes.len();
        d.keys.reserve_exact(extra * kw);
        d.vals.reserve_exact(extra * vw);
        d.hashes.reserve_exact(extra);
    }
    if need_table {
        d.rebuild_table(new_table);
    }
}

/// `vmkit_map_new(kwidth, kmask, vwidth, vmask, kind, hash, eq)`: an empty map.
#[no_mangle]
pub extern "C" fn vmkit_map_new(
    kwidth: u32,
    kmask: u64,
    vwidth: u32,
    vmask: u64,
    kind: u32,
    hash: Option<HashFn>,
    eq: Option<EqFn>,
) -> *mut Obj {
    if kind > KIND_USER {
        fatal(&format!("internal error: invalid map key kind {kind}"));
    }
    if kind == KIND_USER && (hash.is_none() || eq.is_none()) {
        missing_thunk();
    }
    let kmask = if kind == KIND_STR && kwidth > 0 {
        kmask | 1
    } else {
        kmask
    };
    let m = gc::alloc(MAP_RAW_SIZE, 0, TYPE_MAP);
    // SAFETY: a fresh map object; the zeroed data is overwritten without being dropped.
    unsafe {
        addr_of_mut!((*(m as *mut MapObj)).data).write(MapData {
            kind,
            kwidth,
            vwidth,
            kmask,
            vmask,
            hash,
            eq,
            len: 0,
            keys: Vec::new(),
            vals: Vec::new(),
            hashes: Vec::new(),
            table: Vec::new(),
        });
    }
    m
}

/// `vmkit_map_len(m)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_map_len(m: *mut Obj) -> u64 {
    data(m).len as u64
}

/// `vmkit_map_get(m, key, out) -> bool`: copies the value of `key` to `out`; false if absent.
#[no_mangle]
pub unsafe extern "C" fn vmkit_map_get(m: *mut Obj, key: *const u64, out: *mut u64) -> bool {
    let Some(i) = find(m, key).0 else {
        return false;
    };
    let d = data(m);
    if i >= d.len {
        index_out_of_bounds(d.len as u64, i as u64);
    }
    let vw = d.vwidth as usize;
    if !out.is_null() {
        crate::object::copy_words(d.vals.as_ptr().add(i * vw), out, vw);
    }
    true
}

/// `vmkit_map_contains(m, key) -> bool`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_map_contains(m: *mut Obj, key: *const u64) -> bool {
    find(m, key).0.is_some()
}

/// `vmkit_map_insert(m, key, val, old_out) -> bool`: inserts or replaces (a replaced entry keeps
/// its position); true if a value was replaced, the old one written to `old_out` (may be null).
#[no_mangle]
pub unsafe extern "C" fn vmkit_map_insert(
    m: *mut Obj,
    key: *const u64,
    val: *const u64,
    old_out: *mut u64,
) -> bool {
    let d = data(m);
    let (kind, kw, vw) = (d.kind, d.kwidth as usize, d.vwidth as usize);
    let mut g = RootGuard::new();
    if kind == KIND_USER {
        g.push(m);
        g.push_words(key, kw, d.kmask);
        g.push_words(val, vw, d.vmask);
    }
    let (found, mut h) = find(m, key);
    if let Some(i) = found {
        let d = data(m);
        if i >= d.len {
            index_out_of_bounds(d.len as u64, i as u64);
        }
        let slot = d.vals.as_mut_ptr().add(i * vw);
        if !old_out.is_null() {
            crate::object::copy_words(slot, old_out, vw);
        }
        crate::object::copy_words(val, slot, vw);
        return true;
    }
    if kind == KIND_USER {
        // `GcMap::insert` hashes the key a second time to index the new entry.
        h = user_hash(m, key);
    }
    reserve_one(m, key, val);
    let d = data(m);
    let i = d.len;
    d.keys
        .extend_from_slice(std::slice::from_raw_parts(key, kw));
    d.vals
        .extend_from_slice(std::slice::from_raw_parts(val, vw));
    d.hashes.push(h);
    d.len += 1;
    d.table_insert(i, h);
    drop(g);
    false
}

/// `vmkit_map_remove(m, key, out) -> bool`: removes `key`, its value written to `out` (may be
/// null), keeping the order of the other entries; false if absent.
#[no_mangle]
pub unsafe extern "C" fn vmkit_map_remove(m: *mut Obj, key: *const u64, out: *mut u64) -> bool {
    let Some(i) = find(m, key).0 else {
        return false;
    };
    let d = data(m);
    if i >= d.len {
        index_out_of_bounds(d.len as u64, i as u64);
    }
    let (kind, kw, vw, kmask, vmask) = (
        d.kind,
        d.kwidth as usize,
        d.vwidth as usize,
        d.kmask,
        d.vmask,
    );
    let mut old = KeyBuf::new(vw);
    old.words().copy_from_slice(&d.vals[i * vw..(i + 1) * vw]);
    if !out.is_null() {
        crate::object::copy_words(old.words().as_ptr(), out, vw);
    }
    d.keys.drain(i * kw..(i + 1) * kw);
    d.vals.drain(i * vw..(i + 1) * vw);
    d.hashes.remove(i);
    d.len -= 1;
    if kind == KIND_USER {
        // `GcMap::remove` rebuilds its index, hashing every remaining key in order. The removed
        // value is only referenced from `out` now: keep it alive across the callbacks.
        let mut g = RootGuard::with(&[m]);
        g.push_words(old.words().as_ptr(), vw, vmask);
        let mut buf = KeyBuf::new(kw);
        let mut j = 0;
        while j < data(m).len {
            copy_key(m, j, &mut buf);
            let mut g2 = RootGuard::new();
            g2.push_words(buf.words().as_ptr(), kw, kmask);
            let h = user_hash(m, buf.words().as_ptr());
            if let Some(slot) = data(m).hashes.get_mut(j) {
                *slot = h;
            }
            j += 1;
        }
    }
    let d = data(m);
    let n = d.table.len();
    d.rebuild_table(n);
    true
}

/// `vmkit_map_key_at(m, i, out)`: the key of the `i`-th entry in insertion order.
#[no_mangle]
pub unsafe extern "C" fn vmkit_map_key_at(m: *mut Obj, i: u64, out: *mut u64) {
    let d = data(m);
    if i >= d.len as u64 {
        index_out_of_bounds(d.len as u64, i);
    }
    let kw = d.kwidth as usize;
    crate::object::copy_words(d.keys.as_ptr().add(i as usize * kw), out, kw);
}

/// `vmkit_map_value_at(m, i, out)`: the value of the `i`-th entry in insertion order.
#[no_mangle]
pub unsafe extern "C" fn vmkit_map_value_at(m: *mut Obj, i: u64, out: *mut u64) {
    let d = data(m);
    if i >= d.len as u64 {
        index_out_of_bounds(d.len as u64, i);
    }
    let vw = d.vwidth as usize;
    crate::object::copy_words(d.vals.as_ptr().add(i as usize * vw), out, vw);
}

/// `vmkit_map_clear(m)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_map_clear(m: *mut Obj) {
    let d = data(m);
    d.len = 0;
    d.keys.clear();
    d.vals.clear();
    d.hashes.clear();
    d.table.fill(0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{self, new_str, str_of};
    use std::cell::RefCell;
    use vmkit::{GcMap, MapKey, Str};

    unsafe fn key_at(m: *mut Obj, i: u64, w: usize) -> Vec<u64> {
        let mut out = vec![0; w];
        vmkit_map_key_at(m, i, out.as_mut_ptr());
        out
    }
    unsafe fn value_at(m: *mut Obj, i: u64, w: usize) -> Vec<u64> {
        let mut out = vec![0; w];
        vmkit_map_value_at(m, i, out.as_mut_ptr());
        out
    }

    /// A deterministic pseudo-random sequence.
    fn lcg(seed: &mut u64) -> u64 {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *seed >> 33
    }

    #[test]
    fn int_keys_match_gcmap() {
        let _t = testutil::setup();
        let m = vmkit_map_new(1, 0, 2, 0, KIND_INT, None, None);
        let _g = RootGuard::with(&[m]);
        let v: GcMap<u64, (u64, u64)> = GcMap::new();
        let mut seed = 7;
        unsafe {
            for step in 0..5000u64 {
                let k = lcg(&mut seed) % 300;
                // Large keys too: hashes are the keys themselves.
                let k = match k % 7 {
                    0 => k << 40,
                    _ => k,
                };
                let val = [step, k];
                match lcg(&mut seed) % 4 {
                    0 | 1 => {
                        let mut old = [0u64; 2];
                        let r = vmkit_map_insert(m, &k, val.as_ptr(), old.as_mut_ptr());
                        let want = v.insert(k, (step, k));
                        assert_eq!(r.then_some((old[0], old[1])), want);
                    }
                    2 => {
                        let mut out = [0u64; 2];
                        let r = vmkit_map_remove(m, &k, out.as_mut_ptr());
                        assert_eq!(r.then_some((out[0], out[1])), v.remove(k));
                    }
                    _ => {
                        let mut out = [0u64; 2];
                        let r = vmkit_map_get(m, &k, out.as_mut_ptr());
                        assert_eq!(r.then_some((out[0], out[1])), v.get(k));
                        assert_eq!(vmkit_map_contains(m, &k), v.contains_key(k));
                    }
                }
                assert_eq!(vmkit_map_len(m), v.len() as u64);
            }
            for i in 0..v.len() {
                assert_eq!(key_at(m, i as u64, 1), vec![v.key_at(i)]);
                let (a, b) = v.value_at(i);
                assert_eq!(value_at(m, i as u64, 2), vec![a, b]);
            }
            vmkit_map_clear(m);
            assert_eq!(vmkit_map_len(m), 0);
            assert!(!vmkit_map_contains(m, &5));
            assert!(!vmkit_map_insert(
                m,
                &5,
                [1, 2].as_ptr(),
                std::ptr::null_mut()
            ));
            assert_eq!(key_at(m, 0, 1), vec![5]);
        }
    }

    #[test]
    fn order_replace_and_remove() {
        let _t = testutil::setup();
        let m = vmkit_map_new(1, 0, 1, 0, KIND_INT, None, None);
        let _g = RootGuard::with(&[m]);
        unsafe {
            for k in [5u64, 3, 9, 1] {
                vmkit_map_insert(m, &k, &(k * 10), std::ptr::null_mut());
            }
            let mut old = 0;
            assert!(vmkit_map_insert(m, &3, &33, &mut old));
            assert_eq!(old, 30);
            let keys = |m| {
                (0..vmkit_map_len(m))
                    .map(|i| key_at(m, i, 1)[0])
                    .collect::<Vec<_>>()
            };
            assert_eq!(keys(m), vec![5, 3, 9, 1]);
            assert!(vmkit_map_remove(m, &3, &mut old));
            assert_eq!(old, 33);
            assert_eq!(keys(m), vec![5, 9, 1]);
            assert!(!vmkit_map_remove(m, &3, &mut old));
            vmkit_map_insert(m, &3, &4, std::ptr::null_mut());
            assert_eq!(keys(m), vec![5, 9, 1, 3]);
            let mut out = 0;
            for (k, v) in [(5, 50), (9, 90), (1, 10), (3, 4)] {
                assert!(vmkit_map_get(m, &k, &mut out));
                assert_eq!(out, v);
            }
            // Bool keys are words 0/1.
            let b = vmkit_map_new(1, 0, 1, 0, KIND_INT, None, None);
            vmkit_map_insert(b, &1, &7, std::ptr::null_mut());
            assert!(vmkit_map_contains(b, &1) && !vmkit_map_contains(b, &0));
        }
    }

    #[test]
    fn str_keys_match_gcmap_under_stress() {
        let _t = testutil::setup();
        testutil::stress_reusing();
        // Str -> (i64, Str)
        let m = vmkit_map_new(1, 1, 2, 0b10, KIND_STR, None, None);
        let _g = RootGuard::with(&[m]);
        let v: GcMap<Str, (u64, Str)> = GcMap::new();
        let mut seed = 11;
        unsafe {
            for step in 0..600u64 {
                let ks = format!("key{}", lcg(&mut seed) % 40);
                // Fresh, unrooted key and value strings: the map must keep them alive.
                let k = new_str(ks.as_bytes()) as u64;
                let vs = format!("v{step}");
                let vk = Str::from_byte_slice(ks.as_bytes());
                match lcg(&mut seed) % 3 {
                    0 | 1 => {
                        let vv = {
                            let _gk = RootGuard::with(&[k as *mut Obj]);
                            new_str(vs.as_bytes()) as u64
                        };
                        let mut old = [0u64; 2];
                        let r = vmkit_map_insert(m, &k, [step, vv].as_ptr(), old.as_mut_ptr());
                        let want = v.insert(vk, (step, Str::from_byte_slice(vs.as_bytes())));
                        assert_eq!(r, want.is_some());
                        if let Some((n, s)) = want {
                            assert_eq!(old[0], n);
                            assert_eq!(str_of(old[1] as *mut Obj), s.as_bytes());
                        }
                    }
                    _ => {
                        let mut out = [0u64; 2];
                        let r = vmkit_map_remove(m, &k, out.as_mut_ptr());
                        let want = v.remove(vk);
                        assert_eq!(r, want.is_some());
                        if let Some((n, s)) = want {
                            assert_eq!(out[0], n);
                            assert_eq!(str_of(out[1] as *mut Obj), s.as_bytes());
                        }
                    }
                }
            }
            gc::collect();
            assert_eq!(vmkit_map_len(m), v.len() as u64);
            // The map, its keys and values.
            assert_eq!(gc::stats().objects, 1 + 2 * v.len());
            for i in 0..v.len() {
                let k = key_at(m, i as u64, 1)[0] as *mut Obj;
                assert_eq!(str_of(k), v.key_at(i).as_bytes());
                let val = value_at(m, i as u64, 2);
                let (n, s) = v.value_at(i);
                assert_eq!(val[0], n);
                assert_eq!(str_of(val[1] as *mut Obj), s.as_bytes());
                // Lookups by an equal, distinct string.
                let probe = new_str(v.key_at(i).as_bytes()) as u64;
                let mut out = [0u64; 2];
                assert!(vmkit_map_get(m, &probe, out.as_mut_ptr()));
                assert_eq!(out[0], n);
            }
        }
    }

    // ---- user keys: a (Str, i64) pair key whose hash/eq record the calls made.

    thread_local! {
        static CALLS: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    }

    fn log(s: String) {
        CALLS.with(|c| c.borrow_mut().push(s));
    }

    fn take_log() -> Vec<String> {
        CALLS.with(|c| std::mem::take(&mut *c.borrow_mut()))
    }

    /// Deliberately weak hash (many collisions): the pair's number modulo 4.
    fn pair_hash(name: &[u8], n: u64) -> u64 {
        let _ = name;
        n % 4
    }

    extern "C" fn rt_hash(key: *const u64) -> u64 {
        unsafe {
            let name = str_of(*key as *mut Obj);
            let n = *key.add(1);
            log(format!("hash {}:{n}", String::from_utf8_lossy(name)));
            // Allocation inside the callback: under stress this collects.
            crate::str::vmkit_str_from_u64(n);
            pair_hash(name, n)
        }
    }

    extern "C" fn rt_eq(a: *const u64, b: *const u64) -> bool {
        unsafe {
            let (an, bn) = (str_of(*a as *mut Obj), str_of(*b as *mut Obj));
            let (ai, bi) = (*a.add(1), *b.add(1));
            log(format!(
                "eq {}:{ai} {}:{bi}",
                String::from_utf8_lossy(an),
                String::from_utf8_lossy(bn)
            ));
            crate::str::vmkit_str_from_u64(ai);
            an == bn && ai == bi
        }
    }

    #[derive(Clone, Copy)]
    struct Pair(Str, u64);

    impl MapKey for Pair {
        fn key_hash(&self) -> u64 {
            log(format!("hash {}:{}", self.0, self.1));
            pair_hash(self.0.as_bytes(), self.1)
        }
        fn key_eq(&self, other: &Self) -> bool {
            log(format!("eq {}:{} {}:{}", self.0, self.1, other.0, other.1));
            self.0 == other.0 && self.1 == other.1
        }
    }

    #[test]
    fn user_keys_make_the_same_calls_as_gcmap() {
        let _t = testutil::setup();
        testutil::stress();
        let m = vmkit_map_new(2, 0b01, 1, 1, KIND_USER, Some(rt_hash), Some(rt_eq));
        let _g = RootGuard::with(&[m]);
        let v: GcMap<Pair, Str> = GcMap::new();
        let mut seed = 3;
        take_log();
        unsafe {
            for step in 0..300u64 {
                let name = ["a", "b", "c"][(lcg(&mut seed) % 3) as usize];
                let n = lcg(&mut seed) % 10;
                let key = [new_str(name.as_bytes()) as u64, n];
                let pk = Pair(Str::from_byte_slice(name.as_bytes()), n);
                let vs = format!("v{step}");
                match lcg(&mut seed) % 4 {
                    0 | 1 => {
                        let val = {
                            let _gk = RootGuard::with(&[key[0] as *mut Obj]);
                            new_str(vs.as_bytes()) as u64
                        };
                        let mut old = 0u64;
                        let r = vmkit_map_insert(m, key.as_ptr(), &val, &mut old);
                        let rl = take_log();
                        let want = v.insert(pk, Str::from_byte_slice(vs.as_bytes()));
                        assert_eq!(rl, take_log(), "insert at step {step}");
                        assert_eq!(r, want.is_some());
                        if let Some(w) = want {
                            assert_eq!(str_of(old as *mut Obj), w.as_bytes());
                        }
                    }
                    2 => {
                        let mut out = 0u64;
                        let r = vmkit_map_remove(m, key.as_ptr(), &mut out);
                        let rl = take_log();
                        let want = v.remove(pk);
                        assert_eq!(rl, take_log(), "remove at step {step}");
                        assert_eq!(r, want.is_some());
                        if let Some(w) = want {
                            assert_eq!(str_of(out as *mut Obj), w.as_bytes());
                        }
                    }
                    _ => {
                        let mut out = 0u64;
                        let r = vmkit_map_get(m, key.as_ptr(), &mut out);
                        let rl = take_log();
                        let want = v.get(pk);
                        assert_eq!(rl, take_log(), "get at step {step}");
                        assert_eq!(
                            r.then(|| str_of(out as *mut Obj).to_vec()),
                            want.map(|s| s.as_bytes().to_vec())
                        );
                        let c = vmkit_map_contains(m, key.as_ptr());
                        let rl = take_log();
                        assert_eq!(c, v.contains_key(pk));
                        assert_eq!(rl, take_log(), "contains at step {step}");
                    }
                }
            }
            assert_eq!(vmkit_map_len(m), v.len() as u64);
            for i in 0..v.len() {
                let k = key_at(m, i as u64, 2);
                let pk = v.key_at(i);
                assert_eq!(str_of(k[0] as *mut Obj), pk.0.as_bytes());
                assert_eq!(k[1], pk.1);
                assert_eq!(
                    str_of(value_at(m, i as u64, 1)[0] as *mut Obj),
                    v.value_at(i).as_bytes()
                );
            }
        }
        gc::collect();
        assert_eq!(gc::stats().objects, 1 + 2 * v.len());
    }

    #[test]
    fn map_errors() {
        for (child, msg) in [
            (
                "key_at",
                "index out of bounds: the len is 1 but the index is 1",
            ),
            (
                "value_at",
                "index out of bounds: the len is 1 but the index is 7",
            ),
        ] {
            let out = testutil::run_child(&format!("map::tests::child_error_{child}"));
            assert_eq!(out.status.code(), Some(101), "{child}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.ends_with(&format!("fatal error: {msg}\n")),
                "{child}: {err}"
            );
        }
    }

    #[test]
    fn child_error_key_at() {
        if !testutil::is_child() {
            return;
        }
        let _t = testutil::setup();
        let m = vmkit_map_new(1, 0, 1, 0, KIND_INT, None, None);
        unsafe {
            vmkit_map_insert(m, &1, &2, std::ptr::null_mut());
            vmkit_map_key_at(m, 1, [0].as_mut_ptr());
        }
    }

    #[test]
    fn child_error_value_at() {
        if !testutil::is_child() {
            return;
        }
        let _t = testutil::setup();
        let m = vmkit_map_new(1, 0, 1, 0, KIND_INT, None, None);
        unsafe {
            vmkit_map_insert(m, &1, &2, std::ptr::null_mut());
            vmkit_map_value_at(m, 7, [0].as_mut_ptr());
        }
    }
}
