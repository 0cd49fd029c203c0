//! JIT test: a stack-based bytecode VM with guest functions. The code is a `GcList` of `Copy`
//! enum instructions fetched through an `#[elidable]` function with green arguments; guest calls
//! and returns go through an explicit stack of GC frames (`Gc::new(Frame { .. })` in the hot
//! loop, linked by `caller`), with arguments popped by an `#[unroll_safe]` loop. The guest program
//! has nested hot loops (a counting loop calling a Collatz loop whose trip count changes with
//! every argument, so guards fail and bridges get compiled), a GCD loop, recursive `fib` through
//! the frame stack, and `match` on the instruction enum. The portal `break`s with the value
//! `main` returns, which `entry` prints.

use vmkit::io::print;
use vmkit::jit::promote;
use vmkit::{Gc, GcArray, GcList, JitDriver, Mut, Str};

#[derive(Clone, Copy)]
enum Instr {
    /// Push a constant.
    Push(i64),
    /// Push local `n` of the current frame.
    Load(usize),
    /// Pop into local `n`.
    Store(usize),
    /// Pop `b`, pop `a`, push `a op b` (op: `+ - * / % <` or `=`).
    Arith(u8),
    /// Forward jump.
    Jump(usize),
    /// Pop; jump when zero.
    JumpIfZero(usize),
    /// Backward jump (a guest loop): where hotness is counted.
    Loop(usize),
    /// Call function `n` of the code: its arguments are on the stack.
    Call(usize),
    /// Pop the result, return to the caller (or leave the VM from `main`).
    Ret,
    /// Pop and print with a label.
    Print,
}

struct Func {
    name: Str,
    entry: usize,
    nparams: usize,
    nlocals: usize,
}

struct Code {
    instrs: GcList<Instr>,
    funcs: GcList<Gc<Func>>,
}

/// A guest activation: a GC object allocated on every guest call.
struct Frame {
    func: Gc<Func>,
    locals: GcArray<i64>,
    ret_pc: usize,
    caller: Option<Gc<Frame>>,
    calls_made: Mut<i64>,
}

static DRIVER: JitDriver = JitDriver {
    name: "stackvm",
    greens: &["pc", "code"],
    reds: &["frame", "stack"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(pc: usize, code: Gc<Code>) -> Str {
    Str::from("pc=").concat(Str::from_u64(pc as u64)).concat(Str::from(" ")).concat(describe(code.instrs.get(pc)))
}

fn describe(instr: Instr) -> Str {
    match instr {
        Instr::Push(n) => Str::from("push ").concat(Str::from_i64(n)),
        Instr::Load(k) => Str::from("load ").concat(Str::from_u64(k as u64)),
        Instr::Store(k) => Str::from("store ").concat(Str::from_u64(k as u64)),
        Instr::Arith(op) => Str::from_byte(op),
        Instr::Jump(t) => Str::from("jump ").concat(Str::from_u64(t as u64)),
        Instr::JumpIfZero(t) => Str::from("jz ").concat(Str::from_u64(t as u64)),
        Instr::Loop(t) => Str::from("loop ").concat(Str::from_u64(t as u64)),
        Instr::Call(f) => Str::from("call ").concat(Str::from_u64(f as u64)),
        Instr::Ret => Str::from("ret"),
        Instr::Print => Str::from("print"),
    }
}

/// The instruction at `pc`. The list never changes once the VM runs, so this is pure; with
/// green (constant) arguments the JIT folds the call away.
#[vmkit::elidable]
fn fetch(code: Gc<Code>, pc: usize) -> Instr {
    code.instrs.get(pc)
}

#[vmkit::elidable]
fn func_at(code: Gc<Code>, index: usize) -> Gc<Func> {
    code.funcs.get(index)
}

fn pop(stack: GcList<i64>) -> i64 {
    match stack.pop() {
        Some(v) => v,
        None => panic!("operand stack underflow"),
    }
}

/// Two levels below the dispatch loop: `arith` calls `apply` which calls `pop` and `divide`.
fn arith(stack: GcList<i64>, op: u8) {
    let b = pop(stack);
    let a = pop(stack);
    stack.push(apply(op, a, b));
}

fn apply(op: u8, a: i64, b: i64) -> i64 {
    match op {
        b'+' => a.wrapping_add(b),
        b'-' => a.wrapping_sub(b),
        b'*' => a.wrapping_mul(b),
        b'/' | b'%' => divide(op, a, b),
        b'<' => (a < b) as i64,
        b'=' => (a == b) as i64,
        _ => panic!("bad arithmetic operator"),
    }
}

fn divide(op: u8, a: i64, b: i64) -> i64 {
    if b == 0 {
        panic!("guest division by zero");
    }
    if op == b'/' {
        a / b
    } else {
        a % b
    }
}

/// Pops the callee's arguments into its fresh locals (last argument on top of the stack).
#[vmkit::unroll_safe]
fn pop_args(stack: GcList<i64>, locals: GcArray<i64>, nparams: usize) {
    let mut k = nparams;
    while k > 0 {
        k -= 1;
        locals.set(k, pop(stack));
    }
}

/// The portal: runs function `main` of `code` and returns what it returns.
fn interpret(code: Gc<Code>, main: Gc<Func>) -> i64 {
    let mut pc: usize = main.entry;
    let mut frame = Gc::new(Frame {
        func: main,
        locals: GcArray::new(main.nlocals, 0),
        ret_pc: 0,
        caller: None,
        calls_made: Mut::new(0),
    });
    let stack: GcList<i64> = GcList::new();
    let result = loop {
        vmkit::jit_merge_point!(DRIVER; pc, code; frame, stack);
        let instr = fetch(code, pc);
        pc += 1;
        match instr {
            Instr::Push(n) => stack.push(n),
            Instr::Load(k) => stack.push(frame.locals.get(k)),
            Instr::Store(k) => frame.locals.set(k, pop(stack)),
            Instr::Arith(op) => arith(stack, op),
            Instr::Jump(target) => pc = target,
            Instr::JumpIfZero(target) => {
                if pop(stack) == 0 {
                    pc = target;
                }
            }
            Instr::Loop(target) => {
                pc = target;
                vmkit::can_enter_jit!(DRIVER; pc, code; frame, stack);
            }
            Instr::Call(index) => {
                let callee = func_at(code, index);
                let locals: GcArray<i64> = GcArray::new(promote(callee.nlocals), 0);
                pop_args(stack, locals, callee.nparams);
                frame.calls_made.set(frame.calls_made.get() + 1);
                frame =
                    Gc::new(Frame { func: callee, locals, ret_pc: pc, caller: Some(frame), calls_made: Mut::new(0) });
                pc = callee.entry;
            }
            Instr::Ret => match frame.caller {
                Some(caller) => {
                    pc = frame.ret_pc;
                    frame = caller;
                }
                None => {
                    let value = pop(stack);
                    if !stack.is_empty() {
                        panic!("values left on the stack");
                    }
                    break value + frame.calls_made.get() * 1000000000;
                }
            },
            Instr::Print => {
                let v = pop(stack);
                print(frame.func.name.concat(Str::from(": ")).concat(Str::from_i64(v)).concat(Str::from("\n")));
            }
        }
    };
    result
}

// ---- A small assembler -------------------------------------------------------------------

fn emit(code: Gc<Code>, instr: Instr) -> usize {
    code.instrs.push(instr);
    code.instrs.len() - 1
}

fn here(code: Gc<Code>) -> usize {
    code.instrs.len()
}

fn func(code: Gc<Code>, name: Str, nparams: usize, nlocals: usize) -> usize {
    code.funcs.push(Gc::new(Func { name, entry: here(code), nparams, nlocals }));
    code.funcs.len() - 1
}

const GCD: usize = 0;
const COLLATZ: usize = 1;
const FIB: usize = 2;
const MAIN: usize = 3;

/// Builds the guest program:
///
/// ```text
/// gcd(a, b)      { while b { t = a % b; a = b; b = t } return a }
/// collatz(n)     { steps = 0; while n - 1 { if n % 2 { n = 3n + 1 } else { n = n / 2 }; steps += 1 }
///                  return steps }
/// fib(n)         { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }
/// main(limit)    { total = 0; i = 1
///                  while i < limit { total += collatz(i) + gcd(i, 360)
///                                    if i % 100 = 0 { print total }; i += 1 }
///                  return total + fib(15) }
/// ```
fn build() -> Gc<Code> {
    let code = Gc::new(Code { instrs: GcList::new(), funcs: GcList::new() });

    // gcd: locals a=0, b=1, t=2
    func(code, Str::from("gcd"), 2, 3);
    let top = here(code);
    emit(code, Instr::Load(1));
    let exit = emit(code, Instr::JumpIfZero(0));
    emit(code, Instr::Load(0));
    emit(code, Instr::Load(1));
    emit(code, Instr::Arith(b'%'));
    emit(code, Instr::Store(2));
    emit(code, Instr::Load(1));
    emit(code, Instr::Store(0));
    emit(code, Instr::Load(2));
    emit(code, Instr::Store(1));
    emit(code, Instr::Loop(top));
    code.instrs.set(exit, Instr::JumpIfZero(here(code)));
    emit(code, Instr::Load(0));
    emit(code, Instr::Ret);

    // collatz: locals n=0, steps=1
    func(code, Str::from("collatz"), 1, 2);
    emit(code, Instr::Push(0));
    emit(code, Instr::Store(1));
    let top = here(code);
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'-'));
    let exit = emit(code, Instr::JumpIfZero(0));
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(2));
    emit(code, Instr::Arith(b'%'));
    let even = emit(code, Instr::JumpIfZero(0));
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(3));
    emit(code, Instr::Arith(b'*'));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Store(0));
    let skip = emit(code, Instr::Jump(0));
    code.instrs.set(even, Instr::JumpIfZero(here(code)));
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(2));
    emit(code, Instr::Arith(b'/'));
    emit(code, Instr::Store(0));
    code.instrs.set(skip, Instr::Jump(here(code)));
    emit(code, Instr::Load(1));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Store(1));
    emit(code, Instr::Loop(top));
    code.instrs.set(exit, Instr::JumpIfZero(here(code)));
    emit(code, Instr::Load(1));
    emit(code, Instr::Ret);

    // fib: locals n=0
    func(code, Str::from("fib"), 1, 1);
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(2));
    emit(code, Instr::Arith(b'<'));
    let rec = emit(code, Instr::JumpIfZero(0));
    emit(code, Instr::Load(0));
    emit(code, Instr::Ret);
    code.instrs.set(rec, Instr::JumpIfZero(here(code)));
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'-'));
    emit(code, Instr::Call(FIB));
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(2));
    emit(code, Instr::Arith(b'-'));
    emit(code, Instr::Call(FIB));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Ret);

    // main: locals limit=0, total=1, i=2
    let main = func(code, Str::from("main"), 1, 3);
    emit(code, Instr::Push(0));
    emit(code, Instr::Store(1));
    emit(code, Instr::Push(1));
    emit(code, Instr::Store(2));
    let top = here(code);
    emit(code, Instr::Load(2));
    emit(code, Instr::Load(0));
    emit(code, Instr::Arith(b'<'));
    let exit = emit(code, Instr::JumpIfZero(0));
    emit(code, Instr::Load(1));
    emit(code, Instr::Load(2));
    emit(code, Instr::Call(COLLATZ));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Load(2));
    emit(code, Instr::Push(360));
    emit(code, Instr::Call(GCD));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Store(1));
    emit(code, Instr::Load(2));
    emit(code, Instr::Push(100));
    emit(code, Instr::Arith(b'%'));
    let no_print = emit(code, Instr::JumpIfZero(0));
    let after_print = emit(code, Instr::Jump(0));
    code.instrs.set(no_print, Instr::JumpIfZero(here(code)));
    emit(code, Instr::Load(1));
    emit(code, Instr::Print);
    code.instrs.set(after_print, Instr::Jump(here(code)));
    emit(code, Instr::Load(2));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Store(2));
    emit(code, Instr::Loop(top));
    code.instrs.set(exit, Instr::JumpIfZero(here(code)));
    emit(code, Instr::Load(1));
    emit(code, Instr::Push(15));
    emit(code, Instr::Call(FIB));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Ret);

    if main != MAIN {
        panic!("function numbering");
    }
    code
}

/// Appends an entry stub that calls `main(limit)`; the stub's frame is the bottom one.
fn add_stub(code: Gc<Code>, limit: i64) -> Gc<Func> {
    let stub = func(code, Str::from("stub"), 0, 0);
    emit(code, Instr::Push(limit));
    emit(code, Instr::Call(MAIN));
    emit(code, Instr::Ret);
    code.funcs.get(stub)
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let code = build();
    let stub = add_stub(code, 400);
    print(Str::from("instructions: ").concat(Str::from_u64(code.instrs.len() as u64)).concat(Str::from("\n")));
    let result = interpret(code, stub);
    print(Str::from("result: ").concat(Str::from_i64(result)).concat(Str::from("\n")));
    // A second, shorter run on the same code (a new stub appended): compiled loops are reused.
    let again = interpret(code, add_stub(code, 150));
    print(Str::from("again: ").concat(Str::from_i64(again)).concat(Str::from("\n")));
    for pc in 0..4 {
        print(location(pc, code).concat(Str::from("\n")));
    }
    0
}
