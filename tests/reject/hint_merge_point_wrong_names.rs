//! reject: `jit_merge_point!` greens in the wrong order
// error: names greens [code, pc] and reds [acc], but driver `DRIVER` declares greens [pc, code] and reds [acc]
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
    loop {
        vmkit::jit_merge_point!(DRIVER; code, pc; acc);
        if pc >= code.len() {
            return acc;
        }
        acc += code.get(pc);
        pc += 1;
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
