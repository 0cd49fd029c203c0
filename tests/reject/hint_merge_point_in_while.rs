//! reject: `jit_merge_point!` in a `while` loop
// error: `jit_merge_point!` must be the first statement of a `loop` body
// at: 18:9
use vmkit::{GcArray, GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "demo",
    greens: &["pc", "code"],
    reds: &["acc"],
    virtualizables: &[],
    get_printable_location: None,
};

fn run(code: GcArray<i64>) -> i64 {
    let mut pc: usize = 0;
    let mut acc: i64 = 0;
    while pc < code.len() {
        vmkit::jit_merge_point!(DRIVER; pc, code; acc);
        acc += code.get(pc);
        pc += 1;
    }
    acc
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
