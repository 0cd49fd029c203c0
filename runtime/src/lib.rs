//! The runtime linked into every translated executable.
//!
//! The AOT backend compiles an interpreter's low-level flow graphs into one object file; this
//! crate, built by cargo for the same target as a static library, supplies everything that object
//! file calls: the process entry (`main`), the precise garbage collector, the built-in objects
//! (strings, string builders, arrays, lists, maps), host I/O and calls to user host functions.
//! The contract between the two is `docs/runtime-abi.md`; every exported function is
//! `extern "C"`, `#[no_mangle]` and named `vmkit_*`.
//!
//! Every operation reproduces the untranslated meaning of the DSL (the `vmkit` crate) byte for
//! byte, with the exact error messages of the graph interpreter (`translator/src/interp.rs`), so
//! that untranslated, graph-interpreted and translated runs of a program agree.
//!
//! # Module map
//!
//! - [`object`]: the object header, type ids, flags and the user type table ([`object::TypeInfo`]).
//! - [`global`]: the single-mutator global cell used for the runtime's process-wide state.
//! - [`roots`]: the shadow stack (`vmkit_shadow_top`/`vmkit_shadow_limit`) and [`roots::RootGuard`],
//!   which roots the runtime's own references around allocations and callbacks.
//! - [`gc`]: allocation, accounting and the non-moving mark-sweep collector; the GC settings
//!   (`VMKIT_GC_STRESS`, `VMKIT_GC_MAX_HEAP`).
//! - [`fatal`]: fatal errors (`vmkit_fatal`, `vmkit_stack_overflow`) and the write barrier hook.
//! - [`str`]: `Str` objects, the string built-ins and `StrBuilder`.
//! - [`containers`]: `GcArray` and `GcList` (flattened elements in 64-bit words).
//! - [`map`]: `GcMap`, insertion-ordered, with integer, string and user (callback) keys.
//! - [`io`]: buffered standard output, standard error/input and files.
//! - [`float`]: the `f64` functions.
//! - [`host`]: `vmkit_host_call`, calls of `#[vmkit::host]` functions by name.
//! - [`entry`]: the C `main`: settings, arguments, the big-stack thread running `vmkit_entry`.
//!
//! # Threading
//!
//! A translated program is single-threaded: `main` spawns exactly one thread (with a large stack)
//! that runs the program, and only that thread touches the runtime's state. The state therefore
//! lives in plain globals ([`global::Global`]) without locks.

#![allow(clippy::missing_safety_doc)]

pub mod containers;
pub mod entry;
pub mod fatal;
pub mod float;
pub mod gc;
pub mod global;
pub mod host;
pub mod io;
pub mod map;
pub mod object;
pub mod roots;
pub mod str;

#[cfg(test)]
mod testutil;

pub use object::{Obj, TypeInfo};
