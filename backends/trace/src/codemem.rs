//! Executable memory for compiled traces, never writable and executable at once (W^X).
//!
//! [`MemPolicy::MprotectWx`]: code is carved from *chunks*, large private anonymous mappings
//! (1 MiB, or more for a bigger piece of code) that start read-write. Each piece of code gets
//! fresh whole pages at the chunk's end: it is copied there, then those pages are switched to
//! read-execute with `mprotect` (and the instruction cache flushed on aarch64) before its
//! address is handed out. Pages are never switched back, so a piece never shares a page with
//! code that is already executable, and no page is ever writable and executable at once. One
//! `mprotect` per trace replaces the `mmap` + `mprotect` + `munmap` of a mapping per trace.
//!
//! Freeing: every piece holds a reference to its chunk ([`Arc<Chunk>`]); a chunk is unmapped
//! when its last piece is dropped and the arena has moved on to another chunk (or was
//! dropped). Dropping one trace therefore keeps its pages until every trace of the same chunk
//! is dropped; it never unmaps code that other traces use. When the arena moves on, the unused
//! read-write tail of the old chunk is unmapped at once.
//!
//! A later `MapJit` policy (macOS arm64: `MAP_JIT` + `pthread_jit_write_protect_np`) fits
//! behind the same enum.

use crate::MemPolicy;
use std::io;
use std::ptr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// The size of a chunk (a multiple of every page size in use).
const CHUNK: usize = 1 << 20;

/// One mapping holding the code of one or more traces.
pub(crate) struct Chunk {
    ptr: *mut u8,
    /// The mapping's current length (whole pages; shrinks once when the arena retires it).
    len: AtomicUsize,
}

// SAFETY: the read-execute part of the mapping is immutable; the read-write tail is written
// only by the arena that owns the chunk (through `&mut CodeArena`). Sharing or moving the
// address between threads is harmless.
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

/// Allocates code memory: a bump allocator of whole pages over chunks.
pub(crate) struct CodeArena {
    policy: MemPolicy,
    /// The current chunk and how many of its bytes are used (read-execute).
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

    /// Places `len` bytes of code, written by `write(buf, address of buf)`, in fresh
    /// read-execute pages; returns their chunk and address.
    pub(crate) fn alloc(
        &mut self,
        len: usize,
        write: impl FnOnce(&mut [u8], usize),
    ) -> Result<(Arc<Chunk>, *const u8), String> {
        match self.policy {
            MemPolicy::MprotectWx => self.alloc_mprotect(len, write),
        }
    }

    fn alloc_mprotect(
        &mut self,
        len: usize,
        write: impl FnOnce(&mut [u8], usize),
    ) -> Result<(Arc<Chunk>, *const u8), String> {
        let size = len.max(1).div_ceil(self.page) * self.page;
        let fits =
            matches!(&self.cur, Some((c, used)) if used + size <= c.len.load(Ordering::Relaxed));
        if !fits {
            self.retire();
            self.cur = Some((new_chunk(size.max(CHUNK))?, 0));
        }
        let (chunk, used) = self.cur.as_mut().expect("a current chunk");
        // SAFETY: `used + size` is within the chunk (checked above).
        let p = unsafe { chunk.ptr.add(*used) };
        // The pages are consumed even if `mprotect` fails: they are never written again.
        *used += size;
        // SAFETY: `p..p+size` is read-write, in our mapping, and not yet handed out: nothing
        // else refers to it.
        let buf = unsafe { std::slice::from_raw_parts_mut(p, len) };
        write(buf, p as usize);
        // SAFETY: `p..p+size` is whole pages of our mapping.
        if unsafe { libc::mprotect(p.cast(), size, libc::PROT_READ | libc::PROT_EXEC) } != 0 {
            return Err(format!("mprotect RX: {}", io::Error::last_os_error()));
        }
        flush_icache(p, len);
        Ok((chunk.clone(), p))
    }

    /// Unmaps the unused (read-write) tail of the current chunk and forgets it.
    fn retire(&mut self) {
        if let Some((chunk, used)) = self.cur.take() {
            let len = chunk.len.load(Ordering::Relaxed);
            if used < len {
                // SAFETY: `used..len` is the never-handed-out tail of our mapping; the chunk's
                // length shrinks accordingly, so it is unmapped once.
                unsafe { libc::munmap(chunk.ptr.add(used).cast(), len - used) };
                chunk.len.store(used, Ordering::Relaxed);
            }
        }
    }
}

impl Drop for CodeArena {
    fn drop(&mut self) {
        self.retire();
    }
}

/// A fresh read-write mapping of `len` bytes (whole pages).
fn new_chunk(len: usize) -> Result<Arc<Chunk>, String> {
    // SAFETY: a fresh private anonymous mapping; nothing else refers to it.
    let p = unsafe {
        libc::mmap(
            ptr::null_mut(),
            len,
            libc::PROT_READ | libc::PROT_WRITE,
            libc::MAP_PRIVATE | libc::MAP_ANON,
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
    Ok(Arc::new(Chunk {
        ptr: p.cast(),
        len: AtomicUsize::new(len),
    }))
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
