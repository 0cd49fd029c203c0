//! Executable memory for compiled traces, never writable and executable at once (W^X).
//!
//! [`MemPolicy::MprotectWx`]: each trace gets its own page-granular anonymous mapping, mapped
//! read-write, filled, then switched to read-execute with `mprotect` (and the instruction cache
//! flushed on aarch64) before its address is handed out. Dropping the [`CodeMemory`] unmaps it.
//! A later `MapJit` policy (macOS arm64: `MAP_JIT` + `pthread_jit_write_protect_np`) fits
//! behind the same enum.

use crate::MemPolicy;
use std::io;
use std::ptr;

/// One mapping holding the machine code of one trace, read-execute once constructed.
pub(crate) struct CodeMemory {
    ptr: *mut u8,
    /// The mapping's length (whole pages).
    len: usize,
}

// SAFETY: the mapping is immutable once constructed (read-execute) and owned by this value;
// sharing or moving its address between threads is harmless.
unsafe impl Send for CodeMemory {}
unsafe impl Sync for CodeMemory {}

impl CodeMemory {
    /// Copies `code` into fresh executable memory according to `policy`.
    pub(crate) fn new(code: &[u8], policy: MemPolicy) -> Result<CodeMemory, String> {
        match policy {
            MemPolicy::MprotectWx => Self::mprotect_wx(code),
        }
    }

    fn mprotect_wx(code: &[u8]) -> Result<CodeMemory, String> {
        let page = page_size();
        let len = code.len().max(1).div_ceil(page) * page;
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
        // From here on, dropping `mem` unmaps the pages (also on the error path).
        let mem = CodeMemory { ptr: p.cast(), len };
        // SAFETY: the mapping is `len >= code.len()` bytes, writable, and disjoint from `code`.
        unsafe { ptr::copy_nonoverlapping(code.as_ptr(), mem.ptr, code.len()) };
        // SAFETY: `mem.ptr..+len` is exactly our mapping.
        if unsafe { libc::mprotect(p, len, libc::PROT_READ | libc::PROT_EXEC) } != 0 {
            return Err(format!("mprotect RX: {}", io::Error::last_os_error()));
        }
        flush_icache(mem.ptr, code.len());
        Ok(mem)
    }

    /// The address of the first byte of code.
    pub(crate) fn as_ptr(&self) -> *const u8 {
        self.ptr
    }
}

impl Drop for CodeMemory {
    fn drop(&mut self) {
        // SAFETY: our own mapping, unmapped once. Failure would only leak the pages.
        unsafe { libc::munmap(self.ptr.cast(), self.len) };
    }
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
