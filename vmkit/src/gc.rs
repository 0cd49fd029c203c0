//! GC references and field mutability.
//!
//! - `Gc<T>`: a reference to a GC-managed object of a user struct or enum. `Copy`; compare
//!   identity with [`Gc::ptr_eq`]. Nullable references are `Option<Gc<T>>`.
//! - A plain field of a GC struct is immutable (the JIT may fold loads of it from a constant object).
//! - `Mut<T>` marks a mutable field (`get`/`set`, like `Cell`).
//! - `QuasiImmut<T>` marks a field that is rarely written: traces fold it (when its object is
//!   constant) behind an invalidation check, and `set` invalidates the compiled code that folded
//!   it.

use std::cell::Cell;
use std::fmt;
use std::ops::Deref;

/// A reference to a garbage-collected object. Untranslated, the object is leaked.
pub struct Gc<T: 'static> {
    ptr: &'static T,
}

impl<T: 'static> Gc<T> {
    /// Allocates `value` as a new GC object.
    pub fn new(value: T) -> Gc<T> {
        Gc {
            ptr: Box::leak(Box::new(value)),
        }
    }

    /// Identity comparison (`is` in Python terms).
    pub fn ptr_eq(a: Gc<T>, b: Gc<T>) -> bool {
        std::ptr::eq(a.ptr, b.ptr)
    }

    /// The address (host side, not part of the DSL: `vmkit::ffi` callbacks carry it).
    #[doc(hidden)]
    pub fn into_raw(this: Gc<T>) -> *const () {
        (this.ptr as *const T).cast()
    }

    /// # Safety
    /// `p` must come from [`Gc::into_raw`] of a `Gc<T>` (host side, not part of the DSL).
    #[doc(hidden)]
    pub unsafe fn from_raw(p: *const ()) -> Gc<T> {
        Gc {
            ptr: &*(p as *const T),
        }
    }
}

impl<T: 'static> Clone for Gc<T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T: 'static> Copy for Gc<T> {}

impl<T: 'static> Deref for Gc<T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.ptr
    }
}

impl<T: fmt::Debug + 'static> fmt::Debug for Gc<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Gc({:?})", self.ptr)
    }
}

/// A mutable field of a GC object. `T` is a DSL value type (`Copy`).
pub struct Mut<T: Copy> {
    cell: Cell<T>,
}

impl<T: Copy> Mut<T> {
    pub fn new(value: T) -> Mut<T> {
        Mut {
            cell: Cell::new(value),
        }
    }
    pub fn get(&self) -> T {
        self.cell.get()
    }
    pub fn set(&self, value: T) {
        self.cell.set(value)
    }
}

impl<T: Copy + fmt::Debug> fmt::Debug for Mut<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Mut({:?})", self.cell.get())
    }
}

/// A quasi-immutable field: read often, written rarely. Same interface as [`Mut`].
pub struct QuasiImmut<T: Copy> {
    cell: Cell<T>,
}

impl<T: Copy> QuasiImmut<T> {
    pub fn new(value: T) -> QuasiImmut<T> {
        QuasiImmut {
            cell: Cell::new(value),
        }
    }
    pub fn get(&self) -> T {
        self.cell.get()
    }
    pub fn set(&self, value: T) {
        self.cell.set(value)
    }
}

impl<T: Copy + fmt::Debug> fmt::Debug for QuasiImmut<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "QuasiImmut({:?})", self.cell.get())
    }
}
