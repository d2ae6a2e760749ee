// What defines a training run (Nielsen's hyperparameters plus the choices of the lecture notes)
// and the checks that run at the edge, before anything is allocated. Not the trainer itself.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace bpl {

// Hidden layers. step is Nielsen's perceptron, on every layer (the output too): it can be
// evaluated and set by hand, never trained (its derivative is 0 wherever it is defined).
enum class Activation { sigmoid, tanh, relu, step };
enum class Cost { quadratic, cross_entropy, log_likelihood };  // output: sigmoid, sigmoid, softmax
enum class Init { gaussian, scaled };                          // N(0,1) as network.py, N(0,1/n_in)

struct Config {
    std::vector<int> sizes{784, 30, 10};
    Activation activation = Activation::sigmoid;
    Cost cost = Cost::quadratic;
    Init init = Init::gaussian;
    float eta = 3.0f;  // learning rate
    int batch = 10;    // mini-batch size m
    int epochs = 30;
    float lambda = 0.0f;  // L2 regularisation: weight decay (1 - eta*lambda/n) every step
    uint32_t seed = 1;
};

// Limits shared by the config checks and the model-file decoder (what one accepts, the other must).
constexpr int max_layers = 1024;
constexpr int max_layer_size = 100000;

// The network's buffers hold at least this many samples: evaluation runs in batches this large.
constexpr int eval_batch = 100;
inline int buffer_batch(int batch) { return batch > eval_batch ? batch : eval_batch; }

// The network's SIMD kernels work on columns padded to a multiple of 8 floats, for the sparse
// first layer and for small later layers (larger ones are Eigen products): at most 64 outputs
// from at most 64 inputs, and in WebAssembly from at most 256. Eigen has no SIMD code for
// WebAssembly, where [784,100,10]'s 100 -> 10 layer as an Eigen product cost 5% of the relaxed
// module's epoch; natively either way is as fast, and the native build keeps the arithmetic
// behind the README's figures (seed 6 of [784,100,10] takes another path through the kernels).
inline size_t padded(size_t rows) { return (rows + 7) / 8 * 8; }
#if defined(__wasm__)
constexpr int small_layer_inputs = 256;
#else
constexpr int small_layer_inputs = 64;
#endif
inline bool small_layer(int in, int out) { return in <= small_layer_inputs && out <= 64; }

// What the kernels' scratch is sized by (network.hpp): the widest padded column of layer 0 and
// of the small later layers, and those later layers' widest input and output.
struct KernelWidths {
    size_t widest = 0, widest_in = 0, widest_out = 0;
};
KernelWidths kernel_widths(const std::vector<int>& sizes);

// Parameters, gradients, the last-good snapshot, the activations of buffer_batch(batch) samples
// and the kernels' scratch, in bytes.
size_t memory_bytes(const std::vector<int>& sizes, int batch);

// 1 GiB natively; the WebAssembly build lowers it (a browser tab has far less to spare).
constexpr size_t default_memory_budget = size_t(1) << 30;

// Throws Error with an actionable message if the config cannot run on n_train training
// examples of n_inputs values with labels 0..n_classes-1.
void validate(const Config& c, size_t n_train, int n_inputs, int n_classes,
              size_t memory_budget = default_memory_budget);
// Only the network's own shape and the hyperparameters (no data yet).
void validate_hyperparameters(const Config& c, size_t memory_budget = default_memory_budget);

const char* name(Activation a);
const char* name(Cost c);
const char* name(Init i);
Activation parse_activation(const std::string& s);
Cost parse_cost(const std::string& s);
Init parse_init(const std::string& s);
std::vector<int> parse_sizes(const std::string& s);  // "784,30,10"
std::string format_sizes(const std::vector<int>& sizes);

}  // namespace bpl
