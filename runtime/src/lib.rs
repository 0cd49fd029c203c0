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
//! - [`str`](mod@str): `Str` objects, the string built-ins and `StrBuilder`.
//! - [`containers`]: `GcArray` and `GcList` (flattened elements in 64-bit words).
//! - [`map`]: `GcMap`, insertion-ordered, with integer, string and user (callback) keys.
//! - [`io`]: buffered standard output, standard error/input and files.
//! - [`float`]: the `f64` functions.
//! - [`host`]: `vmkit_host_call`, calls of `#[vmkit::host]` functions by name.
//! - [`ffi`]: `vmkit::ffi`: `dlopen`/`dlsym`, calls of C functions through Cranelift-generated
//!   trampolines (one per signature), raw C memory, and C callbacks into the program.
//! - [`jit`]: the meta-tracing JIT: hotness counters, the jitcode interpreter (tracing and
//!   blackhole), the basic optimizer, compiled traces, guard failures and bridges.
//! - [`entry`]: the C `main`: settings, arguments, the big-stack thread running `vmkit_entry`.
//!
//! # Clarifications and additions to `docs/runtime-abi.md`
//!
//! - Output pointers of functions that return `bool` (`vmkit_list_pop`, `vmkit_map_get`,
//!   `vmkit_map_insert`'s `old_out`, `vmkit_map_remove`, `vmkit_str_find`, `vmkit_str_parse_*`)
//!   and `vmkit_list_remove`'s `out` may be null when the caller does not need the value.
//! - Words past the 64th of a container element are never references (`refmask` is 64 bits).
//! - For `Str`-keyed maps (kind 1) bit 0 of `kmask` is implied. User-key thunks are called as
//!   `eq(stored, probe)`, in the same sequence as `vmkit::GcMap` makes its `key_hash`/`key_eq`
//!   calls.
//! - `vmkit_list_new`'s capacity is a hint (huge hints are clamped).
//! - `vmkit_host_call` with `ret_kind` 3 writes the full 64-bit value (narrowing to `u8` is the
//!   caller's business); with `ret_kind` 0 it writes nothing (`ret` may be null).
//! - `vmkit_type_table` and `vmkit_type_count` must be defined even when there are no user types.
//!   Static objects must be 8-byte aligned and have flags exactly 2 (static, unmarked).
//! - Added: `vmkit_stack_limit` (a `usize` global, see [`entry`]) for an optional native stack
//!   check in generated code, and the `VMKIT_GC_VERIFY=1` setting (see [`gc`]).
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
pub mod ffi;
pub mod float;
pub mod gc;
pub mod global;
pub mod host;
pub mod io;
pub mod jit;
pub mod map;
pub mod object;
pub mod roots;
pub mod str;

#[cfg(test)]
mod testutil;

pub use object::{Obj, TypeInfo};
