// A fully connected feed-forward network (Nielsen ch. 1-2): forward pass, backpropagation and
// the SGD update on one mini-batch at a time. Not the training loop (trainer.hpp) and not data.
//
// All parameters live in one contiguous float buffer, all gradients in another of the same
// layout, layer by layer: w[0], b[0], w[1], b[1], ... where
//   w[l]: (sizes[l+1], sizes[l]), column-major: column j holds the weights leaving input j
//   b[l]: (sizes[l+1])
// so the first layer's weights into hidden neuron i form row i of w[0]: a 28x28 image for MNIST.
//
// The input of a mini-batch is sparse (SparseBatch): the first layer, nearly all of the work,
// touches only the columns of w[0] of nonzero pixels; the later layers are dense. Nothing
// allocates inside forward, backward or update.
#pragma once
#include <Eigen/Dense>
#include <cstdint>
#include <vector>

#include "config.hpp"
#include "images.hpp"
#include "model_file.hpp"
#include "rng.hpp"

namespace bpl {

using Eigen::MatrixXf;
using Eigen::VectorXf;
using MatrixMap = Eigen::Map<MatrixXf>;
using VectorMap = Eigen::Map<VectorXf>;

// m inputs of n values in compressed-column form: sample s's nonzeros are
// index[start[s] .. start[s+1]), value[...]. Capacity is fixed at construction.
class SparseBatch {
public:
    SparseBatch(int n, int max_m);
    void clear();
    // Appends sample i of images (values scaled to [0, 1]).
    void add(const Images& images, size_t i);
    // Appends a dense sample of n floats (keeps its nonzeros).
    void add_dense(const float* x);
    int n() const { return n_; }
    int m() const { return m_; }
    int max_m() const { return max_m_; }
    const int* start() const { return start_.data(); }
    const int* index() const { return index_.data(); }
    const float* value() const { return value_.data(); }

private:
    int n_, max_m_, m_ = 0;
    std::vector<int> start_, index_;
    std::vector<float> value_;
};

// a = f(z) and fp = f'(z) for n values: the network's own activation code (the page's plots of
// the activation functions come from here too).
void activation_values(Activation f, const float* z, float* a, float* fp, size_t n);

class Network {
public:
    Network(std::vector<int> sizes, Activation activation, Cost cost, int max_batch);
    Network(const Network&) = delete;  // the Maps point into our own buffers
    Network& operator=(const Network&) = delete;
    Network(Network&&) = default;

    // Nielsen's network.py: weights and biases N(0,1) (gaussian), or weights N(0, 1/n_in) (scaled).
    void init(Init init, Rng& rng);

    const std::vector<int>& sizes() const { return sizes_; }
    int layers() const { return int(sizes_.size()) - 1; }  // weight layers
    Activation activation() const { return activation_; }
    Cost cost() const { return cost_; }
    int max_batch() const { return max_batch_; }

    float* params() { return params_.data(); }
    const float* params() const { return params_.data(); }
    // The gradient of the last backward(), in the parameters' layout.
    const float* grads();
    size_t param_count() const { return param_count_; }
    size_t w_offset(int l) const { return w_offset_[l]; }
    size_t b_offset(int l) const { return w_offset_[l] + size_t(sizes_[l + 1]) * sizes_[l]; }
    MatrixMap w(int l);  // (sizes[l+1], sizes[l])
    VectorMap b(int l);  // (sizes[l+1])
    Eigen::Map<const MatrixXf> w(int l) const;
    Eigen::Map<const VectorXf> b(int l) const;

    // a = sigma(w a + b) layer by layer. x.n() == sizes[0], x.m() <= max_batch.
    void forward(const SparseBatch& x);
    // The output activations of the last forward: (sizes.back(), m).
    Eigen::Ref<const MatrixXf> output() const;
    // What the last forward and backward left per weight layer l, for its m samples:
    // z[l], a[l], f'(z[l]) and delta[l], each (sizes[l+1], m). f' of a softmax output layer is
    // not kept (its f' cancels in BP1): fprime(L-1) is then meaningless.
    Eigen::Ref<const MatrixXf> z(int l) const { return z_[l].leftCols(m_); }
    Eigen::Ref<const MatrixXf> a(int l) const { return a_[l].leftCols(m_); }
    Eigen::Ref<const MatrixXf> fprime(int l) const { return fprime_[l].leftCols(m_); }
    Eigen::Ref<const MatrixXf> delta(int l) const { return delta_[l].leftCols(m_); }
    // The data cost of the last forward, summed over its samples, against targets y (out, m).
    double cost_sum(const Eigen::Ref<const MatrixXf>& y) const;

    // Gradients of the summed cost of the last forward's batch into grads(). Call after forward(x)
    // with the same x.
    void backward(const SparseBatch& x, const Eigen::Ref<const MatrixXf>& y);

    // Nielsen's update: w <- (1 - eta*lambda/n) w - (eta/m) grad_w, b <- b - (eta/m) grad_b.
    // Returns false if any updated parameter is NaN or Inf.
    bool update(float eta, float lambda, size_t n_train, int m);

    // What a model file holds of this network: shape, activation, cost, a copy of the parameters.
    Model model() const;

    // One forward of a single dense input; returns the output activations.
    std::vector<float> predict(const float* x);

private:
    std::vector<int> sizes_;
    Activation activation_;
    Cost cost_;
    int max_batch_;
    std::vector<size_t> w_offset_;
    std::vector<float, Eigen::aligned_allocator<float>> params_, grads_;
    std::vector<MatrixXf> z_, a_;   // z_[l], a_[l]: (sizes[l+1], max_batch)
    std::vector<MatrixXf> fprime_;  // fprime_[l]: f'(z_[l]), kept by forward for backward
    std::vector<MatrixXf> delta_;   // delta_[l]: (sizes[l+1], max_batch)
    int m_ = 0;                     // samples in the last forward
    size_t param_count_ = 0;
    // Scratch of the kernels (see network.cpp), sized by kernel_widths(); ld_ = padded(sizes[1]).
    void affine(int l, int s, const int* index, const float* value, int n);
    bool small(int l) const;
    void backward_small(int l);
    int ld_ = 0;
    std::vector<float> acc_;           // one column being summed (padded)
    std::vector<int> all_inputs_;      // 0, 1, 2, ...: the index list of a dense operand
    std::vector<float> padded_delta_;  // (widest padded(sizes[l+1]), max_batch): the delta[l] of the
                                       // layer at hand, in padded columns
    std::vector<float> gw_pad_;        // (padded(sizes[l+1]), sizes[l]): dC/dw[l], padded, l >= 1
    std::vector<int> start_, add_;     // (sizes[l]): scatter_add masks, all 0 (start) or all ~0
    std::vector<float> delta_t_;       // (padded(max_batch), sizes[l+1]): delta[l] transposed, l >= 1
    std::vector<float> gw0_;           // (ld_, sizes[0]): dC/dw[0], padded columns
    bool gw0_current_ = true;          // grads_ holds a copy of gw0_
    std::vector<int> touched_;         // [0, touched_count_): inputs lit in the last backward's batch
    int touched_count_ = 0;
    std::vector<uint8_t> lit_;  // per input: in touched_
    std::vector<int> keep_;     // per nonzero of the batch: 0 if first in its column, else ~0
    SparseBatch single_;        // predict()'s one-sample batch
};

}  // namespace bpl
