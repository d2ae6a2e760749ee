// Writes the fuzz targets' seed corpora: a few valid tiny files made by the project's own
// encoders, and variants that stop at each kind of check (truncated, wrong magic, huge counts,
// bad shapes). Usage: make_seeds DIR, which gets DIR/idx/, DIR/model_file/, DIR/model_json/.
// The committed tests/fuzz/seeds/ is its output; the fuzz_seeds test checks that they agree.
// Not MNIST: every file is a few dozen bytes.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "bytes.hpp"
#include "idx.hpp"
#include "model_file.hpp"
#include "model_json.hpp"

namespace fs = std::filesystem;
using Bytes = std::vector<uint8_t>;

namespace {

fs::path out_dir;

void write(const std::string& target, const std::string& name, const Bytes& b) {
    const fs::path dir = out_dir / target;
    fs::create_directories(dir);
    std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(b.data()), std::streamsize(b.size()));
    if (!out) {
        std::fprintf(stderr, "make_seeds: cannot write %s\n", (dir / name).c_str());
        std::exit(1);
    }
}
void write(const std::string& target, const std::string& name, const std::string& text) {
    write(target, name, Bytes(text.begin(), text.end()));
}

// ---- IDX: big-endian u32 header fields, then the items.

void put_be(Bytes& b, uint32_t v) {
    for (int k = 3; k >= 0; --k) b.push_back(uint8_t(v >> (8 * k)));
}
Bytes idx_images(uint32_t count, uint32_t rows, uint32_t cols, size_t payload) {
    Bytes b;
    put_be(b, 0x803);
    put_be(b, count);
    put_be(b, rows);
    put_be(b, cols);
    for (size_t i = 0; i < payload; ++i) b.push_back(i % 3 == 0 ? 0 : uint8_t(17 * i + 1));
    return b;
}
Bytes idx_labels(uint32_t count, size_t payload) {
    Bytes b;
    put_be(b, 0x801);
    put_be(b, count);
    for (size_t i = 0; i < payload; ++i) b.push_back(uint8_t(i % 10));
    return b;
}

// fuzz_idx.cpp's layout: the file, then read backwards from the end the kind byte and a u16
// (high byte last) per chunk. `splits` are the chunk lengths; they must add up to the file's size.
Bytes idx_seed(const Bytes& file, bool images, const std::vector<uint16_t>& splits) {
    size_t sum = 0;
    for (uint16_t n : splits) sum += n;
    if (sum != file.size()) {
        std::fprintf(stderr, "make_seeds: chunks of %zu bytes for a file of %zu\n", sum, file.size());
        std::exit(1);
    }
    Bytes b = file, tail;
    tail.push_back(images ? 1 : 0);
    for (uint16_t n : splits) {
        tail.push_back(uint8_t(n >> 8));
        tail.push_back(uint8_t(n));
    }
    b.insert(b.end(), tail.rbegin(), tail.rend());
    return b;
}
Bytes idx_seed(const Bytes& file, bool images) { return idx_seed(file, images, {uint16_t(file.size())}); }

void idx_seeds() {
    const Bytes images = idx_images(3, 2, 3, 18), labels = idx_labels(4, 4);
    write("idx", "images-valid", idx_seed(images, true));
    write("idx", "images-valid-split", idx_seed(images, true, {1, 3, 0, 12, 5, 13}));
    // One byte a chunk: every partial image and header the reader has to keep between chunks.
    write("idx", "images-valid-bytewise", idx_seed(images, true, std::vector<uint16_t>(images.size(), 1)));
    write("idx", "labels-valid", idx_seed(labels, false));
    write("idx", "labels-valid-bytewise", idx_seed(labels, false, std::vector<uint16_t>(labels.size(), 1)));
    write("idx", "images-truncated", idx_seed(idx_images(3, 2, 3, 11), true, {16, 4, 7}));
    write("idx", "images-trailing", idx_seed(idx_images(3, 2, 3, 20), true, {19, 17}));
    write("idx", "labels-as-images", idx_seed(labels, true));
    write("idx", "images-as-labels", idx_seed(images, false));
    write("idx", "gzip", idx_seed({0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0}, false));
    write("idx", "header-short", idx_seed(Bytes(images.begin(), images.begin() + 10), true));
    write("idx", "images-count-0", idx_seed(idx_images(0, 2, 3, 0), true));
    write("idx", "images-count-huge", idx_seed(idx_images(10'000'001, 28, 28, 4), true));
    write("idx", "images-too-many-pixels", idx_seed(idx_images(10'000'000, 1, 1000, 4), true));
    write("idx", "images-rows-0", idx_seed(idx_images(1, 0, 3, 3), true));
    write("idx", "images-256x257", idx_seed(idx_images(1, 256, 257, 4), true));
    Bytes bad_label = labels;
    bad_label[10] = 10;
    write("idx", "labels-10", idx_seed(bad_label, false, {9, 3}));

    // The core's sparse form of images (sparse_file.hpp), read by the same reader.
    bpl::IdxReader r("seed", bpl::IdxKind::images);
    r.feed(images.data(), images.size());
    r.finish();
    const Bytes sparse = bpl::encode_sparse(r.take_images());
    write("idx", "sparse-valid", idx_seed(sparse, true));
    write("idx", "sparse-valid-bytewise", idx_seed(sparse, true, std::vector<uint16_t>(sparse.size(), 1)));
    write("idx", "sparse-truncated", idx_seed(Bytes(sparse.begin(), sparse.end() - 3), true));
    write("idx", "sparse-as-labels", idx_seed(sparse, false));
    Bytes bad_sum = sparse;
    bad_sum.back() ^= 1;
    write("idx", "sparse-checksum", idx_seed(bad_sum, true));
}

// ---- Models: the encoders' output and hand-made damage (BPLM offsets in model_file.hpp).

bpl::Model tiny(bpl::Activation a, bpl::Cost c) {
    bpl::Model m;
    m.sizes = {2, 2, 1};
    m.activation = a;
    m.cost = c;
    // Whole, fractional, negative, -0.0, tiny and denormal values: the JSON writer's hard cases.
    m.params = {0.5f, -1.25f, 3.0f, -0.0f, 1e-3f, 1e-40f, 0.1f, -7.75f, 65504.0f};
    return m;
}
void fix_crc(Bytes& b) {
    const uint32_t crc = bpl::bytes::crc32(b.data(), b.size() - 4);
    for (int k = 0; k < 4; ++k) b[b.size() - 4 + size_t(k)] = uint8_t(crc >> (8 * k));
}

void model_seeds() {
    using bpl::Activation;
    using bpl::Cost;
    const Bytes valid = bpl::encode_model(tiny(Activation::sigmoid, Cost::quadratic));
    write("model_file", "bplm-valid", valid);
    write("model_file", "bplm-tanh-cross-entropy",
          bpl::encode_model(tiny(Activation::tanh, Cost::cross_entropy)));
    write("model_file", "bplm-relu-softmax", bpl::encode_model(tiny(Activation::relu, Cost::log_likelihood)));
    write("model_file", "bplm-truncated", Bytes(valid.begin(), valid.end() - 9));
    write("model_file", "bplm-magic-only", Bytes(valid.begin(), valid.begin() + 4));
    // The valid file with one byte changed: with the checksum made right again (so that the
    // decoder reaches the field), or left wrong.
    const auto patched = [&](const char* name, size_t at, uint8_t value, bool crc) {
        Bytes b = valid;
        b[at] = value;
        if (crc) fix_crc(b);
        write("model_file", name, b);
    };
    patched("bplm-wrong-magic", 0, 'X', false);
    patched("bplm-version-2", 4, 2, true);
    patched("bplm-bad-crc", 40, valid[40] ^ 1, false);  // a parameter
    patched("bplm-layers-huge", 15, 0x7f, false);       // L's high byte: about 2.1 billion layers
    patched("bplm-size-0", 16, 0, true);                // sizes[0] = 0
    patched("bplm-count-mismatch", 28, 10, true);       // P
    Bytes b = valid;
    b.push_back(0);
    write("model_file", "bplm-trailing", b);
    patched("bplm-activation-9", 8, 9, true);
    patched("bplm-reserved", 10, 1, true);
    b = valid;
    for (size_t k = 0; k < 4; ++k) b[36 + k] = k < 2 ? 0x00 : k == 2 ? 0xc0 : 0x7f;  // params[0] = NaN
    fix_crc(b);
    write("model_file", "bplm-nan", b);
    write("model_file", "empty", Bytes{});
    write("model_file", "json-valid", bpl::encode_model_json(tiny(Activation::sigmoid, Cost::cross_entropy)));
    write("model_file", "text", "sizes 2 2 1\n");
}

void json_seeds() {
    using bpl::Activation;
    using bpl::Cost;
    write("model_json", "valid-sigmoid", bpl::encode_model_json(tiny(Activation::sigmoid, Cost::quadratic)));
    write("model_json", "valid-softmax",
          bpl::encode_model_json(tiny(Activation::sigmoid, Cost::log_likelihood)));
    write("model_json", "valid-step", bpl::encode_model_json(tiny(Activation::step, Cost::quadratic)));
    write("model_json", "valid-relu", bpl::encode_model_json(tiny(Activation::relu, Cost::cross_entropy)));
    // As network2.py's save() writes it: integers, plain biases lists, no lab keys.
    const std::string network2 = "{\"sizes\": [2, 1], \"weights\": [[[1, -2.5e-3]]], \"biases\": [[[0]]], "
                                 "\"cost\": \"CrossEntropyCost\"}";
    write("model_json", "network2", network2);
    write("model_json", "bom-flat-biases",
          "\xEF\xBB\xBF {\"sizes\": [1, 2], \"weights\": [[[1.0], [2.0]]], \"biases\": [[0.5, 1.5]], "
          "\"cost\": \"QuadraticCost\", \"extra\": {\"a\": [1, {\"b\": null}], \"c\": true}}");
    write("model_json", "nan",
          "{\"sizes\": [1, 1], \"weights\": [[[NaN]]], \"biases\": [[[0]]], \"cost\": \"QuadraticCost\"}");
    write("model_json", "infinity", "{\"sizes\": [1, 1], \"weights\": [[[-Infinity]]], \"biases\": [[[0]]]}");
    write("model_json", "beyond-float", "{\"sizes\": [1, 1], \"weights\": [[[1e39]]], \"biases\": [[[0]]]}");
    write("model_json", "missing-biases",
          "{\"sizes\": [1, 1], \"weights\": [[[1]]], \"cost\": \"QuadraticCost\"}");
    write("model_json", "duplicate-key", "{\"sizes\": [1, 1], \"sizes\": [1, 1]}");
    write("model_json", "wrong-rows",
          "{\"sizes\": [2, 2], \"weights\": [[[1, 2]]], \"biases\": [[[0], [0]]], \"cost\": "
          "\"QuadraticCost\"}");
    write("model_json", "size-fraction", "{\"sizes\": [2.5, 1]}");
    write("model_json", "size-huge", "{\"sizes\": [100001, 18446744073709551615, -9223372036854775808]}");
    write("model_json", "list", "[1, 2, 3]");
    write("model_json", "unknown-cost",
          "{\"sizes\": [1, 1], \"weights\": [[[1]]], \"biases\": [[[0]]], \"cost\": \"L1\", \"output\": "
          "\"softmax\"}");
    write("model_json", "truncated", network2.substr(0, 40));
    write("model_json", "bad-escape", "{\"sizes\": [1, 1], \"cost\": \"\\ud800\\u00e9\"}");
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: make_seeds DIR\n");
        return 2;
    }
    out_dir = argv[1];
    idx_seeds();
    model_seeds();
    json_seeds();
    return 0;
}
