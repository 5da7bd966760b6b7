//! dynamic_slice and dynamic_update_slice: a window whose start indices are
//! array values read at run time, clamped into range as XLA clamps them, then
//! moved with the strided copy.
use crate::copy::copy_dyn;

/// The start of a window of `w` elements on an axis of `n`: `i` clamped into [0, n - w].
pub fn clamp_start(i: i64, n: usize, w: usize) -> usize {
    i.clamp(0, (n - w) as i64) as usize
}

/// One start index: an int32 (`unsigned` false) or uint32 scalar at `p`.
pub unsafe fn read_index(p: *const u8, unsigned: bool) -> i64 {
    let bits = *(p as *const u32);
    if unsigned { bits as i64 } else { bits as i32 as i64 }
}

/// Element offset of the window at `starts` (clamped) in an array of `full` with strides `s`.
pub fn window_offset(full: &[usize], window: &[usize], starts: &[i64], s: &[isize]) -> isize {
    (0..full.len()).map(|d| clamp_start(starts[d], full[d], window[d]) as isize * s[d]).sum()
}

/// dynamic_slice: copies the `window` of `x` (shape `full`, strides `xs`) at `starts` to `out`.
pub unsafe fn dynamic_slice(
    elem: usize, full: &[usize], window: &[usize], starts: &[i64],
    x: *const u8, xs: &[isize], out: *mut u8, os: &[isize],
) -> bool {
    let at = window_offset(full, window, starts, xs) * elem as isize;
    copy_dyn(elem, window, x.offset(at), xs, out, os)
}

/// dynamic_update_slice: `out` = `x` (shape `full`) with `update` (shape `window`) written at `starts`.
pub unsafe fn dynamic_update_slice(
    elem: usize, full: &[usize], window: &[usize], starts: &[i64],
    x: *const u8, xs: &[isize], out: *mut u8, os: &[isize], update: *const u8, us: &[isize],
) -> bool {
    if !copy_dyn(elem, full, x, xs, out, os) {
        return false;
    }
    let at = window_offset(full, window, starts, os) * elem as isize;
    copy_dyn(elem, window, update, us, out.offset(at), os)
}
