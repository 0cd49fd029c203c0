//! JIT test: a dynamically typed stack VM over a value enum `Value { Int(i64), Float(f64) }` in
//! the style of Python numbers: `Int` arithmetic with `checked_*` that falls back to `Float` on
//! overflow, mixed int/float arithmetic and comparisons through `match` on pairs of enums, float
//! functions (`sqrt abs floor`), casts both ways (`as f64`, saturating `as i64`, NaN to 0), and
//! `Str::from_f64` printing. The machine is a `#[vmkit::virtualizable]` struct with `Mut` fields
//! (stack pointer, operation counter); the code is assembled from text (labels and local names in
//! `GcMap<Str, i64>`, numbers through `parse_i64`/`parse_f64`) into a `GcArray<i64>` read through
//! `#[elidable]` functions with green arguments. `we_are_jitted()` picks between two equivalent
//! paths; a `#[dont_look_inside]` `dup` receives the virtualizable and moves its stack pointer.
//! Guest programs: an ASCII Mandelbrot set (three nested hot loops, the innermost with a
//! data-dependent exit), a Leibniz series, factorial overflowing into floats, and Newton square
//! roots whose iteration count changes with the argument.

use vmkit::io::{print, write_byte};
use vmkit::jit::{promote, we_are_jitted};
use vmkit::{Gc, GcArray, GcList, GcMap, JitDriver, Mut, Str};

#[derive(Clone, Copy)]
enum Value {
    Int(i64),
    Float(f64),
}

// Opcodes (each instruction is two slots: opcode, argument).
const PUSH_INT: i64 = 0;
const PUSH_FLOAT: i64 = 1;
const LOAD: i64 = 2;
const STORE: i64 = 3;
const ADD: i64 = 4;
const SUB: i64 = 5;
const MUL: i64 = 6;
const DIV: i64 = 7;
const IDIV: i64 = 8;
const MOD: i64 = 9;
const LT: i64 = 10;
const GT: i64 = 11;
const SQRT: i64 = 12;
const ABS: i64 = 13;
const FLOOR: i64 = 14;
const TO_INT: i64 = 15;
const TO_FLOAT: i64 = 16;
const JUMP: i64 = 17;
const JUMP_IF_FALSE: i64 = 18;
const JUMP_IF_TRUE: i64 = 19;
const LOOP: i64 = 20;
const PUTC: i64 = 21;
const PRINT: i64 = 22;
const HALT: i64 = 23;
const NEG: i64 = 24;
const IS_NAN: i64 = 25;
const NEWLINE: i64 = 26;
const DUP: i64 = 27;

struct Prog {
    code: GcArray<i64>,
    floats: GcArray<f64>,
    palette: Str,
    nlocals: usize,
}

#[vmkit::virtualizable]
struct Machine {
    stack: GcArray<Value>,
    sp: Mut<usize>,
    locals: GcArray<Value>,
    ops: Mut<i64>,
}

static DRIVER: JitDriver = JitDriver {
    name: "floats",
    greens: &["pc", "prog"],
    reds: &["m"],
    virtualizables: &["m"],
    get_printable_location: Some("location"),
};

fn location(pc: usize, prog: Gc<Prog>) -> Str {
    Str::from("pc=")
        .concat(Str::from_u64(pc as u64))
        .concat(Str::from(" op="))
        .concat(Str::from_i64(prog.code.get(pc * 2)))
}

#[vmkit::elidable]
fn opcode_at(prog: Gc<Prog>, pc: usize) -> i64 {
    prog.code.get(pc * 2)
}

#[vmkit::elidable]
fn arg_at(prog: Gc<Prog>, pc: usize) -> i64 {
    prog.code.get(pc * 2 + 1)
}

#[vmkit::elidable]
fn float_const(prog: Gc<Prog>, index: usize) -> f64 {
    prog.floats.get(index)
}

fn push(m: Gc<Machine>, v: Value) {
    let sp = m.sp.get();
    m.stack.set(sp, v);
    m.sp.set(sp + 1);
}

fn pop(m: Gc<Machine>) -> Value {
    let sp = m.sp.get();
    if sp == 0 {
        panic!("stack underflow");
    }
    m.sp.set(sp - 1);
    m.stack.get(sp - 1)
}

fn as_float(v: Value) -> f64 {
    match v {
        Value::Int(i) => i as f64,
        Value::Float(f) => f,
    }
}

fn truthy(v: Value) -> bool {
    match v {
        Value::Int(i) => i != 0,
        Value::Float(f) => f != 0.0,
    }
}

/// `a op b` for `+ - *`: exact on two ints unless it overflows, float otherwise.
fn arith(op: i64, a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => {
            let r = if op == ADD {
                x.checked_add(y)
            } else if op == SUB {
                x.checked_sub(y)
            } else {
                x.checked_mul(y)
            };
            match r {
                Some(v) => Value::Int(v),
                None => Value::Float(float_op(op, x as f64, y as f64)),
            }
        }
        _ => Value::Float(float_op(op, as_float(a), as_float(b))),
    }
}

fn float_op(op: i64, x: f64, y: f64) -> f64 {
    match op {
        ADD => x + y,
        SUB => x - y,
        MUL => x * y,
        DIV => x / y,
        _ => panic!("bad float op"),
    }
}

/// `//` on ints: truncating division (a fatal error by zero); on floats: floor of the quotient.
fn int_div(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(x / y),
        _ => Value::Float((as_float(a) / as_float(b)).floor()),
    }
}

fn modulo(a: Value, b: Value) -> Value {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => Value::Int(x % y),
        _ => Value::Float(as_float(a) % as_float(b)),
    }
}

fn less(a: Value, b: Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Int(y)) => x < y,
        (Value::Int(x), Value::Float(y)) => (x as f64) < y,
        (Value::Float(x), Value::Int(y)) => x < y as f64,
        (Value::Float(x), Value::Float(y)) => x < y,
    }
}

fn unary(op: i64, v: Value) -> Value {
    match op {
        SQRT => Value::Float(as_float(v).sqrt()),
        ABS => match v {
            Value::Int(i) => Value::Int(i.abs()),
            Value::Float(f) => Value::Float(f.abs()),
        },
        FLOOR => match v {
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Float(f.floor()),
        },
        TO_INT => match v {
            Value::Int(i) => Value::Int(i),
            Value::Float(f) => Value::Int(f as i64),
        },
        TO_FLOAT => Value::Float(as_float(v)),
        NEG => match v {
            Value::Int(i) => Value::Int(0i64.wrapping_sub(i)),
            Value::Float(f) => Value::Float(-f),
        },
        IS_NAN => Value::Int(as_float(v).is_nan() as i64),
        _ => panic!("bad unary op"),
    }
}

fn show(v: Value) -> Str {
    match v {
        Value::Int(i) => Str::from_i64(i),
        Value::Float(f) => Str::from_f64(f),
    }
}

/// Duplicates the top of the stack. Opaque to the JIT: the virtualizable machine escapes into
/// this call, which moves its stack pointer.
#[vmkit::dont_look_inside]
fn dup_top(m: Gc<Machine>) {
    let v = pop(m);
    push(m, v);
    push(m, v);
}

/// The palette byte for an iteration count.
fn palette_byte(prog: Gc<Prog>, v: Value) -> u8 {
    let n = prog.palette.len() as i64;
    let i = match v {
        Value::Int(i) => i,
        Value::Float(f) => f as i64,
    };
    // Two equivalent ways of clamping the index; the JIT takes the first.
    let k = if we_are_jitted() {
        i.max(0).min(n - 1)
    } else if i < 0 {
        0
    } else if i >= n {
        n - 1
    } else {
        i
    };
    prog.palette.byte_at(k as usize)
}

/// The portal: runs `prog` and returns the value on top of the stack at `HALT`.
fn interpret(prog: Gc<Prog>, m: Gc<Machine>) -> Value {
    let mut pc: usize = 0;
    let result = loop {
        vmkit::jit_merge_point!(DRIVER; pc, prog; m);
        let op = opcode_at(prog, pc);
        let arg = arg_at(prog, pc);
        pc += 1;
        m.ops.set(m.ops.get() + 1);
        match op {
            PUSH_INT => push(m, Value::Int(arg)),
            PUSH_FLOAT => push(m, Value::Float(float_const(prog, arg as usize))),
            LOAD => push(m, m.locals.get(arg as usize)),
            STORE => m.locals.set(arg as usize, pop(m)),
            ADD | SUB | MUL => {
                let b = pop(m);
                let a = pop(m);
                push(m, arith(op, a, b));
            }
            DIV => {
                let b = pop(m);
                let a = pop(m);
                push(m, Value::Float(float_op(DIV, as_float(a), as_float(b))));
            }
            IDIV => {
                let b = pop(m);
                let a = pop(m);
                push(m, int_div(a, b));
            }
            MOD => {
                let b = pop(m);
                let a = pop(m);
                push(m, modulo(a, b));
            }
            LT | GT => {
                let b = pop(m);
                let a = pop(m);
                let r = if op == LT { less(a, b) } else { less(b, a) };
                push(m, Value::Int(r as i64));
            }
            SQRT | ABS | FLOOR | TO_INT | TO_FLOAT | NEG | IS_NAN => {
                let v = pop(m);
                push(m, unary(op, v));
            }
            JUMP => pc = arg as usize,
            JUMP_IF_FALSE => {
                if !truthy(pop(m)) {
                    pc = arg as usize;
                }
            }
            JUMP_IF_TRUE => {
                if truthy(pop(m)) {
                    pc = arg as usize;
                }
            }
            LOOP => {
                pc = promote(arg as usize);
                vmkit::can_enter_jit!(DRIVER; pc, prog; m);
            }
            PUTC => write_byte(palette_byte(prog, pop(m))),
            NEWLINE => write_byte(b'\n'),
            DUP => dup_top(m),
            PRINT => print(show(pop(m)).concat(Str::from("\n"))),
            HALT => break pop(m),
            _ => panic!("bad opcode"),
        }
    };
    result
}

// ---- Assembler ----------------------------------------------------------------------------
//
// Tokens are separated by spaces and newlines; `#` starts a comment. `name:` defines a label;
// `j:L`, `jf:L`, `jt:L` jump (forward), `loop:L` jumps backwards; `@x` pushes local `x`, `=x`
// pops into it; integers and floats push themselves; other words are operators.

fn is_space(b: u8) -> bool {
    b == b' ' || b == b'\n'
}

/// Splits `src` into tokens, dropping comments.
fn tokenize(src: Str) -> GcList<Str> {
    let tokens: GcList<Str> = GcList::new();
    let mut i: usize = 0;
    let n = src.len();
    while i < n {
        let b = src.byte_at(i);
        if is_space(b) {
            i += 1;
        } else if b == b'#' {
            while i < n && src.byte_at(i) != b'\n' {
                i += 1;
            }
        } else {
            let start = i;
            while i < n && !is_space(src.byte_at(i)) {
                i += 1;
            }
            tokens.push(src.slice(start, i));
        }
    }
    tokens
}

fn is_label(tok: Str) -> bool {
    tok.len() > 1 && tok.ends_with(Str::from(":"))
}

fn after_colon(tok: Str) -> Str {
    match tok.find(Str::from(":"), 0) {
        Some(k) => tok.slice(k + 1, tok.len()),
        None => panic!("no colon"),
    }
}

fn slot(locals: GcMap<Str, i64>, name: Str) -> i64 {
    match locals.get(name) {
        Some(k) => k,
        None => {
            let k = locals.len() as i64;
            locals.insert(name, k);
            k
        }
    }
}

fn assemble(src: Str, ops: GcMap<Str, i64>, palette: Str) -> Gc<Prog> {
    let tokens = tokenize(src);
    // Pass 1: label addresses.
    let labels: GcMap<Str, i64> = GcMap::new();
    let mut count: i64 = 0;
    for i in 0..tokens.len() {
        let tok = tokens.get(i);
        if is_label(tok) {
            labels.insert(tok.slice(0, tok.len() - 1), count);
        } else {
            count += 1;
        }
    }
    // Pass 2: code.
    let code: GcArray<i64> = GcArray::new((count * 2) as usize, 0);
    let floats: GcList<f64> = GcList::new();
    let locals: GcMap<Str, i64> = GcMap::new();
    let mut at: usize = 0;
    for i in 0..tokens.len() {
        let tok = tokens.get(i);
        if is_label(tok) {
            continue;
        }
        let first = tok.byte_at(0);
        let (op, arg) = if tok.len() > 1 && first == b'@' {
            (LOAD, slot(locals, tok.slice(1, tok.len())))
        } else if tok.len() > 1 && first == b'=' {
            (STORE, slot(locals, tok.slice(1, tok.len())))
        } else if let Some(n) = tok.parse_i64() {
            (PUSH_INT, n)
        } else if let Some(f) = tok.parse_f64() {
            floats.push(f);
            (PUSH_FLOAT, (floats.len() - 1) as i64)
        } else if tok.find(Str::from(":"), 0).is_some() {
            let kind = tok.slice(0, tok.find(Str::from(":"), 0).unwrap());
            let target = match labels.get(after_colon(tok)) {
                Some(t) => t,
                None => panic!("unknown label"),
            };
            let op = if kind == Str::from("j") {
                JUMP
            } else if kind == Str::from("jf") {
                JUMP_IF_FALSE
            } else if kind == Str::from("jt") {
                JUMP_IF_TRUE
            } else {
                LOOP
            };
            (op, target)
        } else {
            match ops.get(tok) {
                Some(op) => (op, 0),
                None => {
                    print(Str::from("unknown word ").concat(tok).concat(Str::from("\n")));
                    panic!("unknown word");
                }
            }
        };
        code.set(at * 2, op);
        code.set(at * 2 + 1, arg);
        at += 1;
    }
    let fa: GcArray<f64> = GcArray::new(floats.len(), 0.0);
    for i in 0..floats.len() {
        fa.set(i, floats.get(i));
    }
    Gc::new(Prog { code, floats: fa, palette, nlocals: locals.len() })
}

fn op_table() -> GcMap<Str, i64> {
    let ops: GcMap<Str, i64> = GcMap::new();
    ops.insert(Str::from("+"), ADD);
    ops.insert(Str::from("-"), SUB);
    ops.insert(Str::from("*"), MUL);
    ops.insert(Str::from("/"), DIV);
    ops.insert(Str::from("//"), IDIV);
    ops.insert(Str::from("%"), MOD);
    ops.insert(Str::from("<"), LT);
    ops.insert(Str::from(">"), GT);
    ops.insert(Str::from("sqrt"), SQRT);
    ops.insert(Str::from("abs"), ABS);
    ops.insert(Str::from("floor"), FLOOR);
    ops.insert(Str::from("int"), TO_INT);
    ops.insert(Str::from("float"), TO_FLOAT);
    ops.insert(Str::from("neg"), NEG);
    ops.insert(Str::from("isnan"), IS_NAN);
    ops.insert(Str::from("putc"), PUTC);
    ops.insert(Str::from("print"), PRINT);
    ops.insert(Str::from("newline"), NEWLINE);
    ops.insert(Str::from("dup"), DUP);
    ops.insert(Str::from("halt"), HALT);
    ops
}

fn run(name: Str, src: Str, ops: GcMap<Str, i64>) {
    let prog = assemble(src, ops, Str::from(" .,:;-=+*%#"));
    let m = Gc::new(Machine {
        stack: GcArray::new(64, Value::Int(0)),
        sp: Mut::new(0),
        locals: GcArray::new(prog.nlocals, Value::Int(0)),
        ops: Mut::new(0),
    });
    let result = interpret(prog, m);
    print(
        name.concat(Str::from(": "))
            .concat(show(result))
            .concat(Str::from(" after "))
            .concat(Str::from_i64(m.ops.get()))
            .concat(Str::from(" ops\n")),
    );
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let ops = op_table();
    let mandelbrot = Str::from(
        "0 =inside 0 =py
        rows:
          0 =px
          cols:
            @px 3.0 * 48 / 2.25 - =cr   # int * float / int
            @py 2.4 * 22 / 1.2 - =ci
            0.0 =zr 0.0 =zi 0 =it
            iter:
              @it 50 < jf:done
              @zr dup * @zi dup * + 4.0 > jt:done
              @zr @zr * @zi @zi * - @cr + =t
              2.0 @zr * @zi * @ci + =zi
              @t =zr
              @it 1 + =it
              loop:iter
            done:
            @it 5 // putc
            @it 49 > jf:outside
            @inside 1 + =inside
            outside:
            @px 1 + =px
            @px 48 < jf:endcols loop:cols
            endcols:
          99 putc   # past the end of the palette: clamped to its last byte
          newline
          @py 1 + =py
          @py 22 < jf:endrows loop:rows
          endrows:
        @inside halt",
    );
    run(Str::from("mandelbrot"), mandelbrot, ops);

    let numeric = Str::from(
        "# Leibniz series for pi
        0.0 =s 0 =k 1 =sign
        l1: @k 20000 < jf:e1
          @sign float 2 @k * 1 + / @s + =s
          @sign neg =sign
          @k 1 + =k loop:l1
        e1: @s 4 * print
        # factorial: ints until 21! overflows, then floats
        1 =f 1 =n
        l2: @n 25 > jt:e2
          @f @n * =f
          @n 1 + =n loop:l2
        e2: @f print
        # Newton square roots of 1..400; the iteration count changes with the argument
        0 =total 1 =a
        l3: @a 400 > jt:e3
          @a float =x 0 =c
          l4: @x @x * @a - abs 0.000000001 > jf:e4
            @x @a @x / + 0.5 * =x
            @c 1 + =c loop:l4
          e4: @total @c + =total
          @a 1 + =a loop:l3
        e3: @total print @x print
        # casts, division and remainder on negative numbers, comparisons across types
        -7 2 // print -7 2 % print 7.5 2.0 % print -7.5 2 // print -7.5 int print
        1e30 int print -1e30 int print -1.0 sqrt isnan print -1.0 sqrt int print
        3 2.5 < print 2.5 3 < print 9007199254740993 float print 0.1 0.2 + print
        1.0 0.0 / print 2.0 0.5 * floor print 9223372036854775807 1 + print
        @total halt",
    );
    run(Str::from("numeric"), numeric, ops);
    0
}
