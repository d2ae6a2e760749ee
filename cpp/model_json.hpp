// network2.py's JSON, the format of Nielsen's network2.save() and load():
//   {"sizes": [784, 30, 10], "weights": [...], "biases": [...], "cost": "QuadraticCost"}
// weights[l] is the (sizes[l+1] x sizes[l]) matrix as nested lists (row i = neuron i of layer
// l+1, as w.tolist() writes it), biases[l] a column, a list of one-element lists (b.tolist()).
// What network2.py cannot express goes into extra keys that its load() ignores: "activation"
// (the hidden layers: sigmoid, tanh, relu, step) and "output" (sigmoid, softmax, step); a softmax
// output is the lab's log-likelihood cost and is written "cost": "CrossEntropyCost" so that
// network2.load() still reads it. "note" tells a reader that ignores the extras what it loses.
// Not a general JSON library (nlohmann/json parses; this file knows one shape).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

#include "model_file.hpp"

namespace bpl {

// Floats as the shortest text that reads back to the same float32. Throws Error for a network
// that cannot be saved (NaN or infinite parameters, sizes that do not match the parameters).
std::string encode_model_json(const Model& m);

// Throws Error naming `name` and what is wrong: not JSON (with the byte where it fails), not a
// network (a missing or mistyped key), lists of the wrong shape, numbers that are NaN, infinite
// or beyond float32, an unknown cost or activation.
Model decode_model_json(const uint8_t* data, size_t n, const std::string& name);

}  // namespace bpl
