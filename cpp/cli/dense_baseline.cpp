// Dense Eigen SGD for the benchmark's comparison (see dense_baseline.hpp). Buffers are allocated
// once, products use noalias(): a fair, well-written dense implementation, just not sparse.
#include "dense_baseline.hpp"

#include <chrono>
#include <numeric>

namespace bpl {

DenseBaseline::DenseBaseline(const std::vector<int>& sizes, int batch, uint32_t seed)
    : x_(sizes[0], batch), y_(sizes.back(), batch), batch_(batch), rng_(seed) {
    for (size_t l = 0; l + 1 < sizes.size(); ++l) {
        w_.emplace_back(sizes[l + 1], sizes[l]);
        for (Eigen::Index i = 0; i < w_.back().size(); ++i) w_.back().data()[i] = float(rng_.normal());
        b_.emplace_back(sizes[l + 1]);
        for (Eigen::Index i = 0; i < b_.back().size(); ++i) b_.back()[i] = float(rng_.normal());
        gw_.emplace_back(sizes[l + 1], sizes[l]);
        gb_.emplace_back(sizes[l + 1]);
        z_.emplace_back(sizes[l + 1], batch);
        a_.emplace_back(sizes[l + 1], batch);
        delta_.emplace_back(sizes[l + 1], batch);
    }
}

void DenseBaseline::forward(int m) {
    for (size_t l = 0; l < w_.size(); ++l) {
        auto z = z_[l].leftCols(m);
        if (l == 0) z.noalias() = w_[0] * x_.leftCols(m);
        else z.noalias() = w_[l] * a_[l - 1].leftCols(m);
        z.colwise() += b_[l];
        a_[l].leftCols(m) = (1.0f + (-z.array()).exp()).inverse();
    }
}

double DenseBaseline::train_epoch(const Images& images, const Labels& labels, size_t n, float eta) {
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0u);
    rng_.shuffle(order.data(), n);
    const auto t0 = std::chrono::steady_clock::now();
    const size_t L = w_.size();
    for (size_t first = 0; first < n; first += batch_) {
        const int m = int(std::min<size_t>(batch_, n - first));
        x_.leftCols(m).setZero();
        y_.leftCols(m).setZero();
        for (int s = 0; s < m; ++s) {
            const size_t i = order[first + s];
            for (uint32_t k = images.start[i]; k < images.start[i + 1]; ++k)
                x_(images.index[k], s) = float(images.value[k]) / 255.0f;
            y_(labels[i], s) = 1.0f;
        }
        forward(m);
        auto aL = a_[L - 1].leftCols(m);
        delta_[L - 1].leftCols(m) =
            ((aL - y_.leftCols(m)).array() * aL.array() * (1.0f - aL.array())).matrix();
        for (size_t l = L; l-- > 0;) {
            auto d = delta_[l].leftCols(m);
            if (l == 0) gw_[0].noalias() = d * x_.leftCols(m).transpose();
            else gw_[l].noalias() = d * a_[l - 1].leftCols(m).transpose();
            gb_[l].noalias() = d.rowwise().sum();
            if (l > 0) {
                auto dprev = delta_[l - 1].leftCols(m);
                dprev.noalias() = w_[l].transpose() * d;
                dprev.array() *= a_[l - 1].leftCols(m).array() * (1.0f - a_[l - 1].leftCols(m).array());
            }
        }
        for (size_t l = 0; l < L; ++l) {
            w_[l] -= (eta / float(m)) * gw_[l];
            b_[l] -= (eta / float(m)) * gb_[l];
        }
    }
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

double DenseBaseline::accuracy(const Images& images, const Labels& labels, size_t first, size_t n) {
    size_t correct = 0;
    for (size_t i = first; i < first + n; ++i) {
        x_.col(0).setZero();
        for (uint32_t k = images.start[i]; k < images.start[i + 1]; ++k)
            x_(images.index[k], 0) = float(images.value[k]) / 255.0f;
        forward(1);
        Eigen::Index best;
        a_.back().col(0).maxCoeff(&best);
        correct += size_t(best) == labels[i];
    }
    return double(correct) / double(n);
}

}  // namespace bpl
