//! Arrays of DSL values: `GcArray<T>` (fixed length) and `GcList<T>` (growable).
//!
//! Both are `Copy` handles to GC objects; `T` is any DSL value type (integers, floats, bools,
//! `Str`, `Gc<_>`, `Option<Gc<_>>`, other handles, `Copy` structs and enums). Indices are `usize`;
//! an index out of range is a fatal error.

use std::cell::{Cell, RefCell};

/// A fixed-length, mutable array.
pub struct GcArray<T: Copy + 'static> {
    items: &'static [Cell<T>],
}

impl<T: Copy + 'static> Clone for GcArray<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Copy + 'static> Copy for GcArray<T> {}

impl<T: Copy + 'static> GcArray<T> {
    /// An array of `len` copies of `init`.
    pub fn new(len: usize, init: T) -> GcArray<T> {
        let v: Vec<Cell<T>> = (0..len).map(|_| Cell::new(init)).collect();
        GcArray {
            items: Box::leak(v.into_boxed_slice()),
        }
    }
    pub fn len(self) -> usize {
        self.items.len()
    }
    pub fn is_empty(self) -> bool {
        self.items.is_empty()
    }
    pub fn get(self, index: usize) -> T {
        self.items[index].get()
    }
    pub fn set(self, index: usize, value: T) {
        self.items[index].set(value)
    }
}

/// A growable list.
pub struct GcList<T: Copy + 'static> {
    items: &'static RefCell<Vec<T>>,
}

impl<T: Copy + 'static> Clone for GcList<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: Copy + 'static> Copy for GcList<T> {}

impl<T: Copy + 'static> GcList<T> {
    pub fn new() -> GcList<T> {
        GcList {
            items: Box::leak(Box::new(RefCell::new(Vec::new()))),
        }
    }
    pub fn with_capacity(capacity: usize) -> GcList<T> {
        GcList {
            items: Box::leak(Box::new(RefCell::new(Vec::with_capacity(capacity)))),
        }
    }
    pub fn len(self) -> usize {
        self.items.borrow().len()
    }
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
    pub fn get(self, index: usize) -> T {
        self.items.borrow()[index]
    }
    pub fn set(self, index: usize, value: T) {
        self.items.borrow_mut()[index] = value
    }
    pub fn push(self, value: T) {
        self.items.borrow_mut().push(value)
    }
    /// Removes and returns the last item, `None` when empty.
    pub fn pop(self) -> Option<T> {
        self.items.borrow_mut().pop()
    }
    /// Inserts at `index` (`index <= len`), shifting later items up.
    pub fn insert(self, index: usize, value: T) {
        self.items.borrow_mut().insert(index, value)
    }
    /// Removes the item at `index`, shifting later items down.
    pub fn remove(self, index: usize) -> T {
        self.items.borrow_mut().remove(index)
    }
    pub fn truncate(self, len: usize) {
        self.items.borrow_mut().truncate(len)
    }
    pub fn clear(self) {
        self.items.borrow_mut().clear()
    }
}

impl<T: Copy + 'static> Default for GcList<T> {
    fn default() -> Self {
        GcList::new()
    }
}
