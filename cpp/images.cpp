// Sparse storage of images: only nonzero pixels are kept, as (index, byte) pairs.
// Not a converter to dense batches for training: the network reads index/value directly.
#include "images.hpp"

#include <algorithm>
#include <cstring>

namespace bpl {

void Images::push(const uint8_t* bytes) {
    const size_t n = size_t(pixels());
    // The lit pixels gathered in a scratch buffer, then appended. Sixteen bytes at a time: a run
    // of sixteen unlit pixels (most of an MNIST digit's border) is two 8-byte loads and a test;
    // in any other, each pixel is written and kept only if lit, with no branch per pixel (a digit's
    // edge made that branch unpredictable; this is most of reading MNIST's 47 MB).
    static thread_local std::vector<uint16_t> lit_index;
    static thread_local std::vector<uint8_t> lit_value;
    if (lit_index.size() < n) {
        lit_index.resize(n);
        lit_value.resize(n);
    }
    uint16_t* __restrict at_index = lit_index.data();
    uint8_t* __restrict at_value = lit_value.data();
    size_t lit = 0;
    const auto take = [&](size_t from, size_t to) {
        for (size_t p = from; p < to; ++p) {
            const uint8_t b = bytes[p];
            at_index[lit] = uint16_t(p);
            at_value[lit] = b;
            lit += b != 0;
        }
    };
    size_t p = 0;
    for (; p + 16 <= n; p += 16) {
        uint64_t lo, hi;
        std::memcpy(&lo, bytes + p, 8);
        std::memcpy(&hi, bytes + p + 8, 8);
        if ((lo | hi) != 0) take(p, p + 16);
    }
    take(p, n);
    index.insert(index.end(), at_index, at_index + lit);
    value.insert(value.end(), at_value, at_value + lit);
    start.push_back(uint32_t(index.size()));
}

std::vector<float> Images::dense(size_t i) const {
    std::vector<float> a(size_t(pixels()), 0.0f);
    for (uint32_t k = start[i]; k < start[i + 1]; ++k) a[index[k]] = float(value[k]) / 255.0f;
    return a;
}

void Images::bytes(size_t i, uint8_t* out) const {
    std::fill(out, out + pixels(), uint8_t(0));
    for (uint32_t k = start[i]; k < start[i + 1]; ++k) out[index[k]] = value[k];
}

}  // namespace bpl
