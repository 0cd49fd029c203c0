//! reject: a value used inside the dispatch loop that is neither green nor red
// error: `limit` is live across `jit_merge_point!` but is neither a green nor a red
// at: 22:9
use vmkit::{jit_merge_point, Gc, GcList, JitDriver, Str};

pub struct Code {
    text: Str,
}

static DRIVER: JitDriver = JitDriver {
    name: "count",
    greens: &["pc", "code"],
    reds: &["acc"],
    virtualizables: &[],
    get_printable_location: None,
};

fn run(code: Gc<Code>, limit: i64) -> i64 {
    let mut pc: usize = 0;
    let mut acc: i64 = 0;
    loop {
        jit_merge_point!(DRIVER; pc, code; acc);
        if pc >= code.text.len() || acc > limit {
            return acc;
        }
        acc += 1;
        pc += 1;
    }
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let code = Gc::new(Code { text: Str::from("+++") });
    run(code, 10) + args.len() as i64
}
