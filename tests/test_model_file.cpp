// Tests for cpp/model_file.*: the documented byte layout, exact round trips, and every kind of
// damage (truncation, flipped bits, bad header fields, trailing bytes) rejected with its message.
// The CRC here is an independent bitwise version, so the table-driven one is checked, not copied.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>

#include "errors.hpp"
#include "model_file.hpp"
#include "random_model.hpp"
#include "rng.hpp"
#include "temp_dir.hpp"

using namespace bpl;

namespace {

uint32_t slow_crc32(const uint8_t* p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) {
        c ^= p[i];
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

uint64_t le(const std::vector<uint8_t>& b, size_t at, int bytes) {
    uint64_t v = 0;
    for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | b[at + k];
    return v;
}

void set_le(std::vector<uint8_t>& b, size_t at, int bytes, uint64_t v) {
    for (int k = 0; k < bytes; ++k) b[at + k] = uint8_t(v >> (8 * k));
}

// After a deliberate edit, make the checksum right again so a structural check is what fires.
void restamp(std::vector<uint8_t>& b) { set_le(b, b.size() - 4, 4, slow_crc32(b.data(), b.size() - 4)); }

Model decode(const std::vector<uint8_t>& b) { return decode_model(b.data(), b.size(), "net.bplm"); }

bool same_bits(const std::vector<float>& x, const std::vector<float>& y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), 4 * x.size()) == 0;
}

}  // namespace

TEST_CASE("param_count is the sum of weights and biases") {
    CHECK(param_count({2, 3, 1}) == (3 * 2 + 3) + (1 * 3 + 1));
    CHECK(param_count({784, 30, 10}) == 23860);  // network.py's [784,30,10]
    CHECK(param_count({784, 100, 10}) == 79510);
}

TEST_CASE("the test's own CRC-32 is the IEEE one") {
    const char* s = "123456789";
    CHECK(slow_crc32(reinterpret_cast<const uint8_t*>(s), 9) == 0xCBF43926u);  // the standard check value
}

TEST_CASE("encode_model writes the documented layout") {
    const Model m = random_model({2, 3, 1}, Activation::tanh, Cost::cross_entropy, 7);
    const std::vector<uint8_t> b = encode_model(m);
    const size_t P = param_count(m.sizes);
    REQUIRE(b.size() == 16 + 4 * 3 + 8 + 4 * P + 4);
    CHECK(std::memcmp(b.data(), "BPLM", 4) == 0);
    CHECK(le(b, 4, 4) == 1);   // version
    CHECK(b[8] == 1);          // tanh
    CHECK(b[9] == 1);          // cross-entropy
    CHECK(le(b, 10, 2) == 0);  // reserved
    CHECK(le(b, 12, 4) == 3);  // L
    CHECK(le(b, 16, 4) == 2);
    CHECK(le(b, 20, 4) == 3);
    CHECK(le(b, 24, 4) == 1);
    CHECK(le(b, 28, 8) == P);
    for (size_t i = 0; i < P; ++i) {
        uint32_t bits;
        std::memcpy(&bits, &m.params[i], 4);
        CHECK(le(b, 36 + 4 * i, 4) == bits);
    }
    CHECK(le(b, b.size() - 4, 4) == slow_crc32(b.data(), b.size() - 4));
}

TEST_CASE("encode_model refuses a model it could not load again") {
    Model m = random_model({2, 3, 1}, Activation::sigmoid, Cost::quadratic, 1);
    m.params.pop_back();
    CHECK_THROWS_WITH_AS(encode_model(m), doctest::Contains("it needs 13"), Error);
    m = random_model({2, 3, 1}, Activation::sigmoid, Cost::quadratic, 1);
    m.params[4] = std::nanf("");
    CHECK_THROWS_WITH_AS(encode_model(m), doctest::Contains("NaN or infinite"), Error);
    m = random_model(std::vector<int>(1100, 1), Activation::sigmoid, Cost::quadratic, 1);  // too deep
    CHECK_THROWS_AS(encode_model(m), Error);
}

TEST_CASE("round trip is bit-exact for every activation and cost") {
    for (Activation a : {Activation::sigmoid, Activation::tanh, Activation::relu})
        for (Cost c : {Cost::quadratic, Cost::cross_entropy, Cost::log_likelihood}) {
            const Model m = random_model({5, 4, 3, 2}, a, c, 100 + int(a) * 3 + int(c));
            const Model r = decode(encode_model(m));
            CHECK(r.sizes == m.sizes);
            CHECK(r.activation == a);
            CHECK(r.cost == c);
            CHECK(same_bits(r.params, m.params));
        }
}

TEST_CASE("round trip keeps negative zero, denormals and extremes") {
    Model m = random_model({2, 3, 2}, Activation::relu, Cost::log_likelihood, 3);
    using lim = std::numeric_limits<float>;
    const float special[] = {-0.0f,   0.0f,       lim::denorm_min(), -lim::denorm_min(), 1e-40f,
                             -3e-42f, lim::min(), lim::max(),        lim::lowest(),      lim::epsilon()};
    for (size_t i = 0; i < std::size(special); ++i) m.params[i] = special[i];
    const Model r = decode(encode_model(m));
    CHECK(same_bits(r.params, m.params));
    CHECK(std::signbit(r.params[0]));
}

TEST_CASE("truncation at every length is rejected") {
    const std::vector<uint8_t> b =
        encode_model(random_model({3, 4, 2}, Activation::sigmoid, Cost::quadratic, 5));
    for (size_t n = 0; n < b.size(); ++n) {
        CAPTURE(n);
        CHECK_THROWS_AS(decode_model(b.data(), n, "net.bplm"), Error);
    }
    // The message says how many bytes were expected and how many are there.
    const std::string expected = "truncated: the parameters and checksum needs " + std::to_string(b.size()) +
                                 " bytes but only " + std::to_string(b.size() - 1) + " are present";
    CHECK_THROWS_WITH_AS(decode_model(b.data(), b.size() - 1, "net.bplm"),
                         doctest::Contains(expected.c_str()), Error);
    CHECK_THROWS_WITH_AS(decode_model(b.data(), 10, "net.bplm"), doctest::Contains("truncated"), Error);
    CHECK_THROWS_WITH_AS(decode_model(b.data(), 0, "net.bplm"), doctest::Contains("net.bplm: truncated"),
                         Error);
}

TEST_CASE("every flipped bit is caught") {
    const std::vector<uint8_t> good =
        encode_model(random_model({3, 4, 2}, Activation::relu, Cost::cross_entropy, 9));
    for (size_t i = 0; i < good.size(); ++i)
        for (int bit = 0; bit < 8; ++bit) {
            std::vector<uint8_t> b = good;
            b[i] ^= uint8_t(1u << bit);
            CAPTURE(i);
            CAPTURE(bit);
            CHECK_THROWS_AS(decode(b), Error);
        }
    // A flipped weight is found by the checksum (the structure is still fine).
    std::vector<uint8_t> b = good;
    b[40] ^= 0x10;
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("net.bplm: corrupt: checksum mismatch"), Error);
    b = good;
    b.back() ^= 0x01;  // or in the checksum itself
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("checksum mismatch"), Error);
}

TEST_CASE("each bad header field is rejected with its message") {
    const std::vector<uint8_t> good =
        encode_model(random_model({2, 3, 1}, Activation::sigmoid, Cost::quadratic, 2));
    std::vector<uint8_t> b = good;
    std::memcpy(b.data(), "PK\x03\x04", 4);  // a zip file, say
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("net.bplm: not a Backprop Lab model file"), Error);
    const uint8_t short_junk[] = {'x', 'y'};
    CHECK_THROWS_WITH_AS(decode_model(short_junk, 2, "j"), doctest::Contains("not a Backprop Lab model file"),
                         Error);

    b = good;
    set_le(b, 4, 4, 2);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("unsupported model file version 2"), Error);

    b = good;
    set_le(b, 12, 4, 1);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("has 1 layers"), Error);
    set_le(b, 12, 4, 0xFFFFFFFFu);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("layers; a network has 2 to"), Error);

    b = good;
    set_le(b, 20, 4, 0);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("layer 2 has 0 neurons"), Error);
    set_le(b, 20, 4, 3000000000u);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("layer 2 has 3000000000 neurons"), Error);

    b = good;
    set_le(b, 28, 8, 14);  // P one too many
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("mismatched parameter count: 14"), Error);
    b = good;
    set_le(b, 20, 4, 4);  // sizes 2,4,1 need 17 parameters, the file has 13
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("mismatched"), Error);
    b = good;
    set_le(b, 28, 8, ~uint64_t(0));  // a P that would overflow any byte count
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("mismatched"), Error);

    b = good;
    b.push_back(0);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("1 trailing bytes"), Error);

    // Fields the checksum covers: written by a different program, correctly checksummed.
    b = good;
    b[8] = 4;
    restamp(b);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("unknown activation code 4"), Error);
    b = good;
    b[9] = 7;
    restamp(b);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("unknown cost code 7"), Error);
    b = good;
    b[10] = 1;
    restamp(b);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("reserved"), Error);
    b = good;
    set_le(b, 36 + 4 * 5, 4, 0x7FC00000u);  // a NaN weight
    restamp(b);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("parameter 5 is NaN or infinite"), Error);
    b = good;
    set_le(b, 36, 4, 0xFF800000u);  // -Inf
    restamp(b);
    CHECK_THROWS_WITH_AS(decode(b), doctest::Contains("parameter 0 is NaN or infinite"), Error);
}

TEST_CASE("save_model and load_model round-trip through a file") {
    const TempDir dir("model_file");
    const std::string path = dir / "roundtrip.bplm";
    const Model m = random_model({784, 30, 10}, Activation::sigmoid, Cost::log_likelihood, 11);
    save_model(path, m);
    const Model r = load_model(path);
    CHECK(r.sizes == m.sizes);
    CHECK(r.activation == m.activation);
    CHECK(r.cost == m.cost);
    CHECK(same_bits(r.params, m.params));
}

TEST_CASE("file errors name the path and the reason") {
    const TempDir dir("model_file");
    const std::string missing = dir / "does_not_exist.bplm";
    CHECK_THROWS_WITH_AS(
        load_model(missing),
        doctest::Contains(("cannot open model file '" + missing + "': No such file").c_str()), Error);
    const Model m = random_model({2, 3, 1}, Activation::sigmoid, Cost::quadratic, 1);
    const std::string no_dir = missing + ".dir/net.bplm";
    CHECK_THROWS_WITH_AS(save_model(no_dir, m),
                         doctest::Contains(("cannot write model file '" + no_dir + "'").c_str()), Error);
    // A file that exists but is not a model: the decoder's message names the path.
    const std::string text = dir / "text.bplm";
    std::ofstream(text) << "784,30,10\n";
    CHECK_THROWS_WITH_AS(load_model(text), doctest::Contains((text + ": not a model file").c_str()), Error);
}
