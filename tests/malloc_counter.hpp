// Counts heap allocations of this test binary by interposing malloc (glibc only): Eigen and
// operator new both end in malloc. Include it in exactly one file of a test binary.
#pragma once
#include <atomic>
#include <cstddef>

extern "C" void* __libc_malloc(size_t);
extern "C" void* __libc_calloc(size_t, size_t);
extern "C" void* __libc_realloc(void*, size_t);

inline std::atomic<long> malloc_calls{0};

extern "C" void* malloc(size_t n) {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
    return __libc_malloc(n);
}
extern "C" void* calloc(size_t n, size_t size) {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
    return __libc_calloc(n, size);
}
extern "C" void* realloc(void* p, size_t n) {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
    return __libc_realloc(p, n);
}
