// Tests of cpp/network.*: backpropagation against finite differences for every activation x
// cost pair, one SGD step lowering its batch's cost, the parameter layout, no allocation per step.
#include <doctest/doctest.h>

#include <cmath>
#include <utility>
#include <vector>

#include "malloc_counter.hpp"
#include "network.hpp"

using namespace bpl;

namespace {

// m random inputs of n values, about half of them zero (as MNIST's are mostly zero).
SparseBatch random_batch(int n, int m, Rng& rng) {
    SparseBatch x(n, m);
    std::vector<float> v(n);
    for (int s = 0; s < m; ++s) {
        for (auto& f : v) f = rng.uniform() < 0.5 ? 0.0f : float(rng.uniform());
        x.add_dense(v.data());
    }
    return x;
}

MatrixXf one_hot(int classes, int m, Rng& rng) {
    MatrixXf y = MatrixXf::Zero(classes, m);
    for (int s = 0; s < m; ++s) y(int(rng.below(classes)), s) = 1.0f;
    return y;
}

double cost_of(Network& net, const SparseBatch& x, const MatrixXf& y) {
    net.forward(x);
    return net.cost_sum(y);
}

// dC/dparam i by central differences (h = 0.01: float32 costs need a wide step).
double numeric_gradient(Network& net, const SparseBatch& x, const MatrixXf& y, size_t i) {
    const float p = net.params()[i], h = 1e-2f;
    net.params()[i] = p + h;
    const double up = cost_of(net, x, y);
    net.params()[i] = p - h;
    const double down = cost_of(net, x, y);
    net.params()[i] = p;
    return (up - down) / (2.0 * h);
}

// Backpropagates x, y and checks grads() against finite differences for every step-th parameter
// in [begin, end). Returns how many of those gradients were nonzero (the check saw real ones).
int check_gradients(Network& net, const SparseBatch& x, const MatrixXf& y, size_t begin, size_t end,
                    size_t step = 1) {
    net.forward(x);
    net.backward(x, y);
    const std::vector<float> g(net.grads(), net.grads() + net.param_count());
    int nonzero = 0;
    for (size_t i = begin; i < end; i += step) {
        CAPTURE(i);
        CHECK(g[i] == doctest::Approx(numeric_gradient(net, x, y, i)).epsilon(2e-2).scale(1.0));
        nonzero += g[i] != 0.0f;
    }
    return nonzero;
}

}  // namespace

TEST_CASE("backpropagation matches finite differences for every activation and cost") {
    for (Activation f : {Activation::sigmoid, Activation::tanh, Activation::relu}) {
        for (Cost c : {Cost::quadratic, Cost::cross_entropy, Cost::log_likelihood}) {
            CAPTURE(name(f));
            CAPTURE(name(c));
            Rng rng(7);
            Network net({6, 5, 4, 3}, f, c, 4);
            net.init(Init::scaled, rng);
            const SparseBatch x = random_batch(6, 4, rng);
            const MatrixXf y = one_hot(3, 4, rng);
            CHECK(check_gradients(net, x, y, 0, net.param_count()) > int(net.param_count()) / 2);
        }
    }
}

TEST_CASE("backpropagation matches finite differences for first layers wider than one kernel slice") {
    for (int hidden : {8, 30, 64, 70, 100}) {  // the first-layer kernel works in slices of <= 64
        CAPTURE(hidden);
        Rng rng(13);
        Network net({12, hidden, 4}, Activation::tanh, Cost::log_likelihood, 3);
        net.init(Init::scaled, rng);
        const SparseBatch x = random_batch(12, 3, rng);
        const MatrixXf y = one_hot(4, 3, rng);
        check_gradients(net, x, y, 0, net.b_offset(0), 7);  // a sample of w[0]
    }
}

TEST_CASE("backpropagation matches finite differences on both sides of the small-layer switch") {
    // Later layers of at most 64 x 64 go through the kernels, larger ones through Eigen
    // (Network::small); the batch fills only part of the buffers, as in training.
    for (const std::vector<int>& sizes :
         {std::vector<int>{6, 64, 64, 3}, std::vector<int>{6, 64, 65, 3}, std::vector<int>{6, 65, 64, 3}}) {
        for (auto [f, c] : {std::pair{Activation::sigmoid, Cost::cross_entropy},
                            std::pair{Activation::tanh, Cost::log_likelihood}}) {
            CAPTURE(sizes[1]);
            CAPTURE(sizes[2]);
            CAPTURE(name(f));
            Rng rng(21);
            Network net(sizes, f, c, 9);
            net.init(Init::scaled, rng);
            const SparseBatch x = random_batch(6, 5, rng);
            const MatrixXf y = one_hot(3, 5, rng);
            check_gradients(net, x, y, 0, net.w_offset(1), 5);         // a sample of layer 0
            const size_t later = net.param_count() - net.w_offset(1);  // all of layers 1 and 2
            CHECK(check_gradients(net, x, y, net.w_offset(1), net.param_count()) > int(later) / 2);
        }
    }
}

TEST_CASE("gradients of inputs that are zero are exactly zero, even after a batch that lit them") {
    Rng rng(3);
    Network net({4, 3, 2}, Activation::sigmoid, Cost::quadratic, 2);
    net.init(Init::gaussian, rng);
    const MatrixXf y = one_hot(2, 1, rng);
    SparseBatch lit(4, 1), dark(4, 1);
    const float all[4] = {1, 1, 1, 1}, one[4] = {0, 0, 0.5f, 0};
    lit.add_dense(all);
    dark.add_dense(one);
    net.forward(lit);
    net.backward(lit, y);
    net.forward(dark);
    net.backward(dark, y);
    for (int j = 0; j < 4; ++j)
        for (int i = 0; i < 3; ++i)
            if (j != 2) CHECK(net.grads()[net.w_offset(0) + j * 3 + i] == 0.0f);
            else CHECK(net.grads()[net.w_offset(0) + j * 3 + i] != 0.0f);
}

TEST_CASE("one SGD step lowers the cost of its batch") {
    for (Cost c : {Cost::quadratic, Cost::cross_entropy, Cost::log_likelihood}) {
        CAPTURE(name(c));
        Rng rng(11);
        Network net({20, 10, 5}, Activation::sigmoid, c, 8);
        net.init(Init::gaussian, rng);
        const SparseBatch x = random_batch(20, 8, rng);
        const MatrixXf y = one_hot(5, 8, rng);
        const double before = cost_of(net, x, y);
        net.backward(x, y);
        CHECK(net.update(0.5f, 0.0f, 100, 8));
        CHECK(cost_of(net, x, y) < before);
    }
}

TEST_CASE("weight decay shrinks weights and leaves biases alone") {
    Rng rng(5);
    Network net({3, 2}, Activation::sigmoid, Cost::quadratic, 1);
    net.init(Init::gaussian, rng);
    SparseBatch x(3, 1);
    const float zero[3] = {0, 0, 0};
    x.add_dense(zero);
    MatrixXf y = MatrixXf::Zero(2, 1);
    net.forward(x);
    net.backward(x, y);  // all-zero input: the weights get no gradient, only the decay
    const std::vector<float> before(net.params(), net.params() + net.param_count());
    REQUIRE(net.update(1.0f, 10.0f, 100, 1));  // decay 1 - 1*10/100 = 0.9
    for (size_t i = net.w_offset(0); i < net.b_offset(0); ++i)
        CHECK(net.params()[i] == doctest::Approx(0.9 * before[i]));
    for (size_t i = net.b_offset(0); i < net.param_count(); ++i) CHECK(net.params()[i] != before[i]);
}

TEST_CASE("parameters are laid out as documented: w[l] column-major, then b[l]") {
    Network net({4, 3, 2}, Activation::sigmoid, Cost::quadratic, 1);
    CHECK(net.param_count() == 4 * 3 + 3 + 3 * 2 + 2);
    CHECK(net.w_offset(0) == 0);
    CHECK(net.b_offset(0) == 12);
    CHECK(net.w_offset(1) == 15);
    CHECK(net.b_offset(1) == 21);
    net.params()[net.w_offset(0) + 2 * 3 + 1] = 7.0f;  // input 2 -> neuron 1
    CHECK(net.w(0)(1, 2) == 7.0f);
    // Only input 2 is lit, with weight 7 into neuron 1 and bias 0: z[0](1) = 7 * 0.5.
    const float x[4] = {0, 0, 0.5f, 0};
    net.predict(x);
    net.params()[net.b_offset(1)] = 1.0f;
    const auto out = net.predict(x);
    REQUIRE(out.size() == 2);
    CHECK(out[0] == doctest::Approx(1.0 / (1.0 + std::exp(-1.0))));
}

TEST_CASE("softmax outputs are a probability distribution, even for huge z") {
    Rng rng(2);
    Network net({5, 4}, Activation::relu, Cost::log_likelihood, 1);
    net.init(Init::gaussian, rng);
    for (size_t i = 0; i < net.param_count(); ++i) net.params()[i] *= 1000.0f;
    const float x[5] = {1, 1, 1, 1, 1};
    const auto out = net.predict(x);
    double sum = 0;
    for (float a : out) {
        CHECK(std::isfinite(a));
        sum += a;
    }
    CHECK(sum == doctest::Approx(1.0));
}

TEST_CASE("update reports NaN and Inf in the weights") {
    Rng rng(1);
    Network net({3, 2}, Activation::sigmoid, Cost::quadratic, 1);
    net.init(Init::gaussian, rng);
    const float x[3] = {1, 0, 0};
    SparseBatch batch(3, 1);
    batch.add_dense(x);
    MatrixXf y = MatrixXf::Zero(2, 1);
    net.forward(batch);
    net.backward(batch, y);
    net.params()[net.b_offset(0)] = INFINITY;
    CHECK_FALSE(net.update(0.1f, 0.0f, 10, 1));
}

TEST_CASE("a training step allocates nothing") {
    Rng rng(4);
    Network net({784, 30, 10}, Activation::sigmoid, Cost::quadratic, 10);
    net.init(Init::gaussian, rng);
    const SparseBatch x = random_batch(784, 10, rng);
    const MatrixXf y = one_hot(10, 10, rng);
    net.forward(x);  // warm up: nothing lazily allocated on first use either
    const long before = malloc_calls.load();
    for (int step = 0; step < 5; ++step) {
        net.forward(x);
        volatile double c = net.cost_sum(y);
        (void)c;
        net.backward(x, y);
        net.update(3.0f, 0.0f, 50000, 10);
    }
    CHECK(malloc_calls.load() == before);
}
