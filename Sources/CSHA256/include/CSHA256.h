#ifndef GATEHOUSE_CSHA256_H
#define GATEHOUSE_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// SHA-256's 64 round constants (FIPS 180-4, 4.2.2), for both implementations.
const uint32_t *gatehouse_sha256_constants(void);

/// Whether this CPU has the x86 SHA extensions (and SSSE3 and SSE4.1, which the code below also uses).
int gatehouse_sha256_accelerated(void);

/// SHA-256's compression function over `blocks` whole 64-byte blocks, with the x86 SHA
/// extensions. `state` holds the eight working words a..h. Call only when
/// `gatehouse_sha256_accelerated()` says so.
void gatehouse_sha256_compress(uint32_t state[8], const uint8_t *data, size_t blocks);

#endif
