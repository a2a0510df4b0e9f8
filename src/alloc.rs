//! The global allocator: mimalloc, called the way its own C callers call it.
//!
//! Page reading allocates many small strings on every core at once;
//! mimalloc keeps that from serialising on the system allocator (measured:
//! a third less CPU time over the corpus than glibc's malloc).
//!
//! mimalloc v2, not the v3 that `libmimalloc-sys` builds by default: on a
//! whole-corpus `check`, v3 kept 116-130 MB resident at the peak where v2
//! keeps 90-95 MB (both with transparent huge pages), and the run took 4%
//! less time with v2 (median ratio of 25 alternated runs; instructions
//! -0.6%). A fresh page costs a fault and a clearing, so the smaller peak
//! is most of the gain.
//!
//! Why not the `mimalloc` crate's `MiMalloc`: it passes every request to
//! `mi_malloc_aligned`, even the usual one whose alignment (8 or 16) every
//! mimalloc block has anyway; that is a call more (and in mimalloc v3 the
//! generic aligned path for sizes that are not powers of two: 30 M of a
//! whole-corpus `check`'s instructions when this module was written). The
//! upstream change that does the same is not released
//! (purpleprotocol/mimalloc_rust#170); when it is, this module goes back to
//! `mimalloc::MiMalloc`.
//!
//! `unsafe` is denied in the crate but for this module and one move of
//! validated UTF-8: a `GlobalAlloc` cannot be written without it. Each
//! method only forwards to the mimalloc function made for the case.

#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The largest alignment every mimalloc block has (`MI_MAX_ALIGN_SIZE`).
const NATURAL: usize = 16;

pub(crate) struct Mimalloc;

/// A block of `size` bytes from the plain entry points is aligned enough.
/// mimalloc v2 says so itself: its `mi_malloc_aligned` takes the plain path
/// for any alignment up to `MI_MAX_ALIGN_SIZE` (16) that is no larger than
/// the size (`mi_malloc_is_naturally_aligned`, alloc-aligned.c), as a page
/// of small blocks starts aligned to 16 and to the block size
/// (`_mi_segment_page_start`, segment.c). A size that is a multiple of an
/// alignment up to 16 is such a request. (v3, used before, kept the same
/// guarantee by other means: review9 read it there and stress-tested it.)
fn natural(size: usize, align: usize) -> bool {
    align <= NATURAL && size % align == 0
}

// SAFETY: every method forwards to the mimalloc function that meets
// `GlobalAlloc`'s contract for the layout: the plain ones only where
// `natural` holds (see there), the `_aligned` ones otherwise. Blocks from
// either are freed by `mi_free`.
unsafe impl GlobalAlloc for Mimalloc {
    #[inline]
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: plain C calls; mimalloc returns null when out of memory.
        unsafe {
            if natural(size, align) {
                mi::mi_malloc(size).cast()
            } else {
                mi::mi_malloc_aligned(size, align).cast()
            }
        }
    }

    #[inline]
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let (size, align) = (layout.size(), layout.align());
        // SAFETY: as in `alloc`.
        unsafe {
            if natural(size, align) {
                mi::mi_zalloc(size).cast()
            } else {
                mi::mi_zalloc_aligned(size, align).cast()
            }
        }
    }

    #[inline]
    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        // SAFETY: `ptr` came from this allocator (the caller's contract).
        unsafe { mi::mi_free(ptr.cast::<c_void>()) }
    }

    #[inline]
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let align = layout.align();
        // SAFETY: `ptr` came from this allocator with `layout` (the
        // caller's contract); the new block keeps the alignment as `alloc`.
        unsafe {
            if natural(new_size, align) {
                mi::mi_realloc(ptr.cast::<c_void>(), new_size).cast()
            } else {
                mi::mi_realloc_aligned(ptr.cast::<c_void>(), new_size, align).cast()
            }
        }
    }
}

/// mimalloc's `mi_option_purge_delay`: its place in `mi_option_e`
/// (mimalloc.h, the same in v2 and v3; `libmimalloc-sys` names no constant
/// for it).
const PURGE_DELAY: mi::mi_option_t = 15;

/// The variable that sets [`PURGE_DELAY`] from the environment, which
/// [`keep_freed_memory`] leaves the last word.
const PURGE_DELAY_VARIABLE: &str = "MIMALLOC_PURGE_DELAY";

/// Keeps the memory a command frees for its next allocations instead of
/// returning it to the system: for a command that ends when its work is
/// done (`check`, `extract`, `run`, `merge`), not for the servers (`lsp`,
/// `mock`, `check --watch`), whose memory should shrink again between requests.
///
/// mimalloc returns ("purges") memory left free for a while (10 ms in v2);
/// a whole-corpus `check` purged 28 MB (`MIMALLOC_SHOW_STATS=1`: 15 purges)
/// that it then faulted in afresh, and a fresh page costs a fault and a
/// clearing. Not purging: system time 0.108 -> 0.062 s (mean of six runs),
/// wall time -2.5% (median ratio of 31 alternated runs); under v3 (1 s
/// delay, but 174 purges of 55 MB) -2% alike. `MIMALLOC_PURGE_DELAY` in the
/// environment still decides when set.
pub(crate) fn keep_freed_memory() {
    if std::env::var_os(PURGE_DELAY_VARIABLE).is_none() {
        // SAFETY: a plain C call setting an option by its index.
        unsafe { mi::mi_option_set(PURGE_DELAY, -1) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option set is mimalloc's purge delay (the index is right: it
    /// held v2's default of 10 ms before), and off: read back through
    /// mimalloc's own getter.
    #[test]
    fn freed_memory_is_kept() {
        if std::env::var_os(PURGE_DELAY_VARIABLE).is_some() {
            return;
        }
        // SAFETY: plain C calls reading an option by its index.
        assert_eq!(unsafe { mi::mi_option_get(PURGE_DELAY) }, 10);
        keep_freed_memory();
        // SAFETY: as above.
        assert_eq!(unsafe { mi::mi_option_get(PURGE_DELAY) }, -1);
    }

    /// Over-aligned and odd-sized values, allocated, grown and shrunk
    /// through the global allocator, keep their alignment.
    #[test]
    fn every_layout_keeps_its_alignment() {
        #[repr(align(32))]
        struct A32(#[allow(dead_code)] [u8; 40]);
        #[repr(align(4096))]
        struct Page(#[allow(dead_code)] u8);
        for n in 1..200 {
            let v: Vec<A32> = (0..n).map(|_| A32([0; 40])).collect();
            assert_eq!(v.as_ptr() as usize % 32, 0, "{n} values of align 32");
            let b: Vec<u8> = vec![7; n * 3];
            assert!(b.iter().all(|&x| x == 7));
            let mut s: Vec<u128> = Vec::with_capacity(1);
            for i in 0..n {
                s.push(i as u128);
                assert_eq!(s.as_ptr() as usize % std::mem::align_of::<u128>(), 0);
            }
            s.truncate(1);
            s.shrink_to_fit();
            assert_eq!(s, [0]);
        }
        let p = Box::new(Page(1));
        assert_eq!(&*p as *const Page as usize % 4096, 0);
        let z = vec![0u64; 10_000];
        assert!(z.iter().all(|&x| x == 0));
    }
}
