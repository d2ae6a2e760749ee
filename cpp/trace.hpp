// Backpropagation made visible: one example (x, y) through the same Network code that trains
// (forward, backward with m = 1), every intermediate kept; and the one-example SGD step.
// Not a second implementation of the math (that is the gradient check's job, gradcheck.hpp).
#pragma once
#include <vector>

#include "network.hpp"

namespace bpl {

// Weight layer l (layer l+1 of the book), each of sizes[l+1] values except grad_w.
struct LayerTrace {
    std::vector<float> z, a;    // z = w a_prev + b, a = f(z)
    std::vector<float> fprime;  // f'(z); for a softmax output, the diagonal a (1 - a) of its
                                // Jacobian (BP1 there is a - y: the Jacobian cancels)
    std::vector<float> delta;   // dC/dz: BP1 for the output layer, BP2 for the others
    std::vector<float> grad_b;  // BP3: dC/db = delta
    std::vector<float> grad_w;  // BP4: dC/dw = delta a_prev^T, (sizes[l+1], sizes[l]) column-major
};

struct Trace {
    std::vector<float> x, y;  // (sizes[0]), (sizes.back())
    std::vector<LayerTrace> layers;
    std::vector<float> cost_grad;  // grad_a C at the output
    double cost = 0.0;             // the example's data cost C_x (no L2 term)
    float eta = 0.0f;
    double cost_after = 0.0;          // C_x after one SGD step on this example alone (no L2)
    std::vector<float> params_after;  // the parameters after that step (not applied)
};

// The target vector the trainer uses for a label: one-hot, or the label itself for one output.
std::vector<float> target(int label, int outputs);

// Traces x (sizes[0] values) against target y through a copy of net's parameters; net itself
// is not changed. Throws Error for a step network (nothing to backpropagate) or a bad x / y size.
Trace trace_example(const Network& net, const std::vector<float>& x, const std::vector<float>& y, float eta);

}  // namespace bpl
