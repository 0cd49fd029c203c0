//! Executable memory for compiled traces, never writable and executable at once (W^X).
//!
//! One interface, two policies. [`CodeArena::alloc`] is the only way code gets into executable
//! memory: it reserves room for one piece of code (a trace with its entry stub, or the
//! trampoline) in the current *chunk* — a large private anonymous mapping, 1 MiB or more for a
//! bigger piece — lets the caller write the bytes, makes them executable and returns their
//! address. Chunk bookkeeping, freeing and retiring are shared; the policy ([`MemPolicy`],
//! chosen from the target with [`MemPolicy::for_target`], as `jit_memory` in `targets/*.ron`)
//! decides only how a chunk is mapped, how fine-grained the pieces are and how one piece is
//! written and published:
//!
//! - [`MemPolicy::MprotectWx`] (Linux, x86-64 macOS): chunks are mapped read-write. Each piece
//!   gets fresh whole pages at the chunk's end: it is copied there, then those pages are
//!   switched to read-execute with `mprotect` (and the instruction cache flushed on aarch64)
//!   before its address is handed out. Pages are never switched back, so a piece never shares
//!   a page with code that is already executable, and no page is ever writable and executable
//!   at once. One `mprotect` per trace replaces the `mmap` + `mprotect` + `munmap` of a mapping
//!   per trace. This is the policy the Linux test suite exercises (`tests/codemem.rs` checks
//!   `/proc/self/maps`).
//! - [`MemPolicy::MapJit`] (macOS arm64, where a hardened binary may not make pages executable
//!   with `mprotect`): chunks are mapped once with `MAP_JIT` and
//!   `PROT_READ | PROT_WRITE | PROT_EXEC`; the hardware then lets each thread either write or
//!   execute that memory, switched per thread by `pthread_jit_write_protect_np`. A piece is
//!   written inside a [`JitWriteGuard`] (per-thread, nesting-counted: write protection is
//!   turned off when the outermost guard is created and back on when it is dropped, also on
//!   unwinding), then `sys_icache_invalidate` makes it visible to instruction fetch. Other
//!   threads keep executing the chunk's older code meanwhile, so pieces may share pages: they
//!   are 64-byte aligned. Only code and its constants (the entry stubs' literals) ever live in
//!   this memory, written once before their address is handed out; everything mutable (link
//!   tables, frames, counters) stays in ordinary memory. This policy is compiled only for
//!   `target_os = "macos"` + `target_arch = "aarch64"` (the runtime is built by cargo for the
//!   target); elsewhere the first allocation fails with an error (the runtime then disables
//!   the JIT), and the x86-64 macOS build never references `pthread_jit_write_protect_np`.
//!   Running it needs a Mac: here it is type-checked (`cargo check --target
//!   aarch64-apple-darwin`) and its imports verified in the linked binaries (`tests/apple.rs`),
//!   and the guard's nesting logic is unit-tested with a recording stand-in for the toggle.
//!
//! Freeing: every piece holds a reference to its chunk ([`Arc<Chunk>`]); a chunk is unmapped
//! when its last piece is dropped and the arena has moved on to another chunk (or was
//! dropped). Dropping one trace therefore keeps its pages until every trace of the same chunk
//! is dropped; it never unmaps code that other traces use. When the arena moves on, the unused
//! tail of the old chunk (whole pages never handed out) is unmapped at once.

use crate::MemPolicy;
use std::io;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The size of a chunk (a multiple of every page size in use).
const CHUNK: usize = 1 << 20;

/// Alignment of the pieces of a MAP_JIT chunk (a cache line; at least the entry stub's 16).
const MAP_JIT_GRANULE: usize = 64;

impl MemPolicy {
    /// The policy for a target triple, as `jit_memory` in `targets/<triple>.ron`: `MapJit` on
    /// arm64 macOS, `MprotectWx` elsewhere.
    pub fn for_target(triple: &str) -> MemPolicy {
        let arch = triple.split('-').next().unwrap_or("");
        let apple = triple.contains("-apple-darwin") || triple.contains("-apple-macos");
        if apple && (arch == "aarch64" || arch == "arm64") {
            MemPolicy::MapJit
        } else {
            MemPolicy::MprotectWx
        }
    }

    /// Whether this policy can allocate code memory in this build (`MapJit` only on arm64
    /// macOS).
    pub fn is_available(self) -> bool {
        match self {
            MemPolicy::MprotectWx => true,
            MemPolicy::MapJit => cfg!(all(target_os = "macos", target_arch = "aarch64")),
        }
    }

    /// Pieces of code are placed at multiples of this many bytes.
    fn granule(self, page: usize) -> usize {
        match self {
            // fresh whole pages per piece: no page is writable once executable
            MemPolicy::MprotectWx => page,
            MemPolicy::MapJit => MAP_JIT_GRANULE,
        }
    }
}

/// One mapping holding the code of one or more traces.
pub(crate) struct Chunk {
    ptr: *mut u8,
    /// The mapping's current length (whole pages; shrinks once when the arena retires it).
    len: AtomicUsize,
}

// SAFETY: the handed-out part of the mapping is immutable; the rest is written only by the
// arena that owns the chunk (through `&mut CodeArena`). Sharing or moving the address between
// threads is harmless.
unsafe impl Send for Chunk {}
unsafe impl Sync for Chunk {}

impl Drop for Chunk {
    fn drop(&mut self) {
        let len = *self.len.get_mut();
        if len > 0 {
            // SAFETY: our own mapping, unmapped once. Failure would only leak the pages.
            unsafe { libc::munmap(self.ptr.cast(), len) };
        }
    }
}

/// Allocates code memory: a bump allocator over chunks, the same for every policy.
pub(crate) struct CodeArena {
    policy: MemPolicy,
    /// The current chunk and how many of its bytes are handed out.
    cur: Option<(Arc<Chunk>, usize)>,
    page: usize,
}

impl CodeArena {
    pub(crate) fn new(policy: MemPolicy) -> CodeArena {
        CodeArena {
            policy,
            cur: None,
            page: page_size(),
        }
    }

    /// Places `len` bytes of code, written by `write(buf, address of buf)`, in executable
    /// memory (fresh, never handed out before); returns their chunk and address. `write` must
    /// only write `buf` (under `MapJit` the thread cannot execute JIT code meanwhile).
    pub(crate) fn alloc(
        &mut self,
        len: usize,
        write: impl FnOnce(&mut [u8], usize),
    ) -> Result<(Arc<Chunk>, *const u8), String> {
        if !self.policy.is_available() {
            return Err(format!(
                "code memory policy {:?} is not available on this target (MAP_JIT needs macOS on arm64)",
                self.policy
            ));
        }
        let size =
            len.max(1).div_ceil(self.policy.granule(self.page)) * self.policy.granule(self.page);
        let fits =
            matches!(&self.cur, Some((c, used)) if used + size <= c.len.load(Ordering::Relaxed));
        if !fits {
            self.retire();
            let chunk_len = size.max(CHUNK).div_ceil(self.page) * self.page;
            self.cur = Some((new_chunk(self.policy, chunk_len)?, 0));
        }
        let (chunk, used) = self.cur.as_mut().expect("a current chunk");
        // SAFETY: `used + size` is within the chunk (checked above).
        let p = unsafe { chunk.ptr.add(*used) };
        // The room is consumed even if publishing fails: it is never written again.
        *used += size;
        // SAFETY: `p..p+size` is in our mapping, not yet handed out (nothing else refers to it)
        // and not executing; `len <= size`.
        unsafe { fill(self.policy, p, len, size, write)? };
        Ok((chunk.clone(), p))
    }

    /// Unmaps the unused tail of the current chunk (the whole pages never handed out) and
    /// forgets it.
    fn retire(&mut self) {
        if let Some((chunk, used)) = self.cur.take() {
            let len = chunk.len.load(Ordering::Relaxed);
            let keep = used.div_ceil(self.page) * self.page;
            if keep < len {
                // SAFETY: `keep..len` is whole pages of our mapping that were never handed
                // out; the chunk's length shrinks accordingly, so they are unmapped once.
                unsafe { libc::munmap(chunk.ptr.add(keep).cast(), len - keep) };
                chunk.len.store(keep, Ordering::Relaxed);
            }
        }
    }
}

impl Drop for CodeArena {
    fn drop(&mut self) {
        self.retire();
    }
}

/// A fresh mapping of `len` bytes (whole pages) for `policy`.
fn new_chunk(policy: MemPolicy, len: usize) -> Result<Arc<Chunk>, String> {
    let p = match policy {
        MemPolicy::MprotectWx => wx::map(len)?,
        MemPolicy::MapJit => map_jit::map(len)?,
    };
    Ok(Arc::new(Chunk {
        ptr: p,
        len: AtomicUsize::new(len),
    }))
}

/// Runs `write` on `p..p+len`, then makes `p..p+size` executable under `policy`.
///
/// # Safety
/// `p..p+size` is part of a chunk mapped for `policy`, never handed out and not executing.
unsafe fn fill(
    policy: MemPolicy,
    p: *mut u8,
    len: usize,
    size: usize,
    write: impl FnOnce(&mut [u8], usize),
) -> Result<(), String> {
    match policy {
        // SAFETY: as promised by the caller.
        MemPolicy::MprotectWx => unsafe { wx::fill(p, len, size, write) },
        // SAFETY: as promised by the caller.
        MemPolicy::MapJit => unsafe { map_jit::fill(p, len, write) },
    }
}

/// Anonymous private mapping of `len` bytes with `prot` and extra `flags`.
fn mmap_anon(len: usize, prot: libc::c_int, flags: libc::c_int) -> Result<*mut u8, String> {
    // SAFETY: a fresh private anonymous mapping; nothing else refers to it.
    let p = unsafe {
        libc::mmap(
            ptr::null_mut(),
            len,
            prot,
            libc::MAP_PRIVATE | libc::MAP_ANON | flags,
            -1,
            0,
        )
    };
    if p == libc::MAP_FAILED {
        return Err(format!(
            "mmap of {len} bytes: {}",
            io::Error::last_os_error()
        ));
    }
    Ok(p.cast())
}

/// `MprotectWx`: read-write chunks, each piece switched to read-execute on its own pages.
mod wx {
    use super::{flush_icache, mmap_anon};
    use std::io;

    pub(super) fn map(len: usize) -> Result<*mut u8, String> {
        mmap_anon(len, libc::PROT_READ | libc::PROT_WRITE, 0)
    }

    /// # Safety
    /// `p..p+size` is whole read-write pages of our mapping, never handed out; `len <= size`.
    pub(super) unsafe fn fill(
        p: *mut u8,
        len: usize,
        size: usize,
        write: impl FnOnce(&mut [u8], usize),
    ) -> Result<(), String> {
        // SAFETY: read-write and referred to by nothing else (caller's promise).
        let buf = unsafe { std::slice::from_raw_parts_mut(p, len) };
        write(buf, p as usize);
        // SAFETY: whole pages of our mapping.
        if unsafe { libc::mprotect(p.cast(), size, libc::PROT_READ | libc::PROT_EXEC) } != 0 {
            return Err(format!("mprotect RX: {}", io::Error::last_os_error()));
        }
        flush_icache(p, len);
        Ok(())
    }
}

/// `MapJit` on arm64 macOS: `MAP_JIT` chunks written under a [`JitWriteGuard`].
#[cfg(all(target_os = "macos", target_arch = "aarch64"))]
mod map_jit {
    use super::{flush_icache, mmap_anon, JitWriteGuard};

    pub(super) fn map(len: usize) -> Result<*mut u8, String> {
        mmap_anon(
            len,
            libc::PROT_READ | libc::PROT_WRITE | libc::PROT_EXEC,
            libc::MAP_JIT,
        )
        .map_err(|e| format!("MAP_JIT {e}"))
    }

    /// # Safety
    /// `p..p+len` is part of a MAP_JIT chunk of ours, never handed out, not executing.
    pub(super) unsafe fn fill(
        p: *mut u8,
        len: usize,
        write: impl FnOnce(&mut [u8], usize),
    ) -> Result<(), String> {
        {
            let _writable = JitWriteGuard::new();
            // SAFETY: writable by this thread while the guard lives; referred to by nothing
            // else (caller's promise).
            let buf = unsafe { std::slice::from_raw_parts_mut(p, len) };
            write(buf, p as usize);
        }
        flush_icache(p, len);
        Ok(())
    }
}

/// `MapJit` elsewhere: unavailable (`CodeArena::alloc` refuses it before getting here).
#[cfg(not(all(target_os = "macos", target_arch = "aarch64")))]
mod map_jit {
    const MSG: &str = "MAP_JIT code memory needs macOS on arm64";

    pub(super) fn map(_len: usize) -> Result<*mut u8, String> {
        Err(MSG.into())
    }

    /// # Safety
    /// None needed: never writes.
    pub(super) unsafe fn fill(
        _p: *mut u8,
        _len: usize,
        _write: impl FnOnce(&mut [u8], usize),
    ) -> Result<(), String> {
        Err(MSG.into())
    }
}

std::thread_local! {
    /// How many [`JitWriteGuard`]s this thread holds.
    static JIT_WRITE_DEPTH: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// While one exists, the current thread may write MAP_JIT memory (and may not execute it).
/// Nesting-counted per thread: write protection is switched off when the thread's outermost
/// guard is created and back on when it is dropped. Not `Send`: it belongs to its thread.
#[cfg_attr(
    not(any(test, all(target_os = "macos", target_arch = "aarch64"))),
    allow(dead_code)
)]
pub(crate) struct JitWriteGuard {
    _thread: std::marker::PhantomData<*const ()>,
}

#[cfg_attr(
    not(any(test, all(target_os = "macos", target_arch = "aarch64"))),
    allow(dead_code)
)]
impl JitWriteGuard {
    pub(crate) fn new() -> JitWriteGuard {
        JIT_WRITE_DEPTH.with(|d| {
            if d.get() == 0 {
                set_jit_write_protect(false);
            }
            d.set(d.get() + 1);
        });
        JitWriteGuard {
            _thread: std::marker::PhantomData,
        }
    }

    /// How many guards the current thread holds.
    #[cfg(test)]
    pub(crate) fn depth() -> usize {
        JIT_WRITE_DEPTH.with(|d| d.get())
    }
}

impl Drop for JitWriteGuard {
    fn drop(&mut self) {
        JIT_WRITE_DEPTH.with(|d| {
            let n = d.get() - 1;
            d.set(n);
            if n == 0 {
                set_jit_write_protect(true);
            }
        });
    }
}

/// `pthread_jit_write_protect_np(on)`: whether the current thread's MAP_JIT memory is
/// write-protected (executable) or writable.
#[cfg(all(target_os = "macos", target_arch = "aarch64"))]
fn set_jit_write_protect(on: bool) {
    // SAFETY: only switches the current thread's view of MAP_JIT memory.
    unsafe { libc::pthread_jit_write_protect_np(on as libc::c_int) };
}

/// Stand-in where there is no MAP_JIT: records the calls in tests, else does nothing.
#[cfg(not(all(target_os = "macos", target_arch = "aarch64")))]
fn set_jit_write_protect(_on: bool) {
    #[cfg(test)]
    tests::TOGGLES.with(|t| t.borrow_mut().push(_on));
}

fn page_size() -> usize {
    // SAFETY: sysconf has no preconditions.
    let p = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if p > 0 {
        p as usize
    } else {
        4096
    }
}

/// Makes freshly written code visible to instruction fetch (a no-op where caches are coherent).
#[cfg(all(target_arch = "aarch64", target_vendor = "apple"))]
fn flush_icache(start: *mut u8, len: usize) {
    extern "C" {
        fn sys_icache_invalidate(start: *mut libc::c_void, len: usize);
    }
    // SAFETY: `start..start+len` is a live mapping of ours.
    unsafe { sys_icache_invalidate(start.cast(), len) };
}

/// Makes freshly written code visible to instruction fetch (a no-op where caches are coherent).
#[cfg(all(target_arch = "aarch64", not(target_vendor = "apple")))]
fn flush_icache(start: *mut u8, len: usize) {
    extern "C" {
        // libgcc / compiler-rt.
        fn __clear_cache(start: *mut libc::c_char, end: *mut libc::c_char);
    }
    // SAFETY: `start..start+len` is a live mapping of ours.
    unsafe { __clear_cache(start.cast(), start.add(len).cast()) };
}

/// Makes freshly written code visible to instruction fetch (a no-op where caches are coherent).
#[cfg(not(target_arch = "aarch64"))]
fn flush_icache(_start: *mut u8, _len: usize) {}

/// A context synchronization event on the current thread (`isb` on aarch64, nothing
/// elsewhere): after another thread wrote and flushed code (see [`flush_icache`]), the thread
/// about to run it discards instructions it may have fetched before.
pub(crate) fn sync_instruction_stream() {
    #[cfg(target_arch = "aarch64")]
    // SAFETY: `isb` only synchronizes this core's instruction stream.
    unsafe {
        std::arch::asm!("isb", options(nostack, preserves_flags))
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(all(target_os = "macos", target_arch = "aarch64")))]
    use std::cell::RefCell;

    #[cfg(not(all(target_os = "macos", target_arch = "aarch64")))]
    std::thread_local! {
        /// The calls of the `pthread_jit_write_protect_np` stand-in on this thread.
        pub(super) static TOGGLES: RefCell<Vec<bool>> = const { RefCell::new(Vec::new()) };
    }

    #[cfg(not(all(target_os = "macos", target_arch = "aarch64")))]
    fn toggles() -> Vec<bool> {
        TOGGLES.with(|t| t.borrow_mut().drain(..).collect())
    }

    /// Write protection goes off at the outermost guard and back on when it is dropped, and
    /// not in between; on unwinding too; per thread. (With the recording stand-in: on arm64
    /// macOS the guard calls the real `pthread_jit_write_protect_np`.)
    #[cfg(not(all(target_os = "macos", target_arch = "aarch64")))]
    #[test]
    fn jit_write_guard_nests_per_thread() {
        assert_eq!(JitWriteGuard::depth(), 0);
        {
            let _a = JitWriteGuard::new();
            assert_eq!(toggles(), [false]);
            {
                let _b = JitWriteGuard::new();
                let _c = JitWriteGuard::new();
                assert_eq!(JitWriteGuard::depth(), 3);
                // Another thread has its own depth and its own protection state.
                std::thread::spawn(|| {
                    assert_eq!(JitWriteGuard::depth(), 0);
                    drop(JitWriteGuard::new());
                    assert_eq!(toggles(), [false, true]);
                })
                .join()
                .expect("thread");
            }
            assert_eq!(toggles(), Vec::<bool>::new(), "inner guards do not toggle");
            assert_eq!(JitWriteGuard::depth(), 1);
        }
        assert_eq!(toggles(), [true]);
        let r = std::panic::catch_unwind(|| {
            let _g = JitWriteGuard::new();
            panic!("while writing");
        });
        assert!(r.is_err());
        assert_eq!(JitWriteGuard::depth(), 0);
        assert_eq!(toggles(), [false, true], "protection restored on unwinding");
    }

    #[test]
    fn policy_for_every_target() {
        for (triple, policy) in [
            ("x86_64-unknown-linux-gnu", MemPolicy::MprotectWx),
            ("aarch64-unknown-linux-gnu", MemPolicy::MprotectWx),
            ("x86_64-apple-darwin", MemPolicy::MprotectWx),
            ("aarch64-apple-darwin", MemPolicy::MapJit),
        ] {
            assert_eq!(MemPolicy::for_target(triple), policy, "{triple}");
        }
        assert!(MemPolicy::MprotectWx.is_available());
    }

    /// The shared arena with the mprotect policy: pieces get whole pages, consecutive in one
    /// chunk, written then read-execute; the chunk outlives the arena while pieces remain.
    #[test]
    fn arena_places_pieces_on_fresh_pages() {
        let page = page_size();
        let mut a = CodeArena::new(MemPolicy::MprotectWx);
        let (c1, p1) = a
            .alloc(10, |b, addr| {
                assert_eq!(addr, b.as_ptr() as usize);
                b.fill(0xcc)
            })
            .expect("alloc");
        let (c2, p2) = a.alloc(page + 1, |b, _| b.fill(0xcc)).expect("alloc");
        assert!(Arc::ptr_eq(&c1, &c2));
        assert_eq!(p2 as usize - p1 as usize, page);
        let (_c3, p3) = a.alloc(1, |b, _| b.fill(0xcc)).expect("alloc");
        assert_eq!(p3 as usize - p2 as usize, 2 * page);
        drop(a);
        // SAFETY: still mapped (read-only access to read-execute memory).
        assert_eq!(unsafe { *p1 }, 0xcc);
        assert_eq!(c1.len.load(Ordering::Relaxed), 4 * page, "tail unmapped");
    }

    /// On arm64 macOS (not run here: needs a Mac): MAP_JIT pieces share a chunk, run, and the
    /// thread's write protection is back on afterwards.
    #[cfg(all(target_os = "macos", target_arch = "aarch64"))]
    #[test]
    fn map_jit_code_runs() {
        let mut a = CodeArena::new(MemPolicy::MapJit);
        let mut fns = Vec::new();
        for k in 0..3u32 {
            // movz w0, #k; ret
            let code = [0x5280_0000 | (k << 5), 0xd65f_03c0];
            let (c, p) = a
                .alloc(8, |b, _| {
                    assert_eq!(JitWriteGuard::depth(), 1);
                    for (i, w) in code.iter().enumerate() {
                        b[4 * i..4 * i + 4].copy_from_slice(&w.to_le_bytes());
                    }
                })
                .expect("MAP_JIT alloc");
            assert_eq!(JitWriteGuard::depth(), 0);
            assert_eq!(p as usize % MAP_JIT_GRANULE, 0);
            fns.push((c, p));
        }
        assert!(Arc::ptr_eq(&fns[0].0, &fns[2].0));
        for (k, (_, p)) in fns.iter().enumerate() {
            // SAFETY: a complete C-ABI function `fn() -> u32` written above.
            let f = unsafe { std::mem::transmute::<*const u8, extern "C" fn() -> u32>(*p) };
            assert_eq!(f(), k as u32);
        }
    }

    #[cfg(not(all(target_os = "macos", target_arch = "aarch64")))]
    #[test]
    fn map_jit_is_refused_off_apple_arm64() {
        assert!(!MemPolicy::MapJit.is_available());
        let mut a = CodeArena::new(MemPolicy::MapJit);
        let e = a
            .alloc(16, |_, _| panic!("must not write"))
            .err()
            .expect("refused");
        assert!(e.contains("MAP_JIT"), "{e}");
    }
}
