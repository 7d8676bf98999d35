#ifndef CLISTWASHSHA_H
#define CLISTWASHSHA_H

#include <stddef.h>
#include <stdint.h>

/// Runs the SHA-256 compression function over `blocks` 64-byte blocks of `data`, updating
/// `state` (8 words, host order), with the processor's SHA extensions (x86-64 SHA-NI).
/// Returns 1 when it did, 0 when this processor has no SHA extensions (the caller then
/// compresses in portable code).
int listwash_sha256_blocks(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
