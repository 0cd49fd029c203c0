//! The JIT's shared vocabulary, used on both sides of the translation boundary:
//!
//! - [`ops`]: scalar types and the exact semantics of scalar operations on canonical words;
//! - [`jitcode`]: the serialized jitcode program the codewriter (at translation time) writes
//!   into the translated binary and the runtime's meta-interpreter reads back;
//! - [`trace`]: the trace IR the meta-interpreter records, the optimizer rewrites and the trace
//!   backend compiles.
//!
//! This crate is built both for the host (inside the translator) and for every target (inside
//! the runtime), so it has no dependencies beyond serde/postcard and no target-specific code.

pub mod jitcode;
pub mod ops;
pub mod trace;
