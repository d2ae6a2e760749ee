// A model of the given shape with seeded N(0,1) parameters, for the model-file tests; with
// `spread`, each one also scaled by a random power of ten from 1e-6 to 1e5 (floats of every size).
// Tests only.
#pragma once
#include <cmath>
#include <vector>

#include "model_file.hpp"
#include "rng.hpp"

inline bpl::Model random_model(std::vector<int> sizes, bpl::Activation a, bpl::Cost c, uint64_t seed,
                               bool spread = false) {
    bpl::Model m;
    m.sizes = std::move(sizes);
    m.activation = a;
    m.cost = c;
    bpl::Rng rng(seed);
    m.params.resize(bpl::param_count(m.sizes));
    for (float& p : m.params) {
        p = float(rng.normal());
        if (spread) p = float(double(p) * std::pow(10.0, double(rng.below(12)) - 6));
    }
    return m;
}
