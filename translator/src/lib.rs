//! The vmkit translator: turns an interpreter written in the vmkit DSL into flow graphs, and
//! (with the backends) into a native executable with a GC and a JIT.
//!
//! Pipeline (each stage has a printer, see `vmkit translate --dump`):
//!
//! 1. [`source`]: load `src/lib.rs` and its modules, parse with syn.
//! 2. [`program`]: collect items, resolve names across modules, convert signatures to [`ty::Ty`].
//! 3. [`typeck`]: infer and check types of every body → [`thir`] (typed trees, sugar removed).
//! 4. [`flow`] + [`build`]: typed trees → high-level flow graphs (SSA blocks, links carry values).
//! 5. [`lower`]: high-level graphs → low-level graphs: value types flattened to scalars, memory
//!    accesses annotated with layouts computed for the target ([`layout`], [`target`]).
//! 6. [`interp`]: the graph interpreter, executing low-level graphs in-process.
//! 7. [`callgraph`]: the call graph from the entry (petgraph).
//! 8. [`driver`]: the phases end to end, with timings; used by the `vmkit` CLI.

pub mod build;
pub mod callgraph;
pub mod diag;
pub mod driver;
pub mod flow;
pub mod hints;
pub mod interp;
pub mod layout;
pub mod lower;
pub mod print;
pub mod program;
pub mod source;
pub mod target;
pub mod thir;
pub mod ty;
pub mod typeck;
