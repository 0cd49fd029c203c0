//! JIT hints, which must not change behaviour: a tiny bytecode interpreter with a `static DRIVER:
//! JitDriver`, `jit_merge_point!`/`can_enter_jit!`, a `#[virtualizable]` frame named in
//! `virtualizables`, a `QuasiImmut` field read every iteration and set once mid-loop, `promote`,
//! `we_are_jitted`, and `#[elidable]`, `#[unroll_safe]`, `#[dont_look_inside]`, `#[loop_invariant]`.

use vmkit::io::print;
use vmkit::jit::{promote, we_are_jitted};
use vmkit::{Gc, GcArray, GcList, JitDriver, Mut, QuasiImmut, Str};

static DRIVER: JitDriver = JitDriver {
    name: "tiny",
    greens: &["pc", "program"],
    reds: &["frame"],
    virtualizables: &["frame"],
    get_printable_location: Some("location"),
};

// Opcodes; each instruction is two slots: opcode, argument.
const OP_ADD_SCALED: i64 = 0; // acc += i * scale
const OP_RESCALE: i64 = 1; // if i == arg { scale += 2 } (the QuasiImmut write)
const OP_INC: i64 = 2; // i += 1
const OP_ADD_WEIGHT: i64 = 3; // acc += weight(arg) (elidable)
const OP_ADD_BONUS: i64 = 4; // acc += bonus (loop invariant) + sum of the table (unroll safe)
const OP_JUMP_IF_LT: i64 = 5; // if i < n { pc = arg } (backward jump)
const OP_HALT: i64 = 6; // return acc

struct Program {
    code: GcArray<i64>,
    table: GcArray<i64>,
    bonus: i64,
    scale: QuasiImmut<i64>,
}

#[vmkit::virtualizable]
struct Frame {
    acc: Mut<i64>,
    i: Mut<i64>,
    n: Mut<i64>,
}

/// Printable location for JIT logs (named in the driver).
fn location(pc: usize, program: Gc<Program>) -> Str {
    Str::from("pc=")
        .concat(Str::from_u64(pc as u64))
        .concat(Str::from(" op="))
        .concat(Str::from_i64(program.code.get(pc)))
}

#[vmkit::elidable]
fn weight(arg: i64) -> i64 {
    arg * arg + 1
}

#[vmkit::unroll_safe]
fn table_sum(table: GcArray<i64>) -> i64 {
    let mut s: i64 = 0;
    for k in 0..table.len() {
        s += table.get(k);
    }
    s
}

#[vmkit::loop_invariant]
fn bonus_of(program: Gc<Program>) -> i64 {
    program.bonus
}

/// Mixes the bytes of the result; opaque to the JIT.
#[vmkit::dont_look_inside]
fn checksum(x: i64) -> i64 {
    let mut h: i64 = 17;
    for k in 0i64..8 {
        h = h.wrapping_mul(31).wrapping_add((x >> (k * 8)) & 255);
    }
    h
}

/// The portal: runs `program` on `frame` until `OP_HALT`.
fn interpret(program: Gc<Program>, frame: Gc<Frame>) -> i64 {
    let mut pc: usize = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, program; frame);
        let op = program.code.get(pc);
        let arg = program.code.get(pc + 1);
        pc += 2;
        if op == OP_ADD_SCALED {
            let scale = promote(program.scale.get());
            frame.acc.set(frame.acc.get() + frame.i.get() * scale);
        } else if op == OP_RESCALE {
            if frame.i.get() == arg {
                program.scale.set(program.scale.get() + 2);
            }
        } else if op == OP_INC {
            frame.i.set(frame.i.get() + 1);
        } else if op == OP_ADD_WEIGHT {
            frame.acc.set(frame.acc.get() + if we_are_jitted() { weight(promote(arg)) } else { weight(arg) });
        } else if op == OP_ADD_BONUS {
            frame.acc.set(frame.acc.get() + bonus_of(program) + table_sum(program.table));
        } else if op == OP_JUMP_IF_LT {
            if frame.i.get() < frame.n.get() {
                pc = arg as usize;
                vmkit::can_enter_jit!(DRIVER; pc, program; frame);
            }
        } else if op == OP_HALT {
            return frame.acc.get();
        } else {
            panic!("bad opcode");
        }
    }
}

/// Runs `program` with a fresh frame counting to `n`; prints and returns the result.
fn run(label: Str, program: Gc<Program>, n: i64) -> i64 {
    let frame = Gc::new(Frame { acc: Mut::new(0), i: Mut::new(0), n: Mut::new(n) });
    let result = interpret(program, frame);
    print(label.concat(Str::from_i64(result)).concat(Str::from(" i=")).concat(Str::from_i64(frame.i.get())));
    print(Str::from(" scale now ").concat(Str::from_i64(program.scale.get())).concat(Str::from("\n")));
    result
}

fn emit(code: GcArray<i64>, at: usize, op: i64, arg: i64) -> usize {
    code.set(at, op);
    code.set(at + 1, arg);
    at + 2
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let code: GcArray<i64> = GcArray::new(14, 0);
    let mut at = emit(code, 0, OP_ADD_SCALED, 0);
    at = emit(code, at, OP_RESCALE, 50);
    at = emit(code, at, OP_INC, 0);
    at = emit(code, at, OP_ADD_WEIGHT, 7);
    at = emit(code, at, OP_ADD_BONUS, 0);
    at = emit(code, at, OP_JUMP_IF_LT, 0);
    emit(code, at, OP_HALT, 0);
    let table: GcArray<i64> = GcArray::new(3, 1);
    table.set(2, 10);
    let program = Gc::new(Program { code: code, table: table, bonus: 100, scale: QuasiImmut::new(1) });

    let first = run(Str::from("first run: "), program, 100);
    let second = run(Str::from("second run: "), program, 1000);
    run(Str::from("one pass: "), program, 0);
    print(Str::from("checksum: ").concat(Str::from_i64(checksum(first + second))).concat(Str::from("\n")));
    for pc in 0..7 {
        print(location(pc * 2, program).concat(Str::from("\n")));
    }
    0
}
