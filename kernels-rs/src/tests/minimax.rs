//! Where math.rs's f32 polynomial coefficients come from: a small Remez exchange
//! (in f64) for the weighted minimax polynomial, and tests that re-run it and
//! check the committed coefficients are its result rounded to f32.
//!
//! Each fit approximates a smooth kernel g on a reduced interval by a polynomial
//! p of degree `deg`, minimising max |w(x) * (p(x) - g(x))|, where w turns an
//! error in p into the relative error of the final function (see each case).

/// Coefficients (constant term first) of the weighted minimax polynomial of
/// degree `deg` for `g` on [a, b], and the levelled weighted error |E|.
pub fn remez(g: &dyn Fn(f64) -> f64, w: &dyn Fn(f64) -> f64, a: f64, b: f64, deg: usize) -> (Vec<f64>, f64) {
    let m = deg + 2;
    let (mid, half) = ((a + b) / 2.0, (b - a) / 2.0);
    // Chebyshev roots as the first reference (never exactly on a weight's zero).
    let mut refs: Vec<f64> = (0..m)
        .map(|i| mid - half * (core::f64::consts::PI * (i as f64 + 0.5) / m as f64).cos())
        .collect();
    let grid: Vec<f64> = (0..=20_000).map(|i| a + (b - a) * i as f64 / 20_000.0).collect();
    let mut coef = vec![0.0; deg + 1];
    let mut level = 0.0;
    for _ in 0..30 {
        // Solve w_i * p(x_i) - (-1)^i E = w_i * g(x_i) for the coefficients and E.
        let mut rows: Vec<Vec<f64>> = refs
            .iter()
            .enumerate()
            .map(|(i, &x)| {
                let wx = w(x);
                let mut row: Vec<f64> = (0..=deg).map(|k| wx * x.powi(k as i32)).collect();
                row.push(if i % 2 == 0 { -1.0 } else { 1.0 });
                row.push(wx * g(x));
                row
            })
            .collect();
        let sol = solve(&mut rows);
        coef.copy_from_slice(&sol[..=deg]);
        level = sol[deg + 1].abs();
        // New reference: the extremum of each same-sign run of the error curve,
        // trimmed to m alternating points by dropping the smaller end.
        let err = |x: f64| w(x) * (eval(&coef, x) - g(x));
        let mut ext: Vec<(f64, f64)> = Vec::new();
        for &x in &grid {
            let e = err(x);
            if e == 0.0 {
                continue; // on a zero of the weight: no sign, never an extremum
            }
            match ext.last_mut() {
                Some(last) if (last.1 > 0.0) == (e > 0.0) => {
                    if e.abs() > last.1.abs() {
                        *last = (x, e);
                    }
                }
                _ => ext.push((x, e)),
            }
        }
        while ext.len() > m {
            if ext[0].1.abs() < ext[ext.len() - 1].1.abs() {
                ext.remove(0);
            } else {
                ext.pop();
            }
        }
        if ext.len() < m {
            break; // already levelled to grid resolution
        }
        refs = ext.iter().map(|p| p.0).collect();
    }
    (coef, level)
}

/// Coefficients (constant terms first, `den[0] = 1`) of the weighted minimax
/// rational function num/den of degrees (m, n) for `g` on [0, b], and the level
/// |E| of max |w(x) * (num(x)/den(x) - g(x))|. Each exchange solves the linearised
/// system num(x_i) - g(x_i) den(x_i) = (-1)^i E den'(x_i) / w(x_i), with den' the
/// previous denominator, a few times until E settles. Works in t = x/b.
pub fn remez_rational(g: &dyn Fn(f64) -> f64, w: &dyn Fn(f64) -> f64, b: f64, m: usize, n: usize) -> (Vec<f64>, Vec<f64>, f64) {
    let k = m + n + 2;
    let mut refs: Vec<f64> = (0..k).map(|i| 0.5 - 0.5 * (core::f64::consts::PI * (i as f64 + 0.5) / k as f64).cos()).collect();
    let grid: Vec<f64> = (0..=40_000).map(|i| i as f64 / 40_000.0).collect();
    let (mut num, mut den, mut level) = (vec![0.0; m + 1], vec![1.0; n + 1], 0.0);
    den[1..].fill(0.0);
    for _ in 0..60 {
        for _ in 0..8 {
            let mut rows: Vec<Vec<f64>> = refs
                .iter()
                .enumerate()
                .map(|(i, &t)| {
                    let gx = g(t * b);
                    let s = if i % 2 == 0 { 1.0 } else { -1.0 };
                    let mut row: Vec<f64> = (0..=m).map(|j| t.powi(j as i32)).collect();
                    row.extend((1..=n).map(|j| -gx * t.powi(j as i32)));
                    row.push(-s * eval(&den, t) / w(t * b));
                    row.push(gx);
                    row
                })
                .collect();
            let sol = solve(&mut rows);
            num.copy_from_slice(&sol[..=m]);
            den[1..].copy_from_slice(&sol[m + 1..=m + n]);
            level = sol[m + n + 1].abs();
        }
        let err = |t: f64| w(t * b) * (eval(&num, t) / eval(&den, t) - g(t * b));
        let mut ext: Vec<(f64, f64)> = Vec::new();
        for &t in &grid {
            let e = err(t);
            if e == 0.0 {
                continue;
            }
            match ext.last_mut() {
                Some(last) if (last.1 > 0.0) == (e > 0.0) => {
                    if e.abs() > last.1.abs() {
                        *last = (t, e);
                    }
                }
                _ => ext.push((t, e)),
            }
        }
        while ext.len() > k {
            if ext[0].1.abs() < ext[ext.len() - 1].1.abs() {
                ext.remove(0);
            } else {
                ext.pop();
            }
        }
        if ext.len() < k {
            break;
        }
        refs = ext.iter().map(|p| p.0).collect();
    }
    let unscale = |c: &mut Vec<f64>| c.iter_mut().enumerate().for_each(|(j, v)| *v /= b.powi(j as i32));
    unscale(&mut num);
    unscale(&mut den);
    (num, den, level)
}

/// Horner evaluation, constant term first.
pub fn eval(c: &[f64], x: f64) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * x + k)
}

/// Gaussian elimination with partial pivoting on an augmented n x (n+1) system.
fn solve(a: &mut [Vec<f64>]) -> Vec<f64> {
    let n = a.len();
    for col in 0..n {
        let p = (col..n).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs())).unwrap();
        a.swap(col, p);
        for r in col + 1..n {
            let f = a[r][col] / a[col][col];
            for c in col..=n {
                a[r][c] -= f * a[col][c];
            }
        }
    }
    let mut x = vec![0.0; n];
    for r in (0..n).rev() {
        let s: f64 = (r + 1..n).map(|c| a[r][c] * x[c]).sum();
        x[r] = (a[r][n] - s) / a[r][r];
    }
    x
}

/// sum_k t_k with t_0 = `first` and t_k = t_{k-1} * ratio(k), to f64 precision.
fn series(first: f64, ratio: impl Fn(f64) -> f64) -> f64 {
    let (mut sum, mut term, mut k) = (0.0, first, 0.0);
    while term.abs() > 1e-30 {
        sum += term;
        k += 1.0;
        term *= ratio(k);
    }
    sum
}

/// The fits behind math.rs's f32 tables: (name, kernel, weight, interval, degree).
pub type Fit = (&'static str, fn(f64) -> f64, fn(f64) -> f64, f64, f64, usize);

/// e^r - 1 = r + r^2 P(r): P(r) = sum r^k/(k+2)!. An error d in P is r^2 d /
/// (e^r - 1) relative to e^r - 1 (the weight: expm1's relative accuracy, which
/// an exp-based tanh needs), and at most that relative to e^r.
fn exp_kernel(r: f64) -> f64 { series(0.5, |k| r / (k + 2.0)) }
fn exp_weight(r: f64) -> f64 { if r == 0.0 { 0.0 } else { (r * r / r.exp_m1()).abs() } }
/// log(1+f) = f - s (f - z U(z)), s = f/(2+f), z = s^2: U(z) = sum 2 z^k/(2k+3);
/// an error d in U is about z d / 2 relative to the result.
fn log_kernel(z: f64) -> f64 { series(2.0 / 3.0, |k| z * (2.0 * k + 1.0) / (2.0 * k + 3.0)) }
fn log_weight(z: f64) -> f64 { z / 2.0 }
/// sin r = r + r^3 S(z), z = r^2: S(z) = sum (-1)^(k+1) z^k/(2k+3)!; an error d in S is ~ z d relative.
fn sin_kernel(z: f64) -> f64 { series(-1.0 / 6.0, |k| -z / ((2.0 * k + 2.0) * (2.0 * k + 3.0))) }
fn sin_weight(z: f64) -> f64 { z }
/// cos r = 1 - z/2 + z^2 C(z): C(z) = sum (-1)^k z^k/(2k+4)!; error d in C is z^2 d / cos r.
fn cos_kernel(z: f64) -> f64 { series(1.0 / 24.0, |k| -z / ((2.0 * k + 3.0) * (2.0 * k + 4.0))) }
fn cos_weight(z: f64) -> f64 { z * z / z.sqrt().cos() }

/// tanh (f32): u = 2 tanh(a/2) = a + a z S(z)/Q(z), z = a^2 <= 100, and tanh a =
/// 4u/(u^2 + 4), whose relative error is u's times 1/cosh a. Kernel: S/Q ~
/// (u/a - 1)/z; an error d in it is a z d / u relative to u, so the weight is
/// a z / (u cosh a).
fn tanh_kernel(z: f64) -> f64 {
    let y2 = z / 4.0; // (a/2)^2
    if z < 0.01 {
        // (tanh y / y - 1) / (4 y^2), Taylor to y^8.
        (-1.0 / 3.0 + y2 * (2.0 / 15.0 + y2 * (-17.0 / 315.0 + y2 * 62.0 / 2835.0))) / 4.0
    } else {
        let y = y2.sqrt();
        (y.tanh() / y - 1.0) / z
    }
}
fn tanh_weight(z: f64) -> f64 {
    let a = z.sqrt();
    if a == 0.0 { 0.0 } else { a * z / (2.0 * (a / 2.0).tanh() * a.cosh()) }
}

/// Reduced intervals: exp's |r| <= ln2/2 (plus the rounding of n); log's
/// z <= ((sqrt2-1)/(sqrt2+1))^2; trig's z = r^2 <= (pi/4)^2 (plus rounding).
pub const FITS: [Fit; 4] = [
    ("exp", exp_kernel, exp_weight, -0.3467, 0.3467, 4),
    ("log", log_kernel, log_weight, 0.0, 0.02944, 2),
    ("sin", sin_kernel, sin_weight, 0.0, 0.6170, 2),
    ("cos", cos_kernel, cos_weight, 0.0, 0.6170, 2),
];

/// Distance in f32 ulps between two coefficients.
fn ulps32(a: f64, b: f64) -> i64 {
    ((a as f32).to_bits() as i64 - (b as f32).to_bits() as i64).abs()
}

#[test]
fn f32_tables_are_the_rounded_minimax_fits() {
    use crate::math::{COS_POLY_32, EXP_POLY_32, LOG_POLY_32, SIN_POLY_32};
    let tables: [&[f64]; 4] = [&EXP_POLY_32, &LOG_POLY_32, &SIN_POLY_32, &COS_POLY_32];
    for ((name, g, w, a, b, deg), table) in FITS.into_iter().zip(tables) {
        let (fit, level) = remez(&g, &w, a, b, deg);
        assert_eq!(table.len(), deg + 1, "{name}: table degree");
        for (i, (&t, &f)) in table.iter().zip(&fit).enumerate() {
            assert!(ulps32(t, f) <= 2, "{name}[{i}]: table {t} vs fit {f}");
        }
        // The equioscillation level is at most 2^-26 relative (a quarter of an
        // f32 ulp at worst), and rounding the coefficients to f32 keeps the table
        // within 2x of it on a fine grid (f64 evaluation).
        assert!(level <= 2f64.powi(-26), "{name}: level {level:e}");
        let as_used: Vec<f64> = table.iter().map(|&t| t as f32 as f64).collect(); // `Real::c`
        let worst = (0..=50_000)
            .map(|i| a + (b - a) * i as f64 / 50_000.0)
            .map(|x| (w(x) * (eval(&as_used, x) - g(x))).abs())
            .fold(0.0, f64::max);
        assert!(worst <= 2.0 * level, "{name}: table error {worst:e} vs level {level:e}");
    }
}

#[test]
fn f32_tanh_table_is_the_rounded_rational_fit() {
    use crate::math::{TANH_Q_32, TANH_S_32};
    let b = 100.0;
    let (num, den, level) = remez_rational(&tanh_kernel, &tanh_weight, b, 2, 2);
    // The tables are scaled to a monic Q.
    let (num, den): (Vec<f64>, Vec<f64>) = (num.iter().map(|c| c / den[2]).collect(), den.iter().map(|c| c / den[2]).collect());
    for (name, table, fit) in [("S", &TANH_S_32, &num), ("Q", &TANH_Q_32, &den)] {
        for (i, (&t, &f)) in table.iter().zip(fit).enumerate() {
            assert!(ulps32(t, f) <= 2, "tanh {name}[{i}]: table {t} vs fit {f}");
        }
    }
    // About a quarter of an f32 ulp (tanh's final roundings come on top), and the
    // f32 table stays within 2x of it on a fine grid.
    assert!(level <= 2f64.powi(-25), "tanh: level {level:e}");
    let (s, q): (Vec<f64>, Vec<f64>) = (TANH_S_32.iter().map(|&t| t as f32 as f64).collect(), TANH_Q_32.iter().map(|&t| t as f32 as f64).collect());
    let worst = (0..=50_000)
        .map(|i| b * i as f64 / 50_000.0)
        .map(|z| (tanh_weight(z) * (eval(&s, z) / eval(&q, z) - tanh_kernel(z))).abs())
        .fold(0.0, f64::max);
    assert!(worst <= 2.0 * level, "tanh: table error {worst:e} vs level {level:e}");
}

#[test]
fn remez_recovers_a_known_minimax_error() {
    // The degree-1 minimax line for x^2 on [0, 1] is x - 1/8, with error 1/8.
    let (c, level) = remez(&|x| x * x, &|_| 1.0, 0.0, 1.0, 1);
    assert!((level - 0.125).abs() < 1e-6 && (c[0] + 0.125).abs() < 1e-6 && (c[1] - 1.0).abs() < 1e-6, "{c:?} {level}");
}
