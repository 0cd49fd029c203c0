//! A small complete interpreter: a Forth-like language compiled from a `Str` to a `GcList` of `Copy`
//! enum ops (back-patched jumps, recursive words in a `GcMap<Str, Op>` dictionary and code shared
//! by later programs), run by a dispatch loop with explicit stacks; errors are a `Copy` enum through `?`.

use vmkit::io::print;
use vmkit::{GcList, GcMap, Str, StrBuilder};

#[derive(Clone, Copy)]
enum Op {
    Push(i64),
    Arith(u8),
    Dup,
    Print,
    Call(usize),
    Ret,
    JumpIfZero(usize),
    Halt,
}

#[derive(Clone, Copy)]
/// `Underflow(0)` is a compile-time error: an unbalanced `:`/`;` or `if`/`then`.
enum Error {
    Underflow(usize),
    DivZero,
    Unknown(Str),
}

fn pop_int(stack: GcList<i64>, pc: usize) -> Result<i64, Error> {
    match stack.pop() {
        Some(v) => Ok(v),
        None => Err(Error::Underflow(pc)),
    }
}

/// Appends the compiled `src` to `code` and returns where it starts.
fn compile(src: Str, dict: GcMap<Str, Op>, code: GcList<Op>) -> Result<usize, Error> {
    let entry = code.len();
    let pending: GcList<i64> = GcList::new();
    let mut naming = false;
    let mut start: usize = 0;
    for i in 0..=src.len() {
        if i < src.len() && src.byte_at(i) != b' ' {
            continue;
        }
        let tok = src.slice(start, i);
        start = i + 1;
        if naming {
            dict.insert(tok, Op::Call(code.len()));
            naming = false;
        } else if let Some(n) = tok.parse_i64() {
            code.push(Op::Push(n));
        } else if tok == Str::from(":") || tok == Str::from("if") {
            if tok == Str::from(":") {
                code.push(Op::Push(0));
                naming = true;
            }
            pending.push(code.len() as i64);
            code.push(Op::JumpIfZero(0));
        } else if tok == Str::from(";") || tok == Str::from("then") {
            if tok == Str::from(";") {
                code.push(Op::Ret);
            }
            code.set(pop_int(pending, 0)? as usize, Op::JumpIfZero(code.len()));
        } else {
            code.push(match dict.get(tok) {
                Some(op) => op,
                None => return Err(Error::Unknown(tok)),
            });
        }
    }
    if !pending.is_empty() {
        return Err(Error::Underflow(0));
    }
    code.push(Op::Halt);
    Ok(entry)
}

fn run(code: GcList<Op>, entry: Result<usize, Error>, out: StrBuilder) -> Result<i64, Error> {
    let stack: GcList<i64> = GcList::new();
    let calls: GcList<i64> = GcList::new();
    let mut pc: usize = entry?;
    loop {
        let op = code.get(pc);
        pc += 1;
        match op {
            Op::Push(n) => stack.push(n),
            Op::Arith(c) => {
                let b = pop_int(stack, pc)?;
                let a = pop_int(stack, pc)?;
                stack.push(match c {
                    b'+' => a.wrapping_add(b),
                    b'*' => a.wrapping_mul(b),
                    b'/' if b == 0 => return Err(Error::DivZero),
                    b'/' => a / b,
                    b'>' => (a > b) as i64,
                    _ => (a == b) as i64,
                });
            }
            Op::Dup => {
                let a = pop_int(stack, pc)?;
                stack.push(a);
                stack.push(a);
            }
            Op::Print => out.push_str(Str::from_i64(pop_int(stack, pc)?).concat(Str::from(" "))),
            Op::Call(addr) => {
                calls.push(pc as i64);
                pc = addr;
            }
            Op::Ret => pc = pop_int(calls, pc)? as usize,
            Op::JumpIfZero(target) => pc = if pop_int(stack, pc)? == 0 { target } else { pc },
            Op::Halt => return Ok(stack.len() as i64),
        }
    }
}

fn execute(src: Str, dict: GcMap<Str, Op>, code: GcList<Op>) {
    let out = StrBuilder::new();
    let msg = match run(code, compile(src, dict, code), out) {
        Ok(depth) => Str::from("ok, depth ").concat(Str::from_i64(depth)),
        Err(Error::Underflow(0)) => Str::from("unbalanced `:`/`;` or `if`/`then`"),
        Err(Error::Underflow(pc)) => Str::from("stack underflow at ").concat(Str::from_u64(pc as u64)),
        Err(Error::DivZero) => Str::from("division by zero"),
        Err(Error::Unknown(w)) => Str::from("unknown word ").concat(w),
    };
    print(out.build().concat(msg).concat(Str::from("\n")));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let dict: GcMap<Str, Op> = GcMap::new();
    let code: GcList<Op> = GcList::new();
    let builtins = Str::from("+*/>=");
    for k in 0..builtins.len() {
        dict.insert(builtins.slice(k, k + 1), Op::Arith(builtins.byte_at(k)));
    }
    dict.insert(Str::from("."), Op::Print);
    dict.insert(Str::from("dup"), Op::Dup);
    execute(Str::from("2 3 + 4 * ."), dict, code);
    execute(Str::from(": sq dup * ; 7 sq . -3 sq sq ."), dict, code);
    execute(Str::from(": fact dup 1 > if dup -1 + fact * then ; 10 fact . 20 fact . 1 fact ."), dict, code);
    execute(Str::from("3 sq fact . 4 fact sq ."), dict, code);
    execute(Str::from(": down dup . dup 0 > if -1 + down then ; 5 down 42"), dict, code);
    execute(Str::from("1 -2 + . 9 3 / . 1 2 > . 2 1 > . 4 4 = . -7 2 / ."), dict, code);
    execute(Str::from("1 2 + . 7 0 / ."), dict, code);
    execute(Str::from("1 . + ."), dict, code);
    execute(Str::from("1 2 frob ."), dict, code);
    execute(Str::from("1 if 2 ."), dict, code);
    0
}
