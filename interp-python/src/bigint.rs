//! Arbitrary-precision integers for pyvm (Python's `int` beyond the machine-word fast path).
//!
//! # Representation
//!
//! A [`BigInt`] is sign-magnitude: `neg` is the sign and `mag` the magnitude, an immutable
//! `GcArray<u64>` of base-2^32 *limbs*, least significant first. Each limb is stored in a `u64`
//! word but is always `< 2^32`, so that a product of two limbs plus two more limbs
//! (`(2^32-1)^2 + 2*(2^32-1) = 2^64-1`) still fits in a `u64`: this is what lets every algorithm
//! below work with plain `u64` arithmetic (the DSL has no `u128`). Magnitudes are *normalised*:
//! the most significant limb is non-zero, so zero is the empty array, and zero is never
//! negative. Values are immutable once built: every operation allocates its result, and results
//! may share the magnitude array of an operand (e.g. `neg`, `abs`), which is safe because
//! nobody writes into a finished magnitude.
//!
//! # Layers
//!
//! - `mag_*` functions work on magnitudes only (unsigned arithmetic); their results are
//!   normalised (`trim`).
//! - The public functions combine signs with Python's semantics: floor division and modulo
//!   with the sign of the divisor, `>>` rounding toward minus infinity, bitwise operations on
//!   the infinite two's-complement representation, `hash` modulo 2^61-1.
//!
//! # Algorithms
//!
//! - addition/subtraction: limb-by-limb with carry/borrow, O(n).
//! - multiplication: schoolbook O(n*m) below [`KARATSUBA_CUTOFF`] limbs, Karatsuba above it
//!   (O(n^1.585)); a single-limb fast path; squaring (`pow`, `pow_mod`) computes each cross
//!   product once.
//! - division: single-limb divisor fast path (one `u64` division per limb); otherwise Knuth's
//!   algorithm D (TAOCP vol. 2, 4.3.1) with normalisation by a left shift so that the divisor's
//!   top limb has its high bit set.
//! - `pow`: right-to-left binary exponentiation; powers of two become a shift.
//! - `pow_mod`: left-to-right binary exponentiation with a reduction after every product.
//! - `to_str`: power-of-two bases read the bits directly (O(n)); other bases divide repeatedly
//!   by the largest power of the base that fits a limb (10^9 for decimal), so the quadratic
//!   loop does one `u64` division per limb per 9 decimal digits.
//! - `from_str`: multiply-accumulate by chunks of digits (base^k < 2^32), one pass per chunk.
//! - `to_f64` / `truediv`: compute an integer with enough bits (64, respectively 55-57) plus a
//!   sticky bit, round half-to-even by hand (including the subnormal range for `truediv`), then
//!   scale by an exactly computed power of two: the result is correctly rounded like CPython's.

use vmkit::{Gc, GcArray, Str, StrBuilder};

/// 2^32: the limb base.
const BASE: u64 = 0x1_0000_0000;
/// The low 32 bits: a limb.
const MASK: u64 = 0xFFFF_FFFF;
/// Operands with at least this many limbs (both) are multiplied with Karatsuba.
const KARATSUBA_CUTOFF: usize = 40;
/// Python's hash modulus for integers, 2^61 - 1.
const HASH_MODULUS: u64 = 0x1FFF_FFFF_FFFF_FFFF;

/// Sign-magnitude: `mag` holds base-2^32 limbs, little-endian, each in a u64 word (< 2^32),
/// normalised: no most-significant zero limbs; zero is the empty array with neg == false.
pub struct BigInt {
    pub neg: bool,
    pub mag: GcArray<u64>,
}

// ---------------------------------------------------------------------------------------------
// Construction helpers
// ---------------------------------------------------------------------------------------------

/// Builds a BigInt from a normalised magnitude, forcing zero to be non-negative.
fn mk(neg: bool, mag: GcArray<u64>) -> Gc<BigInt> {
    Gc::new(BigInt {
        neg: neg && mag.len() > 0,
        mag: mag,
    })
}

/// The empty magnitude (zero).
fn mag_zero() -> GcArray<u64> {
    GcArray::new(0, 0u64)
}

/// Magnitude of an unsigned 64-bit value.
fn mag_from_u64(v: u64) -> GcArray<u64> {
    if v == 0 {
        mag_zero()
    } else if v < BASE {
        GcArray::new(1, v)
    } else {
        let r: GcArray<u64> = GcArray::new(2, 0u64);
        r.set(0, v & MASK);
        r.set(1, v >> 32);
        r
    }
}

/// Returns the first `len` limbs of `r` without the most significant zero limbs: `r` itself
/// when nothing is to be dropped, otherwise a fresh copy.
fn trim(r: GcArray<u64>, len: usize) -> GcArray<u64> {
    let mut n: usize = len;
    while n > 0 && r.get(n - 1) == 0 {
        n -= 1;
    }
    if n == r.len() {
        return r;
    }
    let out: GcArray<u64> = GcArray::new(n, 0u64);
    let mut i: usize = 0;
    while i < n {
        out.set(i, r.get(i));
        i += 1;
    }
    out
}

/// Number of significant bits of a value `< 2^64` (0 for 0).
fn word_bits(v: u64) -> u64 {
    let mut x: u64 = v;
    let mut n: u64 = 0;
    if x >= 0x1_0000_0000 {
        x >>= 32;
        n += 32;
    }
    if x >= 0x1_0000 {
        x >>= 16;
        n += 16;
    }
    if x >= 0x100 {
        x >>= 8;
        n += 8;
    }
    if x >= 0x10 {
        x >>= 4;
        n += 4;
    }
    while x > 0 {
        x >>= 1;
        n += 1;
    }
    n
}

/// Number of significant bits of a magnitude.
fn mag_bit_length(a: GcArray<u64>) -> u64 {
    let n = a.len();
    if n == 0 {
        return 0;
    }
    ((n - 1) as u64) * 32 + word_bits(a.get(n - 1))
}

/// The low 64 bits of a magnitude.
fn mag_low_u64(a: GcArray<u64>) -> u64 {
    let n = a.len();
    if n == 0 {
        0
    } else if n == 1 {
        a.get(0)
    } else {
        a.get(0) | (a.get(1) << 32)
    }
}

// ---------------------------------------------------------------------------------------------
// Magnitude arithmetic
// ---------------------------------------------------------------------------------------------

/// Compares two magnitudes: -1, 0 or 1.
fn mag_cmp(a: GcArray<u64>, b: GcArray<u64>) -> i64 {
    let la = a.len();
    let lb = b.len();
    if la != lb {
        return if la < lb { -1 } else { 1 };
    }
    let mut i: usize = la;
    while i > 0 {
        i -= 1;
        let x = a.get(i);
        let y = b.get(i);
        if x != y {
            return if x < y { -1 } else { 1 };
        }
    }
    0
}

/// a + b.
fn mag_add(a0: GcArray<u64>, b0: GcArray<u64>) -> GcArray<u64> {
    let mut a = a0;
    let mut b = b0;
    if a.len() < b.len() {
        a = b0;
        b = a0;
    }
    let la = a.len();
    let lb = b.len();
    if lb == 0 {
        return a;
    }
    // The result has la+1 limbs exactly when the top position carries out; decide it from the
    // top down (a limb sum of 2^32-1 passes the decision to the position below), so that the
    // result is allocated with its final length.
    let mut top_carry = false;
    let mut p: usize = la;
    while p > 0 {
        p -= 1;
        let s = a.get(p) + if p < lb { b.get(p) } else { 0 };
        if s != MASK {
            top_carry = s > MASK;
            break;
        }
    }
    let rl = if top_carry { la + 1 } else { la };
    let r: GcArray<u64> = GcArray::new(rl, 0u64);
    let mut carry: u64 = 0;
    let mut i: usize = 0;
    while i < lb {
        let s = a.get(i) + b.get(i) + carry;
        r.set(i, s & MASK);
        carry = s >> 32;
        i += 1;
    }
    while i < la {
        let s = a.get(i) + carry;
        r.set(i, s & MASK);
        carry = s >> 32;
        i += 1;
    }
    if top_carry {
        r.set(la, carry);
    }
    r
}

/// a - b, requires a >= b.
fn mag_sub(a: GcArray<u64>, b: GcArray<u64>) -> GcArray<u64> {
    let la = a.len();
    let lb = b.len();
    if lb == 0 {
        return a;
    }
    let r: GcArray<u64> = GcArray::new(la, 0u64);
    let mut borrow: u64 = 0;
    let mut i: usize = 0;
    while i < la {
        let bi: u64 = if i < lb { b.get(i) } else { 0 };
        let d = a.get(i) + BASE - bi - borrow;
        r.set(i, d & MASK);
        borrow = 1 - (d >> 32);
        i += 1;
    }
    trim(r, la)
}

/// a * m for a single limb m (< 2^32), plus a limb `add`.
fn mag_mul_small_add(a: GcArray<u64>, m: u64, add: u64) -> GcArray<u64> {
    let la = a.len();
    let r: GcArray<u64> = GcArray::new(la + 1, 0u64);
    let mut carry: u64 = add;
    let mut i: usize = 0;
    while i < la {
        let t = a.get(i) * m + carry;
        r.set(i, t & MASK);
        carry = t >> 32;
        i += 1;
    }
    r.set(la, carry);
    trim(r, la + 1)
}

/// Schoolbook product of the limbs `a[ao..ao+al]` and `b[bo..bo+bl]`, *added* into
/// `r[ro..ro+al+bl]` (which must be zero there for a plain product). O(al*bl).
fn mul_school_into(
    a: GcArray<u64>,
    ao: usize,
    al: usize,
    b: GcArray<u64>,
    bo: usize,
    bl: usize,
    r: GcArray<u64>,
    ro: usize,
) {
    let mut i: usize = 0;
    while i < al {
        let ai = a.get(ao + i);
        if ai != 0 {
            let mut carry: u64 = 0;
            let mut j: usize = 0;
            let base = ro + i;
            while j < bl {
                let t = ai * b.get(bo + j) + r.get(base + j) + carry;
                r.set(base + j, t & MASK);
                carry = t >> 32;
                j += 1;
            }
            let mut k = base + bl;
            while carry != 0 {
                let t = r.get(k) + carry;
                r.set(k, t & MASK);
                carry = t >> 32;
                k += 1;
            }
        }
        i += 1;
    }
}

/// Copies `len` limbs of `a` from `off` into a fresh, normalised magnitude (zero-padded
/// reads beyond `a.len()`).
fn mag_slice(a: GcArray<u64>, off: usize, len: usize) -> GcArray<u64> {
    let r: GcArray<u64> = GcArray::new(len, 0u64);
    let mut i: usize = 0;
    while i < len && off + i < a.len() {
        r.set(i, a.get(off + i));
        i += 1;
    }
    trim(r, len)
}

/// Adds magnitude `x` into `r` starting at limb `off` (r must be large enough).
fn add_into(r: GcArray<u64>, off: usize, x: GcArray<u64>) {
    let mut carry: u64 = 0;
    let mut i: usize = 0;
    let lx = x.len();
    while i < lx {
        let t = r.get(off + i) + x.get(i) + carry;
        r.set(off + i, t & MASK);
        carry = t >> 32;
        i += 1;
    }
    let mut k = off + lx;
    while carry != 0 {
        let t = r.get(k) + carry;
        r.set(k, t & MASK);
        carry = t >> 32;
        k += 1;
    }
}

/// Subtracts magnitude `x` from `r` starting at limb `off` (the result must stay >= 0).
fn sub_into(r: GcArray<u64>, off: usize, x: GcArray<u64>) {
    let mut borrow: u64 = 0;
    let mut i: usize = 0;
    let lx = x.len();
    while i < lx {
        let d = r.get(off + i) + BASE - x.get(i) - borrow;
        r.set(off + i, d & MASK);
        borrow = 1 - (d >> 32);
        i += 1;
    }
    let mut k = off + lx;
    while borrow != 0 {
        let d = r.get(k) + BASE - borrow;
        r.set(k, d & MASK);
        borrow = 1 - (d >> 32);
        k += 1;
    }
}

/// a * b: schoolbook for small operands, Karatsuba when both have at least
/// `KARATSUBA_CUTOFF` limbs. With a = a1*B^h + a0 and b = b1*B^h + b0:
/// a*b = z2*B^2h + (z1 - z2 - z0)*B^h + z0 where z0 = a0*b0, z2 = a1*b1,
/// z1 = (a0+a1)*(b0+b1). Unbalanced operands (one more than twice as long as the other) are
/// cut into slices of the shorter one's length.
fn mag_mul(a0: GcArray<u64>, b0: GcArray<u64>) -> GcArray<u64> {
    let mut a = a0;
    let mut b = b0;
    if a.len() < b.len() {
        a = b0;
        b = a0;
    }
    let la = a.len();
    let lb = b.len();
    if lb == 0 {
        return mag_zero();
    }
    if lb == 1 {
        return mag_mul_small_add(a, b.get(0), 0);
    }
    if lb < KARATSUBA_CUTOFF {
        let r: GcArray<u64> = GcArray::new(la + lb, 0u64);
        mul_school_into(a, 0, la, b, 0, lb, r, 0);
        return trim(r, la + lb);
    }
    if la >= 2 * lb {
        // Unbalanced: multiply b by successive lb-limb slices of a.
        let r: GcArray<u64> = GcArray::new(la + lb, 0u64);
        let mut off: usize = 0;
        while off < la {
            let len = if la - off < lb { la - off } else { lb };
            let piece = mag_mul(mag_slice(a, off, len), b);
            add_into(r, off, piece);
            off += len;
        }
        return trim(r, la + lb);
    }
    let h = (la + 1) / 2; // lb > h since la < 2*lb
    let a_lo = mag_slice(a, 0, h);
    let a_hi = mag_slice(a, h, la - h);
    let b_lo = mag_slice(b, 0, h);
    let b_hi = mag_slice(b, h, lb - h);
    let z0 = mag_mul(a_lo, b_lo);
    let z2 = mag_mul(a_hi, b_hi);
    let z1 = mag_mul(mag_add(a_lo, a_hi), mag_add(b_lo, b_hi));
    let r: GcArray<u64> = GcArray::new(la + lb + 1, 0u64);
    add_into(r, 0, z0);
    add_into(r, 2 * h, z2);
    add_into(r, h, z1);
    sub_into(r, h, z0);
    sub_into(r, h, z2);
    trim(r, la + lb + 1)
}

/// Divides a magnitude by a single limb d (0 < d < 2^32): (quotient, remainder).
fn mag_divmod_small(a: GcArray<u64>, d: u64) -> (GcArray<u64>, u64) {
    let la = a.len();
    let q: GcArray<u64> = GcArray::new(la, 0u64);
    let mut rem: u64 = 0;
    let mut i: usize = la;
    while i > 0 {
        i -= 1;
        let cur = (rem << 32) | a.get(i);
        q.set(i, cur / d);
        rem = cur % d;
    }
    (trim(q, la), rem)
}

/// Truncating division of magnitudes (b non-empty): (quotient, remainder).
///
/// Knuth's algorithm D: both operands are shifted left by `s` bits so that the divisor's top
/// limb has bit 31 set; each quotient limb is estimated from the top two limbs of the running
/// remainder divided by the divisor's top limb, corrected with the second divisor limb (at most
/// two decrements), then the product is subtracted; in the rare case the estimate was still one
/// too large, the divisor is added back. The remainder is the low part shifted back right.
fn mag_divmod(u: GcArray<u64>, v: GcArray<u64>) -> (GcArray<u64>, GcArray<u64>) {
    if mag_cmp(u, v) < 0 {
        return (mag_zero(), u);
    }
    let n = v.len();
    if n == 1 {
        let (q, r) = mag_divmod_small(u, v.get(0));
        return (q, mag_from_u64(r));
    }
    let m = u.len() - n;
    let s: u64 = 32 - word_bits(v.get(n - 1)); // 0..=31
    let rs: u64 = 32 - s; // 1..=32 (a u64 shift by 32 is fine)
                          // Normalised divisor.
    let vn: GcArray<u64> = GcArray::new(n, 0u64);
    let mut i: usize = n - 1;
    while i > 0 {
        vn.set(i, ((v.get(i) << s) & MASK) | (v.get(i - 1) >> rs));
        i -= 1;
    }
    vn.set(0, (v.get(0) << s) & MASK);
    // Normalised dividend, one limb longer.
    let ul = u.len();
    let un: GcArray<u64> = GcArray::new(ul + 1, 0u64);
    un.set(ul, u.get(ul - 1) >> rs);
    i = ul - 1;
    while i > 0 {
        un.set(i, ((u.get(i) << s) & MASK) | (u.get(i - 1) >> rs));
        i -= 1;
    }
    un.set(0, (u.get(0) << s) & MASK);

    let q: GcArray<u64> = GcArray::new(m + 1, 0u64);
    let vtop = vn.get(n - 1);
    let vnext = vn.get(n - 2);
    let mut j: usize = m + 1;
    while j > 0 {
        j -= 1;
        let num = (un.get(j + n) << 32) | un.get(j + n - 1);
        let mut qhat = num / vtop;
        let mut rhat = num % vtop;
        while qhat >= BASE || qhat * vnext > ((rhat << 32) | un.get(j + n - 2)) {
            qhat -= 1;
            rhat += vtop;
            if rhat >= BASE {
                break;
            }
        }
        // Multiply and subtract qhat * vn from un[j..j+n].
        let mut carry: u64 = 0;
        let mut borrow: u64 = 0;
        let mut k: usize = 0;
        while k < n {
            let p = qhat * vn.get(k) + carry;
            carry = p >> 32;
            let d = un.get(j + k) + BASE - (p & MASK) - borrow;
            un.set(j + k, d & MASK);
            borrow = 1 - (d >> 32);
            k += 1;
        }
        let d = un.get(j + n) + BASE - carry - borrow;
        un.set(j + n, d & MASK);
        borrow = 1 - (d >> 32);
        if borrow != 0 {
            // Estimate one too large: add the divisor back.
            qhat -= 1;
            let mut c: u64 = 0;
            k = 0;
            while k < n {
                let t = un.get(j + k) + vn.get(k) + c;
                un.set(j + k, t & MASK);
                c = t >> 32;
                k += 1;
            }
            un.set(j + n, (un.get(j + n) + c) & MASK);
        }
        q.set(j, qhat);
    }
    // Remainder: un[0..n] shifted right by s.
    let r: GcArray<u64> = GcArray::new(n, 0u64);
    i = 0;
    while i < n {
        r.set(i, (un.get(i) >> s) | ((un.get(i + 1) << rs) & MASK));
        i += 1;
    }
    (trim(q, m + 1), trim(r, n))
}

/// a << n.
fn mag_shl(a: GcArray<u64>, n: u64) -> GcArray<u64> {
    let la = a.len();
    if la == 0 {
        return a;
    }
    let limbs = (n / 32) as usize;
    let bits = n % 32;
    let len = la + limbs + 1;
    let r: GcArray<u64> = GcArray::new(len, 0u64);
    let mut carry: u64 = 0;
    let mut i: usize = 0;
    while i < la {
        let v = a.get(i);
        r.set(i + limbs, ((v << bits) & MASK) | carry);
        carry = v >> (32 - bits); // 32 - bits in 1..=32: v >> 32 == 0
        i += 1;
    }
    r.set(la + limbs, carry);
    trim(r, len)
}

/// a >> n (truncating).
fn mag_shr(a: GcArray<u64>, n: u64) -> GcArray<u64> {
    let la = a.len();
    let limbs64 = n / 32;
    if limbs64 >= la as u64 {
        return mag_zero();
    }
    let limbs = limbs64 as usize;
    let bits = n % 32;
    let rl = la - limbs;
    let r: GcArray<u64> = GcArray::new(rl, 0u64);
    let mut i: usize = 0;
    while i < rl {
        let lo = a.get(i + limbs) >> bits;
        let hi: u64 = if i + limbs + 1 < la {
            (a.get(i + limbs + 1) << (32 - bits)) & MASK
        } else {
            0
        };
        r.set(i, lo | hi);
        i += 1;
    }
    trim(r, rl)
}

/// Whether any of the `n` low bits of `a` is set.
fn mag_low_bits_nonzero(a: GcArray<u64>, n: u64) -> bool {
    let la = a.len();
    let limbs64 = n / 32;
    let full: usize = if limbs64 >= la as u64 {
        la
    } else {
        limbs64 as usize
    };
    let mut i: usize = 0;
    while i < full {
        if a.get(i) != 0 {
            return true;
        }
        i += 1;
    }
    if full < la {
        let bits = n % 32;
        if bits > 0 && (a.get(full) & ((1u64 << bits) - 1)) != 0 {
            return true;
        }
    }
    false
}

/// Bit `i` of a magnitude.
fn mag_bit(a: GcArray<u64>, i: u64) -> bool {
    let limb = i / 32;
    if limb >= a.len() as u64 {
        return false;
    }
    ((a.get(limb as usize) >> (i % 32)) & 1) == 1
}

/// a * a: like `mag_mul`, but each cross product a[i]*a[j] (i < j) is computed once and
/// doubled (schoolbook), and Karatsuba's three half-size products are squares.
fn mag_sqr(a: GcArray<u64>) -> GcArray<u64> {
    let n = a.len();
    if n < 2 {
        return mag_mul(a, a);
    }
    if n >= KARATSUBA_CUTOFF {
        let h = (n + 1) / 2;
        let lo = mag_slice(a, 0, h);
        let hi = mag_slice(a, h, n - h);
        let z0 = mag_sqr(lo);
        let z2 = mag_sqr(hi);
        let z1 = mag_sqr(mag_add(lo, hi));
        let r: GcArray<u64> = GcArray::new(2 * n + 1, 0u64);
        add_into(r, 0, z0);
        add_into(r, 2 * h, z2);
        add_into(r, h, z1);
        sub_into(r, h, z0);
        sub_into(r, h, z2);
        return trim(r, 2 * n + 1);
    }
    let r: GcArray<u64> = GcArray::new(2 * n, 0u64);
    // Cross products, each once: row i adds a[i] * a[i+1..n] at position 2i+1.
    let mut i: usize = 0;
    while i + 1 < n {
        let ai = a.get(i);
        let mut carry: u64 = 0;
        if ai != 0 {
            let mut j: usize = i + 1;
            while j < n {
                let t = ai * a.get(j) + r.get(i + j) + carry;
                r.set(i + j, t & MASK);
                carry = t >> 32;
                j += 1;
            }
        }
        r.set(i + n, carry);
        i += 1;
    }
    // Double them.
    let mut carry: u64 = 0;
    let mut k: usize = 0;
    while k < 2 * n {
        let t = (r.get(k) << 1) | carry;
        r.set(k, t & MASK);
        carry = t >> 32;
        k += 1;
    }
    // Add the squares a[i]^2 at position 2i.
    carry = 0;
    i = 0;
    while i < n {
        let ai = a.get(i);
        let p = ai * ai;
        let t = r.get(2 * i) + (p & MASK) + carry;
        r.set(2 * i, t & MASK);
        let t2 = r.get(2 * i + 1) + (p >> 32) + (t >> 32);
        r.set(2 * i + 1, t2 & MASK);
        carry = t2 >> 32;
        i += 1;
    }
    trim(r, 2 * n)
}

// ---------------------------------------------------------------------------------------------
// Public API: conversions and basic queries
// ---------------------------------------------------------------------------------------------

/// The BigInt equal to `v`.
pub fn from_i64(v: i64) -> Gc<BigInt> {
    let m: u64 = if v < 0 {
        0u64.wrapping_sub(v as u64)
    } else {
        v as u64
    };
    mk(v < 0, mag_from_u64(m))
}

/// `a` as an i64, or None if it does not fit.
pub fn to_i64(a: Gc<BigInt>) -> Option<i64> {
    if a.mag.len() > 2 {
        return None;
    }
    let m = mag_low_u64(a.mag);
    if a.neg {
        if m > 0x8000_0000_0000_0000 {
            None
        } else {
            Some(0u64.wrapping_sub(m) as i64)
        }
    } else if m > 0x7FFF_FFFF_FFFF_FFFF {
        None
    } else {
        Some(m as i64)
    }
}

/// a == 0.
pub fn is_zero(a: Gc<BigInt>) -> bool {
    a.mag.len() == 0
}

/// Number of bits of |a| (Python's `int.bit_length`).
pub fn bit_length(a: Gc<BigInt>) -> i64 {
    mag_bit_length(a.mag) as i64
}

/// Compares two integers: -1, 0 or 1.
pub fn cmp(a: Gc<BigInt>, b: Gc<BigInt>) -> i64 {
    if a.neg != b.neg {
        return if a.neg { -1 } else { 1 };
    }
    let c = mag_cmp(a.mag, b.mag);
    if a.neg {
        -c
    } else {
        c
    }
}

/// -a.
pub fn neg(a: Gc<BigInt>) -> Gc<BigInt> {
    mk(!a.neg, a.mag)
}

/// |a|.
pub fn abs(a: Gc<BigInt>) -> Gc<BigInt> {
    if a.neg {
        mk(false, a.mag)
    } else {
        a
    }
}

// ---------------------------------------------------------------------------------------------
// Public API: arithmetic
// ---------------------------------------------------------------------------------------------

/// (-1)^an * am + (-1)^bn * bm.
fn add_signed(an: bool, am: GcArray<u64>, bn: bool, bm: GcArray<u64>) -> Gc<BigInt> {
    if an == bn {
        return mk(an, mag_add(am, bm));
    }
    let c = mag_cmp(am, bm);
    if c == 0 {
        mk(false, mag_zero())
    } else if c > 0 {
        mk(an, mag_sub(am, bm))
    } else {
        mk(bn, mag_sub(bm, am))
    }
}

/// a + b.
pub fn add(a: Gc<BigInt>, b: Gc<BigInt>) -> Gc<BigInt> {
    add_signed(a.neg, a.mag, b.neg, b.mag)
}

/// a - b.
pub fn sub(a: Gc<BigInt>, b: Gc<BigInt>) -> Gc<BigInt> {
    add_signed(a.neg, a.mag, !b.neg, b.mag)
}

/// a * b.
pub fn mul(a: Gc<BigInt>, b: Gc<BigInt>) -> Gc<BigInt> {
    mk(a.neg != b.neg, mag_mul(a.mag, b.mag))
}

/// Python's divmod: q = floor(a / b), r = a - q*b (r has b's sign). b != 0.
///
/// From the truncated |a| = Q|b| + R: same signs give (Q, ±R); different signs give
/// (-Q, 0) when R == 0 and (-(Q+1), sign(b) * (|b| - R)) otherwise.
pub fn divmod(a: Gc<BigInt>, b: Gc<BigInt>) -> (Gc<BigInt>, Gc<BigInt>) {
    if b.mag.len() == 0 {
        panic!("bigint division by zero");
    }
    let (q, r) = mag_divmod(a.mag, b.mag);
    if a.neg == b.neg {
        return (mk(false, q), mk(a.neg, r));
    }
    if r.len() == 0 {
        return (mk(true, q), mk(false, r));
    }
    let q1 = mag_add(q, GcArray::new(1, 1u64));
    (mk(true, q1), mk(b.neg, mag_sub(b.mag, r)))
}

/// a // b (floor division). b != 0.
pub fn floordiv(a: Gc<BigInt>, b: Gc<BigInt>) -> Gc<BigInt> {
    divmod(a, b).0
}

/// a % b (result has b's sign). b != 0.
pub fn modulo(a: Gc<BigInt>, b: Gc<BigInt>) -> Gc<BigInt> {
    divmod(a, b).1
}

/// a ** e, by right-to-left binary exponentiation (square the base, multiply it into the
/// result for every set bit of e). ±2^k becomes a shift, 0 and ±1 are immediate.
pub fn pow(a: Gc<BigInt>, e: u64) -> Gc<BigInt> {
    let rneg = a.neg && (e & 1) == 1;
    if e == 0 {
        return from_i64(1);
    }
    let la = a.mag.len();
    if la == 0 {
        return a;
    }
    let bl = mag_bit_length(a.mag);
    if !mag_low_bits_nonzero(a.mag, bl - 1) {
        // |a| == 2^(bl-1)
        let sh = match (bl - 1).checked_mul(e) {
            Some(x) => x,
            None => panic!("bigint pow: result too large"),
        };
        return mk(rneg, mag_shl(GcArray::new(1, 1u64), sh));
    }
    let mut result: GcArray<u64> = GcArray::new(1, 1u64);
    let mut base = a.mag;
    let mut k = e;
    loop {
        if (k & 1) == 1 {
            result = mag_mul(result, base);
        }
        k >>= 1;
        if k == 0 {
            break;
        }
        base = mag_sqr(base);
    }
    mk(rneg, result)
}

/// pow(a, e, m) like Python's three-argument pow: e >= 0, m != 0; the result lies in
/// [0, m) for m > 0 and (m, 0] for m < 0. Left-to-right binary exponentiation modulo |m|.
pub fn pow_mod(a: Gc<BigInt>, e: Gc<BigInt>, m: Gc<BigInt>) -> Gc<BigInt> {
    let mm = m.mag;
    if mm.len() == 0 {
        panic!("bigint pow_mod: zero modulus");
    }
    if mm.len() == 1 && mm.get(0) == 1 {
        return mk(false, mag_zero());
    }
    // base = a mod |m| in [0, |m|).
    let base: GcArray<u64> = divmod(a, mk(false, mm)).1.mag;
    let mut result: GcArray<u64> = GcArray::new(1, 1u64);
    let nbits = mag_bit_length(e.mag);
    let mut i: u64 = nbits;
    while i > 0 {
        i -= 1;
        result = mag_divmod(mag_sqr(result), mm).1;
        if mag_bit(e.mag, i) {
            result = mag_divmod(mag_mul(result, base), mm).1;
        }
    }
    if m.neg && result.len() > 0 {
        return mk(true, mag_sub(mm, result));
    }
    mk(false, result)
}

// ---------------------------------------------------------------------------------------------
// Public API: bitwise operations and shifts
// ---------------------------------------------------------------------------------------------

/// The `n`-limb two's-complement form of `a` (n > a.mag.len(), so the top limb holds the
/// sign): |a| itself, or ~(|a| - 1) for negatives.
fn to_twos(a: Gc<BigInt>, n: usize) -> GcArray<u64> {
    let r: GcArray<u64> = GcArray::new(n, 0u64);
    let m = a.mag;
    let la = m.len();
    let mut i: usize = 0;
    if !a.neg {
        while i < la {
            r.set(i, m.get(i));
            i += 1;
        }
        return r;
    }
    let mut borrow: u64 = 1;
    while i < n {
        let x: u64 = if i < la { m.get(i) } else { 0 };
        let d = x + BASE - borrow;
        borrow = 1 - (d >> 32);
        r.set(i, (!d) & MASK);
        i += 1;
    }
    r
}

/// The integer whose n-limb two's-complement form is `r` (negative if `neg`).
fn from_twos(r: GcArray<u64>, neg: bool) -> Gc<BigInt> {
    let n = r.len();
    if !neg {
        return mk(false, trim(r, n));
    }
    // |value| = ~r + 1
    let mut carry: u64 = 1;
    let mut i: usize = 0;
    while i < n {
        let x = ((!r.get(i)) & MASK) + carry;
        r.set(i, x & MASK);
        carry = x >> 32;
        i += 1;
    }
    mk(true, trim(r, n))
}

/// Bitwise operation `op` (0 and, 1 or, 2 xor) on two's-complement forms.
fn bitop(a: Gc<BigInt>, b: Gc<BigInt>, op: i64) -> Gc<BigInt> {
    let la = a.mag.len();
    let lb = b.mag.len();
    let n = (if la > lb { la } else { lb }) + 1;
    let x = to_twos(a, n);
    let y = to_twos(b, n);
    let mut i: usize = 0;
    while i < n {
        let u = x.get(i);
        let v = y.get(i);
        let w = if op == 0 {
            u & v
        } else if op == 1 {
            u | v
        } else {
            u ^ v
        };
        x.set(i, w);
        i += 1;
    }
    let rneg = if op == 0 {
        a.neg && b.neg
    } else if op == 1 {
        a.neg || b.neg
    } else {
        a.neg != b.neg
    };
    from_twos(x, rneg)
}

/// a & b (Python semantics on negatives: infinite two's complement).
pub fn bit_and(a: Gc<BigInt>, b: Gc<BigInt>) -> Gc<BigInt> {
    if !a.neg && !b.neg {
        // Fast path: only the common low limbs matter.
        let n = if a.mag.len() < b.mag.len() {
            a.mag.len()
        } else {
            b.mag.len()
        };
        let r: GcArray<u64> = GcArray::new(n, 0u64);
        let mut i: usize = 0;
        while i < n {
            r.set(i, a.mag.get(i) & b.mag.get(i));
            i += 1;
        }
        return mk(false, trim(r, n));
    }
    bitop(a, b, 0)
}

/// a | b.
pub fn bit_or(a: Gc<BigInt>, b: Gc<BigInt>) -> Gc<BigInt> {
    bitop(a, b, 1)
}

/// a ^ b.
pub fn bit_xor(a: Gc<BigInt>, b: Gc<BigInt>) -> Gc<BigInt> {
    bitop(a, b, 2)
}

/// ~a == -a - 1.
pub fn invert(a: Gc<BigInt>) -> Gc<BigInt> {
    let one: GcArray<u64> = GcArray::new(1, 1u64);
    if a.neg {
        // ~(-m) = m - 1
        mk(false, mag_sub(a.mag, one))
    } else {
        // ~m = -(m + 1)
        mk(true, mag_add(a.mag, one))
    }
}

/// a << n.
pub fn shl(a: Gc<BigInt>, n: u64) -> Gc<BigInt> {
    mk(a.neg, mag_shl(a.mag, n))
}

/// a >> n with floor semantics: for negative a, -ceil(|a| / 2^n).
pub fn shr(a: Gc<BigInt>, n: u64) -> Gc<BigInt> {
    let q = mag_shr(a.mag, n);
    if a.neg && mag_low_bits_nonzero(a.mag, n) {
        return mk(true, mag_add(q, GcArray::new(1, 1u64)));
    }
    mk(a.neg, q)
}

// ---------------------------------------------------------------------------------------------
// Public API: strings
// ---------------------------------------------------------------------------------------------

/// The ASCII digit for 0..=35 (lowercase letters).
fn digit_char(d: u64) -> u8 {
    if d < 10 {
        b'0' + (d as u8)
    } else {
        b'a' + ((d - 10) as u8)
    }
}

/// The value of an ASCII digit or letter, or 99 if it is neither.
fn digit_value(c: u8) -> u64 {
    if c >= b'0' && c <= b'9' {
        (c - b'0') as u64
    } else if c >= b'a' && c <= b'z' {
        (c - b'a') as u64 + 10
    } else if c >= b'A' && c <= b'Z' {
        (c - b'A') as u64 + 10
    } else {
        99
    }
}

/// The largest power of `base` below 2^32 and its exponent: (base^k, k).
fn chunk_power(base: u64) -> (u64, u64) {
    let mut p: u64 = base;
    let mut k: u64 = 1;
    while p * base < BASE {
        p *= base;
        k += 1;
    }
    (p, k)
}

/// Divides the limbs `w[0..len]` in place by `d` (< 2^32); returns the remainder.
fn div_in_place(w: GcArray<u64>, len: usize, d: u64) -> u64 {
    let mut rem: u64 = 0;
    let mut j = len;
    while j > 0 {
        j -= 1;
        let cur = (rem << 32) | w.get(j);
        let q = cur / d;
        w.set(j, q);
        rem = cur - q * d;
    }
    rem
}

/// `div_in_place(w, len, 10^9)` with a constant divisor, which compilers turn into a
/// multiplication (decimal output's inner loop).
fn div_in_place_1e9(w: GcArray<u64>, len: usize) -> u64 {
    let mut rem: u64 = 0;
    let mut j = len;
    while j > 0 {
        j -= 1;
        let cur = (rem << 32) | w.get(j);
        let q = cur / 1_000_000_000;
        w.set(j, q);
        rem = cur - q * 1_000_000_000;
    }
    rem
}

/// `a` in `base` (2..=36; pyvm uses 2, 8, 10, 16): lowercase digits, a leading '-' for
/// negatives, no prefix.
///
/// Bases 2, 4, 8, 16 and 32 extract each digit's bits directly. Other bases divide a scratch
/// copy of the magnitude by base^k (the largest power below 2^32, 10^9 for decimal) in place,
/// collecting k-digit chunks from least significant up; each pass is one `u64` division per
/// limb, and the magnitude shrinks as it goes.
pub fn to_str(a: Gc<BigInt>, base: i64) -> Str {
    if base < 2 || base > 36 {
        panic!("bigint to_str: bad base");
    }
    let mag = a.mag;
    let la = mag.len();
    if la == 0 {
        return Str::from("0");
    }
    let sb = StrBuilder::new();
    if a.neg {
        sb.push_byte(b'-');
    }
    let b = base as u64;
    if (b & (b - 1)) == 0 {
        let w = word_bits(b) - 1; // bits per digit
        let bl = mag_bit_length(mag);
        let ndig = (bl + w - 1) / w;
        let dmask: u64 = b - 1;
        let mut d = ndig;
        while d > 0 {
            d -= 1;
            let pos = d * w;
            let limb = (pos / 32) as usize;
            let off = pos % 32;
            let mut v = mag.get(limb) >> off;
            if off + w > 32 && limb + 1 < la {
                v |= mag.get(limb + 1) << (32 - off);
            }
            sb.push_byte(digit_char(v & dmask));
        }
        return sb.build();
    }
    let (p, k) = chunk_power(b);
    // Scratch copy.
    let w: GcArray<u64> = GcArray::new(la, 0u64);
    let mut i: usize = 0;
    while i < la {
        w.set(i, mag.get(i));
        i += 1;
    }
    // Room for every chunk: each pass divides by base^k >= 2^32 / base > 2^26 (base <= 36), so
    // there are at most bits/26 + 1 chunks.
    let cap = la * 32 / 26 + 2;
    let chunks: GcArray<u64> = GcArray::new(cap, 0u64);
    let mut nc: usize = 0;
    let mut wl = la;
    while wl > 0 {
        let rem: u64 = if b == 10 {
            div_in_place_1e9(w, wl)
        } else {
            div_in_place(w, wl, p)
        };
        while wl > 0 && w.get(wl - 1) == 0 {
            wl -= 1;
        }
        chunks.set(nc, rem);
        nc += 1;
    }
    // Most significant chunk without leading zeros.
    let top = chunks.get(nc - 1);
    let tmp: GcArray<u8> = GcArray::new(k as usize, 0u8);
    let mut t = top;
    let mut tn: usize = 0;
    while t > 0 {
        tmp.set(tn, digit_char(t % b));
        t /= b;
        tn += 1;
    }
    while tn > 0 {
        tn -= 1;
        sb.push_byte(tmp.get(tn));
    }
    // Other chunks with exactly k digits.
    let mut c = nc - 1;
    while c > 0 {
        c -= 1;
        let mut v = chunks.get(c);
        let mut q: usize = 0;
        while q < k as usize {
            tmp.set(q, digit_char(v % b));
            v /= b;
            q += 1;
        }
        while q > 0 {
            q -= 1;
            sb.push_byte(tmp.get(q));
        }
    }
    sb.build()
}

/// Parses an optionally signed ('+'/'-') string of digits in `base` (2..=36, letters in either
/// case). None if there are no digits or a character is not a digit of the base. Whitespace,
/// underscores and prefixes must be stripped by the caller.
///
/// Digits are consumed in chunks of k (base^k < 2^32): the accumulator is multiplied by
/// base^k and the chunk value added, in place.
pub fn from_str(s: Str, base: i64) -> Option<Gc<BigInt>> {
    if base < 2 || base > 36 {
        return None;
    }
    let b = base as u64;
    let len = s.len();
    let mut start: usize = 0;
    let mut negative = false;
    if len > 0 {
        let c = s.byte_at(0);
        if c == b'-' {
            negative = true;
            start = 1;
        } else if c == b'+' {
            start = 1;
        }
    }
    if start >= len {
        return None;
    }
    let nd = len - start;
    // Validate first.
    let mut i: usize = start;
    while i < len {
        if digit_value(s.byte_at(i)) >= b {
            return None;
        }
        i += 1;
    }
    let k = chunk_power(b).1 as usize;
    // Capacity: at most 6 bits per digit (base <= 36 < 64).
    let cap = nd * (word_bits(b) as usize) / 32 + 2;
    let r: GcArray<u64> = GcArray::new(cap, 0u64);
    let mut rl: usize = 0;
    let first = nd % k;
    let mut pos: usize = start;
    let mut chunk_len = if first == 0 { k } else { first };
    while pos < len {
        // Chunk value and multiplier.
        let mut cv: u64 = 0;
        let mut mult: u64 = 1;
        let mut q: usize = 0;
        while q < chunk_len {
            cv = cv * b + digit_value(s.byte_at(pos + q));
            mult *= b;
            q += 1;
        }
        let m = mult; // base^chunk_len (== p for full chunks)
                      // r = r * m + cv
        let mut carry: u64 = cv;
        let mut j: usize = 0;
        while j < rl {
            let t = r.get(j) * m + carry;
            r.set(j, t & MASK);
            carry = t >> 32;
            j += 1;
        }
        if carry != 0 {
            r.set(rl, carry);
            rl += 1;
        }
        pos += chunk_len;
        chunk_len = k;
    }
    Some(mk(negative, trim(r, rl)))
}

// ---------------------------------------------------------------------------------------------
// Public API: floats and hashing
// ---------------------------------------------------------------------------------------------

/// 2^e exactly, for -1074 <= e <= 1023 (binary powering: every partial product is a power of
/// two in the representable range, so no rounding ever happens).
fn pow2(e: i64) -> f64 {
    let mut n: i64 = if e < 0 { -e } else { e };
    let mut b: f64 = if e < 0 { 0.5 } else { 2.0 };
    let mut r: f64 = 1.0;
    while n > 0 {
        if (n & 1) == 1 {
            r *= b;
        }
        n >>= 1;
        if n > 0 {
            b *= b;
        }
    }
    r
}

/// float(a), correctly rounded (round-half-even); None if it overflows.
///
/// Up to 64 bits, `u64 as f64` rounds correctly by itself. Above, the top 64 bits are taken
/// with a sticky bit (OR-ed into bit 0, far below the rounding position) so that the single
/// rounding of `u64 as f64` is the correct one, then scaled exactly by 2^(bits-64).
pub fn to_f64(a: Gc<BigInt>) -> Option<f64> {
    let bl = mag_bit_length(a.mag);
    let f: f64 = if bl <= 64 {
        mag_low_u64(a.mag) as f64
    } else {
        if bl > 1024 {
            return None;
        }
        let sh = bl - 64;
        let mut top = mag_low_u64(mag_shr(a.mag, sh));
        if mag_low_bits_nonzero(a.mag, sh) {
            top |= 1;
        }
        let g = (top as f64) * pow2(sh as i64);
        if g == f64::INFINITY {
            return None;
        }
        g
    };
    Some(if a.neg { -f } else { f })
}

/// int(f): truncates toward zero; f must be finite.
///
/// |f| < 2^64 converts with `as u64`. Above, |f| is scaled down by an exact power of two
/// 2^s into [2^63, 2^64), where every float is an integer, so |f| = y * 2^s exactly.
pub fn from_f64(f: f64) -> Gc<BigInt> {
    let neg = f < 0.0;
    let x = if neg { -f } else { f };
    let two64: f64 = 18446744073709551616.0;
    if x < two64 {
        let m = x as u64; // truncates
        return mk(neg, mag_from_u64(m));
    }
    let mut y = x;
    let mut s: u64 = 0;
    let two96: f64 = 79228162514264337593543950336.0;
    let inv32: f64 = 1.0 / 4294967296.0;
    while y >= two96 {
        y *= inv32;
        s += 32;
    }
    while y >= two64 {
        y *= 0.5;
        s += 1;
    }
    mk(neg, mag_shl(mag_from_u64(y as u64), s))
}

/// a / b as a float, correctly rounded like CPython's int/int true division; b != 0; None on
/// overflow.
///
/// Both magnitudes below 2^53 divide exactly-rounded as floats. Otherwise the integer quotient
/// q = floor(|a| * 2^k / |b|) is computed with k chosen so that q has 55 to 57 bits, with a
/// sticky flag for a non-zero remainder. The exponent of the result fixes the position of its
/// last mantissa bit (53 significant bits, fewer in the subnormal range); q is rounded half to
/// even at that position by hand, and the mantissa (< 2^53, exact as a float) is multiplied by
/// an exact power of two, which is exact since the result is representable.
pub fn truediv(a: Gc<BigInt>, b: Gc<BigInt>) -> Option<f64> {
    let bn = b.mag;
    if bn.len() == 0 {
        panic!("bigint truediv: division by zero");
    }
    let rneg = a.neg != b.neg;
    let am = a.mag;
    if am.len() == 0 {
        return Some(if rneg { -0.0 } else { 0.0 });
    }
    let bla = mag_bit_length(am);
    let blb = mag_bit_length(bn);
    if bla <= 53 && blb <= 53 {
        let f = (mag_low_u64(am) as f64) / (mag_low_u64(bn) as f64);
        return Some(if rneg { -f } else { f });
    }
    let diff: i64 = (bla as i64) - (blb as i64);
    // Quick overflow / underflow screening: a/b in (2^(diff-1), 2^(diff+1)).
    if diff > 1025 {
        return None;
    }
    if diff < -1080 {
        return Some(if rneg { -0.0 } else { 0.0 });
    }
    let k: i64 = 55 - diff;
    let (num, den) = if k >= 0 {
        (mag_shl(am, k as u64), bn)
    } else {
        (am, mag_shl(bn, (-k) as u64))
    };
    let (qm, rm) = mag_divmod(num, den);
    let q = mag_low_u64(qm); // 2^54 <= q < 2^57
    let sticky = rm.len() > 0;
    let qbits = word_bits(q) as i64;
    // value ~ q * 2^-k; floor(log2(value)) = qbits - 1 - k.
    let e = qbits - 1 - k;
    let lsb = if e - 52 > -1074 { e - 52 } else { -1074 };
    let d = lsb + k; // bits of q to drop, >= 2
    let m: u64 = if d >= 64 {
        0 // q < 2^57 <= half: rounds to zero
    } else {
        let du = d as u64;
        let t = q >> du;
        let rem = q & ((1u64 << du) - 1);
        let half = 1u64 << (du - 1);
        if rem > half || (rem == half && (sticky || (t & 1) == 1)) {
            t + 1
        } else {
            t
        }
    };
    // m <= 2^53; value = m * 2^lsb.
    if m == 0 {
        return Some(if rneg { -0.0 } else { 0.0 });
    }
    let top = (word_bits(m) as i64) - 1 + lsb;
    if top > 1023 {
        return None;
    }
    let f = (m as f64) * pow2(lsb);
    Some(if rneg { -f } else { f })
}

/// Python's hash(int): |a| modulo 2^61-1 (limbs folded from the top: multiplying by 2^32
/// modulo 2^61-1 is a 61-bit rotation), the sign restored, and -1 mapped to -2.
pub fn hash(a: Gc<BigInt>) -> i64 {
    let m = a.mag;
    let mut h: u64 = 0;
    let mut i: usize = m.len();
    while i > 0 {
        i -= 1;
        h = ((h << 32) & HASH_MODULUS) | (h >> 29);
        h += m.get(i);
        if h >= HASH_MODULUS {
            h -= HASH_MODULUS;
        }
    }
    let mut r = h as i64;
    if a.neg {
        r = -r;
    }
    if r == -1 {
        r = -2;
    }
    r
}
