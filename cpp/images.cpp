// Sparse storage of images: only nonzero pixels are kept, as (index, byte) pairs.
// Not a converter to dense batches for training: the network reads index/value directly.
#include "images.hpp"

#include <algorithm>

namespace bpl {

void Images::push(const uint8_t* bytes) {
    const int n = pixels();
    // Count first, then grow once: no capacity check per pixel, and vector growth stays geometric.
    size_t lit = 0;
    for (int p = 0; p < n; ++p) lit += bytes[p] != 0;
    size_t k = index.size();
    index.resize(k + lit);
    value.resize(k + lit);
    for (int p = 0; p < n; ++p) {
        if (bytes[p] == 0) continue;
        index[k] = uint16_t(p);
        value[k] = bytes[p];
        ++k;
    }
    start.push_back(uint32_t(k));
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
