//! Quasi-immutable fields (`QuasiImmut<T>` in the DSL): read often, written rarely.
//!
//! The tracer folds a read of such a field of a constant object to the value it had, behind a
//! guard on an *invalidation cell*: a word the trace loads and checks for zero (`getfield` of
//! the cell, `guard_false`; the snapshot resumes at the field read, which reads the new value).
//! The dependency (object, field) → cell is registered here. Every write of a quasi-immutable
//! field — by the AOT code (it calls [`vmkit_quasi_immut_written`] after the store, in builds
//! with the JIT), by the blackhole interpreter or while tracing (which then gives up the trace:
//! compiled code never writes these fields) — sets the cells that depend on it, so the traces
//! that folded the old value fail that guard from then on and go on in the interpreter (and
//! get a bridge that reads the new value once they failed `trace_eagerness` times).
//!
//! A cell is a runtime-private 8-byte string object, a permanent root (traces refer to it as a
//! constant); a trace that was never compiled leaves an unused cell behind. Objects never move,
//! so (address, offset) names a field for as long as its object lives; a dead object's entries
//! only cause spurious invalidations if its address is reused.

use crate::global::Global;
use crate::object::{Obj, STR_BYTES_OFFSET};
use rustc_hash::FxHashMap;

/// Offset of the flag word in a cell.
pub const CELL_OFFSET: u32 = STR_BYTES_OFFSET as u32;

struct Deps {
    /// (object address, field offset) → the cells of the traces that folded the field.
    cells: FxHashMap<(u64, u32), Vec<u64>>,
    /// Writes that invalidated at least one cell.
    invalidations: u64,
}

static DEPS: Global<Option<Deps>> = Global::new(None);

fn deps() -> &'static mut Deps {
    // SAFETY: mutator thread; the reference is used for one operation at a time.
    unsafe {
        (*DEPS.ptr()).get_or_insert_with(|| Deps {
            cells: FxHashMap::default(),
            invalidations: 0,
        })
    }
}

/// A fresh invalidation cell (flag 0), permanently rooted; its address.
pub fn new_cell() -> u64 {
    let o = crate::str::new_str_from(&[0u8; 8]);
    crate::roots::add_permanent_root(o);
    o as u64
}

/// Whether `cell` has been invalidated.
pub fn invalidated(cell: u64) -> bool {
    // SAFETY: a cell made by `new_cell` (rooted forever, 8 bytes at CELL_OFFSET).
    unsafe { ((cell + u64::from(CELL_OFFSET)) as *const u64).read() != 0 }
}

/// The trace with invalidation cell `cell` folded field `offset` of object `obj`.
pub fn depend(obj: u64, offset: u32, cell: u64) {
    let v = deps().cells.entry((obj, offset)).or_default();
    if !v.contains(&cell) {
        v.push(cell);
    }
}

/// Field `offset` of `obj` was written: invalidates every cell that depends on it.
pub fn written(obj: u64, offset: u32) {
    let d = deps();
    if d.cells.is_empty() {
        return;
    }
    if let Some(cells) = d.cells.remove(&(obj, offset)) {
        d.invalidations += 1;
        for c in cells {
            // SAFETY: as in `invalidated`.
            unsafe { ((c + u64::from(CELL_OFFSET)) as *mut u64).write(1) };
        }
    }
}

/// How many writes invalidated compiled code so far.
pub fn invalidations() -> u64 {
    deps().invalidations
}

/// Called by the AOT code after it stores into a quasi-immutable field.
///
/// # Safety
/// `obj` must be the object just written (any pointer is tolerated: it is only a key).
#[no_mangle]
pub unsafe extern "C" fn vmkit_quasi_immut_written(obj: *mut Obj, offset: u32) {
    written(obj as u64, offset);
}
