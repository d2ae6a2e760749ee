// The core's own form of an image set, for the page's stored copy of MNIST: 15 + 2.5 MB for
// MNIST's 70,000 images instead of 55 MB of IDX, read without scanning every pixel. Checked as
// strictly as an IDX file, with a checksum besides: the bytes come from browser storage. Not an
// exchange format: IDX stays the data's only source.
//
// Little-endian: "BPLS", u32 version (2), u32 count, u32 rows, u32 cols, u32 nonzeros, then each
// image's lit pixels as a bitmap of ceil(rows * cols / 8) bytes (pixel p is bit p % 8 of byte
// p / 8; the bits past the last pixel are 0), then the lit pixels' values (nonzeros u8, in the
// order of the images and of their pixels: Images::value), and a u64 Checksum of every byte
// before it. Version 1 held Images::start and Images::index themselves (u32 and u16 a pixel):
// 27 MB for MNIST's training images against 15. The reader builds them from the bitmaps.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "images.hpp"

namespace bpl {

// The four bytes a sparse image file starts with (IDX starts with 00 00, gzip with 1f 8b).
inline constexpr char sparse_magic[4] = {'B', 'P', 'L', 'S'};

// The whole file; or its parts, for a caller that writes Images::value from where it is: the
// header, the bitmaps, value as it is in memory, then sparse_checksum as a u64.
std::vector<uint8_t> encode_sparse(const Images& images);
std::vector<uint8_t> sparse_header(const Images& images);
std::vector<uint8_t> sparse_bitmaps(const Images& images);
uint64_t sparse_checksum(const Images& images);
uint64_t sparse_checksum(const Images& images, const std::vector<uint8_t>& bitmaps);  // sparse_bitmaps's

// A fast checksum of a stream of bytes given in pieces of any size: four independent 64-bit lanes
// over 32-byte blocks, multiply and rotate; the length and a zero-padded tail folded in at the end.
// Any one changed 8-byte word changes it. Not cryptographic.
class Checksum {
public:
    void update(const uint8_t* p, size_t n);
    uint64_t digest() const;

private:
    void block(const uint8_t* p);
    uint64_t lane_[4] = {0x9E3779B97F4A7C15ull, 0xC2B2AE3D27D4EB4Full, 0x165667B19E3779F9ull,
                         0x27D4EB2F165667C5ull};
    uint8_t held_[32] = {};
    size_t held_n_ = 0;
    uint64_t length_ = 0;
};

// Reads a sparse image file fed in chunks of any size, straight into the Images it describes.
// Everything is checked as it arrives (the page feeds it while the rest is still coming): damage
// is reported as soon as it is seen, the checksum once the file is whole, at finish().
class SparseReader {
public:
    explicit SparseReader(std::string name) : name_(std::move(name)) {}

    // Throws Error naming the file: a bad magic or version, an impossible header, bytes past the end.
    void feed(const uint8_t* data, size_t n);
    // Throws Error if the file ended early, or its pixels or checksum are wrong.
    void finish();

    bool header_done() const { return header_done_; }
    size_t count() const { return count_; }  // images announced by the header
    size_t bytes_received() const { return received_; }
    size_t bytes_expected() const;  // the whole file, once the header is in
    Images take_images();           // after finish(), once

private:
    void parse_header();
    void take(const uint8_t* data, size_t n);
    void take_bitmaps(const uint8_t* data, size_t n);  // the next n bytes of the bitmaps
    void add_image(const uint8_t* bitmap);             // appends its pixels to start and index
    void check_values();                               // the values that have come since the last call

    std::string name_;
    std::vector<uint8_t> header_;
    bool header_done_ = false, finished_ = false, taken_ = false, failed_ = false;
    size_t received_ = 0, count_ = 0, nonzeros_ = 0, bytes_expected_ = 0;
    size_t stride_ = 0;             // bytes of one image's bitmap
    std::vector<uint8_t> partial_;  // the bitmap of an image whose bytes came in two feeds
    size_t values_checked_ = 0;     // pixel values checked (nonzero)
    Checksum sum_;
    uint8_t sum_bytes_[8] = {};
    Images images_;
};

}  // namespace bpl
