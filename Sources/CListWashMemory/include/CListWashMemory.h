#ifndef CLISTWASHMEMORY_H
#define CLISTWASHMEMORY_H

/// Asks the processor to start loading the cache line at `address` for reading, so that a
/// hot loop that will soon touch scattered memory (a candidate pair's second record) finds it
/// there. It has no effect on the program's results.
static inline void listwash_prefetch(const void *address) {
    __builtin_prefetch(address, 0, 3);
}

#endif
