//! Iteration: `iter()`/`next()` for the built-in iterables (with an [`IterState`] per
//! iterator), the user protocol (`__iter__`/`__next__`, `__getitem__` sequences), generators,
//! and the lazy built-ins `map`, `filter`, `zip`, `enumerate`, `reversed`.

use crate::call;
use crate::exc::*;
use crate::interp;
use crate::object::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, GcArray, Mut, Str};

pub const IT_LIST: i64 = 0;
pub const IT_TUPLE: i64 = 1;
pub const IT_STR: i64 = 2;
pub const IT_RANGE: i64 = 3;
pub const IT_DICT_KEYS: i64 = 4;
pub const IT_DICT_VALUES: i64 = 5;
pub const IT_DICT_ITEMS: i64 = 6;
pub const IT_SET: i64 = 7;
pub const IT_BYTES: i64 = 8;
pub const IT_MAP: i64 = 9;
pub const IT_FILTER: i64 = 10;
pub const IT_ZIP: i64 = 11;
pub const IT_ENUMERATE: i64 = 12;
pub const IT_REVERSED: i64 = 13;
pub const IT_CALLABLE: i64 = 14;
pub const IT_SEQ: i64 = 15;
/// A dict view object (not an iterator): `seq` is the dict.
pub const VIEW_KEYS: i64 = 20;
pub const VIEW_VALUES: i64 = 21;
pub const VIEW_ITEMS: i64 = 22;

pub fn new_iter(
    vm: Gc<Vm>,
    t: i64,
    kind: i64,
    seq: Value,
    end: i64,
    step: i64,
    extra: Value,
) -> Value {
    new_obj(
        ty(vm, t),
        Kind::Iter(Gc::new(IterState {
            kind,
            seq,
            index: Mut::new(0),
            end: Mut::new(end),
            step,
            extra,
        })),
    )
}

pub fn is_generator(v: Value) -> bool {
    generator_frame(v).is_some()
}

pub fn generator_frame(v: Value) -> Option<Gc<Frame>> {
    if let Value::Obj(o) = v {
        if let Kind::Generator(f) = o.kind {
            return Some(f);
        }
    }
    None
}

pub fn iter_state(v: Value) -> Option<Gc<IterState>> {
    if let Value::Obj(o) = v {
        if let Kind::Iter(s) = o.kind {
            return Some(s);
        }
    }
    None
}

fn not_iterable(vm: Gc<Vm>, o: Value) -> Result<Value, Value> {
    type_error(
        vm,
        Str::from("'")
            .concat(type_name(vm, o))
            .concat(Str::from("' object is not iterable")),
    )
}

/// `iter(o)`.
pub fn get_iter(vm: Gc<Vm>, o: Value) -> Result<Value, Value> {
    get_iter_impl(vm, o, true)
}

/// Like [`get_iter`] but ignoring special methods defined in Python (the built-in behaviour,
/// which `super().__iter__` and `list.__iter__` reach).
pub fn get_iter_kind(vm: Gc<Vm>, o: Value) -> Result<Value, Value> {
    get_iter_impl(vm, o, false)
}

pub fn get_iter_impl(vm: Gc<Vm>, o: Value, user: bool) -> Result<Value, Value> {
    if let Value::Obj(obj) = o {
        let cls = obj.cls.get();
        if user && is_user_class(cls) {
            let f = lookup_user(cls, Str::from("__iter__"));
            if !f.is_null() {
                if f.is_nil() {
                    return not_iterable(vm, o);
                }
                let it = call::call1(vm, f, o)?;
                if ops::special_method(vm, it, Str::from("__next__"))?.is_null()
                    && iter_state(it).is_none()
                    && !is_generator(it)
                {
                    return type_error(
                        vm,
                        Str::from("iter() returned non-iterator of type '")
                            .concat(type_name(vm, it))
                            .concat(Str::from("'")),
                    );
                }
                return Ok(it);
            }
        }
        match obj.kind {
            Kind::List(l) => {
                return Ok(new_iter(
                    vm,
                    T_LIST_ITER,
                    IT_LIST,
                    o,
                    l.len() as i64,
                    1,
                    Value::Nil,
                ))
            }
            Kind::Tuple(t) => {
                return Ok(new_iter(
                    vm,
                    T_TUPLE_ITER,
                    IT_TUPLE,
                    o,
                    t.len() as i64,
                    1,
                    Value::Nil,
                ))
            }
            Kind::Str(s, _) => {
                return Ok(new_iter(
                    vm,
                    T_STR_ITER,
                    IT_STR,
                    o,
                    s.len() as i64,
                    1,
                    Value::Nil,
                ))
            }
            Kind::Range(a, b, c) => {
                let n = ops::range_len(a, b, c);
                return Ok(new_iter(
                    vm,
                    T_RANGE_ITER,
                    IT_RANGE,
                    Value::Int(a),
                    n,
                    c,
                    Value::Nil,
                ));
            }
            Kind::BigRange(_, _, _) => {
                // By index (`bigrange::getitem`) until IndexError.
                return Ok(new_iter(vm, T_RANGE_ITER, IT_SEQ, o, 0, 1, Value::Nil));
            }
            Kind::Dict(_) => {
                return Ok(new_iter(
                    vm,
                    T_DICT_KEYITER,
                    IT_DICT_KEYS,
                    o,
                    0,
                    1,
                    Value::Nil,
                ))
            }
            Kind::Set(s) => {
                let items = crate::set::items(vm, o);
                let lv = ops::new_list(vm, items);
                // `extra` is the set itself: a change of its size is an error.
                return Ok(new_iter(vm, T_SET_ITER, IT_SET, lv, s.used.get(), 1, o));
            }
            Kind::Bytes(s) => {
                return Ok(new_iter(
                    vm,
                    T_BYTES_ITER,
                    IT_BYTES,
                    o,
                    s.len() as i64,
                    1,
                    Value::Nil,
                ))
            }
            Kind::ByteArray(_) => {
                return Ok(new_iter(vm, T_BYTES_ITER, IT_BYTES, o, 0, 1, Value::Nil))
            }
            Kind::Iter(st) => {
                if st.kind >= VIEW_KEYS {
                    let k = st.kind - VIEW_KEYS + IT_DICT_KEYS;
                    let t = if k == IT_DICT_KEYS {
                        T_DICT_KEYITER
                    } else if k == IT_DICT_VALUES {
                        T_DICT_VALUEITER
                    } else {
                        T_DICT_ITEMITER
                    };
                    return Ok(new_iter(vm, t, k, st.seq, 0, 1, Value::Nil));
                }
                return Ok(o);
            }
            Kind::Generator(_) => return Ok(o),
            Kind::File(_) => return Ok(o),
            _ => {}
        }
        if is_user_class(cls) && !lookup_user(cls, Str::from("__getitem__")).is_null() {
            return Ok(new_iter(vm, T_SEQ_ITER, IT_SEQ, o, 0, 1, Value::Nil));
        }
    }
    not_iterable(vm, o)
}

/// `next(it)`; Null when exhausted (StopIteration is not materialised on this path).
pub fn next(vm: Gc<Vm>, it: Value) -> Result<Value, Value> {
    if let Value::Obj(obj) = it {
        match obj.kind {
            Kind::Iter(st) => {
                if !is_user_class(obj.cls.get()) {
                    return next_builtin(vm, st);
                }
            }
            Kind::Generator(f) => {
                let (done, v) = interp::resume(vm, f, Value::Nil)?;
                if done {
                    return Ok(Value::Null);
                }
                return Ok(v);
            }
            Kind::File(_) => {
                let line = crate::builtins::file_readline(vm, it)?;
                if let Some(s) = strs::as_str(line) {
                    if s.is_empty() {
                        return Ok(Value::Null);
                    }
                }
                return Ok(line);
            }
            _ => {}
        }
        let f = lookup(obj.cls.get(), Str::from("__next__"));
        if !f.is_null() {
            return match call::call1(vm, f, it) {
                Ok(v) => Ok(v),
                Err(e) => {
                    if is_instance_id(vm, e, T_STOP_ITERATION) {
                        return Ok(Value::Null);
                    }
                    Err(e)
                }
            };
        }
    }
    type_error(
        vm,
        Str::from("'")
            .concat(type_name(vm, it))
            .concat(Str::from("' object is not an iterator")),
    )
}

fn dict_entry(st: Gc<IterState>) -> i64 {
    // Skips deleted entries; returns the entry index or -1.
    let d = crate::dict::dict_of(st.seq);
    let keys = d.keys.get();
    let mut i = st.index.get();
    while (i as usize) < keys.len() {
        if !keys.get(i as usize).is_null() {
            st.index.set(i + 1);
            return i;
        }
        i += 1;
    }
    st.index.set(i);
    -1
}

fn next_builtin(vm: Gc<Vm>, st: Gc<IterState>) -> Result<Value, Value> {
    let i = st.index.get();
    match st.kind {
        IT_LIST => {
            let l = ops::list_of(st.seq);
            if (i as usize) < l.len() {
                st.index.set(i + 1);
                return Ok(l.get(i as usize));
            }
            st.index.set(1 << 62);
            Ok(Value::Null)
        }
        IT_SET => {
            if let Some(s) = crate::set::set_of(st.extra) {
                if s.used.get() != st.end.get() {
                    st.end.set(s.used.get());
                    return Err(new_exc(
                        vm,
                        T_RUNTIME_ERROR,
                        Str::from("Set changed size during iteration"),
                    ));
                }
            }
            let l = ops::list_of(st.seq);
            if (i as usize) < l.len() {
                st.index.set(i + 1);
                return Ok(l.get(i as usize));
            }
            Ok(Value::Null)
        }
        IT_TUPLE => {
            let t = ops::tuple_items(st.seq);
            if (i as usize) < t.len() {
                st.index.set(i + 1);
                return Ok(t.get(i as usize));
            }
            Ok(Value::Null)
        }
        IT_STR => {
            let s = strs::as_str(st.seq).unwrap_or(Str::from(""));
            if (i as usize) < s.len() {
                let (_, k) = strs::decode_at(s, i as usize);
                st.index.set(i + k as i64);
                if k == 1 {
                    return Ok(vm.chars.get(s.byte_at(i as usize) as usize));
                }
                return Ok(strs::new_str(vm, s.slice(i as usize, i as usize + k)));
            }
            Ok(Value::Null)
        }
        IT_RANGE => {
            if i < st.end.get() {
                st.index.set(i + 1);
                let start = match st.seq {
                    Value::Int(a) => a,
                    _ => 0,
                };
                return Ok(Value::Int(start + i * st.step));
            }
            Ok(Value::Null)
        }
        IT_DICT_KEYS | IT_DICT_VALUES | IT_DICT_ITEMS => {
            let d = crate::dict::dict_of(st.seq);
            let n = crate::dict::len_data(d);
            if i == 0 {
                st.end.set(n);
            } else if n != st.end.get() {
                st.end.set(-1);
                return Err(new_exc(
                    vm,
                    T_RUNTIME_ERROR,
                    Str::from("dictionary changed size during iteration"),
                ));
            }
            let (k, v) = match d.map {
                Some(m) => {
                    // A namespace view: entries are dense.
                    if i >= n {
                        return Ok(Value::Null);
                    }
                    st.index.set(i + 1);
                    let k = if st.kind == IT_DICT_VALUES {
                        Value::Nil
                    } else {
                        crate::dict::map_key_at(vm, m, i as usize)
                    };
                    (k, m.value_at(i as usize))
                }
                None => {
                    let e = dict_entry(st);
                    if e < 0 {
                        return Ok(Value::Null);
                    }
                    (d.keys.get().get(e as usize), d.values.get().get(e as usize))
                }
            };
            if st.kind == IT_DICT_KEYS {
                return Ok(k);
            }
            if st.kind == IT_DICT_VALUES {
                return Ok(v);
            }
            let pair = GcArray::new(2, k);
            pair.set(1, v);
            Ok(ops::new_tuple(vm, pair))
        }
        IT_BYTES => {
            let s = crate::bytes::bytes_of(vm, st.seq)?;
            if (i as usize) < s.len() {
                st.index.set(i + 1);
                return Ok(Value::Int(s.byte_at(i as usize) as i64));
            }
            Ok(Value::Null)
        }
        IT_MAP => {
            let iters = ops::tuple_items(st.seq);
            let args = GcArray::new(iters.len(), Value::Nil);
            for k in 0..iters.len() {
                let x = next(vm, iters.get(k))?;
                if x.is_null() {
                    return Ok(Value::Null);
                }
                args.set(k, x);
            }
            call::call(vm, st.extra, args, vm.no_names)
        }
        IT_FILTER => loop {
            let x = next(vm, st.seq)?;
            if x.is_null() {
                return Ok(Value::Null);
            }
            let keep = if st.extra.is_nil() {
                ops::truthy(vm, x)?
            } else {
                let r = call::call1(vm, st.extra, x)?;
                ops::truthy(vm, r)?
            };
            if keep {
                return Ok(x);
            }
        },
        IT_ZIP => {
            let iters = ops::tuple_items(st.seq);
            if iters.len() == 0 {
                return Ok(Value::Null);
            }
            let items = GcArray::new(iters.len(), Value::Nil);
            for k in 0..iters.len() {
                let x = next(vm, iters.get(k))?;
                if x.is_null() {
                    if st.step == 1 && k > 0 {
                        return value_error(
                            vm,
                            Str::from("zip() argument ")
                                .concat(Str::from_i64(k as i64 + 1))
                                .concat(Str::from(" is shorter than argument 1")),
                        );
                    }
                    return Ok(Value::Null);
                }
                items.set(k, x);
            }
            Ok(ops::new_tuple(vm, items))
        }
        IT_ENUMERATE => {
            let x = next(vm, st.seq)?;
            if x.is_null() {
                return Ok(Value::Null);
            }
            let n = st.end.get();
            st.end.set(n + 1);
            let pair = GcArray::new(2, Value::Int(n));
            pair.set(1, x);
            Ok(ops::new_tuple(vm, pair))
        }
        IT_REVERSED => {
            // `index` counts down from len-1.
            let k = st.end.get();
            if k < 0 {
                return Ok(Value::Null);
            }
            st.end.set(k - 1);
            if let Some(l) = ops::as_list(st.seq) {
                if (k as usize) < l.len() {
                    return Ok(l.get(k as usize));
                }
                return Ok(Value::Null);
            }
            ops::getitem(vm, st.seq, Value::Int(k))
        }
        IT_CALLABLE => {
            if st.end.get() < 0 {
                return Ok(Value::Null);
            }
            let x = call::call0(vm, st.seq)?;
            if ops::eq(vm, x, st.extra)? {
                st.end.set(-1);
                return Ok(Value::Null);
            }
            Ok(x)
        }
        IT_SEQ => {
            let r = ops::getitem(vm, st.seq, Value::Int(i));
            match r {
                Ok(v) => {
                    st.index.set(i + 1);
                    Ok(v)
                }
                Err(e) => {
                    if is_instance_id(vm, e, T_INDEX_ERROR)
                        || is_instance_id(vm, e, T_STOP_ITERATION)
                    {
                        return Ok(Value::Null);
                    }
                    Err(e)
                }
            }
        }
        _ => Ok(Value::Null),
    }
}

/// Sends `v` into a sub-iterator for `yield from`: (finished, yielded or returned value).
pub fn send(vm: Gc<Vm>, it: Value, v: Value) -> Result<(bool, Value), Value> {
    if let Some(f) = generator_frame(it) {
        return interp::resume(vm, f, v);
    }
    if v.is_nil() {
        let x = next(vm, it)?;
        if x.is_null() {
            return Ok((true, Value::Nil));
        }
        return Ok((false, x));
    }
    let m = ops::getattr(vm, it, Str::from("send"))?;
    match call::call1(vm, m, v) {
        Ok(x) => Ok((false, x)),
        Err(e) => {
            if is_instance_id(vm, e, T_STOP_ITERATION) {
                return Ok((true, stop_value(vm, e)));
            }
            Err(e)
        }
    }
}

/// The value carried by a StopIteration.
pub fn stop_value(vm: Gc<Vm>, e: Value) -> Value {
    let _ = vm;
    if let Some(d) = exc_data(e) {
        let args = ops::tuple_items(d.args.get());
        if args.len() > 0 {
            return args.get(0);
        }
    }
    Value::Nil
}
