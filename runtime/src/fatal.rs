//! Fatal errors and the write barrier hook.
//!
//! A fatal error ends the program as the untranslated run does on a panic: standard output is
//! flushed, `fatal error: <message>` and a newline are written on standard error, and the process
//! exits with status 101. Generated code reaches it through [`vmkit_fatal`] (failed assertions,
//! arithmetic errors, explicit fatal exits) and [`vmkit_stack_overflow`]; the runtime's own
//! failures (index errors with Rust's standard messages, out of memory) through [`fatal`].
//!
//! The runtime installs a panic hook ([`install_panic_hook`]) with the same behaviour, so that a
//! panicking host function ends the run exactly as it does untranslated.

use std::io::Write;

/// Exit status of a fatal error.
pub const FATAL_STATUS: i32 = 101;

/// Flushes standard output, prints `fatal error: <msg>` on standard error and exits with 101.
#[cold]
#[inline(never)]
pub fn fatal(msg: &str) -> ! {
    fatal_bytes(msg.as_bytes())
}

/// [`fatal`] with a message of arbitrary bytes.
#[cold]
#[inline(never)]
pub fn fatal_bytes(msg: &[u8]) -> ! {
    crate::io::flush();
    let mut line = Vec::with_capacity(msg.len() + 14);
    line.extend_from_slice(b"fatal error: ");
    line.extend_from_slice(msg);
    line.push(b'\n');
    let _ = std::io::stderr().write_all(&line);
    crate::jit::at_exit();
    std::process::exit(FATAL_STATUS)
}

/// `index out of bounds: the len is {len} but the index is {index}`.
#[cold]
#[inline(never)]
pub fn index_out_of_bounds(len: u64, index: u64) -> ! {
    fatal(&format!(
        "index out of bounds: the len is {len} but the index is {index}"
    ))
}

/// `vmkit_fatal(msg, len)`: a fatal error with a message of `len` bytes.
#[no_mangle]
pub unsafe extern "C" fn vmkit_fatal(msg: *const u8, len: u64) -> ! {
    let bytes = if msg.is_null() || len == 0 {
        &[][..]
    } else {
        std::slice::from_raw_parts(msg, len as usize)
    };
    fatal_bytes(bytes)
}

/// `vmkit_stack_overflow()`: the fatal error `stack overflow`.
#[no_mangle]
pub extern "C" fn vmkit_stack_overflow() -> ! {
    fatal("stack overflow")
}

/// `vmkit_write_barrier(obj)`: called before a reference is stored into `obj`. A no-op for the
/// non-moving mark-sweep collector; the hook exists for a later generational one.
#[no_mangle]
pub extern "C" fn vmkit_write_barrier(_obj: *mut crate::Obj) {}

/// Makes a panic (of a host function, or of the runtime itself) a fatal error with the panic's
/// message, as `vmkit::run` does untranslated.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        if crate::jit::on_compilation_thread() {
            // the JIT's compilation thread catches its panics and reports them as failed
            // compilations; it must not touch the program's state (stdout, the JIT's)
            return;
        }
        let payload = info.payload();
        let msg = if let Some(s) = payload.downcast_ref::<&str>() {
            s.to_string()
        } else if let Some(s) = payload.downcast_ref::<String>() {
            s.clone()
        } else {
            "panic".to_string()
        };
        fatal(&msg)
    }));
}

#[cfg(test)]
mod tests {
    use crate::testutil;

    #[test]
    fn fatal_flushes_stdout_and_exits_101() {
        let out = testutil::run_child("fatal::tests::child_fatal");
        assert_eq!(out.status.code(), Some(101));
        assert!(String::from_utf8_lossy(&out.stdout).contains("partial output"));
        assert!(String::from_utf8_lossy(&out.stderr).ends_with("fatal error: boom λ\n"));
    }

    #[test]
    fn child_fatal() {
        if !testutil::is_child() {
            return;
        }
        let _t = testutil::setup();
        unsafe {
            crate::io::vmkit_print(testutil::new_str(b"partial output"));
            let msg = "boom λ";
            super::vmkit_fatal(msg.as_ptr(), msg.len() as u64);
        }
    }

    #[test]
    fn stack_overflow_is_fatal() {
        let out = testutil::run_child("fatal::tests::child_stack_overflow");
        assert_eq!(out.status.code(), Some(101));
        assert!(String::from_utf8_lossy(&out.stderr).ends_with("fatal error: stack overflow\n"));
    }

    #[test]
    fn child_stack_overflow() {
        if !testutil::is_child() {
            return;
        }
        let _t = testutil::setup();
        // The runtime's own roots overflow the shadow stack like generated frames do.
        let mut g = crate::roots::RootGuard::new();
        loop {
            g.push(std::ptr::null_mut());
        }
    }

    #[test]
    fn panics_become_fatal_errors() {
        let out = testutil::run_child("fatal::tests::child_panic");
        assert_eq!(out.status.code(), Some(101));
        assert!(String::from_utf8_lossy(&out.stderr).ends_with("fatal error: host says no\n"));
    }

    #[test]
    fn child_panic() {
        if !testutil::is_child() {
            return;
        }
        let _t = testutil::setup();
        super::install_panic_hook();
        panic!("host says no");
    }
}
