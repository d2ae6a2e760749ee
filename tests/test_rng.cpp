// Tests for cpp/rng.hpp: reproducible from a seed, and each draw has the distribution it claims.
// The statistical bounds are loose (many standard errors wide) so a correct generator never fails.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "rng.hpp"

using bpl::Rng;

TEST_CASE("the same seed gives the same sequences") {
    Rng x(42), y(42);
    int differ = 0;
    for (int i = 0; i < 1000; ++i) {
        differ += x.uniform() != y.uniform();
        differ += x.below(1000) != y.below(1000);
        differ += x.normal() != y.normal();
    }
    CHECK(differ == 0);
    std::vector<int> u(100), v(100);
    std::iota(u.begin(), u.end(), 0);
    std::iota(v.begin(), v.end(), 0);
    x.shuffle(u.data(), u.size());
    y.shuffle(v.data(), v.size());
    CHECK(u == v);
}

TEST_CASE("different seeds give different sequences") {
    Rng x(1), y(2);
    int same = 0;
    for (int i = 0; i < 100; ++i) same += x.uniform() == y.uniform();
    CHECK(same == 0);
    std::vector<int> u(50), v(50);
    std::iota(u.begin(), u.end(), 0);
    std::iota(v.begin(), v.end(), 0);
    x.shuffle(u.data(), u.size());
    y.shuffle(v.data(), v.size());
    CHECK(u != v);
}

TEST_CASE("uniform is in [0, 1) with mean 1/2") {
    Rng rng(7);
    const int n = 100000;
    double sum = 0;
    int outside = 0;
    for (int i = 0; i < n; ++i) {
        const double u = rng.uniform();
        outside += !(u >= 0.0 && u < 1.0);
        sum += u;
    }
    CHECK(outside == 0);
    CHECK(std::abs(sum / n - 0.5) < 0.01);  // standard error ~0.0009
}

TEST_CASE("below(n) stays in range and is roughly uniform") {
    Rng rng(3);
    CHECK(rng.below(1) == 0);
    const int k = 10, n = 100000;
    std::vector<int> count(k, 0);
    int outside = 0;
    for (int i = 0; i < n; ++i) {
        const uint64_t r = rng.below(k);
        if (r < uint64_t(k)) ++count[r];
        else ++outside;
    }
    CHECK(outside == 0);
    // Chi-square with 9 degrees of freedom: mean 9, P(> 40) is below 1e-5.
    const double expected = double(n) / k;
    double chi2 = 0;
    for (int c : count) chi2 += (c - expected) * (c - expected) / expected;
    CHECK(chi2 < 40.0);
    // A range that is not a power of two and nearly the whole 64 bits still stays in range.
    const uint64_t big = (uint64_t(1) << 63) + 12345;
    for (int i = 0; i < 1000; ++i) outside += rng.below(big) >= big;
    CHECK(outside == 0);
}

TEST_CASE("normal() has mean 0 and variance 1") {
    Rng rng(11);
    const int n = 100000;
    double sum = 0, sum2 = 0;
    int beyond_3 = 0, not_finite = 0;
    for (int i = 0; i < n; ++i) {
        const double z = rng.normal();
        not_finite += !std::isfinite(z);
        sum += z;
        sum2 += z * z;
        beyond_3 += std::abs(z) > 3.0;
    }
    CHECK(not_finite == 0);
    const double mean = sum / n, var = sum2 / n - mean * mean;
    CHECK(std::abs(mean) < 0.02);       // standard error ~0.003
    CHECK(std::abs(var - 1.0) < 0.03);  // standard error ~0.0045
    // Tails as a Gaussian's: P(|z| > 3) = 0.0027, so about 270 of 100k.
    CHECK(beyond_3 > 150);
    CHECK(beyond_3 < 400);
}

TEST_CASE("shuffle is a permutation and moves things") {
    Rng rng(5);
    for (size_t n : {0, 1, 2, 3, 10, 1000}) {
        std::vector<int> v(n);
        std::iota(v.begin(), v.end(), 0);
        rng.shuffle(v.data(), v.size());
        std::vector<int> sorted = v;
        std::sort(sorted.begin(), sorted.end());
        std::vector<int> identity(n);
        std::iota(identity.begin(), identity.end(), 0);
        CHECK(sorted == identity);
        if (n == 1000) CHECK(v != identity);
    }
    // Every position is equally likely for the first element of 4 (loose bound).
    const int trials = 40000;
    std::vector<int> where(4, 0);
    for (int t = 0; t < trials; ++t) {
        int v[4] = {0, 1, 2, 3};
        rng.shuffle(v, 4);
        ++where[std::find(v, v + 4, 0) - v];
    }
    for (int c : where) CHECK(std::abs(c - trials / 4) < 500);  // sd ~87
}
