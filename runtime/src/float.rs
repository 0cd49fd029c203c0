//! The `f64` built-ins, with Rust's semantics (they are Rust's own functions, as untranslated).

/// `vmkit_f64_sin(x)`.
#[no_mangle]
pub extern "C" fn vmkit_f64_sin(x: f64) -> f64 {
    x.sin()
}

/// `vmkit_f64_cos(x)`.
#[no_mangle]
pub extern "C" fn vmkit_f64_cos(x: f64) -> f64 {
    x.cos()
}

/// `vmkit_f64_exp(x)`.
#[no_mangle]
pub extern "C" fn vmkit_f64_exp(x: f64) -> f64 {
    x.exp()
}

/// `vmkit_f64_ln(x)`.
#[no_mangle]
pub extern "C" fn vmkit_f64_ln(x: f64) -> f64 {
    x.ln()
}

/// `vmkit_f64_powf(x, y)`.
#[no_mangle]
pub extern "C" fn vmkit_f64_powf(x: f64, y: f64) -> f64 {
    x.powf(y)
}

/// `vmkit_f64_powi(x, n)`.
#[no_mangle]
pub extern "C" fn vmkit_f64_powi(x: f64, n: i32) -> f64 {
    x.powi(n)
}

/// `vmkit_f64_min(x, y)`: Rust's `f64::min` (a NaN operand yields the other one).
#[no_mangle]
pub extern "C" fn vmkit_f64_min(x: f64, y: f64) -> f64 {
    x.min(y)
}

/// `vmkit_f64_max(x, y)`: Rust's `f64::max`.
#[no_mangle]
pub extern "C" fn vmkit_f64_max(x: f64, y: f64) -> f64 {
    x.max(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rust_semantics() {
        assert_eq!(vmkit_f64_min(f64::NAN, 1.0), 1.0);
        assert_eq!(vmkit_f64_max(2.0, f64::NAN), 2.0);
        assert_eq!(vmkit_f64_powi(2.0, 10), 1024.0);
        assert_eq!(vmkit_f64_powf(4.0, 0.5), 2.0);
        assert_eq!(vmkit_f64_ln(1.0), 0.0);
        assert_eq!(vmkit_f64_exp(0.0), 1.0);
        assert_eq!(vmkit_f64_sin(0.0), 0.0);
        assert_eq!(vmkit_f64_cos(0.0), 1.0);
        assert!(vmkit_f64_ln(-1.0).is_nan());
    }
}
