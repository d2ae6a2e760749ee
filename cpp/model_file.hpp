// Saved networks. Format "BPLM" version 1, all integers and floats little-endian:
//   bytes 0-3   magic "BPLM"
//   u32         version (1)
//   u8          hidden activation (0 sigmoid, 1 tanh, 2 relu)
//   u8          cost (0 quadratic, 1 cross-entropy, 2 log-likelihood)
//   u16         reserved, 0
//   u32         L, the number of layers (>= 2), then L x u32 sizes
//   u64         P, the number of parameters, then P x f32 parameters in the network's layout
//               (for each layer l: w[l] column-major (sizes[l+1] x sizes[l]), then b[l])
//   u32         CRC-32 (IEEE) of every byte before it
// network2.py's JSON is the other format (model_json.hpp); the file functions below read and write both.
// Not a general serialisation library: one struct, one encoder, one decoder.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "config.hpp"

namespace bpl {

struct Model {
    std::vector<int> sizes;
    Activation activation = Activation::sigmoid;
    Cost cost = Cost::quadratic;
    std::vector<float> params;
};

size_t param_count(const std::vector<int>& sizes);

// The largest model file read (either format): a bigger one is refused before it is read. 64 MiB
// hold 16 million float32 parameters as BPLM, about 5 million as JSON.
constexpr size_t max_model_file_bytes = size_t(64) << 20;

// Throws Error, naming `name`, if a file of n bytes is too large to be a model file: checked
// before a byte is read (by load_model, and by the page's worker for a chosen file).
void check_model_file_size(uint64_t n, const std::string& name);

enum class ModelFormat { bplm, json };
const char* name(ModelFormat f);  // "bplm", "json"

// Throws Error if m cannot be written: sizes beyond the config limits, a parameter count that
// does not match them, NaN or infinite parameters (a diverged network).
void check_savable(const Model& m);

std::vector<uint8_t> encode_model(const Model& m);
// name appears in every message. Throws Error on bad magic, unknown version or enum, sizes that
// do not match the parameter count, truncation, trailing bytes, or a checksum mismatch.
Model decode_model(const uint8_t* data, size_t n, const std::string& name);

// Either format, told apart by content: "BPLM" at the start, or JSON (model_json.hpp) if the
// first byte that is not white space is '{' (or '[', to say it is a list). Throws Error naming `name`
// otherwise, or if the file is larger than max_model_file_bytes.
ModelFormat model_format(const uint8_t* data, size_t n, const std::string& name);
Model decode_model_file(const uint8_t* data, size_t n, const std::string& name,
                        ModelFormat* format = nullptr);

// Throws Error, naming `name`, if m is not a network for inputs of `inputs` values and `classes`
// labels (a single sigmoid output for two classes).
void check_fits(const Model& m, int inputs, int classes, const std::string& name);

// save_model writes JSON if path ends in ".json", BPLM otherwise; load_model reads either.
void save_model(const std::string& path, const Model& m);  // throws Error if it cannot write
Model load_model(const std::string& path);

}  // namespace bpl
