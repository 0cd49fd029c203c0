//! `dict`: CPython's compact, insertion-ordered layout. Entries (hash, key, value) are appended
//! to dense lists; an open-addressing table of entry indexes finds them. Deleting leaves a
//! `Null` key in the entry list (skipped by iteration) and compaction happens on resize.
//! Keys are compared with `ops::eq` and hashed with `ops::hash`, so user `__eq__`/`__hash__`
//! run (and may raise).
//!
//! A *namespace view* (`Dict::map` set, made by [`new_map_view`]) keeps no entries of its own: it
//! reads and writes a `GcMap<Str, Value>` that the interpreter uses directly (an object's
//! attributes, a module's globals), so `obj.__dict__[k] = v` and `globals()[k] = v` are live.
//! Such a dict only stores str keys (others raise TypeError, a documented difference from
//! CPython, where they are merely unusual); looking up a non-str key finds nothing. Every function
//! here that touches the entry lists checks `map` first; ordinary dicts pay one test.

use crate::exc::*;
use crate::object::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, GcArray, GcList, GcMap, Mut, Str, StrBuilder};

pub fn new_dict_data() -> Gc<Dict> {
    Gc::new(Dict {
        map: None,
        keys: Mut::new(GcList::new()),
        values: Mut::new(GcList::new()),
        hashes: Mut::new(GcList::new()),
        index: Mut::new(GcArray::new(8, -1i64)),
        used: Mut::new(0),
    })
}

/// A new empty dict of class `cls` (before the VM exists).
pub fn new_dict_value(cls: Value) -> Value {
    new_obj(cls, Kind::Dict(new_dict_data()))
}

pub fn new_dict(vm: Gc<Vm>) -> Value {
    new_obj(ty(vm, T_DICT), Kind::Dict(new_dict_data()))
}

/// A dict that is a live view of the namespace `m` (see the module comment).
pub fn new_map_view(vm: Gc<Vm>, m: GcMap<Str, Value>) -> Value {
    let d = Gc::new(Dict {
        map: Some(m),
        keys: Mut::new(GcList::new()),
        values: Mut::new(GcList::new()),
        hashes: Mut::new(GcList::new()),
        index: Mut::new(GcArray::new(0, -1i64)),
        used: Mut::new(0),
    });
    new_obj(ty(vm, T_DICT), Kind::Dict(d))
}

/// The number of entries.
pub fn len_data(d: Gc<Dict>) -> i64 {
    if let Some(m) = d.map {
        return m.len() as i64;
    }
    d.used.get()
}

/// The number of entries of a dict value.
pub fn len(dv: Value) -> i64 {
    len_data(dict_of(dv))
}

/// The key of a namespace view's `i`-th entry, as a str object.
pub fn map_key_at(vm: Gc<Vm>, m: GcMap<Str, Value>, i: usize) -> Value {
    strs::new_str(vm, m.key_at(i))
}

/// A namespace view refuses non-str keys (after checking that the key is hashable, as a dict
/// would).
fn map_key(vm: Gc<Vm>, key: Value) -> Result<Str, Value> {
    if let Some(s) = strs::as_str(key) {
        return Ok(s);
    }
    ops::hash(vm, key)?;
    Err(new_exc(
        vm,
        T_TYPE_ERROR,
        Str::from("pyvm: this namespace dict (an object's __dict__ or globals()) only takes str keys, not ")
            .concat(type_name(vm, key)),
    ))
}

/// The namespace map with a dict's entries: the map of a namespace view, else a new map with a
/// copy of the entries (TypeError for a non-str key).
pub fn namespace_of(vm: Gc<Vm>, dv: Value) -> Result<GcMap<Str, Value>, Value> {
    if let Some(m) = dict_of(dv).map {
        return Ok(m);
    }
    let m: GcMap<Str, Value> = GcMap::new();
    let (ks, vs) = items_of(vm, dv);
    for i in 0..ks.len() {
        m.insert(map_key(vm, ks.get(i))?, vs.get(i));
    }
    Ok(m)
}

/// Empties a dict.
pub fn clear(dv: Value) {
    let d = dict_of(dv);
    if let Some(m) = d.map {
        m.clear();
        return;
    }
    let fresh = new_dict_data();
    d.keys.set(fresh.keys.get());
    d.values.set(fresh.values.get());
    d.hashes.set(fresh.hashes.get());
    d.index.set(fresh.index.get());
    d.used.set(0);
}

pub fn is_dict(v: Value) -> bool {
    if let Value::Obj(o) = v {
        if let Kind::Dict(_) = o.kind {
            return true;
        }
    }
    false
}

pub fn dict_of(v: Value) -> Gc<Dict> {
    if let Value::Obj(o) = v {
        if let Kind::Dict(d) = o.kind {
            return d;
        }
    }
    panic!("not a dict")
}

/// The slot of the table holding the entry for `key`, or the free slot where it would go.
/// Returns (slot, entry index or -1).
fn find(vm: Gc<Vm>, d: Gc<Dict>, key: Value, h: i64) -> Result<(usize, i64), Value> {
    let index = d.index.get();
    let mask = (index.len() - 1) as u64;
    let mut perturb = h as u64;
    let mut i = (h as u64) & mask;
    loop {
        let e = index.get(i as usize);
        if e < 0 {
            return Ok((i as usize, -1));
        }
        let k = d.keys.get().get(e as usize);
        if !k.is_null() && d.hashes.get().get(e as usize) == h {
            if same(k, key) || ops::eq(vm, k, key)? {
                // The table may have been rebuilt by __eq__: look again if so.
                if index.len() != d.index.get().len() {
                    return find(vm, d, key, h);
                }
                return Ok((i as usize, e));
            }
        }
        perturb >>= 5;
        i = (i.wrapping_mul(5).wrapping_add(perturb).wrapping_add(1)) & mask;
    }
}

/// Rebuilds the table (dropping deleted entries) with room for `used * 3` entries.
fn resize(d: Gc<Dict>) {
    let keys = d.keys.get();
    let values = d.values.get();
    let hashes = d.hashes.get();
    let nk: GcList<Value> = GcList::new();
    let nv: GcList<Value> = GcList::new();
    let nh: GcList<i64> = GcList::new();
    for i in 0..keys.len() {
        let k = keys.get(i);
        if !k.is_null() {
            nk.push(k);
            nv.push(values.get(i));
            nh.push(hashes.get(i));
        }
    }
    let mut size: usize = 8;
    while size * 2 < nk.len() * 3 + 3 {
        size *= 2;
    }
    let index = GcArray::new(size, -1i64);
    let mask = (size - 1) as u64;
    for e in 0..nk.len() {
        let h = nh.get(e);
        let mut perturb = h as u64;
        let mut i = (h as u64) & mask;
        while index.get(i as usize) >= 0 {
            perturb >>= 5;
            i = (i.wrapping_mul(5).wrapping_add(perturb).wrapping_add(1)) & mask;
        }
        index.set(i as usize, e as i64);
    }
    d.keys.set(nk);
    d.values.set(nv);
    d.hashes.set(nh);
    d.index.set(index);
}

pub fn lookup_data(vm: Gc<Vm>, d: Gc<Dict>, key: Value) -> Result<Value, Value> {
    if let Some(m) = d.map {
        if let Some(s) = strs::as_str(key) {
            return Ok(m.get(s).unwrap_or(Value::Null));
        }
        ops::hash(vm, key)?;
        return Ok(Value::Null);
    }
    let h = ops::hash(vm, key)?;
    let (_, e) = find(vm, d, key, h)?;
    if e < 0 {
        return Ok(Value::Null);
    }
    Ok(d.values.get().get(e as usize))
}

/// `d[key]` or Null.
pub fn lookup(vm: Gc<Vm>, dv: Value, key: Value) -> Result<Value, Value> {
    lookup_data(vm, dict_of(dv), key)
}

pub fn set_data(vm: Gc<Vm>, d: Gc<Dict>, key: Value, v: Value) -> Result<Value, Value> {
    if let Some(m) = d.map {
        m.insert(map_key(vm, key)?, v);
        return Ok(Value::Nil);
    }
    let h = ops::hash(vm, key)?;
    let (slot, e) = find(vm, d, key, h)?;
    if e >= 0 {
        d.values.get().set(e as usize, v);
        return Ok(Value::Nil);
    }
    let keys = d.keys.get();
    let idx = keys.len();
    keys.push(key);
    d.values.get().push(v);
    d.hashes.get().push(h);
    d.index.get().set(slot, idx as i64);
    d.used.set(d.used.get() + 1);
    if (keys.len() * 3) >= d.index.get().len() * 2 {
        resize(d);
    }
    Ok(Value::Nil)
}

pub fn setitem(vm: Gc<Vm>, dv: Value, key: Value, v: Value) -> Result<Value, Value> {
    set_data(vm, dict_of(dv), key, v)
}

/// Removes `key`; false when absent.
pub fn delitem(vm: Gc<Vm>, dv: Value, key: Value) -> Result<bool, Value> {
    let d = dict_of(dv);
    if let Some(m) = d.map {
        if let Some(s) = strs::as_str(key) {
            return Ok(m.remove(s).is_some());
        }
        ops::hash(vm, key)?;
        return Ok(false);
    }
    let h = ops::hash(vm, key)?;
    let (_, e) = find(vm, d, key, h)?;
    if e < 0 {
        return Ok(false);
    }
    d.keys.get().set(e as usize, Value::Null);
    d.values.get().set(e as usize, Value::Null);
    d.used.set(d.used.get() - 1);
    // The index slot keeps pointing at the dead entry (a tombstone), as in CPython.
    if d.used.get() == 0 {
        resize(d);
    }
    Ok(true)
}

/// `d[name]` for a str key, without user code (Null when absent).
pub fn get_str(dv: Value, name: Str) -> Value {
    let d = dict_of(dv);
    if let Some(m) = d.map {
        return m.get(name).unwrap_or(Value::Null);
    }
    let keys = d.keys.get();
    for i in 0..keys.len() {
        if let Some(s) = strs::as_str(keys.get(i)) {
            if s == name {
                return d.values.get().get(i);
            }
        }
    }
    Value::Null
}

/// The live (key, value) entries, as two lists.
pub fn items_of(vm: Gc<Vm>, dv: Value) -> (GcList<Value>, GcList<Value>) {
    let d = dict_of(dv);
    let ks: GcList<Value> = GcList::new();
    let vs: GcList<Value> = GcList::new();
    if let Some(m) = d.map {
        for i in 0..m.len() {
            ks.push(map_key_at(vm, m, i));
            vs.push(m.value_at(i));
        }
        return (ks, vs);
    }
    let keys = d.keys.get();
    let values = d.values.get();
    for i in 0..keys.len() {
        let k = keys.get(i);
        if !k.is_null() {
            ks.push(k);
            vs.push(values.get(i));
        }
    }
    (ks, vs)
}

/// `d.update(m)` for a dict or an iterable of pairs.
pub fn update(vm: Gc<Vm>, dv: Value, m: Value) -> Result<Value, Value> {
    if is_dict(m) {
        let (ks, vs) = items_of(vm, m);
        for i in 0..ks.len() {
            setitem(vm, dv, ks.get(i), vs.get(i))?;
        }
        return Ok(Value::Nil);
    }
    // A mapping with keys() (user classes).
    let keys_m = ops::getattr_opt(vm, m, Str::from("keys"))?;
    if !keys_m.is_null() {
        let ks = ops::to_list(vm, crate::call::call0(vm, keys_m)?)?;
        for i in 0..ks.len() {
            let v = ops::getitem(vm, m, ks.get(i))?;
            setitem(vm, dv, ks.get(i), v)?;
        }
        return Ok(Value::Nil);
    }
    let items = ops::to_list(vm, m)?;
    for i in 0..items.len() {
        let pair = match ops::to_list(vm, items.get(i)) {
            Ok(p) => p,
            Err(_) => {
                return type_error(
                    vm,
                    Str::from("cannot convert dictionary update sequence element #")
                        .concat(Str::from_i64(i as i64))
                        .concat(Str::from(" to a sequence")),
                )
            }
        };
        if pair.len() != 2 {
            return value_error(
                vm,
                Str::from("dictionary update sequence element #")
                    .concat(Str::from_i64(i as i64))
                    .concat(Str::from(" has length "))
                    .concat(Str::from_i64(pair.len() as i64))
                    .concat(Str::from("; 2 is required")),
            );
        }
        setitem(vm, dv, pair.get(0), pair.get(1))?;
    }
    Ok(Value::Nil)
}

/// `f(**m)`: merges keyword arguments; repeated names are errors.
pub fn merge_kwargs(vm: Gc<Vm>, dv: Value, m: Value, f: Value) -> Result<Value, Value> {
    if !is_dict(m) {
        let keys_m = ops::getattr_opt(vm, m, Str::from("keys"))?;
        if keys_m.is_null() {
            return type_error(
                vm,
                crate::builtins::callable_name(vm, f)
                    .concat(Str::from(" argument after ** must be a mapping, not "))
                    .concat(type_name(vm, m)),
            );
        }
    }
    let tmp = new_dict(vm);
    update(vm, tmp, m)?;
    let (ks, vs) = items_of(vm, tmp);
    for i in 0..ks.len() {
        if !lookup(vm, dv, ks.get(i))?.is_null() {
            return type_error(
                vm,
                crate::builtins::callable_name(vm, f)
                    .concat(Str::from(" got multiple values for keyword argument '"))
                    .concat(strs::as_str(ks.get(i)).unwrap_or(Str::from("?")))
                    .concat(Str::from("'")),
            );
        }
        setitem(vm, dv, ks.get(i), vs.get(i))?;
    }
    Ok(Value::Nil)
}

pub fn copy(vm: Gc<Vm>, dv: Value) -> Result<Value, Value> {
    let r = new_dict(vm);
    update(vm, r, dv)?;
    Ok(r)
}

pub fn equal(vm: Gc<Vm>, a: Value, b: Value) -> Result<bool, Value> {
    if len(a) != len(b) {
        return Ok(false);
    }
    let (ks, vs) = items_of(vm, a);
    for i in 0..ks.len() {
        let w = lookup(vm, b, ks.get(i))?;
        if w.is_null() || !ops::eq(vm, vs.get(i), w)? {
            return Ok(false);
        }
    }
    Ok(true)
}

pub fn repr(vm: Gc<Vm>, dv: Value) -> Result<Str, Value> {
    let (ks, vs) = items_of(vm, dv);
    let out = StrBuilder::new();
    out.push_str(Str::from("{"));
    let depth = vm.depth.get();
    if depth >= vm.recursion_limit.get() || depth >= crate::call::MAX_DEPTH {
        return Err(crate::call::recursion_error(vm));
    }
    vm.depth.set(depth + 1);
    for i in 0..ks.len() {
        if i > 0 {
            out.push_str(Str::from(", "));
        }
        match ops::repr(vm, ks.get(i)) {
            Ok(k) => out.push_str(k),
            Err(e) => {
                vm.depth.set(depth);
                return Err(e);
            }
        }
        out.push_str(Str::from(": "));
        match ops::repr(vm, vs.get(i)) {
            Ok(v) => out.push_str(v),
            Err(e) => {
                vm.depth.set(depth);
                return Err(e);
            }
        }
    }
    vm.depth.set(depth);
    out.push_str(Str::from("}"));
    Ok(out.build())
}
