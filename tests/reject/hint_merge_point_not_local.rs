//! reject: driver variable that is not a local of the portal
// error: `acc` is not a local variable here
// at: 17:9
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
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, code; acc);
        if pc >= code.len() {
            return 0;
        }
        pc += 1;
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
