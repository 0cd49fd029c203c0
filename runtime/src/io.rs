//! Host I/O built-ins, with the buffering of `vmkit::io`.
//!
//! Standard output goes through a runtime buffer that is written out (through Rust's
//! `std::io::stdout()`, like the untranslated run) once it holds 64 KiB or more, on
//! `vmkit_flush`, before every write to standard error, before a fatal error and at exit.
//! Standard error is unbuffered. Standard input is read byte by byte through Rust's `stdin()`.
//! Files are read and written whole; a path is decoded as UTF-8 (lossily), as untranslated.

use crate::global::Global;
use crate::object::Obj;
use crate::str::{new_str_from, str_bytes};
use std::io::{Read, Write};

/// Buffered standard output is written out once it holds this many bytes.
pub const FLUSH_AT: usize = 1 << 16;

static STDOUT: Global<Vec<u8>> = Global::new(Vec::new());

/// Appends `bytes` to standard output.
pub fn write_stdout(bytes: &[u8]) {
    // SAFETY: mutator thread; no other reference to the buffer is live.
    let b = unsafe { &mut *STDOUT.ptr() };
    b.extend_from_slice(bytes);
    if b.len() >= FLUSH_AT {
        let _ = std::io::stdout().write_all(b);
        b.clear();
    }
}

/// Writes `bytes` to standard error, after flushing standard output.
pub fn write_stderr(bytes: &[u8]) {
    flush();
    let _ = std::io::stderr().write_all(bytes);
}

/// Writes out buffered standard output (also what host functions may have printed through
/// `vmkit::io`, which has its own buffer).
pub fn flush() {
    // SAFETY: mutator thread; no other reference to the buffer is live.
    let b = unsafe { &mut *STDOUT.ptr() };
    let mut so = std::io::stdout();
    let _ = so.write_all(b);
    b.clear();
    vmkit::io::flush();
}

/// `vmkit_print(s)`: writes the string `s` to standard output.
#[no_mangle]
pub unsafe extern "C" fn vmkit_print(s: *mut Obj) {
    write_stdout(str_bytes(s))
}

/// `vmkit_eprint(s)`: writes the string `s` to standard error (flushing standard output first).
#[no_mangle]
pub unsafe extern "C" fn vmkit_eprint(s: *mut Obj) {
    write_stderr(str_bytes(s))
}

/// `vmkit_write_byte(b)`: writes one byte to standard output.
#[no_mangle]
pub extern "C" fn vmkit_write_byte(byte: u8) {
    write_stdout(&[byte])
}

/// `vmkit_flush()`: flushes standard output.
#[no_mangle]
pub extern "C" fn vmkit_flush() {
    flush()
}

/// `vmkit_read_byte()`: one byte of standard input (`0..=255`), or -1 at end of input (or on an
/// error).
#[no_mangle]
pub extern "C" fn vmkit_read_byte() -> i64 {
    let mut b = [0u8; 1];
    match std::io::stdin().read(&mut b) {
        Ok(1) => b[0] as i64,
        _ => -1,
    }
}

fn path_of(path: *mut Obj) -> String {
    // SAFETY: `path` is a string object.
    String::from_utf8_lossy(unsafe { str_bytes(path) }).into_owned()
}

/// `vmkit_read_file(path)`: the whole file as a new string, or null if it cannot be read.
#[no_mangle]
pub unsafe extern "C" fn vmkit_read_file(path: *mut Obj) -> *mut Obj {
    match std::fs::read(path_of(path)) {
        Ok(bytes) => new_str_from(&bytes),
        Err(_) => std::ptr::null_mut(),
    }
}

/// `vmkit_write_file(path, data)`: writes the string `data` as the whole file; false on failure.
#[no_mangle]
pub unsafe extern "C" fn vmkit_write_file(path: *mut Obj, data: *mut Obj) -> bool {
    std::fs::write(path_of(path), str_bytes(data)).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{self, new_str, str_of};

    #[test]
    fn files_round_trip() {
        let _t = testutil::setup();
        let dir = std::env::temp_dir().join(format!("vmkit-rt-io-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("f.txt");
        let path = new_str(p.to_str().unwrap().as_bytes());
        let _g = crate::roots::RootGuard::with(&[path]);
        unsafe {
            assert!(vmkit_write_file(path, new_str(b"hello\x00\xff")));
            let s = vmkit_read_file(path);
            assert!(!s.is_null());
            assert_eq!(str_of(s), b"hello\x00\xff");
            let missing = new_str(dir.join("missing").to_str().unwrap().as_bytes());
            assert!(vmkit_read_file(missing).is_null());
            let bad = new_str(dir.join("no/such/dir").to_str().unwrap().as_bytes());
            assert!(!vmkit_write_file(bad, path));
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn output_ordering() {
        let out = testutil::run_child("io::tests::child_output");
        assert_eq!(out.status.code(), Some(0), "{out:?}");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(stdout.contains("ab!cd"), "{stdout}");
        // The large write went out in full, before the end.
        assert!(stdout.contains(&"y".repeat(FLUSH_AT + 10)));
        assert!(String::from_utf8_lossy(&out.stderr).contains("E1E2"));
    }

    #[test]
    fn child_output() {
        if !testutil::is_child() {
            return;
        }
        let _t = testutil::setup();
        unsafe {
            vmkit_print(new_str(b"ab"));
            vmkit_write_byte(b'!');
            vmkit_eprint(new_str(b"E1"));
            vmkit_print(new_str(b"cd"));
            vmkit_eprint(new_str(b"E2"));
            vmkit_print(new_str(&[b'y'; FLUSH_AT + 10]));
            assert!((*STDOUT.ptr()).is_empty());
            vmkit_print(new_str(b"tail"));
            assert_eq!(*STDOUT.ptr(), b"tail");
        }
        flush();
        std::process::exit(0);
    }
}
