//! sort kernel against an insertion sort over explicit multi-indices.
use super::{permuted_strides, Rng};
use crate::dtype::DType;
use crate::sort::{sort_dyn, SortOperand};


/// a before b in the reference order: numbers ascending, NaN after all of them.
fn before(a: f64, b: f64) -> bool {
    !a.is_nan() && (b.is_nan() || a < b)
}

/// For each output position (row-major), the operand line index it takes: a stable
/// insertion sort of each line by the key columns, lexicographically.
fn reference_perm(shape: &[usize], axis: usize, keys: &[(&[f64], &[isize])]) -> Vec<usize> {
    let total: usize = shape.iter().product();
    let n = shape[axis];
    let mut out = vec![0usize; total];
    for flat in 0..total {
        let mut idx = vec![0usize; shape.len()];
        let mut rem = flat;
        for d in (0..shape.len()).rev() {
            idx[d] = rem % shape[d];
            rem /= shape[d];
        }
        if idx[axis] != 0 {
            continue;
        }
        let key = |k: usize, i: usize| {
            let mut m = idx.clone();
            m[axis] = i;
            let (x, s) = keys[k];
            x[m.iter().zip(s.iter()).map(|(&a, &t)| a as isize * t).sum::<isize>() as usize]
        };
        let less = |i: usize, j: usize| {
            for k in 0..keys.len() {
                if before(key(k, i), key(k, j)) {
                    return true;
                }
                if before(key(k, j), key(k, i)) {
                    return false;
                }
            }
            false
        };
        let mut line: Vec<usize> = Vec::new();
        for i in 0..n {
            let at = line.iter().position(|&j| less(i, j)).unwrap_or(line.len());
            line.insert(at, i);
        }
        let step: usize = shape[axis + 1..].iter().product();
        for (j, &i) in line.iter().enumerate() {
            out[flat + j * step] = i;
        }
    }
    out
}

/// The operand element at output position `flat` when its line index is replaced by `i`.
fn at(shape: &[usize], axis: usize, flat: usize, i: usize, x: &[f64], s: &[isize]) -> f64 {
    let mut rem = flat;
    let mut off = 0isize;
    for d in (0..shape.len()).rev() {
        let v = if d == axis { i } else { rem % shape[d] };
        rem /= shape[d];
        off += v as isize * s[d];
    }
    x[off as usize]
}

#[test]
fn sorts_match_an_insertion_sort_for_every_layout_and_key_count() {
    let mut rng = Rng::new(23);
    let pool = [0.0, -0.0, 1.0, -1.0, 2.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 0.5];
    for case in 0..300 {
        let nd = 1 + rng.below(3);
        let shape: Vec<usize> = (0..nd).map(|_| 1 + rng.below(5)).collect();
        let n: usize = shape.iter().product();
        let axis = rng.below(nd);
        let (s0, s1, s2) = (permuted_strides(&mut rng, &shape), permuted_strides(&mut rng, &shape), permuted_strides(&mut rng, &shape));
        // key 0: floats with ties, signed zeros and NaN; key 1: small ints (more ties); payload: a counter.
        let k0: Vec<f64> = (0..n).map(|_| pool[rng.below(pool.len())]).collect();
        let k1: Vec<f64> = (0..n).map(|_| rng.below(3) as f64 - 1.0).collect();
        let payload: Vec<f64> = (0..n).map(|i| i as f64).collect();
        let num_keys = 1 + case % 2;
        let keys: Vec<(&[f64], &[isize])> = [(&k0[..], &s0[..]), (&k1[..], &s1[..])][..num_keys].to_vec();
        let perm = reference_perm(&shape, axis, &keys);
        let k0f: Vec<f32> = k0.iter().map(|&v| v as f32).collect();
        let k1i: Vec<i32> = k1.iter().map(|&v| v as i32).collect();
        let pu: Vec<u32> = payload.iter().map(|&v| v as u32).collect();
        let (mut o0, mut o1, mut o2) = (vec![0f32; n], vec![0i32; n], vec![0u32; n]);
        let mut o0d = vec![0f64; n];
        // key 0 as f32 (packed 32-bit keys) or, every other pair of cases, as f64 (wide keys)
        let wide = case % 4 >= 2;
        let first = if wide {
            SortOperand { dt: DType::F64, x: k0.as_ptr() as *const u8, strides: s0.clone(), out: o0d.as_mut_ptr() as *mut u8 }
        } else {
            SortOperand { dt: DType::F32, x: k0f.as_ptr() as *const u8, strides: s0.clone(), out: o0.as_mut_ptr() as *mut u8 }
        };
        let ops = vec![
            first,
            SortOperand { dt: DType::I32, x: k1i.as_ptr() as *const u8, strides: s1.clone(), out: o1.as_mut_ptr() as *mut u8 },
            SortOperand { dt: DType::U32, x: pu.as_ptr() as *const u8, strides: s2.clone(), out: o2.as_mut_ptr() as *mut u8 },
        ];
        assert!(unsafe { sort_dyn(&shape, axis, num_keys, &ops) });
        for flat in 0..n {
            let i = perm[flat];
            let want0 = at(&shape, axis, flat, i, &k0, &s0);
            let got0 = if wide { o0d[flat] } else { o0[flat] as f64 };
            assert_eq!(got0.to_bits(), want0.to_bits(), "key0 shape {:?} axis {} keys {} wide {}", shape, axis, num_keys, wide);
            assert_eq!(o1[flat] as f64, at(&shape, axis, flat, i, &k1, &s1));
            assert_eq!(o2[flat] as f64, at(&shape, axis, flat, i, &payload, &s2));
        }
    }
}

#[test]
fn nan_goes_last_signed_zeros_tie_and_bad_arguments_are_refused() {
    let x = [f64::NAN, 0.0, -0.0, f64::NEG_INFINITY, 0.0, 1.0];
    let idx = [0u8, 1, 2, 3, 4, 5];
    let mut out = [0f64; 6];
    let mut oi = [0u8; 6];
    let ops = vec![
        SortOperand { dt: DType::F64, x: x.as_ptr() as *const u8, strides: vec![1], out: out.as_mut_ptr() as *mut u8 },
        SortOperand { dt: DType::Bool, x: idx.as_ptr(), strides: vec![1], out: oi.as_mut_ptr() },
    ];
    assert!(unsafe { sort_dyn(&[6], 0, 1, &ops) });
    // zeros keep their input order (+0, -0, +0); NaN last. (The bool payload carries
    // bytes 0..5 here only to follow the permutation.)
    assert_eq!(oi, [3, 1, 2, 4, 5, 0]);
    assert!(out[5].is_nan() && out[1].to_bits() == 0 && out[2].to_bits() == (-0.0f64).to_bits());
    unsafe {
        assert!(!sort_dyn(&[6], 1, 1, &ops), "axis out of range");
        assert!(!sort_dyn(&[6], 0, 3, &ops), "more keys than operands");
        assert!(!sort_dyn(&[6], 0, 0, &ops), "no key");
        let empty = [SortOperand { dt: DType::F64, x: x.as_ptr() as *const u8, strides: vec![3, 1], out: out.as_mut_ptr() as *mut u8 }];
        assert!(sort_dyn(&[0, 3], 1, 1, &empty), "empty arrays are fine");
    }
}

#[test]
fn the_sort_instruction_reads_its_words_like_fx_sort() {
    use crate::abi::{BAD_CODE, OK};
    use crate::program::{self, MAGIC, SORT, VERSION};
    // keys f32 [2, 3] read transposed from a [3, 2] buffer; an i32 payload carried along axis 1.
    let keys = [3f32, 0.0, 1.0, 5.0, 2.0, 4.0]; // as [3, 2]: the [2, 3] view is [[3, 1, 2], [0, 5, 4]]
    let payload = [0i32, 1, 2, 3, 4, 5];
    let (mut o0, mut o1) = ([0f32; 6], [0i32; 6]);
    let body = |axis: u32| {
        let mut w = vec![SORT, 0, axis, 1, 2, 2, 2, 3];
        w.extend([DType::F32 as u32, 3, 0, 1, 2, 5, 0]);
        w.extend([DType::I32 as u32, 4, 0, 3, 1, 6, 0]);
        w[1] = w.len() as u32;
        let mut p = vec![MAGIC, VERSION, 7, 0];
        p.extend(w);
        p.extend([program::END, 0]);
        p
    };
    let mut slots = [0usize, 0, 0, keys.as_ptr() as usize, payload.as_ptr() as usize, o0.as_mut_ptr() as usize, o1.as_mut_ptr() as usize];
    assert_eq!(unsafe { program::run::<true>(body(1).as_ptr(), slots.as_mut_ptr()) }, OK);
    assert_eq!(o0, [1.0, 2.0, 3.0, 0.0, 4.0, 5.0]);
    assert_eq!(o1, [1, 2, 0, 3, 5, 4]);
    // an axis past the rank is refused (status 1, nothing written is relied on)
    assert_ne!(unsafe { program::run::<true>(body(2).as_ptr(), slots.as_mut_ptr()) }, OK);
    // a truncated instruction is a bad code
    let mut short = body(1);
    short.truncate(short.len() - 6);
    short[5] -= 4;
    short.extend([program::END, 0]);
    assert_eq!(unsafe { program::run::<true>(short.as_ptr(), slots.as_mut_ptr()) }, BAD_CODE);
}
