//! The methods of `str` (and the constructors of bytes/bytearray, and decoding).

use crate::args::{arg, npos};
use crate::builtins::*;
use crate::exc::*;
use crate::object::*;
use crate::ops;
use crate::strs;
use crate::strs::new_str;
use crate::types::*;
use vmkit::{Gc, GcArray, GcList, Str, StrBuilder};

fn str_param(vm: Gc<Vm>, v: Value) -> Result<Str, Value> {
    match strs::as_str(v) {
        Some(s) => Ok(s),
        None => Err(new_exc(
            vm,
            T_TYPE_ERROR,
            Str::from("must be str, not ").concat(type_name(vm, v)),
        )),
    }
}

/// Converts an optional start/end pair to byte offsets of `s` (with `n` code points).
fn range_of(vm: Gc<Vm>, s: Str, n: i64, a: Value, b: Value) -> Result<(usize, usize), Value> {
    let mut start = if a.is_null() || a.is_nil() {
        0
    } else {
        ops::index_of(vm, a)?
    };
    let mut end = if b.is_null() || b.is_nil() {
        n
    } else {
        ops::index_of(vm, b)?
    };
    if start < 0 {
        start += n;
        if start < 0 {
            start = 0;
        }
    }
    if end < 0 {
        end += n;
        if end < 0 {
            end = 0;
        }
    }
    if end > n {
        end = n;
    }
    if start > end {
        return Ok((1, 0));
    }
    Ok((strs::byte_offset(s, n, start), strs::byte_offset(s, n, end)))
}

/// Code-point index of byte offset `b`.
fn char_index(s: Str, n: i64, b: usize) -> i64 {
    if n == s.len() as i64 {
        return b as i64;
    }
    strs::count_chars(s.slice(0, b))
}

fn strip_chars(s: Str, chars: Str, left: bool, right: bool) -> Str {
    let cs = strs::chars_of(chars);
    let mut a: usize = 0;
    let mut b = s.len();
    if left {
        while a < b {
            let (c, k) = strs::decode_at(s, a);
            let mut hit = false;
            for i in 0..cs.len() {
                if cs.get(i) == c {
                    hit = true;
                }
            }
            if !hit {
                break;
            }
            a += k;
        }
    }
    if right {
        while b > a {
            let mut st = b - 1;
            while st > a && s.byte_at(st) & 0xC0 == 0x80 {
                st -= 1;
            }
            let (c, _) = strs::decode_at(s, st);
            let mut hit = false;
            for i in 0..cs.len() {
                if cs.get(i) == c {
                    hit = true;
                }
            }
            if !hit {
                break;
            }
            b = st;
        }
    }
    s.slice(a, b)
}

fn is_ws(c: u8) -> bool {
    c == b' ' || c == b'\t' || c == b'\n' || c == b'\r' || c == 11 || c == 12
}

fn strip_ws(s: Str, left: bool, right: bool) -> Str {
    if strs::count_chars(s) != s.len() as i64 {
        // Non-ASCII text: Unicode whitespace (NBSP, ...) is stripped too.
        let cs = strs::chars_of(s);
        let mut a: usize = 0;
        let mut b = cs.len();
        if left {
            while a < b && py_char_is(cs.get(a), 2) {
                a += 1;
            }
        }
        if right {
            while b > a && py_char_is(cs.get(b - 1), 2) {
                b -= 1;
            }
        }
        let out = StrBuilder::new();
        for i in a..b {
            strs::push_char(out, cs.get(i));
        }
        return out.build();
    }
    let mut a: usize = 0;
    let mut b = s.len();
    if left {
        while a < b && is_ws(s.byte_at(a)) {
            a += 1;
        }
    }
    if right {
        while b > a && is_ws(s.byte_at(b - 1)) {
            b -= 1;
        }
    }
    s.slice(a, b)
}

fn pad(vm: Gc<Vm>, s: Str, n: i64, width: Value, fill: Value, mode: i64) -> Result<Value, Value> {
    let w = ops::index_of(vm, width)?;
    let f = if fill.is_null() {
        Str::from(" ")
    } else {
        str_param(vm, fill)?
    };
    if strs::count_chars(f) != 1 {
        return type_error(
            vm,
            Str::from("The fill character must be exactly one character long"),
        );
    }
    if w <= n {
        return Ok(new_str(vm, s));
    }
    let total = (w - n) as usize;
    let (l, r) = if mode == 0 {
        (0, total)
    } else if mode == 1 {
        (total, 0)
    } else {
        // center: extra space goes right unless odd total and odd width (CPython's rule).
        let left = total / 2 + (total & (w as usize) & 1);
        (left, total - left)
    };
    Ok(new_str(vm, f.repeat(l).concat(s).concat(f.repeat(r))))
}

/// Unicode case mapping by the host's tables: 0 lower, 1 upper, 2 casefold, 3 swapcase,
/// 4 title, 5 capitalize.
#[vmkit::host]
pub fn py_unicode(s: Str, op: i64) -> Str {
    let text = String::from_utf8_lossy(s.as_bytes());
    let out: String = match op {
        0 => text.to_lowercase(),
        1 => text.to_uppercase(),
        2 => text.to_lowercase().replace('ß', "ss").replace('ς', "σ"),
        3 => text
            .chars()
            .flat_map(|c| {
                if c.is_uppercase() {
                    c.to_lowercase().collect::<Vec<_>>()
                } else {
                    c.to_uppercase().collect::<Vec<_>>()
                }
            })
            .collect(),
        4 => {
            let mut prev_cased = false;
            let mut r = String::new();
            for c in text.chars() {
                if prev_cased {
                    r.extend(c.to_lowercase());
                } else {
                    // Titlecase: for the DŽ/Dž/dž digraphs, the titlecase form.
                    match c {
                        'Ǆ' | 'ǅ' | 'ǆ' => r.push('ǅ'),
                        'Ǉ' | 'ǈ' | 'ǉ' => r.push('ǈ'),
                        'Ǌ' | 'ǋ' | 'ǌ' => r.push('ǋ'),
                        'Ǳ' | 'ǲ' | 'ǳ' => r.push('ǲ'),
                        _ => r.extend(c.to_uppercase()),
                    }
                }
                prev_cased = c.is_alphabetic()
                    && (c.is_lowercase() || c.is_uppercase() || matches!(c, 'ǅ' | 'ǈ' | 'ǋ' | 'ǲ'));
            }
            r
        }
        _ => {
            let mut r = String::new();
            for (i, c) in text.chars().enumerate() {
                if i == 0 {
                    match c {
                        'Ǆ' | 'ǅ' | 'ǆ' => r.push('ǅ'),
                        _ => r.extend(c.to_uppercase()),
                    }
                } else {
                    r.extend(c.to_lowercase());
                }
            }
            r
        }
    };
    Str::from_byte_slice(out.as_bytes())
}

/// UTF-16/UTF-32 encodings (`utf-16` and `utf-32` with a little-endian BOM, as CPython on
/// little-endian machines).
#[vmkit::host]
pub fn py_encode_wide(s: Str, enc: Str) -> Str {
    let text = String::from_utf8_lossy(s.as_bytes()).into_owned();
    let enc = String::from_utf8_lossy(enc.as_bytes()).into_owned();
    let mut out: Vec<u8> = Vec::new();
    match enc.as_str() {
        "utf-16-le" | "utf-16" => {
            if enc == "utf-16" {
                out.extend_from_slice(&[0xff, 0xfe]);
            }
            for u in text.encode_utf16() {
                out.extend_from_slice(&u.to_le_bytes());
            }
        }
        "utf-16-be" => {
            for u in text.encode_utf16() {
                out.extend_from_slice(&u.to_be_bytes());
            }
        }
        _ => {
            if enc == "utf-32" {
                out.extend_from_slice(&[0xff, 0xfe, 0, 0]);
            }
            for c in text.chars() {
                out.extend_from_slice(&(c as u32).to_le_bytes());
            }
        }
    }
    Str::from_byte_slice(&out)
}

/// Character classes by the host's Unicode tables: 0 alphabetic, 1 digit, 2 whitespace,
/// 3 lowercase, 4 uppercase, 5 decimal, 6 numeric, 7 printable.
#[vmkit::host]
pub fn py_char_is(c: i64, which: i64) -> bool {
    /// Unicode decimal digits (category Nd) in the common scripts.
    fn is_decimal(c: i64) -> bool {
        let starts = [
            0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6,
            0xd66, 0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0xff10, 0x1d7ce,
            0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6,
        ];
        starts.iter().any(|&s| c >= s && c < s + 10)
    }
    let ch = match char::from_u32(c as u32) {
        Some(ch) => ch,
        None => return false,
    };
    match which {
        // Python's isalpha: letters (L*), not letter numbers (Nl) such as Roman numerals.
        0 => {
            ch.is_alphabetic()
                && !matches!(c, 0x16ee..=0x16f0 | 0x2160..=0x2188 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303a | 0xa6e6..=0xa6ef)
        }
        1 => {
            is_decimal(c)
                || matches!(c, 0xb2 | 0xb3 | 0xb9 | 0x2070 | 0x2074..=0x2079 | 0x2080..=0x2089 | 0x2460..=0x2468 | 0x2474..=0x247c | 0x2488..=0x2490 | 0x24f5..=0x24fd | 0x2776..=0x277e | 0x2780..=0x2788 | 0x278a..=0x2792)
        }
        2 => ch.is_whitespace() || matches!(c, 0x1c..=0x1f),
        3 => ch.is_lowercase(),
        4 => ch.is_uppercase() || matches!(ch, 'ǅ' | 'ǈ' | 'ǋ' | 'ǲ'),
        5 => is_decimal(c),
        6 => ch.is_numeric(),
        // Letter numbers (Nl): allowed in identifiers.
        8 => {
            matches!(c, 0x16ee..=0x16f0 | 0x2160..=0x2188 | 0x3007 | 0x3021..=0x3029 | 0x3038..=0x303a | 0xa6e6..=0xa6ef)
        }
        _ => {
            !(ch.is_control()
                || matches!(c, 0x200b..=0x200f | 0x2028..=0x202e | 0x2060..=0x2064 | 0xfeff | 0xad)
                || (ch.is_whitespace() && ch != ' '))
        }
    }
}

/// `str.maketrans(dict)` / `str.maketrans(from, to[, delete])`.
pub fn maketrans(vm: Gc<Vm>, args: GcArray<Value>, names: GcArray<Str>) -> Result<Value, Value> {
    let np = npos(args, names);
    let d = crate::dict::new_dict(vm);
    if np == 1 {
        if !crate::dict::is_dict(args.get(0)) {
            return type_error(
                vm,
                Str::from("if you give only one argument to maketrans it must be a dict"),
            );
        }
        let (ks, vs) = crate::dict::items_of(vm, args.get(0));
        for i in 0..ks.len() {
            let k = ks.get(i);
            let kk = match strs::as_str(k) {
                Some(t) => Value::Int(strs::chars_of(t).get(0)),
                None => k,
            };
            crate::dict::setitem(vm, d, kk, vs.get(i))?;
        }
        return Ok(d);
    }
    if np < 2 {
        return type_error(vm, Str::from("maketrans() takes at least 1 argument"));
    }
    let from = strs::chars_of(str_param(vm, args.get(0))?);
    let to = strs::chars_of(str_param(vm, args.get(1))?);
    if from.len() != to.len() {
        return value_error(
            vm,
            Str::from("the first two maketrans arguments must have equal length"),
        );
    }
    for i in 0..from.len() {
        crate::dict::setitem(vm, d, Value::Int(from.get(i)), Value::Int(to.get(i)))?;
    }
    if np > 2 {
        let del = strs::chars_of(str_param(vm, args.get(2))?);
        for i in 0..del.len() {
            crate::dict::setitem(vm, d, Value::Int(del.get(i)), Value::Nil)?;
        }
    }
    Ok(d)
}

/// Methods of bytes and bytearray shared with str: the str method runs on latin-1 text and
/// str results become bytes (bytearray for a bytearray receiver) again.
pub fn call_bytes_method(
    vm: Gc<Vm>,
    sid: i64,
    selfv: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let raw = crate::bytes::bytes_of(vm, selfv)?;
    let mut ba = false;
    if let Value::Obj(o) = selfv {
        if let Kind::ByteArray(_) = o.kind {
            ba = true;
        }
    }
    let text = new_str(vm, crate::bytes::latin1_to_utf8(raw));
    let conv = GcArray::new(args.len(), Value::Nil);
    for i in 0..args.len() {
        conv.set(i, to_text(vm, args.get(i), sid)?);
    }
    let r = call_str_method(vm, sid, text, conv, names)?;
    Ok(from_text(vm, r, ba))
}

fn to_text(vm: Gc<Vm>, v: Value, sid: i64) -> Result<Value, Value> {
    if crate::bytes::is_bytes_like(v) {
        let b = crate::bytes::bytes_of(vm, v)?;
        return Ok(new_str(vm, crate::bytes::latin1_to_utf8(b)));
    }
    // A byte value as the needle of find/index/count.
    if let ops::IntView::Small(c) = ops::int_view(v) {
        if !matches!(v, Value::Bool(_))
            && (sid == S_FIND
                || sid == S_RFIND
                || sid == S_INDEX
                || sid == S_RINDEX
                || sid == S_COUNT)
        {
            if c < 0 || c > 255 {
                return value_error(vm, Str::from("byte must be in range(0, 256)"));
            }
            return Ok(new_str(vm, strs::encode_char(c)));
        }
    }
    if let Value::Obj(o) = v {
        match o.kind {
            Kind::List(_) | Kind::Tuple(_) => {
                let items = ops::to_list(vm, v)?;
                let out: GcList<Value> = GcList::new();
                for i in 0..items.len() {
                    let x = items.get(i);
                    if strs::as_str(x).is_some() {
                        return type_error(
                            vm,
                            Str::from("sequence item ")
                                .concat(Str::from_i64(i as i64))
                                .concat(Str::from(": expected a bytes-like object, str found")),
                        );
                    }
                    out.push(to_text(vm, x, sid)?);
                }
                if let Kind::Tuple(_) = o.kind {
                    let t = GcArray::new(out.len(), Value::Nil);
                    for i in 0..out.len() {
                        t.set(i, out.get(i));
                    }
                    return Ok(ops::new_tuple(vm, t));
                }
                return Ok(ops::new_list(vm, out));
            }
            Kind::Str(_, _) => {
                return type_error(vm, Str::from("a bytes-like object is required, not 'str'"));
            }
            _ => {}
        }
    }
    Ok(v)
}

fn from_text(vm: Gc<Vm>, v: Value, ba: bool) -> Value {
    if let Value::Obj(o) = v {
        match o.kind {
            Kind::Str(s, _) => {
                let b = crate::bytes::utf8_to_latin1(s);
                return if ba {
                    crate::bytes::new_bytearray(vm, b)
                } else {
                    crate::bytes::new_bytes(vm, b)
                };
            }
            Kind::List(l) => {
                let out: GcList<Value> = GcList::new();
                for i in 0..l.len() {
                    out.push(from_text(vm, l.get(i), ba));
                }
                return ops::new_list(vm, out);
            }
            Kind::Tuple(t) => {
                let out = GcArray::new(t.len(), Value::Nil);
                for i in 0..t.len() {
                    out.set(i, from_text(vm, t.get(i), ba));
                }
                return ops::new_tuple(vm, out);
            }
            _ => {}
        }
    }
    v
}

pub fn call_str_method(
    vm: Gc<Vm>,
    id: i64,
    selfv: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let (s, n) = match selfv {
        Value::Obj(o) => match o.kind {
            Kind::Str(s, n) => (s, n),
            _ => {
                return type_error(
                    vm,
                    Str::from("descriptor '")
                        .concat(builtin_name(id))
                        .concat(Str::from("' for 'str' objects doesn't apply to a '"))
                        .concat(type_name(vm, selfv))
                        .concat(Str::from("' object")),
                )
            }
        },
        _ => {
            return type_error(
                vm,
                Str::from("descriptor '")
                    .concat(builtin_name(id))
                    .concat(Str::from("' for 'str' objects doesn't apply to a '"))
                    .concat(type_name(vm, selfv))
                    .concat(Str::from("' object")),
            )
        }
    };
    let np = npos(args, names);
    match id {
        S_JOIN => {
            if np != 1 {
                return type_error(vm, Str::from("str.join() takes exactly one argument"));
            }
            let items = match ops::to_list(vm, args.get(0)) {
                Ok(l) => l,
                Err(e) => {
                    if is_instance_id(vm, e, T_TYPE_ERROR) {
                        return type_error(vm, Str::from("can only join an iterable"));
                    }
                    return Err(e);
                }
            };
            strs::join(vm, s, items)
        }
        S_SPLIT | S_RSPLIT => {
            let sep = arg(args, names, 0, Str::from("sep"));
            let ms = arg(args, names, 1, Str::from("maxsplit"));
            let maxsplit = if ms.is_null() {
                -1
            } else {
                ops::index_of(vm, ms)?
            };
            if sep.is_null() || sep.is_nil() {
                if id == S_RSPLIT && maxsplit >= 0 {
                    // rsplit with a limit: split from the right.
                    let all = strs::split_whitespace(vm, s, -1);
                    let k = all.len() as i64;
                    if k <= maxsplit + 1 {
                        return Ok(ops::new_list(vm, all));
                    }
                    let out: GcList<Value> = GcList::new();
                    // The leading part keeps its inner whitespace.
                    let keep = (k - maxsplit) as usize;
                    let mut end: usize = 0;
                    let mut seen: usize = 0;
                    let mut i: usize = 0;
                    let st = strip_ws(s, true, false);
                    while i < st.len() {
                        while i < st.len() && is_ws(st.byte_at(i)) {
                            i += 1;
                        }
                        while i < st.len() && !is_ws(st.byte_at(i)) {
                            i += 1;
                        }
                        seen += 1;
                        if seen == keep {
                            end = i;
                            break;
                        }
                    }
                    out.push(new_str(vm, st.slice(0, end)));
                    for j in keep..all.len() {
                        out.push(all.get(j));
                    }
                    return Ok(ops::new_list(vm, out));
                }
                return Ok(ops::new_list(vm, strs::split_whitespace(vm, s, maxsplit)));
            }
            let sp = str_param(vm, sep)?;
            if sp.is_empty() {
                return value_error(vm, Str::from("empty separator"));
            }
            if id == S_RSPLIT && maxsplit >= 0 {
                let out: GcList<Value> = GcList::new();
                let mut end = s.len();
                let mut count: i64 = 0;
                while count < maxsplit {
                    match strs::rfind(s, sp, 0, end) {
                        Some(p) => {
                            out.insert(0, new_str(vm, s.slice(p + sp.len(), end)));
                            end = p;
                            count += 1;
                        }
                        None => break,
                    }
                }
                out.insert(0, new_str(vm, s.slice(0, end)));
                return Ok(ops::new_list(vm, out));
            }
            Ok(ops::new_list(vm, strs::split_sep(vm, s, sp, maxsplit)))
        }
        S_STRIP | S_LSTRIP | S_RSTRIP => {
            let chars = arg(args, names, 0, Str::from("chars"));
            let left = id != S_RSTRIP;
            let right = id != S_LSTRIP;
            if chars.is_null() || chars.is_nil() {
                return Ok(new_str(vm, strip_ws(s, left, right)));
            }
            let cs = str_param(vm, chars)?;
            Ok(new_str(vm, strip_chars(s, cs, left, right)))
        }
        S_REPLACE => {
            let old = str_param(vm, args.get(0))?;
            let new = str_param(vm, args.get(1))?;
            let cnt = if np > 2 {
                ops::index_of(vm, args.get(2))?
            } else {
                -1
            };
            let out = StrBuilder::new();
            if old.is_empty() {
                // Insert `new` between characters.
                let mut done: i64 = 0;
                let mut b: usize = 0;
                while b <= s.len() {
                    if cnt < 0 || done < cnt {
                        out.push_str(new);
                        done += 1;
                    }
                    if b == s.len() {
                        break;
                    }
                    let (_, k) = strs::decode_at(s, b);
                    out.push_str(s.slice(b, b + k));
                    b += k;
                }
                return Ok(new_str(vm, out.build()));
            }
            let mut start: usize = 0;
            let mut done: i64 = 0;
            loop {
                if cnt >= 0 && done >= cnt {
                    break;
                }
                match s.find(old, start) {
                    Some(p) => {
                        out.push_str(s.slice(start, p));
                        out.push_str(new);
                        start = p + old.len();
                        done += 1;
                    }
                    None => break,
                }
            }
            out.push_str(s.slice(start, s.len()));
            Ok(new_str(vm, out.build()))
        }
        S_FIND | S_RFIND | S_INDEX | S_RINDEX | S_COUNT => {
            let sub = str_param(vm, args.get(0))?;
            let (a, b) = range_of(
                vm,
                s,
                n,
                arg(args, names, 1, Str::from("start")),
                arg(args, names, 2, Str::from("end")),
            )?;
            if id == S_COUNT {
                if a > b {
                    return Ok(Value::Int(0));
                }
                if sub.is_empty() {
                    return Ok(Value::Int(strs::count_chars(s.slice(a, b)) + 1));
                }
                let mut c = 0;
                let mut p = a;
                loop {
                    match s.find(sub, p) {
                        Some(q) => {
                            if q + sub.len() > b {
                                break;
                            }
                            c += 1;
                            p = q + sub.len();
                        }
                        None => break,
                    }
                }
                return Ok(Value::Int(c));
            }
            let found = if a > b {
                None
            } else if id == S_FIND || id == S_INDEX {
                match s.find(sub, a) {
                    Some(q) => {
                        if q + sub.len() <= b {
                            Some(q)
                        } else {
                            None
                        }
                    }
                    None => None,
                }
            } else {
                strs::rfind(s, sub, a, b)
            };
            match found {
                Some(q) => Ok(Value::Int(char_index(s, n, q))),
                None => {
                    if id == S_INDEX || id == S_RINDEX {
                        return value_error(vm, Str::from("substring not found"));
                    }
                    Ok(Value::Int(-1))
                }
            }
        }
        S_STARTSWITH | S_ENDSWITH => {
            let p = args.get(0);
            let (a, b) = range_of(
                vm,
                s,
                n,
                arg(args, names, 1, Str::from("start")),
                arg(args, names, 2, Str::from("end")),
            )?;
            if a > b {
                return Ok(Value::Bool(false));
            }
            let part = s.slice(a, b);
            let cands: GcList<Value> = match ops::as_tuple(p) {
                Some(_) => ops::to_list(vm, p)?,
                None => {
                    if strs::as_str(p).is_none() {
                        let what = if id == S_STARTSWITH {
                            Str::from("startswith")
                        } else {
                            Str::from("endswith")
                        };
                        return type_error(
                            vm,
                            what.concat(Str::from(
                                " first arg must be str or a tuple of str, not ",
                            ))
                            .concat(type_name(vm, p)),
                        );
                    }
                    let l: GcList<Value> = GcList::new();
                    l.push(p);
                    l
                }
            };
            for i in 0..cands.len() {
                let c = str_param(vm, cands.get(i))?;
                let hit = if id == S_STARTSWITH {
                    part.starts_with(c)
                } else {
                    part.ends_with(c)
                };
                if hit {
                    return Ok(Value::Bool(true));
                }
            }
            Ok(Value::Bool(false))
        }
        S_UPPER => Ok(new_str(
            vm,
            if n == s.len() as i64 {
                case_map(s, 1)
            } else {
                py_unicode(s, 1)
            },
        )),
        S_LOWER => Ok(new_str(
            vm,
            if n == s.len() as i64 {
                case_map(s, 0)
            } else {
                py_unicode(s, 0)
            },
        )),
        S_SWAPCASE => Ok(new_str(vm, py_unicode(s, 3))),
        S_FORMAT => crate::strformat::format_method(vm, s, args, names),
        S_ISDIGIT | S_ISALPHA | S_ISSPACE | S_ISALNUM => {
            if s.is_empty() {
                return Ok(Value::Bool(false));
            }
            let cs = strs::chars_of(s);
            for i in 0..cs.len() {
                let c = cs.get(i);
                let ok = match id {
                    S_ISDIGIT => py_char_is(c, 1),
                    S_ISALPHA => py_char_is(c, 0),
                    S_ISSPACE => py_char_is(c, 2),
                    _ => py_char_is(c, 0) || py_char_is(c, 6),
                };
                if !ok {
                    return Ok(Value::Bool(false));
                }
            }
            Ok(Value::Bool(true))
        }
        S_ISUPPER | S_ISLOWER => {
            let mut cased = false;
            let cs = strs::chars_of(s);
            for i in 0..cs.len() {
                let c = cs.get(i);
                if py_char_is(c, 3) {
                    if id == S_ISUPPER {
                        return Ok(Value::Bool(false));
                    }
                    cased = true;
                }
                if py_char_is(c, 4) {
                    if id == S_ISLOWER {
                        return Ok(Value::Bool(false));
                    }
                    cased = true;
                }
            }
            Ok(Value::Bool(cased))
        }
        S_TITLE => Ok(new_str(vm, py_unicode(s, 4))),
        S_CAPITALIZE => Ok(new_str(vm, py_unicode(s, 5))),
        S_CENTER => pad(
            vm,
            s,
            n,
            args.get(0),
            if np > 1 { args.get(1) } else { Value::Null },
            2,
        ),
        S_LJUST => pad(
            vm,
            s,
            n,
            args.get(0),
            if np > 1 { args.get(1) } else { Value::Null },
            0,
        ),
        S_RJUST => pad(
            vm,
            s,
            n,
            args.get(0),
            if np > 1 { args.get(1) } else { Value::Null },
            1,
        ),
        S_ZFILL => {
            let w = ops::index_of(vm, args.get(0))?;
            if w <= n {
                return Ok(selfv);
            }
            let z = Str::from("0").repeat((w - n) as usize);
            if s.len() > 0 && (s.byte_at(0) == b'-' || s.byte_at(0) == b'+') {
                return Ok(new_str(
                    vm,
                    s.slice(0, 1).concat(z).concat(s.slice(1, s.len())),
                ));
            }
            Ok(new_str(vm, z.concat(s)))
        }
        S_ENCODE => {
            let enc = arg(args, names, 0, Str::from("encoding"));
            let e = if enc.is_null() {
                Str::from("utf-8")
            } else {
                strs::to_lower(str_param(vm, enc)?)
            };
            let errors_v = arg(args, names, 1, Str::from("errors"));
            let errors = if errors_v.is_null() {
                Str::from("strict")
            } else {
                str_param(vm, errors_v)?
            };
            let limit: i64 = if e == Str::from("ascii") {
                128
            } else if e == Str::from("latin-1")
                || e == Str::from("latin1")
                || e == Str::from("iso-8859-1")
            {
                256
            } else {
                0x110000
            };
            if errors != Str::from("strict") && limit < 0x110000 {
                let cs = strs::chars_of(s);
                let out = StrBuilder::new();
                for i in 0..cs.len() {
                    let c = cs.get(i);
                    if c < limit {
                        out.push_byte(c as u8);
                    } else if errors == Str::from("replace") {
                        out.push_byte(b'?');
                    } else if errors == Str::from("backslashreplace") {
                        out.push_str(strs::ascii(strs::encode_char(c)));
                    } else if errors == Str::from("xmlcharrefreplace") {
                        out.push_str(
                            Str::from("&#")
                                .concat(Str::from_i64(c))
                                .concat(Str::from(";")),
                        );
                    }
                }
                return Ok(crate::bytes::new_bytes(vm, out.build()));
            }
            if e == Str::from("utf-16-le")
                || e == Str::from("utf-16-be")
                || e == Str::from("utf-16")
                || e == Str::from("utf-32-le")
                || e == Str::from("utf-32")
            {
                return Ok(crate::bytes::new_bytes(vm, py_encode_wide(s, e)));
            }
            if e == Str::from("ascii") {
                for i in 0..s.len() {
                    if s.byte_at(i) >= 128 {
                        let cs = strs::chars_of(s);
                        let mut pos: i64 = 0;
                        for k in 0..cs.len() {
                            if cs.get(k) >= 128 {
                                pos = k as i64;
                                break;
                            }
                        }
                        return Err(new_exc(
                            vm,
                            T_UNICODE_ENCODE_ERROR,
                            Str::from("'ascii' codec can't encode character '\\x")
                                .concat(strs::hex_digits(cs.get(pos as usize), 2))
                                .concat(Str::from("' in position "))
                                .concat(Str::from_i64(pos))
                                .concat(Str::from(": ordinal not in range(128)")),
                        ));
                    }
                }
            }
            if e == Str::from("latin-1") || e == Str::from("latin1") || e == Str::from("iso-8859-1")
            {
                return Ok(crate::bytes::new_bytes(vm, crate::bytes::utf8_to_latin1(s)));
            }
            Ok(crate::bytes::new_bytes(vm, s))
        }
        S_SPLITLINES => {
            let keep = arg(args, names, 0, Str::from("keepends"));
            let keepends = if keep.is_null() {
                false
            } else {
                ops::truthy(vm, keep)?
            };
            let out: GcList<Value> = GcList::new();
            let mut start: usize = 0;
            let mut i: usize = 0;
            while i < s.len() {
                let c = s.byte_at(i);
                if c == b'\n' || c == b'\r' {
                    let mut e = i + 1;
                    if c == b'\r' && e < s.len() && s.byte_at(e) == b'\n' {
                        e += 1;
                    }
                    out.push(new_str(vm, s.slice(start, if keepends { e } else { i })));
                    start = e;
                    i = e;
                } else {
                    i += 1;
                }
            }
            if start < s.len() {
                out.push(new_str(vm, s.slice(start, s.len())));
            }
            Ok(ops::new_list(vm, out))
        }
        S_PARTITION | S_RPARTITION => {
            let sep = str_param(vm, args.get(0))?;
            if sep.is_empty() {
                return value_error(vm, Str::from("empty separator"));
            }
            let found = if id == S_PARTITION {
                s.find(sep, 0)
            } else {
                strs::rfind(s, sep, 0, s.len())
            };
            let t = GcArray::new(3, Value::Nil);
            match found {
                Some(p) => {
                    t.set(0, new_str(vm, s.slice(0, p)));
                    t.set(1, new_str(vm, sep));
                    t.set(2, new_str(vm, s.slice(p + sep.len(), s.len())));
                }
                None => {
                    let empty = new_str(vm, Str::from(""));
                    if id == S_PARTITION {
                        t.set(0, selfv);
                        t.set(1, empty);
                        t.set(2, empty);
                    } else {
                        t.set(0, empty);
                        t.set(1, empty);
                        t.set(2, selfv);
                    }
                }
            }
            Ok(ops::new_tuple(vm, t))
        }
        S_CASEFOLD => Ok(new_str(vm, py_unicode(s, 2))),
        S_ISTITLE => {
            let cs = strs::chars_of(s);
            let mut prev_cased = false;
            let mut any = false;
            for i in 0..cs.len() {
                let c = cs.get(i);
                let up = py_char_is(c, 4);
                let low = py_char_is(c, 3);
                if up {
                    if prev_cased {
                        return Ok(Value::Bool(false));
                    }
                    prev_cased = true;
                    any = true;
                } else if low {
                    if !prev_cased {
                        return Ok(Value::Bool(false));
                    }
                    prev_cased = true;
                    any = true;
                } else {
                    prev_cased = false;
                }
            }
            Ok(Value::Bool(any))
        }
        S_ISDECIMAL | S_ISNUMERIC | S_ISPRINTABLE | S_ISASCII | S_ISIDENTIFIER => {
            let cs = strs::chars_of(s);
            if cs.len() == 0 {
                return Ok(Value::Bool(id == S_ISPRINTABLE || id == S_ISASCII));
            }
            for i in 0..cs.len() {
                let c = cs.get(i);
                let ok = match id {
                    S_ISDECIMAL => py_char_is(c, 5),
                    S_ISNUMERIC => py_char_is(c, 6),
                    S_ISPRINTABLE => py_char_is(c, 7),
                    S_ISASCII => c < 128,
                    _ => {
                        if i == 0 {
                            c == 95 || py_char_is(c, 0) || py_char_is(c, 8)
                        } else {
                            c == 95 || py_char_is(c, 0) || py_char_is(c, 8) || py_char_is(c, 5)
                        }
                    }
                };
                if !ok {
                    return Ok(Value::Bool(false));
                }
            }
            Ok(Value::Bool(true))
        }
        S_EXPANDTABS => {
            let ts = if np > 0 {
                ops::index_of(vm, args.get(0))?
            } else {
                8
            };
            let out = StrBuilder::new();
            let mut col: i64 = 0;
            let mut b: usize = 0;
            while b < s.len() {
                let (c, k) = strs::decode_at(s, b);
                if c == 9 {
                    if ts > 0 {
                        let spaces = ts - col % ts;
                        for _ in 0..spaces {
                            out.push_byte(b' ');
                        }
                        col += spaces;
                    }
                } else if c == 10 || c == 13 {
                    out.push_byte(c as u8);
                    col = 0;
                } else {
                    out.push_str(s.slice(b, b + k));
                    col += 1;
                }
                b += k;
            }
            Ok(new_str(vm, out.build()))
        }
        S_MAKETRANS => Err(new_exc(
            vm,
            T_TYPE_ERROR,
            Str::from("maketrans() is a static method"),
        )),
        S_TRANSLATE => {
            let table = args.get(0);
            let out = StrBuilder::new();
            let mut b: usize = 0;
            while b < s.len() {
                let (c, k) = strs::decode_at(s, b);
                let r = match ops::getitem(vm, table, Value::Int(c)) {
                    Ok(v) => v,
                    Err(e) => {
                        if is_instance_id(vm, e, T_LOOKUP_ERROR) {
                            Value::Null
                        } else {
                            return Err(e);
                        }
                    }
                };
                if r.is_null() {
                    out.push_str(s.slice(b, b + k));
                } else if r.is_nil() {
                } else if let Value::Int(x) = r {
                    strs::push_char(out, x);
                } else {
                    out.push_str(str_param(vm, r)?);
                }
                b += k;
            }
            Ok(new_str(vm, out.build()))
        }
        S_FORMAT_MAP => {
            let m = args.get(0);
            let (ks, vs) = crate::dict::items_of(vm, m);
            let all = GcArray::new(ks.len(), Value::Nil);
            let nm = GcArray::new(ks.len(), Str::from(""));
            for i in 0..ks.len() {
                all.set(i, vs.get(i));
                nm.set(i, strs::as_str(ks.get(i)).unwrap_or(Str::from("")));
            }
            crate::strformat::format_method(vm, s, all, nm)
        }
        S_REMOVEPREFIX => {
            let p = str_param(vm, args.get(0))?;
            if s.starts_with(p) {
                return Ok(new_str(vm, s.slice(p.len(), s.len())));
            }
            Ok(selfv)
        }
        S_REMOVESUFFIX => {
            let p = str_param(vm, args.get(0))?;
            if s.ends_with(p) && !p.is_empty() {
                return Ok(new_str(vm, s.slice(0, s.len() - p.len())));
            }
            Ok(selfv)
        }
        _ => type_error(
            vm,
            builtin_name(id).concat(Str::from("() is not supported by pyvm yet")),
        ),
    }
}

fn upper_char(c: i64) -> i64 {
    if c >= 97 && c <= 122 {
        return c - 32;
    }
    if (c >= 0xE0 && c <= 0xFE && c != 0xF7)
        || (c >= 0x3B1 && c <= 0x3C9 && c != 0x3C2)
        || (c >= 0x430 && c <= 0x44F)
    {
        return c - 32;
    }
    c
}

fn lower_char(c: i64) -> i64 {
    if c >= 65 && c <= 90 {
        return c + 32;
    }
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        || (c >= 0x391 && c <= 0x3A9)
        || (c >= 0x410 && c <= 0x42F)
    {
        return c + 32;
    }
    c
}

/// 0 lower, 1 upper, 2 swapcase.
fn case_map(s: Str, mode: i64) -> Str {
    let out = StrBuilder::new();
    let mut b: usize = 0;
    while b < s.len() {
        let (c, k) = strs::decode_at(s, b);
        let m = if mode == 0 {
            lower_char(c)
        } else if mode == 1 {
            if c == 0xDF {
                out.push_str(Str::from("SS"));
                b += k;
                continue;
            }
            upper_char(c)
        } else if upper_char(c) != c {
            upper_char(c)
        } else {
            lower_char(c)
        };
        strs::push_char(out, m);
        b += k;
    }
    out.build()
}

/// `bytes.decode(encoding, errors)` / `str(b, encoding, errors)`: UTF-8, ASCII and latin-1;
/// `errors` is `strict`, `replace` (U+FFFD) or `ignore`.
pub fn decode(vm: Gc<Vm>, b: Value, enc: Value, errors_v: Value) -> Result<Value, Value> {
    let s = crate::bytes::bytes_of(vm, b)?;
    let e = if enc.is_null() || enc.is_nil() {
        Str::from("utf-8")
    } else {
        strs::to_lower(str_param(vm, enc)?)
    };
    let errors = if errors_v.is_null() || errors_v.is_nil() {
        Str::from("strict")
    } else {
        str_param(vm, errors_v)?
    };
    if e == Str::from("latin-1") || e == Str::from("latin1") || e == Str::from("iso-8859-1") {
        return Ok(new_str(vm, crate::bytes::latin1_to_utf8(s)));
    }
    let ascii = e == Str::from("ascii");
    let out = StrBuilder::new();
    let mut i: usize = 0;
    while i < s.len() {
        let c = s.byte_at(i);
        let need: usize = if c < 0x80 {
            0
        } else if ascii {
            99
        } else if c >= 0xC2 && c < 0xE0 {
            1
        } else if c >= 0xE0 && c < 0xF0 {
            2
        } else if c >= 0xF0 && c < 0xF5 {
            3
        } else {
            99
        };
        let mut bad = need == 99 || (need > 0 && i + need >= s.len());
        if !bad {
            for k in 1..need + 1 {
                if s.byte_at(i + k) & 0xC0 != 0x80 {
                    bad = true;
                }
            }
        }
        if bad {
            if errors == Str::from("replace") {
                strs::push_char(out, 0xFFFD);
                i += 1;
                continue;
            }
            if errors == Str::from("ignore") {
                i += 1;
                continue;
            }
            let codec = if ascii {
                Str::from("'ascii'")
            } else {
                Str::from("'utf-8'")
            };
            let why = if ascii {
                Str::from("ordinal not in range(128)")
            } else if need == 99 {
                Str::from("invalid start byte")
            } else if i + need >= s.len() {
                Str::from("unexpected end of data")
            } else {
                Str::from("invalid continuation byte")
            };
            return Err(new_exc(
                vm,
                T_UNICODE_DECODE_ERROR,
                codec
                    .concat(Str::from(" codec can't decode byte 0x"))
                    .concat(strs::hex_digits(c as i64, 2))
                    .concat(Str::from(" in position "))
                    .concat(Str::from_i64(i as i64))
                    .concat(Str::from(": "))
                    .concat(why),
            ));
        }
        out.push_str(s.slice(i, i + need + 1));
        i += need + 1;
    }
    Ok(new_str(vm, out.build()))
}

/// `bytes(...)` / `bytearray(...)`.
pub fn make_bytes(
    vm: Gc<Vm>,
    layout: i64,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let np = npos(args, names);
    let s = if np == 0 {
        Str::from("")
    } else {
        let a = args.get(0);
        match ops::int_view(a) {
            ops::IntView::Small(k) => {
                if k < 0 {
                    return value_error(vm, Str::from("negative count"));
                }
                Str::from_byte(0).repeat(k as usize)
            }
            _ => {
                if let Some(t) = strs::as_str(a) {
                    let enc = arg(args, names, 1, Str::from("encoding"));
                    if enc.is_null() {
                        return type_error(vm, Str::from("string argument without an encoding"));
                    }
                    let e = strs::to_lower(str_param(vm, enc)?);
                    if e == Str::from("latin-1") || e == Str::from("latin1") {
                        crate::bytes::utf8_to_latin1(t)
                    } else {
                        t
                    }
                } else if crate::bytes::is_bytes_like(a) {
                    crate::bytes::bytes_of(vm, a)?
                } else {
                    let items = ops::to_list(vm, a)?;
                    let b = StrBuilder::new();
                    for i in 0..items.len() {
                        let c = ops::index_of(vm, items.get(i))?;
                        if c < 0 || c > 255 {
                            return value_error(vm, Str::from("bytes must be in range(0, 256)"));
                        }
                        b.push_byte(c as u8);
                    }
                    b.build()
                }
            }
        }
    };
    if layout == T_BYTEARRAY {
        return Ok(crate::bytes::new_bytearray(vm, s));
    }
    Ok(crate::bytes::new_bytes(vm, s))
}
