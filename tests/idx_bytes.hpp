// Synthetic IDX files as bytes, for the tests of the IDX reader and of file loading.
// Not a writer the core uses: MNIST files only ever come from outside.
#pragma once
#include <cstdint>
#include <random>
#include <vector>

using Bytes = std::vector<uint8_t>;

inline void put32(Bytes& b, uint32_t v) {
    for (int shift = 24; shift >= 0; shift -= 8) b.push_back(uint8_t(v >> shift));
}

// An idx3 image file: about half the pixels zero, the rest 1..255, seeded.
inline Bytes idx_images(uint32_t count, uint32_t rows, uint32_t cols, uint32_t seed = 1,
                        uint32_t magic = 0x00000803) {
    Bytes b;
    put32(b, magic);
    put32(b, count);
    put32(b, rows);
    put32(b, cols);
    std::mt19937 gen(seed);
    for (size_t i = 0; i < size_t(count) * rows * cols; ++i)
        b.push_back(gen() % 2 ? uint8_t(1 + gen() % 255) : 0);
    return b;
}

inline Bytes idx_labels(const Bytes& labels, uint32_t magic = 0x00000801) {
    Bytes b;
    put32(b, magic);
    put32(b, uint32_t(labels.size()));
    b.insert(b.end(), labels.begin(), labels.end());
    return b;
}
