//! The C allocator's settings for a long-running bot.
//!
//! glibc's defaults suit short programs: an arena per thread that ever
//! allocated (up to eight per core), and a threshold for returning large
//! blocks to the system that rises to the largest block ever freed. The
//! matcher trains its models in multi-megabyte buffers at start and at
//! every knowledge-base reload; with the rising threshold those buffers'
//! memory stayed in the heap for good, and tokio's threads spread the
//! rest over more arenas than a 2-core machine needs. Fixing both keeps
//! the bot's resident memory at what it actually holds.

/// Applies the settings; called first thing in `main`, before any thread.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn tune() {
    // glibc's mallopt parameters (malloc.h).
    const M_TRIM_THRESHOLD: i32 = -1;
    const M_MMAP_THRESHOLD: i32 = -3;
    const M_ARENA_MAX: i32 = -8;
    unsafe extern "C" {
        fn mallopt(param: i32, value: i32) -> i32;
    }
    for (param, value) in [
        // One arena for every thread: with two, each kept its own holes,
        // and the bot's memory over a long burst grew by the second one's
        // (34.9 → 32.2 MiB at the end of 30,000 questions). The threads
        // that allocate (two workers, the store's) rarely contend.
        (M_ARENA_MAX, 1),
        // Blocks of 256 KiB and more are mapped on their own and returned
        // when freed; setting it also stops the threshold rising.
        (M_MMAP_THRESHOLD, 256 * 1024),
        (M_TRIM_THRESHOLD, 1024 * 1024),
    ] {
        // SAFETY: mallopt only changes allocator tuning; it is called
        // before any other thread exists, and on failure (0) the defaults
        // simply stay.
        unsafe {
            mallopt(param, value);
        }
    }
}

/// Other allocators keep their own defaults.
#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn tune() {}

/// Hands the heap's free pages back to the system. Called after the
/// matcher has trained (at start and after a reload), whose scratch
/// buffers leave holes in the heap that nothing else will fill soon.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn release_free() {
    unsafe extern "C" {
        fn malloc_trim(pad: usize) -> i32;
    }
    // SAFETY: malloc_trim only returns free memory to the system; it
    // takes the allocator's own locks and is safe from any thread.
    unsafe {
        malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_free() {}
