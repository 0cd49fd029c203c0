//! reject: virtualizable red whose struct lacks `#[vmkit::virtualizable]`
// error: virtualizable `frame` must be a `Gc<T>` of a `#[vmkit::virtualizable]` struct
// at: 21:9
use vmkit::{Gc, GcArray, GcList, JitDriver, Mut, Str};

static DRIVER: JitDriver = JitDriver {
    name: "demo",
    greens: &["pc", "code"],
    reds: &["frame"],
    virtualizables: &["frame"],
    get_printable_location: None,
};

struct Frame {
    acc: Mut<i64>,
}

fn run(code: GcArray<i64>, frame: Gc<Frame>) -> i64 {
    let mut pc: usize = 0;
    loop {
        vmkit::jit_merge_point!(DRIVER; pc, code; frame);
        if pc >= code.len() {
            return frame.acc.get();
        }
        frame.acc.set(frame.acc.get() + code.get(pc));
        pc += 1;
    }
}

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
