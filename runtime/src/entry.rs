//! Process entry: the C `main` of a translated executable.
//!
//! `main` collects the command-line arguments (without the program name) and hands over to
//! [`run`], which
//! 1. installs the panic hook (a panic is a fatal error, as untranslated) and ignores `SIGPIPE`
//!    (as Rust programs do, so writing to a closed pipe fails silently instead of killing the
//!    process);
//! 2. reads the GC settings: `VMKIT_GC_STRESS` (`1`: collect at every allocation; empty or `0`:
//!    off), `VMKIT_GC_MAX_HEAP` (bytes with an optional `K`/`M`/`G` suffix; an invalid value is
//!    a fatal error) and `VMKIT_GC_VERIFY` (`1`: check every reference the collector follows);
//! 3. allocates the shadow stack ([`roots::DEFAULT_SHADOW_SLOTS`] slots) and installs the type
//!    table;
//! 4. runs the program on a new thread with a [`STACK_SIZE`] stack: builds the arguments as a
//!    `GcList<Str>`, calls the entry function, flushes standard output and exits with the
//!    returned status (truncated to `i32`, as `std::process::exit(status as i32)` untranslated).
//!
//! `main` and the declarations of the generated symbols it uses (`vmkit_entry`,
//! `vmkit_type_table`, `vmkit_type_count`) are compiled out of the runtime's own unit tests,
//! which call [`run`] with their own entry and table in a child process instead.
//!
//! The runtime also exports `vmkit_stack_limit`: the lowest native stack address generated code
//! may safely use on the program thread (the stack bottom plus a [`STACK_MARGIN`] reserve for
//! the runtime and the system). Generated code may compare its stack pointer against it and call
//! `vmkit_stack_overflow` (an optional check; the ABI does not require it).

#![allow(non_upper_case_globals)]

use crate::fatal::{fatal, install_panic_hook};
use crate::gc::{self, GcConfig};
use crate::object::{Obj, TypeInfo};
use crate::roots::{self, RootGuard};

/// Native stack size of the program thread.
pub const STACK_SIZE: usize = 256 << 20;

/// Native stack kept in reserve below `vmkit_stack_limit`.
pub const STACK_MARGIN: usize = 1 << 20;

/// The generated entry function: `vmkit_entry(args: GcList<Str>) -> i64`.
pub type EntryFn = unsafe extern "C" fn(*mut Obj) -> i64;

/// The lowest native stack address generated code should use (0 until the program starts).
#[no_mangle]
pub static mut vmkit_stack_limit: usize = 0;

#[cfg(not(test))]
extern "C" {
    static vmkit_type_table: [TypeInfo; 0];
    static vmkit_type_count: u32;
    fn vmkit_entry(args: *mut Obj) -> i64;
    static vmkit_jit_program: [u8; 0];
    static vmkit_jit_program_len: u64;
    static vmkit_jit_helpers: [usize; 0];
    static vmkit_jit_nhelpers: u64;
    static vmkit_jit_triple: [u8; 0];
    static vmkit_ffi_handler: usize;
}

/// The C entry point of a translated executable.
#[cfg(not(test))]
#[no_mangle]
#[allow(clippy::not_unsafe_ptr_arg_deref)]
pub extern "C" fn main(argc: i32, argv: *const *const u8) -> i32 {
    let mut args = Vec::new();
    for i in 1..argc.max(0) as usize {
        // SAFETY: the C runtime passes `argc` valid C strings.
        unsafe {
            let p = *argv.add(i);
            if p.is_null() {
                break;
            }
            args.push(std::ffi::CStr::from_ptr(p.cast()).to_bytes().to_vec());
        }
    }
    // SAFETY: the generated object file defines the table, its length and the entry function,
    // and the JIT tables (empty without a JIT).
    unsafe {
        let triple = std::ffi::CStr::from_ptr(std::ptr::addr_of!(vmkit_jit_triple).cast());
        crate::ffi::init(triple.to_str().unwrap_or(""), vmkit_ffi_handler);
        let img = crate::jit::program::Image {
            program: std::slice::from_raw_parts(
                std::ptr::addr_of!(vmkit_jit_program).cast(),
                vmkit_jit_program_len as usize,
            ),
            helpers: std::slice::from_raw_parts(
                std::ptr::addr_of!(vmkit_jit_helpers).cast(),
                vmkit_jit_nhelpers as usize,
            ),
            triple: triple.to_str().unwrap_or(""),
        };
        let jit = std::env::var("VMKIT_JIT").ok();
        let log = std::env::var("VMKIT_LOG").ok();
        if let Err(e) = crate::jit::init(img, jit.as_deref(), log.as_deref()) {
            crate::fatal::fatal(&e);
        }
        run(
            args,
            std::ptr::addr_of!(vmkit_type_table).cast(),
            vmkit_type_count,
            vmkit_entry,
        )
    }
}

/// Reads the GC settings from the environment.
pub fn gc_config_from_env() -> Result<GcConfig, String> {
    let stress = match std::env::var_os("VMKIT_GC_STRESS") {
        None => false,
        Some(v) => !(v.is_empty() || v == "0"),
    };
    let max_heap = match std::env::var_os("VMKIT_GC_MAX_HEAP") {
        None => None,
        Some(v) if v.is_empty() => None,
        Some(v) => Some(gc::parse_heap_limit(&v.to_string_lossy())?),
    };
    let verify = match std::env::var_os("VMKIT_GC_VERIFY") {
        None => false,
        Some(v) => !(v.is_empty() || v == "0"),
    };
    Ok(GcConfig {
        stress,
        max_heap,
        verify,
    })
}

#[cfg(unix)]
fn ignore_sigpipe() {
    extern "C" {
        fn signal(signum: i32, handler: usize) -> usize;
    }
    // SIGPIPE is 13 and SIG_IGN is 1 on Linux (x86_64, aarch64) and macOS.
    const SIGPIPE: i32 = 13;
    const SIG_IGN: usize = 1;
    // SAFETY: setting a signal disposition.
    unsafe {
        signal(SIGPIPE, SIG_IGN);
    }
}

#[cfg(not(unix))]
fn ignore_sigpipe() {}

/// Runs the program: see the module docs. Never returns.
///
/// # Safety
/// `types` must point to `ntypes` type infos valid for the rest of the process and `entry` must
/// follow the ABI.
pub unsafe fn run(args: Vec<Vec<u8>>, types: *const TypeInfo, ntypes: u32, entry: EntryFn) -> ! {
    install_panic_hook();
    ignore_sigpipe();
    match gc_config_from_env() {
        Ok(c) => gc::configure(c),
        Err(e) => fatal(&e),
    }
    roots::init_shadow_stack(roots::DEFAULT_SHADOW_SLOTS);
    gc::set_type_table(types, ntypes);
    let program = move || {
        let here = 0u8;
        let top = std::ptr::addr_of!(here) as usize;
        // SAFETY: the program thread is the only mutator from here on.
        unsafe {
            vmkit_stack_limit = top.saturating_sub(STACK_SIZE - STACK_MARGIN);
            let list = make_args(&args);
            drop(args);
            let status = entry(list);
            crate::io::flush();
            crate::jit::at_exit();
            if std::env::var("VMKIT_LOG").is_ok_and(|l| l.split(',').any(|x| x == "gc-summary")) {
                eprintln!("{}", gc::summary());
            }
            std::process::exit(status as i32)
        }
    };
    let handle = std::thread::Builder::new()
        .name("vmkit-main".into())
        .stack_size(STACK_SIZE)
        .spawn(program);
    match handle {
        Ok(h) => {
            let _ = h.join();
            std::process::exit(crate::fatal::FATAL_STATUS)
        }
        Err(e) => fatal(&format!("cannot start the program thread: {e}")),
    }
}

/// The arguments as a `GcList<Str>`.
fn make_args(args: &[Vec<u8>]) -> *mut Obj {
    let list = crate::containers::vmkit_list_new(1, 1, args.len() as u64);
    let _g = RootGuard::with(&[list]);
    for a in args {
        let s = crate::str::new_str_from(a) as u64;
        // SAFETY: `list` is a list of one-word references.
        unsafe { crate::containers::vmkit_list_push(list, &s) };
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil;

    static TYPES: [TypeInfo; 0] = [];

    /// Prints its arguments and the GC settings; returns 7 (or 300, truncated like untranslated).
    unsafe extern "C" fn test_entry(args: *mut Obj) -> i64 {
        use crate::containers::{vmkit_list_get, vmkit_list_len};
        let n = vmkit_list_len(args);
        // The argument list must survive collections: it is only rooted by the entry's frame.
        let top = roots::shadow_range().1;
        *top = args;
        crate::roots::vmkit_shadow_top = top.add(1);
        for _ in 0..3 {
            gc::collect();
            crate::str::vmkit_str_from_i64(1);
        }
        for i in 0..n {
            let mut w = 0u64;
            vmkit_list_get(args, i, &mut w);
            crate::io::vmkit_print(w as usize as *mut Obj);
            crate::io::vmkit_write_byte(b'|');
        }
        let limit = vmkit_stack_limit;
        let here = 0u8;
        assert!(limit > 0 && limit < std::ptr::addr_of!(here) as usize);
        if n == 3 {
            300
        } else {
            7
        }
    }

    #[test]
    fn run_builds_args_and_exits_with_the_status() {
        let out = testutil::run_child("entry::tests::child_run");
        assert_eq!(out.status.code(), Some(7), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("first|sec ond|λ|"));
        let out = testutil::run_child_env("entry::tests::child_run3", &[("VMKIT_GC_STRESS", "1")]);
        assert_eq!(out.status.code(), Some(300 & 0xff), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stdout).contains("a|b|c|"));
    }

    #[test]
    fn child_run() {
        if testutil::is_child() {
            let args = vec![b"first".to_vec(), "sec ond|λ".as_bytes().to_vec()];
            unsafe { run(args, TYPES.as_ptr(), 0, test_entry) }
        }
    }

    #[test]
    fn child_run3() {
        if testutil::is_child() {
            let args = vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()];
            unsafe { run(args, TYPES.as_ptr(), 0, test_entry) }
        }
    }

    #[test]
    fn invalid_settings_are_fatal() {
        let out =
            testutil::run_child_env("entry::tests::child_run3", &[("VMKIT_GC_MAX_HEAP", "lots")]);
        assert_eq!(out.status.code(), Some(101), "{out:?}");
        assert!(String::from_utf8_lossy(&out.stderr)
            .contains("fatal error: invalid VMKIT_GC_MAX_HEAP value `lots`"));
    }
}
