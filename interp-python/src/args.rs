//! Reading the arguments of a call to a built-in: `args` holds the positional arguments, then
//! the values of the keyword arguments named by `names` (the last `names.len()` entries).

use crate::object::Value;
use vmkit::{GcArray, Str};

/// The number of positional arguments.
pub fn npos(args: GcArray<Value>, names: GcArray<Str>) -> usize {
    args.len() - names.len()
}

/// The keyword argument `name`, or Null.
pub fn kwarg(args: GcArray<Value>, names: GcArray<Str>, name: Str) -> Value {
    let n = names.len();
    let base = args.len() - n;
    for i in 0..n {
        if names.get(i) == name {
            return args.get(base + i);
        }
    }
    Value::Null
}

/// Positional argument `i`, else the keyword argument `kw`, else Null.
pub fn arg(args: GcArray<Value>, names: GcArray<Str>, i: usize, kw: Str) -> Value {
    if i < npos(args, names) {
        return args.get(i);
    }
    kwarg(args, names, kw)
}

/// As [`arg`], with a default instead of Null.
pub fn arg_or(
    args: GcArray<Value>,
    names: GcArray<Str>,
    i: usize,
    kw: Str,
    default: Value,
) -> Value {
    let v = arg(args, names, i, kw);
    if v.is_null() {
        default
    } else {
        v
    }
}
