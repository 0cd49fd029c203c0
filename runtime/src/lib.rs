//! The runtime linked into every translated executable (filled by the AOT and JIT issues).
//!
//! Role: process entry and argv, host I/O, strings and allocation, the precise garbage collector,
//! and the JIT runtime (meta-interpreter, optimizer, blackhole interpreter, code memory). Ordinary
//! Rust built by cargo for the target triple.
//!
//! Status: not implemented yet; the crate exists so the pipeline's boundaries are fixed.
