// Histograms of the hidden layers' z, from the network's own forward pass.
#include "saturation.hpp"

#include <algorithm>
#include <cmath>

#include "errors.hpp"

namespace bpl {

std::vector<ZHistogram> z_histograms(Network& net, const Samples& s, size_t samples, int bins, double lo,
                                     double hi) {
    if (bins < 1 || bins > 1000) throw Error("a histogram needs 1 to 1000 bins");
    if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi))
        throw Error("a histogram needs a range lo < hi");
    const int layers = net.layers();
    const bool softmax = net.cost() == Cost::log_likelihood && net.activation() != Activation::step;
    std::vector<ZHistogram> out(static_cast<size_t>(layers));
    std::vector<double> sum(out.size()), sum2(out.size()), count(out.size());
    for (int l = 0; l < layers; ++l) {
        out[l].layer = l;
        out[l].counts.assign(size_t(bins), 0.0);
    }
    const size_t n = std::min(samples, s.size());
    const double width = (hi - lo) / bins;
    SparseBatch batch(net.sizes()[0], net.max_batch());
    for (size_t first = 0; first < n; first += size_t(net.max_batch())) {
        const size_t m = std::min(n - first, size_t(net.max_batch()));
        batch.clear();
        for (size_t k = 0; k < m; ++k) batch.add(*s.images, s.begin + first + k);
        net.forward(batch);
        for (int l = 0; l < layers; ++l) {
            const auto z = net.z(l);
            const auto fp = net.fprime(l);
            const auto a = net.a(l);
            const bool diagonal = softmax && l == layers - 1;  // no f' kept: a (1 - a)
            ZHistogram& h = out[l];
            for (Eigen::Index i = 0; i < z.size(); ++i) {
                const double v = z.data()[i];
                const float slope = diagonal ? a.data()[i] * (1.0f - a.data()[i]) : fp.data()[i];
                const int bin = std::isnan(v)
                                    ? bins - 1
                                    : int(std::clamp(std::floor((v - lo) / width), 0.0, double(bins - 1)));
                h.counts[size_t(bin)] += 1.0;
                h.saturated += slope < saturated_below;
                sum[l] += v;
                sum2[l] += v * v;
                count[l] += 1.0;
            }
        }
    }
    for (int l = 0; l < layers; ++l) {
        if (count[l] == 0.0) continue;
        out[l].saturated /= count[l];
        out[l].mean = sum[l] / count[l];
        out[l].std = std::sqrt(std::max(0.0, sum2[l] / count[l] - out[l].mean * out[l].mean));
    }
    return out;
}

}  // namespace bpl
