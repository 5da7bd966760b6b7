//! Copy, iota, allocation and the ABI surface.
use crate::abi::*;
use crate::copy::*;

#[test]
fn strided_copy_and_scatter() {
    let src: Vec<u32> = (0..12).collect();
    let mut dst = vec![0u32; 12];
    // Transpose a 3x4 into 4x3.
    unsafe { copy::<u32>(&[4, 3], src.as_ptr(), &[1, 4], dst.as_mut_ptr(), &[3, 1]) };
    assert_eq!(dst, [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
    // Write a [2] broadcast into every other slot of an 8-wide destination row pair.
    let mut d = vec![0u8; 8];
    unsafe { copy::<u8>(&[2, 2], [7u8].as_ptr(), &[0, 0], d.as_mut_ptr().add(1), &[4, 2]) };
    assert_eq!(d, [0, 7, 0, 7, 0, 7, 0, 7]);
    assert!(!unsafe { copy_dyn(3, &[1], src.as_ptr() as _, &[1], dst.as_mut_ptr() as _, &[1]) });
}

#[test]
fn iota_values() {
    let mut o = vec![0i32; 12];
    unsafe { iota::<i32>(2, 3, 2, o.as_mut_ptr()) };
    assert_eq!(o, [0, 0, 1, 1, 2, 2, 0, 0, 1, 1, 2, 2]);
    let mut f = vec![0f64; 3];
    unsafe { iota::<f64>(1, 3, 1, f.as_mut_ptr()) };
    assert_eq!(f, [0.0, 1.0, 2.0]);
}

#[test]
fn abi_status_codes_and_alloc() {
    unsafe {
        let p = fx_alloc(0);
        assert!(!p.is_null() && p as usize % 16 == 0);
        let q = fx_alloc(100);
        assert!(q != p && q as usize % 16 == 0);
        fx_free(p, 0);
        fx_free(q, 100);
        let shape = [2u32];
        let s = [1i32];
        let x = [1f32, 2.0];
        let mut o = [0f32; 2];
        assert_eq!(fx_unary(99, 0, 1, shape.as_ptr(), x.as_ptr() as _, s.as_ptr(), o.as_mut_ptr() as _), BAD_CODE);
        assert_eq!(fx_unary(0, 9, 1, shape.as_ptr(), x.as_ptr() as _, s.as_ptr(), o.as_mut_ptr() as _), BAD_CODE);
        assert_eq!(fx_unary(1, 4, 1, shape.as_ptr(), x.as_ptr() as _, s.as_ptr(), o.as_mut_ptr() as _), UNSUPPORTED);
        assert_eq!(fx_unary(0, 0, 1, shape.as_ptr(), x.as_ptr() as _, s.as_ptr(), o.as_mut_ptr() as _), OK);
        assert_eq!(o, [-1.0, -2.0]);
        assert_eq!(fx_integer_pow(2, -1, 1, shape.as_ptr(), x.as_ptr() as _, s.as_ptr(), o.as_mut_ptr() as _), UNSUPPORTED);
        assert_eq!(fx_abi_version(), ABI_VERSION);
    }
}

#[test]
fn dynamic_windows_clamp_their_starts() {
    use crate::window::*;
    assert_eq!(clamp_start(-3, 5, 2), 0);
    assert_eq!(clamp_start(2, 5, 2), 2);
    assert_eq!(clamp_start(9, 5, 2), 3);
    assert_eq!(clamp_start(0, 0, 0), 0);
    let idx = [(-1i32) as u32, 7u32];
    assert_eq!(unsafe { read_index(idx.as_ptr() as *const u8, false) }, -1);
    assert_eq!(unsafe { read_index(idx.as_ptr() as *const u8, true) }, 0xFFFF_FFFF);
    // A 3x4 array; the 2x2 window at (5, 1) is clamped to (1, 1).
    let x: Vec<i32> = (0..12).collect();
    let mut out = vec![0i32; 4];
    let ok = unsafe { dynamic_slice(4, &[3, 4], &[2, 2], &[5, 1], x.as_ptr() as _, &[4, 1], out.as_mut_ptr() as _, &[2, 1]) };
    assert!(ok);
    assert_eq!(out, [5, 6, 9, 10]);
    // Write [-1, -2] (a 1x2 update) at (0, 9) -> clamped to (0, 2); the rest is x.
    let u = [-1i32, -2];
    let mut y = vec![0i32; 12];
    let ok = unsafe {
        dynamic_update_slice(4, &[3, 4], &[1, 2], &[0, 9], x.as_ptr() as _, &[4, 1], y.as_mut_ptr() as _, &[4, 1], u.as_ptr() as _, &[2, 1])
    };
    assert!(ok);
    assert_eq!(y, [0, 1, -1, -2, 4, 5, 6, 7, 8, 9, 10, 11]);
}

/// Geometry words for `x[idx]` on a [3, 2] operand (rows by index), as gather-geometry.ts builds them.
fn row_geometry(unsigned: u32, fill: u32, nidx: u32) -> Vec<u32> {
    let mut w = vec![unsigned, fill, 2, 3, 2, 1, 2, 2, 1];
    // other (output [nidx, 2]) window strides per operand axis: axis 0 collapsed (0), axis 1 -> 1
    w.extend_from_slice(&[0, 1]);
    // one batch axis of nidx; index strides [1, 1]; output batch stride 2
    w.extend_from_slice(&[1, nidx, 1, 1, 2]);
    // start_index_map (0); no batching dims
    w.extend_from_slice(&[1, 0, 0]);
    w
}

#[test]
fn gather_rows_clip_and_fill() {
    use crate::gather::*;
    let x: Vec<f32> = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
    let idx: Vec<i32> = vec![2, -1, 0, 7];
    let mut out = vec![0f32; 8];
    let g = Geometry::parse(&row_geometry(0, 0, 4)).unwrap();
    assert!(unsafe { gather(&g, 4, x.as_ptr() as _, idx.as_ptr() as _, out.as_mut_ptr() as _, 0) });
    assert_eq!(out, [5.0, 6.0, 1.0, 2.0, 1.0, 2.0, 5.0, 6.0]);
    let g = Geometry::parse(&row_geometry(0, 1, 4)).unwrap();
    let fill = (-9.0f32).to_bits() as u64;
    assert!(unsafe { gather(&g, 4, x.as_ptr() as _, idx.as_ptr() as _, out.as_mut_ptr() as _, fill) });
    assert_eq!(out, [5.0, 6.0, -9.0, -9.0, 1.0, 2.0, -9.0, -9.0]);
    // Truncated or inconsistent words are rejected.
    assert!(Geometry::parse(&row_geometry(0, 0, 4)[..10]).is_err());
}

#[test]
fn scatter_rows_combine_in_order() {
    use crate::dtype::DType;
    use crate::gather::*;
    let idx: Vec<i32> = vec![1, 1, 5];
    let upd: Vec<i32> = vec![1, 2, 3, 4, 5, 6];
    let g = Geometry::parse(&row_geometry(0, 1, 3)).unwrap();
    let run = |op: Combine| {
        let mut out: Vec<i32> = vec![10, 20, 30, 40, 50, 60];
        assert!(unsafe { scatter(&g, op, DType::I32, out.as_mut_ptr() as _, idx.as_ptr() as _, upd.as_ptr() as _) });
        out
    };
    assert_eq!(run(Combine::Replace), [10, 20, 3, 4, 50, 60]); // the later update wins; row 5 dropped
    assert_eq!(run(Combine::Add), [10, 20, 34, 46, 50, 60]);
    assert_eq!(run(Combine::Mul), [10, 20, 90, 320, 50, 60]);
    assert_eq!(run(Combine::Min), [10, 20, 1, 2, 50, 60]);
    assert_eq!(run(Combine::Max), [10, 20, 30, 40, 50, 60]);
    // bool supports only replace/min/max.
    let mut b = vec![0u8; 6];
    assert!(!unsafe { scatter(&g, Combine::Add, DType::Bool, b.as_mut_ptr(), idx.as_ptr() as _, upd.as_ptr() as _) });
}
