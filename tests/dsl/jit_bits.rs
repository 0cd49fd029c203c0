//! JIT test: a register VM over typed integers. The bytecode is a `Str` of 5-byte instructions
//! (opcode, type, d, a, b) dispatched by `match` on bytes; registers are a `GcArray<u64>` of raw
//! bits that each instruction reads as `u8`, `i32`, `u32`, `u64`, `usize` or `i64`. The typed ALU
//! is three calls below the dispatch loop (`alu` → `alu_<type>` → `shift_amount`, which
//! `promote`s the shift count), with wrapping arithmetic, `checked_*` and `overflowing_*`
//! (setting a flag register), shifts, signed and unsigned division and remainder, comparisons and
//! truncating/extending casts. The guest programs are CRC-32 (nested loops, a data-dependent
//! branch in the inner loop), products that run until `checked_mul` overflows (an inner loop whose
//! trip count changes every time), an `i32` LCG with signed division and rotations, and
//! xorshift64 with a popcount loop. Each run `break`s out of the portal with a register's value.

use vmkit::io::print;
use vmkit::jit::promote;
use vmkit::{Gc, GcArray, GcList, JitDriver, Str};

// Instructions (op, t, d, a, b), t the type (`b` u8, `i` i32, `u` u32, `U` u64, `z` usize, `I` i64):
//   k: r[d] = const[a]          m: r[d] = r[a]              x: r[d] = r[a] converted to t
//   + - * / % & | ^ < > l =: r[d] = r[a] op r[b] (`<`/`>` shifts, `l` less than, `=` equal)
//   C/A/S: checked mul/add/sub into r[d], FLAG = 1 on overflow (r[d] unchanged)
//   O: overflowing add (U), mul (i) or sub (I): r[d] = wrapped result, FLAG = overflowed
//   j: goto d   z: if r[a] == 0 goto d   y: if r[a] != 0 goto d (forward)
//   n: if r[a] != 0 goto d (backward: a guest loop)   p: print r[a] as t   h: halt with r[a]

/// Register set by the checked and overflowing instructions.
const FLAG: usize = 15;
const NREGS: usize = 16;

struct Prog {
    name: Str,
    code: Str,
    consts: GcArray<u64>,
}

static DRIVER: JitDriver = JitDriver {
    name: "bits",
    greens: &["pc", "prog"],
    reds: &["regs", "steps"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(pc: usize, prog: Gc<Prog>) -> Str {
    prog.name
        .concat(Str::from(":"))
        .concat(Str::from_u64(pc as u64))
        .concat(Str::from(" "))
        .concat(prog.code.slice(pc * 5, pc * 5 + 2))
}

/// The constant-pool entry `index` (the pool never changes once built).
#[vmkit::elidable]
fn const_at(prog: Gc<Prog>, index: usize) -> u64 {
    prog.consts.get(index)
}

/// The raw bits of `v` truncated to type `t` and extended back to 64 bits (sign-extended for
/// the signed types).
fn normalize(t: u8, v: u64) -> u64 {
    match t {
        b'b' => (v as u8) as u64,
        b'i' => (v as i32) as i64 as u64,
        b'u' => (v as u32) as u64,
        b'U' | b'z' | b'I' => v,
        _ => panic!("bad type"),
    }
}

/// A shift count reduced modulo the type's width; constant in a trace (most shifts of a guest
/// loop shift by the same amount every time).
fn shift_amount(width: u32, y: u64) -> u32 {
    promote((y as u32) & (width - 1))
}

fn alu_u8(op: u8, x: u8, y: u8) -> u8 {
    match op {
        b'+' => x.wrapping_add(y),
        b'-' => x.wrapping_sub(y),
        b'*' => x.wrapping_mul(y),
        b'/' => x / nonzero_u8(y),
        b'%' => x % nonzero_u8(y),
        b'&' => x & y,
        b'|' => x | y,
        b'^' => x ^ y,
        b'<' => x << shift_amount(8, y as u64),
        b'>' => x >> shift_amount(8, y as u64),
        b'l' => (x < y) as u8,
        b'=' => (x == y) as u8,
        _ => panic!("bad u8 op"),
    }
}

fn nonzero_u8(y: u8) -> u8 {
    if y == 0 {
        panic!("u8 division by zero");
    }
    y
}

fn alu_i32(op: u8, x: i32, y: i32) -> i32 {
    match op {
        b'+' => x.wrapping_add(y),
        b'-' => x.wrapping_sub(y),
        b'*' => x.wrapping_mul(y),
        b'/' => x / y,
        b'%' => x % y,
        b'&' => x & y,
        b'|' => x | y,
        b'^' => x ^ y,
        b'<' => x << shift_amount(32, y as u64),
        b'>' => x >> shift_amount(32, y as u64),
        b'l' => (x < y) as i32,
        b'=' => (x == y) as i32,
        _ => panic!("bad i32 op"),
    }
}

fn alu_u32(op: u8, x: u32, y: u32) -> u32 {
    match op {
        b'+' => x.wrapping_add(y),
        b'-' => x.wrapping_sub(y),
        b'*' => x.wrapping_mul(y),
        b'/' => x / y,
        b'%' => x % y,
        b'&' => x & y,
        b'|' => x | y,
        b'^' => x ^ y,
        b'<' => x << shift_amount(32, y as u64),
        b'>' => x >> shift_amount(32, y as u64),
        b'l' => (x < y) as u32,
        b'=' => (x == y) as u32,
        _ => panic!("bad u32 op"),
    }
}

fn alu_u64(op: u8, x: u64, y: u64) -> u64 {
    match op {
        b'+' => x.wrapping_add(y),
        b'-' => x.wrapping_sub(y),
        b'*' => x.wrapping_mul(y),
        b'/' => x / y,
        b'%' => x % y,
        b'&' => x & y,
        b'|' => x | y,
        b'^' => x ^ y,
        b'<' => x << shift_amount(64, y),
        b'>' => x >> shift_amount(64, y),
        b'l' => (x < y) as u64,
        b'=' => (x == y) as u64,
        _ => panic!("bad u64 op"),
    }
}

fn alu_usize(op: u8, x: usize, y: usize) -> usize {
    match op {
        b'+' => x.wrapping_add(y),
        b'-' => x.wrapping_sub(y),
        b'*' => x.wrapping_mul(y),
        b'/' => x / y,
        b'%' => x % y,
        b'&' => x & y,
        b'|' => x | y,
        b'^' => x ^ y,
        b'<' => x << shift_amount(64, y as u64),
        b'>' => x >> shift_amount(64, y as u64),
        b'l' => (x < y) as usize,
        b'=' => (x == y) as usize,
        _ => panic!("bad usize op"),
    }
}

fn alu_i64(op: u8, x: i64, y: i64) -> i64 {
    match op {
        b'+' => x.wrapping_add(y),
        b'-' => x.wrapping_sub(y),
        b'*' => x.wrapping_mul(y),
        b'/' => x / y,
        b'%' => x % y,
        b'&' => x & y,
        b'|' => x | y,
        b'^' => x ^ y,
        b'<' => x << shift_amount(64, y as u64),
        b'>' => x >> shift_amount(64, y as u64),
        b'l' => (x < y) as i64,
        b'=' => (x == y) as i64,
        _ => panic!("bad i64 op"),
    }
}

/// `x op y` on the type `t`, as normalized raw bits.
fn alu(op: u8, t: u8, x: u64, y: u64) -> u64 {
    match t {
        b'b' => alu_u8(op, x as u8, y as u8) as u64,
        b'i' => alu_i32(op, x as i32, y as i32) as i64 as u64,
        b'u' => alu_u32(op, x as u32, y as u32) as u64,
        b'U' => alu_u64(op, x, y),
        b'z' => alu_usize(op, x as usize, y as usize) as u64,
        b'I' => alu_i64(op, x as i64, y as i64) as u64,
        _ => panic!("bad type"),
    }
}

/// `C` (checked multiplication) or `A` (checked addition); `None` on overflow.
fn checked(op: u8, t: u8, x: u64, y: u64) -> Option<u64> {
    match (op, t) {
        (b'C', b'I') => match (x as i64).checked_mul(y as i64) {
            Some(v) => Some(v as u64),
            None => None,
        },
        (b'A', b'I') => match (x as i64).checked_add(y as i64) {
            Some(v) => Some(v as u64),
            None => None,
        },
        (b'C', b'U') => x.checked_mul(y),
        (b'A', b'u') => match (x as u32).checked_add(y as u32) {
            Some(v) => Some(v as u64),
            None => None,
        },
        (b'S', b'z') => match (x as usize).checked_sub(y as usize) {
            Some(v) => Some(v as u64),
            None => None,
        },
        _ => panic!("bad checked op"),
    }
}

/// `O`: overflowing addition (u64), multiplication (i32) or subtraction (i64).
fn overflowing(t: u8, x: u64, y: u64) -> (u64, bool) {
    match t {
        b'U' => x.overflowing_add(y),
        b'i' => {
            let (v, o) = (x as i32).overflowing_mul(y as i32);
            (v as i64 as u64, o)
        }
        b'I' => {
            let (v, o) = (x as i64).overflowing_sub(y as i64);
            (v as u64, o)
        }
        _ => panic!("bad overflowing type"),
    }
}

fn format(t: u8, v: u64) -> Str {
    match t {
        b'i' | b'I' => Str::from_i64(v as i64),
        _ => Str::from_u64(v),
    }
}

/// The portal: runs `prog` on `regs` until `h`, and returns that register.
fn interpret(prog: Gc<Prog>, regs: GcArray<u64>) -> u64 {
    let mut pc: usize = 0;
    let mut steps: usize = 0;
    let result = loop {
        vmkit::jit_merge_point!(DRIVER; pc, prog; regs, steps);
        steps += 1;
        let at = pc * 5;
        let op = prog.code.byte_at(at);
        let t = prog.code.byte_at(at + 1);
        let d = prog.code.byte_at(at + 2) as usize;
        let a = prog.code.byte_at(at + 3) as usize;
        let b = prog.code.byte_at(at + 4) as usize;
        pc += 1;
        match op {
            b'k' => regs.set(d, const_at(prog, a)),
            b'm' => regs.set(d, regs.get(a)),
            b'x' => regs.set(d, normalize(t, regs.get(a))),
            b'+' | b'-' | b'*' | b'/' | b'%' | b'&' | b'|' | b'^' | b'<' | b'>' | b'l' | b'=' => {
                regs.set(d, alu(op, t, regs.get(a), regs.get(b)))
            }
            b'C' | b'A' | b'S' => match checked(op, t, regs.get(a), regs.get(b)) {
                Some(v) => {
                    regs.set(d, v);
                    regs.set(FLAG, 0);
                }
                None => regs.set(FLAG, 1),
            },
            b'O' => {
                let (v, o) = overflowing(t, regs.get(a), regs.get(b));
                regs.set(d, v);
                regs.set(FLAG, o as u64);
            }
            b'j' => pc = d,
            b'z' => {
                if regs.get(a) == 0 {
                    pc = d;
                }
            }
            b'y' => {
                if regs.get(a) != 0 {
                    pc = d;
                }
            }
            b'n' => {
                if regs.get(a) != 0 {
                    pc = d;
                    vmkit::can_enter_jit!(DRIVER; pc, prog; regs, steps);
                }
            }
            b'p' => print(
                prog.name
                    .concat(Str::from(": r"))
                    .concat(Str::from_u64(a as u64))
                    .concat(Str::from(" = "))
                    .concat(format(t, regs.get(a)))
                    .concat(Str::from("\n")),
            ),
            b'h' => break regs.get(a),
            _ => panic!("bad opcode"),
        }
    };
    print(prog.name.concat(Str::from(": steps ")).concat(Str::from_u64(steps as u64)).concat(Str::from("\n")));
    result
}

// ---- Assembler ------------------------------------------------------------------------------

struct Asm {
    bytes: GcList<u8>,
    consts: GcList<u64>,
}

fn new_asm() -> Gc<Asm> {
    Gc::new(Asm { bytes: GcList::new(), consts: GcList::new() })
}

/// Index of the next instruction.
fn here(asm: Gc<Asm>) -> u8 {
    (asm.bytes.len() / 5) as u8
}

fn ins(asm: Gc<Asm>, op: u8, t: u8, d: u8, a: u8, b: u8) -> u8 {
    let at = here(asm);
    asm.bytes.push(op);
    asm.bytes.push(t);
    asm.bytes.push(d);
    asm.bytes.push(a);
    asm.bytes.push(b);
    at
}

/// `r[d] = value`, through the constant pool.
fn konst(asm: Gc<Asm>, d: u8, value: u64) {
    asm.consts.push(value);
    ins(asm, b'k', b'U', d, (asm.consts.len() - 1) as u8, 0);
}

/// Sets the target of the jump instruction `at` to the next instruction.
fn patch(asm: Gc<Asm>, at: u8) {
    asm.bytes.set(at as usize * 5 + 2, here(asm));
}

fn finish(asm: Gc<Asm>, name: Str) -> Gc<Prog> {
    let sb = vmkit::StrBuilder::new();
    for i in 0..asm.bytes.len() {
        sb.push_byte(asm.bytes.get(i));
    }
    let consts: GcArray<u64> = GcArray::new(asm.consts.len(), 0);
    for i in 0..asm.consts.len() {
        consts.set(i, asm.consts.get(i));
    }
    Gc::new(Prog { name, code: sb.build(), consts })
}

/// CRC-32 (reflected, polynomial 0xEDB88320) of the bytes `(7 * i + 3) as u8`, i < n.
fn crc_program(n: u64) -> Gc<Prog> {
    let a = new_asm();
    konst(a, 1, 0xFFFF_FFFF); // crc
    konst(a, 2, 0); // i
    konst(a, 3, n);
    konst(a, 4, 1);
    konst(a, 5, 7);
    konst(a, 6, 3);
    konst(a, 7, 0xEDB8_8320);
    konst(a, 8, 8);
    let outer = here(a);
    ins(a, b'x', b'b', 9, 2, 0); // byte = i as u8
    ins(a, b'*', b'b', 9, 9, 5); // byte *= 7 (wrapping)
    ins(a, b'+', b'b', 9, 9, 6); // byte += 3 (wrapping)
    ins(a, b'^', b'u', 1, 1, 9);
    ins(a, b'm', b'U', 10, 8, 0); // bits = 8
    let inner = here(a);
    ins(a, b'&', b'u', 11, 1, 4);
    ins(a, b'>', b'u', 1, 1, 4);
    let skip = ins(a, b'z', b'U', 0, 11, 0);
    ins(a, b'^', b'u', 1, 1, 7);
    patch(a, skip);
    ins(a, b'-', b'z', 10, 10, 4);
    ins(a, b'n', b'U', inner, 10, 0);
    ins(a, b'+', b'z', 2, 2, 4);
    ins(a, b'l', b'z', 12, 2, 3);
    ins(a, b'n', b'U', outer, 12, 0);
    konst(a, 13, 0xFFFF_FFFF);
    ins(a, b'^', b'u', 1, 1, 13);
    ins(a, b'p', b'u', 0, 1, 0);
    ins(a, b'h', b'U', 0, 1, 0);
    finish(a, Str::from("crc32"))
}

/// For s = 1 .. n-1: multiply s * (s+1) * ... until `checked_mul` overflows; sums the number of
/// factors. Also counts the Fibonacci numbers below 2^64 with `overflowing_add`.
fn overflow_program(n: u64) -> Gc<Prog> {
    let a = new_asm();
    konst(a, 1, 0); // total
    konst(a, 2, 1); // s
    konst(a, 3, n);
    konst(a, 4, 1);
    let outer = here(a);
    konst(a, 5, 1); // prod
    ins(a, b'm', b'U', 6, 2, 0); // k = s
    let inner = here(a);
    ins(a, b'C', b'I', 5, 5, 6); // prod = prod * k, or FLAG
    let done = ins(a, b'y', b'U', 0, FLAG as u8, 0); // leave on overflow
    ins(a, b'+', b'I', 6, 6, 4);
    ins(a, b'n', b'U', inner, 4, 0); // backward, always taken
    patch(a, done);
    ins(a, b'-', b'I', 7, 6, 2);
    ins(a, b'+', b'I', 1, 1, 7);
    ins(a, b'+', b'I', 2, 2, 4);
    ins(a, b'l', b'I', 8, 2, 3);
    ins(a, b'n', b'U', outer, 8, 0);
    ins(a, b'p', b'I', 0, 1, 0);
    // Fibonacci with overflowing_add on u64; a checked u32 addition counter alongside.
    konst(a, 9, 0);
    konst(a, 10, 1);
    konst(a, 11, 0); // count (u32, checked)
    let fib = here(a);
    ins(a, b'O', b'U', 12, 9, 10);
    let end = ins(a, b'y', b'U', 0, FLAG as u8, 0);
    ins(a, b'm', b'U', 9, 10, 0);
    ins(a, b'm', b'U', 10, 12, 0);
    ins(a, b'A', b'u', 11, 11, 4);
    ins(a, b'n', b'U', fib, 4, 0);
    patch(a, end);
    ins(a, b'p', b'u', 0, 11, 0);
    ins(a, b'p', b'U', 0, 10, 0);
    // usize checked_sub counting down past zero, and i64 overflowing_sub at the bottom.
    konst(a, 13, 25);
    konst(a, 14, 3);
    let down = here(a);
    ins(a, b'S', b'z', 13, 13, 14);
    let under = ins(a, b'y', b'U', 0, FLAG as u8, 0);
    ins(a, b'n', b'U', down, 4, 0);
    patch(a, under);
    ins(a, b'p', b'z', 0, 13, 0);
    konst(a, 12, 0x8000_0000_0000_0005);
    konst(a, 14, 9);
    ins(a, b'O', b'I', 12, 12, 14);
    ins(a, b'p', b'I', 0, 12, 0);
    ins(a, b'p', b'U', 0, FLAG as u8, 0);
    ins(a, b'+', b'I', 1, 1, 13);
    ins(a, b'h', b'I', 0, 1, 0);
    finish(a, Str::from("overflow"))
}

/// An i32 LCG: x = x * 1103515245 + 12345 (wrapping); accumulates signed quotients and
/// remainders (i32 `/` and `%` on negative values), arithmetic and logical shifts, a u32
/// rotation folded into a u64 hash, and a usize modulus; i32 overflowing_mul at the end.
fn lcg_program(n: u64) -> Gc<Prog> {
    let a = new_asm();
    konst(a, 1, 12345); // x (i32)
    konst(a, 2, n); // countdown
    konst(a, 3, 1103515245);
    konst(a, 4, 12345);
    konst(a, 5, 1000);
    konst(a, 6, 0); // acc (i64)
    konst(a, 7, 0); // hash (u64)
    konst(a, 8, 5);
    konst(a, 9, 27);
    konst(a, 10, 31);
    konst(a, 14, 1);
    let top = here(a);
    ins(a, b'*', b'i', 1, 1, 3);
    ins(a, b'+', b'i', 1, 1, 4);
    ins(a, b'/', b'i', 11, 1, 5); // q = x / 1000 (truncates toward zero)
    ins(a, b'%', b'i', 12, 1, 5); // r = x % 1000 (sign of x)
    ins(a, b'^', b'I', 11, 11, 12);
    ins(a, b'+', b'I', 6, 6, 11);
    ins(a, b'>', b'i', 12, 1, 8); // x >> 5, arithmetic
    ins(a, b'+', b'I', 6, 6, 12);
    ins(a, b'x', b'u', 11, 1, 0); // h = x as u32
    ins(a, b'<', b'u', 12, 11, 8);
    ins(a, b'>', b'u', 13, 11, 9);
    ins(a, b'|', b'u', 12, 12, 13); // rotl(h, 5)
    ins(a, b'*', b'U', 7, 7, 10);
    ins(a, b'+', b'U', 7, 7, 12);
    konst(a, 13, 97);
    ins(a, b'%', b'z', 13, 12, 13); // usize remainder
    ins(a, b'+', b'U', 7, 7, 13);
    ins(a, b'-', b'U', 2, 2, 14);
    ins(a, b'n', b'U', top, 2, 0);
    ins(a, b'p', b'i', 0, 1, 0);
    ins(a, b'p', b'I', 0, 6, 0);
    ins(a, b'p', b'U', 0, 7, 0);
    ins(a, b'O', b'i', 12, 1, 3);
    ins(a, b'p', b'i', 0, 12, 0);
    ins(a, b'p', b'U', 0, FLAG as u8, 0);
    ins(a, b'h', b'U', 0, 7, 0);
    finish(a, Str::from("lcg"))
}

/// xorshift64 for n rounds; sums the popcounts (an inner loop that shifts until zero, so its
/// trip count changes every round) and the decimal digit sums (u64 `/` and `%`), and mixes in
/// u8 wrapping arithmetic on the low byte.
fn xorshift_program(n: u64) -> Gc<Prog> {
    let a = new_asm();
    konst(a, 1, 88172645463325252); // x
    konst(a, 2, n);
    konst(a, 3, 13);
    konst(a, 4, 7);
    konst(a, 5, 17);
    konst(a, 6, 0); // popcount total
    konst(a, 7, 1);
    konst(a, 8, 10);
    konst(a, 9, 0); // digit sum total
    konst(a, 14, 0); // u8 checksum
    let top = here(a);
    ins(a, b'<', b'U', 10, 1, 3);
    ins(a, b'^', b'U', 1, 1, 10);
    ins(a, b'>', b'U', 10, 1, 4);
    ins(a, b'^', b'U', 1, 1, 10);
    ins(a, b'<', b'U', 10, 1, 5);
    ins(a, b'^', b'U', 1, 1, 10);
    ins(a, b'm', b'U', 10, 1, 0);
    let bits = here(a);
    ins(a, b'&', b'U', 11, 10, 7);
    ins(a, b'+', b'U', 6, 6, 11);
    ins(a, b'>', b'U', 10, 10, 7);
    ins(a, b'n', b'U', bits, 10, 0);
    ins(a, b'>', b'U', 10, 1, 3); // a 51-bit number: 16 digits or fewer
    let digits = here(a);
    ins(a, b'%', b'U', 11, 10, 8);
    ins(a, b'+', b'U', 9, 9, 11);
    ins(a, b'/', b'U', 10, 10, 8);
    ins(a, b'n', b'U', digits, 10, 0);
    ins(a, b'x', b'b', 11, 1, 0);
    ins(a, b'*', b'b', 14, 14, 4);
    ins(a, b'+', b'b', 14, 14, 11);
    ins(a, b'-', b'U', 2, 2, 7);
    ins(a, b'n', b'U', top, 2, 0);
    ins(a, b'p', b'U', 0, 1, 0);
    ins(a, b'p', b'U', 0, 6, 0);
    ins(a, b'p', b'U', 0, 9, 0);
    ins(a, b'p', b'b', 0, 14, 0);
    ins(a, b'h', b'U', 0, 6, 0);
    finish(a, Str::from("xorshift"))
}

fn run(prog: Gc<Prog>) -> u64 {
    let regs: GcArray<u64> = GcArray::new(NREGS, 0);
    let result = interpret(prog, regs);
    print(prog.name.concat(Str::from(": result ")).concat(Str::from_u64(result)).concat(Str::from("\n")));
    result
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let mut all: u64 = 0;
    all ^= run(crc_program(1500));
    all ^= run(overflow_program(300));
    all ^= run(lcg_program(3000));
    all ^= run(xorshift_program(1500));
    // The same CRC program object again: its compiled loops are entered directly.
    let crc = crc_program(40);
    all ^= run(crc);
    all ^= run(crc);
    print(Str::from("all: ").concat(Str::from_u64(all)).concat(Str::from("\n")));
    0
}
