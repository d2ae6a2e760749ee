// Counts heap allocations of this test binary by interposing malloc (glibc only): Eigen and
// operator new both end in malloc. Include it in exactly one file of a test binary (under ASan,
// where all of it is inline, in any number).
#pragma once
#include <atomic>
#include <cstddef>

#if defined(__SANITIZE_ADDRESS__)
// Under ASan, which owns malloc, the count comes from its allocation hook (every malloc, calloc,
// realloc and operator new passes through it) instead of an interposed malloc.
// (Declared here: GCC installs the runtime but not its header, sanitizer/allocator_interface.h.)
extern "C" int __sanitizer_install_malloc_and_free_hooks(void (*)(const volatile void*, size_t),
                                                         void (*)(const volatile void*));

inline std::atomic<long> malloc_calls{0};
inline void count_malloc(const volatile void*, size_t) {
    malloc_calls.fetch_add(1, std::memory_order_relaxed);
}
inline void count_free(const volatile void*) {}
inline const int malloc_hooks_installed = __sanitizer_install_malloc_and_free_hooks(count_malloc, count_free);
#else
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
#endif
