//! Less common methods of built-in types: `int.to_bytes/from_bytes/bit_count/as_integer_ratio`,
//! `float.as_integer_ratio`, `bytes.fromhex`, bytearray mutation, `range.index/count`,
//! `slice.indices`.

use crate::args::{arg, npos};
use crate::bigint;
use crate::builtins::*;
use crate::exc::*;
use crate::object::*;
use crate::opcode::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, GcArray, GcList, Str, StrBuilder};

fn big(v: Value) -> Gc<bigint::BigInt> {
    match ops::int_view(v) {
        ops::IntView::Small(i) => bigint::from_i64(i),
        ops::IntView::Big(b) => b,
        ops::IntView::NotInt => bigint::from_i64(0),
    }
}

fn tuple2(vm: Gc<Vm>, a: Value, b: Value) -> Value {
    let t = GcArray::new(2, a);
    t.set(1, b);
    ops::new_tuple(vm, t)
}

fn byte_list(vm: Gc<Vm>, v: Value) -> Result<GcList<u8>, Value> {
    if let Value::Obj(o) = v {
        if let Kind::ByteArray(l) = o.kind {
            return Ok(l);
        }
    }
    Err(new_exc(
        vm,
        T_TYPE_ERROR,
        Str::from("descriptor requires a 'bytearray' object"),
    ))
}

fn byte_of(vm: Gc<Vm>, v: Value) -> Result<u8, Value> {
    let c = ops::index_of(vm, v)?;
    if c < 0 || c > 255 {
        return Err(new_exc(
            vm,
            T_VALUE_ERROR,
            Str::from("byte must be in range(0, 256)"),
        ));
    }
    Ok(c as u8)
}

fn hex_val(c: u8) -> i64 {
    if c >= b'0' && c <= b'9' {
        (c - b'0') as i64
    } else if c >= b'a' && c <= b'f' {
        (c - b'a') as i64 + 10
    } else if c >= b'A' && c <= b'F' {
        (c - b'A') as i64 + 10
    } else {
        -1
    }
}

pub fn call(
    vm: Gc<Vm>,
    id: i64,
    selfv: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = npos(args, names);
    match id {
        I_TO_BYTES => {
            let length = arg(args, names, 0, Str::from("length"));
            let order = arg(args, names, 1, Str::from("byteorder"));
            let signed = arg(args, names, 2, Str::from("signed"));
            let len = if length.is_null() {
                1
            } else {
                ops::index_of(vm, length)?
            };
            let little = match strs::as_str(order) {
                Some(s) => s == Str::from("little"),
                None => false,
            };
            let is_signed = if signed.is_null() {
                false
            } else {
                ops::truthy(vm, signed)?
            };
            let v = big(selfv);
            if v.neg && !is_signed {
                return err(
                    vm,
                    T_OVERFLOW_ERROR,
                    Str::from("can't convert negative int to unsigned"),
                );
            }
            // Two's complement modulo 256**len, with a range check.
            let bits = bigint::bit_length(v) + if is_signed { 1 } else { 0 };
            let fits = bits <= len * 8
                || (v.neg
                    && bigint::bit_length(bigint::add(v, bigint::from_i64(1))) + 1 <= len * 8);
            if !fits {
                return err(vm, T_OVERFLOW_ERROR, Str::from("int too big to convert"));
            }
            let modulus = bigint::shl(bigint::from_i64(1), (len * 8) as u64);
            let mut x = bigint::modulo(v, modulus);
            let out = GcArray::new(len as usize, 0u8);
            for i in 0..(len as usize) {
                let b = bigint::to_i64(bigint::bit_and(x, bigint::from_i64(255))).unwrap_or(0);
                let at = if little { i } else { len as usize - 1 - i };
                out.set(at, b as u8);
                x = bigint::shr(x, 8);
            }
            let sb = StrBuilder::new();
            for i in 0..out.len() {
                sb.push_byte(out.get(i));
            }
            Ok(crate::bytes::new_bytes(vm, sb.build()))
        }
        I_FROM_BYTES => {
            let data = crate::bytes::bytes_of(
                vm,
                if n > 0 {
                    args.get(0)
                } else {
                    arg(args, names, 0, Str::from("bytes"))
                },
            )?;
            let order = arg(args, names, 1, Str::from("byteorder"));
            let signed = arg(args, names, 2, Str::from("signed"));
            let little = match strs::as_str(order) {
                Some(s) => s == Str::from("little"),
                None => false,
            };
            let is_signed = if signed.is_null() {
                false
            } else {
                ops::truthy(vm, signed)?
            };
            let mut acc = bigint::from_i64(0);
            let k = data.len();
            for i in 0..k {
                let b = if little {
                    data.byte_at(k - 1 - i)
                } else {
                    data.byte_at(i)
                };
                acc = bigint::add(bigint::shl(acc, 8), bigint::from_i64(b as i64));
            }
            if is_signed && k > 0 {
                let top = if little {
                    data.byte_at(k - 1)
                } else {
                    data.byte_at(0)
                };
                if top >= 128 {
                    acc = bigint::sub(acc, bigint::shl(bigint::from_i64(1), (k * 8) as u64));
                }
            }
            Ok(ops::long_value(vm, acc))
        }
        I_BIT_COUNT => {
            let mut x = bigint::abs(big(selfv));
            let mut c: i64 = 0;
            while !bigint::is_zero(x) {
                let low = bigint::to_i64(bigint::bit_and(x, bigint::from_i64(0xffff_ffff)))
                    .unwrap_or(0) as u64;
                let mut w = low;
                while w != 0 {
                    c += (w & 1) as i64;
                    w >>= 1;
                }
                x = bigint::shr(x, 32);
            }
            Ok(Value::Int(c))
        }
        I_AS_RATIO => Ok(tuple2(vm, ops::long_value(vm, big(selfv)), Value::Int(1))),
        I_CONJUGATE => Ok(selfv),
        F_AS_RATIO => {
            let f = match selfv {
                Value::Float(f) => f,
                _ => 0.0,
            };
            if f != f {
                return value_error(vm, Str::from("cannot convert NaN to integer ratio"));
            }
            if ops::is_inf(f) {
                return err(
                    vm,
                    T_OVERFLOW_ERROR,
                    Str::from("cannot convert Infinity to integer ratio"),
                );
            }
            // Scale by 2 until integral, then reduce by the power of two.
            let mut m = f;
            let mut e: i64 = 0;
            while m != m.floor() && e < 1100 {
                m *= 2.0;
                e += 1;
            }
            let num = bigint::from_f64(m);
            let mut den = bigint::shl(bigint::from_i64(1), e as u64);
            let mut num2 = num;
            while e > 0
                && bigint::to_i64(bigint::bit_and(num2, bigint::from_i64(1))).unwrap_or(1) == 0
            {
                num2 = bigint::shr(num2, 1);
                den = bigint::shr(den, 1);
                e -= 1;
            }
            Ok(tuple2(
                vm,
                ops::long_value(vm, num2),
                ops::long_value(vm, den),
            ))
        }
        BY_FROMHEX => {
            let text = match strs::as_str(if n > 0 { args.get(0) } else { Value::Null }) {
                Some(s) => s,
                None => return type_error(vm, Str::from("fromhex() argument must be str")),
            };
            let out = StrBuilder::new();
            let mut i: usize = 0;
            while i < text.len() {
                let c = text.byte_at(i);
                if c == b' ' {
                    i += 1;
                    continue;
                }
                let hi = hex_val(c);
                let lo = if i + 1 < text.len() {
                    hex_val(text.byte_at(i + 1))
                } else {
                    -1
                };
                if hi < 0 || lo < 0 {
                    let pos = if hi < 0 { i } else { i + 1 };
                    return value_error(
                        vm,
                        Str::from("non-hexadecimal number found in fromhex() arg at position ")
                            .concat(Str::from_i64(pos as i64)),
                    );
                }
                out.push_byte((hi * 16 + lo) as u8);
                i += 2;
            }
            let bytes = out.build();
            if let Some(c) = as_class(selfv) {
                if c.builtin == T_BYTEARRAY {
                    return Ok(crate::bytes::new_bytearray(vm, bytes));
                }
            }
            Ok(crate::bytes::new_bytes(vm, bytes))
        }
        BA_EXTEND => {
            let l = byte_list(vm, selfv)?;
            let a = args.get(0);
            if crate::bytes::is_bytes_like(a) {
                let s = crate::bytes::bytes_of(vm, a)?;
                for i in 0..s.len() {
                    l.push(s.byte_at(i));
                }
            } else {
                let items = ops::to_list(vm, a)?;
                for i in 0..items.len() {
                    l.push(byte_of(vm, items.get(i))?);
                }
            }
            Ok(Value::Nil)
        }
        BA_POP => {
            let l = byte_list(vm, selfv)?;
            if l.len() == 0 {
                return err(vm, T_INDEX_ERROR, Str::from("pop from empty bytearray"));
            }
            let i = if n > 0 {
                ops::index_of(vm, args.get(0))?
            } else {
                -1
            };
            let k = if i < 0 { i + l.len() as i64 } else { i };
            if k < 0 || k >= l.len() as i64 {
                return err(vm, T_INDEX_ERROR, Str::from("pop index out of range"));
            }
            Ok(Value::Int(l.remove(k as usize) as i64))
        }
        BA_INSERT => {
            let l = byte_list(vm, selfv)?;
            let i = ops::index_of(vm, args.get(0))?;
            let len = l.len() as i64;
            let mut k = if i < 0 { i + len } else { i };
            if k < 0 {
                k = 0;
            }
            if k > len {
                k = len;
            }
            l.insert(k as usize, byte_of(vm, args.get(1))?);
            Ok(Value::Nil)
        }
        BA_REVERSE => {
            let l = byte_list(vm, selfv)?;
            let k = l.len();
            for i in 0..k / 2 {
                let a = l.get(i);
                l.set(i, l.get(k - 1 - i));
                l.set(k - 1 - i, a);
            }
            Ok(Value::Nil)
        }
        BA_CLEAR => {
            byte_list(vm, selfv)?.clear();
            Ok(Value::Nil)
        }
        BA_REMOVE => {
            let l = byte_list(vm, selfv)?;
            let c = byte_of(vm, args.get(0))?;
            for i in 0..l.len() {
                if l.get(i) == c {
                    l.remove(i);
                    return Ok(Value::Nil);
                }
            }
            value_error(vm, Str::from("value not found in bytearray"))
        }
        R_INDEX | R_COUNT => {
            let found = ops::contains_kind(vm, selfv, args.get(0))?;
            if id == R_COUNT {
                return Ok(Value::Int(found as i64));
            }
            if !found {
                return value_error(
                    vm,
                    ops::repr(vm, args.get(0))?.concat(Str::from(" is not in range")),
                );
            }
            let x = args.get(0);
            if let Some((a, _, c)) = crate::bigrange::parts(selfv) {
                if let ops::IntView::NotInt = ops::int_view(x) {
                    // Found by equality (e.g. a float): the position of the first equal item.
                    let it = crate::iter::get_iter(vm, selfv)?;
                    let mut i = 0;
                    loop {
                        let y = crate::iter::next(vm, it)?;
                        if y.is_null() || ops::eq(vm, y, x)? {
                            return Ok(Value::Int(i));
                        }
                        i += 1;
                    }
                }
                return crate::bigrange::index(vm, a, c, x);
            }
            Ok(Value::Int(0))
        }
        SL_INDICES => {
            if let Some((a, b, c)) = ops::as_slice(selfv) {
                let len = ops::index_of(vm, args.get(0))?;
                if len < 0 {
                    return value_error(vm, Str::from("length should not be negative"));
                }
                let (start, stop, step, _) = ops::slice_indices(vm, a, b, c, len)?;
                let t = GcArray::new(3, Value::Int(start));
                t.set(1, Value::Int(stop));
                t.set(2, Value::Int(step));
                return Ok(ops::new_tuple(vm, t));
            }
            type_error(vm, Str::from("indices() needs a slice"))
        }
        _ => {
            let _ = OP_ADD;
            type_error(vm, Str::from("unsupported method"))
        }
    }
}
