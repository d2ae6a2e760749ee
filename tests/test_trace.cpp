// Tests of cpp/trace.*: the trace of one example is what the training code computes for it
// (bit for bit against backward() with m = 1 in a training-sized network), for every activation
// x cost pair and one to three hidden layers; it obeys BP1-BP4 as written; the one-example step
// lowers the example's cost; step networks and bad sizes are refused.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "errors.hpp"
#include "trace.hpp"

using namespace bpl;

namespace {

std::vector<float> random_input(int n, Rng& rng) {
    std::vector<float> x(static_cast<size_t>(n));
    for (auto& v : x) v = rng.uniform() < 0.5 ? 0.0f : float(rng.uniform());
    return x;
}

const std::vector<std::vector<int>> shapes = {{12, 7, 3}, {12, 9, 5, 3}, {12, 70, 6, 5, 3}};

}  // namespace

TEST_CASE("the trace equals backward() for m = 1, bit for bit, for every activation x cost and depth") {
    for (const auto& sizes : shapes)
        for (Activation f : {Activation::sigmoid, Activation::tanh, Activation::relu})
            for (Cost c : {Cost::quadratic, Cost::cross_entropy, Cost::log_likelihood}) {
                CAPTURE(sizes.size());
                CAPTURE(name(f));
                CAPTURE(name(c));
                Rng rng(3);
                Network net(sizes, f, c, 100);  // the trainer's buffer size, not the trace's 1
                net.init(Init::scaled, rng);
                const std::vector<float> x = random_input(sizes[0], rng);
                const std::vector<float> y = target(int(rng.below(3)), 3);
                const Trace t = trace_example(net, x, y, 0.5f);

                SparseBatch batch(sizes[0], 100);
                batch.add_dense(x.data());
                const Eigen::Map<const MatrixXf> ym(y.data(), 3, 1);
                net.forward(batch);
                CHECK(t.cost == net.cost_sum(ym));
                net.backward(batch, ym);
                const float* g = net.grads();
                REQUIRE(t.layers.size() == sizes.size() - 1);
                for (int l = 0; l < net.layers(); ++l) {
                    CAPTURE(l);
                    const LayerTrace& lt = t.layers[l];
                    const int rows = sizes[l + 1];
                    for (int j = 0; j < rows; ++j) {
                        CHECK(lt.z[j] == net.z(l)(j, 0));
                        CHECK(lt.a[j] == net.a(l)(j, 0));
                        CHECK(lt.delta[j] == net.delta(l)(j, 0));
                        CHECK(lt.grad_b[j] == g[net.b_offset(l) + j]);
                        if (!(l == net.layers() - 1 && c == Cost::log_likelihood))
                            CHECK(lt.fprime[j] == net.fprime(l)(j, 0));
                    }
                    REQUIRE(lt.grad_w.size() == size_t(rows) * sizes[l]);
                    for (size_t i = 0; i < lt.grad_w.size(); ++i)
                        CHECK(lt.grad_w[i] == g[net.w_offset(l) + i]);
                }
            }
}

TEST_CASE("the trace obeys BP1-BP4 as the book writes them") {
    for (Cost c : {Cost::quadratic, Cost::cross_entropy, Cost::log_likelihood}) {
        CAPTURE(name(c));
        Rng rng(5);
        const std::vector<int> sizes{12, 9, 5, 3};
        Network net(sizes, Activation::sigmoid, c, 1);
        net.init(Init::scaled, rng);  // unsaturated: a(1 - a) keeps its digits in BP1's product
        const std::vector<float> x = random_input(12, rng), y = target(2, 3);
        const Trace t = trace_example(net, x, y, 3.0f);
        const int L = net.layers();
        const LayerTrace& top = t.layers[L - 1];
        for (int j = 0; j < 3; ++j) {
            // BP1: delta^L = grad_a C (.) sigma'(z^L) for a sigmoid output; for cross-entropy sigma'
            // cancels and for softmax + log-likelihood the whole Jacobian does: a - y.
            if (c != Cost::log_likelihood)
                CHECK(top.delta[j] == doctest::Approx(double(t.cost_grad[j]) * top.fprime[j]).epsilon(1e-4));
            if (c != Cost::quadratic) CHECK(top.delta[j] == doctest::Approx(top.a[j] - y[j]).epsilon(1e-5));
        }
        for (int l = 0; l < L; ++l) {
            const int rows = sizes[l + 1], cols = sizes[l];
            const std::vector<float>& prev = l == 0 ? t.x : t.layers[l - 1].a;
            for (int j = 0; j < rows; ++j) {
                CHECK(t.layers[l].grad_b[j] == t.layers[l].delta[j]);  // BP3
                for (int k = 0; k < cols; ++k)                         // BP4
                    CHECK(t.layers[l].grad_w[size_t(k) * rows + j] ==
                          doctest::Approx(double(prev[k]) * t.layers[l].delta[j]).epsilon(1e-5));
            }
            if (l == 0) continue;
            // BP2: delta^{l} = ((w^{l+1})^T delta^{l+1}) (.) sigma'(z^l)
            const auto w = net.w(l);
            for (int k = 0; k < cols; ++k) {
                double sum = 0.0;
                for (int j = 0; j < rows; ++j) sum += double(w(j, k)) * t.layers[l].delta[j];
                CHECK(t.layers[l - 1].delta[k] ==
                      doctest::Approx(sum * t.layers[l - 1].fprime[k]).epsilon(1e-4).scale(1e-6));
            }
        }
    }
}

TEST_CASE("the one-example step lowers the example's cost and leaves the network alone") {
    Rng rng(11);
    Network net({12, 9, 3}, Activation::sigmoid, Cost::quadratic, 10);
    net.init(Init::gaussian, rng);
    const std::vector<float> before(net.params(), net.params() + net.param_count());
    const std::vector<float> x = random_input(12, rng), y = target(1, 3);
    const Trace t = trace_example(net, x, y, 0.5f);
    CHECK(t.cost_after < t.cost);
    CHECK(std::vector<float>(net.params(), net.params() + net.param_count()) == before);
    // The step is Nielsen's w <- w - eta dC/dw on this example alone (m = 1, no L2).
    for (int l = 0; l < net.layers(); ++l)
        for (size_t i = 0; i < t.layers[l].grad_w.size(); ++i) {
            const size_t p = net.w_offset(l) + i;
            CHECK(t.params_after[p] ==
                  doctest::Approx(before[p] - 0.5f * t.layers[l].grad_w[i]).epsilon(1e-6));
        }
}

TEST_CASE("a step network and inputs of the wrong size are refused") {
    Network step({2, 1}, Activation::step, Cost::quadratic, 1);
    CHECK_THROWS_WITH_AS(trace_example(step, {0, 1}, {1}, 1.0f), doctest::Contains("step"), Error);
    Network net({2, 2, 1}, Activation::sigmoid, Cost::quadratic, 1);
    CHECK_THROWS_WITH_AS(trace_example(net, {0, 1, 1}, {1}, 1.0f), doctest::Contains("expected 2 inputs"),
                         Error);
}

TEST_CASE("target() is one-hot, or the label itself for a single output") {
    CHECK(target(3, 5) == std::vector<float>{0, 0, 0, 1, 0});
    CHECK(target(1, 1) == std::vector<float>{1});
    CHECK(target(0, 1) == std::vector<float>{0});
}
