//! JIT test: a bytecode VM whose guest calls are recursive calls of the portal (as in
//! interpreters that run one interpreter activation per guest call). Most guest functions have
//! no loop at all — recursive `fib`, a tree walk, mutually recursive `even`/`odd`, Ackermann —
//! so only function-entry traces (`function_threshold`) compile them; `sum_to` has a loop and is
//! called from a loop in `main`. The output must not depend on the JIT settings.

use vmkit::io::print;
use vmkit::{Gc, GcArray, GcList, JitDriver, Str};

#[derive(Clone, Copy)]
enum Instr {
    /// Push a constant.
    Push(i64),
    /// Push local `n`.
    Load(usize),
    /// Pop into local `n`.
    Store(usize),
    /// Pop `b`, pop `a`, push `a op b` (op: `+ - * <` or `=`).
    Arith(u8),
    /// Forward jump.
    Jump(usize),
    /// Pop; jump when zero.
    JumpIfZero(usize),
    /// Backward jump (a guest loop).
    Loop(usize),
    /// Call function `n`: a recursive call of the portal with the arguments popped.
    Call(usize),
    /// Return the top of the stack.
    Ret,
    /// Pop and print with a label.
    Print(u8),
}

struct Func {
    entry: usize,
    nparams: usize,
    nlocals: usize,
}

struct Code {
    instrs: GcList<Instr>,
    funcs: GcList<Gc<Func>>,
}

static DRIVER: JitDriver = JitDriver {
    name: "recursion",
    greens: &["pc", "code"],
    reds: &["locals", "stack"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(pc: usize, code: Gc<Code>) -> Str {
    let _ = code;
    Str::from("pc=").concat(Str::from_u64(pc as u64))
}

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

fn apply(op: u8, a: i64, b: i64) -> i64 {
    match op {
        b'+' => a.wrapping_add(b),
        b'-' => a.wrapping_sub(b),
        b'*' => a.wrapping_mul(b),
        b'<' => (a < b) as i64,
        b'=' => (a == b) as i64,
        _ => panic!("bad arithmetic operator"),
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

/// The portal: runs function `f` with its locals (arguments first) and returns its result.
/// A guest call is a recursive call of `run`.
fn run(code: Gc<Code>, f: Gc<Func>, locals: GcArray<i64>) -> i64 {
    let mut pc: usize = f.entry;
    let stack: GcList<i64> = GcList::new();
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, code; locals, stack);
        let instr = fetch(code, pc);
        pc += 1;
        match instr {
            Instr::Push(n) => stack.push(n),
            Instr::Load(k) => stack.push(locals.get(k)),
            Instr::Store(k) => locals.set(k, pop(stack)),
            Instr::Arith(op) => {
                let b = pop(stack);
                let a = pop(stack);
                stack.push(apply(op, a, b));
            }
            Instr::Jump(target) => pc = target,
            Instr::JumpIfZero(target) => {
                if pop(stack) == 0 {
                    pc = target;
                }
            }
            Instr::Loop(target) => {
                pc = target;
                vmkit::can_enter_jit!(DRIVER; pc, code; locals, stack);
            }
            Instr::Call(index) => {
                let callee = func_at(code, index);
                let args: GcArray<i64> = GcArray::new(callee.nlocals, 0);
                pop_args(stack, args, callee.nparams);
                stack.push(run(code, callee, args));
            }
            Instr::Ret => return pop(stack),
            Instr::Print(label) => {
                let v = pop(stack);
                print(Str::from_byte(label).concat(Str::from(": ")).concat(Str::from_i64(v)).concat(Str::from("\n")));
            }
        }
    }
}

// ---- A small assembler -------------------------------------------------------------------

fn emit(code: Gc<Code>, instr: Instr) -> usize {
    code.instrs.push(instr);
    code.instrs.len() - 1
}

fn here(code: Gc<Code>) -> usize {
    code.instrs.len()
}

fn func(code: Gc<Code>, nparams: usize, nlocals: usize) -> usize {
    code.funcs.push(Gc::new(Func { entry: here(code), nparams, nlocals }));
    code.funcs.len() - 1
}

/// `if local(k) < n { return local(k) + add }`: the base case of the recursive functions.
fn base_case(code: Gc<Code>, k: usize, n: i64, add: i64) {
    emit(code, Instr::Load(k));
    emit(code, Instr::Push(n));
    emit(code, Instr::Arith(b'<'));
    let skip = emit(code, Instr::JumpIfZero(0));
    emit(code, Instr::Load(k));
    emit(code, Instr::Push(add));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Ret);
    code.instrs.set(skip, Instr::JumpIfZero(here(code)));
}

/// `local(k) - d` on the stack.
fn minus(code: Gc<Code>, k: usize, d: i64) {
    emit(code, Instr::Load(k));
    emit(code, Instr::Push(d));
    emit(code, Instr::Arith(b'-'));
}

/// In `main` (k=0, t=1, i=2): `t = 0; i = 0; while i < k * 20 { t = t + f(i); i = i + 1 }
/// print t`.
fn sum_of_calls(code: Gc<Code>, f: usize, label: u8) {
    emit(code, Instr::Push(0));
    emit(code, Instr::Store(1));
    emit(code, Instr::Push(0));
    emit(code, Instr::Store(2));
    let top = here(code);
    emit(code, Instr::Load(2));
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(20));
    emit(code, Instr::Arith(b'*'));
    emit(code, Instr::Arith(b'<'));
    let exit = emit(code, Instr::JumpIfZero(0));
    emit(code, Instr::Load(1));
    emit(code, Instr::Load(2));
    emit(code, Instr::Call(f));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Store(1));
    emit(code, Instr::Load(2));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Store(2));
    emit(code, Instr::Loop(top));
    code.instrs.set(exit, Instr::JumpIfZero(here(code)));
    emit(code, Instr::Load(1));
    emit(code, Instr::Print(label));
}

const FIB: usize = 0;
const TREE: usize = 1;
const EVEN: usize = 2;
const ODD: usize = 3;
const ACK: usize = 4;
const SUM_TO: usize = 5;
const MAIN: usize = 6;
const SQ: usize = 7;

/// ```text
/// fib(n)     { if n < 2 { return n } return fib(n - 1) + fib(n - 2) }
/// tree(d)    { if d < 1 { return d + 1 } return tree(d - 1) + tree(d - 1) + 1 }
/// even(n)    { if n = 0 { return 1 } return odd(n - 1) }
/// odd(n)     { if n = 0 { return 0 } return even(n - 1) }
/// ack(m, n)  { if m = 0 { return n + 1 } if n = 0 { return ack(m - 1, 1) }
///              return ack(m - 1, ack(m, n - 1)) }
/// sum_to(n)  { s = 0; while 0 < n { s = s + n; n = n - 1 } return s }
/// main(k)    { print fib(k); print tree(k - 8); print even(k * 10 + 1); print ack(2, k)
///              t = 0; i = 0; while i < k * 20 { t = t + sum_to(i); i = i + 1 } print t
///              t = 0; i = 0; while i < k * 20 { t = t + sq(i); i = i + 1 } print t
///              return 0 }
/// sq(n)      { return n * n + 1 }
/// ```
/// (`sq` has neither loops nor recursion: the tracer inlines its calls.)
fn build() -> Gc<Code> {
    let code = Gc::new(Code { instrs: GcList::new(), funcs: GcList::new() });

    func(code, 1, 1); // fib
    base_case(code, 0, 2, 0);
    minus(code, 0, 1);
    emit(code, Instr::Call(FIB));
    minus(code, 0, 2);
    emit(code, Instr::Call(FIB));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Ret);

    func(code, 1, 1); // tree
    base_case(code, 0, 1, 1);
    minus(code, 0, 1);
    emit(code, Instr::Call(TREE));
    minus(code, 0, 1);
    emit(code, Instr::Call(TREE));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Ret);

    for j in 0..2 {
        let (me, other, zero) = if j == 0 { (EVEN, ODD, 1) } else { (ODD, EVEN, 0) };
        if func(code, 1, 1) != me {
            panic!("function numbering");
        }
        emit(code, Instr::Load(0));
        emit(code, Instr::Push(0));
        emit(code, Instr::Arith(b'='));
        let skip = emit(code, Instr::JumpIfZero(0));
        emit(code, Instr::Push(zero));
        emit(code, Instr::Ret);
        code.instrs.set(skip, Instr::JumpIfZero(here(code)));
        minus(code, 0, 1);
        emit(code, Instr::Call(other));
        emit(code, Instr::Ret);
    }

    func(code, 2, 2); // ack: m=0, n=1
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(0));
    emit(code, Instr::Arith(b'='));
    let m_not_0 = emit(code, Instr::JumpIfZero(0));
    emit(code, Instr::Load(1));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Ret);
    code.instrs.set(m_not_0, Instr::JumpIfZero(here(code)));
    emit(code, Instr::Load(1));
    emit(code, Instr::Push(0));
    emit(code, Instr::Arith(b'='));
    let n_not_0 = emit(code, Instr::JumpIfZero(0));
    minus(code, 0, 1);
    emit(code, Instr::Push(1));
    emit(code, Instr::Call(ACK));
    emit(code, Instr::Ret);
    code.instrs.set(n_not_0, Instr::JumpIfZero(here(code)));
    minus(code, 0, 1);
    emit(code, Instr::Load(0));
    minus(code, 1, 1);
    emit(code, Instr::Call(ACK));
    emit(code, Instr::Call(ACK));
    emit(code, Instr::Ret);

    func(code, 1, 2); // sum_to: n=0, s=1
    emit(code, Instr::Push(0));
    emit(code, Instr::Store(1));
    let top = here(code);
    emit(code, Instr::Push(0));
    emit(code, Instr::Load(0));
    emit(code, Instr::Arith(b'<'));
    let exit = emit(code, Instr::JumpIfZero(0));
    emit(code, Instr::Load(1));
    emit(code, Instr::Load(0));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Store(1));
    minus(code, 0, 1);
    emit(code, Instr::Store(0));
    emit(code, Instr::Loop(top));
    code.instrs.set(exit, Instr::JumpIfZero(here(code)));
    emit(code, Instr::Load(1));
    emit(code, Instr::Ret);

    if func(code, 1, 3) != MAIN {
        panic!("function numbering");
    }
    // k=0, t=1, i=2
    emit(code, Instr::Load(0));
    emit(code, Instr::Call(FIB));
    emit(code, Instr::Print(b'f'));
    minus(code, 0, 8);
    emit(code, Instr::Call(TREE));
    emit(code, Instr::Print(b't'));
    emit(code, Instr::Load(0));
    emit(code, Instr::Push(10));
    emit(code, Instr::Arith(b'*'));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Call(EVEN));
    emit(code, Instr::Print(b'e'));
    emit(code, Instr::Push(2));
    emit(code, Instr::Load(0));
    emit(code, Instr::Call(ACK));
    emit(code, Instr::Print(b'a'));
    sum_of_calls(code, SUM_TO, b's');
    sum_of_calls(code, SQ, b'q');
    emit(code, Instr::Push(0));
    emit(code, Instr::Ret);

    if func(code, 1, 1) != SQ {
        panic!("function numbering");
    }
    emit(code, Instr::Load(0));
    emit(code, Instr::Load(0));
    emit(code, Instr::Arith(b'*'));
    emit(code, Instr::Push(1));
    emit(code, Instr::Arith(b'+'));
    emit(code, Instr::Ret);
    code
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let _ = args;
    let code = build();
    for j in 0..3 {
        let k: i64 = 12 + j * 4;
        let locals: GcArray<i64> = GcArray::new(3, 0);
        locals.set(0, k);
        let r = run(code, code.funcs.get(MAIN), locals);
        print(
            Str::from("main(")
                .concat(Str::from_i64(k))
                .concat(Str::from(") = "))
                .concat(Str::from_i64(r))
                .concat(Str::from("\n")),
        );
    }
    0
}
