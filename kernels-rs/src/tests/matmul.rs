//! matmul against the naive loop, bit for bit (same summation order), over
//! ragged sizes, transposed and broadcast operands, and k spanning several KC blocks.
use super::*;
use crate::matmul::*;

fn check<T: MatElem + PartialEq>(gen: impl Fn(&mut Rng) -> T) {
    let mut rng = Rng::new(10);
    let sizes = [(1, 1, 1, 1), (1, 3, 5, 7), (2, 4, 8, 3), (1, 9, 17, 300), (3, 5, 1, 2), (1, 6, 9, 0), (2, 13, 11, 520)];
    for &(batch, m, n, k) in &sizes {
        let a: Vec<T> = (0..batch * m * k).map(|_| gen(&mut rng)).collect();
        let b: Vec<T> = (0..batch * k * n).map(|_| gen(&mut rng)).collect();
        let (m_, n_, k_) = (m as isize, n as isize, k as isize);
        // Row-major a, b; transposed a (k x m storage); transposed b; broadcast batch of b.
        let layouts = [
            (Strides3 { batch: m_ * k_, row: k_, col: 1 }, Strides3 { batch: k_ * n_, row: n_, col: 1 }),
            (Strides3 { batch: m_ * k_, row: 1, col: m_ }, Strides3 { batch: k_ * n_, row: n_, col: 1 }),
            (Strides3 { batch: m_ * k_, row: k_, col: 1 }, Strides3 { batch: k_ * n_, row: 1, col: k_ }),
            (Strides3 { batch: m_ * k_, row: k_, col: 1 }, Strides3 { batch: 0, row: n_, col: 1 }),
        ];
        for (sa, sb) in layouts {
            let (mut got, mut want) = (vec![T::zero(); batch * m * n], vec![T::zero(); batch * m * n]);
            unsafe {
                matmul(batch, m, n, k, a.as_ptr(), sa, b.as_ptr(), sb, got.as_mut_ptr());
                matmul_naive(batch, m, n, k, a.as_ptr(), sa, b.as_ptr(), sb, want.as_mut_ptr());
            }
            assert!(got == want, "{batch}x{m}x{n}x{k} {sa:?} {sb:?}");
        }
    }
}

#[test]
fn f32_matches_naive() {
    check::<f32>(|r| r.uniform(-1.0, 1.0) as f32);
}
#[test]
fn f64_matches_naive() {
    check::<f64>(|r| r.uniform(-1.0, 1.0));
}
#[test]
fn i32_matches_naive() {
    check::<i32>(|r| r.next_u32() as i32);
}

#[test]
fn small_values() {
    // [[1, 2], [3, 4]] @ [[5, 6], [7, 8]] = [[19, 22], [43, 50]]
    let (a, b) = ([1f32, 2., 3., 4.], [5f32, 6., 7., 8.]);
    let mut c = [0f32; 4];
    let s = Strides3 { batch: 4, row: 2, col: 1 };
    unsafe { matmul(1, 2, 2, 2, a.as_ptr(), s, b.as_ptr(), s, c.as_mut_ptr()) };
    assert_eq!(c, [19., 22., 43., 50.]);
}
