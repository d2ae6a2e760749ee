// The sparse image file: its encoder, checksum and incremental reader. Each image's bitmap is
// turned into its Images::start and Images::index entries as soon as its bytes are in, and the
// values are copied and checked as they arrive; the checksum is checked once the file is whole
// (finish()).
#include "sparse_file.hpp"

#include <algorithm>
#include <cstring>

#include "bytes.hpp"
#include "errors.hpp"

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__,
              "the sparse file holds Images' arrays as they are in memory: little-endian hosts only");

namespace bpl {
namespace {

constexpr uint32_t version = 2;
constexpr size_t header_size = 24;                 // magic, version, count, rows, cols, nonzeros
constexpr size_t max_count = 10'000'000;           // as idx.cpp: more means a damaged header
constexpr uint64_t max_pixels = 65536;             // Images::index is uint16
constexpr uint64_t max_bytes = uint64_t(1) << 30;  // the page's WebAssembly memory is at most 1 GB
// A file up to this size gets its arrays reserved from its header (MNIST's training images: 15 MB),
// as idx.cpp reserves its ranges; a larger one grows them as its bytes arrive (room below).
constexpr uint64_t reserve_bytes = uint64_t(64) << 20;

constexpr uint64_t mul = 0x9E3779B97F4A7C15ull;
inline uint64_t rotl(uint64_t x, int r) { return x << r | x >> (64 - r); }
inline uint64_t load64(const uint8_t* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
}

// Room in v for its first `bytes` bytes (of at most `total` elements), as bytes. The arrays grow
// with what has arrived, not with what the header announces: a damaged header of 24 bytes must not
// take a gigabyte. Geometric growth, so the copies add up to less than the final size.
template <class T>
uint8_t* room(std::vector<T>& v, size_t bytes, size_t total) {
    const size_t need = (bytes + sizeof(T) - 1) / sizeof(T);
    if (v.size() < need) {
        if (v.capacity() < need) v.reserve(std::min(total, std::max(need, 2 * v.capacity())));
        v.resize(need);
    }
    return reinterpret_cast<uint8_t*>(v.data());
}

}  // namespace

void Checksum::block(const uint8_t* p) {
    for (size_t l = 0; l < 4; ++l) lane_[l] = rotl(lane_[l] ^ load64(p + 8 * l), 29) * mul;
}

void Checksum::update(const uint8_t* p, size_t n) {
    if (n == 0) return;  // p may be null then, and memcpy must not see it
    length_ += n;
    if (held_n_ > 0) {
        const size_t take = std::min(32 - held_n_, n);
        std::memcpy(held_ + held_n_, p, take);
        held_n_ += take;
        p += take;
        n -= take;
        if (held_n_ < 32) return;
        block(held_);
        held_n_ = 0;
    }
    for (; n >= 32; p += 32, n -= 32) block(p);
    std::memcpy(held_, p, n);
    held_n_ = n;
}

uint64_t Checksum::digest() const {
    Checksum end = *this;
    std::memset(end.held_ + held_n_, 0, 32 - held_n_);  // the tail, padded with zeros
    if (held_n_ > 0) end.block(end.held_);
    uint64_t r = length_ * mul;
    for (uint64_t lane : end.lane_) r = rotl(r ^ lane, 31) * mul;
    return r ^ r >> 29;
}

std::vector<uint8_t> sparse_header(const Images& images) {
    std::vector<uint8_t> out(sparse_magic, sparse_magic + 4);
    for (uint64_t v : {uint64_t(version), uint64_t(images.size()), uint64_t(images.rows),
                       uint64_t(images.cols), uint64_t(images.nonzeros())})
        bytes::put_u32(out, uint32_t(v));
    return out;
}

std::vector<uint8_t> sparse_bitmaps(const Images& images) {
    const size_t stride = (size_t(images.pixels()) + 7) / 8;
    std::vector<uint8_t> out(images.size() * stride, 0);
    for (size_t i = 0; i < images.size(); ++i)
        for (uint32_t k = images.start[i]; k < images.start[i + 1]; ++k)
            out[i * stride + images.index[k] / 8] |= uint8_t(1u << (images.index[k] % 8));
    return out;
}

uint64_t sparse_checksum(const Images& images) { return sparse_checksum(images, sparse_bitmaps(images)); }

uint64_t sparse_checksum(const Images& images, const std::vector<uint8_t>& bitmaps) {
    const std::vector<uint8_t> header = sparse_header(images);
    Checksum sum;
    sum.update(header.data(), header.size());
    sum.update(bitmaps.data(), bitmaps.size());
    sum.update(images.value.data(), images.value.size());
    return sum.digest();
}

std::vector<uint8_t> encode_sparse(const Images& images) {
    std::vector<uint8_t> out = sparse_header(images);
    const std::vector<uint8_t> bitmaps = sparse_bitmaps(images);
    out.reserve(header_size + bitmaps.size() + images.nonzeros() + 8);
    out.insert(out.end(), bitmaps.begin(), bitmaps.end());
    out.insert(out.end(), images.value.begin(), images.value.end());
    bytes::put_u64(out, sparse_checksum(images, bitmaps));
    return out;
}

size_t SparseReader::bytes_expected() const { return bytes_expected_; }

void SparseReader::parse_header() {
    if (header_.size() >= 4 && std::memcmp(header_.data(), sparse_magic, 4) != 0)
        throw Error(name_ + ": not a sparse image file (it does not start with BPLS); the copy is damaged");
    if (header_.size() >= 8 && bytes::get_le(header_.data() + 4, 4) != version)
        throw Error(name_ + ": sparse image file version " +
                    std::to_string(bytes::get_le(header_.data() + 4, 4)) + ", this build reads version " +
                    std::to_string(version));
    if (header_.size() < header_size) return;
    const uint64_t count = bytes::get_le(header_.data() + 8, 4), rows = bytes::get_le(header_.data() + 12, 4),
                   cols = bytes::get_le(header_.data() + 16, 4),
                   nonzeros = bytes::get_le(header_.data() + 20, 4);
    const std::string damaged = "; the copy is damaged";
    if (count == 0 || count > max_count)
        throw Error(name_ + ": the header announces " + std::to_string(count) + " images" + damaged);
    if (rows == 0 || cols == 0 || rows * cols > max_pixels)
        throw Error(name_ + ": images of " + std::to_string(rows) + " x " + std::to_string(cols) + " pixels" +
                    damaged);
    if (nonzeros > count * rows * cols)
        throw Error(name_ + ": " + std::to_string(nonzeros) + " lit pixels in " + std::to_string(count) +
                    " images of " + std::to_string(rows * cols) + " pixels" + damaged);
    const uint64_t stride = (rows * cols + 7) / 8;
    const uint64_t total = header_size + count * stride + nonzeros + 8;
    if (total > max_bytes)
        throw Error(name_ + ": " + std::to_string(count) + " images with " + std::to_string(nonzeros) +
                    " lit pixels are more than this reader can hold" + damaged);
    images_.rows = int(rows);
    images_.cols = int(cols);
    count_ = size_t(count);
    nonzeros_ = size_t(nonzeros);
    stride_ = size_t(stride);
    if (total <= reserve_bytes) {
        images_.start.reserve(count_ + 1);
        images_.index.reserve(nonzeros_);
        images_.value.reserve(nonzeros_);
    }
    bytes_expected_ = size_t(total);  // kept: the Images may be moved out
    header_done_ = true;
}

void SparseReader::feed(const uint8_t* data, size_t n) {
    if (finished_) throw Error(name_ + ": bytes fed after finish(); start a new reader");
    if (failed_) throw Error(name_ + ": bytes fed after an error; start a new reader");
    try {
        take(data, n);
    } catch (...) {
        failed_ = true;  // finish() must not accept what feed() refused
        throw;
    }
}

void SparseReader::take(const uint8_t* data, size_t n) {
    size_t at = received_;  // the file offset of data[0]
    received_ += n;
    if (!header_done_) {
        const size_t used = std::min(header_size - header_.size(), n);
        header_.insert(header_.end(), data, data + used);
        parse_header();
        sum_.update(data, used);
        data += used;
        n -= used;
        at += used;
        if (!header_done_) return;
    }
    const size_t summed_end = bytes_expected() - sizeof sum_bytes_;  // the checksum covers the rest
    if (at < summed_end) sum_.update(data, std::min(summed_end - at, n));
    const std::string damaged = "; the copy is damaged";
    // The sections after the header, in order: the bitmaps, the values, the checksum.
    const size_t bitmaps_end = header_size + count_ * stride_, values_end = bitmaps_end + nonzeros_;
    if (n > 0 && at < bitmaps_end) {
        const size_t piece = std::min(bitmaps_end - at, n);
        take_bitmaps(data, piece);
        data += piece;
        n -= piece;
        at += piece;
        if (at == bitmaps_end && images_.nonzeros() != nonzeros_)
            throw Error(name_ + ": the images have " + std::to_string(images_.nonzeros()) +
                        " lit pixels, the header announces " + std::to_string(nonzeros_) + damaged);
    }
    if (n > 0 && at < values_end) {
        const size_t piece = std::min(values_end - at, n), upto = at - bitmaps_end + piece;
        std::memcpy(room(images_.value, upto, nonzeros_) + (at - bitmaps_end), data, piece);
        data += piece;
        n -= piece;
        at += piece;
        check_values();
    }
    if (n > 0 && at < bytes_expected()) {
        const size_t piece = std::min(bytes_expected() - at, n);
        std::memcpy(sum_bytes_ + (at - values_end), data, piece);
        data += piece;
        n -= piece;
    }
    if (n > 0)
        throw Error(name_ + ": " + std::to_string(n) + " unexpected bytes after the end of the file (" +
                    std::to_string(bytes_expected()) + " bytes); the copy is damaged");
}

// Whole images straight from data; an image split between two feeds is put together in partial_.
void SparseReader::take_bitmaps(const uint8_t* data, size_t n) {
    if (!partial_.empty()) {
        const size_t used = std::min(stride_ - partial_.size(), n);
        partial_.insert(partial_.end(), data, data + used);
        data += used;
        n -= used;
        if (partial_.size() < stride_) return;
        add_image(partial_.data());
        partial_.clear();
    }
    for (; n >= stride_; data += stride_, n -= stride_) add_image(data);
    partial_.assign(data, data + n);
}

void SparseReader::add_image(const uint8_t* bitmap) {
    const size_t pixels = size_t(images_.pixels()), image = images_.size();
    const std::string damaged = "; the copy is damaged";
    if (pixels % 8 != 0 && (bitmap[stride_ - 1] >> (pixels % 8)) != 0)
        throw Error(name_ + ": image " + std::to_string(image) +
                    " (counting from 0) has lit pixels past its last pixel" + damaged);
    // Its lit pixels at most: more than the header announces in all is damage, found here before
    // the arrays grow past what the header allows.
    size_t lit = 0;
    for (size_t b = 0; b < stride_; ++b) lit += size_t(__builtin_popcount(bitmap[b]));
    if (images_.nonzeros() + lit > nonzeros_)
        throw Error(name_ + ": image " + std::to_string(image) +
                    " (counting from 0) takes the lit pixels past " + std::to_string(nonzeros_) +
                    ", the header's count" + damaged);
    std::vector<uint16_t>& index = images_.index;
    size_t at = index.size();
    if (index.capacity() < at + lit)
        index.reserve(std::max(at + lit, std::min(nonzeros_, 2 * index.capacity())));
    index.resize(at + lit);
    uint16_t* out = index.data();
    // Eight bytes at a time: an unlit stretch (most of a digit's border) is one test.
    size_t b = 0;
    for (; b + 8 <= stride_; b += 8) {
        uint64_t word;
        std::memcpy(&word, bitmap + b, 8);
        for (; word != 0; word &= word - 1) out[at++] = uint16_t(8 * b + size_t(__builtin_ctzll(word)));
    }
    for (; b < stride_; ++b)
        for (unsigned byte = bitmap[b]; byte != 0; byte &= byte - 1)
            out[at++] = uint16_t(8 * b + size_t(__builtin_ctz(byte)));
    images_.start.push_back(uint32_t(at));
}

// A stored value of 0 is an unlit pixel the bitmap says is lit.
void SparseReader::check_values() {
    const size_t values = images_.value.size();
    const uint8_t* value = images_.value.data();
    const void* unlit = values > values_checked_
                            ? std::memchr(value + values_checked_, 0, values - values_checked_)
                            : nullptr;
    if (unlit) {
        const uint32_t* start = images_.start.data();
        const size_t k = size_t(static_cast<const uint8_t*>(unlit) - value);
        const size_t i = size_t(std::upper_bound(start, start + count_ + 1, uint32_t(k)) - start) - 1;
        throw Error(name_ + ": image " + std::to_string(i) + " (counting from 0) has an unlit pixel stored" +
                    "; the copy is damaged");
    }
    values_checked_ = values;
}

void SparseReader::finish() {
    if (finished_) return;
    if (failed_) throw Error(name_ + ": finish() after an error; the copy is damaged");
    if (!header_done_ || received_ < bytes_expected())
        throw Error(
            name_ + ": truncated: " + std::to_string(received_) + " bytes" +
            (header_done_ ? " of " + std::to_string(bytes_expected()) : std::string(" of the header")) +
            "; the copy is damaged");
    if (sum_.digest() != bytes::get_le(sum_bytes_, 8))
        throw Error(name_ + ": wrong checksum; the copy is damaged");
    finished_ = true;
}

Images SparseReader::take_images() {
    if (!finished_ || taken_)
        throw Error(name_ + ": take_images() needs a sparse reader after finish(), once");
    taken_ = true;
    return std::move(images_);
}

}  // namespace bpl
