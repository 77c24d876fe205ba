//! The allocator: the C library's for a short command, mimalloc once a command knows it has a
//! lot to do (a large input, or the server).
//!
//! Measured in `docs/benchmarks.md`: rendering 150 topics takes 2.1 ms with the C library's
//! allocator and 2.8 ms with mimalloc, whose size-class pages and huge pages cost a short
//! process some hundred more page faults; rendering 10,000 topics takes 50 ms with mimalloc
//! (and the kernel's transparent huge pages it asks for) and 82 ms without.
//!
//! Every allocation made before [`use_mimalloc`] comes from the C library and every one after
//! from mimalloc; a block is freed or grown by the allocator it came from, which
//! `mi_is_in_heap_region` tells (mimalloc's own test for mixing it with another allocator).

// The one place with `unsafe` code: a global allocator is an unsafe interface.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, Ordering};

use mimalloc::MiMalloc;

static MIMALLOC: AtomicBool = AtomicBool::new(false);

/// Serves new allocations from mimalloc from now on.
pub(crate) fn use_mimalloc() {
    MIMALLOC.store(true, Ordering::Relaxed);
}

#[derive(Debug)]
pub(crate) struct Hybrid;

impl Hybrid {
    /// Whether `ptr` came from mimalloc: never before the switch, so the common short command
    /// pays nothing for the question.
    fn from_mimalloc(ptr: *mut u8) -> bool {
        MIMALLOC.load(Ordering::Relaxed)
            // SAFETY: a lookup of the address in mimalloc's own tables; it reads no memory at
            // `ptr`.
            && unsafe { libmimalloc_sys::mi_is_in_heap_region(ptr.cast_const().cast()) }
    }
}

// SAFETY: each call goes to one of two sound allocators, and a block is always freed or
// grown by the allocator that made it.
unsafe impl GlobalAlloc for Hybrid {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            // SAFETY: the caller's contract, passed on.
            unsafe { MiMalloc.alloc(layout) }
        } else {
            // SAFETY: as above.
            unsafe { System.alloc(layout) }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if MIMALLOC.load(Ordering::Relaxed) {
            // SAFETY: the caller's contract, passed on.
            unsafe { MiMalloc.alloc_zeroed(layout) }
        } else {
            // SAFETY: as above.
            unsafe { System.alloc_zeroed(layout) }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if Self::from_mimalloc(ptr) {
            // SAFETY: `ptr` came from mimalloc with this layout (the caller's contract).
            unsafe { MiMalloc.dealloc(ptr, layout) }
        } else {
            // SAFETY: `ptr` came from the C library with this layout.
            unsafe { System.dealloc(ptr, layout) }
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if Self::from_mimalloc(ptr) {
            // SAFETY: `ptr` came from mimalloc with this layout (the caller's contract).
            unsafe { MiMalloc.realloc(ptr, layout, new_size) }
        } else {
            // SAFETY: `ptr` came from the C library with this layout.
            unsafe { System.realloc(ptr, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Blocks made before and after the switch are each freed and grown by their own
    /// allocator (the test binary runs on this allocator too).
    #[test]
    fn blocks_from_either_allocator_are_freed_and_grown_by_it() {
        let before: Vec<u64> = (0..1000).collect();
        let mut grown_before = vec![1u8; 100];
        use_mimalloc();
        let after: Vec<u64> = (0..1000).collect();
        // SAFETY: reading mimalloc's tables only.
        let (a, b) = unsafe {
            (
                libmimalloc_sys::mi_is_in_heap_region(before.as_ptr().cast()),
                libmimalloc_sys::mi_is_in_heap_region(after.as_ptr().cast()),
            )
        };
        assert!(!a && b, "before from the C library, after from mimalloc");
        grown_before.extend(std::iter::repeat_n(2u8, 100_000));
        assert_eq!(grown_before.len(), 100_100);
        assert_eq!(before.iter().sum::<u64>(), after.iter().sum::<u64>());
        drop(before);
        drop(after);
        drop(grown_before);
    }
}
