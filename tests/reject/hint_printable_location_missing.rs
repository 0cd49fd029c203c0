//! reject: `get_printable_location` naming a missing function
// error: `get_printable_location: Some("where_am_i")` does not name a function
// at: 11:34
use vmkit::{GcArray, GcList, JitDriver, Str};

static DRIVER: JitDriver = JitDriver {
    name: "demo",
    greens: &["pc", "code"],
    reds: &["acc"],
    virtualizables: &[],
    get_printable_location: Some("where_am_i"),
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
