//! `Words`: a short list of shape or stride words kept on the stack when it has at
//! most `INLINE` entries (ranks after coalescing almost always do), else on the
//! heap. Tiny eager ops then cross the ABI without touching the allocator.
use core::ops::{Deref, DerefMut};

const INLINE: usize = 8;

pub enum Words<T: Copy + Default> {
    Inline([T; INLINE], usize),
    Heap(Vec<T>),
}

impl<T: Copy + Default> Words<T> {
    /// `n` default values.
    pub fn zeros(n: usize) -> Self {
        if n <= INLINE { Words::Inline([T::default(); INLINE], n) } else { Words::Heap(vec![T::default(); n]) }
    }

    pub fn from_fn(n: usize, f: impl Fn(usize) -> T) -> Self {
        let mut w = Self::zeros(n);
        for (i, x) in w.iter_mut().enumerate() {
            *x = f(i);
        }
        w
    }
}

impl<T: Copy + Default> Deref for Words<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        match self {
            Words::Inline(a, n) => &a[..*n],
            Words::Heap(v) => v,
        }
    }
}

impl<T: Copy + Default> DerefMut for Words<T> {
    fn deref_mut(&mut self) -> &mut [T] {
        match self {
            Words::Inline(a, n) => &mut a[..*n],
            Words::Heap(v) => v,
        }
    }
}
