// The trace of one example: a Network of batch 1 with the trained network's parameters runs
// forward, cost_sum and backward, the code of every training step, and its buffers are copied
// out; then Network::update makes the one-example step (Nielsen's w <- w - eta dC/dw, m = 1).
#include "trace.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "errors.hpp"

namespace bpl {

namespace {

std::vector<float> column(const Eigen::Ref<const MatrixXf>& m) {
    return std::vector<float>(m.data(), m.data() + m.rows());
}

// A copy of net with batch 1 (training buffers stay untouched).
Network single(const Network& net) {
    Network one(net.sizes(), net.activation(), net.cost(), 1);
    std::copy(net.params(), net.params() + net.param_count(), one.params());
    return one;
}

}  // namespace

std::vector<float> target(int label, int outputs) {
    std::vector<float> y(size_t(outputs), 0.0f);
    if (outputs == 1) y[0] = float(label);
    else if (label >= 0 && label < outputs) y[size_t(label)] = 1.0f;
    return y;
}

Trace trace_example(const Network& net, const std::vector<float>& x, const std::vector<float>& y, float eta) {
    if (net.activation() == Activation::step)
        throw Error("a network of step units has nothing to backpropagate: the step's derivative "
                    "is 0 wherever it is defined; set its weights by hand instead");
    const int L = net.layers(), out = net.sizes().back();
    if (x.size() != size_t(net.sizes()[0]) || y.size() != size_t(out))
        throw Error("trace: expected " + std::to_string(net.sizes()[0]) + " inputs and " +
                    std::to_string(out) + " targets, got " + std::to_string(x.size()) + " and " +
                    std::to_string(y.size()));
    Network one = single(net);
    SparseBatch batch(net.sizes()[0], 1);
    batch.add_dense(x.data());
    const Eigen::Map<const MatrixXf> ym(y.data(), out, 1);

    Trace t;
    t.x = x;
    t.y = y;
    t.eta = eta;
    one.forward(batch);
    t.cost = one.cost_sum(ym);
    one.backward(batch, ym);
    const float* g = one.grads();
    for (int l = 0; l < L; ++l) {
        LayerTrace lt;
        lt.z = column(one.z(l));
        lt.a = column(one.a(l));
        lt.fprime = column(one.fprime(l));
        lt.delta = column(one.delta(l));
        lt.grad_b.assign(g + one.b_offset(l), g + one.b_offset(l) + net.sizes()[l + 1]);
        lt.grad_w.assign(g + one.w_offset(l), g + one.b_offset(l));
        t.layers.push_back(std::move(lt));
    }
    LayerTrace& top = t.layers.back();
    if (net.cost() == Cost::log_likelihood)
        for (size_t j = 0; j < top.a.size(); ++j) top.fprime[j] = top.a[j] * (1.0f - top.a[j]);
    // grad_a C, from the core's a (cross-entropy: from z in double, where a(1 - a) keeps its
    // digits long after float32's a has rounded to 0 or 1; it overflows a float only past |z| 88).
    t.cost_grad.resize(size_t(out));
    for (size_t j = 0; j < t.cost_grad.size(); ++j) {
        const double a = top.a[j], z = top.z[j];
        switch (net.cost()) {
            case Cost::quadratic: t.cost_grad[j] = float(a - y[j]); break;  // a - y
            case Cost::cross_entropy: {                                     // (a - y) / (a (1 - a))
                const double s = 1.0 / (1.0 + std::exp(-z)), slope = s * (1.0 - s);
                t.cost_grad[j] = float((s - y[j]) / slope);
                break;
            }
            case Cost::log_likelihood: t.cost_grad[j] = float(-y[j] / a); break;  // -y / a
        }
    }

    one.update(eta, 0.0f, 1, 1);
    t.params_after.assign(one.params(), one.params() + one.param_count());
    one.forward(batch);
    t.cost_after = one.cost_sum(ym);
    return t;
}

}  // namespace bpl
