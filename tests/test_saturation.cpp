// Tests of cpp/saturation.*: the histogram counts every (unit, image) pair once, its mean and
// share of saturated units match a direct computation from the network's z, and N(0,1) weights
// on wide inputs saturate far more sigmoid units than N(0, 1/n_in) (Nielsen ch. 3).
#include <doctest/doctest.h>

#include <cmath>
#include <numeric>
#include <vector>

#include "errors.hpp"
#include "saturation.hpp"

using namespace bpl;

namespace {

// n random 28x28 images, about 19% lit.
Images random_images(size_t n, uint64_t seed) {
    Images im;
    im.rows = im.cols = 28;
    Rng rng(seed);
    std::vector<uint8_t> px(784);
    for (size_t i = 0; i < n; ++i) {
        for (auto& p : px) p = rng.uniform() < 0.19 ? uint8_t(50 + rng.below(206)) : 0;
        im.push(px.data());
    }
    return im;
}

}  // namespace

TEST_CASE("histograms count every unit of every sampled image and agree with the network's z") {
    const Images im = random_images(250, 1);
    const Labels labels(250, 0);
    const Samples s{&im, &labels, 0, 250};
    Rng rng(2);
    Network net({784, 30, 20, 10}, Activation::sigmoid, Cost::quadratic, 100);
    net.init(Init::gaussian, rng);
    const auto h = z_histograms(net, s, 230, 60, -30, 30);
    REQUIRE(h.size() == 3);  // the two hidden layers and the output layer
    for (int l = 0; l < 3; ++l) {
        const double total = std::accumulate(h[l].counts.begin(), h[l].counts.end(), 0.0);
        CHECK(total == 230.0 * net.sizes()[l + 1]);
    }
    // Direct: the last 30 of the 230 images are the last batch; recompute everything once.
    double sum = 0, saturated = 0, n = 0;
    SparseBatch b(784, 100);
    for (size_t first = 0; first < 230; first += 100) {
        b.clear();
        for (size_t k = first; k < std::min<size_t>(230, first + 100); ++k) b.add(im, k);
        net.forward(b);
        const auto z = net.z(0);
        for (Eigen::Index i = 0; i < z.size(); ++i) {
            const double v = z.data()[i], sg = 1.0 / (1.0 + std::exp(-v));
            sum += v;
            saturated += sg * (1.0 - sg) < 0.01;
            n += 1;
        }
    }
    CHECK(h[0].mean == doctest::Approx(sum / n).epsilon(1e-6));
    CHECK(h[0].saturated == doctest::Approx(saturated / n).epsilon(1e-3));
    CHECK_THROWS_AS(z_histograms(net, s, 10, 0, -1, 1), Error);
    CHECK_THROWS_AS(z_histograms(net, s, 10, 10, 1, 1), Error);
}

TEST_CASE("N(0,1) weights saturate most sigmoid units of a wide layer; N(0,1/n_in) few") {
    const Images im = random_images(100, 3);
    const Labels labels(100, 0);
    const Samples s{&im, &labels, 0, 100};
    double share[2];
    for (Init init : {Init::gaussian, Init::scaled}) {
        Rng rng(1);
        Network net({784, 100, 10}, Activation::sigmoid, Cost::quadratic, 100);
        net.init(init, rng);
        share[int(init)] = z_histograms(net, s, 100, 40, -40, 40)[0].saturated;
    }
    MESSAGE("saturated share, N(0,1): " << share[0] << ", N(0,1/n_in): " << share[1]);
    CHECK(share[0] > 0.5);
    CHECK(share[1] < 0.1);
}
