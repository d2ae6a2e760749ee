// Names, parsing and the edge checks of a training run: everything a user can get wrong on the
// command line or in the page is caught here with a message that says what to change.
// Not the trainer: nothing here allocates a network or touches data.
#include "config.hpp"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstdio>
#include <string>

#include "errors.hpp"

namespace bpl {

namespace {

// Big learning rates stay allowed: eta = 100 is the lecture's example of divergence.
constexpr float max_eta = 1e6f;
constexpr int max_epochs = 10000;

// Saturating arithmetic: an absurd network must come out as "too big", never wrap to small.
size_t sat_add(size_t x, size_t y) { return x > SIZE_MAX - y ? SIZE_MAX : x + y; }
size_t sat_mul(size_t x, size_t y) { return (y != 0 && x > SIZE_MAX / y) ? SIZE_MAX : x * y; }

std::string mb(size_t bytes) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", double(bytes) / (1024.0 * 1024.0));
    return buf;
}

std::string num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", x);
    return buf;
}

// The structural checks shared by parse_sizes and validate_hyperparameters (layers count from 1).
void check_sizes(const std::vector<int>& sizes) {
    if (sizes.size() < 2)
        throw Error("the network has " + std::to_string(sizes.size()) +
                    " layer(s); give at least an input and an output layer, e.g. 784,30,10");
    if (sizes.size() > size_t(max_layers))
        throw Error("the network has " + std::to_string(sizes.size()) + " layers, more than the " +
                    std::to_string(max_layers) + " this lab allows; use fewer layers");
    for (size_t l = 0; l < sizes.size(); ++l) {
        if (sizes[l] < 1)
            throw Error("layer " + std::to_string(l + 1) + " has " + std::to_string(sizes[l]) +
                        " neurons; every layer needs at least 1");
    }
}

}  // namespace

const char* name(Activation a) {
    switch (a) {
        case Activation::sigmoid: return "sigmoid";
        case Activation::tanh: return "tanh";
        case Activation::relu: return "relu";
        case Activation::step: return "step";
    }
    return "?";
}

const char* name(Cost c) {
    switch (c) {
        case Cost::quadratic: return "quadratic";
        case Cost::cross_entropy: return "cross-entropy";
        case Cost::log_likelihood: return "log-likelihood";
    }
    return "?";
}

const char* name(Init i) {
    switch (i) {
        case Init::gaussian: return "gaussian";
        case Init::scaled: return "scaled";
    }
    return "?";
}

Activation parse_activation(const std::string& s) {
    for (Activation a : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::step})
        if (s == name(a)) return a;
    throw Error("unknown activation '" + s + "'; choose sigmoid, tanh, relu or step");
}

Cost parse_cost(const std::string& s) {
    for (Cost c : {Cost::quadratic, Cost::cross_entropy, Cost::log_likelihood})
        if (s == name(c)) return c;
    throw Error("unknown cost '" + s + "'; choose quadratic, cross-entropy or log-likelihood");
}

Init parse_init(const std::string& s) {
    for (Init i : {Init::gaussian, Init::scaled})
        if (s == name(i)) return i;
    throw Error("unknown init '" + s + "'; choose gaussian or scaled");
}

std::vector<int> parse_sizes(const std::string& s) {
    if (s.find_first_not_of(" \t") == std::string::npos)
        throw Error("no layer sizes given; give comma-separated neuron counts, e.g. 784,30,10");
    std::vector<int> sizes;
    size_t pos = 0;
    for (;;) {
        const size_t comma = s.find(',', pos);
        std::string item = s.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
        // Spaces around a number are harmless ("784, 30, 10"); anything else is not.
        const size_t first = item.find_first_not_of(" \t");
        const size_t last = item.find_last_not_of(" \t");
        item = first == std::string::npos ? "" : item.substr(first, last - first + 1);
        const std::string where = "layer " + std::to_string(sizes.size() + 1) + " of '" + s + "'";
        if (item.empty())
            throw Error(where + " is empty; give comma-separated neuron counts, e.g. 784,30,10");
        if (item[0] == '-')
            throw Error(where + " is negative (" + item + "); every layer needs at least 1 neuron");
        long long v = 0;
        for (char ch : item) {
            if (ch < '0' || ch > '9')
                throw Error(where + " is '" + item + "', not a whole number; e.g. 784,30,10");
            v = v * 10 + (ch - '0');
            if (v > INT_MAX) throw Error(where + " (" + item + ") is far too large a layer");
        }
        sizes.push_back(int(v));
        if (comma == std::string::npos) break;
        pos = comma + 1;
    }
    check_sizes(sizes);
    return sizes;
}

std::string format_sizes(const std::vector<int>& sizes) {
    std::string out;
    for (size_t l = 0; l < sizes.size(); ++l) {
        if (l) out += ',';
        out += std::to_string(sizes[l]);
    }
    return out;
}

KernelWidths kernel_widths(const std::vector<int>& sizes) {
    auto sz = [](int s) { return s > 0 ? size_t(s) : size_t(0); };
    KernelWidths k;
    for (size_t l = 0; l + 1 < sizes.size(); ++l) {
        const bool small = l > 0 && small_layer(sizes[l], sizes[l + 1]);
        if (l == 0 || small) k.widest = std::max(k.widest, padded(sz(sizes[l + 1])));
        if (small) {
            k.widest_in = std::max(k.widest_in, sz(sizes[l]));
            k.widest_out = std::max(k.widest_out, sz(sizes[l + 1]));
        }
    }
    return k;
}

size_t memory_bytes(const std::vector<int>& sizes, int batch) {
    const size_t m = batch > 0 ? size_t(buffer_batch(batch)) : 0;
    auto sz = [](int s) { return s > 0 ? size_t(s) : size_t(0); };
    size_t P = 0, neurons = 0;  // parameters; neurons after the input layer
    for (size_t l = 0; l + 1 < sizes.size(); ++l) {
        P = sat_add(P, sat_add(sat_mul(sz(sizes[l + 1]), sz(sizes[l])), sz(sizes[l + 1])));
        neurons = sat_add(neurons, sz(sizes[l + 1]));
    }
    // params + grads + last-good snapshot, then z, a, f'(z), delta of (sizes[l+1] x m) per layer.
    size_t floats = sat_add(sat_mul(3, P), sat_mul(sat_mul(4, neurons), m));
    // The kernels' scratch (network.hpp): padded deltas, the first layer's padded gradient, the
    // padded gradient, transposed delta and masks of the small later layers.
    const KernelWidths k = kernel_widths(sizes);
    floats = sat_add(floats, sat_mul(k.widest, m));
    if (sizes.size() >= 2) floats = sat_add(floats, sat_mul(padded(sz(sizes[1])), sz(sizes[0])));
    floats = sat_add(floats, sat_add(sat_mul(k.widest, k.widest_in), sat_mul(padded(m), k.widest_out)));
    size_t bytes = sat_add(sat_mul(floats, sizeof(float)), sat_mul(2 * k.widest_in, sizeof(int)));
    // The sparse input batch can hold every pixel: an int index, a float value and an int mask
    // (the network's keep_) each.
    const size_t inputs = sizes.empty() ? 0 : sat_mul(sz(sizes[0]), m);
    return sat_add(bytes, sat_mul(inputs, 2 * sizeof(int) + sizeof(float)));
}

void validate_hyperparameters(const Config& c, size_t memory_budget) {
    check_sizes(c.sizes);
    for (size_t l = 0; l < c.sizes.size(); ++l)
        if (c.sizes[l] > max_layer_size)
            throw Error("layer " + std::to_string(l + 1) + " has " + std::to_string(c.sizes[l]) +
                        " neurons, more than the " + std::to_string(max_layer_size) +
                        " this lab allows; use a smaller layer");
    if (c.cost == Cost::log_likelihood && c.sizes.back() < 2)
        throw Error("the log-likelihood cost puts a softmax on the output layer, and a softmax "
                    "needs at least 2 outputs; use one output per class or another cost");
    if (std::isinf(c.eta) && c.eta > 0)
        throw Error("eta is too large to be a float; use a learning rate like 3.0");
    if (!std::isfinite(c.eta) || c.eta <= 0)
        throw Error("eta is " + num(c.eta) + "; eta must be > 0, e.g. 3.0");
    if (c.eta > max_eta)
        throw Error("eta is " + num(c.eta) + ", more than " + num(max_eta) +
                    "; use a learning rate like 3.0 (even 100 stops learning)");
    if (c.batch < 1)
        throw Error("mini-batch size is " + std::to_string(c.batch) + "; it must be at least 1, e.g. 10");
    if (c.epochs < 1 || c.epochs > max_epochs)
        throw Error("epochs is " + std::to_string(c.epochs) + "; give 1 to " + std::to_string(max_epochs) +
                    ", e.g. 30");
    if (!std::isfinite(c.lambda) || c.lambda < 0)
        throw Error("lambda is " + num(c.lambda) +
                    "; the L2 regularisation must be >= 0 (0 turns it off, e.g. 5.0)");
    const size_t need = memory_bytes(c.sizes, c.batch);
    if (need > memory_budget)
        throw Error("the network " + format_sizes(c.sizes) + " with mini-batch " + std::to_string(c.batch) +
                    " needs " + mb(need) + " MB, more than the " + mb(memory_budget) +
                    " MB budget; use fewer or smaller hidden layers or a "
                    "smaller mini-batch");
}

void validate(const Config& c, size_t n_train, int n_inputs, int n_classes, size_t memory_budget) {
    validate_hyperparameters(c, memory_budget);
    if (c.sizes[0] != n_inputs)
        throw Error("the input layer has " + std::to_string(c.sizes[0]) + " neurons but the images have " +
                    std::to_string(n_inputs) + " pixels; make the first size " + std::to_string(n_inputs));
    const int out = c.sizes.back();
    // A single sigmoid output can separate two classes (the XOR example); otherwise one per class.
    if (!(out >= n_classes || (out == 1 && n_classes <= 2)))
        throw Error("the output layer has " + std::to_string(out) + " neurons but the labels have " +
                    std::to_string(n_classes) + " classes; make the last size at least " +
                    std::to_string(n_classes));
    if (n_train == 0) throw Error("there are no training images; check the data");
    if (size_t(c.batch) > n_train)
        throw Error("mini-batch size " + std::to_string(c.batch) + " is larger than the " +
                    std::to_string(n_train) + " training images; use a smaller mini-batch, e.g. 10");
}

}  // namespace bpl
