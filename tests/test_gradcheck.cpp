// Tests of cpp/gradcheck.*: the independent double-precision cost agrees with the network's,
// backpropagation passes the check for every activation x cost pair (the tolerance and what
// float32 gives are stated below), and a planted fault in backprop fails it. The fault is
// planted at build time: CMake compiles this file a second time, as test_gradcheck_fault,
// against a copy of cpp/network.cpp with f'(z) dropped from BP2 (BPL_PLANTED_FAULT is then 1);
// the product's sources have no such switch.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "errors.hpp"
#include "gradcheck.hpp"
#include "trace.hpp"

using namespace bpl;

namespace {

// About 19% of the pixels lit, as in MNIST.
std::vector<float> mnist_like(int n, Rng& rng) {
    std::vector<float> x(size_t(n), 0.0f);
    for (auto& v : x)
        if (rng.uniform() < 0.19) v = float(0.2 + 0.8 * rng.uniform());
    return x;
}

struct Case {
    std::vector<int> sizes;
    Activation f;
    Cost c;
    Init init;
};

const std::vector<Case> cases = {
    {{784, 30, 10}, Activation::sigmoid, Cost::quadratic, Init::gaussian},  // Nielsen's
    {{784, 40, 20, 10}, Activation::relu, Cost::log_likelihood, Init::scaled},
    {{784, 30, 10}, Activation::sigmoid, Cost::cross_entropy, Init::scaled},
    {{20, 9, 7, 4}, Activation::tanh, Cost::quadratic, Init::gaussian},
    {{20, 9, 7, 4}, Activation::tanh, Cost::cross_entropy, Init::scaled},
    {{20, 9, 7, 4}, Activation::tanh, Cost::log_likelihood, Init::scaled},
    {{20, 9, 7, 4}, Activation::relu, Cost::quadratic, Init::scaled},
    {{20, 9, 7, 4}, Activation::relu, Cost::cross_entropy, Init::scaled},
    {{20, 9, 7, 4}, Activation::sigmoid, Cost::log_likelihood, Init::gaussian},
};

// The largest relative error of the check over a few examples of each case.
double worst(const Case& k, int examples, bool print) {
    Rng rng(21);
    Network net(k.sizes, k.f, k.c, 1);
    net.init(k.init, rng);
    double w = 0.0;
    size_t checked = 0, nonzero = 0;
    for (int e = 0; e < examples; ++e) {
        const std::vector<float> x = mnist_like(k.sizes[0], rng);
        const std::vector<float> y = target(int(rng.below(uint64_t(k.sizes.back()))), k.sizes.back());
        const GradCheck g = grad_check(net, x, y, 5, uint64_t(e));
        w = std::max(w, g.max_rel_error);
        for (const GradEntry& en : g.entries) {
            checked++;
            nonzero += en.backprop != 0.0;
        }
    }
    if (print)
        MESSAGE(format_sizes(k.sizes) << " " << std::string(name(k.f)) << " + " << std::string(name(k.c))
                                      << ": largest relative error " << w << " over " << checked
                                      << " parameters (" << nonzero << " nonzero gradients)");
    CHECK(nonzero > checked / 3);  // the check looked at real gradients
    return w;
}

}  // namespace

TEST_CASE("the reference cost agrees with the network's own cost") {
    for (const Case& k : cases) {
        CAPTURE(name(k.f));
        CAPTURE(name(k.c));
        Rng rng(4);
        Network net(k.sizes, k.f, k.c, 1);
        net.init(k.init, rng);
        const std::vector<float> x = mnist_like(k.sizes[0], rng), y = target(1, k.sizes.back());
        const Trace t = trace_example(net, x, y, 1.0f);
        const std::vector<double> p(net.params(), net.params() + net.param_count());
        CHECK(reference_cost(k.sizes, k.f, k.c, p, x, y) == doctest::Approx(t.cost).epsilon(1e-4));
    }
}

#if !BPL_PLANTED_FAULT

TEST_CASE("backpropagation passes the gradient check for every activation x cost pair") {
    // float32 backprop against double finite differences: the error is float32 rounding in
    // the forward and backward sums (about 1e-7 relative per operation, growing with the sums'
    // lengths and their cancellation; a ReLU whose z lies within h of its kink adds more).
    // Measured: up to 1.4e-4 here; on real digits up to 4.9e-4, for [784,40,20,10] ReLU +
    // log-likelihood after one epoch (the page, training image 7). The tolerance, 1e-2, is 20
    // times that; the planted fault gives 0.89 and more. Gradients under 1e-7 (float32 noise
    // against costs of order 1) count as agreeing.
    for (const Case& k : cases) CHECK(worst(k, 3, true) < grad_check_tolerance);
}

TEST_CASE("the check picks the largest gradients and random ones, and reports where they are") {
    Rng rng(8);
    Network net({30, 8, 4}, Activation::sigmoid, Cost::quadratic, 1);
    net.init(Init::gaussian, rng);
    const std::vector<float> x = mnist_like(30, rng), y = target(2, 4);
    const GradCheck g = grad_check(net, x, y, 3, 1);
    const Trace t = trace_example(net, x, y, 1.0f);
    int largest = 0;
    for (const GradEntry& e : g.entries) {
        CAPTURE(e.index);
        const LayerTrace& lt = t.layers[e.layer];
        const int rows = net.sizes()[e.layer + 1];
        if (e.bias) {
            CHECK(e.index == net.b_offset(e.layer) + size_t(e.row));
            CHECK(e.backprop == lt.grad_b[e.row]);
        } else {
            CHECK(e.index == net.w_offset(e.layer) + size_t(e.col) * rows + size_t(e.row));
            CHECK(e.backprop == lt.grad_w[size_t(e.col) * rows + size_t(e.row)]);
        }
        largest += e.largest && !e.bias;
    }
    CHECK(largest == 2 * 3);
    double top = 0.0;
    for (float v : t.layers[0].grad_w) top = std::max(top, double(std::fabs(v)));
    bool found = false;
    for (const GradEntry& e : g.entries) found = found || (e.largest && std::fabs(e.backprop) == top);
    CHECK(found);
}

TEST_CASE("relative error: symmetric, zero for agreeing tiny gradients") {
    CHECK(relative_error(1.0, 1.0) == 0.0);
    CHECK(relative_error(1.0, 0.5) == doctest::Approx(0.5));
    CHECK(relative_error(0.5, 1.0) == doctest::Approx(0.5));
    CHECK(relative_error(1e-9, -1e-9) == 0.0);
    CHECK(relative_error(1e-3, 0.0) == 1.0);
}

#else

TEST_CASE("planted fault: BP2 without f'(z) fails the gradient check") {
    // Every case with a hidden layer before another weight layer is affected.
    for (const Case& k : cases) CHECK(worst(k, 3, true) > grad_check_tolerance);
}

#endif
