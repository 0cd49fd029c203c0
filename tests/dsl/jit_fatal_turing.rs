//! JIT test ending in a fatal error inside a hot loop: a Turing machine interpreter (greens: the
//! machine and its current state; reds: the tape, the head position and counters) runs a binary
//! counter on a 14-cell tape. Every increment walks the carry left and returns right to an end
//! marker; the carry chain length changes with every increment, so guards fail and bridges get
//! compiled. Rules are a `Copy` struct in a `GcArray`, read through an `#[elidable]` function;
//! the tape is a `GcArray<u8>`, the head an `i64`. Every 2048 increments the interpreter prints
//! the tape through a helper with a loop (a residual call) and a `u64` checksum. After 16383
//! increments the carry moves left of cell 0, and `tape.get((-1) as usize)` is an index out of
//! bounds: a fatal error (status 101) after the output so far is flushed.

use vmkit::io::print;
use vmkit::{Gc, GcArray, GcList, JitDriver, Str, StrBuilder};

/// What the machine does in a state on a symbol.
#[derive(Clone, Copy)]
struct Rule {
    write: u8,
    /// -1 left, +1 right.
    step: i64,
    next: usize,
}

const SYMBOLS: usize = 3;
const MARKER: u8 = 2;
/// The carry state (moving left).
const CARRY: usize = 0;
/// The return state (moving right to the marker).
const RETURN: usize = 1;

struct Machine {
    name: Str,
    rules: GcArray<Rule>,
}

static DRIVER: JitDriver = JitDriver {
    name: "turing",
    greens: &["state", "machine"],
    reds: &["tape", "pos", "increments", "checksum"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(state: usize, machine: Gc<Machine>) -> Str {
    machine.name.concat(Str::from(" state ")).concat(Str::from_u64(state as u64))
}

#[vmkit::elidable]
fn rule(machine: Gc<Machine>, state: usize, symbol: u8) -> Rule {
    machine.rules.get(state * SYMBOLS + symbol as usize)
}

/// The tape as a string of digits (a loop: the JIT calls it rather than tracing through it).
fn render(tape: GcArray<u8>) -> Str {
    let b = StrBuilder::new();
    for i in 0..tape.len() {
        b.push_byte(b'0' + tape.get(i));
    }
    b.build()
}

/// The portal: runs until the machine halts (it never does) or the head leaves the tape.
fn run(machine: Gc<Machine>, tape: GcArray<u8>, start: i64) -> i64 {
    let mut state: usize = CARRY;
    let mut pos: i64 = start;
    let mut increments: i64 = 0;
    let mut checksum: u64 = 0;
    let steps = loop {
        vmkit::jit_merge_point!(DRIVER; state, machine; tape, pos, increments, checksum);
        let symbol = tape.get(pos as usize);
        let r = rule(machine, state, symbol);
        tape.set(pos as usize, r.write);
        pos += r.step;
        checksum = checksum.wrapping_mul(31).wrapping_add(pos as u64);
        let previous = state;
        state = r.next;
        if previous == RETURN && state == CARRY {
            increments += 1;
            if increments % 2048 == 0 {
                print(
                    render(tape)
                        .concat(Str::from(" after "))
                        .concat(Str::from_i64(increments))
                        .concat(Str::from(" increments, checksum "))
                        .concat(Str::from_u64(checksum))
                        .concat(Str::from("\n")),
                );
            }
            if increments == 1000000 {
                break increments;
            }
        }
        if state <= previous {
            vmkit::can_enter_jit!(DRIVER; state, machine; tape, pos, increments, checksum);
        }
    };
    steps
}

fn set_rule(rules: GcArray<Rule>, state: usize, symbol: u8, write: u8, step: i64, next: usize) {
    rules.set(state * SYMBOLS + symbol as usize, Rule { write, step, next });
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let rules: GcArray<Rule> = GcArray::new(2 * SYMBOLS, Rule { write: 0, step: 0, next: 0 });
    // Carry: 1 becomes 0 and the carry moves on; 0 becomes 1 and the machine returns.
    set_rule(rules, CARRY, 1, 0, -1, CARRY);
    set_rule(rules, CARRY, 0, 1, 1, RETURN);
    // Return: move right over the digits; at the marker, step back onto the last digit.
    set_rule(rules, RETURN, 0, 0, 1, RETURN);
    set_rule(rules, RETURN, 1, 1, 1, RETURN);
    set_rule(rules, RETURN, MARKER, MARKER, -1, CARRY);
    let machine = Gc::new(Machine { name: Str::from("counter"), rules });
    let tape: GcArray<u8> = GcArray::new(15, 0);
    tape.set(14, MARKER);
    print(Str::from("start ").concat(render(tape)).concat(Str::from("\n")));
    let n = run(machine, tape, 13);
    print(Str::from("not reached: ").concat(Str::from_i64(n)).concat(Str::from("\n")));
    0
}
