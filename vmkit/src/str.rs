//! `Str`, the DSL's immutable string, and `StrBuilder`.
//!
//! A `Str` is an immutable sequence of bytes, normally UTF-8 (the DSL does not enforce it, so a
//! `Str` also serves as a byte string). It is a `Copy` handle to a GC object. All indices are byte
//! offsets. Hashing ([`Str::hash`]) is FNV-1a, the same untranslated and translated.

use std::cell::RefCell;
use std::fmt;

/// An immutable string (a GC object). Build one from a literal with `Str::from("...")`.
#[derive(Clone, Copy)]
pub struct Str {
    bytes: &'static [u8],
}

/// FNV-1a over bytes: the DSL's string hash (also used by the runtime).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Str {
    /// Wraps bytes that are already leaked (untranslated representation).
    pub fn from_static_bytes(bytes: &'static [u8]) -> Str {
        Str { bytes }
    }
    /// Copies `bytes` into a new string (host side; not part of the DSL).
    pub fn from_byte_slice(bytes: &[u8]) -> Str {
        Str {
            bytes: Box::leak(bytes.to_vec().into_boxed_slice()),
        }
    }
    /// The bytes (host side; not part of the DSL).
    pub fn as_bytes(&self) -> &'static [u8] {
        self.bytes
    }
    /// Length in bytes.
    pub fn len(self) -> usize {
        self.bytes.len()
    }
    pub fn is_empty(self) -> bool {
        self.bytes.is_empty()
    }
    /// The byte at `index`; out of range is a fatal error.
    pub fn byte_at(self, index: usize) -> u8 {
        self.bytes[index]
    }
    /// A new string: `self` followed by `other`.
    pub fn concat(self, other: Str) -> Str {
        let mut v = Vec::with_capacity(self.len() + other.len());
        v.extend_from_slice(self.bytes);
        v.extend_from_slice(other.bytes);
        Str::from_byte_slice(&v)
    }
    /// Bytes `start..end`; out of range (or `start > end`) is a fatal error.
    pub fn slice(self, start: usize, end: usize) -> Str {
        Str::from_byte_slice(&self.bytes[start..end])
    }
    /// `self` repeated `count` times.
    pub fn repeat(self, count: usize) -> Str {
        Str::from_byte_slice(&self.bytes.repeat(count))
    }
    /// Decimal representation of a signed integer.
    pub fn from_i64(value: i64) -> Str {
        Str::from_byte_slice(value.to_string().as_bytes())
    }
    /// Decimal representation of an unsigned integer.
    pub fn from_u64(value: u64) -> Str {
        Str::from_byte_slice(value.to_string().as_bytes())
    }
    /// Shortest representation that reads back to the same float, as Rust's `{:?}` prints it
    /// (`1.0`, `0.1`, `1e20`, `NaN`, `inf`).
    pub fn from_f64(value: f64) -> Str {
        Str::from_byte_slice(format!("{:?}", value).as_bytes())
    }
    /// A one-byte string.
    pub fn from_byte(byte: u8) -> Str {
        Str::from_byte_slice(&[byte])
    }
    /// Parses an optionally signed decimal integer (no surrounding spaces).
    pub fn parse_i64(self) -> Option<i64> {
        std::str::from_utf8(self.bytes).ok()?.parse().ok()
    }
    /// Parses a float as Rust's `str::parse::<f64>` does.
    pub fn parse_f64(self) -> Option<f64> {
        std::str::from_utf8(self.bytes).ok()?.parse().ok()
    }
    /// Byte offset of the first occurrence of `needle` at or after `start`.
    pub fn find(self, needle: Str, start: usize) -> Option<usize> {
        if start > self.len() {
            return None;
        }
        let hay = &self.bytes[start..];
        if needle.is_empty() {
            return Some(start);
        }
        hay.windows(needle.len())
            .position(|w| w == needle.bytes)
            .map(|p| p + start)
    }
    pub fn starts_with(self, prefix: Str) -> bool {
        self.bytes.starts_with(prefix.bytes)
    }
    pub fn ends_with(self, suffix: Str) -> bool {
        self.bytes.ends_with(suffix.bytes)
    }
    /// FNV-1a hash of the bytes.
    pub fn hash(self) -> u64 {
        fnv1a(self.bytes)
    }
    /// Byte-wise comparison: -1, 0 or 1.
    pub fn compare(self, other: Str) -> i64 {
        match self.bytes.cmp(other.bytes) {
            std::cmp::Ordering::Less => -1,
            std::cmp::Ordering::Equal => 0,
            std::cmp::Ordering::Greater => 1,
        }
    }
}

impl From<&'static str> for Str {
    fn from(s: &'static str) -> Str {
        Str {
            bytes: s.as_bytes(),
        }
    }
}

impl PartialEq for Str {
    fn eq(&self, other: &Str) -> bool {
        self.bytes == other.bytes
    }
}
impl Eq for Str {}

impl fmt::Debug for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", String::from_utf8_lossy(self.bytes))
    }
}

impl fmt::Display for Str {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", String::from_utf8_lossy(self.bytes))
    }
}

/// A growable byte buffer that builds a `Str` (a GC object; `Copy` handle).
#[derive(Clone, Copy)]
pub struct StrBuilder {
    buf: &'static RefCell<Vec<u8>>,
}

impl StrBuilder {
    pub fn new() -> StrBuilder {
        StrBuilder {
            buf: Box::leak(Box::new(RefCell::new(Vec::new()))),
        }
    }
    pub fn push_str(self, s: Str) {
        self.buf.borrow_mut().extend_from_slice(s.bytes)
    }
    pub fn push_byte(self, byte: u8) {
        self.buf.borrow_mut().push(byte)
    }
    /// Bytes pushed so far.
    pub fn len(self) -> usize {
        self.buf.borrow().len()
    }
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
    /// A new `Str` with the bytes pushed so far (the builder stays usable).
    pub fn build(self) -> Str {
        Str::from_byte_slice(&self.buf.borrow())
    }
}

impl Default for StrBuilder {
    fn default() -> Self {
        StrBuilder::new()
    }
}
