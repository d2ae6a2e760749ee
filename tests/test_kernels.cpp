// Tests of cpp/kernels.hpp against plain loops in double: the sigmoid (and its exp) over the
// whole float range, pixel bytes to floats, and the gather/scatter kernels for every column height.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <vector>

#include "kernels.hpp"
#include "rng.hpp"

namespace k = bpl::kernels;

TEST_CASE("sigmoid and its derivative match 1/(1+e^-z) to float precision, saturated or not") {
    std::vector<float> z;
    for (double v = -120.0; v <= 120.0; v += 0.0137) z.push_back(float(v));
    for (float v : {0.0f, -0.0f, 1e-8f, -1e-8f, 17.0f, -17.0f, 87.3f, -87.3f, 88.0f, -88.0f, 1e30f, -1e30f})
        z.push_back(v);
    std::vector<float> a(z.size()), fp(z.size());
    k::sigmoid(z.data(), a.data(), fp.data(), z.size());
    for (size_t i = 0; i < z.size(); ++i) {
        CAPTURE(z[i]);
        const double t = std::exp(-std::abs(double(z[i])));  // exact a and f' through exp(-|z|)
        const double exact_a = z[i] >= 0 ? 1.0 / (1.0 + t) : t / (1.0 + t);
        const double exact_fp = t / ((1.0 + t) * (1.0 + t));
        // Below e^-87.3 = 1.22e-38 (near the smallest normal float) the kernel's exp stops there.
        const double floor = 1.3e-38;
        CHECK(std::abs(a[i] - exact_a) <= 4e-7 * exact_a + floor);
        CHECK(std::abs(fp[i] - exact_fp) <= 4e-7 * exact_fp + floor);
        CHECK(fp[i] > 0.0f);  // a saturated neuron keeps a gradient (see kernels::sigmoid)
    }
}

TEST_CASE("sigmoid passes NaN on, so a diverging network shows it") {
    std::vector<float> z(2 * k::lanes, 0.5f), a(z.size()), fp(z.size());
    z[3] = NAN;
    z[k::lanes + 1] = -NAN;
    k::sigmoid(z.data(), a.data(), fp.data(), z.size());
    for (size_t i = 0; i < z.size(); ++i) {
        CAPTURE(i);
        CHECK(std::isnan(a[i]) == std::isnan(z[i]));
        CHECK(std::isnan(fp[i]) == std::isnan(z[i]));
    }
}

TEST_CASE("sigmoid over n floats handles every tail length and leaves the rest alone") {
    for (size_t n = 0; n <= 3 * k::lanes; ++n) {
        CAPTURE(n);
        std::vector<float> z(n + 1), a(n + 1, -7.0f), fp(n + 1, -7.0f);
        for (size_t i = 0; i < z.size(); ++i) z[i] = float(i) - 5.0f;
        k::sigmoid(z.data(), a.data(), fp.data(), n);
        for (size_t i = 0; i < n; ++i) CHECK(a[i] == doctest::Approx(1.0 / (1.0 + std::exp(-z[i]))));
        CHECK(a[n] == -7.0f);
        CHECK(fp[n] == -7.0f);
    }
}

TEST_CASE("gather_sum and scatter_add (add or start a column) match plain loops for every column height") {
    bpl::Rng rng(3);
    for (int ld = 8; ld <= 136; ld += 8) {
        CAPTURE(ld);
        const int columns = 20, n = 7;
        std::vector<float> base(size_t(ld) * columns), x(ld), out(ld);
        for (auto& v : base) v = float(rng.normal());
        for (auto& v : x) v = float(rng.normal());
        const std::vector<int> idx = {3, 0, 19, 7, 8, 12, 5};  // distinct, as a sample's pixels are
        std::vector<float> val(n);
        for (auto& v : val) v = float(rng.uniform());

        // Columns as the network lays them out: stride = rows, ld rounded up from it, so the lanes
        // past a column read the next one (and past the last, the slack after it).
        for (int rows : {ld - 7, ld - 1, ld}) {
            CAPTURE(rows);
            k::gather_sum(base.data(), size_t(rows), idx.data(), val.data(), n, out.data(), ld);
            for (int r = 0; r < rows; ++r) {
                double sum = 0.0;
                for (int i = 0; i < n; ++i) sum += double(val[i]) * base[size_t(idx[i]) * rows + r];
                CHECK(out[r] == doctest::Approx(sum).epsilon(1e-5));
            }
        }

        // Nonzeros 1 and 4 start their columns (keep 0); column 0 holds NaN, which must not leak.
        const std::vector<int> keep = {~0, 0, ~0, ~0, 0, ~0, ~0};
        for (int r = 0; r < ld; ++r) base[r] = NAN;
        std::vector<float> after = base;
        k::scatter_add(after.data(), ld, idx.data(), val.data(), keep.data(), n, x.data(), ld);
        for (int j = 0; j < columns; ++j) {
            double v = 0.0;
            bool kept = true;
            for (int i = 0; i < n; ++i)
                if (idx[i] == j) {
                    v += val[i];
                    kept = keep[i] != 0;
                }
            CAPTURE(j);
            for (int r = 0; r < ld; ++r) {
                const double before = kept ? base[size_t(j) * ld + r] : 0.0;
                CHECK(after[size_t(j) * ld + r] == doctest::Approx(before + v * x[r]));
            }
        }
    }
}

TEST_CASE("unit_floats turns every byte into exactly byte / 255, for every tail length") {
    std::vector<uint8_t> bytes(256);
    for (int b = 0; b < 256; ++b) bytes[b] = uint8_t(255 - b);
    for (int n = 0; n <= 256; n += n < 16 || n >= 240 ? 1 : 37) {  // every tail length, twice
        CAPTURE(n);
        std::vector<float> to(257, -1.0f);
        k::unit_floats(bytes.data(), to.data(), n);
        for (int p = 0; p < n; ++p) CHECK(to[p] == float(bytes[p]) / 255.0f);
        CHECK(to[n] == -1.0f);
    }
}
