//! The `random` module: CPython's Mersenne Twister (MT19937, `init_by_array` seeding from the
//! 32-bit words of `abs(seed)`) and its algorithms for `random`, `getrandbits`, `randrange`
//! (rejection sampling on `getrandbits`), `choice`, `shuffle`, `sample` and `uniform`, so a
//! seeded program prints what CPython prints. The state (624 words and an index) is a list of
//! ints in the `_state` attribute of the module or of a `random.Random` instance.

use crate::exc::*;
use crate::object::*;
use crate::ops;
use crate::types::*;
use vmkit::{Gc, GcArray, GcList, Str};

const N: usize = 624;
const M: usize = 397;

fn state_of(vm: Gc<Vm>, owner: Value) -> Result<GcList<Value>, Value> {
    if let Value::Obj(o) = owner {
        if let Some(a) = o.attrs.get() {
            if let Some(s) = a.get(Str::from("_state")) {
                if let Some(l) = ops::as_list(s) {
                    return Ok(l);
                }
            }
            // First use without a seed: a fixed seed (programs in the suite always seed).
            let l: GcList<Value> = GcList::new();
            for _ in 0..(N + 1) {
                l.push(Value::Int(0));
            }
            a.insert(Str::from("_state"), ops::new_list(vm, l));
            seed_words(l, GcArray::new(1, 5489u64));
            return Ok(l);
        }
    }
    Err(new_exc(
        vm,
        T_TYPE_ERROR,
        Str::from("random: no generator state"),
    ))
}

fn word(l: GcList<Value>, i: usize) -> u64 {
    match l.get(i) {
        Value::Int(v) => v as u64,
        _ => 0,
    }
}

fn set_word(l: GcList<Value>, i: usize, v: u64) {
    l.set(i, Value::Int((v & 0xffff_ffff) as i64));
}

fn init_genrand(l: GcList<Value>, s: u64) {
    set_word(l, 0, s);
    for i in 1..N {
        let prev = word(l, i - 1);
        let v = 1812433253u64
            .wrapping_mul(prev ^ (prev >> 30))
            .wrapping_add(i as u64);
        set_word(l, i, v);
    }
    l.set(N, Value::Int(N as i64));
}

fn seed_words(l: GcList<Value>, key: GcArray<u64>) {
    init_genrand(l, 19650218);
    let mut i: usize = 1;
    let mut j: usize = 0;
    let klen = key.len();
    let mut k = if N > klen { N } else { klen };
    while k > 0 {
        let prev = word(l, i - 1);
        let v = (word(l, i) ^ (prev ^ (prev >> 30)).wrapping_mul(1664525))
            .wrapping_add(key.get(j))
            .wrapping_add(j as u64);
        set_word(l, i, v);
        i += 1;
        j += 1;
        if i >= N {
            set_word(l, 0, word(l, N - 1));
            i = 1;
        }
        if j >= klen {
            j = 0;
        }
        k -= 1;
    }
    k = N - 1;
    while k > 0 {
        let prev = word(l, i - 1);
        let v =
            (word(l, i) ^ (prev ^ (prev >> 30)).wrapping_mul(1566083941)).wrapping_sub(i as u64);
        set_word(l, i, v);
        i += 1;
        if i >= N {
            set_word(l, 0, word(l, N - 1));
            i = 1;
        }
        k -= 1;
    }
    set_word(l, 0, 0x8000_0000);
    l.set(N, Value::Int(N as i64));
}

fn genrand(l: GcList<Value>) -> u64 {
    let mut idx = match l.get(N) {
        Value::Int(v) => v as usize,
        _ => N,
    };
    if idx >= N {
        for kk in 0..N {
            let y = (word(l, kk) & 0x8000_0000) | (word(l, (kk + 1) % N) & 0x7fff_ffff);
            let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
            let v = word(l, (kk + M) % N) ^ (y >> 1) ^ mag;
            set_word(l, kk, v);
        }
        idx = 0;
    }
    let mut y = word(l, idx);
    l.set(N, Value::Int((idx + 1) as i64));
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c_5680;
    y ^= (y << 15) & 0xefc6_0000;
    y ^= y >> 18;
    y & 0xffff_ffff
}

fn random_float(l: GcList<Value>) -> f64 {
    let a = genrand(l) >> 5;
    let b = genrand(l) >> 6;
    (a as f64 * 67108864.0 + b as f64) * (1.0 / 9007199254740992.0)
}

/// `getrandbits(k)` as a Python int.
fn getrandbits(vm: Gc<Vm>, l: GcList<Value>, k: i64) -> Value {
    if k <= 32 {
        return Value::Int((genrand(l) >> (32 - k)) as i64);
    }
    // Little-endian 32-bit words; the last one keeps its top bits.
    let mut acc = Value::Int(0);
    let mut shift: i64 = 0;
    let mut left = k;
    while left > 0 {
        let mut r = genrand(l);
        if left < 32 {
            r >>= 32 - left;
        }
        let part = ops::binary_op(
            vm,
            crate::opcode::OP_LSHIFT,
            Value::Int(r as i64),
            Value::Int(shift),
        );
        acc = match part {
            Ok(p) => ops::binary_op(vm, crate::opcode::OP_OR, acc, p).unwrap_or(acc),
            Err(_) => acc,
        };
        shift += 32;
        left -= 32;
    }
    acc
}

fn bit_length(vm: Gc<Vm>, n: Value) -> i64 {
    match ops::int_view(n) {
        ops::IntView::Small(v) => {
            let mut m = if v < 0 {
                0u64.wrapping_sub(v as u64)
            } else {
                v as u64
            };
            let mut b = 0;
            while m != 0 {
                m >>= 1;
                b += 1;
            }
            b
        }
        ops::IntView::Big(b) => crate::bigint::bit_length(b),
        ops::IntView::NotInt => {
            let _ = vm;
            0
        }
    }
}

/// `_randbelow(n)`: getrandbits(n.bit_length()) until below n.
fn randbelow(vm: Gc<Vm>, l: GcList<Value>, n: Value) -> Result<Value, Value> {
    let k = bit_length(vm, n);
    loop {
        let r = getrandbits(vm, l, k);
        if ops::truthy(vm, ops::compare(vm, crate::opcode::CMP_LT, r, n)?)? {
            return Ok(r);
        }
    }
}

fn seed(vm: Gc<Vm>, l: GcList<Value>, s: Value) -> Result<Value, Value> {
    let v = if s.is_nil() || s.is_null() {
        Value::Int(0)
    } else {
        s
    };
    let v = match ops::int_view(v) {
        ops::IntView::NotInt => Value::Int(ops::hash(vm, v)?),
        _ => v,
    };
    let a = if ops::truthy(
        vm,
        ops::compare(vm, crate::opcode::CMP_LT, v, Value::Int(0))?,
    )? {
        ops::unary(vm, 1, v)?
    } else {
        v
    };
    let words: GcList<u64> = GcList::new();
    let mut x = a;
    while ops::truthy(vm, x)? {
        let low = ops::binary_op(vm, crate::opcode::OP_AND, x, Value::Int(0xffff_ffff))?;
        words.push(match low {
            Value::Int(w) => w as u64,
            _ => 0,
        });
        x = ops::binary_op(vm, crate::opcode::OP_RSHIFT, x, Value::Int(32))?;
    }
    if words.len() == 0 {
        words.push(0);
    }
    let key = GcArray::new(words.len(), 0u64);
    for i in 0..words.len() {
        key.set(i, words.get(i));
    }
    seed_words(l, key);
    Ok(Value::Nil)
}

fn randrange(vm: Gc<Vm>, l: GcList<Value>, args: GcArray<Value>, n: usize) -> Result<Value, Value> {
    let (start, stop, step) = if n == 1 {
        (Value::Int(0), args.get(0), Value::Int(1))
    } else {
        (
            args.get(0),
            args.get(1),
            if n > 2 { args.get(2) } else { Value::Int(1) },
        )
    };
    let width = ops::binary_op(vm, crate::opcode::OP_SUB, stop, start)?;
    if let Value::Int(1) = step {
        if !ops::truthy(
            vm,
            ops::compare(vm, crate::opcode::CMP_GT, width, Value::Int(0))?,
        )? {
            return value_error(
                vm,
                Str::from("empty range for randrange() (")
                    .concat(ops::repr(vm, start)?)
                    .concat(Str::from(", "))
                    .concat(ops::repr(vm, stop)?)
                    .concat(Str::from(", "))
                    .concat(ops::repr(vm, width)?)
                    .concat(Str::from(")")),
            );
        }
        let r = randbelow(vm, l, width)?;
        return ops::binary_op(vm, crate::opcode::OP_ADD, start, r);
    }
    let s1 = ops::binary_op(vm, crate::opcode::OP_ADD, width, step)?;
    let s2 = ops::binary_op(vm, crate::opcode::OP_SUB, s1, Value::Int(1))?;
    let count = ops::binary_op(vm, crate::opcode::OP_FLOORDIV, s2, step)?;
    if !ops::truthy(
        vm,
        ops::compare(vm, crate::opcode::CMP_GT, count, Value::Int(0))?,
    )? {
        return value_error(vm, Str::from("empty range for randrange()"));
    }
    let r = randbelow(vm, l, count)?;
    let off = ops::binary_op(vm, crate::opcode::OP_MUL, step, r)?;
    ops::binary_op(vm, crate::opcode::OP_ADD, start, off)
}

pub fn call(
    vm: Gc<Vm>,
    i: i64,
    selfv: Value,
    args: GcArray<Value>,
    names: GcArray<Str>,
) -> Result<Value, Value> {
    let n = args.len() - names.len();
    if i == 9 {
        // random.Random(seed): an object with its own state and bound methods.
        let inst = new_obj_with_attrs(ty(vm, T_OBJECT), Kind::Plain);
        if let Value::Obj(o) = inst {
            if let Some(a) = o.attrs.get() {
                for k in 0..9 {
                    let id = crate::builtins::MODULE_BASE + 300 + k;
                    a.insert(
                        crate::modules::func_name(id),
                        new_obj(ty(vm, T_BUILTIN), Kind::Builtin(id, inst)),
                    );
                }
            }
        }
        let l = state_of(vm, inst)?;
        seed(vm, l, if n > 0 { args.get(0) } else { Value::Nil })?;
        return Ok(inst);
    }
    let l = state_of(vm, selfv)?;
    match i {
        0 => seed(vm, l, if n > 0 { args.get(0) } else { Value::Nil }),
        1 => Ok(Value::Float(random_float(l))),
        2 => {
            let b1 = ops::binary_op(vm, crate::opcode::OP_ADD, args.get(1), Value::Int(1))?;
            let a = GcArray::new(2, args.get(0));
            a.set(1, b1);
            randrange(vm, l, a, 2)
        }
        3 => randrange(vm, l, args, n),
        4 => {
            let seq = args.get(0);
            let len = crate::builtins::len_of(vm, seq)?;
            if len == 0 {
                return Err(new_exc(
                    vm,
                    T_INDEX_ERROR,
                    Str::from("Cannot choose from an empty sequence"),
                ));
            }
            let j = randbelow(vm, l, Value::Int(len))?;
            ops::getitem(vm, seq, j)
        }
        5 => {
            let x = args.get(0);
            let len = crate::builtins::len_of(vm, x)?;
            let mut k = len - 1;
            while k >= 1 {
                let j = randbelow(vm, l, Value::Int(k + 1))?;
                let a = ops::getitem(vm, x, Value::Int(k))?;
                let b = ops::getitem(vm, x, j)?;
                ops::setitem(vm, x, Value::Int(k), b)?;
                ops::setitem(vm, x, j, a)?;
                k -= 1;
            }
            Ok(Value::Nil)
        }
        6 => {
            let pop = ops::to_list(vm, args.get(0))?;
            let k = ops::index_of(vm, args.get(1))?;
            let nn = pop.len() as i64;
            if k < 0 || k > nn {
                return value_error(
                    vm,
                    Str::from("Sample larger than population or is negative"),
                );
            }
            let result: GcList<Value> = GcList::new();
            let mut setsize: i64 = 21;
            if k > 5 {
                // 4 ** ceil(log(3k, 4))
                let mut p: i64 = 1;
                while p < k * 3 {
                    p *= 4;
                }
                setsize += p;
            }
            if nn <= setsize {
                let pool: GcList<Value> = GcList::new();
                for j in 0..pop.len() {
                    pool.push(pop.get(j));
                }
                for j in 0..k {
                    let r = randbelow(vm, l, Value::Int(nn - j))?;
                    let ri = ops::index_of(vm, r)? as usize;
                    result.push(pool.get(ri));
                    pool.set(ri, pool.get((nn - j - 1) as usize));
                }
            } else {
                let selected = crate::set::new_set(vm, T_SET);
                for _ in 0..k {
                    let mut r = randbelow(vm, l, Value::Int(nn))?;
                    while crate::set::contains(vm, selected, r)? {
                        r = randbelow(vm, l, Value::Int(nn))?;
                    }
                    crate::set::add(vm, selected, r)?;
                    result.push(pop.get(ops::index_of(vm, r)? as usize));
                }
            }
            Ok(ops::new_list(vm, result))
        }
        7 => {
            let a = crate::builtins::to_float(vm, args.get(0))?;
            let b = crate::builtins::to_float(vm, args.get(1))?;
            Ok(Value::Float(a + (b - a) * random_float(l)))
        }
        8 => {
            let k = ops::index_of(vm, args.get(0))?;
            if k < 0 {
                return value_error(vm, Str::from("number of bits must be non-negative"));
            }
            if k == 0 {
                return Ok(Value::Int(0));
            }
            Ok(getrandbits(vm, l, k))
        }
        _ => type_error(vm, Str::from("random: unsupported function")),
    }
}
