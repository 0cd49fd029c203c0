//! Cranelift backends.
//!
//! - [`aot`]: the translator's low-level flow graphs → Cranelift IR → one object file for the
//!   target (cranelift-object), calling the runtime through the ABI of `docs/runtime-abi.md`;
//!   [`inline`] first copies small and single-use callees into their callers (AOT code only).
//! - [`link`]: builds the runtime for the target with cargo and links the executable with the
//!   linker named in the target spec.
//! - [`macos`]: Mach-O linking with `ld64.lld` and universal2 binaries; [`codesign`]: ad-hoc
//!   code signatures with entitlements (e.g. `com.apple.security.cs.allow-jit`).
//! - JIT trace compilation: `backends/trace/` (`vmkit-trace-backend`, linked into the runtime).
//!
//! Every target-specific choice (ISA, calling convention, object format, linker) comes from the
//! target spec.

pub mod aot;
pub mod build;
pub mod codesign;
pub mod inline;
pub mod link;
pub mod macos;
pub mod thread;
