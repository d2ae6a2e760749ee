// Tests of cpp/trainer.*: the lecture's XOR network learns, the same seed gives bit-identical
// weights, divergence is caught and undone, evaluation counts and the confusion matrix add up,
// and a training step allocates nothing.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "errors.hpp"
#include "malloc_counter.hpp"
#include "toy_data.hpp"
#include "trainer.hpp"

using namespace bpl;

namespace {

// XOR as four 1x2 "images": pixel bytes 0 or 255, labels x1 xor x2.
struct Xor {
    Images images;
    Labels labels{0, 1, 1, 0};
    Xor() {
        images.rows = 1;
        images.cols = 2;
        const uint8_t points[4][2] = {{0, 0}, {0, 255}, {255, 0}, {255, 255}};
        for (auto& p : points) images.push(p);
    }
    Split split() const {
        return Split{Samples{&images, &labels, 0, 4}, Samples{&images, &labels, 0, 0},
                     Samples{&images, &labels, 0, 4}};
    }
};

Config toy_config() {
    Config c;
    c.sizes = {36, 8, 3};
    c.eta = 1.0f;
    c.batch = 10;
    c.epochs = 3;
    return c;
}

// The lecture's XOR network: [2,3,1], cross-entropy, eta 2, full batch.
Config xor_config() {
    Config c;
    c.sizes = {2, 3, 1};
    c.cost = Cost::cross_entropy;
    c.eta = 2.0f;
    c.batch = 4;
    return c;
}

}  // namespace

TEST_CASE("a seeded XOR 2-3-1 network reaches 100%") {
    Xor data;
    Config c = xor_config();
    c.seed = 1;
    Trainer t(c, data.split());
    EpochResult r;
    for (int e = 0; e < 2000; ++e) r = t.train_epoch();
    CHECK(r.test.total == 4);
    CHECK(r.test.correct == 4);
    CHECK(r.test.cost < 0.1);
}

TEST_CASE("the same seed gives bit-identical weights; another seed does not") {
    Toy data(600);
    auto run = [&](uint32_t seed) {
        Config c = toy_config();
        c.seed = seed;
        Trainer t(c, data.split());
        t.train_epoch();
        t.train_epoch();
        return std::vector<float>(t.network().params(), t.network().params() + t.network().param_count());
    };
    const auto a = run(5), b = run(5), other = run(6);
    REQUIRE(a.size() == b.size());
    CHECK(std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
    CHECK(std::memcmp(a.data(), other.data(), a.size() * sizeof(float)) != 0);
}

TEST_CASE("training in pieces equals training in one go") {
    Toy data(600);
    Trainer whole(toy_config(), data.split()), pieces(toy_config(), data.split());
    whole.train_epoch();
    while (!pieces.epoch_done()) pieces.train_batches(7);
    pieces.finish_epoch();
    CHECK(std::memcmp(whole.network().params(), pieces.network().params(),
                      whole.network().param_count() * sizeof(float)) == 0);
}

TEST_CASE("training learns the toy task and the evaluation adds up") {
    Toy data(1200);
    Trainer t(toy_config(), data.split());
    CHECK(t.batches_per_epoch() == 80);
    const EpochResult first = t.train_epoch();
    EpochResult r;
    for (int e = 0; e < 4; ++e) r = t.train_epoch();
    CHECK(r.epoch == 4);
    CHECK(t.epoch() == 5);
    CHECK(r.train_cost < first.train_cost);
    CHECK(r.test.total == 200);
    CHECK(r.validation.total == 200);
    CHECK(r.test.accuracy() > 0.9);
    REQUIRE(r.test.confusion.size() == 9);
    size_t sum = 0, diagonal = 0;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) {
            sum += r.test.confusion[i * 3 + j];
            if (i == j) diagonal += r.test.confusion[i * 3 + j];
        }
    CHECK(sum == r.test.total);
    CHECK(diagonal == r.test.correct);
    CHECK(r.seconds >= 0.0);
}

TEST_CASE("every misclassified test sample is listed once, most confident first, with its own output") {
    Toy data(600);
    Trainer t(toy_config(), data.split());
    t.train_batches(2);  // barely trained: plenty of mistakes, some of them confident
    const Evaluation e = t.evaluate(t.data().test, true);
    const std::vector<Mistake>& m = e.mistakes;
    REQUIRE(e.correct < e.total);
    CHECK(m.size() == e.total - e.correct);
    size_t off_diagonal = 0;
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) off_diagonal += i == j ? 0 : e.confusion[i * 3 + j];
    CHECK(off_diagonal == m.size());
    const Samples& test = t.data().test;
    std::vector<bool> seen(data.images.size(), false);
    for (size_t k = 0; k < m.size(); ++k) {
        const Mistake& x = m[k];
        REQUIRE(x.index >= test.begin);
        REQUIRE(x.index < test.begin + test.count);
        CHECK_FALSE(seen[x.index]);
        seen[x.index] = true;
        CHECK(x.label == data.labels[x.index]);
        CHECK(x.predicted != x.label);
        if (k > 0) CHECK(m[k - 1].confidence >= x.confidence);
        const std::vector<float> dense = data.images.dense(x.index);
        const std::vector<float> out = t.network().predict(dense.data());
        const auto best = std::max_element(out.begin(), out.end()) - out.begin();
        CHECK(best == x.predicted);
        CHECK(out[size_t(x.predicted)] == doctest::Approx(x.confidence).epsilon(1e-5));
    }
    // Without the details (validation after an epoch), none are collected.
    CHECK(t.train_epoch().validation.mistakes.empty());
}

TEST_CASE("one sigmoid output: a mistake's confidence is the output's belief in the answer") {
    Xor data;
    Config c = xor_config();
    size_t seen = 0;
    for (uint32_t seed = 1; seed <= 20; ++seed) {  // untrained: wrong answers of both kinds
        c.seed = seed;
        Trainer t(c, data.split());
        for (const Mistake& m : t.evaluate(t.data().test, true).mistakes) {
            const float a = t.network().predict(data.images.dense(m.index).data())[0];
            CHECK(m.predicted == (a > 0.5f));
            CHECK(m.confidence == doctest::Approx(m.predicted ? a : 1.0f - a).epsilon(1e-5));
            CHECK(m.confidence >= 0.5f);
            ++seen;
        }
    }
    CHECK(seen > 10);
}

TEST_CASE("an image's bytes are the bytes it was pushed with") {
    Toy data(5);
    std::vector<uint8_t> bytes(36);
    data.images.bytes(3, bytes.data());
    const std::vector<float> dense = data.images.dense(3);
    for (size_t p = 0; p < 36; ++p) CHECK(float(bytes[p]) / 255.0f == dense[p]);
}

TEST_CASE("the last mini-batch of an epoch may be smaller") {
    Toy data(90);  // 60 training images, m = 25: batches of 25, 25, 10
    Config c = toy_config();
    c.batch = 25;
    Trainer t(c, data.split());
    CHECK(t.batches_per_epoch() == 3);
    const Progress p = t.train_batches(100);
    CHECK(p.batches == 3);
    CHECK(p.examples == 60);
    CHECK(t.epoch_done());
}

TEST_CASE("divergence stops training with a clear error and keeps the last good weights") {
    Toy data(600);
    Config c = toy_config();
    c.activation = Activation::relu;
    c.cost = Cost::log_likelihood;
    c.eta = 100.0f;
    Trainer t(c, data.split());
    t.train_batches(5);
    // Weights near the float limit: the next sums overflow to Inf. A runaway eta can get there
    // with ReLU (e.g. [784,100,100,10], log-likelihood, eta 1e6); sigmoid saturates instead.
    float* w0 = t.network().params() + t.network().w_offset(0);
    for (int i = 0; i < 36 * 8; ++i) w0[i] = 3e37f;
    const std::vector<float> before(t.network().params(), t.network().params() + t.network().param_count());
    CHECK_THROWS_WITH_AS(t.train_batches(1000), doctest::Contains("diverged in epoch 0, mini-batch 6"),
                         Diverged);
    CHECK(t.diverged());
    CHECK(t.batch_in_epoch() == 5);
    CHECK(std::memcmp(before.data(), t.network().params(), before.size() * sizeof(float)) == 0);
    CHECK_THROWS_WITH_AS(t.train_batches(1), doctest::Contains("reset"), Diverged);
}

TEST_CASE("a config that does not fit the data is rejected before training") {
    Toy data(600);
    Config c = toy_config();
    c.sizes = {784, 30, 10};
    CHECK_THROWS_AS(Trainer(c, data.split()), Error);
    c = toy_config();
    c.batch = 100000;
    CHECK_THROWS_AS(Trainer(c, data.split()), Error);
    c = toy_config();
    CHECK_THROWS_AS(Trainer(c, data.split(), std::vector<float>(5, 0.0f)), Error);
    // A test label the output layer has no neuron for is caught too, not only training labels.
    Toy odd(600);
    odd.labels.back() = 7;
    CHECK_THROWS_WITH_AS(Trainer(toy_config(), odd.split()), doctest::Contains("output"), Error);
}

TEST_CASE("a training step allocates nothing") {
    Toy data(600);
    Trainer t(toy_config(), data.split());
    t.train_batches(2);
    const long before = malloc_calls.load();
    t.train_batches(30);
    CHECK(malloc_calls.load() == before);
}
