//! Attribute access on instances of user classes, shaped for the tracer.
//!
//! `LOAD_ATTR`, `STORE_ATTR` and `LOAD_METHOD` on a plain instance of a user class (kind
//! [`Kind::Plain`]) first ask for a *plan*: what the class says about `name` — whether a
//! `__getattribute__`/`__setattr__` override, a data descriptor or `__slots__` is involved
//! (then the general code in [`ops`] runs), whether the instance's own attributes decide, and
//! whether the class attribute is a plain function (a method call needs no bound method).
//! A plan depends only on the class, the name and the class-dict epoch (bumped by every change
//! to any class's dict, see [`crate::types::class_dict_changed`]), so the plan functions are
//! `elidable`: in a trace the class and the epoch are promoted to constants (two guards), the
//! name is a constant of the code object, and the plan folds away.
//!
//! Instances of user classes keep their attributes in *shape mode* ([`Shape`], PyPy's maps):
//! an array of values plus a shared, immutable layout. With the shape promoted as well, the
//! slot of a name folds too, and what remains of `self.x` in a trace is three guards (class,
//! epoch, shape) and an array load; of `self.method(...)`, the same guards and a constant
//! function. An instance leaves shape mode for an ordinary attribute map when something needs
//! one (its `__dict__`, `del`, `dir`; see [`attr_map`]).
//!
//! The plans never change behaviour: every case they do not cover falls back to the general
//! path, which the conformance suite exercises with the same scripts.

use crate::object::*;
use crate::opcode::*;
use crate::ops;
use crate::types::*;
use vmkit::jit::promote;
use vmkit::{Gc, Str};

/// The general path decides (`ops::getattr` / `ops::setattr` / `ops::load_method`).
pub const PLAN_SLOW: i64 = 0;
/// The instance's attribute map decides when it holds the name; otherwise the general path.
pub const PLAN_INSTANCE: i64 = 1;
/// As [`PLAN_INSTANCE`], and the class attribute is a plain function (see [`class_attr`]).
pub const PLAN_METHOD: i64 = 2;

/// What to do for reading `name` on instances of `cls` while the class-dict epoch is `epoch`.
#[vmkit::elidable]
pub fn get_plan(cls: Gc<Object>, name: Str, epoch: i64) -> i64 {
    let _ = epoch;
    let c = Value::Obj(cls);
    if as_class(c).is_none() || !is_user_class(c) {
        return PLAN_SLOW;
    }
    if !lookup_user(c, Str::from("__getattribute__")).is_null() {
        return PLAN_SLOW;
    }
    let d = lookup(c, name);
    if d.is_null() {
        return PLAN_INSTANCE;
    }
    if ops::is_data_descr(d) {
        return PLAN_SLOW;
    }
    if let Value::Obj(fo) = d {
        if let Kind::Function(_) = fo.kind {
            return PLAN_METHOD;
        }
    }
    PLAN_INSTANCE
}

/// Whether `o.name = v` on an instance of `cls` (epoch `epoch`) is a plain store into the
/// instance's attribute map: no `__setattr__` override, no `__slots__` in the MRO, not a
/// special name, and no data descriptor for `name` in the class.
#[vmkit::elidable]
pub fn set_plan(cls: Gc<Object>, name: Str, epoch: i64) -> bool {
    let _ = epoch;
    let c = Value::Obj(cls);
    if as_class(c).is_none() || !is_user_class(c) || name.starts_with(Str::from("__")) {
        return false;
    }
    if !lookup_user(c, Str::from("__setattr__")).is_null()
        || !lookup(c, Str::from("__slots__")).is_null()
    {
        return false;
    }
    let d = lookup(c, name);
    d.is_null() || !ops::is_data_descr(d)
}

/// The class attribute `name` of `cls` at epoch `epoch` (Null when absent).
#[vmkit::elidable]
pub fn class_attr(cls: Gc<Object>, name: Str, epoch: i64) -> Value {
    let _ = epoch;
    lookup(Value::Obj(cls), name)
}

/// The `__init__` of `cls` when calling `cls` is a plain instantiation: a user class laid out
/// as `object` (no built-in base), without `__new__`, whose `__init__` is a Python function
/// (then `CALL_FUNCTION` makes the instance in shape mode and runs `__init__` on a frame bound
/// straight from the caller's stack). Null otherwise.
#[vmkit::elidable]
pub fn init_plan(cls: Gc<Object>, epoch: i64) -> Value {
    let _ = epoch;
    let c = Value::Obj(cls);
    let cd = match as_class(c) {
        Some(cd) => cd,
        None => return Value::Null,
    };
    if cd.is_builtin || cd.builtin != T_OBJECT {
        return Value::Null;
    }
    if !lookup_user(c, Str::from("__new__")).is_null() {
        return Value::Null;
    }
    let init = lookup_user(c, Str::from("__init__"));
    if let Value::Obj(fo) = init {
        if let Kind::Function(_) = fo.kind {
            return init;
        }
    }
    Value::Null
}

/// The class-dict epoch, promoted: plans keyed by it fold in traces, behind one guard.
pub fn class_epoch(cd: Gc<ClassData>) -> i64 {
    promote(cd.epoch.n.get())
}

/// The class of a plain instance, promoted, and the promoted class-dict epoch; None for
/// anything else.
fn plain_class(o: Value) -> Option<(Gc<Object>, i64)> {
    if let Value::Obj(ob) = o {
        if let Kind::Plain = ob.kind {
            if let Value::Obj(c) = ob.cls.get() {
                let c = promote(c);
                if let Kind::Class(cd) = c.kind {
                    return Some((c, class_epoch(cd)));
                }
            }
        }
    }
    None
}

/// The method the dispatch loop may call itself for `a <op> b` (`op` a `BINARY_OP` operator):
/// `a` is a plain instance whose class has a Python function `__op__`, and `b` cannot take
/// precedence over it (it is not an object, or an instance of the very same class). Null
/// otherwise (the general protocol of `ops::binary_op` decides).
pub fn binop_fast(op: i64, a: Value, b: Value) -> Value {
    if let Some((c, epoch)) = plain_class(a) {
        if let Value::Obj(bo) = b {
            let same_class = match (bo.kind, bo.cls.get()) {
                (Kind::Plain, Value::Obj(bc)) => Gc::ptr_eq(bc, c),
                _ => false,
            };
            if !same_class {
                return Value::Null;
            }
        }
        let f = class_attr(c, binop_name(op), epoch);
        if let Value::Obj(fo) = f {
            if let Kind::Function(_) = fo.kind {
                return f;
            }
        }
    }
    Value::Null
}

/// `__add__` and the other methods of the binary operators (constants, so that the plan
/// lookups keyed by them fold in traces).
fn binop_name(op: i64) -> Str {
    match op {
        OP_ADD => Str::from("__add__"),
        OP_SUB => Str::from("__sub__"),
        OP_MUL => Str::from("__mul__"),
        OP_TRUEDIV => Str::from("__truediv__"),
        OP_FLOORDIV => Str::from("__floordiv__"),
        OP_MOD => Str::from("__mod__"),
        OP_POW => Str::from("__pow__"),
        OP_LSHIFT => Str::from("__lshift__"),
        OP_RSHIFT => Str::from("__rshift__"),
        OP_AND => Str::from("__and__"),
        OP_OR => Str::from("__or__"),
        OP_XOR => Str::from("__xor__"),
        _ => Str::from("__matmul__"),
    }
}

/// The instance attribute `name` of `ob`, with the shape promoted (so that the slot index
/// folds in traces): Null when absent.
fn own_attr(ob: Gc<Object>, name: Str) -> Value {
    if let Some(shape) = ob.shape.get() {
        let i = index_in(promote(shape), name);
        if i >= 0 {
            if let Some(a) = ob.slots.get() {
                return a.get(i as usize);
            }
        }
        return Value::Null;
    }
    if let Some(attrs) = ob.attrs.get() {
        if let Some(v) = attrs.get(name) {
            return v;
        }
    }
    Value::Null
}

/// `o.name`, or Null when the general path must decide.
pub fn get_fast(o: Value, name: Str) -> Value {
    if let Some((c, epoch)) = plain_class(o) {
        if get_plan(c, name, epoch) != PLAN_SLOW {
            if let Value::Obj(ob) = o {
                return own_attr(ob, name);
            }
        }
    }
    Value::Null
}

/// `o.name = v` when it is a plain store (true), or false when the general path must do it.
pub fn set_fast(o: Value, name: Str, v: Value) -> bool {
    if let Some((c, epoch)) = plain_class(o) {
        if set_plan(c, name, epoch) {
            if let Value::Obj(ob) = o {
                if let Some(shape) = ob.shape.get() {
                    let i = index_in(promote(shape), name);
                    if i >= 0 {
                        if let Some(a) = ob.slots.get() {
                            a.set(i as usize, v);
                            return true;
                        }
                    }
                    attr_set(ob, name, v);
                    return true;
                }
                if let Some(attrs) = ob.attrs.get() {
                    attrs.insert(name, v);
                    return true;
                }
            }
        }
    }
    false
}

/// `LOAD_METHOD`'s function when `o.name` is a method of `o`'s class not shadowed by an
/// instance attribute (the caller pushes it and `o`), or Null when the general path decides.
pub fn method_fast(o: Value, name: Str) -> Value {
    if let Some((c, epoch)) = plain_class(o) {
        if get_plan(c, name, epoch) == PLAN_METHOD {
            if let Value::Obj(ob) = o {
                if own_attr(ob, name).is_null() {
                    return class_attr(c, name, epoch);
                }
            }
        }
    }
    Value::Null
}
