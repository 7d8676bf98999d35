#define _GNU_SOURCE
#include "CListWashSystem.h"

#include <errno.h>

#ifdef __linux__
#include <fcntl.h>
#include <malloc.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int listwash_exchange_paths(const char *first, const char *second) {
#ifdef SYS_renameat2
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE);
#else
    (void)first; (void)second;
    errno = ENOSYS;
    return -1;
#endif
}

void listwash_release_free_memory(void) {
    malloc_trim(0);
}

int listwash_start_writeback(int descriptor, long long offset, long long count) {
    return sync_file_range(descriptor, (off64_t)offset, (off64_t)count, SYNC_FILE_RANGE_WRITE);
}
#else
int listwash_exchange_paths(const char *first, const char *second) {
    (void)first; (void)second;
    errno = ENOSYS;
    return -1;
}

void listwash_release_free_memory(void) {}

int listwash_start_writeback(int descriptor, long long offset, long long count) {
    (void)descriptor; (void)offset; (void)count;
    return 0;
}
#endif
