//! Test support: a fresh runtime per test, a test type table and child-process runs.
//!
//! The runtime's state is process-global, so every test that touches it takes the lock returned
//! by [`setup`], which also frees every object, installs a small shadow stack and the test type
//! table. Behaviour that ends the process (fatal errors, exit statuses, output flushing) is
//! tested by running one `child_*` test of this same binary in a child process ([`run_child`]);
//! such tests do nothing unless [`is_child`].

use crate::gc;
use crate::object::{Obj, StrObj, TypeInfo, FIRST_USER_TYPE, FLAG_STATIC, TYPE_STR};
use crate::roots;
use std::sync::{Mutex, MutexGuard};

static LOCK: Mutex<()> = Mutex::new(());

/// `Node { value: i64 @ 8, next: Ref @ 16, other: Ref @ 24 }`.
pub const NODE: u32 = FIRST_USER_TYPE;
/// A type without references, 16 bytes.
pub const LEAF: u32 = FIRST_USER_TYPE + 1;

static NODE_REFS: [u32; 2] = [16, 24];

static TYPES: [TypeInfo; 2] = [
    TypeInfo {
        size: 32,
        nrefs: 2,
        ref_offsets: NODE_REFS.as_ptr(),
    },
    TypeInfo {
        size: 16,
        nrefs: 0,
        ref_offsets: std::ptr::null(),
    },
];

/// Takes the runtime lock and resets the runtime.
pub fn setup() -> MutexGuard<'static, ()> {
    let g = LOCK.lock().unwrap_or_else(|e| e.into_inner());
    gc::reset();
    roots::init_shadow_stack(1 << 16);
    unsafe { gc::set_type_table(TYPES.as_ptr(), TYPES.len() as u32) };
    g
}

/// Turns on GC stress mode with reference verification.
pub fn stress() {
    gc::configure(gc::GcConfig {
        stress: true,
        verify: true,
        max_heap: None,
    });
}

/// Turns on GC stress mode without verification (freed cells are cached and reused).
pub fn stress_reusing() {
    gc::configure(gc::GcConfig {
        stress: true,
        verify: false,
        max_heap: None,
    });
}

/// A new runtime string (may collect).
pub fn new_str(bytes: &[u8]) -> *mut Obj {
    crate::str::new_str_from(bytes)
}

/// The bytes of a string (valid while it lives).
pub fn str_of<'a>(s: *mut Obj) -> &'a [u8] {
    unsafe {
        assert_eq!((*s).type_id, TYPE_STR);
        crate::str::str_bytes(s)
    }
}

/// The words of a list.
pub unsafe fn list_words(l: *mut Obj) -> Vec<u64> {
    (*(l as *mut crate::containers::ListObj)).words.clone()
}

pub unsafe fn set_node(n: *mut Obj, value: i64, next: *mut Obj, other: *mut Obj) {
    let p = n as *mut u8;
    *(p.add(8) as *mut i64) = value;
    *(p.add(16) as *mut *mut Obj) = next;
    *(p.add(24) as *mut *mut Obj) = other;
}

pub unsafe fn set_node_other(n: *mut Obj, other: *mut Obj) {
    *((n as *mut u8).add(24) as *mut *mut Obj) = other;
}

pub unsafe fn get_node(n: *mut Obj) -> (i64, *mut Obj, *mut Obj) {
    let p = n as *mut u8;
    (
        *(p.add(8) as *const i64),
        *(p.add(16) as *const *mut Obj),
        *(p.add(24) as *const *mut Obj),
    )
}

#[repr(C)]
struct StaticStr6 {
    s: StrObj,
    bytes: [u8; 6],
}

/// Immutable (read-only data): marking it would fault.
static STATIC_STR: StaticStr6 = StaticStr6 {
    s: StrObj {
        header: Obj {
            type_id: TYPE_STR,
            flags: FLAG_STATIC,
        },
        len: 6,
        bytes: [],
    },
    bytes: *b"static",
};

/// A static string as generated code defines them.
pub fn static_str() -> *mut Obj {
    &STATIC_STR as *const StaticStr6 as *mut Obj
}

const CHILD_ENV: &str = "VMKIT_RUNTIME_TEST_CHILD";

/// True in a child process started by [`run_child`].
pub fn is_child() -> bool {
    std::env::var_os(CHILD_ENV).is_some()
}

/// Runs the test `name` (a `child_*` test) of this binary in a child process.
pub fn run_child(name: &str) -> std::process::Output {
    run_child_env(name, &[])
}

/// [`run_child`] with extra environment variables.
pub fn run_child_env(name: &str, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(std::env::current_exe().unwrap());
    cmd.args([name, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD_ENV, "1")
        .env_remove("VMKIT_GC_STRESS")
        .env_remove("VMKIT_GC_MAX_HEAP");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}
