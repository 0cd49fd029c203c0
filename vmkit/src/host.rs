//! User host functions: ordinary Rust that a DSL program calls, never translated.
//!
//! `#[vmkit::host]` on a `fn` leaves the function as it is and registers a wrapper in
//! [`HOST_FUNCTIONS`], so that any process linking the interpreter (the graph interpreter's tests,
//! the translated executable's runtime) can call it by name.
//!
//! The argument contract: parameters and the result are among `i64`, `u64`, `usize`, `u8`, `f64`,
//! `bool`, `Str` and `()`. A host function must not call back into DSL code and must not keep
//! references to its arguments beyond the call (strings are copied across the boundary).

use crate::str::Str;

/// A value crossing the host boundary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum HostVal {
    Unit,
    Bool(bool),
    I64(i64),
    U64(u64),
    F64(f64),
    Str(Str),
}

/// Conversion of DSL values to and from [`HostVal`] (used by the `#[host]` wrappers).
pub trait HostType: Sized {
    fn to_host(self) -> HostVal;
    fn from_host(v: HostVal) -> Self;
}

macro_rules! host_int {
    ($($t:ty => $variant:ident as $repr:ty),*) => {$(
        impl HostType for $t {
            fn to_host(self) -> HostVal { HostVal::$variant(self as $repr) }
            fn from_host(v: HostVal) -> Self {
                match v {
                    HostVal::I64(x) => x as $t,
                    HostVal::U64(x) => x as $t,
                    other => panic!("host boundary: expected an integer, got {:?}", other),
                }
            }
        }
    )*};
}
host_int!(i64 => I64 as i64, u64 => U64 as u64, usize => U64 as u64, u8 => U64 as u64);

impl HostType for f64 {
    fn to_host(self) -> HostVal {
        HostVal::F64(self)
    }
    fn from_host(v: HostVal) -> Self {
        match v {
            HostVal::F64(x) => x,
            other => panic!("host boundary: expected f64, got {:?}", other),
        }
    }
}
impl HostType for bool {
    fn to_host(self) -> HostVal {
        HostVal::Bool(self)
    }
    fn from_host(v: HostVal) -> Self {
        match v {
            HostVal::Bool(x) => x,
            other => panic!("host boundary: expected bool, got {:?}", other),
        }
    }
}
impl HostType for Str {
    fn to_host(self) -> HostVal {
        HostVal::Str(self)
    }
    fn from_host(v: HostVal) -> Self {
        match v {
            HostVal::Str(x) => x,
            other => panic!("host boundary: expected Str, got {:?}", other),
        }
    }
}
impl HostType for () {
    fn to_host(self) -> HostVal {
        HostVal::Unit
    }
    fn from_host(_: HostVal) -> Self {}
}

/// A registered host function.
pub struct HostFn {
    /// The function's name (its Rust identifier; unique within a program).
    pub name: &'static str,
    /// Calls the function with converted arguments.
    pub call: fn(&[HostVal]) -> HostVal,
}

/// Every `#[vmkit::host]` function linked into this process.
#[linkme::distributed_slice]
pub static HOST_FUNCTIONS: [HostFn];

/// Looks up a registered host function by name.
pub fn lookup(name: &str) -> Option<&'static HostFn> {
    HOST_FUNCTIONS.iter().find(|f| f.name == name)
}
