// Little-endian integers and floats into and out of byte vectors, and zlib's CRC-32: what the
// binary formats (model_file.cpp, checkpoint.cpp) are written with. Own code, so the WebAssembly
// build needs no zlib. Not a serialisation library.
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace bpl::bytes {

// IEEE 802.3 CRC-32 (reflected, polynomial 0xEDB88320), as zlib's crc32().
constexpr std::array<uint32_t, 256> make_crc_table() {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
        uint32_t c = i;
        for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        t[i] = c;
    }
    return t;
}
inline constexpr std::array<uint32_t, 256> crc_table = make_crc_table();

inline uint32_t crc32(const uint8_t* p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

inline void put_u8(std::vector<uint8_t>& out, uint8_t v) { out.push_back(v); }
inline void put_le(std::vector<uint8_t>& out, uint64_t v, int bytes) {
    for (int k = 0; k < bytes; ++k) out.push_back(uint8_t(v >> (8 * k)));
}
inline void put_u16(std::vector<uint8_t>& out, uint16_t v) { put_le(out, v, 2); }
inline void put_u32(std::vector<uint8_t>& out, uint32_t v) { put_le(out, v, 4); }
inline void put_u64(std::vector<uint8_t>& out, uint64_t v) { put_le(out, v, 8); }
// The bit patterns, so -0.0, denormals and NaN survive as they are.
inline void put_f32(std::vector<uint8_t>& out, float f) {
    uint32_t bits;
    std::memcpy(&bits, &f, 4);
    put_u32(out, bits);
}
inline void put_f64(std::vector<uint8_t>& out, double d) {
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    put_u64(out, bits);
}

inline uint64_t get_le(const uint8_t* p, int bytes) {
    uint64_t v = 0;
    for (int k = bytes - 1; k >= 0; --k) v = (v << 8) | p[k];
    return v;
}
inline float get_f32(const uint8_t* p) {
    const uint32_t bits = uint32_t(get_le(p, 4));
    float f;
    std::memcpy(&f, &bits, 4);
    return f;
}
inline double get_f64(const uint8_t* p) {
    const uint64_t bits = get_le(p, 8);
    double d;
    std::memcpy(&d, &bits, 8);
    return d;
}

}  // namespace bpl::bytes
