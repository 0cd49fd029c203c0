//! Strings (`Str`, type id 1) and string builders (`StrBuilder`, type id 5).
//!
//! A `Str` is immutable: the header, a `u64` length and the bytes inline ([`StrObj`]); the same
//! layout serves the static strings of the generated code (flagged static). Every operation has
//! the semantics of `vmkit::Str` (byte offsets, FNV-1a hash, Rust's integer and float parsing
//! and formatting, `from_f64` as Rust's `{:?}`) and, for failures, the messages of the graph
//! interpreter (`index out of bounds: ...`, `range start index ...`, `capacity overflow`).
//!
//! Operations that allocate root their string arguments first (an allocation may collect).
//!
//! A `StrBuilder` owns a growable byte buffer out of line ([`SbObj`]); its growth is accounted to
//! the GC like an allocation.

use crate::fatal::{fatal, index_out_of_bounds};
use crate::gc;
use crate::object::{Obj, StrObj, STR_BYTES_OFFSET, TYPE_SB, TYPE_STR};
use crate::roots::RootGuard;
use std::fmt::Write as _;

/// The bytes of a string object.
///
/// # Safety
/// `s` must be a valid `Str` (runtime or static); the slice is valid while `s` is alive.
#[inline]
pub unsafe fn str_bytes<'a>(s: *mut Obj) -> &'a [u8] {
    let so = s as *const StrObj;
    std::slice::from_raw_parts((s as *const u8).add(STR_BYTES_OFFSET), (*so).len as usize)
}

/// Allocation size of a string object (before rounding).
///
/// # Safety
/// `s` must be a valid `Str`.
pub unsafe fn str_raw_size(s: *mut Obj) -> usize {
    STR_BYTES_OFFSET + (*(s as *const StrObj)).len as usize
}

/// A new string of `len` zero bytes. May collect.
pub fn alloc_str(len: usize) -> *mut Obj {
    let Some(size) = len
        .checked_add(STR_BYTES_OFFSET)
        .filter(|&s| s <= isize::MAX as usize)
    else {
        fatal("capacity overflow")
    };
    let Some(s) = gc::try_alloc(size, 0, TYPE_STR) else {
        fatal(&format!("memory allocation of {len} bytes failed"))
    };
    // SAFETY: a fresh string object.
    unsafe { (*(s as *mut StrObj)).len = len as u64 };
    s
}

/// The writable bytes of a fresh string.
///
/// # Safety
/// `s` must be a runtime-allocated `Str` not yet visible to generated code.
unsafe fn str_bytes_mut<'a>(s: *mut Obj) -> &'a mut [u8] {
    let len = (*(s as *const StrObj)).len as usize;
    std::slice::from_raw_parts_mut((s as *mut u8).add(STR_BYTES_OFFSET), len)
}

/// A new string with a copy of `bytes`, which must not point into the GC heap. May collect.
pub fn new_str_from(bytes: &[u8]) -> *mut Obj {
    let s = alloc_str(bytes.len());
    // SAFETY: fresh string of the right length.
    unsafe { str_bytes_mut(s).copy_from_slice(bytes) };
    s
}

/// `vmkit_str_len(s)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_len(s: *mut Obj) -> u64 {
    (*(s as *const StrObj)).len
}

/// `vmkit_str_byte_at(s, i)`; out of range is fatal.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_byte_at(s: *mut Obj, i: u64) -> u8 {
    let b = str_bytes(s);
    match b.get(i as usize).filter(|_| i <= usize::MAX as u64) {
        Some(&x) => x,
        None => index_out_of_bounds(b.len() as u64, i),
    }
}

/// `vmkit_str_concat(a, b)`: a new string, `a` followed by `b`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_concat(a: *mut Obj, b: *mut Obj) -> *mut Obj {
    let _g = RootGuard::with(&[a, b]);
    let (la, lb) = (vmkit_str_len(a) as usize, vmkit_str_len(b) as usize);
    let Some(len) = la.checked_add(lb) else {
        fatal("capacity overflow")
    };
    let r = alloc_str(len);
    let out = str_bytes_mut(r);
    out[..la].copy_from_slice(str_bytes(a));
    out[la..].copy_from_slice(str_bytes(b));
    r
}

/// `vmkit_str_slice(s, start, end)`: bytes `start..end`; out of range is fatal.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_slice(s: *mut Obj, start: u64, end: u64) -> *mut Obj {
    let len = vmkit_str_len(s);
    if start > len {
        fatal(&format!(
            "range start index {start} out of range for slice of length {len}"
        ));
    }
    if end > len {
        fatal(&format!(
            "range end index {end} out of range for slice of length {len}"
        ));
    }
    if start > end {
        fatal(&format!("slice index starts at {start} but ends at {end}"));
    }
    let _g = RootGuard::with(&[s]);
    let r = alloc_str((end - start) as usize);
    str_bytes_mut(r).copy_from_slice(&str_bytes(s)[start as usize..end as usize]);
    r
}

/// `vmkit_str_repeat(s, n)`: `s` repeated `n` times.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_repeat(s: *mut Obj, n: u64) -> *mut Obj {
    let len = vmkit_str_len(s);
    let Some(total) = len.checked_mul(n).filter(|&t| t <= isize::MAX as u64) else {
        fatal("capacity overflow")
    };
    let _g = RootGuard::with(&[s]);
    let r = alloc_str(total as usize);
    if len > 0 {
        let src = str_bytes(s);
        for chunk in str_bytes_mut(r).chunks_exact_mut(len as usize) {
            chunk.copy_from_slice(src);
        }
    }
    r
}

/// `vmkit_str_find(s, needle, start, out)`: the offset of the first occurrence of `needle` at or
/// after `start`, written to `out`; false if there is none.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_find(
    s: *mut Obj,
    needle: *mut Obj,
    start: u64,
    out: *mut u64,
) -> bool {
    let (hay, nd) = (str_bytes(s), str_bytes(needle));
    let found = if start > hay.len() as u64 {
        None
    } else if nd.is_empty() {
        Some(start as usize)
    } else {
        hay[start as usize..]
            .windows(nd.len())
            .position(|w| w == nd)
            .map(|p| p + start as usize)
    };
    match found {
        Some(p) => {
            if !out.is_null() {
                *out = p as u64;
            }
            true
        }
        None => false,
    }
}

/// `vmkit_str_starts_with(a, b)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_starts_with(a: *mut Obj, b: *mut Obj) -> bool {
    str_bytes(a).starts_with(str_bytes(b))
}

/// `vmkit_str_ends_with(a, b)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_ends_with(a: *mut Obj, b: *mut Obj) -> bool {
    str_bytes(a).ends_with(str_bytes(b))
}

/// `vmkit_str_hash(s)`: FNV-1a of the bytes (`vmkit::str::fnv1a`).
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_hash(s: *mut Obj) -> u64 {
    vmkit::str::fnv1a(str_bytes(s))
}

/// `vmkit_str_compare(a, b)`: byte-wise comparison, -1, 0 or 1.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_compare(a: *mut Obj, b: *mut Obj) -> i64 {
    match str_bytes(a).cmp(str_bytes(b)) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }
}

/// `vmkit_str_eq(a, b)`: byte-wise equality.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_eq(a: *mut Obj, b: *mut Obj) -> bool {
    a == b || str_bytes(a) == str_bytes(b)
}

/// `vmkit_str_parse_i64(s, out)`: Rust's `str::parse::<i64>` of UTF-8 text.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_parse_i64(s: *mut Obj, out: *mut i64) -> bool {
    let v: Option<i64> = std::str::from_utf8(str_bytes(s))
        .ok()
        .and_then(|t| t.parse().ok());
    match v {
        Some(x) => {
            if !out.is_null() {
                *out = x;
            }
            true
        }
        None => false,
    }
}

/// `vmkit_str_parse_f64(s, out)`: Rust's `str::parse::<f64>` of UTF-8 text.
#[no_mangle]
pub unsafe extern "C" fn vmkit_str_parse_f64(s: *mut Obj, out: *mut f64) -> bool {
    let v: Option<f64> = std::str::from_utf8(str_bytes(s))
        .ok()
        .and_then(|t| t.parse().ok());
    match v {
        Some(x) => {
            if !out.is_null() {
                *out = x;
            }
            true
        }
        None => false,
    }
}

/// A new string with a value's `Display` (or `Debug`) text, formatted without a heap buffer for
/// the common short cases.
fn new_str_fmt(args: std::fmt::Arguments<'_>) -> *mut Obj {
    struct Buf {
        bytes: [u8; 64],
        len: usize,
        spill: Option<String>,
    }
    impl std::fmt::Write for Buf {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            if let Some(sp) = &mut self.spill {
                sp.push_str(s);
            } else if self.len + s.len() <= self.bytes.len() {
                self.bytes[self.len..self.len + s.len()].copy_from_slice(s.as_bytes());
                self.len += s.len();
            } else {
                let mut sp = String::from_utf8_lossy(&self.bytes[..self.len]).into_owned();
                sp.push_str(s);
                self.spill = Some(sp);
            }
            Ok(())
        }
    }
    let mut b = Buf {
        bytes: [0; 64],
        len: 0,
        spill: None,
    };
    let _ = b.write_fmt(args);
    match &b.spill {
        Some(s) => new_str_from(s.as_bytes()),
        None => new_str_from(&b.bytes[..b.len]),
    }
}

/// `vmkit_str_from_i64(x)`: decimal text.
#[no_mangle]
pub extern "C" fn vmkit_str_from_i64(x: i64) -> *mut Obj {
    new_str_fmt(format_args!("{x}"))
}

/// `vmkit_str_from_u64(x)`: decimal text.
#[no_mangle]
pub extern "C" fn vmkit_str_from_u64(x: u64) -> *mut Obj {
    new_str_fmt(format_args!("{x}"))
}

/// `vmkit_str_from_f64(x)`: Rust's `{:?}` (`1.0`, `0.1`, `1e20`, `NaN`, `inf`).
#[no_mangle]
pub extern "C" fn vmkit_str_from_f64(x: f64) -> *mut Obj {
    new_str_fmt(format_args!("{x:?}"))
}

/// `vmkit_str_from_byte(b)`: a one-byte string.
#[no_mangle]
pub extern "C" fn vmkit_str_from_byte(b: u8) -> *mut Obj {
    new_str_from(&[b])
}

// ---------------------------------------------------------------------------------------------
// StrBuilder
// ---------------------------------------------------------------------------------------------

/// `StrBuilder` layout: the header and an out-of-line byte buffer.
#[repr(C)]
pub struct SbObj {
    pub header: Obj,
    pub buf: Vec<u8>,
}

/// Allocation size of a string builder object.
pub const SB_RAW_SIZE: usize = std::mem::size_of::<SbObj>();

/// Out-of-line bytes of a string builder.
///
/// # Safety
/// `sb` must be a valid `StrBuilder`.
pub unsafe fn sb_extra(sb: *mut Obj) -> usize {
    (*(sb as *const SbObj)).buf.capacity()
}

/// Drops the buffer of a dead string builder.
///
/// # Safety
/// `sb` must be a valid `StrBuilder`, never used again.
pub unsafe fn drop_sb(sb: *mut Obj) {
    std::ptr::drop_in_place(std::ptr::addr_of_mut!((*(sb as *mut SbObj)).buf));
}

/// `vmkit_sb_new()`: an empty string builder.
#[no_mangle]
pub extern "C" fn vmkit_sb_new() -> *mut Obj {
    let sb = gc::alloc(SB_RAW_SIZE, 0, TYPE_SB);
    // SAFETY: fresh object; the zeroed field is overwritten without being dropped.
    unsafe { std::ptr::addr_of_mut!((*(sb as *mut SbObj)).buf).write(Vec::new()) };
    sb
}

/// Makes room for `additional` more bytes in the builder's buffer, accounting the growth.
/// May collect: roots `sb` and `also` (a string about to be copied in) while it does.
unsafe fn sb_reserve(sb: *mut Obj, additional: usize, also: *mut Obj) {
    let (len, cap) = {
        let buf = &(*(sb as *const SbObj)).buf;
        (buf.len(), buf.capacity())
    };
    let Some(need) = len
        .checked_add(additional)
        .filter(|&n| n <= isize::MAX as usize)
    else {
        fatal("capacity overflow")
    };
    if need <= cap {
        return;
    }
    let new_cap = need.max(cap.saturating_mul(2)).max(16);
    {
        let _g = RootGuard::with(&[sb, also]);
        gc::reserve(new_cap - cap);
    }
    (*(sb as *mut SbObj)).buf.reserve_exact(new_cap - len);
}

/// `vmkit_sb_push_str(sb, s)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_sb_push_str(sb: *mut Obj, s: *mut Obj) {
    let n = vmkit_str_len(s) as usize;
    sb_reserve(sb, n, s);
    (*(sb as *mut SbObj)).buf.extend_from_slice(str_bytes(s));
}

/// `vmkit_sb_push_byte(sb, b)`.
#[no_mangle]
pub unsafe extern "C" fn vmkit_sb_push_byte(sb: *mut Obj, byte: u8) {
    sb_reserve(sb, 1, std::ptr::null_mut());
    (*(sb as *mut SbObj)).buf.push(byte);
}

/// `vmkit_sb_len(sb)`: bytes pushed so far.
#[no_mangle]
pub unsafe extern "C" fn vmkit_sb_len(sb: *mut Obj) -> u64 {
    (*(sb as *const SbObj)).buf.len() as u64
}

/// `vmkit_sb_build(sb)`: a new string with the bytes pushed so far (the builder stays usable).
#[no_mangle]
pub unsafe extern "C" fn vmkit_sb_build(sb: *mut Obj) -> *mut Obj {
    let _g = RootGuard::with(&[sb]);
    let len = (*(sb as *const SbObj)).buf.len();
    let r = alloc_str(len);
    str_bytes_mut(r).copy_from_slice(&(*(sb as *const SbObj)).buf);
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{self, new_str, str_of};
    use vmkit::Str;

    const SAMPLES: &[&str] = &[
        "",
        "a",
        "ab",
        "abc",
        "hello world",
        "héllo",
        "aaaa",
        "abab",
        "ba",
        "\u{0}x",
        "zz",
    ];

    fn rt(s: &str) -> *mut Obj {
        new_str(s.as_bytes())
    }

    #[test]
    fn string_ops_match_vmkit_str() {
        let _t = testutil::setup();
        testutil::stress_reusing();
        for &a in SAMPLES {
            let va = Str::from(a);
            let ra = rt(a);
            let _g = RootGuard::with(&[ra]);
            unsafe {
                assert_eq!(vmkit_str_len(ra), va.len() as u64);
                assert_eq!(vmkit_str_hash(ra), va.hash(), "{a:?}");
                for i in 0..va.len() {
                    assert_eq!(vmkit_str_byte_at(ra, i as u64), va.byte_at(i));
                }
                for n in 0..4 {
                    assert_eq!(
                        str_of(vmkit_str_repeat(ra, n)),
                        va.repeat(n as usize).as_bytes()
                    );
                }
                for start in 0..=va.len() {
                    for end in start..=va.len() {
                        assert_eq!(
                            str_of(vmkit_str_slice(ra, start as u64, end as u64)),
                            va.slice(start, end).as_bytes()
                        );
                    }
                }
                for &b in SAMPLES {
                    let vb = Str::from(b);
                    let rb = rt(b);
                    let _g2 = RootGuard::with(&[rb]);
                    assert_eq!(str_of(vmkit_str_concat(ra, rb)), va.concat(vb).as_bytes());
                    assert_eq!(vmkit_str_starts_with(ra, rb), va.starts_with(vb));
                    assert_eq!(vmkit_str_ends_with(ra, rb), va.ends_with(vb));
                    assert_eq!(vmkit_str_compare(ra, rb), va.compare(vb), "{a:?} {b:?}");
                    assert_eq!(vmkit_str_eq(ra, rb), va == vb);
                    for start in 0..va.len() + 3 {
                        let mut out = u64::MAX;
                        let found = vmkit_str_find(ra, rb, start as u64, &mut out);
                        let want = va.find(vb, start);
                        assert_eq!(found.then_some(out as usize), want, "{a:?} {b:?} {start}");
                    }
                }
            }
        }
    }

    #[test]
    fn number_conversions_match_vmkit_str() {
        let _t = testutil::setup();
        for x in [0i64, 1, -1, 42, i64::MIN, i64::MAX, 1_000_000] {
            assert_eq!(str_of(vmkit_str_from_i64(x)), Str::from_i64(x).as_bytes());
            let u = x as u64;
            assert_eq!(str_of(vmkit_str_from_u64(u)), Str::from_u64(u).as_bytes());
        }
        for x in [
            0.0,
            -0.0,
            1.0,
            0.1,
            1.5,
            -2.25,
            1e20,
            1e21,
            1e-7,
            1.0 / 3.0,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN_POSITIVE,
            5e-324,
            123456789012345680.0,
        ] {
            assert_eq!(str_of(vmkit_str_from_f64(x)), Str::from_f64(x).as_bytes());
        }
        assert_eq!(str_of(vmkit_str_from_f64(1.0)), b"1.0");
        assert_eq!(str_of(vmkit_str_from_f64(1e20)), b"1e20");
        for b in [0u8, b'a', 255] {
            assert_eq!(str_of(vmkit_str_from_byte(b)), Str::from_byte(b).as_bytes());
        }
        let long = "9".repeat(200);
        let inputs = [
            "0",
            "42",
            "-7",
            "+5",
            " 5",
            "5 ",
            "",
            "-",
            "9223372036854775807",
            "9223372036854775808",
            "-9223372036854775808",
            "1e3",
            "1.5",
            ".5",
            "5.",
            "inf",
            "-inf",
            "NaN",
            "nan",
            "infinity",
            "0x10",
            "1_000",
            "\u{fffd}",
            &long,
        ];
        for t in inputs {
            let s = rt(t);
            let v = Str::from_byte_slice(t.as_bytes());
            let mut i = 0i64;
            let mut f = 0f64;
            unsafe {
                let ok = vmkit_str_parse_i64(s, &mut i);
                assert_eq!(ok.then_some(i), v.parse_i64(), "{t:?}");
                let ok = vmkit_str_parse_f64(s, &mut f);
                let want = v.parse_f64();
                assert_eq!(ok, want.is_some(), "{t:?}");
                if let Some(w) = want {
                    assert!(
                        w.to_bits() == f.to_bits() || (w.is_nan() && f.is_nan()),
                        "{t:?}"
                    );
                }
            }
        }
        // Invalid UTF-8 never parses.
        let s = new_str(b"1\xff");
        unsafe {
            assert!(!vmkit_str_parse_i64(s, std::ptr::null_mut()));
            assert!(!vmkit_str_parse_f64(s, std::ptr::null_mut()));
        }
    }

    #[test]
    fn string_builder() {
        let _t = testutil::setup();
        testutil::stress();
        let sb = vmkit_sb_new();
        let _g = RootGuard::with(&[sb]);
        let vsb = vmkit::StrBuilder::new();
        unsafe {
            assert_eq!(vmkit_sb_len(sb), 0);
            assert_eq!(str_of(vmkit_sb_build(sb)), b"");
            for i in 0..300 {
                let piece = format!("<{i}>");
                vmkit_sb_push_str(sb, new_str(piece.as_bytes()));
                vsb.push_str(Str::from_byte_slice(piece.as_bytes()));
                vmkit_sb_push_byte(sb, b'0' + (i % 10) as u8);
                vsb.push_byte(b'0' + (i % 10) as u8);
            }
            assert_eq!(vmkit_sb_len(sb), vsb.len() as u64);
            let built = vmkit_sb_build(sb);
            assert_eq!(str_of(built), vsb.build().as_bytes());
            // The builder stays usable.
            vmkit_sb_push_byte(sb, b'!');
            assert_eq!(vmkit_sb_len(sb), vsb.len() as u64 + 1);
        }
        gc::collect();
        assert_eq!(gc::stats().objects, 1);
        assert!(gc::stats().live_bytes_after_gc >= 2000);
    }

    #[test]
    fn string_errors() {
        for (child, msg) in [
            (
                "byte_at",
                "index out of bounds: the len is 3 but the index is 5",
            ),
            (
                "slice_start",
                "range start index 4 out of range for slice of length 3",
            ),
            (
                "slice_end",
                "range end index 9 out of range for slice of length 3",
            ),
            ("slice_order", "slice index starts at 2 but ends at 1"),
            ("repeat_overflow", "capacity overflow"),
        ] {
            let out = testutil::run_child(&format!("str::tests::child_error_{child}"));
            assert_eq!(out.status.code(), Some(101), "{child}");
            let err = String::from_utf8_lossy(&out.stderr);
            assert!(
                err.ends_with(&format!("fatal error: {msg}\n")),
                "{child}: {err}"
            );
        }
    }

    macro_rules! child_error {
        ($name:ident, |$s:ident| $body:expr) => {
            #[test]
            fn $name() {
                if !testutil::is_child() {
                    return;
                }
                let _t = testutil::setup();
                let $s = new_str(b"abc");
                #[allow(unused_unsafe)]
                unsafe {
                    $body;
                }
                unreachable!();
            }
        };
    }
    child_error!(child_error_byte_at, |s| vmkit_str_byte_at(s, 5));
    child_error!(child_error_slice_start, |s| vmkit_str_slice(s, 4, 9));
    child_error!(child_error_slice_end, |s| vmkit_str_slice(s, 2, 9));
    child_error!(child_error_slice_order, |s| vmkit_str_slice(s, 2, 1));
    child_error!(child_error_repeat_overflow, |s| vmkit_str_repeat(
        s,
        u64::MAX / 2
    ));
}
