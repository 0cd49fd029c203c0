//! reject: `static mut` JIT driver
// error: `static mut` is not supported
// at: 6:12
use vmkit::{GcList, JitDriver, Str};

static mut DRIVER: JitDriver = JitDriver {
    name: "demo",
    greens: &["pc"],
    reds: &[],
    virtualizables: &[],
    get_printable_location: None,
};

#[vmkit::entry]
pub fn entry(args: vmkit::GcList<vmkit::Str>) -> i64 {
    0
}
