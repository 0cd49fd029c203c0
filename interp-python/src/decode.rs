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

fn read_strs(r: Gc<Reader>) -> GcArray<Str> {
    let n = int(r) as usize;
    let a = GcArray::new(n, Str::from(""));
    for i in 0..n {
        a.set(i, string(r));
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
    let varnames = read_strs(r);
    let cellvars = read_strs(r);
    let freevars = read_strs(r);
    let names = read_strs(r);
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
    let mut stacksize: i64 = 8;
    for i in 0..n {
        let op = int(r);
        let arg = int(r);
        ops.set(i, op);
        args.set(i, arg);
        lines.set(i, int(r));
        // A conservative bound: the pushes of all instructions.
        stacksize += if op == UNPACK_SEQUENCE {
            arg
        } else if op == UNPACK_EX {
            (arg & 255) + (arg >> 8) + 1
        } else {
            2
        };
    }
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
    })
}

/// Decodes the code after the leading `O` of a successful compilation.
pub fn decode_module(vm: Gc<Vm>, data: Str) -> Gc<Code> {
    let r = Gc::new(Reader {
        data,
        pos: Mut::new(1),
    });
    code(vm, r)
}
