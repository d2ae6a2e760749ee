// Fuzz target: the model-file decoder (cpp/model_file.cpp), both formats through
// decode_model_file, as the page and the trainer read a chosen file. A BPLM file that decodes must
// be exactly what the encoder writes for its model (the format has one spelling per model); a
// JSON one must survive the JSON encoder and decoder.
// The CRC-32 stops almost every mutation before the checks behind it, so each input is also
// decoded with its last four bytes replaced by the checksum of the bytes before them.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "bytes.hpp"
#include "errors.hpp"
#include "fuzz_check.hpp"
#include "model_json.hpp"

namespace {

void decode(const uint8_t* data, size_t size) {
    bpl::Model m;
    bpl::ModelFormat format;
    try {
        m = bpl::decode_model_file(data, size, "fuzz-model", &format);
    } catch (const bpl::Error&) {
        return;
    }
    bpl::fuzz::check_model(m);
    if (format == bpl::ModelFormat::bplm) {
        const std::vector<uint8_t> again = bpl::encode_model(m);
        FUZZ_CHECK(again.size() == size && std::equal(again.begin(), again.end(), data));
    } else {
        const std::string text = bpl::encode_model_json(m);
        const bpl::Model back = bpl::decode_model_json(reinterpret_cast<const uint8_t*>(text.data()),
                                                       text.size(), "fuzz-model (written again)");
        FUZZ_CHECK(bpl::fuzz::same_model(m, back));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    // An exact-size copy: a read past the end is a heap overflow that ASan reports.
    const std::vector<uint8_t> bytes(data, data + size);
    decode(bytes.data(), bytes.size());
    if (size >= 4 && size <= bpl::max_model_file_bytes) {
        std::vector<uint8_t> fixed = bytes;
        const uint32_t crc = bpl::bytes::crc32(fixed.data(), size - 4);
        for (int k = 0; k < 4; ++k) fixed[size - 4 + size_t(k)] = uint8_t(crc >> (8 * k));
        decode(fixed.data(), fixed.size());
    }
    return 0;
}
