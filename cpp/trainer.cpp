// Nielsen's SGD loop (network.py's SGD and update_mini_batch, batched): shuffle, slice into
// mini-batches, forward, backward, update; evaluation after each epoch; divergence caught and
// undone. Timing covers training only.
#include "trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <string>

#include "errors.hpp"

namespace bpl {

namespace {

int classes_of(const Config& c) { return c.sizes.back() == 1 ? 2 : c.sizes.back(); }

// Classes seen in all three sets: the output layer must have room for every label it is shown.
int label_classes(const Split& d) {
    int top = 0;
    for (const Samples* s : {&d.training, &d.validation, &d.test})
        for (size_t i = 0; i < s->count; ++i) top = std::max(top, int((*s->labels)[s->begin + i]));
    return top + 1;
}

const Config& checked(const Config& c, const Split& d, size_t memory_budget) {
    if (!d.training.images || d.training.size() == 0)
        throw Error("no training data: the training set is empty");
    for (const Samples* s : {&d.validation, &d.test})
        if (s->count && s->images->pixels() != d.training.images->pixels())
            throw Error("validation or test images are not the size of the training images");
    validate(c, d.training.size(), d.training.images->pixels(), label_classes(d), memory_budget);
    return c;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

Trainer::Trainer(const Config& config, const Split& data, size_t memory_budget)
    : config_(checked(config, data, memory_budget)), data_(data), rng_(config.seed),
      net_(config.sizes, config.activation, config.cost, buffer_batch(config.batch)),
      x_(config.sizes[0], buffer_batch(config.batch)), y_(config.sizes.back(), buffer_batch(config.batch)),
      order_(data.training.size()) {
    net_.init(config.init, rng_);
    std::iota(order_.begin(), order_.end(), 0u);
    start_epoch();
    last_good_.assign(net_.params(), net_.params() + net_.param_count());
}

Trainer::Trainer(const Config& config, const Split& data, const std::vector<float>& params)
    : Trainer(config, data) {
    if (params.size() != net_.param_count())
        throw Error("saved parameters do not fit the network " + format_sizes(config.sizes) + ": " +
                    std::to_string(params.size()) + " values for " + std::to_string(net_.param_count()) +
                    " parameters");
    std::copy(params.begin(), params.end(), net_.params());
    last_good_ = params;
}

void Trainer::start_epoch() {
    rng_.shuffle(order_.data(), order_.size());
    next_ = 0;
    epoch_cost_ = epoch_seconds_ = 0.0;
    epoch_examples_ = 0;
}

size_t Trainer::batches_per_epoch() const { return (order_.size() + config_.batch - 1) / config_.batch; }

size_t Trainer::batch_in_epoch() const { return (next_ + config_.batch - 1) / config_.batch; }

void Trainer::set_targets(const Samples& s, const uint32_t* items, int m) {
    auto y = y_.leftCols(m);
    y.setZero();
    for (int k = 0; k < m; ++k) {
        const int label = (*s.labels)[s.begin + items[k]];
        if (y_.rows() == 1) y(0, k) = float(label);  // one sigmoid output for two classes
        else y(label, k) = 1.0f;                     // one-hot
    }
}

int Trainer::predicted(int s) const {
    const auto out = net_.output();
    if (out.rows() == 1) return out(0, s) > 0.5f;  // one sigmoid output for two classes
    Eigen::Index best;
    out.col(s).maxCoeff(&best);
    return int(best);
}

void Trainer::set_params(const float* params) {
    std::copy(params, params + net_.param_count(), net_.params());
    std::copy(params, params + net_.param_count(), last_good_.begin());
}

void Trainer::set_param(size_t i, float value) {
    net_.params()[i] = value;
    last_good_[i] = value;
}

TrainerState Trainer::state() const {
    TrainerState s;
    s.epoch = epoch_;
    s.next = next_;
    s.order = order_;
    s.rng = rng_.state();
    s.epoch_cost = epoch_cost_;
    s.epoch_seconds = epoch_seconds_;
    s.epoch_examples = epoch_examples_;
    s.diverged = diverged_;
    return s;
}

void Trainer::restore(const TrainerState& s) {
    const size_t n = order_.size();
    if (s.order.size() != n)
        throw Error("the saved run shuffled " + std::to_string(s.order.size()) + " training images, not " +
                    std::to_string(n));
    if (s.next > n || s.epoch < 0 || s.epoch_examples > s.next)
        throw Error("the saved run's position (epoch " + std::to_string(s.epoch) + ", image " +
                    std::to_string(s.next) + ") is not one this training set has");
    std::vector<bool> seen(n, false);
    for (uint32_t i : s.order) {
        if (i >= n || seen[i]) throw Error("the saved run's shuffle is damaged (not a permutation)");
        seen[i] = true;
    }
    // Replaying more draws than any run makes (10,000 epochs of 60,000 images) would take minutes.
    if (s.rng.seed != config_.seed || s.rng.draws > (uint64_t(1) << 32))
        throw Error("the saved run's random-number state is damaged");
    rng_.restore(s.rng);
    epoch_ = s.epoch;
    next_ = size_t(s.next);
    order_ = s.order;
    epoch_cost_ = s.epoch_cost;
    epoch_seconds_ = s.epoch_seconds;
    epoch_examples_ = size_t(s.epoch_examples);
    diverged_ = s.diverged;
    std::copy(net_.params(), net_.params() + net_.param_count(), last_good_.begin());
}

Progress Trainer::train_batches(int n) {
    if (config_.activation == Activation::step)
        throw Error("a network of step units cannot be trained by gradient descent: the step's "
                    "derivative is 0 wherever it is defined; set its weights by hand");
    if (diverged_)
        throw Diverged("training diverged earlier; reset the network (with a smaller eta) to train again");
    const auto t0 = std::chrono::steady_clock::now();
    std::copy(net_.params(), net_.params() + net_.param_count(), last_good_.begin());
    const size_t first = next_;
    const Samples& tr = data_.training;
    Progress p;
    double cost = 0.0;
    while (p.batches < n && next_ < order_.size()) {
        const int m = int(std::min<size_t>(config_.batch, order_.size() - next_));
        x_.clear();
        for (int k = 0; k < m; ++k) x_.add(*tr.images, tr.begin + order_[next_ + k]);
        set_targets(tr, &order_[next_], m);
        net_.forward(x_);
        const double c = net_.cost_sum(y_.leftCols(m));
        net_.backward(x_, y_.leftCols(m));
        const bool finite = net_.update(config_.eta, config_.lambda, tr.size(), m);
        if (!finite || !std::isfinite(c)) {
            std::copy(last_good_.begin(), last_good_.end(), net_.params());
            const size_t batch = next_ / config_.batch + 1;
            next_ = first;
            diverged_ = true;
            char eta[32];
            std::snprintf(eta, sizeof eta, "%g", double(config_.eta));
            throw Diverged(
                "training diverged in epoch " + std::to_string(epoch_) + ", mini-batch " +
                std::to_string(batch) + " of " + std::to_string(batches_per_epoch()) + ": " +
                (std::isfinite(c) ? "a weight became infinite or NaN" : "the cost became infinite or NaN") +
                ". eta = " + eta +
                " is too large for this network; lower it and start again. "
                "The weights from before mini-batch " +
                std::to_string(first / config_.batch + 1) + " are kept.");
        }
        cost += c;
        next_ += m;
        ++p.batches;
        p.examples += m;
    }
    p.seconds = seconds_since(t0);
    p.cost = p.examples ? cost / double(p.examples) : 0.0;
    epoch_cost_ += cost;
    epoch_examples_ += p.examples;
    epoch_seconds_ += p.seconds;
    return p;
}

Evaluation Trainer::evaluate(const Samples& s, bool with_details) {
    Evaluation e;
    e.total = s.size();
    const int classes = classes_of(config_);
    if (with_details) e.confusion.assign(size_t(classes) * classes, 0);
    std::vector<uint32_t> items(net_.max_batch());
    for (size_t first = 0; first < s.size(); first += net_.max_batch()) {
        const int m = int(std::min<size_t>(net_.max_batch(), s.size() - first));
        x_.clear();
        for (int k = 0; k < m; ++k) {
            items[k] = uint32_t(first + k);
            x_.add(*s.images, s.begin + first + k);
        }
        set_targets(s, items.data(), m);
        net_.forward(x_);
        e.cost += net_.cost_sum(y_.leftCols(m));
        for (int k = 0; k < m; ++k) {
            const int label = (*s.labels)[s.begin + first + k];
            const int guess = predicted(k);
            e.correct += guess == label;
            if (!with_details) continue;
            e.confusion[size_t(label) * classes + size_t(guess)] += 1;
            if (guess != label) {
                // One sigmoid output for two classes: a is the output's belief in class 1.
                const auto out = net_.output();
                const float a = out.rows() == 1 ? (guess ? out(0, k) : 1.0f - out(0, k)) : out(guess, k);
                // NaN (a network loaded with absurd weights) sorts last, as the least confident.
                e.mistakes.push_back({uint32_t(s.begin + first + k), uint8_t(label), uint8_t(guess),
                                      std::isnan(a) ? -std::numeric_limits<float>::infinity() : a});
            }
        }
    }
    if (e.total) e.cost /= double(e.total);
    std::sort(e.mistakes.begin(), e.mistakes.end(), [](const Mistake& a, const Mistake& b) {
        return a.confidence != b.confidence ? a.confidence > b.confidence : a.index < b.index;
    });
    return e;
}

EpochResult Trainer::finish_epoch() {
    EpochResult r;
    r.epoch = epoch_;
    r.train_cost = epoch_examples_ ? epoch_cost_ / double(epoch_examples_) : 0.0;
    r.seconds = epoch_seconds_;
    const auto t0 = std::chrono::steady_clock::now();
    r.validation = evaluate(data_.validation);
    r.test = evaluate(data_.test, true);
    r.eval_seconds = seconds_since(t0);
    ++epoch_;
    start_epoch();
    return r;
}

EpochResult Trainer::train_epoch() {
    // Pieces of 100 mini-batches: on divergence, at most 100 steps of learning are rolled back.
    while (!epoch_done()) train_batches(100);
    return finish_epoch();
}

}  // namespace bpl
