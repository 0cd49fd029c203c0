//! JIT bug reproducer: container reads recorded as pure (CSE'd) across writes to the container.
//!
//! A four-instruction guest loop over a one-element container: `r` adds element 0 to `acc`,
//! `w` stores element 0 + 1 back, `r` reads it again, `j` loops. Each program runs the same guest
//! code against a different container kind: `GcList<i64>` (`get`/`set`), `GcArray<(i64, i64)>`
//! (two-word elements: not lowered to a trace `ArrayGet`), and `GcList::len` after `push`. While
//! tracing, the second `r` (and the second `len`) reuses the result of the first, even though
//! `w` wrote the container in between, so the compiled loop adds a stale value. Untranslated,
//! or with `VMKIT_JIT=off`, every line ends in the expected sum; with the JIT (fold and cse on)
//! they differ.

use vmkit::io::print;
use vmkit::{GcArray, GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "cse",
    greens: &["pc", "code", "kind"],
    reds: &["list", "pairs", "acc", "n"],
    virtualizables: &[],
    get_printable_location: Some("location"),
};

fn location(pc: usize, code: Str, kind: i64) -> Str {
    Str::from_u64(pc as u64).concat(Str::from(" ")).concat(Str::from_i64(kind))
}

/// Element 0 of the container of `kind` (for kind 2, the list length).
fn read(kind: i64, list: GcList<i64>, pairs: GcArray<(i64, i64)>) -> i64 {
    if kind == 0 {
        list.get(0)
    } else if kind == 1 {
        pairs.get(0).1
    } else {
        list.len() as i64
    }
}

/// Increments element 0 of the container of `kind` (for kind 2, pushes an element).
fn write(kind: i64, list: GcList<i64>, pairs: GcArray<(i64, i64)>) {
    if kind == 0 {
        list.set(0, list.get(0) + 1);
    } else if kind == 1 {
        let (a, b) = pairs.get(0);
        pairs.set(0, (a, b + 1));
    } else {
        list.push(0);
    }
}

fn run(kind: i64) -> i64 {
    let code = Str::from("rwrj");
    let list: GcList<i64> = GcList::new();
    list.push(0);
    let pairs: GcArray<(i64, i64)> = GcArray::new(1, (0, 0));
    let mut acc: i64 = 0;
    let mut n: i64 = 0;
    let mut pc: usize = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, code, kind; list, pairs, acc, n);
        let op = code.byte_at(pc);
        pc += 1;
        match op {
            b'r' => acc += read(kind, list, pairs),
            b'w' => write(kind, list, pairs),
            _ => {
                n += 1;
                if n == 2000 {
                    break;
                }
                pc = 0;
                vmkit::can_enter_jit!(DRIVER; pc, code, kind; list, pairs, acc, n);
            }
        }
    }
    acc
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    // Iteration i (from 0) adds i + (i + 1): the sum over 2000 iterations is 4000000 (kinds 0
    // and 1); kind 2 reads the length 1 + i, then 2 + i: 4004000.
    print(Str::from("list get after set: ").concat(Str::from_i64(run(0))).concat(Str::from(" (expected 4000000)\n")));
    print(
        Str::from("2-word array get after set: ")
            .concat(Str::from_i64(run(1)))
            .concat(Str::from(" (expected 4000000)\n")),
    );
    print(Str::from("list len after push: ").concat(Str::from_i64(run(2))).concat(Str::from(" (expected 4004000)\n")));
    0
}
