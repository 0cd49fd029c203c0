//! The vmkit DSL crate: what an interpreter written for vmkit is made of.
//!
//! An interpreter is ordinary Rust restricted to the subset described in `docs/dsl.md`. This crate
//! gives every DSL type and hint its *untranslated* meaning, so the interpreter compiles with plain
//! rustc and runs without the JIT for debugging (as RPython code runs on CPython). The translator
//! (`vmkit-translator`) recognises the same names and gives them their translated meaning.
//!
//! Untranslated, GC objects are leaked (`Gc::new` never frees): fine for debugging runs and tests,
//! and the reason `Gc<T>` can be `Copy`.
//!
//! Module map:
//! - [`gc`]: `Gc<T>`, `Mut<T>`, `QuasiImmut<T>` (object references and field mutability).
//! - [`str`]: `Str`, the immutable string, and `StrBuilder`.
//! - [`array`]: `GcArray<T>` (fixed length) and `GcList<T>` (growable).
//! - [`map`]: `GcMap<K, V>`, insertion-ordered, keyed through [`map::MapKey`].
//! - [`io`]: the built-in host I/O functions.
//! - [`jit`]: the JIT driver and the hints (`promote`, `we_are_jitted`, ...).
//! - [`host`]: the registry of user host functions (`#[vmkit::host]`).
//! - [`ffi`]: foreign functions: C libraries, calls with run-time signatures, C memory,
//!   callbacks (`#[vmkit::ffi_callback]`).
//! - [`run`]: the untranslated entry (`vmkit::run`).

pub mod array;
pub mod ffi;
pub mod gc;
pub mod host;
pub mod io;
pub mod jit;
pub mod map;
pub mod run;
pub mod str;

pub use array::{GcArray, GcList};
pub use gc::{Gc, Mut, QuasiImmut};
pub use jit::JitDriver;
pub use map::{GcMap, MapKey};
pub use run::run;
pub use str::{Str, StrBuilder};
pub use vmkit_macros::{
    dont_look_inside, elidable, entry, ffi_callback, host, loop_invariant, unroll_safe,
    virtualizable,
};

#[doc(hidden)]
pub mod __private {
    pub use linkme;
}
