//! Process-wide mutable state without locks.
//!
//! A translated program has exactly one mutator thread (see the crate docs), so the runtime keeps
//! its state (the heap, the standard output buffer, ...) in `static`s of type [`Global`]: an
//! `UnsafeCell` that claims to be `Sync`. Accessors hand out raw pointers; callers turn them into
//! short-lived references that never live across a call that may re-enter the runtime (an
//! allocation that collects, or a callback into generated code).

use std::cell::UnsafeCell;

/// A global cell touched only by the single mutator thread.
pub struct Global<T>(UnsafeCell<T>);

// SAFETY: the runtime's state is only ever accessed from the one thread that runs the program
// (and, in the runtime's unit tests, from one test at a time under `testutil::setup`'s lock).
unsafe impl<T> Sync for Global<T> {}

impl<T> Global<T> {
    pub const fn new(value: T) -> Global<T> {
        Global(UnsafeCell::new(value))
    }

    /// A raw pointer to the value. Dereferencing it is only sound on the mutator thread, and the
    /// resulting reference must not overlap another one to the same value.
    pub fn ptr(&self) -> *mut T {
        self.0.get()
    }
}
