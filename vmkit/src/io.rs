//! Built-in host I/O. These are the only ways a DSL program talks to the outside world besides
//! user host functions (`#[vmkit::host]`). Standard output is buffered and flushed at exit (and
//! before a fatal error), identically untranslated and translated.

use crate::str::Str;
use std::cell::RefCell;
use std::io::{Read, Write};

thread_local! {
    static STDOUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

const FLUSH_AT: usize = 1 << 16;

fn out(bytes: &[u8]) {
    STDOUT.with(|b| {
        let mut b = b.borrow_mut();
        b.extend_from_slice(bytes);
        if b.len() >= FLUSH_AT {
            let _ = std::io::stdout().write_all(&b);
            b.clear();
        }
    })
}

/// Writes `s` to standard output.
pub fn print(s: Str) {
    out(s.as_bytes())
}

/// Writes one byte to standard output.
pub fn write_byte(byte: u8) {
    out(&[byte])
}

/// Writes `s` to standard error (unbuffered; flushes standard output first).
pub fn eprint(s: Str) {
    flush();
    let _ = std::io::stderr().write_all(s.as_bytes());
}

/// Flushes buffered standard output.
pub fn flush() {
    STDOUT.with(|b| {
        let mut b = b.borrow_mut();
        let _ = std::io::stdout().write_all(&b);
        let _ = std::io::stdout().flush();
        b.clear();
    })
}

/// Reads one byte from standard input: `0..=255`, or `-1` at end of input.
pub fn read_byte() -> i64 {
    let mut b = [0u8; 1];
    match std::io::stdin().read(&mut b) {
        Ok(1) => b[0] as i64,
        _ => -1,
    }
}

/// Reads a whole file; `None` if it cannot be read.
pub fn read_file(path: Str) -> Option<Str> {
    let p = String::from_utf8_lossy(path.as_bytes()).into_owned();
    std::fs::read(p).ok().map(|b| Str::from_byte_slice(&b))
}

/// Writes a whole file; `false` if it cannot be written.
pub fn write_file(path: Str, data: Str) -> bool {
    let p = String::from_utf8_lossy(path.as_bytes()).into_owned();
    std::fs::write(p, data.as_bytes()).is_ok()
}
