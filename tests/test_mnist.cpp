// Tests of cpp/mnist.*: the file names, the agreement checks between the four files and
// Nielsen's split. Not a test of reading files (test_idx_file.cpp).
#include <doctest/doctest.h>

#include <string>

#include "errors.hpp"
#include "mnist.hpp"

using bpl::Mnist;

namespace {

// n blank images of rows x cols with labels 0..9 repeating: the split only looks at counts.
void fill(bpl::Images& images, bpl::Labels& labels, size_t n, int rows = 4, int cols = 3) {
    images.rows = rows;
    images.cols = cols;
    const std::vector<uint8_t> blank(size_t(rows * cols), 0);
    for (size_t i = 0; i < n; ++i) {
        images.push(blank.data());
        labels.push_back(uint8_t(i % 10));
    }
}

Mnist make(size_t n_train, size_t n_test) {
    Mnist m;
    fill(m.train_images, m.train_labels, n_train);
    fill(m.test_images, m.test_labels, n_test);
    return m;
}

}  // namespace

TEST_CASE("the four MNIST file names, images before labels, training before test") {
    CHECK(std::string(bpl::mnist_files[0]) == "train-images-idx3-ubyte");
    CHECK(std::string(bpl::mnist_files[1]) == "train-labels-idx1-ubyte");
    CHECK(std::string(bpl::mnist_files[2]) == "t10k-images-idx3-ubyte");
    CHECK(std::string(bpl::mnist_files[3]) == "t10k-labels-idx1-ubyte");
}

TEST_CASE("files that agree pass the check") { CHECK_NOTHROW(bpl::check_agreement(make(12, 5))); }

TEST_CASE("image and label counts must agree, per pair, naming both files") {
    Mnist m = make(12, 5);
    m.train_labels.pop_back();
    CHECK_THROWS_WITH_AS(bpl::check_agreement(m),
                         "train-images-idx3-ubyte holds 12 images but train-labels-idx1-ubyte "
                         "holds 11 labels; the two files must come from the same MNIST set",
                         bpl::Error);
    m = make(12, 5);
    m.test_labels.push_back(3);
    CHECK_THROWS_WITH_AS(bpl::check_agreement(m),
                         doctest::Contains("t10k-images-idx3-ubyte holds 5 images but "
                                           "t10k-labels-idx1-ubyte holds 6 labels"),
                         bpl::Error);
}

TEST_CASE("the split checks agreement first: it indexes labels by image") {
    Mnist m = make(12, 5);
    m.train_labels.clear();
    CHECK_THROWS_AS(bpl::nielsen_split(m), bpl::Error);
}

TEST_CASE("training and test images must have the same size") {
    Mnist m = make(12, 0);
    fill(m.test_images, m.test_labels, 5, 28, 28);
    CHECK_THROWS_WITH_AS(bpl::check_agreement(m),
                         doctest::Contains("train-images-idx3-ubyte has images of 4 x 3 pixels "
                                           "but t10k-images-idx3-ubyte has 28 x 28"),
                         bpl::Error);
}

TEST_CASE("Nielsen's split of the full 60,000: 50,000 train, the last 10,000 validate") {
    const Mnist m = make(60000, 10000);
    const bpl::Split s = bpl::nielsen_split(m);
    CHECK(s.training.images == &m.train_images);
    CHECK(s.training.labels == &m.train_labels);
    CHECK(s.training.begin == 0);
    CHECK(s.training.size() == 50000);
    CHECK(s.validation.images == &m.train_images);
    CHECK(s.validation.begin == 50000);
    CHECK(s.validation.size() == 10000);
    CHECK(s.test.images == &m.test_images);
    CHECK(s.test.labels == &m.test_labels);
    CHECK(s.test.begin == 0);
    CHECK(s.test.size() == 10000);
}

TEST_CASE("a smaller training set keeps its last sixth, rounded down, for validation") {
    for (size_t n : {6, 12, 13, 17, 600, 59999}) {
        CAPTURE(n);
        const Mnist m = make(n, 7);
        const bpl::Split s = bpl::nielsen_split(m);
        CHECK(s.validation.size() == n / 6);
        CHECK(s.training.begin == 0);
        CHECK(s.training.size() == n - n / 6);
        CHECK(s.validation.begin == s.training.size());  // adjacent, the whole set covered
        CHECK(s.test.size() == 7);
    }
}
