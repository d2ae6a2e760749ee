// The gradient check: backpropagation's dC/dw and dC/db for one example against central finite
// differences of an independent double-precision forward pass (plain loops written from the
// textbook formulas, sharing no code with network.cpp: a check must not share code with what
// it checks). Not used in training.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "network.hpp"

namespace bpl {

// The data cost C_x of one example, computed from scratch in double precision: params in the
// network's layout (network.hpp), x (sizes[0]), y (sizes.back()).
double reference_cost(const std::vector<int>& sizes, Activation activation, Cost cost,
                      const std::vector<double>& params, const std::vector<float>& x,
                      const std::vector<float>& y);

struct GradEntry {
    int layer = 0;  // weight layer l
    bool bias = false;
    int row = 0, col = -1;  // neuron j of layer l+1; input k of layer l (-1 for a bias)
    size_t index = 0;       // into the parameters
    bool largest = false;   // picked for its large |gradient| (else at random)
    double backprop = 0.0, numeric = 0.0, rel_error = 0.0;
};

struct GradCheck {
    std::vector<GradEntry> entries;
    double max_rel_error = 0.0;
    double h = 0.0;  // the finite-difference step
};

// What the core's tests accept as agreement of float32 backprop with double finite differences
// (see tests/test_gradcheck.cpp for what is measured).
constexpr double grad_check_tolerance = 1e-2;

// |b - n| / max(|b|, |n|), and 0 where both are below 1e-7 (float32 noise; see the tests).
double relative_error(double backprop, double numeric);

// Per weight layer: the per_layer weights of largest |dC/dw|, per_layer random weights among
// those with a nonzero gradient, the bias of largest |dC/db| and a random bias. seed picks the
// random ones.
GradCheck grad_check(const Network& net, const std::vector<float>& x, const std::vector<float>& y,
                     int per_layer, uint64_t seed);

}  // namespace bpl
