//! JIT hints. Untranslated they do nothing (or return their argument); the translator records them
//! and the JIT issue gives them their effect.
//!
//! - [`JitDriver`]: declares the interpreter loop's green variables (the position in the user
//!   program: constant in a trace), red variables (everything else the loop carries), the
//!   virtualizable red (a frame whose fields live in registers inside traces) and the function
//!   that prints a location for logs.
//! - [`jit_merge_point!`](crate::jit_merge_point): the top of the interpreter's dispatch loop.
//! - [`can_enter_jit!`](crate::can_enter_jit): a backward jump in the user program (where hotness
//!   is counted).
//! - [`promote`], [`we_are_jitted`], and the attributes `#[elidable]`, `#[unroll_safe]`,
//!   `#[dont_look_inside]`, `#[loop_invariant]`, `#[virtualizable]`.

/// Declares a JIT driver. Write it as a `static` with a struct literal; the translator reads it.
///
/// ```
/// use vmkit::JitDriver;
/// static DRIVER: JitDriver = JitDriver {
///     name: "bf",
///     greens: &["pc", "program"],
///     reds: &["tape", "pos"],
///     virtualizables: &[],
///     get_printable_location: Some("location"),
/// };
/// ```
pub struct JitDriver {
    /// A name for logs.
    pub name: &'static str,
    /// Green variables, in the order `jit_merge_point!` lists them.
    pub greens: &'static [&'static str],
    /// Red variables, in the order `jit_merge_point!` lists them.
    pub reds: &'static [&'static str],
    /// Reds whose type is a `#[virtualizable]` struct.
    pub virtualizables: &'static [&'static str],
    /// Name of a function in the same module taking the greens and returning a `Str`.
    pub get_printable_location: Option<&'static str>,
}

/// Marks the interpreter's dispatch loop head: `jit_merge_point!(DRIVER; greens...; reds...)`.
/// The variables must be exactly the driver's greens and reds, in order.
#[macro_export]
macro_rules! jit_merge_point {
    ($driver:expr; $($green:ident),* ; $($red:ident),* $(,)?) => {{
        let _ = &$driver;
        $(let _ = &$green;)*
        $(let _ = &$red;)*
    }};
}

/// Marks a backward jump of the user program: `can_enter_jit!(DRIVER; greens...; reds...)`.
#[macro_export]
macro_rules! can_enter_jit {
    ($driver:expr; $($green:ident),* ; $($red:ident),* $(,)?) => {{
        let _ = &$driver;
        $(let _ = &$green;)*
        $(let _ = &$red;)*
    }};
}

/// Inside a trace, turns `value` into a constant (behind a guard). Returns `value`.
#[inline(always)]
pub fn promote<T: Copy>(value: T) -> T {
    value
}

/// `true` only inside JIT-compiled code (always `false` untranslated and in the interpreter).
#[inline(always)]
pub fn we_are_jitted() -> bool {
    false
}
