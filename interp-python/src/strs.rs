//! `str` objects: UTF-8 bytes plus the number of code points (equal to the byte length for
//! ASCII strings, which then index by byte), and the common methods.

use crate::exc::*;
use crate::object::*;
use crate::ops;
use crate::types::*;
use vmkit::{Gc, GcArray, GcList, Str, StrBuilder};

/// Number of code points of UTF-8 text.
pub fn count_chars(s: Str) -> i64 {
    let mut n: i64 = 0;
    for i in 0..s.len() {
        if s.byte_at(i) & 0xC0 != 0x80 {
            n += 1;
        }
    }
    n
}

pub fn new_str(vm: Gc<Vm>, s: Str) -> Value {
    if s.len() == 1 && s.byte_at(0) < 128 {
        return vm.chars.get(s.byte_at(0) as usize);
    }
    new_obj(ty(vm, T_STR), Kind::Str(s, count_chars(s)))
}

fn new_str_n(vm: Gc<Vm>, s: Str, n: i64) -> Value {
    if s.len() == 1 && s.byte_at(0) < 128 {
        return vm.chars.get(s.byte_at(0) as usize);
    }
    new_obj(ty(vm, T_STR), Kind::Str(s, n))
}

/// The text of a str value.
pub fn as_str(v: Value) -> Option<Str> {
    if let Value::Obj(o) = v {
        if let Kind::Str(s, _) = o.kind {
            return Some(s);
        }
    }
    None
}

pub fn as_str_obj(v: Value) -> Option<Str> {
    as_str(v)
}

fn nchars(v: Value) -> i64 {
    if let Value::Obj(o) = v {
        if let Kind::Str(_, n) = o.kind {
            return n;
        }
    }
    0
}

pub fn concat(vm: Gc<Vm>, s: Str, n: i64, t: Str) -> Value {
    new_str_n(vm, s.concat(t), n + count_chars(t))
}

pub fn repeat(vm: Gc<Vm>, s: Str, n: i64, k: i64) -> Value {
    if k <= 0 {
        return new_str(vm, Str::from(""));
    }
    new_str_n(vm, s.repeat(k as usize), n * k)
}

/// Byte offset of code point `i` (ASCII: `i` itself).
pub fn byte_offset(s: Str, n: i64, i: i64) -> usize {
    if n == s.len() as i64 {
        return i as usize;
    }
    let mut count: i64 = 0;
    let mut b: usize = 0;
    while b < s.len() {
        if s.byte_at(b) & 0xC0 != 0x80 {
            if count == i {
                return b;
            }
            count += 1;
        }
        b += 1;
    }
    s.len()
}

/// Code points `[i, j)` of `s`.
pub fn char_slice(s: Str, n: i64, i: i64, j: i64) -> Str {
    if j <= i {
        return Str::from("");
    }
    let a = byte_offset(s, n, i);
    let b = byte_offset(s, n, j);
    s.slice(a, b)
}

/// The code point starting at byte `b` and its length in bytes.
pub fn decode_at(s: Str, b: usize) -> (i64, usize) {
    let c = s.byte_at(b) as i64;
    if c < 0x80 {
        (c, 1)
    } else if c < 0xE0 && b + 1 < s.len() {
        (((c & 0x1F) << 6) | (s.byte_at(b + 1) as i64 & 0x3F), 2)
    } else if c < 0xF0 && b + 2 < s.len() {
        (
            ((c & 0x0F) << 12)
                | ((s.byte_at(b + 1) as i64 & 0x3F) << 6)
                | (s.byte_at(b + 2) as i64 & 0x3F),
            3,
        )
    } else if b + 3 < s.len() {
        (
            ((c & 0x07) << 18)
                | ((s.byte_at(b + 1) as i64 & 0x3F) << 12)
                | ((s.byte_at(b + 2) as i64 & 0x3F) << 6)
                | (s.byte_at(b + 3) as i64 & 0x3F),
            4,
        )
    } else {
        (c, 1)
    }
}

/// UTF-8 encoding of a code point.
pub fn encode_char(c: i64) -> Str {
    let b = StrBuilder::new();
    push_char(b, c);
    b.build()
}

pub fn push_char(b: StrBuilder, c: i64) {
    if c < 0x80 {
        b.push_byte(c as u8);
    } else if c < 0x800 {
        b.push_byte((0xC0 | (c >> 6)) as u8);
        b.push_byte((0x80 | (c & 0x3F)) as u8);
    } else if c < 0x10000 {
        b.push_byte((0xE0 | (c >> 12)) as u8);
        b.push_byte((0x80 | ((c >> 6) & 0x3F)) as u8);
        b.push_byte((0x80 | (c & 0x3F)) as u8);
    } else {
        b.push_byte((0xF0 | (c >> 18)) as u8);
        b.push_byte((0x80 | ((c >> 12) & 0x3F)) as u8);
        b.push_byte((0x80 | ((c >> 6) & 0x3F)) as u8);
        b.push_byte((0x80 | (c & 0x3F)) as u8);
    }
}

/// The code points of a str.
pub fn chars_of(s: Str) -> GcList<i64> {
    let out: GcList<i64> = GcList::with_capacity(s.len());
    let mut b: usize = 0;
    while b < s.len() {
        let (c, k) = decode_at(s, b);
        out.push(c);
        b += k;
    }
    out
}

/// `s[k]`.
pub fn getitem(vm: Gc<Vm>, v: Value, k: Value) -> Result<Value, Value> {
    let s = as_str(v).unwrap_or(Str::from(""));
    let n = nchars(v);
    if let Some((a, b, c)) = ops::as_slice(k) {
        let (start, _, step, count) = ops::slice_indices(vm, a, b, c, n)?;
        if step == 1 {
            return Ok(new_str_n(vm, char_slice(s, n, start, start + count), count));
        }
        let cs = chars_of(s);
        let out = StrBuilder::new();
        for i in 0..count {
            push_char(out, cs.get((start + i * step) as usize));
        }
        return Ok(new_str_n(vm, out.build(), count));
    }
    let i = match ops::int_view(k) {
        ops::IntView::Small(i) => i,
        _ => {
            if !matches!(ops::int_view(k), ops::IntView::NotInt) {
                return err(
                    vm,
                    T_INDEX_ERROR,
                    Str::from("cannot fit 'int' into an index-sized integer"),
                );
            }
            return type_error(
                vm,
                Str::from("string indices must be integers, not '")
                    .concat(type_name(vm, k))
                    .concat(Str::from("'")),
            );
        }
    };
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        return err(vm, T_INDEX_ERROR, Str::from("string index out of range"));
    }
    if n == s.len() as i64 {
        return Ok(vm.chars.get(s.byte_at(j as usize) as usize));
    }
    let b = byte_offset(s, n, j);
    let (_, len) = decode_at(s, b);
    Ok(new_str_n(vm, s.slice(b, b + len), 1))
}

fn is_space(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' || c == 11 || c == 12
}

/// Strips ASCII whitespace from both ends.
pub fn strip_bytes(s: Str) -> Str {
    let mut a: usize = 0;
    let mut b = s.len();
    while a < b && is_space(s.byte_at(a)) {
        a += 1;
    }
    while b > a && is_space(s.byte_at(b - 1)) {
        b -= 1;
    }
    s.slice(a, b)
}

/// `ascii()` of a repr: non-ASCII code points escaped.
pub fn ascii(s: Str) -> Str {
    let out = StrBuilder::new();
    let mut b: usize = 0;
    while b < s.len() {
        let (c, k) = decode_at(s, b);
        if c < 128 {
            out.push_byte(c as u8);
        } else if c < 256 {
            out.push_str(Str::from("\\x"));
            out.push_str(hex_digits(c, 2));
        } else if c < 65536 {
            out.push_str(Str::from("\\u"));
            out.push_str(hex_digits(c, 4));
        } else {
            out.push_str(Str::from("\\U"));
            out.push_str(hex_digits(c, 8));
        }
        b += k;
    }
    out.build()
}

pub fn hex_digits(c: i64, width: i64) -> Str {
    let out = StrBuilder::new();
    let mut i = width - 1;
    while i >= 0 {
        let d = (c >> (4 * i)) & 15;
        out.push_byte(if d < 10 {
            b'0' + d as u8
        } else {
            b'a' + (d - 10) as u8
        });
        i -= 1;
    }
    out.build()
}

/// `repr()` of a str.
pub fn repr_str(s: Str) -> Str {
    let has_single = s.find(Str::from("'"), 0).is_some();
    let has_double = s.find(Str::from("\""), 0).is_some();
    let quote = if has_single && !has_double {
        b'"'
    } else {
        b'\''
    };
    let out = StrBuilder::new();
    out.push_byte(quote);
    let mut b: usize = 0;
    while b < s.len() {
        let (c, k) = decode_at(s, b);
        if c == quote as i64 || c == b'\\' as i64 {
            out.push_byte(b'\\');
            out.push_byte(c as u8);
        } else if c == 10 {
            out.push_str(Str::from("\\n"));
        } else if c == 13 {
            out.push_str(Str::from("\\r"));
        } else if c == 9 {
            out.push_str(Str::from("\\t"));
        } else if c < 32 || c == 127 {
            out.push_str(Str::from("\\x"));
            out.push_str(hex_digits(c, 2));
        } else if (c >= 0x80 && c < 0xA0) || c == 0xAD {
            out.push_str(Str::from("\\x"));
            out.push_str(hex_digits(c, 2));
        } else if c >= 0x100 && !crate::strmethods::py_char_is(c, 7) {
            if c < 0x10000 {
                out.push_str(Str::from("\\u"));
                out.push_str(hex_digits(c, 4));
            } else {
                out.push_str(Str::from("\\U"));
                out.push_str(hex_digits(c, 8));
            }
        } else {
            out.push_str(s.slice(b, b + k));
        }
        b += k;
    }
    out.push_byte(quote);
    out.build()
}

/// Splits on runs of whitespace (`str.split()` without a separator).
pub fn split_whitespace(vm: Gc<Vm>, s: Str, maxsplit: i64) -> GcList<Value> {
    let out: GcList<Value> = GcList::new();
    let n = s.len();
    let mut i: usize = 0;
    let mut splits: i64 = 0;
    loop {
        while i < n && is_space(s.byte_at(i)) {
            i += 1;
        }
        if i >= n {
            break;
        }
        if maxsplit >= 0 && splits >= maxsplit {
            let mut end = n;
            while end > i && is_space(s.byte_at(end - 1)) {
                end -= 1;
            }
            out.push(new_str(vm, s.slice(i, end)));
            break;
        }
        let start = i;
        while i < n && !is_space(s.byte_at(i)) {
            i += 1;
        }
        out.push(new_str(vm, s.slice(start, i)));
        splits += 1;
    }
    out
}

pub fn split_sep(vm: Gc<Vm>, s: Str, sep: Str, maxsplit: i64) -> GcList<Value> {
    let out: GcList<Value> = GcList::new();
    let mut start: usize = 0;
    let mut splits: i64 = 0;
    loop {
        if maxsplit >= 0 && splits >= maxsplit {
            break;
        }
        match s.find(sep, start) {
            Some(p) => {
                out.push(new_str(vm, s.slice(start, p)));
                start = p + sep.len();
                splits += 1;
            }
            None => break,
        }
    }
    out.push(new_str(vm, s.slice(start, s.len())));
    out
}

/// Last occurrence of `needle` in `s[start..end]` (byte offsets).
pub fn rfind(s: Str, needle: Str, start: usize, end: usize) -> Option<usize> {
    if needle.len() > end || end < start {
        return None;
    }
    let mut i = end - needle.len();
    loop {
        if i < start {
            return None;
        }
        if s.slice(i, i + needle.len()) == needle {
            return Some(i);
        }
        if i == 0 {
            return None;
        }
        i -= 1;
    }
}

pub fn to_lower(s: Str) -> Str {
    let out = StrBuilder::new();
    for i in 0..s.len() {
        let c = s.byte_at(i);
        out.push_byte(if c >= b'A' && c <= b'Z' { c + 32 } else { c });
    }
    out.build()
}

pub fn to_upper(s: Str) -> Str {
    let out = StrBuilder::new();
    for i in 0..s.len() {
        let c = s.byte_at(i);
        out.push_byte(if c >= b'a' && c <= b'z' { c - 32 } else { c });
    }
    out.build()
}

pub fn is_alpha_byte(c: u8) -> bool {
    (c >= b'a' && c <= b'z') || (c >= b'A' && c <= b'Z')
}

pub fn is_digit_byte(c: u8) -> bool {
    c >= b'0' && c <= b'9'
}

/// Joins str values with a separator.
pub fn join(vm: Gc<Vm>, sep: Str, items: GcList<Value>) -> Result<Value, Value> {
    let out = StrBuilder::new();
    for i in 0..items.len() {
        if i > 0 {
            out.push_str(sep);
        }
        match as_str(items.get(i)) {
            Some(s) => out.push_str(s),
            None => {
                return type_error(
                    vm,
                    Str::from("sequence item ")
                        .concat(Str::from_i64(i as i64))
                        .concat(Str::from(": expected str instance, "))
                        .concat(type_name(vm, items.get(i)))
                        .concat(Str::from(" found")),
                )
            }
        }
    }
    Ok(new_str(vm, out.build()))
}

/// The strings of a tuple/list of str values.
pub fn str_array(v: GcArray<Value>) -> GcArray<Str> {
    let out = GcArray::new(v.len(), Str::from(""));
    for i in 0..v.len() {
        out.set(i, as_str(v.get(i)).unwrap_or(Str::from("")));
    }
    out
}
