//! Cranelift backends.
//!
//! - [`aot`]: the translator's low-level flow graphs → Cranelift IR → one object file for the
//!   target (cranelift-object), calling the runtime through the ABI of `docs/runtime-abi.md`.
//! - [`link`]: builds the runtime for the target with cargo and links the executable with the
//!   linker named in the target spec.
//! - JIT trace compilation: the JIT issue.
//!
//! Every target-specific choice (ISA, calling convention, object format, linker) comes from the
//! target spec.

pub mod aot;
pub mod build;
pub mod link;
pub mod macos;
