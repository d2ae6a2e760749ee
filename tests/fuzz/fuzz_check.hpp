// What the fuzz targets share: a check that aborts (assert() is gone in release builds, and a
// broken invariant must crash the fuzzer like a sanitizer report does), and a model comparison.
// Each target catches bpl::Error only: any other exception escapes, and libFuzzer reports it.
#pragma once
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "model_file.hpp"

#define FUZZ_CHECK(cond)                                                                                     \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond);                \
            std::abort();                                                                                    \
        }                                                                                                    \
    } while (0)

namespace bpl::fuzz {

// Bit for bit: -0.0 and 0.0 differ, as the file formats keep them apart.
inline bool same_model(const Model& a, const Model& b) {
    return a.sizes == b.sizes && a.activation == b.activation && a.cost == b.cost &&
           a.params.size() == b.params.size() &&
           (a.params.empty() ||
            std::memcmp(a.params.data(), b.params.data(), a.params.size() * sizeof(float)) == 0);
}

// What every decoded model must be: sizes the encoders accept and one parameter per weight and bias.
inline void check_model(const Model& m) {
    FUZZ_CHECK(m.sizes.size() >= 2 && m.sizes.size() <= size_t(max_layers));
    for (int s : m.sizes) FUZZ_CHECK(s >= 1 && s <= max_layer_size);
    FUZZ_CHECK(m.params.size() == param_count(m.sizes));
}

}  // namespace bpl::fuzz
