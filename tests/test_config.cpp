// Tests for cpp/config.*: names round-trip, sizes parse, and every kind of bad config is rejected
// with its own message. Not a test of training: nothing here builds a network.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "config.hpp"
#include "errors.hpp"

using namespace bpl;

TEST_CASE("names and parsers round-trip") {
    for (Activation a : {Activation::sigmoid, Activation::tanh, Activation::relu})
        CHECK(parse_activation(name(a)) == a);
    for (Cost c : {Cost::quadratic, Cost::cross_entropy, Cost::log_likelihood})
        CHECK(parse_cost(name(c)) == c);
    for (Init i : {Init::gaussian, Init::scaled}) CHECK(parse_init(name(i)) == i);
    CHECK(std::string(name(Cost::cross_entropy)) == "cross-entropy");
    CHECK(std::string(name(Activation::relu)) == "relu");
}

TEST_CASE("unknown names list the valid choices") {
    CHECK_THROWS_WITH_AS(parse_activation("softplus"), doctest::Contains("sigmoid, tanh, relu or step"),
                         Error);
    CHECK_THROWS_WITH_AS(parse_activation("Sigmoid"), doctest::Contains("'Sigmoid'"), Error);
    CHECK_THROWS_WITH_AS(parse_cost("mse"), doctest::Contains("quadratic, cross-entropy or log-likelihood"),
                         Error);
    CHECK_THROWS_WITH_AS(parse_init("xavier"), doctest::Contains("gaussian or scaled"), Error);
}

TEST_CASE("parse_sizes accepts comma-separated positive integers") {
    CHECK(parse_sizes("784,30,10") == std::vector<int>{784, 30, 10});
    CHECK(parse_sizes("2,3,1") == std::vector<int>{2, 3, 1});
    CHECK(parse_sizes("784, 100 ,10") == std::vector<int>{784, 100, 10});
    CHECK(format_sizes(parse_sizes("784,30,10")) == "784,30,10");
    CHECK(format_sizes({5, 4, 3, 2}) == "5,4,3,2");
}

TEST_CASE("parse_sizes rejects each kind of bad list") {
    CHECK_THROWS_WITH_AS(parse_sizes(""), doctest::Contains("no layer sizes"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("   "), doctest::Contains("no layer sizes"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784,abc,10"), doctest::Contains("'abc', not a whole number"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784,30x,10"), doctest::Contains("'30x', not a whole number"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784,30,10;"), doctest::Contains("not a whole number"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784,3.5,10"), doctest::Contains("not a whole number"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784,-30,10"), doctest::Contains("negative"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784,,10"), doctest::Contains("layer 2 of '784,,10' is empty"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784,30,"), doctest::Contains("layer 3"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784,0,10"),
                         doctest::Contains("layer 2 has 0 neurons; every layer needs at least 1"), Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784"),
                         doctest::Contains("give at least an input and an output layer, e.g. 784,30,10"),
                         Error);
    CHECK_THROWS_WITH_AS(parse_sizes("784,99999999999999999999,10"), doctest::Contains("too large"), Error);
}

TEST_CASE("kernel_widths: layer 0 always, later layers only up to 64 x 64") {
    const KernelWidths a = kernel_widths({784, 30, 10});
    CHECK(a.widest == 32);  // padded(30)
    CHECK(a.widest_in == 30);
    CHECK(a.widest_out == 10);
    const KernelWidths b = kernel_widths({784, 100, 10});  // w[1] is 10 x 100: Eigen's
    CHECK(b.widest == 104);
    CHECK(b.widest_in == 0);
    const KernelWidths c = kernel_widths({6, 64, 65, 3});  // 65 out, then 65 in: both Eigen's
    CHECK(c.widest == 64);
    CHECK(c.widest_out == 0);
}

TEST_CASE("memory_bytes counts parameters, buffers and the input batch") {
    // [2,3,1], m = 4, buffers for eval_batch = 100 samples: P = (3*2+3) + (1*3+1) = 13;
    // z, a, f'(z), delta: 4*(3+1)*100 = 1600 floats; padded deltas 8*100, the first layer's
    // gradient padded to 8 rows 8*2, w[1]'s gradient padded 8*3, delta[1] transposed 104*1
    // floats; 2*3 int masks; input: 2*100 (index, value, mask).
    CHECK(buffer_batch(4) == 100);
    CHECK(memory_bytes({2, 3, 1}, 4) == (3 * 13 + 1600 + 800 + 16 + 24 + 104) * sizeof(float) +
                                            6 * sizeof(int) + 200 * (2 * sizeof(int) + sizeof(float)));
    // Grows with the mini-batch beyond the evaluation batch, and with every layer.
    CHECK(memory_bytes({784, 30, 10}, 100) == memory_bytes({784, 30, 10}, 10));
    CHECK(memory_bytes({784, 30, 10}, 500) > memory_bytes({784, 30, 10}, 100));
    CHECK(memory_bytes({784, 100, 10}, 10) > memory_bytes({784, 30, 10}, 10));
    // Absurd sizes saturate instead of wrapping round to something small.
    const int big = std::numeric_limits<int>::max();
    CHECK(memory_bytes({big, big, big, big}, big) == std::numeric_limits<size_t>::max());
}

TEST_CASE("the default config and Nielsen's runs pass") {
    Config c;
    CHECK_NOTHROW(validate_hyperparameters(c));
    CHECK_NOTHROW(validate(c, 50000, 784, 10));
    c.sizes = {784, 100, 10};
    c.cost = Cost::log_likelihood;
    CHECK_NOTHROW(validate(c, 50000, 784, 10));
    c.eta = 100.0f;  // the divergence example must be allowed to run (and fail at runtime)
    CHECK_NOTHROW(validate(c, 50000, 784, 10));
    Config xor_net;  // the lecture's 2-3-1 network: one sigmoid output for two classes
    xor_net.sizes = {2, 3, 1};
    xor_net.batch = 4;
    CHECK_NOTHROW(validate(xor_net, 4, 2, 2));
}

TEST_CASE("validate_hyperparameters rejects each bad value with its message") {
    auto with = [](auto change) {
        Config c;
        change(c);
        return c;
    };
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.sizes = {784}; })),
                         doctest::Contains("at least an input and an output layer"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) {
                             c.sizes = {784, 0, 10};
                         })),
                         doctest::Contains("layer 2 has 0 neurons"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) {
                             c.sizes = {784, -3, 10};
                         })),
                         doctest::Contains("layer 2 has -3 neurons"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) {
                             c.sizes = {784, 200000, 10};
                         })),
                         doctest::Contains("more than the 100000"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) {
                             c.sizes = {2, 3, 1};
                             c.cost = Cost::log_likelihood;
                         })),
                         doctest::Contains("softmax needs at least 2 outputs"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.eta = 0; })),
                         doctest::Contains("eta must be > 0, e.g. 3.0"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.eta = -1; })),
                         doctest::Contains("eta must be > 0"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.eta = std::nanf(""); })),
                         doctest::Contains("eta must be > 0"), Error);
    CHECK_THROWS_WITH_AS(
        validate_hyperparameters(with([](Config& c) { c.eta = std::numeric_limits<float>::infinity(); })),
        doctest::Contains("eta is too large to be a float"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.sizes.assign(1100, 2); })),
                         doctest::Contains("more than the 1024 this lab allows"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.eta = 1e7f; })),
                         doctest::Contains("use a learning rate like 3.0"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.batch = 0; })),
                         doctest::Contains("mini-batch size is 0; it must be at least 1"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.epochs = 0; })),
                         doctest::Contains("epochs is 0; give 1 to 10000"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.epochs = 10001; })),
                         doctest::Contains("epochs is 10001"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.lambda = -0.5f; })),
                         doctest::Contains("must be >= 0"), Error);
    CHECK_THROWS_WITH_AS(validate_hyperparameters(with([](Config& c) { c.lambda = std::nanf(""); })),
                         doctest::Contains("must be >= 0"), Error);
    CHECK_NOTHROW(validate_hyperparameters(with([](Config& c) { c.lambda = 5.0f; })));
}

TEST_CASE("a network beyond the memory budget is rejected with its size") {
    Config c;
    c.sizes = {784, 30000, 30000, 10};  // ~0.9e9 weights, three copies: far beyond 1 GiB
    CHECK_THROWS_WITH_AS(
        validate_hyperparameters(c),
        doctest::Contains("MB budget; use fewer or smaller hidden layers or a smaller mini-batch"), Error);
    // The budget is a parameter: the same small network passes a big budget and fails a tiny one.
    Config small;
    const size_t need = memory_bytes(small.sizes, small.batch);
    CHECK_NOTHROW(validate_hyperparameters(small, need));
    CHECK_THROWS_WITH_AS(validate_hyperparameters(small, need - 1), doctest::Contains("more than the"),
                         Error);
}

TEST_CASE("validate checks the config against the data") {
    Config c;
    c.sizes = {100, 30, 10};
    CHECK_THROWS_WITH_AS(validate(c, 50000, 784, 10),
                         doctest::Contains("the input layer has 100 neurons but the images have 784 pixels"),
                         Error);
    c.sizes = {784, 30, 5};
    CHECK_THROWS_WITH_AS(validate(c, 50000, 784, 10),
                         doctest::Contains("the output layer has 5 neurons but the labels have 10 classes"),
                         Error);
    c.sizes = {784, 30, 1};  // one output is enough only for two classes
    CHECK_THROWS_WITH_AS(validate(c, 50000, 784, 10), doctest::Contains("the output layer has 1 neurons"),
                         Error);
    CHECK_NOTHROW(validate(c, 50000, 784, 2));
    c.sizes = {784, 30, 12};  // more outputs than classes is allowed
    CHECK_NOTHROW(validate(c, 50000, 784, 10));
    c.sizes = {784, 30, 10};
    c.batch = 60000;
    CHECK_THROWS_WITH_AS(validate(c, 50000, 784, 10),
                         doctest::Contains("mini-batch size 60000 is larger than the 50000 training images"),
                         Error);
    c.batch = 50000;
    CHECK_NOTHROW(validate(c, 50000, 784, 10));
    c.batch = 10;
    CHECK_THROWS_WITH_AS(validate(c, 0, 784, 10), doctest::Contains("no training images"), Error);
    // The hyperparameter checks run inside validate too.
    c.eta = 0;
    CHECK_THROWS_WITH_AS(validate(c, 50000, 784, 10), doctest::Contains("eta must be > 0"), Error);
}
