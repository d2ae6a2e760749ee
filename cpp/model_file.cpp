// The "BPLM" model format of model_file.hpp: an encoder, a decoder that trusts no byte, and the
// two file wrappers (either format). Little-endian helpers and CRC-32 in bytes.hpp.
// Not a general serialisation library.
#include "model_file.hpp"

#include <array>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>

#include "bytes.hpp"
#include "errors.hpp"
#include "model_json.hpp"

namespace bpl {

using namespace bytes;

namespace {

constexpr uint8_t magic[4] = {'B', 'P', 'L', 'M'};
constexpr uint32_t version = 1;
constexpr size_t header_bytes = 16;  // magic, version, activation, cost, reserved, L

// 64-bit whatever size_t is: the WebAssembly build's 32-bit size_t must not wrap on damaged sizes.
uint64_t param_count64(const std::vector<int>& sizes) {
    uint64_t P = 0;
    for (size_t l = 0; l + 1 < sizes.size(); ++l)
        P += uint64_t(sizes[l + 1]) * uint64_t(sizes[l]) + uint64_t(sizes[l + 1]);
    return P;
}

}  // namespace

size_t param_count(const std::vector<int>& sizes) { return size_t(param_count64(sizes)); }

const char* name(ModelFormat f) { return f == ModelFormat::json ? "json" : "bplm"; }

void check_savable(const Model& m) {
    // The config checks' bounds (config.hpp): anything beyond them is damage, not a network.
    bool sizes_ok = m.sizes.size() >= 2 && m.sizes.size() <= size_t(max_layers);
    for (int s : m.sizes) sizes_ok = sizes_ok && s >= 1 && s <= max_layer_size;
    if (!sizes_ok || m.params.size() != param_count(m.sizes))
        throw Error("cannot save a model of sizes " + format_sizes(m.sizes) + " with " +
                    std::to_string(m.params.size()) + " parameters; it needs " +
                    std::to_string(param_count(m.sizes)));
    // The decoders refuse such a file, so refuse to write one rather than fail on the next load.
    for (float f : m.params)
        if (!std::isfinite(f))
            throw Error("cannot save a network with NaN or infinite parameters (it diverged); "
                        "lower eta and train again");
}

std::vector<uint8_t> encode_model(const Model& m) {
    check_savable(m);
    std::vector<uint8_t> out;
    out.reserve(header_bytes + 4 * m.sizes.size() + 8 + 4 * m.params.size() + 4);
    for (uint8_t ch : magic) put_u8(out, ch);
    put_u32(out, version);
    put_u8(out, uint8_t(m.activation));
    put_u8(out, uint8_t(m.cost));
    put_u16(out, 0);
    put_u32(out, uint32_t(m.sizes.size()));
    for (int s : m.sizes) put_u32(out, uint32_t(s));
    put_u64(out, m.params.size());
    for (float f : m.params) put_f32(out, f);
    put_u32(out, crc32(out.data(), out.size()));
    return out;
}

Model decode_model(const uint8_t* data, size_t n, const std::string& name) {
    auto fail = [&](const std::string& what) -> Error { return Error(name + ": " + what); };
    auto need = [&](uint64_t bytes, const char* what) {
        if (n < bytes)
            throw fail(std::string("truncated: ") + what + " needs " + std::to_string(bytes) +
                       " bytes but only " + std::to_string(n) + " are present");
    };
    // The version decides the layout of everything after it, so it is checked before anything else.
    if (n < 4) {
        for (size_t i = 0; i < n; ++i)
            if (data[i] != magic[i]) throw fail("not a Backprop Lab model file");
        need(4, "the magic number");
    }
    if (std::memcmp(data, magic, 4) != 0)
        throw fail("not a Backprop Lab model file (it does not start with \"BPLM\")");
    need(8, "the version");
    const uint32_t file_version = uint32_t(get_le(data + 4, 4));
    if (file_version != version)
        throw fail("unsupported model file version " + std::to_string(file_version) +
                   "; this build reads version " + std::to_string(version));
    need(header_bytes, "the header");
    const uint32_t L = uint32_t(get_le(data + 12, 4));
    if (L < 2 || L > uint32_t(max_layers))
        throw fail("the file says the network has " + std::to_string(L) + " layers; a network has 2 to " +
                   std::to_string(max_layers));
    need(header_bytes + 4 * uint64_t(L), "the layer sizes");
    Model m;
    m.sizes.resize(L);
    for (uint32_t l = 0; l < L; ++l) {
        const uint32_t s = uint32_t(get_le(data + header_bytes + 4 * size_t(l), 4));
        if (s < 1 || s > uint32_t(max_layer_size))
            throw fail("layer " + std::to_string(l + 1) + " has " + std::to_string(s) +
                       " neurons; a layer has 1 to " + std::to_string(max_layer_size));
        m.sizes[l] = int(s);
    }
    const uint64_t p_at = header_bytes + 4 * uint64_t(L);
    need(p_at + 8, "the parameter count");
    const uint64_t P = get_le(data + p_at, 8);
    const uint64_t expected_P = param_count64(m.sizes);
    if (P != expected_P)
        throw fail("mismatched parameter count: " + std::to_string(P) + " parameters stored but the sizes " +
                   format_sizes(m.sizes) + " need " + std::to_string(expected_P));
    const uint64_t total = p_at + 8 + 4 * P + 4;
    need(total, "the parameters and checksum");
    if (n > total)
        throw fail(std::to_string(n - total) + " trailing bytes after the checksum (expected " +
                   std::to_string(total) + " bytes, found " + std::to_string(n) + ")");
    if (crc32(data, size_t(total - 4)) != uint32_t(get_le(data + total - 4, 4)))
        throw fail("corrupt: checksum mismatch");
    // Past the checksum the bytes are as written; these catch files written by another program.
    const uint8_t a = data[8], c = data[9];
    if (a > uint8_t(Activation::step))
        throw fail("unknown activation code " + std::to_string(a) + " (0 sigmoid, 1 tanh, 2 relu, 3 step)");
    if (c > uint8_t(Cost::log_likelihood))
        throw fail("unknown cost code " + std::to_string(c) +
                   " (0 quadratic, 1 cross-entropy, 2 log-likelihood)");
    if (get_le(data + 10, 2) != 0) throw fail("the reserved header field is not 0");
    m.activation = Activation(a);
    m.cost = Cost(c);
    m.params.resize(size_t(P));
    const uint8_t* p = data + p_at + 8;
    for (size_t i = 0; i < m.params.size(); ++i) {
        const uint32_t bits = uint32_t(get_le(p + 4 * i, 4));
        std::memcpy(&m.params[i], &bits, 4);
        if (!std::isfinite(m.params[i]))
            throw fail("parameter " + std::to_string(i) +
                       " is NaN or infinite; the file holds a diverged network");
    }
    return m;
}

void check_model_file_size(uint64_t n, const std::string& name) {
    if (n > max_model_file_bytes)
        throw Error(name + ": the file has " + std::to_string(n >> 20) + " MB; a model file is at most " +
                    std::to_string(max_model_file_bytes >> 20) + " MB (is it a model file?)");
}

ModelFormat model_format(const uint8_t* data, size_t n, const std::string& name) {
    check_model_file_size(n, name);
    if (n >= 4 && std::memcmp(data, magic, 4) == 0) return ModelFormat::bplm;
    size_t i = 0;
    if (n >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF) i = 3;  // a UTF-8 byte-order mark
    while (i < n && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r')) ++i;
    if (i < n && (data[i] == '{' || data[i] == '[')) return ModelFormat::json;  // a list: JSON, not a network
    if (n == 0) throw Error(name + ": the file is empty");
    throw Error(name + ": not a model file: neither a Backprop Lab model (it would start with \"BPLM\") "
                       "nor network2.py's JSON (it would start with '{')");
}

Model decode_model_file(const uint8_t* data, size_t n, const std::string& name, ModelFormat* format) {
    const ModelFormat f = model_format(data, n, name);
    if (format) *format = f;
    return f == ModelFormat::json ? decode_model_json(data, n, name) : decode_model(data, n, name);
}

void check_fits(const Model& m, int inputs, int classes, const std::string& name) {
    const std::string shape = "[" + format_sizes(m.sizes) + "]";
    if (m.sizes.front() != inputs)
        throw Error(name + ": the network " + shape + " takes " + std::to_string(m.sizes.front()) +
                    " inputs, but the images here have " + std::to_string(inputs) + " pixels");
    const int outputs = classes == 2 ? 1 : classes;
    if (m.sizes.back() != outputs && m.sizes.back() != classes)
        throw Error(name + ": the network " + shape + " gives " + std::to_string(m.sizes.back()) +
                    " outputs, but the data here has " + std::to_string(classes) + " classes");
}

namespace {
bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}
}  // namespace

void save_model(const std::string& path, const Model& m) {
    std::vector<uint8_t> bytes;
    if (ends_with(path, ".json")) {
        const std::string text = encode_model_json(m);
        bytes.assign(text.begin(), text.end());
    } else {
        bytes = encode_model(m);
    }
    // Written beside the target and renamed over it: a failed write never destroys an old model.
    const std::string partial = path + ".partial";
    std::ofstream out(partial, std::ios::binary | std::ios::trunc);
    if (!out) throw Error("cannot write model file '" + path + "': " + std::strerror(errno));
    out.write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
    out.close();
    if (!out || std::rename(partial.c_str(), path.c_str()) != 0) {
        const std::string why = std::strerror(errno);
        std::remove(partial.c_str());
        throw Error("cannot write model file '" + path + "': " + why);
    }
}

Model load_model(const std::string& path) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw Error("cannot open model file '" + path + "': " + std::strerror(errno));
    check_model_file_size(uint64_t(in.tellg()), path);  // before reading a byte
    in.seekg(0);
    const std::vector<uint8_t> bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw Error("cannot read model file '" + path + "': " + std::strerror(errno));
    return decode_model_file(bytes.data(), bytes.size(), path);
}

}  // namespace bpl
