//! Cranelift backends (filled by the AOT and JIT issues).
//!
//! Role: lower the translator's low-level flow graphs to Cranelift IR and emit one object file for
//! the target (cranelift-object), and compile optimized JIT traces to machine code at run time.
//! Every target-specific choice (ISA, calling convention, object format) comes from the target spec.
//!
//! Status: not implemented yet; the crate exists so the pipeline's boundaries are fixed.
