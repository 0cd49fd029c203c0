//! The instructions behind `match` statements (`docs/bytecode.md`, opcodes 120–125).

use crate::exc::*;
use crate::interp::{peek, pop, push, top};
use crate::object::*;
use crate::opcode::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, GcArray, GcList, Str};

fn builtin_layout(vm: Gc<Vm>, v: Value) -> i64 {
    class_data(class_of(vm, v)).builtin
}

/// Classes whose instances a single positional sub-pattern matches as a whole.
fn self_matching(vm: Gc<Vm>, cls: Value) -> bool {
    let b = class_data(cls).builtin;
    let _ = vm;
    b == T_BOOL
        || b == T_BYTEARRAY
        || b == T_BYTES
        || b == T_DICT
        || b == T_FLOAT
        || b == T_FROZENSET
        || b == T_INT
        || b == T_LIST
        || b == T_SET
        || b == T_STR
        || b == T_TUPLE
}

pub fn execute_match(vm: Gc<Vm>, frame: Gc<Frame>, op: i64, arg: i64) -> Result<Value, Value> {
    match op {
        MATCH_SEQUENCE => {
            let s = top(frame);
            let l = builtin_layout(vm, s);
            let ok = match s {
                Value::Obj(o) => matches!(
                    o.kind,
                    Kind::List(_) | Kind::Tuple(_) | Kind::Range(_, _, _) | Kind::BigRange(_, _, _)
                ),
                _ => false,
            } && l != T_STR;
            push(frame, Value::Bool(ok));
        }
        MATCH_MAPPING => {
            let s = top(frame);
            push(frame, Value::Bool(crate::dict::is_dict(s)));
        }
        GET_LEN => {
            let s = top(frame);
            let n = crate::builtins::len_of(vm, s)?;
            push(frame, Value::Int(n));
        }
        MATCH_KEYS => {
            let keys = top(frame);
            let s = peek(frame, 1);
            let ks = ops::tuple_items(keys);
            let vals = GcArray::new(ks.len(), Value::Nil);
            let mut ok = true;
            for i in 0..ks.len() {
                let v = crate::dict::lookup(vm, s, ks.get(i))?;
                if v.is_null() {
                    ok = false;
                    break;
                }
                vals.set(i, v);
            }
            push(
                frame,
                if ok {
                    ops::new_tuple(vm, vals)
                } else {
                    Value::Nil
                },
            );
        }
        MATCH_CLASS => {
            let names = pop(frame);
            let cls = pop(frame);
            let s = pop(frame);
            let r = match_class(vm, s, cls, names, arg)?;
            push(frame, r);
        }
        _ => {
            // COPY_DICT_WITHOUT_KEYS
            let keys = pop(frame);
            let s = top(frame);
            let rest = crate::dict::copy(vm, s)?;
            let ks = ops::tuple_items(keys);
            for i in 0..ks.len() {
                crate::dict::delitem(vm, rest, ks.get(i))?;
            }
            push(frame, rest);
        }
    }
    Ok(Value::Nil)
}

fn match_class(vm: Gc<Vm>, s: Value, cls: Value, names: Value, npos: i64) -> Result<Value, Value> {
    let cd = match as_class(cls) {
        Some(c) => c,
        None => return type_error(vm, Str::from("called match pattern must be a type")),
    };
    if !is_subclass(class_of(vm, s), cls) {
        return Ok(Value::Nil);
    }
    let kw = ops::tuple_items(names);
    let attrs: GcList<Value> = GcList::new();
    let seen: GcList<Str> = GcList::new();
    if npos > 0 {
        let ma = lookup(cls, Str::from("__match_args__"));
        if ma.is_null() {
            if self_matching(vm, cls) {
                if npos > 1 {
                    return type_error(
                        vm,
                        cd.name
                            .get()
                            .concat(Str::from("() accepts 1 positional sub-pattern ("))
                            .concat(Str::from_i64(npos))
                            .concat(Str::from(" given)")),
                    );
                }
                attrs.push(s);
            } else {
                return type_error(
                    vm,
                    cd.name
                        .get()
                        .concat(Str::from("() accepts 0 positional sub-patterns ("))
                        .concat(Str::from_i64(npos))
                        .concat(Str::from(" given)")),
                );
            }
        } else {
            let t = match ops::as_tuple(ma) {
                Some(t) => t,
                None => {
                    return type_error(
                        vm,
                        cd.name
                            .get()
                            .concat(Str::from(".__match_args__ must be a tuple (got "))
                            .concat(type_name(vm, ma))
                            .concat(Str::from(")")),
                    )
                }
            };
            if (t.len() as i64) < npos {
                let pl = if t.len() == 1 {
                    Str::from(" positional sub-pattern (")
                } else {
                    Str::from(" positional sub-patterns (")
                };
                return type_error(
                    vm,
                    cd.name
                        .get()
                        .concat(Str::from("() accepts "))
                        .concat(Str::from_i64(t.len() as i64))
                        .concat(pl)
                        .concat(Str::from_i64(npos))
                        .concat(Str::from(" given)")),
                );
            }
            for i in 0..(npos as usize) {
                let name = strs::as_str(t.get(i)).unwrap_or(Str::from(""));
                seen.push(name);
                match ops::getattr_opt(vm, s, name)? {
                    Value::Null => return Ok(Value::Nil),
                    v => attrs.push(v),
                }
            }
        }
    }
    for i in 0..kw.len() {
        let name = strs::as_str(kw.get(i)).unwrap_or(Str::from(""));
        for k in 0..seen.len() {
            if seen.get(k) == name {
                return type_error(
                    vm,
                    cd.name
                        .get()
                        .concat(Str::from("() got multiple sub-patterns for attribute '"))
                        .concat(name)
                        .concat(Str::from("'")),
                );
            }
        }
        seen.push(name);
        match ops::getattr_opt(vm, s, name)? {
            Value::Null => return Ok(Value::Nil),
            v => attrs.push(v),
        }
    }
    let a = GcArray::new(attrs.len(), Value::Nil);
    for i in 0..attrs.len() {
        a.set(i, attrs.get(i));
    }
    Ok(ops::new_tuple(vm, a))
}
