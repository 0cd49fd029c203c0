//! Operations on values: arithmetic (machine integers overflow into big integers), comparison,
//! truth, hashing, `repr`/`str`, subscription, attributes and the special-method protocol.
//!
//! Built-in behaviour is written for the built-in *kinds*; a user class's special method (found
//! with [`lookup_user`]) takes precedence, as in CPython where a Python-level `__add__`
//! overrides the slot inherited from the built-in base.

use crate::bigint;
use crate::bigint::BigInt;
use crate::call;
use crate::exc::*;
use crate::object::*;
use crate::opcode::*;
use crate::strs;
use crate::types::*;
use vmkit::{Gc, GcArray, GcList, Str};

// ---------------------------------------------------------------------------------------------
// Constructors and accessors

pub fn new_tuple(vm: Gc<Vm>, items: GcArray<Value>) -> Value {
    if items.len() == 0 {
        return vm.empty_tuple;
    }
    new_obj(ty(vm, T_TUPLE), Kind::Tuple(items))
}

pub fn new_list(vm: Gc<Vm>, items: GcList<Value>) -> Value {
    new_obj(ty(vm, T_LIST), Kind::List(items))
}

pub fn new_cell(vm: Gc<Vm>, v: Value) -> Value {
    new_obj(
        ty(vm, T_CELL),
        Kind::Cell(Gc::new(Cell {
            value: vmkit::Mut::new(v),
        })),
    )
}

pub fn long_value(vm: Gc<Vm>, b: Gc<BigInt>) -> Value {
    match bigint::to_i64(b) {
        Some(i) => Value::Int(i),
        None => new_obj(ty(vm, T_INT), Kind::Long(b)),
    }
}

/// The items of a list value (which must be a list).
pub fn list_of(v: Value) -> GcList<Value> {
    if let Value::Obj(o) = v {
        if let Kind::List(l) = o.kind {
            return l;
        }
    }
    panic!("not a list")
}

pub fn as_list(v: Value) -> Option<GcList<Value>> {
    if let Value::Obj(o) = v {
        if let Kind::List(l) = o.kind {
            return Some(l);
        }
    }
    None
}

pub fn as_tuple(v: Value) -> Option<GcArray<Value>> {
    if let Value::Obj(o) = v {
        if let Kind::Tuple(t) = o.kind {
            return Some(t);
        }
    }
    None
}

pub fn tuple_items(v: Value) -> GcArray<Value> {
    match as_tuple(v) {
        Some(t) => t,
        None => panic!("not a tuple"),
    }
}

/// The names of a `CALL_FUNCTION_KW` (a tuple of str constants).
pub fn tuple_names(v: Value) -> GcArray<Str> {
    let t = tuple_items(v);
    let out = GcArray::new(t.len(), Str::from(""));
    for i in 0..t.len() {
        out.set(i, strs::as_str(t.get(i)).unwrap_or(Str::from("")));
    }
    out
}

pub fn as_long(v: Value) -> Option<Gc<BigInt>> {
    if let Value::Obj(o) = v {
        if let Kind::Long(b) = o.kind {
            return Some(b);
        }
    }
    None
}

/// An integer view of ints, bools and big ints.
#[derive(Clone, Copy)]
pub enum IntView {
    Small(i64),
    Big(Gc<BigInt>),
    NotInt,
}

pub fn int_view(v: Value) -> IntView {
    match v {
        Value::Int(i) => IntView::Small(i),
        Value::Bool(b) => IntView::Small(b as i64),
        Value::Obj(o) => match o.kind {
            Kind::Long(b) => IntView::Big(b),
            _ => IntView::NotInt,
        },
        _ => IntView::NotInt,
    }
}

fn to_big(v: IntView) -> Gc<BigInt> {
    match v {
        IntView::Small(i) => bigint::from_i64(i),
        IntView::Big(b) => b,
        IntView::NotInt => bigint::from_i64(0),
    }
}

/// A float view of ints, bools, big ints and floats (None if not a number; Err on overflow).
pub fn float_view(vm: Gc<Vm>, v: Value) -> Result<Option<f64>, Value> {
    match v {
        Value::Float(f) => Ok(Some(f)),
        Value::Int(i) => Ok(Some(i as f64)),
        Value::Bool(b) => Ok(Some(if b { 1.0 } else { 0.0 })),
        Value::Obj(o) => match o.kind {
            Kind::Long(b) => match bigint::to_f64(b) {
                Some(f) => Ok(Some(f)),
                None => Err(new_exc(
                    vm,
                    T_OVERFLOW_ERROR,
                    Str::from("int too large to convert to float"),
                )),
            },
            _ => Ok(None),
        },
        _ => Ok(None),
    }
}

// ---------------------------------------------------------------------------------------------
// Truth

pub fn truthy(vm: Gc<Vm>, v: Value) -> Result<bool, Value> {
    match v {
        Value::Null => Ok(false),
        Value::Nil => Ok(false),
        Value::Bool(b) => Ok(b),
        Value::Int(i) => Ok(i != 0),
        Value::Float(f) => Ok(f != 0.0),
        Value::Obj(o) => {
            let cls = o.cls.get();
            if is_user_class(cls) {
                let m = lookup_user(cls, Str::from("__bool__"));
                if !m.is_null() {
                    let r = call::call1(vm, m, v)?;
                    return match r {
                        Value::Bool(b) => Ok(b),
                        _ => Err(new_exc(
                            vm,
                            T_TYPE_ERROR,
                            Str::from("__bool__ should return bool, returned ")
                                .concat(type_name(vm, r)),
                        )),
                    };
                }
                let m = lookup_user(cls, Str::from("__len__"));
                if !m.is_null() {
                    let r = call::call1(vm, m, v)?;
                    return Ok(index_of(vm, r)? != 0);
                }
            }
            match o.kind {
                Kind::Str(s, _) => Ok(s.len() > 0),
                Kind::Bytes(s) => Ok(s.len() > 0),
                Kind::ByteArray(l) => Ok(l.len() > 0),
                Kind::List(l) => Ok(l.len() > 0),
                Kind::Tuple(t) => Ok(t.len() > 0),
                Kind::Dict(d) => Ok(crate::dict::len_data(d) > 0),
                Kind::Set(s) => Ok(s.used.get() > 0),
                Kind::Long(b) => Ok(!bigint::is_zero(b)),
                Kind::Range(a, b, c) => Ok(range_len(a, b, c) > 0),
                Kind::BigRange(a, b, c) => {
                    let n = crate::bigrange::len_value(vm, a, b, c)?;
                    Ok(!matches!(n, Value::Int(0)))
                }
                _ => Ok(true),
            }
        }
    }
}

pub fn range_len(start: i64, stop: i64, step: i64) -> i64 {
    if step > 0 && start < stop {
        let diff = (stop as u64).wrapping_sub(start as u64) - 1;
        (diff / step as u64 + 1) as i64
    } else if step < 0 && start > stop {
        let diff = (start as u64).wrapping_sub(stop as u64) - 1;
        (diff / (0u64.wrapping_sub(step as u64)) + 1) as i64
    } else {
        0
    }
}

// ---------------------------------------------------------------------------------------------
// Arithmetic

fn op_name(op: i64) -> Str {
    match op {
        OP_ADD => Str::from("+"),
        OP_SUB => Str::from("-"),
        OP_MUL => Str::from("*"),
        OP_TRUEDIV => Str::from("/"),
        OP_FLOORDIV => Str::from("//"),
        OP_MOD => Str::from("%"),
        OP_POW => Str::from("** or pow()"),
        OP_LSHIFT => Str::from("<<"),
        OP_RSHIFT => Str::from(">>"),
        OP_AND => Str::from("&"),
        OP_OR => Str::from("|"),
        OP_XOR => Str::from("^"),
        _ => Str::from("@"),
    }
}

fn dunder(op: i64) -> Str {
    match op {
        OP_ADD => Str::from("add"),
        OP_SUB => Str::from("sub"),
        OP_MUL => Str::from("mul"),
        OP_TRUEDIV => Str::from("truediv"),
        OP_FLOORDIV => Str::from("floordiv"),
        OP_MOD => Str::from("mod"),
        OP_POW => Str::from("pow"),
        OP_LSHIFT => Str::from("lshift"),
        OP_RSHIFT => Str::from("rshift"),
        OP_AND => Str::from("and"),
        OP_OR => Str::from("or"),
        OP_XOR => Str::from("xor"),
        _ => Str::from("matmul"),
    }
}

fn unsupported(vm: Gc<Vm>, op: i64, a: Value, b: Value, inplace: bool) -> Result<Value, Value> {
    let sym = if inplace && op != OP_POW {
        op_name(op).concat(Str::from("="))
    } else if inplace {
        Str::from("**=")
    } else {
        op_name(op)
    };
    type_error(
        vm,
        Str::from("unsupported operand type(s) for ")
            .concat(sym)
            .concat(Str::from(": '"))
            .concat(type_name(vm, a))
            .concat(Str::from("' and '"))
            .concat(type_name(vm, b))
            .concat(Str::from("'")),
    )
}

fn is_not_implemented(vm: Gc<Vm>, v: Value) -> bool {
    same(v, vm.not_implemented)
}

pub fn has_user_class(v: Value) -> bool {
    match v {
        Value::Obj(o) => is_user_class(o.cls.get()),
        _ => false,
    }
}

/// `a op b`.
pub fn binary_op(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<Value, Value> {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        let r = int_op(vm, op, x, y)?;
        if !r.is_null() {
            return Ok(r);
        }
    }
    if let (Value::Float(x), Value::Float(y)) = (a, b) {
        let r = float_op(vm, op, x, y)?;
        if !r.is_null() {
            return Ok(r);
        }
    }
    binary_slow(vm, op, a, b, false)
}

fn binary_slow(vm: Gc<Vm>, op: i64, a: Value, b: Value, inplace: bool) -> Result<Value, Value> {
    if has_user_class(a) || has_user_class(b) {
        let name = Str::from("__").concat(dunder(op)).concat(Str::from("__"));
        let rname = Str::from("__r").concat(dunder(op)).concat(Str::from("__"));
        let ca = class_of(vm, a);
        let cb = class_of(vm, b);
        let fa = lookup_user(ca, name);
        let fb = if same(ca, cb) {
            Value::Null
        } else {
            lookup_user(cb, rname)
        };
        // A subclass's reflected method goes first.
        if !fb.is_null() && is_subclass(cb, ca) && !same(ca, cb) {
            let r = call_implemented(vm, fb, b, a)?;
            if !r.is_null() {
                return Ok(r);
            }
            let r = call_implemented(vm, fa, a, b)?;
            if !r.is_null() {
                return Ok(r);
            }
        } else {
            let r = call_implemented(vm, fa, a, b)?;
            if !r.is_null() {
                return Ok(r);
            }
            return binary_after_lhs(vm, op, a, b, inplace);
        }
    }
    builtin_or_unsupported(vm, op, a, b, inplace)
}

/// `a <op> b` once `a`'s own method (if any) is done with it (absent or NotImplemented) and `b`
/// has no precedence over `a`: `b`'s reflected method, then the built-in operation.
pub fn binary_after_lhs(
    vm: Gc<Vm>,
    op: i64,
    a: Value,
    b: Value,
    inplace: bool,
) -> Result<Value, Value> {
    if has_user_class(a) || has_user_class(b) {
        let ca = class_of(vm, a);
        let cb = class_of(vm, b);
        if !same(ca, cb) {
            let rname = Str::from("__r").concat(dunder(op)).concat(Str::from("__"));
            let r = call_implemented(vm, lookup_user(cb, rname), b, a)?;
            if !r.is_null() {
                return Ok(r);
            }
        }
    }
    builtin_or_unsupported(vm, op, a, b, inplace)
}

/// `f(x, y)` for an operator method `f`: Null when `f` is Null or returned NotImplemented.
fn call_implemented(vm: Gc<Vm>, f: Value, x: Value, y: Value) -> Result<Value, Value> {
    if f.is_null() {
        return Ok(Value::Null);
    }
    let r = call::call2(vm, f, x, y)?;
    Ok(if is_not_implemented(vm, r) {
        Value::Null
    } else {
        r
    })
}

fn builtin_or_unsupported(
    vm: Gc<Vm>,
    op: i64,
    a: Value,
    b: Value,
    inplace: bool,
) -> Result<Value, Value> {
    let r = builtin_binop(vm, op, a, b)?;
    if r.is_null() {
        return unsupported(vm, op, a, b, inplace);
    }
    Ok(r)
}

/// Whether `v` is `NotImplemented`.
pub fn not_implemented(vm: Gc<Vm>, v: Value) -> bool {
    is_not_implemented(vm, v)
}

/// `a op= b`.
pub fn inplace_op(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<Value, Value> {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        let r = int_op(vm, op, x, y)?;
        if !r.is_null() {
            return Ok(r);
        }
    }
    if has_user_class(a) {
        let name = Str::from("__i").concat(dunder(op)).concat(Str::from("__"));
        let f = lookup_user(class_of(vm, a), name);
        if !f.is_null() {
            let r = call::call2(vm, f, a, b)?;
            if !is_not_implemented(vm, r) {
                return Ok(r);
            }
        }
    }
    // Mutable built-ins update in place.
    if let Value::Obj(o) = a {
        match o.kind {
            Kind::List(l) => {
                if op == OP_ADD {
                    extend_list(vm, l, b)?;
                    return Ok(a);
                }
                if op == OP_MUL {
                    list_imul(vm, l, a, b)?;
                    return Ok(a);
                }
            }
            Kind::Set(_) => {
                if same(class_of(vm, a), ty(vm, T_SET))
                    || class_data(class_of(vm, a)).builtin == T_SET
                {
                    let r = crate::set::inplace(vm, op, a, b)?;
                    if !r.is_null() {
                        return Ok(r);
                    }
                }
            }
            Kind::Dict(_) => {
                if op == OP_OR && crate::dict::is_dict(b) {
                    crate::dict::update(vm, a, b)?;
                    return Ok(a);
                }
            }
            Kind::ByteArray(l) => {
                if op == OP_ADD {
                    bytearray_iadd(vm, l, b)?;
                    return Ok(a);
                }
            }
            _ => {}
        }
    }
    binary_slow(vm, op, a, b, true)
}

/// `ba += b` (out of line: it loops).
fn bytearray_iadd(vm: Gc<Vm>, l: GcList<u8>, b: Value) -> Result<Value, Value> {
    let bs = crate::bytes::bytes_of(vm, b)?;
    for i in 0..bs.len() {
        l.push(bs.byte_at(i));
    }
    Ok(Value::Nil)
}

/// `l *= n` (out of line: it loops).
fn list_imul(vm: Gc<Vm>, l: GcList<Value>, a: Value, b: Value) -> Result<Value, Value> {
    let n = index_of(vm, b)?;
    let items = to_list(vm, a)?;
    l.clear();
    let mut k = 0;
    while k < n {
        for i in 0..items.len() {
            l.push(items.get(i));
        }
        k += 1;
    }
    Ok(Value::Nil)
}

fn int_op(vm: Gc<Vm>, op: i64, x: i64, y: i64) -> Result<Value, Value> {
    match op {
        OP_ADD => match x.checked_add(y) {
            Some(r) => Ok(Value::Int(r)),
            None => Ok(long_value(
                vm,
                bigint::add(bigint::from_i64(x), bigint::from_i64(y)),
            )),
        },
        OP_SUB => match x.checked_sub(y) {
            Some(r) => Ok(Value::Int(r)),
            None => Ok(long_value(
                vm,
                bigint::sub(bigint::from_i64(x), bigint::from_i64(y)),
            )),
        },
        OP_MUL => match x.checked_mul(y) {
            Some(r) => Ok(Value::Int(r)),
            None => Ok(long_value(
                vm,
                bigint::mul(bigint::from_i64(x), bigint::from_i64(y)),
            )),
        },
        OP_FLOORDIV | OP_MOD => {
            if y == 0 {
                return err(vm, T_ZERO_DIVISION_ERROR, zero_div_msg(op));
            }
            if x == i64::MIN && y == -1 {
                return long_op(vm, op, IntView::Small(x), IntView::Small(y));
            }
            let q = x / y;
            let r = x % y;
            let (q, r) = if r != 0 && ((r < 0) != (y < 0)) {
                (q - 1, r + y)
            } else {
                (q, r)
            };
            Ok(Value::Int(if op == OP_FLOORDIV { q } else { r }))
        }
        OP_TRUEDIV => int_truediv(vm, IntView::Small(x), IntView::Small(y)),
        OP_AND => Ok(Value::Int(x & y)),
        OP_OR => Ok(Value::Int(x | y)),
        OP_XOR => Ok(Value::Int(x ^ y)),
        OP_LSHIFT => {
            if y < 0 {
                return value_error(vm, Str::from("negative shift count"));
            }
            if y < 63 {
                let r = x << y;
                if (r >> y) == x {
                    return Ok(Value::Int(r));
                }
            }
            long_op(vm, op, IntView::Small(x), IntView::Small(y))
        }
        OP_RSHIFT => {
            if y < 0 {
                return value_error(vm, Str::from("negative shift count"));
            }
            Ok(Value::Int(if y >= 64 {
                if x < 0 {
                    -1
                } else {
                    0
                }
            } else {
                x >> y
            }))
        }
        OP_POW => int_pow(vm, x, y),
        _ => Ok(Value::Null),
    }
}

fn zero_div_msg(op: i64) -> Str {
    if op == OP_MOD {
        Str::from("integer modulo by zero")
    } else {
        Str::from("integer division or modulo by zero")
    }
}

/// `x ** y` on machine integers (a separate function: it loops, and the JIT traces only
/// loop-free code).
fn int_pow(vm: Gc<Vm>, x: i64, y: i64) -> Result<Value, Value> {
    let op = OP_POW;
    if y < 0 {
        return float_op(vm, OP_POW, x as f64, y as f64);
    }
    let mut result: i64 = 1;
    let mut base = x;
    let mut e = y;
    loop {
        if e & 1 == 1 {
            match result.checked_mul(base) {
                Some(r) => result = r,
                None => return long_op(vm, op, IntView::Small(x), IntView::Small(y)),
            }
        }
        e >>= 1;
        if e == 0 {
            break;
        }
        match base.checked_mul(base) {
            Some(b) => base = b,
            None => return long_op(vm, op, IntView::Small(x), IntView::Small(y)),
        }
    }
    Ok(Value::Int(result))
}

fn int_truediv(vm: Gc<Vm>, a: IntView, b: IntView) -> Result<Value, Value> {
    let bz = match b {
        IntView::Small(y) => y == 0,
        IntView::Big(y) => bigint::is_zero(y),
        IntView::NotInt => false,
    };
    if bz {
        return err(vm, T_ZERO_DIVISION_ERROR, Str::from("division by zero"));
    }
    if let (IntView::Small(x), IntView::Small(y)) = (a, b) {
        let lim: i64 = 1 << 53;
        if x > -lim && x < lim && y > -lim && y < lim {
            return Ok(Value::Float(x as f64 / y as f64));
        }
    }
    match bigint::truediv(to_big(a), to_big(b)) {
        Some(f) => Ok(Value::Float(f)),
        None => err(
            vm,
            T_OVERFLOW_ERROR,
            Str::from("integer division result too large for a float"),
        ),
    }
}

fn long_op(vm: Gc<Vm>, op: i64, a: IntView, b: IntView) -> Result<Value, Value> {
    let x = to_big(a);
    let y = to_big(b);
    match op {
        OP_ADD => Ok(long_value(vm, bigint::add(x, y))),
        OP_SUB => Ok(long_value(vm, bigint::sub(x, y))),
        OP_MUL => Ok(long_value(vm, bigint::mul(x, y))),
        OP_FLOORDIV | OP_MOD => {
            if bigint::is_zero(y) {
                return err(vm, T_ZERO_DIVISION_ERROR, zero_div_msg(op));
            }
            if op == OP_FLOORDIV {
                Ok(long_value(vm, bigint::floordiv(x, y)))
            } else {
                Ok(long_value(vm, bigint::modulo(x, y)))
            }
        }
        OP_TRUEDIV => int_truediv(vm, a, b),
        OP_AND => Ok(long_value(vm, bigint::bit_and(x, y))),
        OP_OR => Ok(long_value(vm, bigint::bit_or(x, y))),
        OP_XOR => Ok(long_value(vm, bigint::bit_xor(x, y))),
        OP_LSHIFT | OP_RSHIFT => {
            if y.neg {
                return value_error(vm, Str::from("negative shift count"));
            }
            let n = match bigint::to_i64(y) {
                Some(n) => n,
                None => {
                    if op == OP_RSHIFT {
                        return Ok(Value::Int(if x.neg { -1 } else { 0 }));
                    }
                    return err(
                        vm,
                        T_OVERFLOW_ERROR,
                        Str::from("too many digits in integer"),
                    );
                }
            };
            if op == OP_LSHIFT {
                if n > 1 << 32 && !bigint::is_zero(x) {
                    return err(vm, T_MEMORY_ERROR, Str::from(""));
                }
                Ok(long_value(vm, bigint::shl(x, n as u64)))
            } else {
                Ok(long_value(vm, bigint::shr(x, n as u64)))
            }
        }
        OP_POW => {
            if y.neg {
                let fx = float_view(
                    vm,
                    Value::Obj(Gc::new(Object {
                        cls: vmkit::Mut::new(ty(vm, T_INT)),
                        kind: Kind::Long(x),
                        attrs: vmkit::Mut::new(None),
                        shape: vmkit::Mut::new(None),
                        slots: vmkit::Mut::new(None),
                        ident: vmkit::Mut::new(0),
                    })),
                )?
                .unwrap_or(0.0);
                let fy = match bigint::to_f64(y) {
                    Some(f) => f,
                    None => 0.0 - f64::INFINITY,
                };
                return float_op(vm, OP_POW, fx, fy);
            }
            match bigint::to_i64(y) {
                Some(e) => {
                    if e > 1 << 28 && bigint::bit_length(x) > 1 {
                        return err(vm, T_MEMORY_ERROR, Str::from(""));
                    }
                    Ok(long_value(vm, bigint::pow(x, e as u64)))
                }
                None => err(vm, T_MEMORY_ERROR, Str::from("")),
            }
        }
        _ => Ok(Value::Null),
    }
}

pub fn is_inf(f: f64) -> bool {
    f == f64::INFINITY || f == 0.0 - f64::INFINITY
}

pub fn is_finite(f: f64) -> bool {
    f == f && !is_inf(f)
}

/// Python's float `%` (result has the sign of the divisor).
pub fn float_mod(x: f64, y: f64) -> f64 {
    let m = x % y;
    if m != 0.0 {
        if (y < 0.0) != (m < 0.0) {
            return m + y;
        }
        m
    } else {
        // Zero with the sign of y.
        if y < 0.0 {
            -0.0
        } else {
            0.0
        }
    }
}

pub fn float_floordiv(x: f64, y: f64) -> f64 {
    let m = x % y;
    let mut div = (x - m) / y;
    if m != 0.0 && ((y < 0.0) != (m < 0.0)) {
        div -= 1.0;
    }
    if div != 0.0 {
        let fl = div.floor();
        if div - fl > 0.5 {
            return fl + 1.0;
        }
        fl
    } else {
        // Zero with the sign of x / y.
        0.0 * (x / y)
    }
}

fn float_op(vm: Gc<Vm>, op: i64, x: f64, y: f64) -> Result<Value, Value> {
    match op {
        OP_ADD => Ok(Value::Float(x + y)),
        OP_SUB => Ok(Value::Float(x - y)),
        OP_MUL => Ok(Value::Float(x * y)),
        OP_TRUEDIV => {
            if y == 0.0 {
                return err(
                    vm,
                    T_ZERO_DIVISION_ERROR,
                    Str::from("float division by zero"),
                );
            }
            Ok(Value::Float(x / y))
        }
        OP_FLOORDIV => {
            if y == 0.0 {
                return err(
                    vm,
                    T_ZERO_DIVISION_ERROR,
                    Str::from("float floor division by zero"),
                );
            }
            Ok(Value::Float(float_floordiv(x, y)))
        }
        OP_MOD => {
            if y == 0.0 {
                return err(vm, T_ZERO_DIVISION_ERROR, Str::from("float modulo"));
            }
            Ok(Value::Float(float_mod(x, y)))
        }
        OP_POW => {
            if x == 0.0 && y < 0.0 {
                return err(
                    vm,
                    T_ZERO_DIVISION_ERROR,
                    Str::from("0.0 cannot be raised to a negative power"),
                );
            }
            if x < 0.0 && y != y.floor() && is_finite(y) {
                return value_error(vm, Str::from("math domain error"));
            }
            let r = x.powf(y);
            if is_inf(r) && is_finite(x) && is_finite(y) {
                return err(
                    vm,
                    T_OVERFLOW_ERROR,
                    Str::from("(34, 'Numerical result out of range')"),
                );
            }
            Ok(Value::Float(r))
        }
        _ => Ok(Value::Null),
    }
}

/// The built-in meaning of `a op b` (Null when unsupported), without special methods.
pub fn builtin_binop_pub(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<Value, Value> {
    builtin_binop(vm, op, a, b)
}

/// Identity, or two bound methods of the same function and the same `self` (CPython compares
/// `__self__` by identity).
fn same_or_equal_method(a: Value, b: Value) -> bool {
    if same(a, b) {
        return true;
    }
    if let (Value::Obj(x), Value::Obj(y)) = (a, b) {
        if let (Kind::Method(f1, s1), Kind::Method(f2, s2)) = (x.kind, y.kind) {
            return same(f1, f2) && same(s1, s2);
        }
    }
    false
}

/// A rich comparison with the built-in meaning only (NotImplemented when not comparable).
pub fn compare_kind(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<Value, Value> {
    let c = builtin_cmp(vm, op, a, b)?;
    if c == 2 {
        if op == CMP_EQ || op == CMP_NE {
            return Ok(Value::Bool(same_or_equal_method(a, b) == (op == CMP_EQ)));
        }
        return Ok(vm.not_implemented);
    }
    if c == 3 {
        return Ok(Value::Bool(op == CMP_NE));
    }
    Ok(Value::Bool(cmp_result(op, c)))
}

/// A dict keys/items view as a set (for set operators and comparisons), or Null.
fn view_as_set(vm: Gc<Vm>, v: Value) -> Result<Value, Value> {
    if let Value::Obj(o) = v {
        if let Kind::Iter(st) = o.kind {
            if st.kind == crate::iter::VIEW_KEYS || st.kind == crate::iter::VIEW_ITEMS {
                let items = to_list(vm, v)?;
                return crate::set::from_list(vm, items, T_SET);
            }
        }
    }
    Ok(Value::Null)
}

fn builtin_binop(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<Value, Value> {
    let va = view_as_set(vm, a)?;
    if !va.is_null() {
        let other = if crate::set::set_of(b).is_some() {
            b
        } else {
            view_as_set(vm, b)?
        };
        if !other.is_null() {
            return crate::set::binop(vm, op, va, other);
        }
        return Ok(Value::Null);
    }
    let ia = int_view(a);
    let ib = int_view(b);
    match (ia, ib) {
        (IntView::Small(x), IntView::Small(y)) => return int_op(vm, op, x, y),
        (IntView::NotInt, _) => {}
        (_, IntView::NotInt) => {}
        _ => return long_op(vm, op, ia, ib),
    }
    let is_num_a = matches!(a, Value::Float(_)) || !matches!(ia, IntView::NotInt);
    let is_num_b = matches!(b, Value::Float(_)) || !matches!(ib, IntView::NotInt);
    if is_num_a && is_num_b {
        if op == OP_LSHIFT || op == OP_RSHIFT || op == OP_AND || op == OP_OR || op == OP_XOR {
            return Ok(Value::Null);
        }
        let x = float_view(vm, a)?.unwrap_or(0.0);
        let y = float_view(vm, b)?.unwrap_or(0.0);
        return float_op(vm, op, x, y);
    }
    if let Value::Obj(o) = a {
        match o.kind {
            Kind::Str(s, n) => {
                if op == OP_ADD {
                    if let Some(t) = strs::as_str_obj(b) {
                        return Ok(strs::concat(vm, s, n, t));
                    }
                    return type_error(
                        vm,
                        Str::from("can only concatenate str (not \"")
                            .concat(type_name(vm, b))
                            .concat(Str::from("\") to str")),
                    );
                }
                if op == OP_MUL {
                    if let IntView::Small(k) = ib {
                        return Ok(strs::repeat(vm, s, n, k));
                    }
                }
                if op == OP_MOD {
                    return crate::format::percent(vm, a, b);
                }
            }
            Kind::List(l) => {
                if op == OP_ADD {
                    if let Some(m) = as_list(b) {
                        let r: GcList<Value> = GcList::with_capacity(l.len() + m.len());
                        for i in 0..l.len() {
                            r.push(l.get(i));
                        }
                        for i in 0..m.len() {
                            r.push(m.get(i));
                        }
                        return Ok(new_list(vm, r));
                    }
                    return type_error(
                        vm,
                        Str::from("can only concatenate list (not \"")
                            .concat(type_name(vm, b))
                            .concat(Str::from("\") to list")),
                    );
                }
                if op == OP_MUL {
                    if let IntView::Small(k) = ib {
                        let r: GcList<Value> = GcList::new();
                        let mut j = 0;
                        while j < k {
                            for i in 0..l.len() {
                                r.push(l.get(i));
                            }
                            j += 1;
                        }
                        return Ok(new_list(vm, r));
                    }
                }
            }
            Kind::Tuple(t) => {
                if op == OP_ADD {
                    if let Some(u) = as_tuple(b) {
                        let r = GcArray::new(t.len() + u.len(), Value::Nil);
                        for i in 0..t.len() {
                            r.set(i, t.get(i));
                        }
                        for i in 0..u.len() {
                            r.set(t.len() + i, u.get(i));
                        }
                        return Ok(new_tuple(vm, r));
                    }
                    return type_error(
                        vm,
                        Str::from("can only concatenate tuple (not \"")
                            .concat(type_name(vm, b))
                            .concat(Str::from("\") to tuple")),
                    );
                }
                if op == OP_MUL {
                    if let IntView::Small(k) = ib {
                        let k = if k < 0 { 0 } else { k as usize };
                        let r = GcArray::new(t.len() * k, Value::Nil);
                        for j in 0..k {
                            for i in 0..t.len() {
                                r.set(j * t.len() + i, t.get(i));
                            }
                        }
                        return Ok(new_tuple(vm, r));
                    }
                }
            }
            Kind::Set(_) => return crate::set::binop(vm, op, a, b),
            Kind::Dict(_) => {
                if op == OP_OR && crate::dict::is_dict(b) {
                    let d = crate::dict::copy(vm, a)?;
                    crate::dict::update(vm, d, b)?;
                    return Ok(d);
                }
            }
            Kind::Bytes(_) | Kind::ByteArray(_) => return crate::bytes::binop(vm, op, a, b),
            _ => {}
        }
    }
    if op == OP_MUL {
        let seq_a = match a {
            Value::Obj(o) => matches!(
                o.kind,
                Kind::Str(_, _)
                    | Kind::List(_)
                    | Kind::Tuple(_)
                    | Kind::Bytes(_)
                    | Kind::ByteArray(_)
            ),
            _ => false,
        };
        let seq_b = match b {
            Value::Obj(o) => matches!(
                o.kind,
                Kind::Str(_, _)
                    | Kind::List(_)
                    | Kind::Tuple(_)
                    | Kind::Bytes(_)
                    | Kind::ByteArray(_)
            ),
            _ => false,
        };
        let other = if seq_a { b } else { a };
        if (seq_a || seq_b) && matches!(int_view(other), IntView::NotInt) && !(seq_a && seq_b) {
            if !has_user_class(other) {
                return type_error(
                    vm,
                    Str::from("can't multiply sequence by non-int of type '")
                        .concat(type_name(vm, other))
                        .concat(Str::from("'")),
                );
            }
        }
    }
    // int * sequence
    if op == OP_MUL {
        if let IntView::Small(_) = ia {
            if let Value::Obj(o) = b {
                match o.kind {
                    Kind::Str(_, _) | Kind::List(_) | Kind::Tuple(_) | Kind::Bytes(_) => {
                        return builtin_binop(vm, op, b, a)
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(Value::Null)
}

/// Unary operators: 0 `+`, 1 `-`, 2 `~`.
pub fn unary(vm: Gc<Vm>, which: i64, a: Value) -> Result<Value, Value> {
    if has_user_class(a) {
        let name = if which == 0 {
            Str::from("__pos__")
        } else if which == 1 {
            Str::from("__neg__")
        } else {
            Str::from("__invert__")
        };
        let f = lookup_user(class_of(vm, a), name);
        if !f.is_null() {
            return call::call1(vm, f, a);
        }
    }
    match int_view(a) {
        IntView::Small(x) => {
            return Ok(if which == 0 {
                Value::Int(x)
            } else if which == 1 {
                match 0i64.checked_sub(x) {
                    Some(r) => Value::Int(r),
                    None => long_value(vm, bigint::neg(bigint::from_i64(x))),
                }
            } else {
                Value::Int(!x)
            })
        }
        IntView::Big(b) => {
            return Ok(if which == 0 {
                a
            } else if which == 1 {
                long_value(vm, bigint::neg(b))
            } else {
                long_value(vm, bigint::invert(b))
            })
        }
        IntView::NotInt => {}
    }
    if let Value::Float(f) = a {
        if which == 0 {
            return Ok(a);
        }
        if which == 1 {
            return Ok(Value::Float(-f));
        }
    }
    let sym = if which == 0 {
        Str::from("unary +")
    } else if which == 1 {
        Str::from("unary -")
    } else {
        Str::from("unary ~")
    };
    type_error(
        vm,
        Str::from("bad operand type for ")
            .concat(sym)
            .concat(Str::from(": '"))
            .concat(type_name(vm, a))
            .concat(Str::from("'")),
    )
}

/// `__index__`: `v` as a Python int (a machine int, or the big int itself), through a user
/// class's `__index__`; TypeError for anything else.
pub fn index_value(vm: Gc<Vm>, v: Value) -> Result<Value, Value> {
    match int_view(v) {
        IntView::Small(i) => Ok(Value::Int(i)),
        IntView::Big(_) => Ok(v),
        IntView::NotInt => {
            if has_user_class(v) {
                let f = lookup_user(class_of(vm, v), Str::from("__index__"));
                if !f.is_null() {
                    let r = call::call1(vm, f, v)?;
                    return index_value(vm, r);
                }
            }
            Err(new_exc(
                vm,
                T_TYPE_ERROR,
                Str::from("'")
                    .concat(type_name(vm, v))
                    .concat(Str::from("' object cannot be interpreted as an integer")),
            ))
        }
    }
}

/// `__index__`: an integer usable as an index (machine-sized).
pub fn index_of(vm: Gc<Vm>, v: Value) -> Result<i64, Value> {
    match index_value(vm, v)? {
        Value::Int(i) => Ok(i),
        _ => Err(new_exc(
            vm,
            T_INDEX_ERROR,
            Str::from("cannot fit 'int' into an index-sized integer"),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Comparison and hashing

fn cmp_sym(op: i64) -> Str {
    match op {
        CMP_LT => Str::from("<"),
        CMP_LE => Str::from("<="),
        CMP_EQ => Str::from("=="),
        CMP_NE => Str::from("!="),
        CMP_GT => Str::from(">"),
        _ => Str::from(">="),
    }
}

fn cmp_dunder(op: i64) -> Str {
    match op {
        CMP_LT => Str::from("__lt__"),
        CMP_LE => Str::from("__le__"),
        CMP_EQ => Str::from("__eq__"),
        CMP_NE => Str::from("__ne__"),
        CMP_GT => Str::from("__gt__"),
        _ => Str::from("__ge__"),
    }
}

fn swapped(op: i64) -> i64 {
    match op {
        CMP_LT => CMP_GT,
        CMP_LE => CMP_GE,
        CMP_GT => CMP_LT,
        CMP_GE => CMP_LE,
        _ => op,
    }
}

fn cmp_result(op: i64, c: i64) -> bool {
    match op {
        CMP_LT => c < 0,
        CMP_LE => c <= 0,
        CMP_EQ => c == 0,
        CMP_NE => c != 0,
        CMP_GT => c > 0,
        _ => c >= 0,
    }
}

/// `a op b` for the rich comparisons.
pub fn compare(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<Value, Value> {
    if let (Value::Int(x), Value::Int(y)) = (a, b) {
        return Ok(Value::Bool(cmp_result(
            op,
            if x < y {
                -1
            } else if x > y {
                1
            } else {
                0
            },
        )));
    }
    if has_user_class(a) || has_user_class(b) {
        let ca = class_of(vm, a);
        let cb = class_of(vm, b);
        let fa = lookup_user(ca, cmp_dunder(op));
        let fb = lookup_user(cb, cmp_dunder(swapped(op)));
        let b_first = !same(ca, cb) && is_subclass(cb, ca) && !fb.is_null();
        if b_first {
            let r = call::call2(vm, fb, b, a)?;
            if !is_not_implemented(vm, r) {
                return Ok(r);
            }
        }
        if !fa.is_null() {
            let r = call::call2(vm, fa, a, b)?;
            if !is_not_implemented(vm, r) {
                return Ok(r);
            }
        }
        if !b_first && !fb.is_null() {
            let r = call::call2(vm, fb, b, a)?;
            if !is_not_implemented(vm, r) {
                return Ok(r);
            }
        }
        if op == CMP_NE {
            // Default __ne__ inverts __eq__.
            let feq = lookup_user(ca, Str::from("__eq__"));
            if !feq.is_null() {
                let r = call::call2(vm, feq, a, b)?;
                if !is_not_implemented(vm, r) {
                    return Ok(Value::Bool(!truthy(vm, r)?));
                }
            }
        }
    }
    let c = builtin_cmp(vm, op, a, b)?;
    if c == 2 {
        if op == CMP_EQ {
            return Ok(Value::Bool(same_or_equal_method(a, b)));
        }
        if op == CMP_NE {
            return Ok(Value::Bool(!same_or_equal_method(a, b)));
        }
        return type_error(
            vm,
            Str::from("'")
                .concat(cmp_sym(op))
                .concat(Str::from("' not supported between instances of '"))
                .concat(type_name(vm, a))
                .concat(Str::from("' and '"))
                .concat(type_name(vm, b))
                .concat(Str::from("'")),
        );
    }
    if c == 3 {
        // Unordered (NaN).
        return Ok(Value::Bool(op == CMP_NE));
    }
    Ok(Value::Bool(cmp_result(op, c)))
}

fn cmp3_i(x: i64, y: i64) -> i64 {
    if x < y {
        -1
    } else if x > y {
        1
    } else {
        0
    }
}

fn cmp_int_float(vm: Gc<Vm>, a: IntView, f: f64) -> Result<i64, Value> {
    if f != f {
        return Ok(3);
    }
    if f == f64::INFINITY {
        return Ok(-1);
    }
    if f == 0.0 - f64::INFINITY {
        return Ok(1);
    }
    let fl = f.floor();
    let fb = bigint::from_f64(fl);
    let c = bigint::cmp(to_big(a), fb);
    let _ = vm;
    if c != 0 {
        return Ok(c);
    }
    // Equal integer parts: the fraction decides.
    Ok(if f > fl { -1 } else { 0 })
}

/// Three-way comparison of built-in values: -1/0/1, 2 = not comparable, 3 = unordered.
fn builtin_cmp(vm: Gc<Vm>, op: i64, a: Value, b: Value) -> Result<i64, Value> {
    let va = view_as_set(vm, a)?;
    if !va.is_null() {
        let vb = if crate::set::set_of(b).is_some() {
            b
        } else {
            view_as_set(vm, b)?
        };
        if !vb.is_null() {
            return crate::set::compare(vm, op, va, vb);
        }
    }
    let ia = int_view(a);
    let ib = int_view(b);
    match (ia, ib) {
        (IntView::Small(x), IntView::Small(y)) => return Ok(cmp3_i(x, y)),
        (IntView::NotInt, _) => {}
        (_, IntView::NotInt) => {}
        _ => return Ok(bigint::cmp(to_big(ia), to_big(ib))),
    }
    if let Value::Float(x) = a {
        if let Value::Float(y) = b {
            if x != x || y != y {
                return Ok(3);
            }
            return Ok(if x < y {
                -1
            } else if x > y {
                1
            } else {
                0
            });
        }
        if !matches!(ib, IntView::NotInt) {
            let c = cmp_int_float(vm, ib, x)?;
            return Ok(if c == 3 { 3 } else { 0 - c });
        }
    }
    if let Value::Float(y) = b {
        if !matches!(ia, IntView::NotInt) {
            return cmp_int_float(vm, ia, y);
        }
    }
    if let (Value::Obj(x), Value::Obj(y)) = (a, b) {
        match (x.kind, y.kind) {
            (Kind::Str(s, _), Kind::Str(t, _)) => {
                if op == CMP_EQ || op == CMP_NE {
                    return Ok(if s == t { 0 } else { 1 });
                }
                return Ok(s.compare(t));
            }
            (Kind::List(l), Kind::List(m)) => {
                return seq_cmp(vm, op, l.len(), m.len(), a, b);
            }
            (Kind::Tuple(l), Kind::Tuple(m)) => {
                return seq_cmp(vm, op, l.len(), m.len(), a, b);
            }
            (Kind::Bytes(_), _) | (Kind::ByteArray(_), _) => {
                if crate::bytes::is_bytes_like(b) {
                    let s = crate::bytes::bytes_of(vm, a)?;
                    let t = crate::bytes::bytes_of(vm, b)?;
                    return Ok(s.compare(t));
                }
            }
            (Kind::Slice(a1, b1, c1), Kind::Slice(a2, b2, c2)) => {
                let t1 = GcArray::new(3, a1);
                t1.set(1, b1);
                t1.set(2, c1);
                let t2 = GcArray::new(3, a2);
                t2.set(1, b2);
                t2.set(2, c2);
                return builtin_cmp(vm, op, new_tuple(vm, t1), new_tuple(vm, t2));
            }
            (Kind::Dict(_), Kind::Dict(_)) => {
                if op == CMP_EQ || op == CMP_NE {
                    return Ok(if crate::dict::equal(vm, a, b)? { 0 } else { 1 });
                }
                return Ok(2);
            }
            (Kind::Set(_), Kind::Set(_)) => return crate::set::compare(vm, op, a, b),
            (Kind::Range(a1, b1, c1), Kind::Range(a2, b2, c2)) => {
                if op == CMP_EQ || op == CMP_NE {
                    let n1 = range_len(a1, b1, c1);
                    let n2 = range_len(a2, b2, c2);
                    let eq = n1 == n2 && (n1 == 0 || (a1 == a2 && (n1 == 1 || c1 == c2)));
                    return Ok(if eq { 0 } else { 1 });
                }
                return Ok(2);
            }
            (Kind::BigRange(_, _, _), Kind::Range(_, _, _))
            | (Kind::BigRange(_, _, _), Kind::BigRange(_, _, _))
            | (Kind::Range(_, _, _), Kind::BigRange(_, _, _)) => {
                if op == CMP_EQ || op == CMP_NE {
                    if let (Some(r1), Some(r2)) =
                        (crate::bigrange::parts(a), crate::bigrange::parts(b))
                    {
                        let eq = crate::bigrange::equal(vm, r1, r2)?;
                        return Ok(if eq { 0 } else { 1 });
                    }
                }
                return Ok(2);
            }
            _ => {}
        }
    }
    if op == CMP_EQ || op == CMP_NE {
        return Ok(if same(a, b) { 0 } else { 2 });
    }
    Ok(2)
}

fn seq_item(v: Value, i: usize) -> Value {
    if let Value::Obj(o) = v {
        match o.kind {
            Kind::List(l) => return l.get(i),
            Kind::Tuple(t) => return t.get(i),
            _ => {}
        }
    }
    Value::Null
}

fn seq_cmp(vm: Gc<Vm>, op: i64, n: usize, m: usize, a: Value, b: Value) -> Result<i64, Value> {
    let mut i: usize = 0;
    while i < n && i < m {
        // The lengths may change under user code: re-read each time.
        let x = seq_item(a, i);
        let y = seq_item(b, i);
        if !eq(vm, x, y)? {
            if op == CMP_EQ || op == CMP_NE {
                return Ok(1);
            }
            if truthy(vm, compare(vm, CMP_LT, x, y)?)? {
                return Ok(-1);
            }
            return Ok(1);
        }
        i += 1;
    }
    Ok(cmp3_i(n as i64, m as i64))
}

/// `a == b` as a bool (identity first, as containers do).
pub fn eq(vm: Gc<Vm>, a: Value, b: Value) -> Result<bool, Value> {
    if same(a, b) {
        return Ok(true);
    }
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => return Ok(x == y),
        (Value::Obj(x), Value::Obj(y)) => match (x.kind, y.kind) {
            (Kind::Str(s, _), Kind::Str(t, _)) => {
                if !has_user_class(a) && !has_user_class(b) {
                    return Ok(s == t);
                }
            }
            // Tuples of the built-in class (dict keys, sort keys): element by element, each
            // with the identity shortcut, as CPython's tuple comparison.
            (Kind::Tuple(p), Kind::Tuple(q)) => {
                if !has_user_class(a) && !has_user_class(b) {
                    if p.len() != q.len() {
                        return Ok(false);
                    }
                    for i in 0..p.len() {
                        if !eq(vm, p.get(i), q.get(i))? {
                            return Ok(false);
                        }
                    }
                    return Ok(true);
                }
            }
            _ => {}
        },
        _ => {}
    }
    let r = compare(vm, CMP_EQ, a, b)?;
    truthy(vm, r)
}

const HASH_MODULUS: i64 = (1 << 61) - 1;

fn hash_int(x: i64) -> i64 {
    let neg = x < 0;
    let m = if neg {
        0u64.wrapping_sub(x as u64)
    } else {
        x as u64
    };
    let r = (m % (HASH_MODULUS as u64)) as i64;
    let r = if neg { 0 - r } else { r };
    if r == -1 {
        -2
    } else {
        r
    }
}

/// CPython's hash of a float: equal to the hash of an equal integer.
pub fn hash_float(f: f64) -> i64 {
    if is_inf(f) {
        return if f > 0.0 { 314159 } else { -314159 };
    }
    if f != f {
        return 0;
    }
    if f == f.floor() && f.abs() < 9.0e18 {
        return hash_int(f as i64);
    }
    // Reduce mantissa * 2**exp modulo 2**61 - 1.
    let neg = f < 0.0;
    let mut m = f.abs();
    let mut e: i64 = 0;
    while m >= 1.0 {
        m *= 0.5;
        e += 1;
    }
    while m < 0.5 && m != 0.0 {
        m *= 2.0;
        e -= 1;
    }
    let mut x: u64 = 0;
    while m != 0.0 {
        x = ((x << 28) & (HASH_MODULUS as u64)) | (x >> (61 - 28));
        m *= 268435456.0;
        e -= 28;
        let y = m as u64;
        m -= y as f64;
        x += y;
        if x >= HASH_MODULUS as u64 {
            x -= HASH_MODULUS as u64;
        }
    }
    let e = if e >= 0 {
        e % 61
    } else {
        61 - 1 - ((-1 - e) % 61)
    };
    x = ((x << e) & (HASH_MODULUS as u64)) | (x >> (61 - e));
    let mut r = x as i64;
    if neg {
        r = 0 - r;
    }
    if r == -1 {
        -2
    } else {
        r
    }
}

/// `hash(v)`.
pub fn hash(vm: Gc<Vm>, v: Value) -> Result<i64, Value> {
    match v {
        Value::Int(x) => Ok(hash_int(x)),
        Value::Bool(b) => Ok(b as i64),
        Value::Float(f) => Ok(hash_float(f)),
        Value::Nil => Ok(0x12345),
        Value::Null => Ok(0),
        Value::Obj(o) => {
            let cls = o.cls.get();
            if is_user_class(cls) {
                let f = lookup_user(cls, Str::from("__hash__"));
                if !f.is_null() {
                    if f.is_nil() {
                        return unhashable(vm, v);
                    }
                    let r = call::call1(vm, f, v)?;
                    return match int_view(r) {
                        IntView::Small(i) => Ok(if i == -1 { -2 } else { i }),
                        IntView::Big(b) => Ok(bigint::hash(b)),
                        IntView::NotInt => Err(new_exc(
                            vm,
                            T_TYPE_ERROR,
                            Str::from("__hash__ method should return an integer"),
                        )),
                    };
                }
                if !lookup_user(cls, Str::from("__eq__")).is_null() {
                    return unhashable(vm, v);
                }
            }
            match o.kind {
                Kind::Str(s, _) => Ok(((s.hash() >> 2) as i64) & 0x0fff_ffff_ffff_ffff),
                Kind::Bytes(s) => Ok(((s.hash() >> 2) as i64) & 0x0fff_ffff_ffff_ffff),
                Kind::Long(b) => Ok(bigint::hash(b)),
                Kind::Tuple(t) => {
                    // CPython's xxHash-based tuple hash.
                    let p1: u64 = 11400714785074694791;
                    let p2: u64 = 14029467366897019727;
                    let p5: u64 = 2870177450012600261;
                    let mut acc: u64 = p5;
                    for i in 0..t.len() {
                        let h = hash(vm, t.get(i))? as u64;
                        acc = acc.wrapping_add(h.wrapping_mul(p2));
                        acc = (acc << 31) | (acc >> 33);
                        acc = acc.wrapping_mul(p1);
                    }
                    acc = acc.wrapping_add((t.len() as u64) ^ (p5 ^ 3527539));
                    let r = acc as i64;
                    Ok(if r == -1 { 1546275796 } else { r })
                }
                Kind::List(_) | Kind::Dict(_) | Kind::ByteArray(_) => unhashable(vm, v),
                Kind::Set(s) => {
                    if same(cls, ty(vm, T_SET))
                        || class_data(cls).builtin == T_SET && !is_frozen(vm, v)
                    {
                        return unhashable(vm, v);
                    }
                    let _ = s;
                    crate::set::hash(vm, v)
                }
                Kind::Slice(_, _, _) => unhashable(vm, v),
                _ => Ok(id_of(vm, v)),
            }
        }
    }
}

fn is_frozen(vm: Gc<Vm>, v: Value) -> bool {
    is_subclass(class_of(vm, v), ty(vm, T_FROZENSET))
}

fn unhashable(vm: Gc<Vm>, v: Value) -> Result<i64, Value> {
    Err(new_exc(
        vm,
        T_TYPE_ERROR,
        Str::from("unhashable type: '")
            .concat(type_name(vm, v))
            .concat(Str::from("'")),
    ))
}

/// `id(v)`: the host address of objects (stable: the GC does not move objects... see
/// `builtins::id`), a tagged value for immediates.
pub fn id_of(vm: Gc<Vm>, v: Value) -> i64 {
    match v {
        Value::Obj(o) => crate::builtins::object_id(vm, o),
        Value::Int(i) => i.wrapping_mul(2).wrapping_add(1),
        Value::Float(f) => (f as i64).wrapping_mul(4).wrapping_add(3),
        Value::Bool(b) => b as i64 + 10,
        Value::Nil => 12,
        Value::Null => 14,
    }
}

// ---------------------------------------------------------------------------------------------
// repr / str

pub fn repr(vm: Gc<Vm>, v: Value) -> Result<Str, Value> {
    crate::repr::repr(vm, v)
}

pub fn str_of(vm: Gc<Vm>, v: Value) -> Result<Str, Value> {
    crate::repr::str_of(vm, v)
}

// ---------------------------------------------------------------------------------------------
// Sequences

/// All items of an iterable, in a new list.
pub fn to_list(vm: Gc<Vm>, v: Value) -> Result<GcList<Value>, Value> {
    if let Value::Obj(o) = v {
        match o.kind {
            Kind::List(l) => {
                let r: GcList<Value> = GcList::with_capacity(l.len());
                for i in 0..l.len() {
                    r.push(l.get(i));
                }
                return Ok(r);
            }
            Kind::Tuple(t) => {
                let r: GcList<Value> = GcList::with_capacity(t.len());
                for i in 0..t.len() {
                    r.push(t.get(i));
                }
                return Ok(r);
            }
            _ => {}
        }
    }
    let r: GcList<Value> = GcList::new();
    extend_list(vm, r, v)?;
    Ok(r)
}

pub fn extend_list(vm: Gc<Vm>, l: GcList<Value>, v: Value) -> Result<Value, Value> {
    if let Value::Obj(o) = v {
        match o.kind {
            Kind::List(m) => {
                let n = m.len();
                for i in 0..n {
                    l.push(m.get(i));
                }
                return Ok(Value::Nil);
            }
            Kind::Tuple(t) => {
                for i in 0..t.len() {
                    l.push(t.get(i));
                }
                return Ok(Value::Nil);
            }
            _ => {}
        }
    }
    let it = crate::iter::get_iter(vm, v)?;
    loop {
        let x = crate::iter::next(vm, it)?;
        if x.is_null() {
            break;
        }
        l.push(x);
    }
    Ok(Value::Nil)
}

/// Unpacks exactly `n` values.
pub fn unpack(vm: Gc<Vm>, seq: Value, n: i64) -> Result<GcList<Value>, Value> {
    let fixed = match seq {
        Value::Obj(o) => matches!(o.kind, Kind::List(_) | Kind::Tuple(_)),
        _ => false,
    };
    if fixed {
        let items = to_list(vm, seq)?;
        let k = items.len() as i64;
        if k != n {
            return Err(unpack_error(vm, n, k, true));
        }
        return Ok(items);
    }
    let it = match crate::iter::get_iter(vm, seq) {
        Ok(i) => i,
        Err(_) => {
            return Err(new_exc(
                vm,
                T_TYPE_ERROR,
                Str::from("cannot unpack non-iterable ")
                    .concat(type_name(vm, seq))
                    .concat(Str::from(" object")),
            ))
        }
    };
    let out: GcList<Value> = GcList::new();
    loop {
        let x = crate::iter::next(vm, it)?;
        if x.is_null() {
            break;
        }
        if out.len() as i64 == n {
            return Err(unpack_error(vm, n, n + 1, false));
        }
        out.push(x);
    }
    if (out.len() as i64) < n {
        return Err(unpack_error(vm, n, out.len() as i64, true));
    }
    Ok(out)
}

fn unpack_error(vm: Gc<Vm>, n: i64, k: i64, exact: bool) -> Value {
    if k < n {
        new_exc(
            vm,
            T_VALUE_ERROR,
            Str::from("not enough values to unpack (expected ")
                .concat(Str::from_i64(n))
                .concat(Str::from(", got "))
                .concat(Str::from_i64(k))
                .concat(Str::from(")")),
        )
    } else if exact {
        new_exc(
            vm,
            T_VALUE_ERROR,
            Str::from("too many values to unpack (expected ")
                .concat(Str::from_i64(n))
                .concat(Str::from(")")),
        )
    } else {
        new_exc(
            vm,
            T_VALUE_ERROR,
            Str::from("too many values to unpack (expected ")
                .concat(Str::from_i64(n))
                .concat(Str::from(")")),
        )
    }
}

/// `b in a` (container first).
pub fn contains(vm: Gc<Vm>, container: Value, x: Value) -> Result<bool, Value> {
    contains_impl(vm, container, x, true)
}

/// Like [`contains`] but ignoring special methods defined in Python (the built-in behaviour,
/// which `super().__contains__` and `list.__contains__` reach).
pub fn contains_kind(vm: Gc<Vm>, container: Value, x: Value) -> Result<bool, Value> {
    contains_impl(vm, container, x, false)
}

pub fn contains_impl(vm: Gc<Vm>, container: Value, x: Value, user: bool) -> Result<bool, Value> {
    if user && has_user_class(container) {
        let f = lookup_user(class_of(vm, container), Str::from("__contains__"));
        if !f.is_null() {
            let r = call::call2(vm, f, container, x)?;
            return truthy(vm, r);
        }
    }
    if let Value::Obj(o) = container {
        match o.kind {
            Kind::Str(s, _) => match strs::as_str_obj(x) {
                Some(t) => return Ok(s.find(t, 0).is_some()),
                None => {
                    return Err(new_exc(
                        vm,
                        T_TYPE_ERROR,
                        Str::from("'in <string>' requires string as left operand, not ")
                            .concat(type_name(vm, x)),
                    ))
                }
            },
            Kind::List(l) => {
                let mut i = 0;
                while i < l.len() {
                    if eq(vm, l.get(i), x)? {
                        return Ok(true);
                    }
                    i += 1;
                }
                return Ok(false);
            }
            Kind::Tuple(t) => {
                for i in 0..t.len() {
                    if eq(vm, t.get(i), x)? {
                        return Ok(true);
                    }
                }
                return Ok(false);
            }
            Kind::Dict(_) => return Ok(!crate::dict::lookup(vm, container, x)?.is_null()),
            Kind::Set(_) => return crate::set::contains(vm, container, x),
            Kind::Range(a, b, c) => {
                if let IntView::Small(i) = int_view(x) {
                    let n = range_len(a, b, c);
                    if n == 0 {
                        return Ok(false);
                    }
                    if c > 0 && (i < a || i >= b) {
                        return Ok(false);
                    }
                    if c < 0 && (i > a || i <= b) {
                        return Ok(false);
                    }
                    return Ok((i - a) % c == 0);
                }
                if let IntView::Big(_) = int_view(x) {
                    // Every item of an i64 range is an i64.
                    return Ok(false);
                }
            }
            Kind::BigRange(a, b, c) => {
                let r = crate::bigrange::contains(vm, a, b, c, x)?;
                if let Value::Bool(found) = r {
                    return Ok(found);
                }
            }
            Kind::Bytes(_) | Kind::ByteArray(_) => return crate::bytes::contains(vm, container, x),
            Kind::Iter(_) => {}
            _ => {}
        }
    }
    let it = match crate::iter::get_iter(vm, container) {
        Ok(i) => i,
        Err(_) => {
            return Err(new_exc(
                vm,
                T_TYPE_ERROR,
                Str::from("argument of type '")
                    .concat(type_name(vm, container))
                    .concat(Str::from("' is not iterable")),
            ))
        }
    };
    loop {
        let y = crate::iter::next(vm, it)?;
        if y.is_null() {
            return Ok(false);
        }
        if eq(vm, y, x)? {
            return Ok(true);
        }
    }
}

/// Normalises an index for a sequence of length `n`.
fn seq_index(vm: Gc<Vm>, k: Value, n: usize, what: Str) -> Result<usize, Value> {
    let i = index_of(vm, k)?;
    let j = if i < 0 { i + n as i64 } else { i };
    if j < 0 || j >= n as i64 {
        return Err(new_exc(
            vm,
            T_INDEX_ERROR,
            what.concat(Str::from(" index out of range")),
        ));
    }
    Ok(j as usize)
}

fn index_type_error(vm: Gc<Vm>, what: Str, k: Value) -> Value {
    new_exc(
        vm,
        T_TYPE_ERROR,
        what.concat(Str::from(" indices must be integers or slices, not "))
            .concat(type_name(vm, k)),
    )
}

fn is_index_like(vm: Gc<Vm>, k: Value) -> bool {
    match int_view(k) {
        IntView::NotInt => {
            has_user_class(k) && !lookup_user(class_of(vm, k), Str::from("__index__")).is_null()
        }
        _ => true,
    }
}

pub fn as_slice(v: Value) -> Option<(Value, Value, Value)> {
    if let Value::Obj(o) = v {
        if let Kind::Slice(a, b, c) = o.kind {
            return Some((a, b, c));
        }
    }
    None
}

/// `slice.indices(n)`: (start, stop, step, count).
pub fn slice_indices(
    vm: Gc<Vm>,
    a: Value,
    b: Value,
    c: Value,
    n: i64,
) -> Result<(i64, i64, i64, i64), Value> {
    let step = if c.is_nil() { 1 } else { index_of(vm, c)? };
    if step == 0 {
        return Err(new_exc(
            vm,
            T_VALUE_ERROR,
            Str::from("slice step cannot be zero"),
        ));
    }
    let (lo, hi) = if step < 0 { (-1, n - 1) } else { (0, n) };
    let start = if a.is_nil() {
        if step < 0 {
            hi
        } else {
            lo
        }
    } else {
        let mut s = index_clamp(vm, a)?;
        if s < 0 {
            s += n;
            if s < lo {
                s = lo;
            }
        } else if s > hi {
            s = hi;
        }
        s
    };
    let stop = if b.is_nil() {
        if step < 0 {
            lo
        } else {
            hi
        }
    } else {
        let mut s = index_clamp(vm, b)?;
        if s < 0 {
            s += n;
            if s < lo {
                s = lo;
            }
        } else if s > hi {
            s = hi;
        }
        s
    };
    let count = if step > 0 {
        if stop > start {
            (stop - start - 1) / step + 1
        } else {
            0
        }
    } else if start > stop {
        (start - stop - 1) / (0 - step) + 1
    } else {
        0
    };
    Ok((start, stop, step, count))
}

/// An index for slicing: big ints clamp.
fn index_clamp(vm: Gc<Vm>, v: Value) -> Result<i64, Value> {
    match int_view(v) {
        IntView::Big(b) => Ok(if b.neg { -(1i64 << 62) } else { 1i64 << 62 }),
        _ => match index_of(vm, v) {
            Ok(i) => Ok(i),
            Err(_) => Err(new_exc(
                vm,
                T_TYPE_ERROR,
                Str::from("slice indices must be integers or None or have an __index__ method"),
            )),
        },
    }
}

/// `o[k]`.
pub fn getitem(vm: Gc<Vm>, o: Value, k: Value) -> Result<Value, Value> {
    getitem_impl(vm, o, k, true)
}

/// Like [`getitem`] but ignoring special methods defined in Python (the built-in behaviour,
/// which `super().__getitem__` and `list.__getitem__` reach).
pub fn getitem_kind(vm: Gc<Vm>, o: Value, k: Value) -> Result<Value, Value> {
    getitem_impl(vm, o, k, false)
}

pub fn getitem_impl(vm: Gc<Vm>, o: Value, k: Value, user: bool) -> Result<Value, Value> {
    if let Value::Obj(obj) = o {
        let cls = obj.cls.get();
        if user && is_user_class(cls) {
            let f = lookup_user(cls, Str::from("__getitem__"));
            if !f.is_null() {
                return call::call2(vm, f, o, k);
            }
        }
        match obj.kind {
            Kind::List(l) => {
                if let Value::Int(i) = k {
                    let n = l.len() as i64;
                    let j = if i < 0 { i + n } else { i };
                    if j >= 0 && j < n {
                        return Ok(l.get(j as usize));
                    }
                    return err(vm, T_INDEX_ERROR, Str::from("list index out of range"));
                }
                if let Some((a, b, c)) = as_slice(k) {
                    let (start, _, step, count) = slice_indices(vm, a, b, c, l.len() as i64)?;
                    let r: GcList<Value> = GcList::with_capacity(count as usize);
                    for i in 0..count {
                        r.push(l.get((start + i * step) as usize));
                    }
                    return Ok(new_list(vm, r));
                }
                if is_index_like(vm, k) {
                    let j = seq_index(vm, k, l.len(), Str::from("list"))?;
                    return Ok(l.get(j));
                }
                return Err(index_type_error(vm, Str::from("list"), k));
            }
            Kind::Tuple(t) => {
                if let Some((a, b, c)) = as_slice(k) {
                    let (start, _, step, count) = slice_indices(vm, a, b, c, t.len() as i64)?;
                    let r = GcArray::new(count as usize, Value::Nil);
                    for i in 0..count {
                        r.set(i as usize, t.get((start + i * step) as usize));
                    }
                    return Ok(new_tuple(vm, r));
                }
                if is_index_like(vm, k) {
                    let j = seq_index(vm, k, t.len(), Str::from("tuple"))?;
                    return Ok(t.get(j));
                }
                return Err(index_type_error(vm, Str::from("tuple"), k));
            }
            Kind::Str(_, _) => return strs::getitem(vm, o, k),
            Kind::Dict(_) => {
                let v = crate::dict::lookup(vm, o, k)?;
                if v.is_null() {
                    if is_user_class(cls) {
                        let f = lookup_user(cls, Str::from("__missing__"));
                        if !f.is_null() {
                            return call::call2(vm, f, o, k);
                        }
                    }
                    return key_error(vm, k);
                }
                return Ok(v);
            }
            Kind::Range(a0, b0, c0) => {
                let n = range_len(a0, b0, c0);
                if let Some((a, b, c)) = as_slice(k) {
                    let (start, stop, step, _) = slice_indices(vm, a, b, c, n)?;
                    let (s1, o1) = start.overflowing_mul(c0);
                    let (s2, o2) = s1.overflowing_add(a0);
                    let (e1, o3) = stop.overflowing_mul(c0);
                    let (e2, o4) = e1.overflowing_add(a0);
                    let (st2, o5) = c0.overflowing_mul(step);
                    if !(o1 || o2 || o3 || o4 || o5) {
                        return Ok(crate::bigrange::make(
                            vm,
                            Value::Int(s2),
                            Value::Int(e2),
                            Value::Int(st2),
                        ));
                    }
                    return crate::bigrange::getitem(
                        vm,
                        Value::Int(a0),
                        Value::Int(b0),
                        Value::Int(c0),
                        k,
                    );
                }
                let j = seq_index(vm, k, n as usize, Str::from("range object"))?;
                return Ok(Value::Int(a0 + j as i64 * c0));
            }
            Kind::BigRange(a, b, c) => return crate::bigrange::getitem(vm, a, b, c, k),
            Kind::Bytes(_) | Kind::ByteArray(_) => return crate::bytes::getitem(vm, o, k),
            Kind::Class(_) => {
                // Generic aliases (list[int]) evaluate to the class itself.
                return Ok(o);
            }
            _ => {}
        }
    }
    type_error(
        vm,
        Str::from("'")
            .concat(type_name(vm, o))
            .concat(Str::from("' object is not subscriptable")),
    )
}

/// `o[k] = v`.
pub fn setitem(vm: Gc<Vm>, o: Value, k: Value, v: Value) -> Result<Value, Value> {
    setitem_impl(vm, o, k, v, true)
}

/// Like [`setitem`] but ignoring special methods defined in Python (the built-in behaviour,
/// which `super().__setitem__` and `list.__setitem__` reach).
pub fn setitem_kind(vm: Gc<Vm>, o: Value, k: Value, v: Value) -> Result<Value, Value> {
    setitem_impl(vm, o, k, v, false)
}

pub fn setitem_impl(vm: Gc<Vm>, o: Value, k: Value, v: Value, user: bool) -> Result<Value, Value> {
    if let Value::Obj(obj) = o {
        let cls = obj.cls.get();
        if user && is_user_class(cls) {
            let f = lookup_user(cls, Str::from("__setitem__"));
            if !f.is_null() {
                let args = GcArray::new(3, o);
                args.set(1, k);
                args.set(2, v);
                return call::call(vm, f, args, vm.no_names);
            }
        }
        match obj.kind {
            Kind::List(l) => {
                if let Some((a, b, c)) = as_slice(k) {
                    return list_set_slice(vm, l, a, b, c, v);
                }
                if !is_index_like(vm, k) {
                    return Err(index_type_error(vm, Str::from("list"), k));
                }
                let j = seq_index(vm, k, l.len(), Str::from("list assignment"))?;
                l.set(j, v);
                return Ok(Value::Nil);
            }
            Kind::Dict(_) => return crate::dict::setitem(vm, o, k, v),
            Kind::ByteArray(_) => return crate::bytes::setitem(vm, o, k, v),
            _ => {}
        }
    }
    type_error(
        vm,
        Str::from("'")
            .concat(type_name(vm, o))
            .concat(Str::from("' object does not support item assignment")),
    )
}

fn list_set_slice(
    vm: Gc<Vm>,
    l: GcList<Value>,
    a: Value,
    b: Value,
    c: Value,
    v: Value,
) -> Result<Value, Value> {
    let items = match to_list(vm, v) {
        Ok(x) => x,
        Err(_) => {
            return type_error(vm, Str::from("can only assign an iterable"));
        }
    };
    let (start, stop, step, count) = slice_indices(vm, a, b, c, l.len() as i64)?;
    if step == 1 {
        let stop = if stop < start { start } else { stop };
        if (stop - start) as usize == items.len() {
            // Same length: replace in place. (If `items` is `l` itself, the slice is all of
            // it and this copies each element onto itself.)
            for i in 0..items.len() {
                l.set(start as usize + i, items.get(i));
            }
            return Ok(Value::Nil);
        }
        let old: GcList<Value> = GcList::new();
        for i in 0..l.len() {
            old.push(l.get(i));
        }
        l.clear();
        for i in 0..(start as usize) {
            l.push(old.get(i));
        }
        for i in 0..items.len() {
            l.push(items.get(i));
        }
        for i in (stop as usize)..old.len() {
            l.push(old.get(i));
        }
        return Ok(Value::Nil);
    }
    if items.len() as i64 != count {
        return value_error(
            vm,
            Str::from("attempt to assign sequence of size ")
                .concat(Str::from_i64(items.len() as i64))
                .concat(Str::from(" to extended slice of size "))
                .concat(Str::from_i64(count)),
        );
    }
    for i in 0..count {
        l.set((start + i * step) as usize, items.get(i as usize));
    }
    Ok(Value::Nil)
}

/// `del o[k]`.
pub fn delitem(vm: Gc<Vm>, o: Value, k: Value) -> Result<Value, Value> {
    delitem_impl(vm, o, k, true)
}

/// Like [`delitem`] but ignoring special methods defined in Python (the built-in behaviour,
/// which `super().__delitem__` and `list.__delitem__` reach).
pub fn delitem_kind(vm: Gc<Vm>, o: Value, k: Value) -> Result<Value, Value> {
    delitem_impl(vm, o, k, false)
}

pub fn delitem_impl(vm: Gc<Vm>, o: Value, k: Value, user: bool) -> Result<Value, Value> {
    if let Value::Obj(obj) = o {
        let cls = obj.cls.get();
        if user && is_user_class(cls) {
            let f = lookup_user(cls, Str::from("__delitem__"));
            if !f.is_null() {
                return call::call2(vm, f, o, k);
            }
        }
        match obj.kind {
            Kind::List(l) => {
                if let Some((a, b, c)) = as_slice(k) {
                    let (start, _, step, count) = slice_indices(vm, a, b, c, l.len() as i64)?;
                    let dead = GcArray::new(l.len(), false);
                    for i in 0..count {
                        dead.set((start + i * step) as usize, true);
                    }
                    let old = to_list(vm, o)?;
                    l.clear();
                    for i in 0..old.len() {
                        if !dead.get(i) {
                            l.push(old.get(i));
                        }
                    }
                    return Ok(Value::Nil);
                }
                let j = seq_index(vm, k, l.len(), Str::from("list assignment"))?;
                l.remove(j);
                return Ok(Value::Nil);
            }
            Kind::Dict(_) => {
                if !crate::dict::delitem(vm, o, k)? {
                    return key_error(vm, k);
                }
                return Ok(Value::Nil);
            }
            Kind::ByteArray(l) => {
                let j = seq_index(vm, k, l.len(), Str::from("bytearray"))?;
                l.remove(j);
                return Ok(Value::Nil);
            }
            _ => {}
        }
    }
    type_error(
        vm,
        Str::from("'")
            .concat(type_name(vm, o))
            .concat(Str::from("' object doesn't support item deletion")),
    )
}

// ---------------------------------------------------------------------------------------------
// Attributes

/// Binds a class attribute found on `cls` for access through instance `obj` (Null: through
/// the class itself).
fn bind_descr(vm: Gc<Vm>, d: Value, obj: Value, cls: Value) -> Result<Value, Value> {
    if let Value::Obj(o) = d {
        match o.kind {
            Kind::Function(_) => {
                if obj.is_null() {
                    return Ok(d);
                }
                return Ok(new_obj(ty(vm, T_METHOD), Kind::Method(d, obj)));
            }
            Kind::Builtin(id, selfv) => {
                if obj.is_null() || !selfv.is_null() {
                    return Ok(d);
                }
                return Ok(new_obj(ty(vm, T_BUILTIN), Kind::Builtin(id, obj)));
            }
            Kind::ClassMethod(f) => {
                return Ok(new_obj(ty(vm, T_METHOD), Kind::Method(f, cls)));
            }
            Kind::StaticMethod(f) => return Ok(f),
            Kind::Property(get, _, _) => {
                if obj.is_null() {
                    return Ok(d);
                }
                if get.is_nil() {
                    return Err(new_exc(
                        vm,
                        T_ATTRIBUTE_ERROR,
                        Str::from("property has no getter"),
                    ));
                }
                return call::call1(vm, get, obj);
            }
            _ => {
                if is_user_class(o.cls.get()) {
                    let g = lookup_user(o.cls.get(), Str::from("__get__"));
                    if !g.is_null() {
                        let args = GcArray::new(3, d);
                        args.set(1, if obj.is_null() { Value::Nil } else { obj });
                        args.set(2, cls);
                        return call::call(vm, g, args, vm.no_names);
                    }
                }
            }
        }
    }
    Ok(d)
}

pub fn is_data_descr(d: Value) -> bool {
    if let Value::Obj(o) = d {
        if let Kind::Property(_, _, _) = o.kind {
            return true;
        }
        if is_user_class(o.cls.get()) {
            return !lookup_user(o.cls.get(), Str::from("__set__")).is_null()
                || !lookup_user(o.cls.get(), Str::from("__get__")).is_null()
                    && !lookup_user(o.cls.get(), Str::from("__delete__")).is_null();
        }
    }
    false
}

/// `o.name`.
pub fn getattr(vm: Gc<Vm>, o: Value, name: Str) -> Result<Value, Value> {
    let r = getattr_opt(vm, o, name)?;
    if r.is_null() {
        return Err(attr_error(vm, o, name));
    }
    Ok(r)
}

pub fn attr_error(vm: Gc<Vm>, o: Value, name: Str) -> Value {
    if let Some(cd) = as_class(o) {
        return new_exc(
            vm,
            T_ATTRIBUTE_ERROR,
            Str::from("type object '")
                .concat(cd.name.get())
                .concat(Str::from("' has no attribute '"))
                .concat(name)
                .concat(Str::from("'")),
        );
    }
    if let Value::Obj(ob) = o {
        if let Kind::Module(m) = ob.kind {
            return new_exc(
                vm,
                T_ATTRIBUTE_ERROR,
                Str::from("module '")
                    .concat(m.name)
                    .concat(Str::from("' has no attribute '"))
                    .concat(name)
                    .concat(Str::from("'")),
            );
        }
    }
    new_exc(
        vm,
        T_ATTRIBUTE_ERROR,
        Str::from("'")
            .concat(type_name(vm, o))
            .concat(Str::from("' object has no attribute '"))
            .concat(name)
            .concat(Str::from("'")),
    )
}

/// `o.name`, or Null when there is no such attribute (other errors propagate).
pub fn getattr_opt(vm: Gc<Vm>, o: Value, name: Str) -> Result<Value, Value> {
    if let Value::Obj(ob) = o {
        if let Kind::Super(_, _) = ob.kind {
            if name != Str::from("__class__") {
                return crate::builtins::special_attr(vm, o, name);
            }
        }
    }
    let cls = class_of(vm, o);
    if let Some(cd) = as_class(o) {
        // Attribute of a class: its MRO, then the metaclass.
        let mro = cd.mro.get();
        for i in 0..mro.len() {
            let d = class_data(mro.get(i));
            if let Some(v) = d.dict.get(name) {
                return bind_descr(vm, v, Value::Null, o);
            }
        }
        let special = crate::builtins::special_attr(vm, o, name)?;
        if !special.is_null() {
            return Ok(special);
        }
        let m = lookup(cls, name);
        if !m.is_null() {
            return bind_descr(vm, m, o, cls);
        }
        return Ok(Value::Null);
    }
    let user = is_user_class(cls);
    if user {
        let ga = lookup_user(cls, Str::from("__getattribute__"));
        if !ga.is_null() {
            let r = call::call2(vm, ga, o, strs::new_str(vm, name));
            return match r {
                Ok(v) => Ok(v),
                Err(e) => {
                    if is_instance_id(vm, e, T_ATTRIBUTE_ERROR) {
                        let f = lookup_user(cls, Str::from("__getattr__"));
                        if !f.is_null() {
                            return call::call2(vm, f, o, strs::new_str(vm, name));
                        }
                    }
                    Err(e)
                }
            };
        }
    }
    let r = generic_getattr_opt(vm, o, name)?;
    if !r.is_null() {
        return Ok(r);
    }
    if user {
        let f = lookup_user(cls, Str::from("__getattr__"));
        if !f.is_null() {
            return call::call2(vm, f, o, strs::new_str(vm, name));
        }
    }
    Ok(Value::Null)
}

/// `object.__getattribute__(o, name)` for an instance: data descriptors of the class, then the
/// instance's attributes, then other class attributes and built-in special attributes; no
/// `__getattribute__`/`__getattr__` hooks. Null when absent.
pub fn generic_getattr_opt(vm: Gc<Vm>, o: Value, name: Str) -> Result<Value, Value> {
    let cls = class_of(vm, o);
    let d = lookup(cls, name);
    if !d.is_null() && is_data_descr(d) {
        return bind_descr(vm, d, o, cls);
    }
    if let Value::Obj(ob) = o {
        if let Some(v) = attr_get(ob, name) {
            return Ok(v);
        }
    }
    if !d.is_null() {
        return bind_descr(vm, d, o, cls);
    }
    crate::builtins::special_attr(vm, o, name)
}

/// `LOAD_METHOD`: (function, self) for a plain method call, or (Null, bound attribute).
pub fn load_method(vm: Gc<Vm>, o: Value, name: Str) -> Result<(Value, Value), Value> {
    // An instance of a user class whose class (not the instance) defines `name` as a plain
    // function: push the function and the instance instead of allocating a bound method (as
    // CPython's LOAD_METHOD). Anything else goes through getattr.
    if let Value::Obj(ob) = o {
        let cls = ob.cls.get();
        if is_user_class(cls) && as_class(o).is_none() {
            let shadowed = attr_get(ob, name).is_some();
            if !shadowed && lookup_user(cls, Str::from("__getattribute__")).is_null() {
                let f = lookup_user(cls, name);
                if let Value::Obj(fo) = f {
                    if let Kind::Function(_) = fo.kind {
                        return Ok((f, o));
                    }
                }
            }
        }
    }
    let v = getattr(vm, o, name)?;
    Ok((Value::Null, v))
}

/// A special method of `o`'s class, bound to `o` (Null when absent).
pub fn special_method(vm: Gc<Vm>, o: Value, name: Str) -> Result<Value, Value> {
    let cls = class_of(vm, o);
    let d = lookup(cls, name);
    if d.is_null() {
        return Ok(Value::Null);
    }
    bind_descr(vm, d, o, cls)
}

/// `o.name = v`.
pub fn setattr(vm: Gc<Vm>, o: Value, name: Str, v: Value) -> Result<Value, Value> {
    let cls = class_of(vm, o);
    if is_user_class(cls) {
        let f = lookup_user(cls, Str::from("__setattr__"));
        if !f.is_null() {
            let args = GcArray::new(3, o);
            args.set(1, strs::new_str(vm, name));
            args.set(2, v);
            return call::call(vm, f, args, vm.no_names);
        }
    }
    generic_setattr(vm, o, name, v)
}

/// `object.__setattr__`.
pub fn generic_setattr(vm: Gc<Vm>, o: Value, name: Str, v: Value) -> Result<Value, Value> {
    let cls = class_of(vm, o);
    if let Some(cd) = as_class(o) {
        if cd.is_builtin {
            return type_error(
                vm,
                Str::from("cannot set '")
                    .concat(name)
                    .concat(Str::from("' attribute of immutable type '"))
                    .concat(cd.name.get())
                    .concat(Str::from("'")),
            );
        }
        if name == Str::from("__name__") {
            if let Some(s) = strs::as_str(v) {
                cd.name.set(s);
            }
            return Ok(Value::Nil);
        }
        cd.dict.insert(name, v);
        class_dict_changed(cd);
        return Ok(Value::Nil);
    }
    let d = lookup(cls, name);
    if !d.is_null() {
        if let Value::Obj(dob) = d {
            if let Kind::Property(_, set, _) = dob.kind {
                if set.is_nil() {
                    return Err(new_exc(
                        vm,
                        T_ATTRIBUTE_ERROR,
                        Str::from("property '")
                            .concat(crate::builtins::property_name(vm, d))
                            .concat(Str::from("' of '"))
                            .concat(type_name(vm, o))
                            .concat(Str::from("' object has no setter")),
                    ));
                }
                return call::call2(vm, set, o, v);
            }
            if is_user_class(dob.cls.get()) {
                let s = lookup_user(dob.cls.get(), Str::from("__set__"));
                if !s.is_null() {
                    let args = GcArray::new(3, d);
                    args.set(1, o);
                    args.set(2, v);
                    return call::call(vm, s, args, vm.no_names);
                }
            }
        }
    }
    if let Value::Obj(ob) = o {
        if name == Str::from("__class__") {
            if as_class(v).is_some() {
                ob.cls.set(v);
                return Ok(Value::Nil);
            }
        }
        if has_attr_storage(ob) {
            if let Kind::Exception(ed) = ob.kind {
                if name == Str::from("__cause__") {
                    ed.cause.set(v);
                    ed.suppress.set(true);
                    return Ok(Value::Nil);
                }
                if name == Str::from("__context__") {
                    ed.context.set(v);
                    return Ok(Value::Nil);
                }
                if name == Str::from("args") {
                    let t = to_list(vm, v)?;
                    let a = GcArray::new(t.len(), Value::Nil);
                    for i in 0..t.len() {
                        a.set(i, t.get(i));
                    }
                    ed.args.set(new_tuple(vm, a));
                    return Ok(Value::Nil);
                }
            }
            if let Kind::Function(f) = ob.kind {
                if name == Str::from("__name__") {
                    if let Some(s) = strs::as_str(v) {
                        f.name.set(s);
                    }
                    return Ok(Value::Nil);
                }
                if name == Str::from("__qualname__") {
                    if let Some(s) = strs::as_str(v) {
                        f.qualname.set(s);
                    }
                    return Ok(Value::Nil);
                }
            }
            if let Some(slots) = crate::builtins::slots_of(vm, cls) {
                let mut ok = false;
                for i in 0..slots.len() {
                    if slots.get(i) == name {
                        ok = true;
                    }
                }
                if !ok {
                    return Err(new_exc(
                        vm,
                        T_ATTRIBUTE_ERROR,
                        Str::from("'")
                            .concat(type_name(vm, o))
                            .concat(Str::from("' object has no attribute '"))
                            .concat(name)
                            .concat(Str::from("'")),
                    ));
                }
            }
            if name == Str::from("__dict__") {
                // The object's attributes become the dict's entries (the map itself when `v`
                // is already a namespace view, else a copy: see `dict.rs`).
                if !crate::dict::is_dict(v) {
                    return type_error(
                        vm,
                        Str::from("__dict__ must be set to a dictionary, not a '")
                            .concat(type_name(vm, v))
                            .concat(Str::from("'")),
                    );
                }
                set_attr_map(ob, crate::dict::namespace_of(vm, v)?);
                return Ok(Value::Nil);
            }
            attr_set(ob, name, v);
            return Ok(Value::Nil);
        }
    }
    if !lookup(cls, name).is_null() {
        return Err(new_exc(
            vm,
            T_ATTRIBUTE_ERROR,
            Str::from("'")
                .concat(type_name(vm, o))
                .concat(Str::from("' object attribute '"))
                .concat(name)
                .concat(Str::from("' is read-only")),
        ));
    }
    Err(new_exc(
        vm,
        T_ATTRIBUTE_ERROR,
        Str::from("'")
            .concat(type_name(vm, o))
            .concat(Str::from("' object has no attribute '"))
            .concat(name)
            .concat(Str::from("'")),
    ))
}

/// `del o.name`.
pub fn delattr(vm: Gc<Vm>, o: Value, name: Str) -> Result<Value, Value> {
    let cls = class_of(vm, o);
    if is_user_class(cls) {
        let f = lookup_user(cls, Str::from("__delattr__"));
        if !f.is_null() {
            return call::call2(vm, f, o, strs::new_str(vm, name));
        }
    }
    let d = lookup(cls, name);
    if let Value::Obj(dob) = d {
        if let Kind::Property(_, _, del) = dob.kind {
            if del.is_nil() {
                return Err(new_exc(
                    vm,
                    T_ATTRIBUTE_ERROR,
                    Str::from("property '")
                        .concat(crate::builtins::property_name(vm, d))
                        .concat(Str::from("' of '"))
                        .concat(type_name(vm, o))
                        .concat(Str::from("' object has no deleter")),
                ));
            }
            return call::call1(vm, del, o);
        }
    }
    if let Some(cd) = as_class(o) {
        if cd.dict.remove(name).is_some() {
            class_dict_changed(cd);
            return Ok(Value::Nil);
        }
        return Err(attr_error(vm, o, name));
    }
    if let Value::Obj(ob) = o {
        if let Some(attrs) = attr_map(ob) {
            if attrs.remove(name).is_some() {
                return Ok(Value::Nil);
            }
        }
    }
    Err(new_exc(
        vm,
        T_ATTRIBUTE_ERROR,
        Str::from("'")
            .concat(type_name(vm, o))
            .concat(Str::from("' object has no attribute '"))
            .concat(name)
            .concat(Str::from("'")),
    ))
}
