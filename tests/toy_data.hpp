// A small learnable task for the trainer's tests: n random sparse 6x6 images whose label is the
// brightest of 3 pixel groups, split like Nielsen's MNIST (train, validation, test). Tests only.
#pragma once
#include <vector>

#include "images.hpp"
#include "mnist.hpp"
#include "rng.hpp"

struct Toy {
    bpl::Images images;
    bpl::Labels labels;
    explicit Toy(size_t n, uint64_t seed = 9) {
        images.rows = images.cols = 6;
        bpl::Rng rng(seed);
        std::vector<uint8_t> px(36);
        for (size_t i = 0; i < n; ++i) {
            for (auto& p : px) p = rng.uniform() < 0.7 ? 0 : uint8_t(1 + rng.below(100));
            const int label = int(rng.below(3));
            for (int k = 0; k < 6; ++k) px[label * 12 + k] = 255;
            images.push(px.data());
            labels.push_back(uint8_t(label));
        }
    }
    bpl::Split split() const {
        const size_t n = images.size(), v = n / 6;
        return bpl::Split{bpl::Samples{&images, &labels, 0, n - 2 * v},
                          bpl::Samples{&images, &labels, n - 2 * v, v},
                          bpl::Samples{&images, &labels, n - v, v}};
    }
};
