// Sparse storage of images: only nonzero pixels are kept, as (index, byte) pairs.
// Not a converter to dense batches for training: the network reads index/value directly.
#include "images.hpp"

#include <algorithm>

namespace bpl {

void Images::push(const uint8_t* bytes) {
    const int n = pixels();
    // Room for every pixel, then each one written and kept only if lit: no branch per pixel (a
    // digit's edge made the branch unpredictable; this is most of reading MNIST's 47 MB). The
    // vectors then shrink to what was kept; their capacity stays, so growth stays geometric.
    const size_t k = index.size();
    index.resize(k + size_t(n));
    value.resize(k + size_t(n));
    uint16_t* at_index = index.data() + k;
    uint8_t* at_value = value.data() + k;
    size_t lit = 0;
    for (int p = 0; p < n; ++p) {
        const uint8_t b = bytes[p];
        at_index[lit] = uint16_t(p);
        at_value[lit] = b;
        lit += b != 0;
    }
    index.resize(k + lit);
    value.resize(k + lit);
    start.push_back(uint32_t(k + lit));
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
