// Tests of cpp/images.*: sparse storage round-trips to the dense pixels it was given.
// Not a test of file parsing (test_idx.cpp) or of how the network reads the pixels.
#include <doctest/doctest.h>

#include <random>

#include "images.hpp"

using bpl::Images;

TEST_CASE("push then dense returns every pixel as value / 255, storing only lit pixels") {
    Images images;
    images.rows = 4;
    images.cols = 3;
    std::mt19937 gen(7);
    std::vector<std::vector<uint8_t>> given;
    size_t lit = 0;
    for (int i = 0; i < 5; ++i) {
        std::vector<uint8_t> bytes(12);
        for (auto& b : bytes) b = gen() % 2 ? uint8_t(1 + gen() % 255) : 0;
        for (uint8_t b : bytes) lit += b != 0;
        images.push(bytes.data());
        given.push_back(bytes);
    }
    REQUIRE(images.size() == 5);
    CHECK(images.nonzeros() == lit);
    CHECK(images.start.back() == lit);
    for (size_t i = 0; i < given.size(); ++i) {
        const std::vector<float> a = images.dense(i);
        REQUIRE(a.size() == 12);
        for (size_t p = 0; p < 12; ++p) CHECK(a[p] == float(given[i][p]) / 255.0f);
        // Indices increase within an image, and no stored value is zero.
        for (uint32_t k = images.start[i]; k < images.start[i + 1]; ++k) {
            CHECK(images.value[k] != 0);
            if (k > images.start[i]) CHECK(images.index[k] > images.index[k - 1]);
        }
    }
}

TEST_CASE("a blank image stores nothing and reads back as zeros; 255 reads back as exactly 1") {
    Images images;
    images.rows = 2;
    images.cols = 2;
    const uint8_t blank[4] = {0, 0, 0, 0}, full[4] = {255, 255, 255, 255};
    images.push(blank);
    images.push(full);
    CHECK(images.start == std::vector<uint32_t>{0, 0, 4});
    CHECK(images.dense(0) == std::vector<float>(4, 0.0f));
    CHECK(images.dense(1) == std::vector<float>(4, 1.0f));
}

TEST_CASE("the largest image, 256 x 256, keeps its last pixel index 65535") {
    Images images;
    images.rows = 256;
    images.cols = 256;
    std::vector<uint8_t> bytes(65536, 0);
    bytes[0] = 3;
    bytes[65535] = 200;
    images.push(bytes.data());
    REQUIRE(images.nonzeros() == 2);
    CHECK(images.index[1] == 65535);
    const std::vector<float> a = images.dense(0);
    CHECK(a[0] == 3.0f / 255.0f);
    CHECK(a[65535] == 200.0f / 255.0f);
    CHECK(a[1] == 0.0f);
}

// push reads sixteen bytes at a time and skips those that are all zero: a pixel lit at any
// position, in a block or in the tail, alone or among others, must come back where it was.
TEST_CASE("images of 28 x 28 and 5 x 7 round-trip with one pixel lit at each position, and sparse") {
    std::mt19937 gen(11);
    for (const auto [rows, cols] : {std::pair{28, 28}, std::pair{5, 7}}) {
        Images images;
        images.rows = rows;
        images.cols = cols;
        const size_t n = size_t(rows * cols);
        std::vector<std::vector<uint8_t>> given;
        for (size_t at = 0; at < n; ++at) {
            std::vector<uint8_t> bytes(n, 0);
            bytes[at] = uint8_t(1 + at % 255);
            given.push_back(bytes);
        }
        for (int i = 0; i < 50; ++i) {  // about a fifth lit, as in MNIST, in runs and alone
            std::vector<uint8_t> bytes(n, 0);
            for (auto& b : bytes) b = gen() % 5 == 0 ? uint8_t(1 + gen() % 255) : 0;
            given.push_back(bytes);
        }
        size_t lit = 0;
        for (const auto& bytes : given) {
            images.push(bytes.data());
            for (uint8_t b : bytes) lit += b != 0;
        }
        REQUIRE(images.size() == given.size());
        CHECK(images.nonzeros() == lit);
        std::vector<uint8_t> back(n);
        for (size_t i = 0; i < given.size(); ++i) {
            images.bytes(i, back.data());
            CHECK(back == given[i]);
        }
    }
}
