// Nielsen's stochastic gradient descent over labelled images: shuffle every epoch with a seeded
// RNG, mini-batches of m, evaluate on validation and test after each epoch. Training runs in
// pieces of any number of mini-batches, so the page's worker can report between them.
// Not the network's math (network.hpp) and not file reading.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "config.hpp"
#include "images.hpp"
#include "mnist.hpp"
#include "network.hpp"
#include "rng.hpp"

namespace bpl {

// A sample the network gets wrong: what the misclassified gallery shows.
struct Mistake {
    uint32_t index = 0;  // in the images of the samples' file (test: the t10k file)
    uint8_t label = 0, predicted = 0;
    float confidence = 0.0f;  // the output activation of the network's answer (one
                              // sigmoid output: a for class 1, 1 - a for class 0)
};

struct Evaluation {
    size_t correct = 0, total = 0;
    double cost = 0.0;                // mean data cost per sample (no L2 term)
    std::vector<uint32_t> confusion;  // classes x classes, row = true label, column = predicted
    std::vector<Mistake> mistakes;    // with the details only: most confident first, then by index
    double accuracy() const { return total ? double(correct) / double(total) : 0.0; }
};

struct EpochResult {
    int epoch = 0;                // 0-based, as Nielsen prints it
    Evaluation validation, test;  // test carries the confusion matrix
    double train_cost = 0.0;      // mean cost of the epoch's mini-batches, as they trained
    double seconds = 0.0;         // training time of the epoch, evaluation excluded
    double eval_seconds = 0.0;    // time of the evaluation on validation and test
};

struct Progress {
    int batches = 0;  // mini-batches run by this call
    size_t examples = 0;
    double cost = 0.0;  // mean per-sample cost of those mini-batches
    double seconds = 0.0;
};

// Where a trainer stands, beyond its network's parameters: what exact resume needs (checkpoint.hpp).
struct TrainerState {
    int epoch = 0;                // epochs completed
    uint64_t next = 0;            // position in order
    std::vector<uint32_t> order;  // this epoch's shuffled training indices
    Rng::State rng;
    double epoch_cost = 0.0, epoch_seconds = 0.0;
    uint64_t epoch_examples = 0;
    bool diverged = false;
};

class Trainer {
public:
    // Validates the config against the data and the memory budget (throws Error), then
    // initialises the network.
    Trainer(const Config& config, const Split& data, size_t memory_budget = default_memory_budget);
    // Starts from saved parameters instead (their sizes, activation and cost must be config's).
    Trainer(const Config& config, const Split& data, const std::vector<float>& params);

    // Runs up to n mini-batches of the current epoch (fewer at its end). Throws Diverged, with
    // the weights of before this call restored, if the cost or a weight becomes NaN or Inf.
    Progress train_batches(int n);
    bool epoch_done() const { return next_ == order_.size(); }
    // Evaluates validation and test and starts the next epoch (a fresh shuffle).
    EpochResult finish_epoch();
    // train_batches until the epoch is done, then finish_epoch.
    EpochResult train_epoch();

    // with_details: also the confusion matrix and every mistake (the test set's, after an epoch).
    Evaluation evaluate(const Samples& s, bool with_details = false);

    const Config& config() const { return config_; }
    int epoch() const { return epoch_; }  // epochs completed
    size_t batch_in_epoch() const;        // mini-batches done in this epoch
    size_t batches_per_epoch() const;
    bool diverged() const { return diverged_; }
    // Replaces the network's parameters (param_count() floats), e.g. a step applied by hand.
    void set_params(const float* params);
    // Replaces parameter i (i < param_count()).
    void set_param(size_t i, float value);
    // Exact resume: restore(state()) on a trainer of the same config and data, with the same
    // parameters set, trains on as this one would. restore throws Error if the state does not
    // fit (another training set size, a position past the end, an order that is not a permutation).
    TrainerState state() const;
    void restore(const TrainerState& s);
    Network& network() { return net_; }
    const Network& network() const { return net_; }
    const Split& data() const { return data_; }

private:
    void start_epoch();
    void set_targets(const Samples& s, const uint32_t* items, int m);
    int predicted(int s) const;  // the class the last forward gives sample s

    Config config_;
    Split data_;
    Rng rng_;
    Network net_;
    SparseBatch x_;
    MatrixXf y_;                   // targets (classes, batch)
    std::vector<uint32_t> order_;  // this epoch's shuffled training indices
    size_t next_ = 0;              // position in order_
    int epoch_ = 0;
    double epoch_cost_ = 0.0, epoch_seconds_ = 0.0;
    size_t epoch_examples_ = 0;
    std::vector<float> last_good_;
    bool diverged_ = false;
};

}  // namespace bpl
