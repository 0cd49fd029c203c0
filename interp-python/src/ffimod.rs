//! `_ffi`: the native half of `ctypes` (the Python half is `lib/ctypes.py`), a thin layer over
//! `vmkit::ffi`: open libraries, look up symbols, call C functions with a signature string,
//! C memory and strings, and callbacks into Python functions.
//!
//! Functions (ids `M_FFI + i`): `open(path|None)`, `error()`, `sym(lib, name)`,
//! `call(fn, sig, ints, floats)`, `call_f64(...)`, `malloc(n)`, `free(p)`, `peek(p, t)`,
//! `poke(p, t, v)`, `peek_f64(p, t)`, `poke_f64(p, t, v)`, `to_cstr(bytes|str)`,
//! `from_cstr(p)` (bytes), `callback(sig, f)`, `string_at(p, n)` (bytes). `t` is a one-letter
//! C type (see `docs/dsl.md`); `ints`/`floats` are sequences of ints/floats in argument order.
//! A callback calls `f(ints_tuple, floats_tuple)` and returns its result as a C integer.

use crate::exc::new_exc;
use crate::object::*;
use crate::types::*;
use crate::{call, exc, ops, strs};
use vmkit::ffi;
use vmkit::{io, Gc, GcArray, Str, StrBuilder};

pub const M_FFI: i64 = crate::builtins::MODULE_BASE + 400;

pub fn name(i: i64) -> Str {
    match i {
        0 => Str::from("open"),
        1 => Str::from("error"),
        2 => Str::from("sym"),
        3 => Str::from("call"),
        4 => Str::from("call_f64"),
        5 => Str::from("malloc"),
        6 => Str::from("free"),
        7 => Str::from("peek"),
        8 => Str::from("poke"),
        9 => Str::from("peek_f64"),
        10 => Str::from("poke_f64"),
        11 => Str::from("to_cstr"),
        12 => Str::from("from_cstr"),
        13 => Str::from("callback"),
        14 => Str::from("string_at"),
        _ => Str::from(""),
    }
}

fn type_error(vm: Gc<Vm>, msg: Str) -> Value {
    new_exc(vm, T_TYPE_ERROR, msg)
}

fn int_arg(vm: Gc<Vm>, args: GcArray<Value>, i: usize) -> Result<i64, Value> {
    if i >= args.len() {
        return Err(type_error(vm, Str::from("_ffi: missing argument")));
    }
    ops::index_of(vm, args.get(i))
}

fn f64_arg(vm: Gc<Vm>, args: GcArray<Value>, i: usize) -> Result<f64, Value> {
    if i >= args.len() {
        return Err(type_error(vm, Str::from("_ffi: missing argument")));
    }
    match args.get(i) {
        Value::Float(x) => Ok(x),
        Value::Int(n) => Ok(n as f64),
        Value::Bool(b) => Ok(if b { 1.0 } else { 0.0 }),
        _ => Err(type_error(vm, Str::from("_ffi: expected a float"))),
    }
}

/// The bytes of a str or bytes argument.
fn bytes_arg(vm: Gc<Vm>, args: GcArray<Value>, i: usize) -> Result<Str, Value> {
    if i < args.len() {
        if let Value::Obj(o) = args.get(i) {
            match o.kind {
                Kind::Str(s, _) => return Ok(s),
                Kind::Bytes(s) => return Ok(s),
                _ => {}
            }
        }
    }
    Err(type_error(vm, Str::from("_ffi: expected str or bytes")))
}

fn letter(vm: Gc<Vm>, args: GcArray<Value>, i: usize) -> Result<u8, Value> {
    let s = bytes_arg(vm, args, i)?;
    if s.len() != 1 {
        return Err(type_error(
            vm,
            Str::from("_ffi: expected a one-letter C type"),
        ));
    }
    Ok(s.byte_at(0))
}

fn int_array(vm: Gc<Vm>, v: Value) -> Result<GcArray<i64>, Value> {
    let items = ops::to_list(vm, v)?;
    let a: GcArray<i64> = GcArray::new(items.len(), 0);
    for i in 0..items.len() {
        a.set(i, ops::index_of(vm, items.get(i))?);
    }
    Ok(a)
}

fn float_array(vm: Gc<Vm>, v: Value) -> Result<GcArray<f64>, Value> {
    let items = ops::to_list(vm, v)?;
    let a: GcArray<f64> = GcArray::new(items.len(), 0.0);
    for i in 0..items.len() {
        let x = match items.get(i) {
            Value::Float(x) => x,
            Value::Int(n) => n as f64,
            _ => return Err(type_error(vm, Str::from("_ffi: expected a float"))),
        };
        a.set(i, x);
    }
    Ok(a)
}

fn addr(vm: Gc<Vm>, args: GcArray<Value>, i: usize) -> Result<usize, Value> {
    let p = int_arg(vm, args, i)?;
    if p == 0 {
        return Err(new_exc(vm, T_VALUE_ERROR, Str::from("NULL pointer access")));
    }
    Ok(p as usize)
}

pub fn call_func(vm: Gc<Vm>, i: i64, args: GcArray<Value>) -> Result<Value, Value> {
    match i {
        0 => {
            let path = if args.len() == 0 || args.get(0).is_nil() {
                Str::from("")
            } else {
                bytes_arg(vm, args, 0)?
            };
            Ok(Value::Int(ffi::open(path) as i64))
        }
        1 => Ok(strs::new_str(vm, ffi::error())),
        2 => {
            let lib = int_arg(vm, args, 0)? as usize;
            let name = bytes_arg(vm, args, 1)?;
            Ok(Value::Int(ffi::symbol(lib, name) as i64))
        }
        3 | 4 => {
            let f = int_arg(vm, args, 0)? as usize;
            if f == 0 {
                return Err(new_exc(
                    vm,
                    T_VALUE_ERROR,
                    Str::from("NULL function pointer"),
                ));
            }
            let sig = bytes_arg(vm, args, 1)?;
            if args.len() < 4 {
                return Err(type_error(vm, Str::from("_ffi.call: missing argument")));
            }
            let ints = int_array(vm, args.get(2))?;
            let floats = float_array(vm, args.get(3))?;
            if i == 3 {
                Ok(Value::Int(ffi::call(f, sig, ints, floats)))
            } else {
                Ok(Value::Float(ffi::call_f64(f, sig, ints, floats)))
            }
        }
        5 => {
            let n = int_arg(vm, args, 0)?;
            if n < 0 {
                return Err(new_exc(vm, T_VALUE_ERROR, Str::from("negative size")));
            }
            Ok(Value::Int(ffi::malloc(n as usize) as i64))
        }
        6 => {
            let p = int_arg(vm, args, 0)?;
            if p != 0 {
                ffi::free(p as usize);
            }
            Ok(Value::Nil)
        }
        7 => {
            let p = addr(vm, args, 0)?;
            let t = letter(vm, args, 1)?;
            Ok(Value::Int(ffi::peek(p, t)))
        }
        8 => {
            let p = addr(vm, args, 0)?;
            let t = letter(vm, args, 1)?;
            let v = int_arg(vm, args, 2)?;
            ffi::poke(p, t, v);
            Ok(Value::Nil)
        }
        9 => {
            let p = addr(vm, args, 0)?;
            let t = letter(vm, args, 1)?;
            Ok(Value::Float(ffi::peek_f64(p, t)))
        }
        10 => {
            let p = addr(vm, args, 0)?;
            let t = letter(vm, args, 1)?;
            let v = f64_arg(vm, args, 2)?;
            ffi::poke_f64(p, t, v);
            Ok(Value::Nil)
        }
        11 => {
            let s = bytes_arg(vm, args, 0)?;
            Ok(Value::Int(ffi::to_cstr(s) as i64))
        }
        12 => {
            let p = int_arg(vm, args, 0)?;
            Ok(crate::bytes::new_bytes(vm, ffi::from_cstr(p as usize)))
        }
        13 => {
            let sig = bytes_arg(vm, args, 0)?;
            if args.len() < 2 {
                return Err(type_error(vm, Str::from("_ffi.callback: missing argument")));
            }
            let id = vm.ffi_callbacks.len() as i64;
            vm.ffi_callbacks.push(args.get(1));
            Ok(Value::Int(ffi::callback(sig, id, vm) as i64))
        }
        14 => {
            let p = addr(vm, args, 0)?;
            let n = int_arg(vm, args, 1)?;
            let b = StrBuilder::new();
            let mut k: i64 = 0;
            while k < n {
                b.push_byte(ffi::peek(p + k as usize, b'B') as u8);
                k += 1;
            }
            Ok(crate::bytes::new_bytes(vm, b.build()))
        }
        _ => Err(type_error(vm, Str::from("unknown _ffi function"))),
    }
}

/// C callbacks land here: calls the Python function registered under `id` with a tuple of the
/// integer-class and a tuple of the float-class arguments; an int result is the C result, a
/// float result is passed as its bits (for `d` callbacks); an exception is reported as CPython
/// does ("Exception ignored on calling ctypes callback function") and the C result is 0.
#[vmkit::ffi_callback]
pub fn on_ffi_callback(vm: Gc<Vm>, id: i64, ints: GcArray<i64>, floats: GcArray<f64>) -> i64 {
    let f = vm.ffi_callbacks.get(id as usize);
    let ia: GcArray<Value> = GcArray::new(ints.len(), Value::Nil);
    for i in 0..ints.len() {
        ia.set(i, Value::Int(ints.get(i)));
    }
    let fa: GcArray<Value> = GcArray::new(floats.len(), Value::Nil);
    for i in 0..floats.len() {
        fa.set(i, Value::Float(floats.get(i)));
    }
    let args: GcArray<Value> = GcArray::new(2, Value::Nil);
    args.set(0, ops::new_tuple(vm, ia));
    args.set(1, ops::new_tuple(vm, fa));
    match call::call(vm, f, args, vm.no_names) {
        Ok(Value::Int(n)) => n,
        Ok(Value::Bool(b)) => {
            if b {
                1
            } else {
                0
            }
        }
        // A double result travels as its bits (the trampoline reinterprets them).
        Ok(Value::Float(x)) => {
            let m = ffi::malloc(8);
            ffi::poke_f64(m, b'd', x);
            let bits = ffi::peek(m, b'l');
            ffi::free(m);
            bits
        }
        Ok(_) => 0,
        Err(e) => {
            io::flush();
            let r = match ops::repr(vm, f) {
                Ok(s) => s,
                Err(_) => Str::from("?"),
            };
            io::eprint(
                Str::from("Exception ignored on calling ctypes callback function: ")
                    .concat(r)
                    .concat(Str::from("\n")),
            );
            exc::print_exception(vm, e);
            0
        }
    }
}
