//! Decodes the front end's serialised code objects (`docs/bytecode.md`, "Serialisation") into
//! [`Code`] objects and constants.

use crate::object::*;
use crate::opcode::*;
use crate::types::*;
use crate::{bigint, strs};
use vmkit::{Gc, GcArray, GcList, Mut, Str};

/// A read position in a serialised stream.
pub struct Reader {
    pub data: Str,
    pub pos: Mut<usize>,
}

fn byte(r: Gc<Reader>) -> u8 {
    let p = r.pos.get();
    if p >= r.data.len() {
        panic!("truncated bytecode stream");
    }
    r.pos.set(p + 1);
    r.data.byte_at(p)
}

fn int(r: Gc<Reader>) -> i64 {
    let mut neg = false;
    let mut v: i64 = 0;
    loop {
        let b = byte(r);
        if b == b';' {
            break;
        }
        if b == b'-' {
            neg = true;
        } else {
            v = v.wrapping_mul(10).wrapping_add((b - b'0') as i64);
        }
    }
    if neg {
        0i64.wrapping_sub(v)
    } else {
        v
    }
}

fn string(r: Gc<Reader>) -> Str {
    let n = int(r) as usize;
    let p = r.pos.get();
    if p + n > r.data.len() {
        panic!("truncated bytecode stream");
    }
    r.pos.set(p + n);
    r.data.slice(p, p + n)
}

/// A list of identifiers, interned (see `Vm::interned`).
fn read_strs(vm: Gc<Vm>, r: Gc<Reader>) -> GcArray<Str> {
    let n = int(r) as usize;
    let a = GcArray::new(n, Str::from(""));
    for i in 0..n {
        let s = string(r);
        let s = match vm.interned.get(s) {
            Some(t) => t,
            None => {
                vm.interned.insert(s, s);
                s
            }
        };
        a.set(i, s);
    }
    a
}

fn constant(vm: Gc<Vm>, r: Gc<Reader>) -> Value {
    let tag = byte(r);
    match tag {
        b'N' => Value::Nil,
        b'T' => Value::Bool(true),
        b'F' => Value::Bool(false),
        b'E' => vm.ellipsis,
        b'i' => Value::Int(int(r)),
        b'I' => {
            let s = string(r);
            match bigint::from_str(s, 10) {
                Some(b) => crate::ops::long_value(vm, b),
                None => panic!("bad big integer constant"),
            }
        }
        b'f' => {
            let s = string(r);
            let f = if s == Str::from("inf") {
                f64::INFINITY
            } else if s == Str::from("-inf") {
                0.0 - f64::INFINITY
            } else if s == Str::from("NaN") {
                f64::NAN
            } else {
                s.parse_f64().unwrap_or(0.0)
            };
            Value::Float(f)
        }
        b's' => strs::new_str(vm, string(r)),
        b'b' => new_obj(ty(vm, T_BYTES), Kind::Bytes(string(r))),
        b't' | b'z' => {
            let n = int(r) as usize;
            let items = GcArray::new(n, Value::Nil);
            for i in 0..n {
                items.set(i, constant(vm, r));
            }
            if tag == b't' {
                crate::ops::new_tuple(vm, items)
            } else {
                let l: GcList<Value> = GcList::new();
                for i in 0..n {
                    l.push(items.get(i));
                }
                match crate::set::from_list(vm, l, T_FROZENSET) {
                    Ok(v) => v,
                    Err(_) => panic!("unhashable frozenset constant"),
                }
            }
        }
        b'C' => new_obj(ty(vm, T_CODE), Kind::Code(code(vm, r))),
        _ => panic!("bad constant tag in bytecode stream"),
    }
}

fn code(vm: Gc<Vm>, r: Gc<Reader>) -> Gc<Code> {
    let name = string(r);
    let qualname = string(r);
    let filename = string(r);
    let firstlineno = int(r);
    let argcount = int(r);
    let posonlyargcount = int(r);
    let kwonlyargcount = int(r);
    let flags = int(r);
    let varnames = read_strs(vm, r);
    let cellvars = read_strs(vm, r);
    let freevars = read_strs(vm, r);
    let names = read_strs(vm, r);
    let ncell = int(r) as usize;
    let cell2arg = GcArray::new(ncell, -1i64);
    for i in 0..ncell {
        cell2arg.set(i, int(r));
    }
    let nconsts = int(r) as usize;
    let consts = GcArray::new(nconsts, Value::Nil);
    for i in 0..nconsts {
        consts.set(i, constant(vm, r));
    }
    let n = int(r) as usize;
    let ops = GcArray::new(n, 0i64);
    let args = GcArray::new(n, 0i64);
    let lines = GcArray::new(n, 0i64);
    let mut bound: i64 = 8;
    for i in 0..n {
        let op = int(r);
        let arg = int(r);
        ops.set(i, op);
        args.set(i, arg);
        lines.set(i, int(r));
        // A conservative bound (the pushes of all instructions), used if the analysis fails.
        bound += if op == UNPACK_SEQUENCE {
            arg
        } else if op == UNPACK_EX {
            (arg & 255) + (arg >> 8) + 1
        } else {
            2
        };
    }
    let exact = max_stack_depth(ops, args);
    let stacksize = if exact >= 0 { exact + 2 } else { bound };
    Gc::new(Code {
        name,
        qualname,
        filename,
        firstlineno,
        argcount,
        posonlyargcount,
        kwonlyargcount,
        flags,
        varnames,
        cellvars,
        freevars,
        names,
        cell2arg,
        consts,
        ops,
        args,
        lines,
        stacksize,
        no_cells: GcArray::new(0, Value::Null),
    })
}

/// Stack effect of an instruction on its fall-through path (`ft`) and on its jump (`jmp`,
/// jumps and handlers), and whether it falls through.
fn effect(op: i64, arg: i64) -> (i64, i64, bool) {
    match op {
        NOP
        | ROT_TWO
        | ROT_THREE
        | ROT_FOUR
        | DELETE_FAST
        | DELETE_DEREF
        | DELETE_NAME
        | DELETE_GLOBAL
        | LOAD_ATTR
        | UNARY_POSITIVE
        | UNARY_NEGATIVE
        | UNARY_NOT
        | UNARY_INVERT
        | LIST_TO_TUPLE
        | GET_ITER
        | GET_YIELD_FROM_ITER
        | YIELD_VALUE
        | POP_BLOCK
        | POP_EXCEPT
        | CHECK_EXC_MATCH
        | COPY_DICT_WITHOUT_KEYS => (0, 0, true),
        POP_TOP | STORE_FAST | STORE_DEREF | STORE_NAME | STORE_GLOBAL | DELETE_ATTR
        | BINARY_OP | INPLACE_OP | COMPARE_OP | IS_OP | CONTAINS_OP | BINARY_SUBSCR
        | LIST_APPEND | SET_ADD | LIST_EXTEND | SET_UPDATE | DICT_UPDATE | DICT_MERGE
        | YIELD_FROM | IMPORT_STAR => (-1, 0, true),
        DUP_TOP | LOAD_CONST | LOAD_FAST | LOAD_DEREF | LOAD_CLOSURE | LOAD_CLASSDEREF
        | LOAD_NAME | LOAD_GLOBAL | LOAD_METHOD | LOAD_ASSERTION_ERROR | LOAD_BUILD_CLASS
        | WITH_EXCEPT_START | IMPORT_NAME | IMPORT_FROM | MATCH_SEQUENCE | MATCH_MAPPING
        | GET_LEN | MATCH_KEYS => (1, 0, true),
        DUP_TOP_TWO => (2, 0, true),
        STORE_ATTR | DELETE_SUBSCR | MAP_ADD | MATCH_CLASS => (-2, 0, true),
        STORE_SUBSCR => (-3, 0, true),
        CALL_METHOD => (0 - arg - 1, 0, true),
        BUILD_SLICE => (1 - arg, 0, true),
        BUILD_TUPLE | BUILD_LIST | BUILD_SET | BUILD_STRING => (1 - arg, 0, true),
        BUILD_MAP => (1 - 2 * arg, 0, true),
        FORMAT_VALUE => (if arg & 4 != 0 { -1 } else { 0 }, 0, true),
        UNPACK_SEQUENCE => (arg - 1, 0, true),
        UNPACK_EX => ((arg & 255) + (arg >> 8), 0, true),
        JUMP => (0, 0, false),
        POP_JUMP_IF_FALSE | POP_JUMP_IF_TRUE => (-1, -1, true),
        JUMP_IF_FALSE_OR_POP | JUMP_IF_TRUE_OR_POP => (-1, 0, true),
        FOR_ITER => (1, -1, true),
        RETURN_VALUE => (-1, 0, false),
        CALL_FUNCTION => (0 - arg, 0, true),
        CALL_FUNCTION_KW => (0 - arg - 1, 0, true),
        CALL_FUNCTION_EX => (0 - 1 - (arg & 1), 0, true),
        MAKE_FUNCTION => {
            let n = (arg & 1) + ((arg >> 1) & 1) + ((arg >> 2) & 1) + ((arg >> 3) & 1);
            (0 - n, 0, true)
        }
        RAISE_VARARGS => (0 - arg, 0, false),
        RERAISE => (-1, 0, false),
        // The handler starts with the exception pushed at the depth of the setup.
        SETUP_FINALLY => (0, 1, true),
        // [cm] -> [exit, result]; the handler: [exit, exc].
        SETUP_WITH => (1, 1, true),
        _ => (0, 0, true),
    }
}

fn is_jump(op: i64) -> bool {
    op == JUMP
        || op == POP_JUMP_IF_FALSE
        || op == POP_JUMP_IF_TRUE
        || op == JUMP_IF_FALSE_OR_POP
        || op == JUMP_IF_TRUE_OR_POP
        || op == FOR_ITER
        || op == SETUP_FINALLY
        || op == SETUP_WITH
}

/// The maximum value-stack depth over all paths (a worklist over instruction depths), or -1
/// when the code is not consistent (then a conservative bound is used).
fn max_stack_depth(ops: GcArray<i64>, args: GcArray<i64>) -> i64 {
    let n = ops.len();
    let depth = GcArray::new(n + 1, -1i64);
    let work: GcList<i64> = GcList::new();
    if n == 0 {
        return 0;
    }
    depth.set(0, 0);
    work.push(0);
    let mut max: i64 = 0;
    while let Some(pc) = work.pop() {
        let i = pc as usize;
        if i >= n {
            continue;
        }
        let d = depth.get(i);
        let op = ops.get(i);
        let arg = args.get(i);
        let (ft, jmp, falls) = effect(op, arg);
        let mut targets = 0;
        while targets < 2 {
            let (to, nd) = if targets == 0 {
                if !falls {
                    targets += 1;
                    continue;
                }
                (pc + 1, d + ft)
            } else {
                if !is_jump(op) {
                    targets += 1;
                    continue;
                }
                (arg, d + jmp)
            };
            targets += 1;
            if nd < 0 || to < 0 || to as usize > n || nd > 100000 {
                return -1;
            }
            if nd > max {
                max = nd;
            }
            let old = depth.get(to as usize);
            if old < 0 {
                depth.set(to as usize, nd);
                work.push(to);
            } else if old < nd {
                // Inconsistent depths at a join: keep the larger and revisit.
                depth.set(to as usize, nd);
                work.push(to);
            }
        }
        if d > max {
            max = d;
        }
    }
    max
}

/// Decodes the code after the leading `O` of a successful compilation.
pub fn decode_module(vm: Gc<Vm>, data: Str) -> Gc<Code> {
    let r = Gc::new(Reader {
        data,
        pos: Mut::new(1),
    });
    code(vm, r)
}
