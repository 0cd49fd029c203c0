//! reject: `jit_merge_point!` naming a constant instead of a driver
// error: `LIMIT` is not a JIT driver
// at: 20:9
use vmkit::{GcArray, GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "demo",
    greens: &["pc", "code"],
    reds: &["acc"],
    virtualizables: &[],
    get_printable_location: None,
};

const LIMIT: i64 = 10;

fn run(code: GcArray<i64>) -> i64 {
    let mut pc: usize = 0;
    let mut acc: i64 = 0;
    loop {
        vmkit::jit_merge_point!(LIMIT; pc, code; acc);
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
