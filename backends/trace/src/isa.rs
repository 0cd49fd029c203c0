//! The Cranelift ISA for a target triple, configured for trace compilation.
//!
//! Traces are compiled at run time inside the translated program, so compile time matters as
//! much as code quality. Settings (measured with `examples/compile_bench.rs`; see there):
//! - `opt_level = none`: the e-graph mid-end roughly doubled compile time (BF `primes.b` traces:
//!   5.2 vs 2.6 ms per 1000 trace ops) for no gain once `lower` folds chains of constant
//!   additions itself (the one thing it bought on those traces: the BF copy loop ran in
//!   1.26 ns per iteration either way, 1.86 ns at `none` without the folding). Traces come
//!   out of the JIT's optimizer; the remaining algebra belongs there.
//! - `regalloc_algorithm = backtracking`: `single_pass` compiles ~30% faster but spills every
//!   live value at every block boundary — and every guard is one — so the BF loop ran 3.3x
//!   slower (4.1 vs 1.26 ns per iteration) with 3x the code.
//! - the IR verifier only in debug builds, and no unwind info (trace code never unwinds: its
//!   only non-returning callees end the process).

use cranelift_codegen::isa::{self, OwnedTargetIsa};
use cranelift_codegen::settings::{self, Configurable};

/// Builds the ISA for `triple`. Only 64-bit targets are supported: trace words, references and
/// `usize` are all 64 bits wide.
pub(crate) fn make_isa(triple: &str) -> Result<OwnedTargetIsa, String> {
    let parsed: target_lexicon::Triple = triple
        .parse()
        .map_err(|e| format!("bad triple `{triple}`: {e}"))?;
    if parsed.pointer_width().map(|w| w.bits()) != Ok(64) {
        return Err(format!("trace backend: `{triple}` is not a 64-bit target"));
    }
    let mut flags = settings::builder();
    let verifier = if cfg!(debug_assertions) {
        "true"
    } else {
        "false"
    };
    for (k, v) in [
        ("opt_level", "none"),
        ("regalloc_algorithm", "backtracking"),
        ("enable_verifier", verifier),
        ("unwind_info", "false"),
        ("preserve_frame_pointers", "true"),
    ] {
        flags
            .set(k, v)
            .map_err(|e| format!("cranelift setting {k}={v}: {e}"))?;
    }
    let builder =
        isa::lookup(parsed).map_err(|e| format!("no Cranelift backend for `{triple}`: {e}"))?;
    builder
        .finish(settings::Flags::new(flags))
        .map_err(|e| format!("cannot configure Cranelift for `{triple}`: {e}"))
}
