//! `repr()` and `str()` of every kind of value.

use crate::bigint;
use crate::call;
use crate::exc::*;
use crate::format::py_fmt_float;
use crate::object::*;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, Str, StrBuilder};

fn addr(vm: Gc<Vm>, o: Gc<Object>) -> Str {
    Str::from("0x").concat(strs::hex_digits(crate::builtins::object_id(vm, o), 12))
}

fn class_repr(vm: Gc<Vm>, c: Value) -> Str {
    let cd = class_data(c);
    let _ = vm;
    let module = if cd.is_builtin {
        Str::from("")
    } else {
        match cd.dict.get(Str::from("__module__")) {
            Some(m) => match strs::as_str(m) {
                Some(s) => s.concat(Str::from(".")),
                None => Str::from(""),
            },
            None => Str::from(""),
        }
    };
    Str::from("<class '")
        .concat(module)
        .concat(cd.qualname.get())
        .concat(Str::from("'>"))
}

/// Decimal text of a big integer, with CPython's limit on the number of digits
/// (`sys.set_int_max_str_digits`, 4300 by default, 0 = none).
pub fn long_to_decimal(vm: Gc<Vm>, b: Gc<bigint::BigInt>) -> Result<Str, Value> {
    let limit = vm.int_max_str_digits.get();
    // More than limit * log2(10) + 1 bits: certainly more digits than the limit.
    if limit > 0 && bigint::bit_length(b) > limit * 3322 / 1000 + 16 {
        return Err(int_digits_error(vm));
    }
    let s = bigint::to_str(b, 10);
    let digits = if b.neg {
        s.len() as i64 - 1
    } else {
        s.len() as i64
    };
    if limit > 0 && digits > limit {
        return Err(int_digits_error(vm));
    }
    Ok(s)
}

fn int_digits_error(vm: Gc<Vm>) -> Value {
    new_exc(
        vm,
        T_VALUE_ERROR,
        Str::from("Exceeds the limit (")
            .concat(Str::from_i64(vm.int_max_str_digits.get()))
            .concat(Str::from(" digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit")),
    )
}

pub fn float_repr(f: f64) -> Str {
    py_fmt_float(f, b'r', 0, false)
}

/// `repr(v)`.
pub fn repr(vm: Gc<Vm>, v: Value) -> Result<Str, Value> {
    match v {
        Value::Null => Ok(Str::from("<NULL>")),
        Value::Nil => Ok(Str::from("None")),
        Value::Bool(b) => Ok(if b {
            Str::from("True")
        } else {
            Str::from("False")
        }),
        Value::Int(i) => Ok(Str::from_i64(i)),
        Value::Float(f) => Ok(float_repr(f)),
        Value::Obj(o) => {
            let cls = o.cls.get();
            if is_user_class(cls) {
                let f = lookup_user(cls, Str::from("__repr__"));
                if !f.is_null() {
                    let depth = vm.depth.get();
                    if depth >= vm.recursion_limit.get() || depth >= call::MAX_DEPTH {
                        return Err(call::recursion_error(vm));
                    }
                    let r = call::call1(vm, f, v)?;
                    return match strs::as_str(r) {
                        Some(s) => Ok(s),
                        None => Err(new_exc(
                            vm,
                            T_TYPE_ERROR,
                            Str::from("__repr__ returned non-string (type ")
                                .concat(type_name(vm, r))
                                .concat(Str::from(")")),
                        )),
                    };
                }
            }
            repr_builtin(vm, v, o)
        }
    }
}

fn seq_repr(vm: Gc<Vm>, out: StrBuilder, items: vmkit::GcList<Value>) -> Result<Value, Value> {
    let depth = vm.depth.get();
    if depth >= vm.recursion_limit.get() || depth >= call::MAX_DEPTH {
        return Err(call::recursion_error(vm));
    }
    vm.depth.set(depth + 1);
    for i in 0..items.len() {
        if i > 0 {
            out.push_str(Str::from(", "));
        }
        match repr(vm, items.get(i)) {
            Ok(s) => out.push_str(s),
            Err(e) => {
                vm.depth.set(depth);
                return Err(e);
            }
        }
    }
    vm.depth.set(depth);
    Ok(Value::Nil)
}

/// `repr` ignoring a user `__repr__` (what `object.__repr__` and built-in bases print).
pub fn repr_no_user(vm: Gc<Vm>, v: Value) -> Result<Str, Value> {
    match v {
        Value::Obj(o) => repr_builtin(vm, v, o),
        _ => repr(vm, v),
    }
}

fn repr_builtin(vm: Gc<Vm>, v: Value, o: Gc<Object>) -> Result<Str, Value> {
    let container = matches!(
        o.kind,
        Kind::List(_) | Kind::Dict(_) | Kind::Set(_) | Kind::Tuple(_)
    );
    if !container {
        return repr_inner(vm, v, o);
    }
    // A container that contains itself prints as [...] / {...} inside.
    let active = vm.repr_active;
    for i in 0..active.len() {
        if same(active.get(i), v) {
            return Ok(match o.kind {
                Kind::List(_) => Str::from("[...]"),
                Kind::Tuple(_) => Str::from("(...)"),
                _ => Str::from("{...}"),
            });
        }
    }
    active.push(v);
    let r = repr_inner(vm, v, o);
    active.pop();
    r
}

fn repr_inner(vm: Gc<Vm>, v: Value, o: Gc<Object>) -> Result<Str, Value> {
    let cls = o.cls.get();
    match o.kind {
        Kind::Str(s, _) => Ok(strs::repr_str(s)),
        Kind::Long(b) => long_to_decimal(vm, b),
        Kind::List(l) => {
            let out = StrBuilder::new();
            out.push_str(Str::from("["));
            seq_repr(vm, out, l)?;
            out.push_str(Str::from("]"));
            Ok(out.build())
        }
        Kind::Tuple(t) => {
            let out = StrBuilder::new();
            out.push_str(Str::from("("));
            let l = crate::ops::to_list(vm, v)?;
            seq_repr(vm, out, l)?;
            if t.len() == 1 {
                out.push_str(Str::from(","));
            }
            out.push_str(Str::from(")"));
            Ok(out.build())
        }
        Kind::Dict(_) => crate::dict::repr(vm, v),
        Kind::Set(_) => crate::set::repr(vm, v),
        Kind::Bytes(s) => Ok(crate::bytes::repr_bytes(s)),
        Kind::ByteArray(_) => {
            let s = crate::bytes::bytes_of(vm, v)?;
            Ok(Str::from("bytearray(")
                .concat(crate::bytes::repr_bytes(s))
                .concat(Str::from(")")))
        }
        Kind::Class(_) => Ok(class_repr(vm, v)),
        Kind::Function(f) => Ok(Str::from("<function ")
            .concat(f.qualname.get())
            .concat(Str::from(" at "))
            .concat(addr(vm, o))
            .concat(Str::from(">"))),
        Kind::Builtin(id, selfv) => {
            let name = crate::builtins::builtin_name(id);
            if selfv.is_null() {
                return Ok(Str::from("<built-in function ")
                    .concat(name)
                    .concat(Str::from(">")));
            }
            if let Value::Obj(m) = selfv {
                if let Kind::Module(_) = m.kind {
                    return Ok(Str::from("<built-in function ")
                        .concat(name)
                        .concat(Str::from(">")));
                }
            }
            Ok(Str::from("<built-in method ")
                .concat(name)
                .concat(Str::from(" of "))
                .concat(type_name(vm, selfv))
                .concat(Str::from(" object at "))
                .concat(match selfv {
                    Value::Obj(so) => addr(vm, so),
                    _ => Str::from("0x0"),
                })
                .concat(Str::from(">")))
        }
        Kind::Method(f, selfv) => {
            let fname = match f {
                Value::Obj(fo) => match fo.kind {
                    Kind::Function(ff) => ff.qualname.get(),
                    _ => Str::from("?"),
                },
                _ => Str::from("?"),
            };
            Ok(Str::from("<bound method ")
                .concat(fname)
                .concat(Str::from(" of "))
                .concat(repr(vm, selfv)?)
                .concat(Str::from(">")))
        }
        Kind::Module(m) => Ok(Str::from("<module '")
            .concat(m.name)
            .concat(Str::from("'>"))),
        Kind::Range(a, b, c) => {
            let s = Str::from("range(")
                .concat(Str::from_i64(a))
                .concat(Str::from(", "))
                .concat(Str::from_i64(b));
            if c != 1 {
                Ok(s.concat(Str::from(", "))
                    .concat(Str::from_i64(c))
                    .concat(Str::from(")")))
            } else {
                Ok(s.concat(Str::from(")")))
            }
        }
        Kind::BigRange(a, b, c) => crate::bigrange::repr(vm, a, b, c),
        Kind::Slice(a, b, c) => Ok(Str::from("slice(")
            .concat(repr(vm, a)?)
            .concat(Str::from(", "))
            .concat(repr(vm, b)?)
            .concat(Str::from(", "))
            .concat(repr(vm, c)?)
            .concat(Str::from(")"))),
        Kind::Exception(d) => {
            let args = d.args.get();
            let name = class_data(cls).name.get();
            let items = crate::ops::tuple_items(args);
            if items.len() == 1 {
                return Ok(name
                    .concat(Str::from("("))
                    .concat(repr(vm, items.get(0))?)
                    .concat(Str::from(")")));
            }
            Ok(name.concat(repr(vm, args)?))
        }
        Kind::Generator(f) => Ok(Str::from("<generator object ")
            .concat(f.gen_qualname.get())
            .concat(Str::from(" at "))
            .concat(addr(vm, o))
            .concat(Str::from(">"))),
        Kind::Marker(m) => Ok(if m == 0 {
            Str::from("NotImplemented")
        } else {
            Str::from("Ellipsis")
        }),
        Kind::Iter(st) => {
            if st.kind >= crate::iter::VIEW_KEYS {
                let items = crate::ops::to_list(vm, v)?;
                let out = StrBuilder::new();
                out.push_str(class_data(cls).name.get());
                out.push_str(Str::from("(["));
                seq_repr(vm, out, items)?;
                out.push_str(Str::from("])"));
                return Ok(out.build());
            }
            Ok(Str::from("<")
                .concat(class_data(cls).name.get())
                .concat(Str::from(" object at "))
                .concat(addr(vm, o))
                .concat(Str::from(">")))
        }
        Kind::Cell(_) => Ok(Str::from("<cell at ")
            .concat(addr(vm, o))
            .concat(Str::from(">"))),
        Kind::File(f) => Ok(Str::from("<_io.TextIOWrapper name='")
            .concat(f.path)
            .concat(Str::from("' mode='"))
            .concat(f.mode)
            .concat(Str::from("' encoding='UTF-8'>"))),
        _ => {
            let cd = class_data(cls);
            let module = if cd.is_builtin {
                Str::from("")
            } else {
                match cd.dict.get(Str::from("__module__")) {
                    Some(m) => match strs::as_str(m) {
                        Some(s) => s.concat(Str::from(".")),
                        None => Str::from(""),
                    },
                    None => Str::from(""),
                }
            };
            Ok(Str::from("<")
                .concat(module)
                .concat(cd.qualname.get())
                .concat(Str::from(" object at "))
                .concat(addr(vm, o))
                .concat(Str::from(">")))
        }
    }
}

/// `str(v)`.
pub fn str_of(vm: Gc<Vm>, v: Value) -> Result<Str, Value> {
    match v {
        Value::Obj(o) => {
            let cls = o.cls.get();
            if is_user_class(cls) {
                let f = lookup_user(cls, Str::from("__str__"));
                if !f.is_null() {
                    let r = call::call1(vm, f, v)?;
                    return match strs::as_str(r) {
                        Some(s) => Ok(s),
                        None => Err(new_exc(
                            vm,
                            T_TYPE_ERROR,
                            Str::from("__str__ returned non-string (type ")
                                .concat(type_name(vm, r))
                                .concat(Str::from(")")),
                        )),
                    };
                }
                if !lookup_user(cls, Str::from("__repr__")).is_null() {
                    return repr(vm, v);
                }
            }
            match o.kind {
                Kind::Str(s, _) => Ok(s),
                Kind::Exception(d) => {
                    let items = crate::ops::tuple_items(d.args.get());
                    if items.len() >= 2 && is_subclass(cls, ty(vm, T_OS_ERROR)) {
                        if let Value::Int(errno) = items.get(0) {
                            let base = Str::from("[Errno ")
                                .concat(Str::from_i64(errno))
                                .concat(Str::from("] "))
                                .concat(str_of(vm, items.get(1))?);
                            if items.len() >= 3 {
                                return Ok(base
                                    .concat(Str::from(": "))
                                    .concat(repr(vm, items.get(2))?));
                            }
                            return Ok(base);
                        }
                    }
                    if items.len() == 0 {
                        return Ok(Str::from(""));
                    }
                    if items.len() == 1 {
                        if is_subclass(cls, ty(vm, T_KEY_ERROR)) {
                            return repr(vm, items.get(0));
                        }
                        return str_of(vm, items.get(0));
                    }
                    repr(vm, d.args.get())
                }
                _ => repr(vm, v),
            }
        }
        _ => repr(vm, v),
    }
}
