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

std::vector<uint8_t> encode_model(const Model& m);
// name appears in every message. Throws Error on bad magic, unknown version or enum, sizes that
// do not match the parameter count, truncation, trailing bytes, or a checksum mismatch.
Model decode_model(const uint8_t* data, size_t n, const std::string& name);

void save_model(const std::string& path, const Model& m);  // throws Error if it cannot write
Model load_model(const std::string& path);

}  // namespace bpl
