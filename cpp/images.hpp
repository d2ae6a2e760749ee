// A set of images kept sparse: MNIST pixels are about 81% zeros, so each image stores only its
// nonzero pixels (index, byte). 70,000 MNIST images take ~32 MB instead of 220 MB of floats,
// and the first layer only touches the weights of lit pixels. Not a general sparse matrix.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace bpl {

struct Images {
    int rows = 0, cols = 0;          // 28 x 28 for MNIST
    std::vector<uint32_t> start{0};  // image i's pixels are [start[i], start[i+1])
    std::vector<uint16_t> index;     // pixel index r * cols + c, increasing within an image
    std::vector<uint8_t> value;      // 1..255; the pixel's float is value / 255

    int pixels() const { return rows * cols; }
    size_t size() const { return start.size() - 1; }
    size_t nonzeros() const { return index.size(); }

    // Appends one image given as pixels() bytes, row by row.
    void push(const uint8_t* bytes);
    // Image i as pixels() floats in [0, 1].
    std::vector<float> dense(size_t i) const;
    // Image i as its pixels() bytes, row by row, as in the IDX file: into out.
    void bytes(size_t i, uint8_t* out) const;
};

using Labels = std::vector<uint8_t>;

// A contiguous range of labelled images, e.g. Nielsen's 50,000 training images.
struct Samples {
    const Images* images = nullptr;
    const Labels* labels = nullptr;
    size_t begin = 0, count = 0;
    size_t size() const { return count; }
};

}  // namespace bpl
