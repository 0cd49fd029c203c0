//! reject: virtualizable that is not a red
// error: virtualizable `frame` is not one of the reds
// at: 10:23
use vmkit::{GcArray, GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "demo",
    greens: &["pc", "code"],
    reds: &["acc"],
    virtualizables: &["frame"],
    get_printable_location: None,
};

fn run(code: GcArray<i64>) -> i64 {
    let mut pc: usize = 0;
    let mut acc: i64 = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, code; acc);
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
