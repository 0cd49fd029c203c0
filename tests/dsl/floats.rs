//! Floats: f64 arithmetic, `sqrt floor ceil abs powi powf min max sin cos exp ln is_nan`, casts
//! f64 <-> i64 (truncation and Rust's saturation), and `Str::from_f64` of awkward values.

use vmkit::io::print;
use vmkit::{GcList, Str};

fn show(label: Str, v: f64) {
    print(label);
    print(Str::from(" = "));
    print(Str::from_f64(v));
    print(Str::from("\n"));
}

fn show_i(label: Str, v: i64) {
    print(label);
    print(Str::from(" = "));
    print(Str::from_i64(v));
    print(Str::from("\n"));
}

fn show_b(label: Str, v: bool) {
    print(label);
    if v {
        print(Str::from(" = true\n"));
    } else {
        print(Str::from(" = false\n"));
    }
}

/// Newton's method for the square root, compared with `sqrt` below.
fn newton_sqrt(x: f64) -> f64 {
    let mut g: f64 = x / 2.0;
    let mut i: i64 = 0;
    while i < 30 {
        g = (g + x / g) / 2.0;
        i += 1;
    }
    g
}

#[vmkit::entry]
pub fn entry(args: GcList<Str>) -> i64 {
    show(Str::from("0.1"), 0.1);
    show(Str::from("1.0"), 1.0);
    show(Str::from("1e20"), 1e20);
    show(Str::from("1e15"), 1e15);
    show(Str::from("1e16"), 1e16);
    show(Str::from("1.5e-7"), 1.5e-7);
    show(Str::from("0.0"), 0.0);
    show(Str::from("-0.0"), -0.0);
    show(Str::from("NaN"), f64::NAN);
    show(Str::from("inf"), f64::INFINITY);
    show(Str::from("-inf"), -f64::INFINITY);
    show(Str::from("0.1+0.2"), 0.1 + 0.2);
    show(Str::from("1/3"), 1.0 / 3.0);
    show(Str::from("2/3"), 2.0 / 3.0);
    show(Str::from("100/7"), 100.0 / 7.0);
    show(Str::from("-2.5*4"), -2.5 * 4.0);
    show(Str::from("7.5-10"), 7.5 - 10.0);
    show(Str::from("7.5%2"), 7.5 % 2.0);
    show(Str::from("-7.5%2"), -7.5 % 2.0);
    show(Str::from("1/0"), 1.0 / 0.0);
    show(Str::from("-1/0"), -1.0 / 0.0);
    show(Str::from("0/0"), 0.0 / 0.0);
    show(Str::from("1/-inf"), 1.0 / -f64::INFINITY);

    let two: f64 = 2.0;
    show(Str::from("sqrt 2"), two.sqrt());
    show(Str::from("newton sqrt 2"), newton_sqrt(2.0));
    show(Str::from("sqrt -1"), (-1.0f64).sqrt());
    show(Str::from("floor 2.7"), 2.7f64.floor());
    show(Str::from("floor -2.7"), (-2.7f64).floor());
    show(Str::from("ceil 2.1"), 2.1f64.ceil());
    show(Str::from("ceil -2.1"), (-2.1f64).ceil());
    show(Str::from("ceil -0.5"), (-0.5f64).ceil());
    show(Str::from("abs -3.25"), (-3.25f64).abs());
    show(Str::from("abs -0.0"), (-0.0f64).abs());
    show(Str::from("powi 1.5^3"), 1.5f64.powi(3));
    show(Str::from("powi 2^-2"), two.powi(-2));
    show(Str::from("powi 2^0"), two.powi(0));
    show(Str::from("powf 2^0.5"), two.powf(0.5));
    show(Str::from("powf 9^1.5"), 9.0f64.powf(1.5));
    show(Str::from("min"), 3.5f64.min(-1.0));
    show(Str::from("max"), 3.5f64.max(-1.0));
    show(Str::from("max with NaN"), f64::NAN.max(4.0));
    show(Str::from("sin 0"), 0.0f64.sin());
    show(Str::from("cos 0"), 0.0f64.cos());
    show(Str::from("exp 0"), 0.0f64.exp());
    show(Str::from("ln 1"), 1.0f64.ln());
    show(Str::from("exp 1"), 1.0f64.exp());
    show(Str::from("ln 0"), 0.0f64.ln());

    show_b(Str::from("is_nan NaN"), f64::NAN.is_nan());
    show_b(Str::from("is_nan inf"), f64::INFINITY.is_nan());
    let nan: f64 = f64::NAN;
    show_b(Str::from("NaN == NaN"), nan == nan);
    show_b(Str::from("NaN != NaN"), nan != nan);
    show_b(Str::from("NaN < 1"), nan < 1.0);
    show_b(Str::from("NaN >= 1"), nan >= 1.0);
    show_b(Str::from("-0.0 == 0.0"), -0.0 == 0.0);
    show_b(Str::from("0.1+0.2 == 0.3"), 0.1 + 0.2 == 0.3);
    show_b(Str::from("1 < inf"), 1.0 < f64::INFINITY);
    show_b(Str::from("2.5 >= 2.5"), 2.5 >= 2.5);

    show_i(Str::from("2.9 as i64"), 2.9f64 as i64);
    show_i(Str::from("-2.9 as i64"), -2.9f64 as i64);
    show_i(Str::from("1e20 as i64"), 1e20f64 as i64);
    show_i(Str::from("-1e20 as i64"), -1e20f64 as i64);
    show_i(Str::from("NaN as i64"), f64::NAN as i64);
    show_i(Str::from("300.7 as u8"), (300.7f64 as u8) as i64);
    show_i(Str::from("-3.0 as u8"), (-3.0f64 as u8) as i64);
    show(Str::from("7 as f64 / 2"), 7i64 as f64 / 2.0);
    show(Str::from("MAX as f64"), i64::MAX as f64);
    show(Str::from("MIN as f64"), i64::MIN as f64);
    show(Str::from("(1<<53)+1 as f64"), ((1i64 << 53) + 1) as f64);
    show(Str::from("u64::MAX as f64"), u64::MAX as f64);
    show(Str::from("200u8 as f64"), 200u8 as f64);
    show(Str::from("true as u8 as f64"), true as u8 as f64);

    let mut acc: f64 = 0.0;
    let mut i: i64 = 1;
    while i <= 10 {
        acc += 1.0 / (i as f64);
        i += 1;
    }
    show(Str::from("H(10)"), acc);
    let mut y: f64 = 10.0;
    y -= 0.5;
    y *= 2.0;
    y /= 4.0;
    show(Str::from("compound"), y);
    show(Str::from("-y"), -y);
    0
}
