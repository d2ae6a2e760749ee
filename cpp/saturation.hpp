// Saturation, measured: the distribution of each hidden layer's weighted inputs z over a sample
// of images, and the share of units whose f'(z) is below 0.01 (they learn slowly: BP2 and BP4
// scale by f'(z)). Nielsen ch. 3, "Weight initialization". Not a plot: the page draws it.
#pragma once
#include <vector>

#include "images.hpp"
#include "network.hpp"

namespace bpl {

struct ZHistogram {
    int layer = 0;                 // weight layer l (layer l + 1 of the book; the last: the output)
    std::vector<double> counts;    // bins of equal width over [lo, hi]; outside: the end bins
    double saturated = 0.0;        // share of (unit, image) pairs with f'(z) < 0.01 (a softmax
                                   // output: its Jacobian's diagonal a (1 - a))
    double mean = 0.0, std = 0.0;  // of z
};

constexpr float saturated_below = 0.01f;

// Every weight layer's, the output layer last: with the quadratic cost a saturated output
// neuron learns slowly too (BP1 scales by sigma'(z)); cross-entropy cancels that factor.
// Forward over the first `samples` images of s (all if fewer), in the network's batch size.
// Throws Error for bins outside 1..1000 or lo >= hi.
std::vector<ZHistogram> z_histograms(Network& net, const Samples& s, size_t samples, int bins, double lo,
                                     double hi);

}  // namespace bpl
