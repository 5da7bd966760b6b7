//! dtype codes (shared with abi.ts) and the element trait the kernels are generic over.
use crate::simd::*;

/// dtype codes of the C ABI. bool is stored as one byte holding 0 or 1.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DType {
    F32 = 0,
    F64 = 1,
    I32 = 2,
    U32 = 3,
    Bool = 4,
}

impl DType {
    pub fn from_code(code: u32) -> Option<DType> {
        Some(match code {
            0 => DType::F32,
            1 => DType::F64,
            2 => DType::I32,
            3 => DType::U32,
            4 => DType::Bool,
            _ => return None,
        })
    }
    pub fn size(self) -> usize {
        match self {
            DType::F64 => 8,
            DType::Bool => 1,
            _ => 4,
        }
    }
}

/// A scalar element type with a v128 representation of `LANES` lanes.
pub trait Elem: Copy + PartialEq + Default + core::fmt::Debug + 'static {
    const DTYPE: DType;
    const LANES: usize;
    fn splat(self) -> v128;
    /// The value 1 (for `integer_pow` and `reduce_prod`).
    fn one() -> Self;
}

macro_rules! elem {
    ($t:ty, $dt:ident, $lanes:literal, $splat:ident, $one:expr) => {
        impl Elem for $t {
            const DTYPE: DType = DType::$dt;
            const LANES: usize = $lanes;
            #[inline(always)]
            fn splat(self) -> v128 {
                $splat(self)
            }
            #[inline(always)]
            fn one() -> Self {
                $one
            }
        }
    };
}
elem!(f32, F32, 4, f32x4_splat, 1.0);
elem!(f64, F64, 2, f64x2_splat, 1.0);
elem!(i32, I32, 4, i32x4_splat, 1);
elem!(u32, U32, 4, u32x4_splat, 1);
elem!(u8, Bool, 16, u8x16_splat, 1);

/// Unaligned vector load of `T::LANES` elements.
#[inline(always)]
pub unsafe fn load<T: Elem>(p: *const T) -> v128 {
    v128_load(p as *const v128)
}

/// Unaligned vector store of `T::LANES` elements.
#[inline(always)]
pub unsafe fn store<T: Elem>(p: *mut T, v: v128) {
    v128_store(p as *mut v128, v)
}

/// Calls `$body` with `$T` bound to the element type of dtype `$dt` (a `DType`).
#[macro_export]
macro_rules! with_elem {
    ($dt:expr, $T:ident => $body:expr) => {
        match $dt {
            $crate::dtype::DType::F32 => {
                type $T = f32;
                $body
            }
            $crate::dtype::DType::F64 => {
                type $T = f64;
                $body
            }
            $crate::dtype::DType::I32 => {
                type $T = i32;
                $body
            }
            $crate::dtype::DType::U32 => {
                type $T = u32;
                $body
            }
            $crate::dtype::DType::Bool => {
                type $T = u8;
                $body
            }
        }
    };
}
