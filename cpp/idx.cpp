// The incremental IDX reader: a header state, then a payload state that turns whole items into
// Images/Labels as soon as they arrive (a partial image waits in pending_). Not a file or gzip
// reader: idx_file.cpp inflates natively, the page inflates with DecompressionStream.
#include "idx.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <utility>

#include "errors.hpp"

namespace bpl {
namespace {

constexpr uint32_t images_magic = 0x00000803;  // unsigned bytes, 3 dimensions
constexpr uint32_t labels_magic = 0x00000801;  // unsigned bytes, 1 dimension
constexpr size_t max_count = 10'000'000;       // MNIST has 60,000; more means a damaged header
constexpr uint64_t max_pixels = 65536;         // Images::index is uint16

uint32_t big_endian(const uint8_t* p) {
    return uint32_t(p[0]) << 24 | uint32_t(p[1]) << 16 | uint32_t(p[2]) << 8 | uint32_t(p[3]);
}

std::string hex(uint32_t v) {
    char s[16];
    std::snprintf(s, sizeof s, "0x%08X", v);
    return s;
}

// The header is the magic and one u32 per dimension: 16 bytes for images, 8 for labels.
size_t header_size(IdxKind kind) { return kind == IdxKind::images ? 16 : 8; }

}  // namespace

IdxReader::IdxReader(std::string name, IdxKind kind) : name_(std::move(name)), kind_(kind) {}

size_t IdxReader::bytes_expected() const {
    if (sparse_) return sparse_->bytes_expected();
    if (!header_done_) return 0;
    const size_t item = kind_ == IdxKind::images ? size_t(images_.pixels()) : 1;
    return header_size(kind_) + count_ * item;
}

void IdxReader::feed(const uint8_t* data, size_t n) {
    if (finished_) throw Error(name_ + ": bytes fed after finish(); start a new reader");
    received_ += n;
    if (sparse_) return sparse_->feed(data, n);
    size_t used = 0;
    if (!header_done_) {
        const size_t want = header_size(kind_) - header_.size();
        used = std::min(want, n);
        header_.insert(header_.end(), data, data + used);
        if (header_.size() >= 4 && std::memcmp(header_.data(), sparse_magic, 4) == 0) {
            if (kind_ == IdxKind::labels)
                throw Error(name_ + ": this is the core's sparse form of images, given as labels; "
                                    "pass the labels file here");
            sparse_ = std::make_unique<SparseReader>(name_);
            sparse_->feed(header_.data(), header_.size());
            header_.clear();
            return sparse_->feed(data + used, n - used);
        }
        parse_header();
    }
    if (header_done_ && used < n) take_payload(data + used, n - used);
}

// Checks what has arrived of the header so far, so damage is reported from the first bytes.
void IdxReader::parse_header() {
    const bool images = kind_ == IdxKind::images;
    const char* what = images ? "images" : "labels";
    if (header_.size() >= 2 && header_[0] == 0x1f && header_[1] == 0x8b)
        throw Error(name_ + ": the data is gzip-compressed: decompress it first (e.g. gunzip), "
                            "or read it with a loader that inflates .gz files");
    if (header_.size() < 4) return;
    const uint32_t magic = big_endian(header_.data());
    const uint32_t expected = images ? images_magic : labels_magic;
    if (magic != expected) {
        std::string msg = name_ + ": wrong magic number " + hex(magic) + ", expected " + hex(expected) +
                          (images ? " (idx3-ubyte images)" : " (idx1-ubyte labels)");
        if (images && magic == labels_magic)
            msg += ": is this a label file given as images? Pass the images file here";
        else if (!images && magic == images_magic)
            msg += ": is this an image file given as labels? Pass the labels file here";
        else msg += ": this is not an MNIST IDX file or it is damaged; download it again";
        throw Error(msg);
    }
    if (header_.size() < header_size(kind_)) return;

    const size_t count = big_endian(header_.data() + 4);
    if (count == 0)
        throw Error(name_ + ": the header announces 0 " + what +
                    "; the file holds no data, "
                    "use a complete MNIST file");
    if (count > max_count)
        throw Error(name_ + ": the header announces " + std::to_string(count) + " " + what + ", more than " +
                    std::to_string(max_count) + "; the header is damaged, download the file again");
    if (images) {
        const uint64_t rows = big_endian(header_.data() + 8), cols = big_endian(header_.data() + 12);
        const std::string shape = std::to_string(rows) + " x " + std::to_string(cols);
        if (rows == 0 || cols == 0)
            throw Error(name_ + ": images of " + shape +
                        " pixels: rows and columns must be at "
                        "least 1; the header is damaged, download the file again");
        if (rows * cols > max_pixels)
            throw Error(name_ + ": images of " + shape + " = " + std::to_string(rows * cols) +
                        " pixels, more than the " + std::to_string(max_pixels) +
                        " this reader supports (MNIST is 28 x 28); the header is damaged");
        // Each image's pixel range lives in a uint32 (Images::start), and the whole file's size
        // in a size_t, which is 32 bits in WebAssembly.
        if (count * rows * cols > UINT32_MAX - 16)
            throw Error(name_ + ": " + std::to_string(count) + " images of " + shape +
                        " pixels are more than this reader can hold; use a smaller file");
        images_.rows = int(rows);
        images_.cols = int(cols);
        images_.start.reserve(count + 1);
        pending_.reserve(size_t(rows * cols));
    } else {
        labels_.reserve(count);
    }
    count_ = count;
    header_done_ = true;
    header_.clear();
    header_.shrink_to_fit();
}

void IdxReader::take_payload(const uint8_t* data, size_t n) {
    const size_t item = kind_ == IdxKind::images ? size_t(images_.pixels()) : 1;
    const size_t consumed = items_done_ * item + pending_.size();
    const size_t room = count_ * item - consumed;
    const size_t extra = n > room ? n - room : 0;
    n -= extra;  // the valid bytes are taken first, so damage inside them is reported first

    if (kind_ == IdxKind::labels) {
        for (size_t i = 0; i < n; ++i) {
            if (data[i] > 9)
                throw Error(name_ + ": label " + std::to_string(data[i]) + " at item " +
                            std::to_string(items_done_ + i) +
                            " (counting from 0) is outside "
                            "0..9; the file is damaged or not MNIST labels");
        }
        labels_.insert(labels_.end(), data, data + n);
        items_done_ += n;
    } else {
        size_t i = 0;
        if (!pending_.empty()) {
            const size_t take = std::min(item - pending_.size(), n);
            pending_.insert(pending_.end(), data, data + take);
            i = take;
            if (pending_.size() == item) {
                images_.push(pending_.data());
                pending_.clear();
                ++items_done_;
            }
        }
        for (; n - i >= item; i += item, ++items_done_) images_.push(data + i);
        if (i < n) pending_.assign(data + i, data + n);
    }

    if (extra > 0)
        throw Error(name_ + ": " + std::to_string(extra) +
                    " unexpected bytes after the last "
                    "item (the header announces " +
                    std::to_string(count_) + (kind_ == IdxKind::images ? " images, " : " labels, ") +
                    std::to_string(bytes_expected()) +
                    " bytes in all); the file is damaged "
                    "or two files were joined, download it again");
}

void IdxReader::finish() {
    if (finished_) return;
    if (sparse_) {
        sparse_->finish();
        finished_ = true;
        return;
    }
    const size_t header = header_size(kind_);
    if (!header_done_)
        throw Error(name_ + ": header incomplete: the data ends after " + std::to_string(received_) + " of " +
                    std::to_string(header) +
                    " header bytes; the file is truncated or empty, download it again");
    if (received_ < bytes_expected())
        throw Error(name_ + ": truncated: " + std::to_string(received_) + " of " +
                    std::to_string(bytes_expected()) + " bytes (" + std::to_string(items_done_) + " of " +
                    std::to_string(count_) + (kind_ == IdxKind::images ? " images" : " labels") +
                    " complete); the download was cut "
                    "short, fetch the file again");
    finished_ = true;
}

Images IdxReader::take_images() {
    if (!finished_ || kind_ != IdxKind::images || taken_)
        throw Error(name_ + ": take_images() needs an images reader after finish(), once");
    taken_ = true;
    return sparse_ ? sparse_->take_images() : std::move(images_);
}

Labels IdxReader::take_labels() {
    if (!finished_ || kind_ != IdxKind::labels || taken_)
        throw Error(name_ + ": take_labels() needs a labels reader after finish(), once");
    taken_ = true;
    return std::move(labels_);
}

}  // namespace bpl
