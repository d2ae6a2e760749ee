// The network's math: forward pass, backpropagation (the four equations of Nielsen ch. 2) and the
// SGD update, one mini-batch matrix at a time. The sparse first layer (nearly all of the work)
// and small later layers go through the SIMD kernels of kernels.hpp (Eigen has no SIMD code for
// WebAssembly); larger later layers and the small elementwise steps through Eigen. Buffers are
// allocated once.
#include "network.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numeric>

#include "kernels.hpp"

namespace bpl {

// ---- SparseBatch ----------------------------------------------------------------------------

SparseBatch::SparseBatch(int n, int max_m)
    : n_(n), max_m_(max_m), start_(size_t(max_m) + 1, 0), index_(size_t(n) * max_m),
      value_(size_t(n) * max_m) {}

void SparseBatch::clear() { m_ = 0; }

void SparseBatch::add(const Images& images, size_t i) {
    const int k = start_[m_];
    const int n = int(images.start[i + 1] - images.start[i]);
    const uint16_t* __restrict from_index = images.index.data() + images.start[i];
    int* __restrict to_index = index_.data() + k;
    for (int p = 0; p < n; ++p) to_index[p] = from_index[p];  // a plain loop vectorises
    kernels::unit_floats(images.value.data() + images.start[i], value_.data() + k, n);
    start_[++m_] = k + n;
}

void SparseBatch::add_dense(const float* x) {
    int k = start_[m_];
    for (int j = 0; j < n_; ++j)
        if (x[j] != 0.0f) {
            index_[k] = j;
            value_[k] = x[j];
            ++k;
        }
    start_[++m_] = k;
}

// ---- activations ----------------------------------------------------------------------------

namespace {

// a = f(z) and fp = f'(z), for backward. z, a, fp: the leading columns of (rows, max_batch)
// matrices, so contiguous. The sigmoid is kernels::sigmoid (see there why through exp(-|z|)).
template <class Z, class A, class F>
void activate(Activation f, const Z& z, A&& a, F&& fp) {
    switch (f) {
        case Activation::sigmoid: kernels::sigmoid(z.data(), a.data(), fp.data(), size_t(z.size())); break;
        case Activation::tanh:
            a = z.array().tanh();
            fp = 1.0f - a.array().square();
            break;
        case Activation::relu:
            a = z.array().max(0.0f);
            fp = (z.array() > 0.0f).template cast<float>();
            break;
        case Activation::step:  // Nielsen's perceptron: 1 if w.x + b > 0, else 0
            a = (z.array() > 0.0f).template cast<float>();
            fp.setZero();
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

void activation_values(Activation f, const float* z, float* a, float* fp, size_t n) {
    using Vec = Eigen::Map<const VectorXf>;
    activate(f, Vec(z, Eigen::Index(n)), VectorMap(a, Eigen::Index(n)), VectorMap(fp, Eigen::Index(n)));
}

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
    params_.assign(offset + 8, 0.0f);  // 8 floats of slack: padded reads past the last w[l]
    grads_.assign(offset, 0.0f);
    ld_ = int(padded(sizes_[1]));
    const KernelWidths k = kernel_widths(sizes_);  // (also counted by memory_bytes)
    const size_t batch = size_t(max_batch);
    acc_.assign(std::max(k.widest, padded(batch)), 0.0f);
    all_inputs_.resize(std::max({k.widest_in, k.widest_out, batch}));
    std::iota(all_inputs_.begin(), all_inputs_.end(), 0);
    padded_delta_.assign(k.widest * batch, 0.0f);
    gw_pad_.assign(k.widest * k.widest_in, 0.0f);
    start_.assign(k.widest_in, 0);
    add_.assign(k.widest_in, ~0);
    delta_t_.assign(padded(batch) * k.widest_out, 0.0f);
    gw0_.assign(size_t(ld_) * sizes_[0], 0.0f);
    touched_.assign(sizes_[0] + 1, 0);  // + 1: the listing loop writes one past the last
    lit_.assign(sizes_[0], 0);
    keep_.assign(size_t(sizes_[0]) * max_batch, 0);
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

// z[l](:, s) = w[l] x + b[l] for one input x given as n (index, value) pairs. w[l] is
// column-major, so the weights leaving input j are one contiguous column: the product is a sum
// of scaled columns, summed by kernels::gather_sum in acc_ padded to a multiple of 8 (its lanes
// past the column read the next one, or b[l], or the slack after the parameters).
void Network::affine(int l, int s, const int* index, const float* value, int n) {
    const int rows = sizes_[l + 1];
    kernels::gather_sum(params_.data() + w_offset(l), rows, index, value, n, acc_.data(), int(padded(rows)));
    const float* bl = params_.data() + b_offset(l);
    float* zs = z_[l].data() + size_t(s) * rows;
    for (int i = 0; i < rows; ++i) zs[i] = acc_[i] + bl[i];
}

// The later layers' products go through the kernels while w[l] is small (config.hpp): Eigen
// has no SIMD code for WebAssembly and a high fixed cost per product. Larger ones are Eigen's
// blocked products, which keep a big w[l] in cache across the mini-batch.
bool Network::small(int l) const { return l > 0 && small_layer(sizes_[l], sizes_[l + 1]); }

void Network::forward(const SparseBatch& x) {
    m_ = x.m();
    const int L = layers();
    for (int l = 0; l < L; ++l) {
        if (l == 0) {  // over the nonzero inputs only
            for (int s = 0; s < m_; ++s) {
                const int first = x.start()[s];
                affine(0, s, x.index() + first, x.value() + first, x.start()[s + 1] - first);
            }
        } else if (small(l)) {  // over all of a[l-1]
            for (int s = 0; s < m_; ++s)
                affine(l, s, all_inputs_.data(), a_[l - 1].data() + size_t(s) * sizes_[l], sizes_[l]);
        } else {
            z_[l].leftCols(m_).noalias() = w(l) * a_[l - 1].leftCols(m_);
            z_[l].leftCols(m_).colwise() += b(l);
        }
        auto z = z_[l].leftCols(m_);
        auto a = a_[l].leftCols(m_);
        auto fp = fprime_[l].leftCols(m_);
        if (l < L - 1 || activation_ == Activation::step) activate(activation_, z, a, fp);
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

// BP4 and BP2 of a small() later layer l through the kernels (scatter_add, gather_sum), on padded
// or transposed copies of delta[l]; the same math as the Eigen products in backward.
void Network::backward_small(int l) {
    const int rows = sizes_[l + 1], cols = sizes_[l];
    const float* d = delta_[l].data();  // delta[l]: (rows, m)
    const int ld = int(padded(rows)), mp = int(padded(m_));
    const float* aprev = a_[l - 1].data();  // a[l-1]: (cols, m)
    // BP4: dC/dw(:, j) = sum_s a[l-1](j, s) delta(:, s): each sample's delta, in a padded column,
    // scaled into every column j of gw_pad_ (the first sample starts them, the others add).
    for (int s = 0; s < m_; ++s) {
        float* ds = padded_delta_.data() + size_t(s) * ld;
        std::copy_n(d + size_t(s) * rows, rows, ds);
        kernels::scatter_add(gw_pad_.data(), ld, all_inputs_.data(), aprev + size_t(s) * cols,
                             (s == 0 ? start_ : add_).data(), cols, ds, ld);
    }
    float* gw = grads_.data() + w_offset(l);
    for (int j = 0; j < cols; ++j) std::copy_n(gw_pad_.data() + size_t(j) * ld, rows, gw + size_t(j) * rows);
    // BP2: delta[l-1](j, :) = w[l](:, j)^T delta * f'(z[l-1])(j, :), all samples at once: the
    // rows of delta (transposed into delta_t_: (mp, rows)) weighted by column j of w[l].
    for (int s = 0; s < m_; ++s)
        for (int i = 0; i < rows; ++i) delta_t_[size_t(i) * mp + s] = d[size_t(s) * rows + i];
    const float* wl = params_.data() + w_offset(l);
    const float* fp = fprime_[l - 1].data();
    float* dprev = delta_[l - 1].data();
    for (int j = 0; j < cols; ++j) {
        const float* column = wl + size_t(j) * rows;
        kernels::gather_sum(delta_t_.data(), mp, all_inputs_.data(), column, rows, acc_.data(), mp);
        for (int s = 0; s < m_; ++s) dprev[size_t(s) * cols + j] = acc_[s] * fp[size_t(s) * cols + j];
    }
}

void Network::backward(const SparseBatch& x, const Eigen::Ref<const MatrixXf>& y) {
    const int L = layers();
    // BP1: the output error. Cross-entropy and log-likelihood cancel sigma'(z): delta = a - y.
    auto dL = delta_[L - 1].leftCols(m_);
    dL = a_[L - 1].leftCols(m_) - y;
    if (cost_ == Cost::quadratic) dL.array() *= fprime_[L - 1].leftCols(m_).array();

    for (int l = L - 1; l >= 1; --l) {
        const int rows = sizes_[l + 1], cols = sizes_[l];
        auto d = delta_[l].leftCols(m_);  // delta[l]: (rows, m)
        // BP3: dC/db = delta, summed over the batch.
        VectorMap(grads_.data() + b_offset(l), rows).noalias() = d.rowwise().sum();
        if (small(l)) {
            backward_small(l);
            continue;
        }
        // BP4: dC/dw = delta a[l-1]^T. BP2: delta[l-1] = (w[l]^T delta) * f'(z[l-1]).
        MatrixMap gw(grads_.data() + w_offset(l), rows, cols);
        gw.noalias() = d * a_[l - 1].leftCols(m_).transpose();
        auto dprev = delta_[l - 1].leftCols(m_);
        dprev.noalias() = w(l).transpose() * d;
        dprev.array() *= fprime_[l - 1].leftCols(m_).array();
    }

    // Layer 0 against the sparse input: dC/dw[0](:, j) = sum_s delta[0](:, s) x(j, s) touches
    // only the columns of lit inputs. They are summed in gw0_, whose columns are padded to ld_
    // (see kernels.hpp); a column's first term in the batch is stored, the others added, and
    // columns the batch does not touch hold stale sums that nothing reads. Which term is first is
    // worked out beforehand, without a branch per pixel (which pixels are lit is unpredictable):
    // keep_[k] is all ones where nonzero k adds to its column, 0 where it is the column's first.
    const int rows = sizes_[1];
    int* __restrict touched = touched_.data();
    int* __restrict keep = keep_.data();
    uint8_t* __restrict lit = lit_.data();
    const int* __restrict index = x.index();
    for (int t = 0; t < touched_count_; ++t) lit[touched[t]] = 0;
    int count = 0;
    for (int k = 0; k < x.start()[m_]; ++k) {
        const int j = index[k];
        touched[count] = j;
        count += 1 - lit[j];
        keep[k] = -int(lit[j]);
        lit[j] = 1;
    }
    touched_count_ = count;
    VectorMap(grads_.data() + b_offset(0), rows).noalias() = delta_[0].leftCols(m_).rowwise().sum();
    for (int s = 0; s < m_; ++s) {
        float* ds = padded_delta_.data() + size_t(s) * ld_;
        std::copy_n(delta_[0].data() + size_t(s) * rows, rows, ds);
        const int first = x.start()[s];
        kernels::scatter_add(gw0_.data(), ld_, x.index() + first, x.value() + first, keep + first,
                             x.start()[s + 1] - first, ds, ld_);
    }
    gw0_current_ = false;
}

const float* Network::grads() {
    if (!gw0_current_) {  // copy w[0]'s gradient out of its padded columns (tests, not training)
        const int rows = sizes_[1];
        float* g = grads_.data() + w_offset(0);
        std::fill(g, g + size_t(rows) * sizes_[0], 0.0f);
        for (int t = 0; t < touched_count_; ++t) {
            const size_t j = size_t(touched_[t]);
            std::copy_n(gw0_.data() + j * ld_, rows, g + j * rows);
        }
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
    for (int t = 0; t < touched_count_; ++t) {
        float* __restrict pj = p + w_offset(0) + size_t(touched_[t]) * rows;
        const float* __restrict gj = gw0_.data() + size_t(touched_[t]) * ld_;
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
