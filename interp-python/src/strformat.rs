//! `str.format`: replacement fields `{[name][.attr|[key]]*[!conv][:spec]}` with automatic or
//! explicit numbering and nested fields in the spec.

use crate::exc::*;
use crate::object::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, GcArray, Str, StrBuilder};

/// The next automatic field number (-1 once manual numbering is used).
pub struct AutoIndex {
    n: vmkit::Mut<i64>,
}

fn lookup_field(
    vm: Gc<Vm>,
    field: Str,
    args: GcArray<Value>,
    names: GcArray<Str>,
    auto: Gc<AutoIndex>,
) -> Result<Value, Value> {
    let npos = args.len() - names.len();
    // The first part: up to '.' or '['.
    let mut i: usize = 0;
    while i < field.len() && field.byte_at(i) != b'.' && field.byte_at(i) != b'[' {
        i += 1;
    }
    let head = field.slice(0, i);
    let mut v = if head.is_empty() {
        let k = auto.n.get();
        if k < 0 {
            return value_error(
                vm,
                Str::from(
                    "cannot switch from manual field specification to automatic field numbering",
                ),
            );
        }
        auto.n.set(k + 1);
        if k as usize >= npos {
            return Err(new_exc(
                vm,
                T_INDEX_ERROR,
                Str::from("Replacement index ")
                    .concat(Str::from_i64(k))
                    .concat(Str::from(" out of range for positional args tuple")),
            ));
        }
        args.get(k as usize)
    } else if strs::is_digit_byte(head.byte_at(0)) {
        if auto.n.get() > 0 {
            return value_error(
                vm,
                Str::from(
                    "cannot switch from automatic field numbering to manual field specification",
                ),
            );
        }
        auto.n.set(-1);
        let k = head.parse_i64().unwrap_or(0);
        if k as usize >= npos {
            return Err(new_exc(
                vm,
                T_INDEX_ERROR,
                Str::from("Replacement index ")
                    .concat(Str::from_i64(k))
                    .concat(Str::from(" out of range for positional args tuple")),
            ));
        }
        args.get(k as usize)
    } else {
        let mut found = Value::Null;
        for k in 0..names.len() {
            if names.get(k) == head {
                found = args.get(npos + k);
            }
        }
        if found.is_null() {
            return key_error(vm, strs::new_str(vm, head));
        }
        found
    };
    while i < field.len() {
        let c = field.byte_at(i);
        if c == b'.' {
            let start = i + 1;
            i = start;
            while i < field.len() && field.byte_at(i) != b'.' && field.byte_at(i) != b'[' {
                i += 1;
            }
            v = ops::getattr(vm, v, field.slice(start, i))?;
        } else {
            let start = i + 1;
            while i < field.len() && field.byte_at(i) != b']' {
                i += 1;
            }
            let key = field.slice(start, i);
            i += 1;
            let kv = match key.parse_i64() {
                Some(n) => Value::Int(n),
                None => strs::new_str(vm, key),
            };
            v = ops::getitem(vm, v, kv)?;
        }
    }
    Ok(v)
}

pub fn format_method(
    vm: Gc<Vm>,
    s: Str,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let auto = Gc::new(AutoIndex {
        n: vmkit::Mut::new(0),
    });
    let r = format_str(vm, s, args, names, auto)?;
    Ok(strs::new_str(vm, r))
}

fn format_str(
    vm: Gc<Vm>,
    s: Str,
    args: GcArray<Value>,
    names: GcArray<Str>,
    auto: Gc<AutoIndex>,
) -> Result<Str, Value> {
    let out = StrBuilder::new();
    let n = s.len();
    let mut i: usize = 0;
    while i < n {
        let c = s.byte_at(i);
        if c == b'}' {
            if i + 1 < n && s.byte_at(i + 1) == b'}' {
                out.push_byte(b'}');
                i += 2;
                continue;
            }
            return Err(new_exc(
                vm,
                T_VALUE_ERROR,
                Str::from("Single '}' encountered in format string"),
            ));
        }
        if c != b'{' {
            out.push_byte(c);
            i += 1;
            continue;
        }
        if i + 1 < n && s.byte_at(i + 1) == b'{' {
            out.push_byte(b'{');
            i += 2;
            continue;
        }
        // Find the matching '}' (nested braces in the spec).
        let start = i + 1;
        let mut depth = 1;
        let mut j = start;
        while j < n {
            let d = s.byte_at(j);
            if d == b'{' {
                depth += 1;
            } else if d == b'}' {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            j += 1;
        }
        if j >= n {
            return Err(new_exc(
                vm,
                T_VALUE_ERROR,
                Str::from("Single '{' encountered in format string"),
            ));
        }
        let body = s.slice(start, j);
        i = j + 1;
        // Split field, conversion, spec.
        let mut k: usize = 0;
        let mut bracket = false;
        while k < body.len() {
            let d = body.byte_at(k);
            if d == b'[' {
                bracket = true;
            } else if d == b']' {
                bracket = false;
            } else if !bracket && (d == b'!' || d == b':') {
                break;
            }
            k += 1;
        }
        let field = body.slice(0, k);
        let mut conv: u8 = 0;
        let mut spec = Str::from("");
        if k < body.len() && body.byte_at(k) == b'!' {
            if k + 1 < body.len() {
                conv = body.byte_at(k + 1);
            }
            k += 2;
        }
        if k < body.len() && body.byte_at(k) == b':' {
            spec = body.slice(k + 1, body.len());
        }
        let mut v = lookup_field(vm, field, args, names, auto)?;
        if conv == b'r' {
            v = strs::new_str(vm, ops::repr(vm, v)?);
        } else if conv == b's' {
            v = strs::new_str(vm, ops::str_of(vm, v)?);
        } else if conv == b'a' {
            v = strs::new_str(vm, strs::ascii(ops::repr(vm, v)?));
        } else if conv != 0 {
            return Err(new_exc(
                vm,
                T_VALUE_ERROR,
                Str::from("Unknown conversion specifier ").concat(Str::from_byte(conv)),
            ));
        }
        if spec.find(Str::from("{"), 0).is_some() {
            spec = format_str(vm, spec, args, names, auto)?;
        }
        out.push_str(crate::format::format(vm, v, spec)?);
    }
    Ok(out.build())
}
