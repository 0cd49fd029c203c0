//! `set` and `frozenset`: CPython's open-addressing table (linear probes of 9, then perturbed
//! jumps; resize ×4 when 3/5 full), so that iteration, which walks the table, yields the
//! elements in the same order as CPython (visible whenever a set is printed).

use crate::object::*;
use crate::opcode::*;
use crate::ops;
use crate::types::*;
use vmkit::{Gc, GcArray, GcList, Mut, Str, StrBuilder};

const MINSIZE: usize = 8;
const LINEAR_PROBES: u64 = 9;

pub fn new_set_data() -> Gc<PySet> {
    Gc::new(PySet {
        table: Mut::new(GcArray::new(MINSIZE, Value::Null)),
        hashes: Mut::new(GcArray::new(MINSIZE, 0i64)),
        fill: Mut::new(0),
        used: Mut::new(0),
    })
}

pub fn new_set(vm: Gc<Vm>, id: i64) -> Value {
    new_obj(ty(vm, id), Kind::Set(new_set_data()))
}

pub fn set_of(v: Value) -> Option<Gc<PySet>> {
    if let Value::Obj(o) = v {
        if let Kind::Set(s) = o.kind {
            return Some(s);
        }
    }
    None
}

fn data(v: Value) -> Gc<PySet> {
    match set_of(v) {
        Some(s) => s,
        None => panic!("not a set"),
    }
}

fn insert_clean(table: GcArray<Value>, hashes: GcArray<i64>, key: Value, h: i64) {
    let mask = (table.len() - 1) as u64;
    let mut perturb = h as u64;
    let mut i = (h as u64) & mask;
    loop {
        if table.get(i as usize).is_null() {
            table.set(i as usize, key);
            hashes.set(i as usize, h);
            return;
        }
        if i + LINEAR_PROBES <= mask {
            let mut j: u64 = 1;
            while j <= LINEAR_PROBES {
                if table.get((i + j) as usize).is_null() {
                    table.set((i + j) as usize, key);
                    hashes.set((i + j) as usize, h);
                    return;
                }
                j += 1;
            }
        }
        perturb >>= 5;
        i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
    }
}

fn resize(vm: Gc<Vm>, s: Gc<PySet>, minused: i64) {
    let mut size = MINSIZE;
    while size as i64 <= minused {
        size <<= 1;
    }
    let old = s.table.get();
    let oldh = s.hashes.get();
    let table = GcArray::new(size, Value::Null);
    let hashes = GcArray::new(size, 0i64);
    for i in 0..old.len() {
        let k = old.get(i);
        if !k.is_null() && !same(k, vm.dummy) {
            insert_clean(table, hashes, k, oldh.get(i));
        }
    }
    s.table.set(table);
    s.hashes.set(hashes);
    s.fill.set(s.used.get());
}

/// Index of `key` in the table, or -1.
fn find(vm: Gc<Vm>, s: Gc<PySet>, key: Value, h: i64) -> Result<i64, Value> {
    let table = s.table.get();
    let hashes = s.hashes.get();
    let mask = (table.len() - 1) as u64;
    let mut perturb = h as u64;
    let mut i = (h as u64) & mask;
    loop {
        let probes = if i + LINEAR_PROBES <= mask {
            LINEAR_PROBES
        } else {
            0
        };
        let mut j: u64 = 0;
        while j <= probes {
            let k = table.get((i + j) as usize);
            if k.is_null() {
                return Ok(-1);
            }
            if hashes.get((i + j) as usize) == h && !same(k, vm.dummy) {
                if same(k, key) || ops::eq(vm, k, key)? {
                    return Ok((i + j) as i64);
                }
            }
            j += 1;
        }
        perturb >>= 5;
        i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
    }
}

pub fn add_data(vm: Gc<Vm>, s: Gc<PySet>, key: Value) -> Result<Value, Value> {
    let h = ops::hash(vm, key)?;
    let table = s.table.get();
    let hashes = s.hashes.get();
    let mask = (table.len() - 1) as u64;
    let mut perturb = h as u64;
    let mut i = (h as u64) & mask;
    let mut freeslot: i64 = -1;
    loop {
        let probes = if i + LINEAR_PROBES <= mask {
            LINEAR_PROBES
        } else {
            0
        };
        let mut j: u64 = 0;
        while j <= probes {
            let idx = (i + j) as usize;
            let k = table.get(idx);
            if k.is_null() {
                if freeslot >= 0 {
                    table.set(freeslot as usize, key);
                    hashes.set(freeslot as usize, h);
                    s.used.set(s.used.get() + 1);
                    return Ok(Value::Nil);
                }
                table.set(idx, key);
                hashes.set(idx, h);
                s.fill.set(s.fill.get() + 1);
                s.used.set(s.used.get() + 1);
                if s.fill.get() * 5 >= (mask as i64) * 3 {
                    let used = s.used.get();
                    resize(vm, s, if used > 50000 { used * 2 } else { used * 4 });
                }
                return Ok(Value::Nil);
            }
            if same(k, vm.dummy) {
                if freeslot < 0 {
                    freeslot = idx as i64;
                }
            } else if hashes.get(idx) == h && (same(k, key) || ops::eq(vm, k, key)?) {
                return Ok(Value::Nil);
            }
            j += 1;
        }
        perturb >>= 5;
        i = (i.wrapping_mul(5).wrapping_add(1).wrapping_add(perturb)) & mask;
    }
}

pub fn add(vm: Gc<Vm>, sv: Value, key: Value) -> Result<Value, Value> {
    add_data(vm, data(sv), key)
}

/// Removes `key`; false when absent.
pub fn discard(vm: Gc<Vm>, sv: Value, key: Value) -> Result<bool, Value> {
    let s = data(sv);
    let h = ops::hash(vm, key)?;
    let i = find(vm, s, key, h)?;
    if i < 0 {
        return Ok(false);
    }
    s.table.get().set(i as usize, vm.dummy);
    s.hashes.get().set(i as usize, -1);
    s.used.set(s.used.get() - 1);
    Ok(true)
}

pub fn contains(vm: Gc<Vm>, sv: Value, key: Value) -> Result<bool, Value> {
    let s = data(sv);
    let h = match ops::hash(vm, key) {
        Ok(h) => h,
        Err(e) => {
            // `[1] in {1}`: unhashable keys are simply not there... CPython raises TypeError.
            return Err(e);
        }
    };
    Ok(find(vm, s, key, h)? >= 0)
}

/// The elements in table order.
pub fn items(vm: Gc<Vm>, sv: Value) -> GcList<Value> {
    let s = data(sv);
    let table = s.table.get();
    let out: GcList<Value> = GcList::with_capacity(s.used.get() as usize);
    for i in 0..table.len() {
        let k = table.get(i);
        if !k.is_null() && !same(k, vm.dummy) {
            out.push(k);
        }
    }
    out
}

pub fn from_list(vm: Gc<Vm>, l: GcList<Value>, id: i64) -> Result<Value, Value> {
    let s = new_set(vm, id);
    let d = data(s);
    for i in 0..l.len() {
        add_data(vm, d, l.get(i))?;
    }
    Ok(s)
}

pub fn update(vm: Gc<Vm>, sv: Value, it: Value) -> Result<Value, Value> {
    let l = if set_of(it).is_some() {
        items(vm, it)
    } else {
        ops::to_list(vm, it)?
    };
    let d = data(sv);
    for i in 0..l.len() {
        add_data(vm, d, l.get(i))?;
    }
    Ok(Value::Nil)
}

fn same_kind(vm: Gc<Vm>, a: Value) -> i64 {
    if is_subclass(class_of(vm, a), ty(vm, T_FROZENSET)) {
        T_FROZENSET
    } else {
        T_SET
    }
}

/// Set algebra: 0 union, 1 intersection, 2 difference, 3 symmetric difference.
pub fn algebra(vm: Gc<Vm>, which: i64, a: Value, b: Value, id: i64) -> Result<Value, Value> {
    let r = new_set(vm, id);
    let rd = data(r);
    let ai = items(vm, a);
    let bi = if set_of(b).is_some() {
        items(vm, b)
    } else {
        ops::to_list(vm, b)?
    };
    let bset = if set_of(b).is_some() {
        b
    } else {
        from_list(vm, bi, T_SET)?
    };
    if which == 0 {
        for i in 0..ai.len() {
            add_data(vm, rd, ai.get(i))?;
        }
        for i in 0..bi.len() {
            add_data(vm, rd, bi.get(i))?;
        }
    } else if which == 1 {
        for i in 0..ai.len() {
            if contains(vm, bset, ai.get(i))? {
                add_data(vm, rd, ai.get(i))?;
            }
        }
    } else if which == 2 {
        for i in 0..ai.len() {
            if !contains(vm, bset, ai.get(i))? {
                add_data(vm, rd, ai.get(i))?;
            }
        }
    } else {
        for i in 0..ai.len() {
            if !contains(vm, bset, ai.get(i))? {
                add_data(vm, rd, ai.get(i))?;
            }
        }
        for i in 0..bi.len() {
            if !contains(vm, a, bi.get(i))? {
                add_data(vm, rd, bi.get(i))?;
            }
        }
    }
    Ok(r)
}

pub fn binop(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<Value, Value> {
    if set_of(b).is_none() {
        return Ok(Value::Null);
    }
    let which = match op {
        OP_OR => 0,
        OP_AND => 1,
        OP_SUB => 2,
        OP_XOR => 3,
        _ => return Ok(Value::Null),
    };
    algebra(vm, which, a, b, same_kind(vm, a))
}

/// In-place set algebra (`|=` ...): updates `a`.
pub fn inplace(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<Value, Value> {
    let r = binop(vm, op, a, b)?;
    if r.is_null() {
        return Ok(r);
    }
    let s = data(a);
    let rd = data(r);
    s.table.set(rd.table.get());
    s.hashes.set(rd.hashes.get());
    s.fill.set(rd.fill.get());
    s.used.set(rd.used.get());
    Ok(a)
}

pub fn is_subset(vm: Gc<Vm>, a: Value, b: Value) -> Result<bool, Value> {
    let ai = items(vm, a);
    for i in 0..ai.len() {
        if !contains(vm, b, ai.get(i))? {
            return Ok(false);
        }
    }
    Ok(true)
}

pub fn compare(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<i64, Value> {
    let na = data(a).used.get();
    let nb = data(b).used.get();
    let sub = is_subset(vm, a, b)?;
    let sup = is_subset(vm, b, a)?;
    let r = match op {
        CMP_EQ => na == nb && sub,
        CMP_NE => !(na == nb && sub),
        CMP_LE => sub,
        CMP_LT => sub && na < nb,
        CMP_GE => sup,
        _ => sup && na > nb,
    };
    // Encode a boolean answer as a three-way result the caller maps back.
    Ok(match op {
        CMP_EQ => {
            if r {
                0
            } else {
                1
            }
        }
        CMP_NE => {
            if r {
                1
            } else {
                0
            }
        }
        CMP_LE | CMP_LT => {
            if r {
                -1
            } else {
                1
            }
        }
        _ => {
            if r {
                1
            } else {
                -1
            }
        }
    })
}

pub fn hash(vm: Gc<Vm>, v: Value) -> Result<i64, Value> {
    // Order-independent combination (CPython's frozenset hash shuffling).
    let it = items(vm, v);
    let mut h: u64 = 0;
    for i in 0..it.len() {
        let x = ops::hash(vm, it.get(i))? as u64;
        h ^= ((x ^ 89869747) ^ (x << 16)).wrapping_mul(3644798167);
    }
    h ^= (it.len() as u64 + 1).wrapping_mul(1927868237);
    h = h.wrapping_mul(69069).wrapping_add(907133923);
    let r = h as i64;
    Ok(if r == -1 { 590923713 } else { r })
}

pub fn repr(vm: Gc<Vm>, v: Value) -> Result<Str, Value> {
    let it = items(vm, v);
    let cls = class_of(vm, v);
    let name = class_data(cls).name.get();
    let frozen = is_subclass(cls, ty(vm, T_FROZENSET));
    if it.len() == 0 {
        return Ok(name.concat(Str::from("()")));
    }
    let out = StrBuilder::new();
    let plain = same(cls, ty(vm, T_SET));
    if !plain {
        out.push_str(name);
        out.push_str(Str::from("("));
    }
    let _ = frozen;
    out.push_str(Str::from("{"));
    for i in 0..it.len() {
        if i > 0 {
            out.push_str(Str::from(", "));
        }
        out.push_str(ops::repr(vm, it.get(i))?);
    }
    out.push_str(Str::from("}"));
    if !plain {
        out.push_str(Str::from(")"));
    }
    Ok(out.build())
}
