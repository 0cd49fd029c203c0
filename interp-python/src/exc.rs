//! Exceptions: creating and raising built-in exceptions, matching, and printing tracebacks as
//! CPython does.

use crate::object::*;
use crate::strs;
use crate::types::*;
use vmkit::io;
use vmkit::{Gc, GcArray, GcList, GcMap, Mut, Str, StrBuilder};

/// The result of every operation that can raise: the error is the exception object.
pub fn exc_data(e: Value) -> Option<Gc<ExcData>> {
    if let Value::Obj(o) = e {
        if let Kind::Exception(d) = o.kind {
            return Some(d);
        }
    }
    None
}

/// A new exception instance of class `cls` with `args` (a tuple value).
pub fn new_exc_obj(cls: Value, args: Value) -> Value {
    new_obj_with_attrs(
        cls,
        Kind::Exception(Gc::new(ExcData {
            args: Mut::new(args),
            cause: Mut::new(Value::Nil),
            context: Mut::new(Value::Nil),
            suppress: Mut::new(false),
            tb: GcList::new(),
        })),
    )
}

/// A new built-in exception with one string argument.
pub fn new_exc(vm: Gc<Vm>, id: i64, msg: Str) -> Value {
    let args = GcArray::new(1, strs::new_str(vm, msg));
    new_exc_obj(ty(vm, id), crate::ops::new_tuple(vm, args))
}

pub fn new_exc_noargs(vm: Gc<Vm>, id: i64) -> Value {
    new_exc_obj(ty(vm, id), vm.empty_tuple)
}

pub fn err(vm: Gc<Vm>, id: i64, msg: Str) -> Result<Value, Value> {
    Err(new_exc(vm, id, msg))
}

pub fn type_error(vm: Gc<Vm>, msg: Str) -> Result<Value, Value> {
    err(vm, T_TYPE_ERROR, msg)
}

pub fn value_error(vm: Gc<Vm>, msg: Str) -> Result<Value, Value> {
    err(vm, T_VALUE_ERROR, msg)
}

/// `KeyError(key)`.
pub fn key_error(vm: Gc<Vm>, key: Value) -> Result<Value, Value> {
    let args = GcArray::new(1, key);
    Err(new_exc_obj(
        ty(vm, T_KEY_ERROR),
        crate::ops::new_tuple(vm, args),
    ))
}

/// Does the exception match `t` (a class or a tuple of classes), as in `except t:`?
pub fn matches(vm: Gc<Vm>, e: Value, t: Value) -> Result<bool, Value> {
    if let Value::Obj(o) = t {
        if let Kind::Tuple(items) = o.kind {
            for i in 0..items.len() {
                if matches(vm, e, items.get(i))? {
                    return Ok(true);
                }
            }
            return Ok(false);
        }
    }
    match as_class(t) {
        Some(_) => {
            if !is_subclass(t, ty(vm, T_BASE_EXCEPTION)) {
                return Err(new_exc(
                    vm,
                    T_TYPE_ERROR,
                    Str::from(
                        "catching classes that do not inherit from BaseException is not allowed",
                    ),
                ));
            }
            Ok(is_subclass(class_of(vm, e), t))
        }
        None => Err(new_exc(
            vm,
            T_TYPE_ERROR,
            Str::from("catching classes that do not inherit from BaseException is not allowed"),
        )),
    }
}

/// Appends a traceback entry (code, line) to `e`.
pub fn add_traceback(e: Value, code: Gc<Code>, line: i64) {
    if let Some(d) = exc_data(e) {
        d.tb.push(Value::Obj(Gc::new(Object {
            cls: Mut::new(Value::Null),
            kind: Kind::Code(code),
            attrs: Mut::new(None),
            shape: Mut::new(None),
            slots: Mut::new(None),
            ident: Mut::new(0),
        })));
        d.tb.push(Value::Int(line));
    }
}

/// The `n`th line (1-based) of a file, stripped of surrounding whitespace; empty if unknown.
pub fn source_line(file: Str, n: i64) -> Str {
    match io::read_file(file) {
        Some(text) => {
            let mut line: i64 = 1;
            let mut start: usize = 0;
            let mut i: usize = 0;
            while i < text.len() {
                if text.byte_at(i) == b'\n' {
                    if line == n {
                        return strs::strip_bytes(text.slice(start, i));
                    }
                    line += 1;
                    start = i + 1;
                }
                i += 1;
            }
            if line == n {
                return strs::strip_bytes(text.slice(start, text.len()));
            }
            Str::from("")
        }
        None => Str::from(""),
    }
}

fn format_tb(out: StrBuilder, e: Value) {
    if let Some(d) = exc_data(e) {
        if d.tb.len() == 0 {
            return;
        }
        out.push_str(Str::from("Traceback (most recent call last):\n"));
        let mut i = d.tb.len();
        while i >= 2 {
            i -= 2;
            let code = match d.tb.get(i) {
                Value::Obj(o) => match o.kind {
                    Kind::Code(c) => c,
                    _ => return,
                },
                _ => return,
            };
            let line = match d.tb.get(i + 1) {
                Value::Int(n) => n,
                _ => 0,
            };
            out.push_str(Str::from("  File \""));
            out.push_str(code.filename);
            out.push_str(Str::from("\", line "));
            out.push_str(Str::from_i64(line));
            out.push_str(Str::from(", in "));
            out.push_str(code.name);
            out.push_str(Str::from("\n"));
            let src = source_line(code.filename, line);
            if !src.is_empty() {
                out.push_str(Str::from("    "));
                out.push_str(src);
                out.push_str(Str::from("\n"));
            }
        }
    }
}

/// The last line of a traceback: `ValueError: message` (or just the class name).
pub fn format_exc_line(vm: Gc<Vm>, e: Value) -> Str {
    let cls = class_of(vm, e);
    let cd = class_data(cls);
    let out = StrBuilder::new();
    let module = match cd.dict.get(Str::from("__module__")) {
        Some(m) => match strs::as_str(m) {
            Some(s) => s,
            None => Str::from("builtins"),
        },
        None => Str::from("builtins"),
    };
    if !cd.is_builtin && module != Str::from("__main__") && module != Str::from("builtins") {
        out.push_str(module);
        out.push_str(Str::from("."));
    }
    out.push_str(cd.qualname.get());
    let msg = match crate::ops::str_of(vm, e) {
        Ok(s) => s,
        Err(_) => Str::from("<exception str() failed>"),
    };
    if !msg.is_empty() {
        out.push_str(Str::from(": "));
        out.push_str(msg);
    }
    out.build()
}

fn format_chain(vm: Gc<Vm>, out: StrBuilder, e: Value, depth: i64) {
    if depth < 50 {
        if let Some(d) = exc_data(e) {
            let cause = d.cause.get();
            let context = d.context.get();
            if !cause.is_nil() && !cause.is_null() {
                format_chain(vm, out, cause, depth + 1);
                out.push_str(Str::from(
                    "\nThe above exception was the direct cause of the following exception:\n\n",
                ));
            } else if !context.is_nil() && !context.is_null() && !d.suppress.get() {
                format_chain(vm, out, context, depth + 1);
                out.push_str(Str::from(
                    "\nDuring handling of the above exception, another exception occurred:\n\n",
                ));
            }
        }
    }
    format_tb(out, e);
    out.push_str(format_exc_line(vm, e));
    out.push_str(Str::from("\n"));
}

/// Prints an uncaught exception on standard error, as CPython does.
pub fn print_exception(vm: Gc<Vm>, e: Value) {
    let out = StrBuilder::new();
    format_chain(vm, out, e, 0);
    io::flush();
    io::eprint(out.build());
}

/// A dictionary-less map for exception attributes (`attrs` always exists on exceptions).
pub fn exc_attrs(e: Value) -> Option<GcMap<Str, Value>> {
    if let Value::Obj(o) = e {
        return o.attrs.get();
    }
    None
}
