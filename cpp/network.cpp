// The network's math: forward pass, backpropagation (the four equations of Nielsen ch. 2) and the
// SGD update, one mini-batch matrix at a time. The sparse first layer is a hand loop (it is
// nearly all of the work); every later layer is an Eigen product into a buffer allocated once.
#include "network.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "kernels.hpp"

namespace bpl {

// ---- SparseBatch ----------------------------------------------------------------------------

SparseBatch::SparseBatch(int n, int max_m)
    : n_(n), max_m_(max_m), start_(size_t(max_m) + 1, 0),
      index_(size_t(n) * max_m), value_(size_t(n) * max_m) {}

void SparseBatch::clear() { m_ = 0; }

void SparseBatch::add(const Images& images, size_t i) {
    const int k = start_[m_];
    const int n = int(images.start[i + 1] - images.start[i]);
    // Two plain loops over restrict pointers, so both vectorise (SIMD division included).
    const uint16_t* __restrict from_index = images.index.data() + images.start[i];
    const uint8_t* __restrict from_value = images.value.data() + images.start[i];
    int* __restrict to_index = index_.data() + k;
    float* __restrict to_value = value_.data() + k;
    for (int p = 0; p < n; ++p) to_index[p] = from_index[p];
    for (int p = 0; p < n; ++p) to_value[p] = float(from_value[p]) / 255.0f;
    start_[++m_] = k + n;
}

void SparseBatch::add_dense(const float* x) {
    int k = start_[m_];
    for (int j = 0; j < n_; ++j)
        if (x[j] != 0.0f) { index_[k] = j; value_[k] = x[j]; ++k; }
    start_[++m_] = k;
}

// ---- activations ----------------------------------------------------------------------------

namespace {

// a = f(z) and fp = f'(z), for backward. The sigmoid goes through t = exp(-|z|), one exp per
// neuron: a = 1/(1+t) or t/(1+t), f' = t/(1+t)^2. That f' stays exact in float32 where a rounds
// to 1 (z > 17); a (1 - a) would be 0 there and a saturated neuron could never recover.
template <class Z, class A, class F>
void activate(Activation f, const Z& z, A&& a, F&& fp) {
    switch (f) {
    case Activation::sigmoid: {
        fp = (-z.array().abs()).exp();
        const auto t = fp.array();
        a = (z.array() >= 0.0f).select((1.0f + t).inverse(), t / (1.0f + t));
        fp = t / (1.0f + t).square();
        break;
    }
    case Activation::tanh:
        a = z.array().tanh();
        fp = 1.0f - a.array().square();
        break;
    case Activation::relu:
        a = z.array().max(0.0f);
        fp = (z.array() > 0.0f).template cast<float>();
        break;
    }
}

// Softmax of each column, shifted by the column's maximum so exp never overflows.
template <class Z, class A>
void softmax(const Z& z, A&& a) {
    for (Eigen::Index s = 0; s < z.cols(); ++s) {
        const float zmax = z.col(s).maxCoeff();
        a.col(s) = (z.col(s).array() - zmax).exp();
        a.col(s) /= a.col(s).sum();
    }
}

double softplus(double z) { return std::max(z, 0.0) + std::log1p(std::exp(-std::abs(z))); }

}  // namespace

// ---- Network --------------------------------------------------------------------------------

Network::Network(std::vector<int> sizes, Activation activation, Cost cost, int max_batch)
    : sizes_(std::move(sizes)), activation_(activation), cost_(cost), max_batch_(max_batch),
      single_(sizes_[0], 1) {
    size_t offset = 0;
    for (int l = 0; l < layers(); ++l) {
        w_offset_.push_back(offset);
        offset += size_t(sizes_[l + 1]) * sizes_[l] + sizes_[l + 1];
        z_.emplace_back(sizes_[l + 1], max_batch);
        a_.emplace_back(sizes_[l + 1], max_batch);
        fprime_.emplace_back(sizes_[l + 1], max_batch);
        delta_.emplace_back(sizes_[l + 1], max_batch);
    }
    param_count_ = offset;
    params_.assign(offset + 8, 0.0f);  // 8 floats of slack: padded reads of w[0]'s last column
    grads_.assign(offset, 0.0f);
    ld_ = (sizes_[1] + 7) / 8 * 8;
    acc_.assign(ld_, 0.0f);
    delta0_.assign(size_t(ld_) * max_batch, 0.0f);
    gw0_.assign(size_t(ld_) * sizes_[0], 0.0f);
    touched_.reserve(sizes_[0]);
    lit_.assign(sizes_[0], 0);
}

MatrixMap Network::w(int l) { return MatrixMap(params_.data() + w_offset(l), sizes_[l + 1], sizes_[l]); }
VectorMap Network::b(int l) { return VectorMap(params_.data() + b_offset(l), sizes_[l + 1]); }
Eigen::Map<const MatrixXf> Network::w(int l) const {
    return Eigen::Map<const MatrixXf>(params_.data() + w_offset(l), sizes_[l + 1], sizes_[l]);
}
Eigen::Map<const VectorXf> Network::b(int l) const {
    return Eigen::Map<const VectorXf>(params_.data() + b_offset(l), sizes_[l + 1]);
}

void Network::init(Init init, Rng& rng) {
    for (int l = 0; l < layers(); ++l) {
        const double scale = init == Init::scaled ? 1.0 / std::sqrt(double(sizes_[l])) : 1.0;
        auto wl = w(l);
        for (Eigen::Index i = 0; i < wl.size(); ++i) wl.data()[i] = float(rng.normal() * scale);
        auto bl = b(l);
        for (Eigen::Index i = 0; i < bl.size(); ++i) bl[i] = float(rng.normal());
    }
}

void Network::forward(const SparseBatch& x) {
    m_ = x.m();
    const int L = layers();
    // Layer 0: z[0] = w[0] x + b[0], over the nonzero inputs only. w[0] is column-major, so the
    // weights leaving input j are one contiguous column: each nonzero adds a scaled column.
    {
        const int rows = sizes_[1];
        const float* w0 = params_.data() + w_offset(0);
        const float* b0 = params_.data() + b_offset(0);
        float* acc = acc_.data();
        for (int s = 0; s < m_; ++s) {
            const int first = x.start()[s];
            kernels::gather_sum(w0, rows, x.index() + first, x.value() + first, x.start()[s + 1] - first, acc,
                                ld_);
            float* zs = z_[0].data() + size_t(s) * rows;
            for (int i = 0; i < rows; ++i) zs[i] = acc[i] + b0[i];
        }
    }
    for (int l = 0; l < L; ++l) {
        auto z = z_[l].leftCols(m_);
        if (l > 0) {
            z.noalias() = w(l) * a_[l - 1].leftCols(m_);
            z.colwise() += b(l);
        }
        auto a = a_[l].leftCols(m_);
        auto fp = fprime_[l].leftCols(m_);
        if (l < L - 1) activate(activation_, z, a, fp);
        else if (cost_ == Cost::log_likelihood) softmax(z, a);  // its f' cancels (backward)
        else activate(Activation::sigmoid, z, a, fp);
    }
}

Eigen::Ref<const MatrixXf> Network::output() const { return a_.back().leftCols(m_); }

double Network::cost_sum(const Eigen::Ref<const MatrixXf>& y) const {
    const auto& a = a_.back();
    const auto& z = z_.back();
    const Eigen::Index rows = a.rows();
    double sum = 0.0;
    for (Eigen::Index s = 0; s < m_; ++s) {
        switch (cost_) {
        case Cost::quadratic:  // C = 1/2 ||a - y||^2
            for (Eigen::Index i = 0; i < rows; ++i) {
                const double d = double(a(i, s)) - y(i, s);
                sum += 0.5 * d * d;
            }
            break;
        case Cost::cross_entropy:  // -[y ln a + (1-y) ln(1-a)] = softplus(z) - y z, finite for finite z
            for (Eigen::Index i = 0; i < rows; ++i) sum += softplus(z(i, s)) - double(y(i, s)) * z(i, s);
            break;
        case Cost::log_likelihood: {  // -sum_k y_k ln softmax(z)_k = sum_k y_k (logsumexp(z) - z_k)
            const double zmax = z.col(s).maxCoeff();
            double e = 0.0;
            for (Eigen::Index i = 0; i < rows; ++i) e += std::exp(double(z(i, s)) - zmax);
            const double lse = zmax + std::log(e);
            for (Eigen::Index i = 0; i < rows; ++i) sum += double(y(i, s)) * (lse - z(i, s));
            break;
        }
        }
    }
    return sum;
}

void Network::backward(const SparseBatch& x, const Eigen::Ref<const MatrixXf>& y) {
    const int L = layers();
    // BP1: the output error. Cross-entropy and log-likelihood cancel sigma'(z): delta = a - y.
    auto dL = delta_[L - 1].leftCols(m_);
    dL = a_[L - 1].leftCols(m_) - y;
    if (cost_ == Cost::quadratic) dL.array() *= fprime_[L - 1].leftCols(m_).array();

    for (int l = L - 1; l >= 1; --l) {
        auto d = delta_[l].leftCols(m_);
        // BP3, BP4: dC/db = delta, dC/dw = delta a[l-1]^T, summed over the batch.
        MatrixMap gw(grads_.data() + w_offset(l), sizes_[l + 1], sizes_[l]);
        VectorMap gb(grads_.data() + b_offset(l), sizes_[l + 1]);
        gw.noalias() = d * a_[l - 1].leftCols(m_).transpose();
        gb.noalias() = d.rowwise().sum();
        // BP2: delta[l-1] = (w[l]^T delta[l]) * f'(z[l-1]).
        auto dprev = delta_[l - 1].leftCols(m_);
        dprev.noalias() = w(l).transpose() * d;
        dprev.array() *= fprime_[l - 1].leftCols(m_).array();
    }

    // Layer 0 against the sparse input: dC/dw[0](:, j) = sum_s delta[0](:, s) x(j, s) touches
    // only the columns of lit inputs. They are summed in gw0_, whose columns are padded to ld_
    // (see kernels.hpp); a column's first term is stored, the others added. Columns the batch
    // does not touch hold stale sums that nothing reads.
    const int rows = sizes_[1];
    for (int j : touched_) lit_[j] = 0;
    touched_.clear();
    VectorMap(grads_.data() + b_offset(0), rows).noalias() = delta_[0].leftCols(m_).rowwise().sum();
    for (int s = 0; s < m_; ++s) {
        const float* ds = delta0_.data() + size_t(s) * ld_;
        std::copy_n(delta_[0].data() + size_t(s) * rows, rows, delta0_.data() + size_t(s) * ld_);
        for (int k = x.start()[s]; k < x.start()[s + 1]; ++k) {
            const int j = x.index()[k];
            float* gj = gw0_.data() + size_t(j) * ld_;
            if (lit_[j]) {
                kernels::axpy8(gj, ds, x.value()[k], ld_);
            } else {
                lit_[j] = 1;
                touched_.push_back(j);
                kernels::scale8(gj, ds, x.value()[k], ld_);
            }
        }
    }
    gw0_current_ = false;
}

const float* Network::grads() {
    if (!gw0_current_) {  // copy w[0]'s gradient out of its padded columns (tests, not training)
        const int rows = sizes_[1];
        float* g = grads_.data() + w_offset(0);
        std::fill(g, g + size_t(rows) * sizes_[0], 0.0f);
        for (int j : touched_) std::copy_n(gw0_.data() + size_t(j) * ld_, rows, g + size_t(j) * rows);
        gw0_current_ = true;
    }
    return grads_.data();
}

namespace {
// 1 if f is NaN or Inf (all exponent bits set); integer work, so the loops stay vectorised.
inline uint32_t non_finite(float f) {
    uint32_t u;
    std::memcpy(&u, &f, sizeof u);
    return (u & 0x7f800000u) == 0x7f800000u;
}
}  // namespace

bool Network::update(float eta, float lambda, size_t n_train, int m) {
    float* __restrict p = params_.data();
    const float* __restrict g = grads_.data();
    const float step = eta / float(m);
    uint32_t bad = 0;
    if (lambda > 0.0f) {  // L2 weight decay on every weight (not the biases)
        const float decay = 1.0f - eta * lambda / float(n_train);
        for (int l = 0; l < layers(); ++l)
            for (size_t i = w_offset(l), end = b_offset(l); i < end; ++i) {
                p[i] *= decay;
                bad |= non_finite(p[i]);
            }
    }
    const int rows = sizes_[1];
    for (int j : touched_) {
        float* __restrict pj = p + w_offset(0) + size_t(j) * rows;
        const float* __restrict gj = gw0_.data() + size_t(j) * ld_;
        for (int i = 0; i < rows; ++i) {
            pj[i] -= step * gj[i];
            bad |= non_finite(pj[i]);
        }
    }
    for (size_t i = b_offset(0), end = param_count_; i < end; ++i) {
        p[i] -= step * g[i];
        bad |= non_finite(p[i]);
    }
    return bad == 0;
}

Model Network::model() const {
    return Model{sizes_, activation_, cost_, std::vector<float>(params(), params() + param_count())};
}

std::vector<float> Network::predict(const float* x) {
    single_.clear();
    single_.add_dense(x);
    forward(single_);
    const auto out = output();
    return std::vector<float>(out.data(), out.data() + out.rows());
}

}  // namespace bpl
