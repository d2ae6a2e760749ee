// Finite differences against backpropagation. The forward pass here is deliberately naive:
// double precision, one neuron at a time, the activation and cost formulas as the book writes
// them (with the stable forms of log(1 + e^z)), so a fault in network.cpp cannot hide in both.
#include "gradcheck.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "rng.hpp"
#include "trace.hpp"

namespace bpl {

namespace {

double f(Activation act, double z) {
    switch (act) {
        case Activation::sigmoid: return 1.0 / (1.0 + std::exp(-z));
        case Activation::tanh: return std::tanh(z);
        case Activation::relu: return z > 0.0 ? z : 0.0;
        case Activation::step: return z > 0.0 ? 1.0 : 0.0;
    }
    return 0.0;
}

double log1pexp(double z) { return z > 0.0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

}  // namespace

double reference_cost(const std::vector<int>& sizes, Activation activation, Cost cost,
                      const std::vector<double>& params, const std::vector<float>& x,
                      const std::vector<float>& y) {
    std::vector<double> a(x.begin(), x.end()), z;
    size_t offset = 0;
    const size_t L = sizes.size() - 1;
    for (size_t l = 0; l < L; ++l) {
        const int in = sizes[l], out = sizes[l + 1];
        const double* w = params.data() + offset;  // column-major (out, in)
        const double* b = w + size_t(in) * size_t(out);
        z.assign(size_t(out), 0.0);
        for (int j = 0; j < out; ++j) {
            double s = b[j];
            for (int k = 0; k < in; ++k) s += w[size_t(k) * out + j] * a[size_t(k)];
            z[size_t(j)] = s;
        }
        offset += size_t(in) * out + out;
        if (l + 1 < L) {
            a.resize(size_t(out));
            for (int j = 0; j < out; ++j) a[size_t(j)] = f(activation, z[size_t(j)]);
        }
    }
    double c = 0.0;
    switch (cost) {
        case Cost::quadratic:  // 1/2 sum (a - y)^2 with a = sigma(z)
            for (size_t j = 0; j < z.size(); ++j) {
                const double d = f(Activation::sigmoid, z[j]) - y[j];
                c += 0.5 * d * d;
            }
            break;
        case Cost::cross_entropy:  // -[y ln a + (1 - y) ln(1 - a)]: ln a = -log1pexp(-z), ln(1-a) =
                                   // -log1pexp(z)
            for (size_t j = 0; j < z.size(); ++j) c += y[j] * log1pexp(-z[j]) + (1.0 - y[j]) * log1pexp(z[j]);
            break;
        case Cost::log_likelihood: {  // -sum y_j ln softmax(z)_j
            const double zmax = *std::max_element(z.begin(), z.end());
            double e = 0.0;
            for (double v : z) e += std::exp(v - zmax);
            for (size_t j = 0; j < z.size(); ++j) c += y[j] * (zmax + std::log(e) - z[j]);
            break;
        }
    }
    return c;
}

double relative_error(double backprop, double numeric) {
    const double scale = std::max(std::fabs(backprop), std::fabs(numeric));
    return scale < 1e-7 ? 0.0 : std::fabs(backprop - numeric) / scale;
}

GradCheck grad_check(const Network& net, const std::vector<float>& x, const std::vector<float>& y,
                     int per_layer, uint64_t seed) {
    const Trace t = trace_example(net, x, y, 0.0f);  // backprop's gradients (the step unused)
    std::vector<double> p(net.params(), net.params() + net.param_count());
    GradCheck check;
    check.h = 1e-5;
    Rng rng(seed);
    auto add = [&](int l, bool bias, size_t i, bool largest) {
        const int rows = net.sizes()[l + 1];
        GradEntry e;
        e.layer = l;
        e.bias = bias;
        e.row = bias ? int(i) : int(i % size_t(rows));
        e.col = bias ? -1 : int(i / size_t(rows));
        e.index = (bias ? net.b_offset(l) : net.w_offset(l)) + i;
        e.largest = largest;
        e.backprop = bias ? t.layers[l].grad_b[i] : t.layers[l].grad_w[i];
        for (const GradEntry& seen : check.entries)
            if (seen.index == e.index) return;
        const double keep = p[e.index];
        p[e.index] = keep + check.h;
        const double plus = reference_cost(net.sizes(), net.activation(), net.cost(), p, x, y);
        p[e.index] = keep - check.h;
        const double minus = reference_cost(net.sizes(), net.activation(), net.cost(), p, x, y);
        p[e.index] = keep;
        e.numeric = (plus - minus) / (2.0 * check.h);
        e.rel_error = relative_error(e.backprop, e.numeric);
        check.max_rel_error = std::max(check.max_rel_error, e.rel_error);
        check.entries.push_back(e);
    };
    auto by_size = [](const std::vector<float>& g, size_t k) {
        std::vector<size_t> order(g.size());
        std::iota(order.begin(), order.end(), size_t(0));
        k = std::min(k, g.size());
        std::partial_sort(order.begin(), order.begin() + ptrdiff_t(k), order.end(),
                          [&](size_t a, size_t b) { return std::fabs(g[a]) > std::fabs(g[b]); });
        order.resize(k);
        return order;
    };
    for (int l = 0; l < net.layers(); ++l) {
        const LayerTrace& lt = t.layers[l];
        for (size_t i : by_size(lt.grad_w, size_t(per_layer))) add(l, false, i, true);
        // Random weights among those this example moves: most of MNIST's first-layer gradients
        // are exactly 0 (black pixels), and 0 against 0 checks nothing.
        std::vector<size_t> moved;
        for (size_t i = 0; i < lt.grad_w.size(); ++i)
            if (lt.grad_w[i] != 0.0f) moved.push_back(i);
        for (int r = 0; r < per_layer; ++r)
            add(l, false,
                moved.empty() ? size_t(rng.below(lt.grad_w.size())) : moved[rng.below(moved.size())], false);
        add(l, true, by_size(lt.grad_b, 1)[0], true);
        add(l, true, size_t(rng.below(lt.grad_b.size())), false);
    }
    return check;
}

}  // namespace bpl
