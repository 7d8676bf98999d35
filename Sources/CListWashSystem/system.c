#define _GNU_SOURCE
#include "CListWashSystem.h"

#ifdef __linux__
#include <fcntl.h>
#include <malloc.h>

void listwash_release_free_memory(void) {
    malloc_trim(0);
}

int listwash_start_writeback(int descriptor, long long offset, long long count) {
    return sync_file_range(descriptor, (off64_t)offset, (off64_t)count, SYNC_FILE_RANGE_WRITE);
}
#else
void listwash_release_free_memory(void) {}

int listwash_start_writeback(int descriptor, long long offset, long long count) {
    (void)descriptor; (void)offset; (void)count;
    return 0;
}
#endif
