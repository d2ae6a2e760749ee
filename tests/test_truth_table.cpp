// Tests of cpp/truth_table.*: the four points and labels of each table, the lecture's XOR
// network (the page's preset) reaching 100%, Nielsen's NAND perceptron computing NAND with a
// step activation (and refusing to train), and the decision surface's orientation.
#include <doctest/doctest.h>

#include <vector>

#include "errors.hpp"
#include "trainer.hpp"
#include "truth_table.hpp"

using namespace bpl;

TEST_CASE("each truth table has the four points in order and its labels") {
    const Mnist m = truth_table("xor");
    REQUIRE(m.train_images.size() == 4);
    CHECK(m.train_images.dense(0) == std::vector<float>{0, 0});
    CHECK(m.train_images.dense(1) == std::vector<float>{0, 1});
    CHECK(m.train_images.dense(2) == std::vector<float>{1, 0});
    CHECK(m.train_images.dense(3) == std::vector<float>{1, 1});
    CHECK(m.train_labels == Labels{0, 1, 1, 0});
    CHECK(truth_table("and").train_labels == Labels{0, 0, 0, 1});
    CHECK(truth_table("or").train_labels == Labels{0, 1, 1, 1});
    CHECK(truth_table("nand").test_labels == Labels{1, 1, 1, 0});
    CHECK_THROWS_WITH_AS(truth_table("xnor"), doctest::Contains("unknown data set 'xnor'"), Error);
}

TEST_CASE("the lecture's XOR network (the page's preset) reaches 100% by full-batch gradient descent") {
    const Mnist m = truth_table("xor");
    Config c;  // web/config.js's XOR preset
    c.sizes = {2, 2, 1};
    c.cost = Cost::cross_entropy;
    c.eta = 2.0f;
    c.batch = 4;
    c.epochs = 1000;
    c.seed = 1;
    Trainer t(c, whole_split(m));
    EpochResult r;
    for (int e = 0; e < c.epochs; ++e) r = t.train_epoch();
    CHECK(r.test.correct == 4);
    CHECK(r.validation.correct == 4);
}

TEST_CASE("Nielsen's NAND perceptron: weights -2, -2, bias 3, step activation") {
    const Mnist m = truth_table("nand");
    Config c;
    c.sizes = {2, 1};
    c.activation = Activation::step;
    c.batch = 4;
    Trainer t(c, whole_split(m), std::vector<float>{-2.0f, -2.0f, 3.0f});
    const Evaluation e = t.evaluate(whole_split(m).test);
    CHECK(e.correct == 4);
    const std::vector<float> s = surface(t.network(), 2);  // corners: (0,1) (1,1) / (0,0) (1,0)
    CHECK(s == std::vector<float>{1, 0, 1, 1});
    CHECK_THROWS_WITH_AS(t.train_batches(1), doctest::Contains("cannot be trained by gradient descent"),
                         Error);
}

TEST_CASE("the surface runs row by row from x2 = 1 down, x1 left to right") {
    Network net({2, 1}, Activation::sigmoid, Cost::quadratic, 100);
    net.params()[0] = 4.0f;   // w from x1
    net.params()[1] = 0.0f;   // w from x2
    net.params()[2] = -2.0f;  // b
    const int n = 15;         // more than one batch? no: 225 points, batches of 100
    const std::vector<float> s = surface(net, n);
    REQUIRE(s.size() == size_t(n * n));
    CHECK(s[0] < 0.2f);                     // x1 = 0
    CHECK(s[n - 1] > 0.8f);                 // x1 = 1
    CHECK(s[size_t(n) * (n - 1)] == s[0]);  // x2 does not matter
    net.params()[0] = 0.0f;
    net.params()[1] = 4.0f;
    const std::vector<float> t = surface(net, n);
    CHECK(t[0] > 0.8f);                    // top row: x2 = 1
    CHECK(t[size_t(n) * (n - 1)] < 0.2f);  // bottom row: x2 = 0
    CHECK_THROWS_AS(surface(net, 1), Error);
}
