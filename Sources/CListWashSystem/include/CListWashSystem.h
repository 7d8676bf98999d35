#ifndef CLISTWASHSYSTEM_H
#define CLISTWASHSYSTEM_H

/// Asks the processor to start loading the cache line at `address` for reading, so that a
/// hot loop that will soon touch scattered memory (a candidate pair's second record) finds it
/// there. It has no effect on the program's results.
static inline void listwash_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

/// Reads `*address` so that what another thread wrote before publishing it there with
/// `listwash_store_release` is visible after (an acquire load).
static inline unsigned long long listwash_load_acquire(const unsigned long long *address) {
    return __atomic_load_n(address, __ATOMIC_ACQUIRE);
}

/// Writes `value` to `*address` after everything this thread wrote before (a release store),
/// for readers that use `listwash_load_acquire`.
static inline void listwash_store_release(unsigned long long *address, unsigned long long value) {
    __atomic_store_n(address, value, __ATOMIC_RELEASE);
}

/// Starts writing the `count` bytes at `offset` of the open file `descriptor` back to disk
/// without waiting for it (Linux `sync_file_range` with `SYNC_FILE_RANGE_WRITE`), so that a
/// later `fsync` has little left to do. Returns 0, or -1 with `errno` set; elsewhere it does
/// nothing and returns 0.
int listwash_start_writeback(int descriptor, long long offset, long long count);

/// Hands memory that malloc keeps for reuse after frees back to the system (glibc
/// `malloc_trim`), after many small blocks that will not be needed again were freed; elsewhere
/// it does nothing.
void listwash_release_free_memory(void);

/// Swaps the folders (or files) at `first` and `second` in one atomic step (Linux
/// `renameat2` with `RENAME_EXCHANGE`): a process that dies at any moment leaves each name
/// holding either the old or the new contents, never neither. Returns 0, or -1 with `errno` set
/// (`EINVAL` or `ENOSYS` where the file system or the kernel cannot exchange; elsewhere always
/// `ENOSYS`).
int listwash_exchange_paths(const char *first, const char *second);

#endif
