// An incremental reader of IDX files (the MNIST format): bytes are fed in chunks of any size as
// they arrive (the browser streams the files), and damage is reported as soon as it is seen.
// It does not decompress: callers inflate gzip first (zlib natively, DecompressionStream in the page).
// An images reader also takes the core's sparse form (sparse_file.hpp, the page's stored copy),
// told apart by its first bytes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "images.hpp"
#include "sparse_file.hpp"

namespace bpl {

enum class IdxKind { images, labels };  // idx3-ubyte (magic 0x00000803), idx1-ubyte (0x00000801)

class IdxReader {
public:
    // name appears in every message (e.g. "train-images-idx3-ubyte").
    IdxReader(std::string name, IdxKind kind);

    // Throws Error naming the file and the problem: bad magic, bad dimensions, a label out of
    // 0..9, bytes past the announced end, gzip data that was not inflated.
    void feed(const uint8_t* data, size_t n);
    // Throws Error if the file ended early (truncated) or before its header was complete.
    void finish();

    const std::string& name() const { return name_; }
    IdxKind kind() const { return kind_; }
    bool header_done() const { return sparse_ ? sparse_->header_done() : header_done_; }
    bool finished() const { return finished_; }
    bool sparse() const { return bool(sparse_); }  // the bytes are the sparse form, not IDX
    size_t count() const { return sparse_ ? sparse_->count() : count_; }  // items announced by the header
    size_t bytes_received() const { return received_; }
    size_t bytes_expected() const;  // header + payload, once the header is in

    // Move the result out, after finish(); once.
    Images take_images();
    Labels take_labels();

private:
    void parse_header();
    void take_payload(const uint8_t* data, size_t n);

    std::string name_;
    IdxKind kind_;
    std::vector<uint8_t> header_;  // the header bytes, until complete
    bool header_done_ = false, finished_ = false, taken_ = false;
    size_t count_ = 0, received_ = 0, items_done_ = 0;
    std::vector<uint8_t> pending_;  // a partial image
    Images images_;
    Labels labels_;
    std::unique_ptr<SparseReader> sparse_;  // the sparse form's reader, once its magic is seen
};

}  // namespace bpl
