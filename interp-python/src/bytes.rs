//! `bytes` (an immutable `Str` of raw bytes) and `bytearray` (a `GcList<u8>`).

use crate::exc::*;
use crate::object::*;
use crate::opcode::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, GcList, Str, StrBuilder};

/// The bytes of a bytes or bytearray value.
pub fn bytes_of(vm: Gc<Vm>, v: Value) -> Result<Str, Value> {
    if let Value::Obj(o) = v {
        match o.kind {
            Kind::Bytes(s) => return Ok(s),
            Kind::ByteArray(l) => {
                let b = StrBuilder::new();
                for i in 0..l.len() {
                    b.push_byte(l.get(i));
                }
                return Ok(b.build());
            }
            _ => {}
        }
    }
    Err(new_exc(
        vm,
        T_TYPE_ERROR,
        Str::from("a bytes-like object is required, not '")
            .concat(type_name(vm, v))
            .concat(Str::from("'")),
    ))
}

pub fn is_bytes_like(v: Value) -> bool {
    if let Value::Obj(o) = v {
        return matches!(o.kind, Kind::Bytes(_) | Kind::ByteArray(_));
    }
    false
}

pub fn new_bytes(vm: Gc<Vm>, s: Str) -> Value {
    new_obj(ty(vm, T_BYTES), Kind::Bytes(s))
}

pub fn new_bytearray(vm: Gc<Vm>, s: Str) -> Value {
    let l: GcList<u8> = GcList::with_capacity(s.len());
    for i in 0..s.len() {
        l.push(s.byte_at(i));
    }
    new_obj(ty(vm, T_BYTEARRAY), Kind::ByteArray(l))
}

fn same_type_result(vm: Gc<Vm>, a: Value, s: Str) -> Value {
    if let Value::Obj(o) = a {
        if let Kind::ByteArray(_) = o.kind {
            return new_bytearray(vm, s);
        }
    }
    new_bytes(vm, s)
}

pub fn binop(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<Value, Value> {
    let s = bytes_of(vm, a)?;
    if op == OP_ADD {
        if !is_bytes_like(b) {
            return type_error(
                vm,
                Str::from("can't concat ")
                    .concat(type_name(vm, b))
                    .concat(Str::from(" to "))
                    .concat(type_name(vm, a)),
            );
        }
        let t = bytes_of(vm, b)?;
        return Ok(same_type_result(vm, a, s.concat(t)));
    }
    if op == OP_MUL {
        if let ops::IntView::Small(k) = ops::int_view(b) {
            let k = if k < 0 { 0 } else { k as usize };
            return Ok(same_type_result(vm, a, s.repeat(k)));
        }
    }
    if op == OP_MOD {
        // %-formatting on bytes: format as str over latin-1 text, then back.
        let text = strs::new_str(vm, latin1_to_utf8(s));
        // Bytes arguments are inserted raw (as latin-1 text).
        let conv = if let Some(t) = crate::ops::as_tuple(b) {
            let a = vmkit::GcArray::new(t.len(), Value::Nil);
            for i in 0..t.len() {
                let x = t.get(i);
                a.set(
                    i,
                    if is_bytes_like(x) {
                        strs::new_str(vm, latin1_to_utf8(bytes_of(vm, x)?))
                    } else {
                        x
                    },
                );
            }
            crate::ops::new_tuple(vm, a)
        } else if is_bytes_like(b) {
            strs::new_str(vm, latin1_to_utf8(bytes_of(vm, b)?))
        } else {
            b
        };
        let r = crate::format::percent(vm, text, conv)?;
        let rs = strs::as_str(r).unwrap_or(Str::from(""));
        return Ok(new_bytes(vm, utf8_to_latin1(rs)));
    }
    Ok(Value::Null)
}

pub fn latin1_to_utf8(s: Str) -> Str {
    let b = StrBuilder::new();
    for i in 0..s.len() {
        strs::push_char(b, s.byte_at(i) as i64);
    }
    b.build()
}

pub fn utf8_to_latin1(s: Str) -> Str {
    let out = StrBuilder::new();
    let mut i: usize = 0;
    while i < s.len() {
        let (c, k) = strs::decode_at(s, i);
        out.push_byte((c & 255) as u8);
        i += k;
    }
    out.build()
}

pub fn contains(vm: Gc<Vm>, container: Value, x: Value) -> Result<bool, Value> {
    let s = bytes_of(vm, container)?;
    if let ops::IntView::Small(c) = ops::int_view(x) {
        if c < 0 || c >= 256 {
            return Err(new_exc(
                vm,
                T_VALUE_ERROR,
                Str::from("byte must be in range(0, 256)"),
            ));
        }
        for i in 0..s.len() {
            if s.byte_at(i) as i64 == c {
                return Ok(true);
            }
        }
        return Ok(false);
    }
    let t = bytes_of(vm, x)?;
    Ok(s.find(t, 0).is_some())
}

pub fn getitem(vm: Gc<Vm>, o: Value, k: Value) -> Result<Value, Value> {
    let s = bytes_of(vm, o)?;
    if let Some((a, b, c)) = ops::as_slice(k) {
        let (start, _, step, count) = ops::slice_indices(vm, a, b, c, s.len() as i64)?;
        let out = StrBuilder::new();
        for i in 0..count {
            out.push_byte(s.byte_at((start + i * step) as usize));
        }
        return Ok(same_type_result(vm, o, out.build()));
    }
    let i = ops::index_of(vm, k)?;
    let n = s.len() as i64;
    let j = if i < 0 { i + n } else { i };
    if j < 0 || j >= n {
        let what = if let Value::Obj(ob) = o {
            if let Kind::ByteArray(_) = ob.kind {
                Str::from("bytearray index out of range")
            } else {
                Str::from("index out of range")
            }
        } else {
            Str::from("index out of range")
        };
        return err(vm, T_INDEX_ERROR, what);
    }
    Ok(Value::Int(s.byte_at(j as usize) as i64))
}

pub fn setitem(vm: Gc<Vm>, o: Value, k: Value, v: Value) -> Result<Value, Value> {
    if let Value::Obj(ob) = o {
        if let Kind::ByteArray(l) = ob.kind {
            if let Some((a, b, c)) = crate::ops::as_slice(k) {
                let new = if is_bytes_like(v) {
                    bytes_of(vm, v)?
                } else {
                    let items = crate::ops::to_list(vm, v)?;
                    let sb = StrBuilder::new();
                    for i in 0..items.len() {
                        let x = crate::ops::index_of(vm, items.get(i))?;
                        if x < 0 || x >= 256 {
                            return value_error(vm, Str::from("byte must be in range(0, 256)"));
                        }
                        sb.push_byte(x as u8);
                    }
                    sb.build()
                };
                let (start, stop, step, count) =
                    crate::ops::slice_indices(vm, a, b, c, l.len() as i64)?;
                if step == 1 {
                    let stop = if stop < start { start } else { stop };
                    let old = bytes_of(vm, o)?;
                    l.clear();
                    for i in 0..(start as usize) {
                        l.push(old.byte_at(i));
                    }
                    for i in 0..new.len() {
                        l.push(new.byte_at(i));
                    }
                    for i in (stop as usize)..old.len() {
                        l.push(old.byte_at(i));
                    }
                    return Ok(Value::Nil);
                }
                if new.len() as i64 != count {
                    return value_error(
                        vm,
                        Str::from("attempt to assign bytes of size ")
                            .concat(Str::from_i64(new.len() as i64))
                            .concat(Str::from(" to extended slice of size "))
                            .concat(Str::from_i64(count)),
                    );
                }
                for i in 0..count {
                    l.set((start + i * step) as usize, new.byte_at(i as usize));
                }
                return Ok(Value::Nil);
            }
            let i = ops::index_of(vm, k)?;
            let n = l.len() as i64;
            let j = if i < 0 { i + n } else { i };
            if j < 0 || j >= n {
                return err(vm, T_INDEX_ERROR, Str::from("bytearray index out of range"));
            }
            let c = ops::index_of(vm, v)?;
            if c < 0 || c >= 256 {
                return value_error(vm, Str::from("byte must be in range(0, 256)"));
            }
            l.set(j as usize, c as u8);
            return Ok(Value::Nil);
        }
    }
    type_error(
        vm,
        Str::from("'bytes' object does not support item assignment"),
    )
}

pub fn repr_bytes(s: Str) -> Str {
    let has_single = s.find(Str::from("'"), 0).is_some();
    let has_double = s.find(Str::from("\""), 0).is_some();
    let quote = if has_single && !has_double {
        b'"'
    } else {
        b'\''
    };
    let out = StrBuilder::new();
    out.push_byte(b'b');
    out.push_byte(quote);
    for i in 0..s.len() {
        let c = s.byte_at(i);
        if c == quote || c == b'\\' {
            out.push_byte(b'\\');
            out.push_byte(c);
        } else if c == b'\n' {
            out.push_str(Str::from("\\n"));
        } else if c == b'\r' {
            out.push_str(Str::from("\\r"));
        } else if c == b'\t' {
            out.push_str(Str::from("\\t"));
        } else if c < 32 || c >= 127 {
            out.push_str(Str::from("\\x"));
            out.push_str(strs::hex_digits(c as i64, 2));
        } else {
            out.push_byte(c);
        }
    }
    out.push_byte(quote);
    out.build()
}
