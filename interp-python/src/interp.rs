//! The bytecode interpreter: frames, the dispatch loop (the JIT's portal), the block stack and
//! exception unwinding, generators.
//!
//! JIT hints: the greens are the instruction index `pc` and the `code` object (together the
//! position in the Python program); the reds are the `frame` (which holds the value stack, the
//! locals and the block stack) and the `vm`. `can_enter_jit!` sits on backward jumps.

use crate::attrs;
use crate::call;
use crate::exc::*;
use crate::object::*;
use crate::opcode::*;
use crate::ops;
use crate::strs;
use crate::types::*;
use vmkit::jit::promote;
use vmkit::{can_enter_jit, jit_merge_point, Gc, GcArray, GcList, GcMap, JitDriver, Mut, Str};

static DRIVER: JitDriver = JitDriver {
    name: "pyvm",
    greens: &["pc", "code"],
    reds: &["frame", "vm"],
    virtualizables: &["frame"],
    get_printable_location: Some("location"),
};

/// The printable form of a green position, for JIT logs: `qualname:line #pc OP`.
pub fn location(pc: i64, code: Gc<Code>) -> Str {
    code.qualname
        .concat(Str::from(":"))
        .concat(Str::from_i64(code.lines.get(pc as usize)))
        .concat(Str::from(" #"))
        .concat(Str::from_i64(pc))
}

const BLOCK_FINALLY: i64 = 1;
const BLOCK_HANDLER: i64 = 2;

/// Result codes of [`execute`] besides a next instruction index.
const RETURNED: i64 = -1;
const YIELDED: i64 = -2;
const YIELDED_FROM: i64 = -3;

pub fn new_frame(
    code: Gc<Code>,
    globals: GcMap<Str, Value>,
    locals_map: Option<GcMap<Str, Value>>,
) -> Gc<Frame> {
    let ncells = code.cellvars.len() + code.freevars.len();
    // One array holds the fast locals, then the value stack (as CPython's `localsplus`): one
    // allocation per call instead of two.
    let nlocals = code.varnames.len();
    let slots = GcArray::new(nlocals + code.stacksize as usize, Value::Null);
    Gc::new(Frame {
        code,
        globals,
        locals_map,
        fast: slots,
        cells: if ncells == 0 {
            code.no_cells
        } else {
            GcArray::new(ncells, Value::Null)
        },
        sp: Mut::new(nlocals as i64),
        pc: Mut::new(0),
        blocks: Mut::new(None),
        saved_exc: Mut::new(None),
        exc: Mut::new(Value::Nil),
        lasti: Mut::new(0),
        gen_state: Mut::new(0),
        gen_name: Mut::new(code.name),
        gen_qualname: Mut::new(code.qualname),
    })
}

/// The stack top, promoted (see [`Frame::sp`]): one guard per trace, the stack accesses after
/// it have constant indices.
fn sp(f: Gc<Frame>) -> i64 {
    promote(f.sp.get())
}

pub fn push(f: Gc<Frame>, v: Value) {
    let sp = sp(f);
    f.fast.set(sp as usize, v);
    f.sp.set(sp + 1);
}

/// Pops the top of the value stack. The slot is not cleared: values above `sp` are dead (they
/// only delay the collection of what they refer to until the slot is reused).
pub fn pop(f: Gc<Frame>) -> Value {
    let sp = sp(f) - 1;
    f.sp.set(sp);
    f.fast.get(sp as usize)
}

pub fn top(f: Gc<Frame>) -> Value {
    f.fast.get((sp(f) - 1) as usize)
}

pub fn peek(f: Gc<Frame>, n: i64) -> Value {
    f.fast.get((sp(f) - 1 - n) as usize)
}

/// The frame's block stack, created on first use.
fn block_stack(frame: Gc<Frame>) -> GcList<i64> {
    match frame.blocks.get() {
        Some(b) => b,
        None => {
            let b: GcList<i64> = GcList::new();
            frame.blocks.set(Some(b));
            frame.saved_exc.set(Some(GcList::new()));
            b
        }
    }
}

fn block_saved(frame: Gc<Frame>) -> GcList<Value> {
    block_stack(frame);
    match frame.saved_exc.get() {
        Some(s) => s,
        None => panic!("block stack without saved exceptions"),
    }
}

/// Runs a frame until it returns, yields or raises. For generators, `frame.gen_state` tells
/// whether the result was yielded (1) or returned (3).
pub fn run_frame(vm: Gc<Vm>, frame: Gc<Frame>) -> Result<Value, Value> {
    let code = frame.code;
    let mut pc = frame.pc.get();
    loop {
        jit_merge_point!(DRIVER; pc, code; frame, vm);
        match execute(vm, frame, code, pc) {
            Ok(next) => {
                if next >= 0 {
                    if next <= pc {
                        pc = next;
                        can_enter_jit!(DRIVER; pc, code; frame, vm);
                        continue;
                    }
                    pc = next;
                } else if next == RETURNED {
                    let v = pop(frame);
                    frame.gen_state.set(3);
                    return Ok(v);
                } else if next == YIELDED {
                    let v = pop(frame);
                    frame.pc.set(pc + 1);
                    frame.gen_state.set(1);
                    return Ok(v);
                } else {
                    // YIELD_FROM suspended: `frame.pc` already points at it.
                    let v = pop(frame);
                    return Ok(v);
                }
            }
            Err(e) => {
                let h = unwind(vm, frame, e);
                if h < 0 {
                    add_traceback(e, code, code.lines.get(pc as usize));
                    frame.gen_state.set(3);
                    return Err(e);
                }
                pc = h;
            }
        }
    }
}

/// Finds the handler for exception `e` raised in `frame`: returns its instruction index (with
/// the frame's stacks prepared) or -1 when the exception leaves the frame.
fn unwind(vm: Gc<Vm>, frame: Gc<Frame>, e: Value) -> i64 {
    let _ = vm;
    // Implicit chaining: the exception being handled becomes the context.
    let cur = frame.exc.get();
    if !cur.is_nil() && !same(cur, e) {
        if let Some(d) = exc_data(e) {
            if d.context.get().is_nil() && !context_cycle(cur, e) {
                d.context.set(cur);
            }
        }
    }
    let (blocks, saved_exc) = match (frame.blocks.get(), frame.saved_exc.get()) {
        (Some(b), Some(s)) => (b, s),
        _ => return -1,
    };
    loop {
        let n = blocks.len();
        if n == 0 {
            return -1;
        }
        let depth = blocks.get(n - 1);
        let handler = blocks.get(n - 2);
        let kind = blocks.get(n - 3);
        blocks.truncate(n - 3);
        while frame.sp.get() > depth {
            pop(frame);
        }
        if kind == BLOCK_HANDLER {
            let saved = saved_exc.pop();
            if let Some(s) = saved {
                frame.exc.set(s);
            }
            continue;
        }
        // A SETUP_FINALLY block: enter its handler.
        saved_exc.push(frame.exc.get());
        blocks.push(BLOCK_HANDLER);
        blocks.push(0);
        blocks.push(depth);
        frame.exc.set(e);
        push(frame, e);
        return handler;
    }
}

/// Would setting `ctx` as the context of `e` create a cycle?
fn context_cycle(ctx: Value, e: Value) -> bool {
    let mut c = ctx;
    let mut n = 0;
    while n < 100 {
        if same(c, e) {
            return true;
        }
        match exc_data(c) {
            Some(d) => c = d.context.get(),
            None => return false,
        }
        n += 1;
    }
    false
}

fn name_of(code: Gc<Code>, arg: i64) -> Str {
    code.names.get(arg as usize)
}

fn cell_name(code: Gc<Code>, i: i64) -> Str {
    let nc = code.cellvars.len() as i64;
    if i < nc {
        code.cellvars.get(i as usize)
    } else {
        code.freevars.get((i - nc) as usize)
    }
}

fn cell_of(frame: Gc<Frame>, i: i64) -> Gc<Cell> {
    match frame.cells.get(i as usize) {
        Value::Obj(o) => match o.kind {
            Kind::Cell(c) => c,
            _ => panic!("not a cell"),
        },
        _ => panic!("not a cell"),
    }
}

fn unbound_local(vm: Gc<Vm>, name: Str) -> Result<i64, Value> {
    Err(new_exc(
        vm,
        T_UNBOUND_LOCAL_ERROR,
        Str::from("cannot access local variable '")
            .concat(name)
            .concat(Str::from("' where it is not associated with a value")),
    ))
}

fn name_error(vm: Gc<Vm>, name: Str) -> Result<i64, Value> {
    Err(new_exc(
        vm,
        T_NAME_ERROR,
        Str::from("name '")
            .concat(name)
            .concat(Str::from("' is not defined")),
    ))
}

/// Pops `n` values into a new array (in stack order).
pub fn pop_n(frame: Gc<Frame>, n: usize) -> GcArray<Value> {
    let a = GcArray::new(n, Value::Nil);
    let mut i = n;
    while i > 0 {
        i -= 1;
        a.set(i, pop(frame));
    }
    a
}

fn load_global(vm: Gc<Vm>, frame: Gc<Frame>, name: Str) -> Result<Value, Value> {
    if let Some(v) = frame.globals.get(name) {
        return Ok(v);
    }
    if let Some(v) = vm.builtins.get(name) {
        return Ok(v);
    }
    match name_error(vm, name) {
        Err(e) => Err(e),
        Ok(_) => Ok(Value::Nil),
    }
}

/// `a op b` for the arithmetic the dispatch loop does itself (traces see the operation, not a
/// call): `+ - * // % & | ^ >>` of machine ints that need no big int and raise nothing, `+ - * /`
/// of floats (with a machine int operand converted, as Python does; `/` by a non-zero float).
/// Null takes the general path of `ops`.
fn num_fast(op: i64, a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => {
            let r = if op == OP_ADD {
                x.checked_add(y)
            } else if op == OP_SUB {
                x.checked_sub(y)
            } else if op == OP_MUL {
                x.checked_mul(y)
            } else if op == OP_FLOORDIV && plain_div(x, y) {
                // Python rounds the quotient towards minus infinity.
                let q = x / y;
                let r = x % y;
                Some(if r != 0 && ((r < 0) != (y < 0)) {
                    q - 1
                } else {
                    q
                })
            } else if op == OP_MOD && plain_div(x, y) {
                // The remainder takes the divisor's sign.
                let r = x % y;
                Some(if r != 0 && ((r < 0) != (y < 0)) {
                    r + y
                } else {
                    r
                })
            } else if op == OP_AND {
                Some(x & y)
            } else if op == OP_OR {
                Some(x | y)
            } else if op == OP_XOR {
                Some(x ^ y)
            } else if op == OP_RSHIFT && y >= 0 {
                Some(if y > 63 { x >> 63 } else { x >> y })
            } else {
                None
            };
            match r {
                Some(v) => Value::Int(v),
                None => Value::Null,
            }
        }
        (Value::Float(x), Value::Float(y)) => float_fast(op, x, y),
        (Value::Float(x), Value::Int(y)) => float_fast(op, x, y as f64),
        (Value::Int(x), Value::Float(y)) => float_fast(op, x as f64, y),
        _ => Value::Null,
    }
}

/// Whether `x // y` and `x % y` are machine divisions (tested only by the division branches
/// of [`num_fast`]: a trace of `+` does not check `y`).
fn plain_div(x: i64, y: i64) -> bool {
    y != 0 && !(x == i64::MIN && y == -1)
}

fn float_fast(op: i64, x: f64, y: f64) -> Value {
    if op == OP_ADD {
        Value::Float(x + y)
    } else if op == OP_SUB {
        Value::Float(x - y)
    } else if op == OP_MUL {
        Value::Float(x * y)
    } else if op == OP_TRUEDIV && y != 0.0 {
        Value::Float(x / y)
    } else {
        Value::Null
    }
}

/// `o[k]` for a list or tuple (of the built-in class, not a subclass) and an index in range;
/// Null takes the general path.
fn subscr_fast(o: Value, k: Value) -> Value {
    if let (Value::Obj(ob), Value::Int(i)) = (o, k) {
        if !is_user_class(ob.cls.get()) {
            match ob.kind {
                Kind::List(l) => {
                    let n = l.len() as i64;
                    let j = if i < 0 { i + n } else { i };
                    if j >= 0 && j < n {
                        return l.get(j as usize);
                    }
                }
                Kind::Tuple(t) => {
                    let n = t.len() as i64;
                    let j = if i < 0 { i + n } else { i };
                    if j >= 0 && j < n {
                        return t.get(j as usize);
                    }
                }
                _ => {}
            }
        }
    }
    Value::Null
}

/// `o[k] = v` for a list of the built-in class and an index in range (true), else false.
fn store_subscr_fast(o: Value, k: Value, v: Value) -> bool {
    if let (Value::Obj(ob), Value::Int(i)) = (o, k) {
        if let Kind::List(l) = ob.kind {
            if !is_user_class(ob.cls.get()) {
                let n = l.len() as i64;
                let j = if i < 0 { i + n } else { i };
                if j >= 0 && j < n {
                    l.set(j as usize, v);
                    return true;
                }
            }
        }
    }
    false
}

/// A rich comparison of two floats (IEEE: every comparison with a NaN is false but `!=`).
fn float_compare(op: i64, x: f64, y: f64) -> bool {
    match op {
        CMP_LT => x < y,
        CMP_LE => x <= y,
        CMP_EQ => x == y,
        CMP_NE => x != y,
        CMP_GT => x > y,
        _ => x >= y,
    }
}

/// A rich comparison of two machine ints.
fn int_compare(op: i64, x: i64, y: i64) -> bool {
    match op {
        CMP_LT => x < y,
        CMP_LE => x <= y,
        CMP_EQ => x == y,
        CMP_NE => x != y,
        CMP_GT => x > y,
        _ => x >= y,
    }
}

/// The truth of a value, with booleans (what comparisons produce) decided in the loop.
fn truth(vm: Gc<Vm>, v: Value) -> Result<bool, Value> {
    match v {
        Value::Bool(b) => Ok(b),
        _ => ops::truthy(vm, v),
    }
}

/// The opcode at `pc`. Code objects never change after decoding, so with a constant code
/// object and position (the greens) the JIT folds the fetch away.
#[vmkit::elidable]
pub fn op_at(code: Gc<Code>, pc: i64) -> i64 {
    code.ops.get(pc as usize)
}

/// The name `arg` of a code object (constant in traces, like [`op_at`]).
#[vmkit::elidable]
pub fn name_at(code: Gc<Code>, arg: i64) -> Str {
    code.names.get(arg as usize)
}

/// The constant `arg` of a code object (constant in traces, like [`op_at`]).
#[vmkit::elidable]
pub fn const_at(code: Gc<Code>, arg: i64) -> Value {
    code.consts.get(arg as usize)
}

/// The argument of the instruction at `pc` (see [`op_at`]).
#[vmkit::elidable]
pub fn arg_at(code: Gc<Code>, pc: i64) -> i64 {
    code.args.get(pc as usize)
}

/// Executes the instruction at `pc`; returns the next instruction index, or RETURNED/YIELDED.
fn execute(vm: Gc<Vm>, frame: Gc<Frame>, code: Gc<Code>, pc: i64) -> Result<i64, Value> {
    let op = op_at(code, pc);
    let arg = arg_at(code, pc);
    let next = pc + 1;
    match op {
        NOP => {}
        POP_TOP => {
            pop(frame);
        }
        ROT_TWO => {
            let a = pop(frame);
            let b = pop(frame);
            push(frame, a);
            push(frame, b);
        }
        ROT_THREE => {
            let a = pop(frame);
            let b = pop(frame);
            let c = pop(frame);
            push(frame, a);
            push(frame, c);
            push(frame, b);
        }
        ROT_FOUR => {
            let a = pop(frame);
            let b = pop(frame);
            let c = pop(frame);
            let d = pop(frame);
            push(frame, a);
            push(frame, d);
            push(frame, c);
            push(frame, b);
        }
        DUP_TOP => {
            let a = top(frame);
            push(frame, a);
        }
        DUP_TOP_TWO => {
            let b = peek(frame, 0);
            let a = peek(frame, 1);
            push(frame, a);
            push(frame, b);
        }
        LOAD_CONST => push(frame, const_at(code, arg)),
        LOAD_FAST => {
            let v = frame.fast.get(arg as usize);
            if v.is_null() {
                return unbound_local(vm, code.varnames.get(arg as usize));
            }
            push(frame, v);
        }
        STORE_FAST => {
            let v = pop(frame);
            frame.fast.set(arg as usize, v);
        }
        DELETE_FAST => {
            if frame.fast.get(arg as usize).is_null() {
                return unbound_local(vm, code.varnames.get(arg as usize));
            }
            frame.fast.set(arg as usize, Value::Null);
        }
        LOAD_DEREF | LOAD_CLASSDEREF => {
            if op == LOAD_CLASSDEREF {
                if let Some(m) = frame.locals_map {
                    if let Some(v) = m.get(cell_name(code, arg)) {
                        push(frame, v);
                        return Ok(next);
                    }
                }
            }
            let v = cell_of(frame, arg).value.get();
            if v.is_null() {
                let name = cell_name(code, arg);
                if (arg as usize) < code.cellvars.len() {
                    return unbound_local(vm, name);
                }
                return Err(new_exc(
                    vm,
                    T_NAME_ERROR,
                    Str::from("cannot access free variable '")
                        .concat(name)
                        .concat(Str::from(
                            "' where it is not associated with a value in enclosing scope",
                        )),
                ));
            }
            push(frame, v);
        }
        STORE_DEREF => {
            let v = pop(frame);
            cell_of(frame, arg).value.set(v);
        }
        DELETE_DEREF => {
            let c = cell_of(frame, arg);
            if c.value.get().is_null() {
                return unbound_local(vm, cell_name(code, arg));
            }
            c.value.set(Value::Null);
        }
        LOAD_CLOSURE => push(frame, frame.cells.get(arg as usize)),
        LOAD_NAME => {
            let name = name_of(code, arg);
            if let Some(m) = frame.locals_map {
                if let Some(v) = m.get(name) {
                    push(frame, v);
                    return Ok(next);
                }
            }
            let v = load_global(vm, frame, name)?;
            push(frame, v);
        }
        STORE_NAME => {
            let v = pop(frame);
            let name = name_of(code, arg);
            match frame.locals_map {
                Some(m) => {
                    m.insert(name, v);
                }
                None => {
                    frame.globals.insert(name, v);
                }
            }
        }
        DELETE_NAME => {
            let name = name_of(code, arg);
            let m = match frame.locals_map {
                Some(m) => m,
                None => frame.globals,
            };
            if m.remove(name).is_none() {
                return name_error(vm, name);
            }
        }
        LOAD_GLOBAL => {
            let v = load_global(vm, frame, name_of(code, arg))?;
            push(frame, v);
        }
        STORE_GLOBAL => {
            let v = pop(frame);
            frame.globals.insert(name_of(code, arg), v);
        }
        DELETE_GLOBAL => {
            let name = name_of(code, arg);
            if frame.globals.remove(name).is_none() {
                return name_error(vm, name);
            }
        }
        LOAD_ATTR => {
            let o = pop(frame);
            let name = name_at(code, arg);
            let fast = attrs::get_fast(o, name);
            let v = if fast.is_null() {
                ops::getattr(vm, o, name)?
            } else {
                fast
            };
            push(frame, v);
        }
        STORE_ATTR => {
            let o = pop(frame);
            let v = pop(frame);
            let name = name_at(code, arg);
            if !attrs::set_fast(o, name, v) {
                ops::setattr(vm, o, name, v)?;
            }
        }
        DELETE_ATTR => {
            let o = pop(frame);
            ops::delattr(vm, o, name_of(code, arg))?;
        }
        LOAD_METHOD => {
            let o = pop(frame);
            let name = name_at(code, arg);
            let fast = attrs::method_fast(o, name);
            if fast.is_null() {
                let (f, selfv) = ops::load_method(vm, o, name)?;
                push(frame, f);
                push(frame, selfv);
            } else {
                push(frame, fast);
                push(frame, o);
            }
        }
        CALL_METHOD => {
            // A plain Python function binds straight from the stack, with self as its first
            // argument when there is a method.
            let f0 = peek(frame, arg + 1);
            let (callable, n) = if f0.is_null() {
                (peek(frame, arg), arg)
            } else {
                (f0, arg + 1)
            };
            if call_plain(vm, frame, callable, n, arg + 2)? {
                return Ok(next);
            }
            let r = call_method_op(vm, frame, arg)?;
            push(frame, r);
        }
        LOAD_ASSERTION_ERROR => push(frame, ty(vm, T_ASSERTION_ERROR)),
        LOAD_BUILD_CLASS => push(
            frame,
            vm.builtins
                .get(Str::from("__build_class__"))
                .unwrap_or(Value::Nil),
        ),
        BINARY_OP => {
            let b = peek(frame, 0);
            let a = peek(frame, 1);
            let f = num_fast(arg, a, b);
            if f.is_null() {
                // `a.__op__(b)` of a user class, called on a frame bound from this stack
                if call_plain(vm, frame, attrs::binop_fast(arg, a, b), 2, 2)? {
                    let r = peek(frame, 0);
                    if ops::not_implemented(vm, r) {
                        frame.sp.set(frame.sp.get() - 1);
                        let r = ops::binary_after_lhs(vm, arg, a, b, false)?;
                        push(frame, r);
                    }
                    return Ok(next);
                }
            }
            frame.sp.set(frame.sp.get() - 2);
            let r = if f.is_null() {
                ops::binary_op(vm, arg, a, b)?
            } else {
                f
            };
            push(frame, r);
        }
        INPLACE_OP => {
            let b = pop(frame);
            let a = pop(frame);
            // Numbers are immutable: `x += y` is `x + y`.
            let f = num_fast(arg, a, b);
            let r = if f.is_null() {
                ops::inplace_op(vm, arg, a, b)?
            } else {
                f
            };
            push(frame, r);
        }
        UNARY_POSITIVE => {
            let a = pop(frame);
            let r = ops::unary(vm, 0, a)?;
            push(frame, r);
        }
        UNARY_NEGATIVE => {
            let a = pop(frame);
            let r = ops::unary(vm, 1, a)?;
            push(frame, r);
        }
        UNARY_INVERT => {
            let a = pop(frame);
            let r = ops::unary(vm, 2, a)?;
            push(frame, r);
        }
        UNARY_NOT => {
            let a = pop(frame);
            let t = ops::truthy(vm, a)?;
            push(frame, Value::Bool(!t));
        }
        COMPARE_OP => {
            let b = pop(frame);
            let a = pop(frame);
            let r = match (a, b) {
                (Value::Int(x), Value::Int(y)) => Value::Bool(int_compare(arg, x, y)),
                (Value::Float(x), Value::Float(y)) => Value::Bool(float_compare(arg, x, y)),
                _ => ops::compare(vm, arg, a, b)?,
            };
            push(frame, r);
        }
        IS_OP => {
            let b = pop(frame);
            let a = pop(frame);
            push(frame, Value::Bool(same(a, b) != (arg == 1)));
        }
        CONTAINS_OP => {
            let b = pop(frame);
            let a = pop(frame);
            let r = ops::contains(vm, b, a)?;
            push(frame, Value::Bool(r != (arg == 1)));
        }
        BINARY_SUBSCR => {
            let k = pop(frame);
            let o = pop(frame);
            let f = subscr_fast(o, k);
            let r = if f.is_null() {
                ops::getitem(vm, o, k)?
            } else {
                f
            };
            push(frame, r);
        }
        STORE_SUBSCR => {
            let k = pop(frame);
            let o = pop(frame);
            let v = pop(frame);
            if !store_subscr_fast(o, k, v) {
                ops::setitem(vm, o, k, v)?;
            }
        }
        DELETE_SUBSCR => {
            let k = pop(frame);
            let o = pop(frame);
            ops::delitem(vm, o, k)?;
        }
        BUILD_SLICE => {
            let c = if arg == 3 { pop(frame) } else { Value::Nil };
            let b = pop(frame);
            let a = pop(frame);
            push(frame, new_obj(ty(vm, T_SLICE), Kind::Slice(a, b, c)));
        }
        BUILD_TUPLE => {
            let items = pop_n(frame, arg as usize);
            push(frame, ops::new_tuple(vm, items));
        }
        BUILD_LIST | BUILD_SET | BUILD_MAP | BUILD_STRING | LIST_TO_TUPLE | UNPACK_SEQUENCE
        | UNPACK_EX => {
            build_op(vm, frame, op, arg)?;
        }
        LIST_APPEND => {
            let v = pop(frame);
            let l = peek(frame, arg - 1);
            ops::list_of(l).push(v);
        }
        SET_ADD => {
            let v = pop(frame);
            let s = peek(frame, arg - 1);
            crate::set::add(vm, s, v)?;
        }
        MAP_ADD => {
            let v = pop(frame);
            let k = pop(frame);
            let d = peek(frame, arg - 1);
            crate::dict::setitem(vm, d, k, v)?;
        }
        LIST_EXTEND => {
            let it = pop(frame);
            let l = peek(frame, arg - 1);
            ops::extend_list(vm, ops::list_of(l), it)?;
        }
        SET_UPDATE => {
            let it = pop(frame);
            let s = peek(frame, arg - 1);
            crate::set::update(vm, s, it)?;
        }
        DICT_UPDATE | DICT_MERGE => {
            let m = pop(frame);
            let d = peek(frame, arg - 1);
            if op == DICT_MERGE {
                let f = peek(frame, arg + 1);
                crate::dict::merge_kwargs(vm, d, m, f)?;
            } else {
                crate::dict::update(vm, d, m)?;
            }
        }
        FORMAT_VALUE => {
            let spec = if arg & 4 != 0 {
                strs::as_str(pop(frame)).unwrap_or(Str::from(""))
            } else {
                Str::from("")
            };
            let mut v = pop(frame);
            let conv = arg & 3;
            if conv == 1 {
                v = strs::new_str(vm, ops::str_of(vm, v)?);
            } else if conv == 2 {
                v = strs::new_str(vm, ops::repr(vm, v)?);
            } else if conv == 3 {
                v = strs::new_str(vm, strs::ascii(ops::repr(vm, v)?));
            }
            let r = crate::format::format(vm, v, spec)?;
            push(frame, strs::new_str(vm, r));
        }
        JUMP => return Ok(arg),
        POP_JUMP_IF_FALSE => {
            let v = pop(frame);
            if !truth(vm, v)? {
                return Ok(arg);
            }
        }
        POP_JUMP_IF_TRUE => {
            let v = pop(frame);
            if truth(vm, v)? {
                return Ok(arg);
            }
        }
        JUMP_IF_FALSE_OR_POP => {
            let v = top(frame);
            if !ops::truthy(vm, v)? {
                return Ok(arg);
            }
            pop(frame);
        }
        JUMP_IF_TRUE_OR_POP => {
            let v = top(frame);
            if ops::truthy(vm, v)? {
                return Ok(arg);
            }
            pop(frame);
        }
        GET_ITER => {
            let o = pop(frame);
            let it = crate::iter::get_iter(vm, o)?;
            push(frame, it);
        }
        GET_YIELD_FROM_ITER => {
            let o = pop(frame);
            let it = if crate::iter::is_generator(o) {
                o
            } else {
                crate::iter::get_iter(vm, o)?
            };
            push(frame, it);
        }
        FOR_ITER => {
            let it = top(frame);
            let v = crate::iter::next(vm, it)?;
            if v.is_null() {
                pop(frame);
                return Ok(arg);
            }
            push(frame, v);
        }
        YIELD_VALUE => return Ok(YIELDED),
        YIELD_FROM => {
            let v = pop(frame);
            let it = top(frame);
            let (done, r) = crate::iter::send(vm, it, v)?;
            if done {
                pop(frame);
                push(frame, r);
            } else {
                // Suspend, yielding r; resume at this same instruction with the sent value.
                push(frame, r);
                frame.pc.set(pc);
                frame.gen_state.set(1);
                return Ok(YIELDED_FROM);
            }
        }
        RETURN_VALUE => return Ok(RETURNED),
        CALL_FUNCTION => {
            if call_plain(vm, frame, peek(frame, arg), arg, arg + 1)? {
                return Ok(next);
            }
            if let Value::Obj(o) = peek(frame, arg) {
                // Instantiating a plain user class: the instance, then `__init__` bound
                // straight from this stack (see `attrs::init_plan`).
                if let Kind::Class(cd) = o.kind {
                    let c = promote(o);
                    let init = attrs::init_plan(c, attrs::class_epoch(cd));
                    if let Value::Obj(io) = init {
                        if let Kind::Function(func) = io.kind {
                            if call::is_simple_call(func, arg + 1) {
                                let obj = new_instance(vm, Value::Obj(c));
                                let callee =
                                    call::frame_from_stack_self(func, obj, frame, arg as usize);
                                frame.sp.set(frame.sp.get() - arg - 1);
                                let r = call::run_function_frame(vm, callee)?;
                                if !r.is_nil() {
                                    return Err(new_exc(
                                        vm,
                                        T_TYPE_ERROR,
                                        Str::from("__init__() should return None, not '")
                                            .concat(type_name(vm, r))
                                            .concat(Str::from("'")),
                                    ));
                                }
                                push(frame, obj);
                                return Ok(next);
                            }
                        }
                    }
                }
            }
            let args = pop_n(frame, arg as usize);
            let f = pop(frame);
            if arg == 0 {
                if let Value::Obj(o) = f {
                    if let Kind::Builtin(id, _) = o.kind {
                        if id == crate::builtins::B_GLOBALS
                            || id == crate::builtins::B_LOCALS
                            || id == crate::builtins::B_VARS
                            || id == crate::builtins::B_DIR
                        {
                            let r = crate::builtins::frame_call(vm, frame, id)?;
                            push(frame, r);
                            return Ok(next);
                        }
                    }
                }
            }
            let r = call::call(vm, f, args, vm.no_names)?;
            push(frame, r);
        }
        CALL_FUNCTION_KW => {
            let names = pop(frame);
            let args = pop_n(frame, arg as usize);
            let f = pop(frame);
            let r = call::call(vm, f, args, ops::tuple_names(names))?;
            push(frame, r);
        }
        CALL_FUNCTION_EX => {
            let kw = if arg & 1 != 0 {
                pop(frame)
            } else {
                Value::Null
            };
            let args = pop(frame);
            let f = pop(frame);
            let r = call::call_ex(vm, f, args, kw)?;
            push(frame, r);
        }
        MAKE_FUNCTION => {
            let c = pop(frame);
            let closure = if arg & 8 != 0 {
                ops::tuple_items(pop(frame))
            } else {
                GcArray::new(0, Value::Null)
            };
            let annotations = if arg & 4 != 0 {
                pop(frame)
            } else {
                Value::Null
            };
            let kwdefaults = if arg & 2 != 0 {
                pop(frame)
            } else {
                Value::Null
            };
            let defaults = if arg & 1 != 0 {
                ops::tuple_items(pop(frame))
            } else {
                GcArray::new(0, Value::Null)
            };
            let code2 = match c {
                Value::Obj(o) => match o.kind {
                    Kind::Code(k) => k,
                    _ => panic!("MAKE_FUNCTION without a code object"),
                },
                _ => panic!("MAKE_FUNCTION without a code object"),
            };
            let module = frame
                .globals
                .get(Str::from("__name__"))
                .unwrap_or(Value::Nil);
            let f = Gc::new(Function {
                code: code2,
                globals: frame.globals,
                name: Mut::new(code2.name),
                qualname: Mut::new(code2.qualname),
                defaults: Mut::new(defaults),
                kwdefaults: Mut::new(kwdefaults),
                closure,
                module,
            });
            let fv = new_obj_with_attrs(ty(vm, T_FUNCTION), Kind::Function(f));
            if let Value::Obj(o) = fv {
                if let Some(a) = o.attrs.get() {
                    let ann = if annotations.is_null() {
                        crate::dict::new_dict(vm)
                    } else {
                        annotations
                    };
                    a.insert(Str::from("__annotations__"), ann);
                    a.insert(Str::from("__module__"), module);
                }
            }
            push(frame, fv);
        }
        RAISE_VARARGS => {
            if arg == 0 {
                let cur = frame.exc.get();
                if cur.is_nil() {
                    return Err(new_exc(
                        vm,
                        T_RUNTIME_ERROR,
                        Str::from("No active exception to reraise"),
                    ));
                }
                return Err(cur);
            }
            let cause = if arg == 2 { pop(frame) } else { Value::Null };
            let e = pop(frame);
            let e = call::make_exception(vm, e)?;
            if arg == 2 {
                let c = if cause.is_nil() {
                    Value::Nil
                } else {
                    call::make_cause(vm, cause)?
                };
                if let Some(d) = exc_data(e) {
                    d.cause.set(c);
                    d.suppress.set(true);
                }
            }
            return Err(e);
        }
        SETUP_FINALLY => {
            let blocks = block_stack(frame);
            blocks.push(BLOCK_FINALLY);
            blocks.push(arg);
            blocks.push(frame.sp.get());
        }
        POP_BLOCK => {
            let blocks = block_stack(frame);
            let n = blocks.len();
            blocks.truncate(n - 3);
        }
        POP_EXCEPT => {
            let blocks = block_stack(frame);
            let n = blocks.len();
            blocks.truncate(n - 3);
            if let Some(s) = block_saved(frame).pop() {
                frame.exc.set(s);
            }
        }
        RERAISE => {
            let e = pop(frame);
            return Err(e);
        }
        CHECK_EXC_MATCH => {
            let t = pop(frame);
            let e = top(frame);
            let m = matches(vm, e, t)?;
            push(frame, Value::Bool(m));
        }
        SETUP_WITH => {
            let cm = pop(frame);
            let enter = ops::special_method(vm, cm, Str::from("__enter__"))?;
            let exit = ops::special_method(vm, cm, Str::from("__exit__"))?;
            if enter.is_null() || exit.is_null() {
                return Err(new_exc(
                    vm,
                    T_TYPE_ERROR,
                    Str::from("'").concat(type_name(vm, cm)).concat(Str::from(
                        "' object does not support the context manager protocol",
                    )),
                ));
            }
            push(frame, exit);
            let r = call::call(vm, enter, GcArray::new(0, Value::Nil), vm.no_names)?;
            let blocks = block_stack(frame);
            blocks.push(BLOCK_FINALLY);
            blocks.push(arg);
            blocks.push(frame.sp.get());
            push(frame, r);
        }
        WITH_EXCEPT_START => {
            let e = top(frame);
            let exit = peek(frame, 1);
            let args = GcArray::new(3, Value::Nil);
            args.set(0, class_of(vm, e));
            args.set(1, e);
            let r = call::call(vm, exit, args, vm.no_names)?;
            push(frame, r);
        }
        IMPORT_NAME => {
            let m = crate::modules::import(vm, name_of(code, arg))?;
            push(frame, m);
        }
        IMPORT_FROM => {
            let m = top(frame);
            let v = crate::modules::import_from(vm, m, name_of(code, arg))?;
            push(frame, v);
        }
        IMPORT_STAR => {
            let m = pop(frame);
            let dst = match frame.locals_map {
                Some(d) => d,
                None => frame.globals,
            };
            crate::modules::import_star(vm, m, dst)?;
        }
        MATCH_SEQUENCE
        | MATCH_MAPPING
        | GET_LEN
        | MATCH_KEYS
        | MATCH_CLASS
        | COPY_DICT_WITHOUT_KEYS => {
            crate::matching::execute_match(vm, frame, op, arg)?;
        }
        _ => {
            return Err(new_exc(
                vm,
                T_SYSTEM_EXIT,
                Str::from("pyvm: unknown opcode ").concat(Str::from_i64(op)),
            ))
        }
    }
    Ok(next)
}

/// A positional call of a plain Python function (see `call::is_simple_call`) whose `n`
/// arguments are the top of `frame`'s stack: binds them straight from there, pops `pop` slots
/// (the arguments and what is below them), runs the callee and pushes its result. Returns
/// false, changing nothing, if `callable` is not such a function. It loops nowhere, so the
/// tracer inlines the callee's frame.
fn call_plain(
    vm: Gc<Vm>,
    frame: Gc<Frame>,
    callable: Value,
    n: i64,
    pop: i64,
) -> Result<bool, Value> {
    if let Value::Obj(o) = callable {
        if let Kind::Function(func) = o.kind {
            if call::is_simple_call(func, n) {
                let callee = call::frame_from_stack(func, frame, n as usize);
                frame.sp.set(frame.sp.get() - pop);
                let r = call::run_function_frame(vm, callee)?;
                push(frame, r);
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// `CALL_METHOD` of anything but a plain Python function: kept out of [`execute`] because it
/// loops (the JIT traces only loop-free code).
fn call_method_op(vm: Gc<Vm>, frame: Gc<Frame>, arg: i64) -> Result<Value, Value> {
    // The stack holds [method or Null, self or callable, args...] (plain Python functions
    // were called by `execute` itself).
    let args = pop_n(frame, arg as usize);
    let selfv = pop(frame);
    let f = pop(frame);
    if f.is_null() {
        return call::call(vm, selfv, args, vm.no_names);
    }
    let all = GcArray::new(args.len() + 1, selfv);
    for i in 0..args.len() {
        all.set(i + 1, args.get(i));
    }
    call::call(vm, f, all, vm.no_names)
}

/// The instructions that build or unpack containers (they loop over their items).
fn build_op(vm: Gc<Vm>, frame: Gc<Frame>, op: i64, arg: i64) -> Result<Value, Value> {
    match op {
        BUILD_LIST => {
            let items = pop_n(frame, arg as usize);
            let l: GcList<Value> = GcList::with_capacity(items.len());
            for i in 0..items.len() {
                l.push(items.get(i));
            }
            push(frame, ops::new_list(vm, l));
        }
        BUILD_SET => {
            let items = pop_n(frame, arg as usize);
            let l: GcList<Value> = GcList::with_capacity(items.len());
            for i in 0..items.len() {
                l.push(items.get(i));
            }
            let s = crate::set::from_list(vm, l, T_SET)?;
            push(frame, s);
        }
        BUILD_MAP => {
            let items = pop_n(frame, (arg * 2) as usize);
            let d = crate::dict::new_dict(vm);
            for i in 0..(arg as usize) {
                crate::dict::setitem(vm, d, items.get(2 * i), items.get(2 * i + 1))?;
            }
            push(frame, d);
        }
        BUILD_STRING => {
            let items = pop_n(frame, arg as usize);
            let b = vmkit::StrBuilder::new();
            for i in 0..items.len() {
                b.push_str(strs::as_str(items.get(i)).unwrap_or(Str::from("")));
            }
            push(frame, strs::new_str(vm, b.build()));
        }
        LIST_TO_TUPLE => {
            let l = pop(frame);
            let items = ops::list_of(l);
            let a = GcArray::new(items.len(), Value::Nil);
            for i in 0..items.len() {
                a.set(i, items.get(i));
            }
            push(frame, ops::new_tuple(vm, a));
        }
        UNPACK_SEQUENCE => {
            let seq = pop(frame);
            let items = ops::unpack(vm, seq, arg)?;
            let mut i = items.len();
            while i > 0 {
                i -= 1;
                push(frame, items.get(i));
            }
        }
        UNPACK_EX => {
            let before = arg & 255;
            let after = arg >> 8;
            let seq = pop(frame);
            let all = ops::to_list(vm, seq)?;
            let n = all.len() as i64;
            if n < before + after {
                return Err(new_exc(
                    vm,
                    T_VALUE_ERROR,
                    Str::from("not enough values to unpack (expected at least ")
                        .concat(Str::from_i64(before + after))
                        .concat(Str::from(", got "))
                        .concat(Str::from_i64(n))
                        .concat(Str::from(")")),
                ));
            }
            let mut i = n;
            while i > n - after {
                i -= 1;
                push(frame, all.get(i as usize));
            }
            let mid: GcList<Value> = GcList::new();
            for k in before..(n - after) {
                mid.push(all.get(k as usize));
            }
            push(frame, ops::new_list(vm, mid));
            let mut k = before;
            while k > 0 {
                k -= 1;
                push(frame, all.get(k as usize));
            }
        }
        _ => {}
    }
    Ok(Value::Nil)
}

/// Runs a module's code with `globals` as its namespace.
pub fn run_module_code(
    vm: Gc<Vm>,
    code: Gc<Code>,
    globals: GcMap<Str, Value>,
) -> Result<Value, Value> {
    let f = new_frame(code, globals, None);
    run_frame(vm, f)
}

/// Resumes a generator frame: sends `v` (Nil for `next`). Returns (finished, value).
pub fn resume(vm: Gc<Vm>, frame: Gc<Frame>, v: Value) -> Result<(bool, Value), Value> {
    let state = frame.gen_state.get();
    if state == 3 {
        return Ok((true, Value::Nil));
    }
    if state == 2 {
        return Err(new_exc(
            vm,
            T_VALUE_ERROR,
            Str::from("generator already executing"),
        ));
    }
    if state == 0 {
        if !v.is_nil() {
            return Err(new_exc(
                vm,
                T_TYPE_ERROR,
                Str::from("can't send non-None value to a just-started generator"),
            ));
        }
    } else {
        push(frame, v);
    }
    frame.gen_state.set(2);
    let depth = vm.depth.get();
    if depth >= vm.recursion_limit.get() || depth >= call::MAX_DEPTH {
        frame.gen_state.set(1);
        return Err(call::recursion_error(vm));
    }
    vm.depth.set(depth + 1);
    let r = run_frame(vm, frame);
    vm.depth.set(depth);
    match r {
        Ok(v) => Ok((frame.gen_state.get() == 3, v)),
        Err(e) => {
            frame.gen_state.set(3);
            Err(pep479(vm, e))
        }
    }
}

/// PEP 479: a StopIteration escaping a generator becomes a RuntimeError.
fn pep479(vm: Gc<Vm>, e: Value) -> Value {
    if is_instance_id(vm, e, T_STOP_ITERATION) {
        let r = new_exc(
            vm,
            T_RUNTIME_ERROR,
            Str::from("generator raised StopIteration"),
        );
        if let Some(d) = exc_data(r) {
            d.cause.set(e);
            d.context.set(e);
            d.suppress.set(true);
        }
        return r;
    }
    e
}

/// Throws `e` into a suspended generator at its current instruction.
pub fn throw(vm: Gc<Vm>, frame: Gc<Frame>, e: Value) -> Result<(bool, Value), Value> {
    let state = frame.gen_state.get();
    if state == 0 || state == 3 {
        frame.gen_state.set(3);
        return Err(e);
    }
    frame.gen_state.set(2);
    // A YIELD_FROM in progress delegates the exception to the inner iterator first.
    let pc = frame.pc.get();
    let code = frame.code;
    if (pc as usize) < code.ops.len() && code.ops.get(pc as usize) == YIELD_FROM {
        let inner = top(frame);
        if let Some(g) = crate::iter::generator_frame(inner) {
            match throw(vm, g, e) {
                Ok((false, y)) => {
                    frame.gen_state.set(1);
                    return Ok((false, y));
                }
                Ok((true, r)) => {
                    pop(frame);
                    push(frame, r);
                    frame.pc.set(pc + 1);
                    frame.gen_state.set(2);
                    return resume_running(vm, frame);
                }
                Err(e2) => return throw_here(vm, frame, e2),
            }
        }
    }
    throw_here(vm, frame, e)
}

fn throw_here(vm: Gc<Vm>, frame: Gc<Frame>, e: Value) -> Result<(bool, Value), Value> {
    let code = frame.code;
    let pc = frame.pc.get() - 1;
    let h = unwind(vm, frame, e);
    if h < 0 {
        add_traceback(
            e,
            code,
            code.lines.get(if pc < 0 { 0 } else { pc as usize }),
        );
        frame.gen_state.set(3);
        return Err(e);
    }
    frame.pc.set(h);
    resume_running(vm, frame)
}

fn resume_running(vm: Gc<Vm>, frame: Gc<Frame>) -> Result<(bool, Value), Value> {
    let depth = vm.depth.get();
    vm.depth.set(depth + 1);
    let r = run_frame(vm, frame);
    vm.depth.set(depth);
    match r {
        Ok(v) => Ok((frame.gen_state.get() == 3, v)),
        Err(e) => {
            frame.gen_state.set(3);
            Err(e)
        }
    }
}
