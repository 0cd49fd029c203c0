//! `range` objects whose bounds or length do not fit a machine integer (`range(10**20)`).
//!
//! A range is normally `Kind::Range(start, stop, step)` of `i64`s (the fast path: iteration,
//! `len`, indexing without allocation). [`make`] builds that whenever the three bounds fit and
//! the length fits an `i64` too, and otherwise a `Kind::BigRange` holding the bounds as Python
//! ints (`Value::Int` or big ints), whose operations here go through the generic int arithmetic
//! of `ops` (big ints included). Iterating a big range uses the sequence protocol
//! (`getitem` of 0, 1, ...).

use crate::exc::*;
use crate::object::*;
use crate::opcode::*;
use crate::ops;
use crate::types::*;
use vmkit::{Gc, Str};

/// Whether the length of an `i64` range fits an `i64` (no division in the common case).
fn len_fits(a: i64, b: i64, c: i64) -> bool {
    let (diff, step) = if c > 0 && a < b {
        ((b as u64).wrapping_sub(a as u64) - 1, c as u64)
    } else if c < 0 && a > b {
        (
            (a as u64).wrapping_sub(b as u64) - 1,
            0u64.wrapping_sub(c as u64),
        )
    } else {
        return true;
    };
    diff < i64::MAX as u64 || diff / step < i64::MAX as u64
}

/// A range object from int values (the step is not zero).
pub fn make(vm: Gc<Vm>, a: Value, b: Value, c: Value) -> Value {
    if let (Value::Int(x), Value::Int(y), Value::Int(z)) = (a, b, c) {
        if len_fits(x, y, z) {
            return new_obj(ty(vm, T_RANGE), Kind::Range(x, y, z));
        }
    }
    new_obj(ty(vm, T_RANGE), Kind::BigRange(a, b, c))
}

/// (start, stop, step) of a range object of either representation.
pub fn parts(v: Value) -> Option<(Value, Value, Value)> {
    if let Value::Obj(o) = v {
        match o.kind {
            Kind::Range(a, b, c) => return Some((Value::Int(a), Value::Int(b), Value::Int(c))),
            Kind::BigRange(a, b, c) => return Some((a, b, c)),
            _ => {}
        }
    }
    None
}

fn add(vm: Gc<Vm>, a: Value, b: Value) -> Result<Value, Value> {
    ops::binary_op(vm, OP_ADD, a, b)
}

fn sub(vm: Gc<Vm>, a: Value, b: Value) -> Result<Value, Value> {
    ops::binary_op(vm, OP_SUB, a, b)
}

fn mul(vm: Gc<Vm>, a: Value, b: Value) -> Result<Value, Value> {
    ops::binary_op(vm, OP_MUL, a, b)
}

fn lt(vm: Gc<Vm>, a: Value, b: Value) -> Result<bool, Value> {
    let r = ops::compare(vm, CMP_LT, a, b)?;
    ops::truthy(vm, r)
}

fn int_eq(vm: Gc<Vm>, a: Value, b: Value) -> Result<bool, Value> {
    ops::eq(vm, a, b)
}

fn positive(vm: Gc<Vm>, v: Value) -> Result<bool, Value> {
    lt(vm, Value::Int(0), v)
}

/// The length as a Python int.
pub fn len_value(vm: Gc<Vm>, a: Value, b: Value, c: Value) -> Result<Value, Value> {
    let (lo, hi, step) = if positive(vm, c)? {
        (a, b, c)
    } else {
        (b, a, sub(vm, Value::Int(0), c)?)
    };
    if !lt(vm, lo, hi)? {
        return Ok(Value::Int(0));
    }
    // (hi - lo - 1) // step + 1
    let diff = sub(vm, sub(vm, hi, lo)?, Value::Int(1))?;
    let q = ops::binary_op(vm, OP_FLOORDIV, diff, step)?;
    add(vm, q, Value::Int(1))
}

/// The length as an `i64`; OverflowError when it does not fit (as CPython's `len()`).
pub fn len(vm: Gc<Vm>, a: Value, b: Value, c: Value) -> Result<i64, Value> {
    match len_value(vm, a, b, c)? {
        Value::Int(n) => Ok(n),
        _ => Err(new_exc(
            vm,
            T_OVERFLOW_ERROR,
            Str::from("Python int too large to convert to C ssize_t"),
        )),
    }
}

/// `r[k]` for an int or a slice `k`.
pub fn getitem(vm: Gc<Vm>, a: Value, b: Value, c: Value, k: Value) -> Result<Value, Value> {
    if let Some((s0, s1, s2)) = ops::as_slice(k) {
        let n = len_value(vm, a, b, c)?;
        let step = if s2.is_nil() {
            Value::Int(1)
        } else {
            slice_arg(vm, s2)?
        };
        if let Value::Int(0) = step {
            return value_error(vm, Str::from("slice step cannot be zero"));
        }
        let (lower, upper) = if lt(vm, step, Value::Int(0))? {
            (Value::Int(-1), sub(vm, n, Value::Int(1))?)
        } else {
            (Value::Int(0), n)
        };
        let backwards = lt(vm, step, Value::Int(0))?;
        let start = if s0.is_nil() {
            if backwards {
                upper
            } else {
                lower
            }
        } else {
            clamp(vm, slice_arg(vm, s0)?, n, lower, upper)?
        };
        let stop = if s1.is_nil() {
            if backwards {
                lower
            } else {
                upper
            }
        } else {
            clamp(vm, slice_arg(vm, s1)?, n, lower, upper)?
        };
        let na = add(vm, a, mul(vm, start, c)?)?;
        let nb = add(vm, a, mul(vm, stop, c)?)?;
        let nc = mul(vm, c, step)?;
        return Ok(make(vm, na, nb, nc));
    }
    let i = match ops::int_view(k) {
        ops::IntView::NotInt => {
            if ops::has_user_class(k)
                && !lookup_user(class_of(vm, k), Str::from("__index__")).is_null()
            {
                ops::index_value(vm, k)?
            } else {
                return type_error(
                    vm,
                    Str::from("range indices must be integers or slices, not ")
                        .concat(type_name(vm, k)),
                );
            }
        }
        _ => ops::index_value(vm, k)?,
    };
    let n = len_value(vm, a, b, c)?;
    let j = if lt(vm, i, Value::Int(0))? {
        add(vm, i, n)?
    } else {
        i
    };
    if lt(vm, j, Value::Int(0))? || !lt(vm, j, n)? {
        return Err(new_exc(
            vm,
            T_INDEX_ERROR,
            Str::from("range object index out of range"),
        ));
    }
    add(vm, a, mul(vm, j, c)?)
}

/// A slice bound as an int (TypeError as CPython's for other types).
fn slice_arg(vm: Gc<Vm>, v: Value) -> Result<Value, Value> {
    match ops::index_value(vm, v) {
        Ok(i) => Ok(i),
        Err(_) => type_error(
            vm,
            Str::from("slice indices must be integers or None or have an __index__ method"),
        ),
    }
}

/// A slice bound `i` of a sequence of length `n`, negative from the end, clamped to
/// `lower..=upper`.
fn clamp(vm: Gc<Vm>, i: Value, n: Value, lower: Value, upper: Value) -> Result<Value, Value> {
    let j = if lt(vm, i, Value::Int(0))? {
        add(vm, i, n)?
    } else {
        i
    };
    if lt(vm, j, lower)? {
        return Ok(lower);
    }
    if lt(vm, upper, j)? {
        return Ok(upper);
    }
    Ok(j)
}

/// `x in r` for an int `x` (Null when `x` is not an int: the caller searches by iteration).
pub fn contains(vm: Gc<Vm>, a: Value, b: Value, c: Value, x: Value) -> Result<Value, Value> {
    if let ops::IntView::NotInt = ops::int_view(x) {
        return Ok(Value::Null);
    }
    let inside = if positive(vm, c)? {
        !lt(vm, x, a)? && lt(vm, x, b)?
    } else {
        !lt(vm, a, x)? && lt(vm, b, x)?
    };
    if !inside {
        return Ok(Value::Bool(false));
    }
    let r = ops::binary_op(vm, OP_MOD, sub(vm, x, a)?, c)?;
    Ok(Value::Bool(int_eq(vm, r, Value::Int(0))?))
}

/// `r.index(x)` for an int `x` known to be in the range.
pub fn index(vm: Gc<Vm>, a: Value, c: Value, x: Value) -> Result<Value, Value> {
    ops::binary_op(vm, OP_FLOORDIV, sub(vm, x, a)?, c)
}

/// `r1 == r2`: the same sequence of ints.
pub fn equal(
    vm: Gc<Vm>,
    r1: (Value, Value, Value),
    r2: (Value, Value, Value),
) -> Result<bool, Value> {
    let n1 = len_value(vm, r1.0, r1.1, r1.2)?;
    let n2 = len_value(vm, r2.0, r2.1, r2.2)?;
    if !int_eq(vm, n1, n2)? {
        return Ok(false);
    }
    if int_eq(vm, n1, Value::Int(0))? {
        return Ok(true);
    }
    if !int_eq(vm, r1.0, r2.0)? {
        return Ok(false);
    }
    Ok(int_eq(vm, n1, Value::Int(1))? || int_eq(vm, r1.2, r2.2)?)
}

pub fn repr(vm: Gc<Vm>, a: Value, b: Value, c: Value) -> Result<Str, Value> {
    let s = Str::from("range(")
        .concat(ops::repr(vm, a)?)
        .concat(Str::from(", "))
        .concat(ops::repr(vm, b)?);
    if int_eq(vm, c, Value::Int(1))? {
        return Ok(s.concat(Str::from(")")));
    }
    Ok(s.concat(Str::from(", "))
        .concat(ops::repr(vm, c)?)
        .concat(Str::from(")")))
}
