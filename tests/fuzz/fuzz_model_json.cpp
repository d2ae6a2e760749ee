// Fuzz target: network2.py's JSON loader (cpp/model_json.cpp), a SAX reader over nlohmann/json.
// A text it accepts must be valid JSON to nlohmann's own parser, hold a consistent network, and
// survive the JSON encoder and decoder bit for bit (decode(encode(m)) == m).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "errors.hpp"
#include "fuzz_check.hpp"
#include "model_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::vector<uint8_t> bytes(data, data + size);  // exact size, see fuzz_model_file.cpp
    bpl::Model m;
    try {
        m = bpl::decode_model_json(bytes.data(), bytes.size(), "fuzz-json");
    } catch (const bpl::Error&) {
        return 0;
    }
    FUZZ_CHECK(nlohmann::json::accept(bytes.begin(), bytes.end()));
    bpl::fuzz::check_model(m);
    const std::string text = bpl::encode_model_json(m);
    const bpl::Model back = bpl::decode_model_json(reinterpret_cast<const uint8_t*>(text.data()), text.size(),
                                                   "fuzz-json (written again)");
    FUZZ_CHECK(bpl::fuzz::same_model(m, back));
    return 0;
}
