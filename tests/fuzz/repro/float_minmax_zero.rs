//! `f64::min`/`max` when the operands are 0.0 and -0.0: the sign of the result depends on the
//! target. Rust leaves it unspecified: rustc debug on x86-64 (the untranslated reference, golden
//! `.out`) gives `min(0.0, -0.0) = 0.0` and `max(-0.0, 0.0) = -0.0`, as do the graph interpreter
//! (x86-64 and aarch64 layouts) and translated x86-64; translated aarch64 gives -0.0 and 0.0 (as
//! do rustc on aarch64 and rustc -O on x86-64). The modes of one program disagree across targets.
use vmkit::io::print;
use vmkit::{GcList, Str};

fn show(label: Str, v: f64) {
    print(label);
    print(Str::from(" = "));
    print(Str::from_f64(v));
    print(Str::from("\n"));
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    let z: f64 = 0.0;
    let nz: f64 = -0.0;
    show(Str::from("min(0, -0)"), z.min(nz));
    show(Str::from("min(-0, 0)"), nz.min(z));
    show(Str::from("max(0, -0)"), z.max(nz));
    show(Str::from("max(-0, 0)"), nz.max(z));
    0
}
