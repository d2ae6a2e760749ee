// Tests of cpp/idx.*: synthetic IDX bytes read whole, in random chunk splits, and damaged in
// each way the reader must reject. Not a test of files or gzip (test_idx_file.cpp).
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "errors.hpp"
#include "idx.hpp"
#include "idx_bytes.hpp"

using bpl::IdxKind;
using bpl::IdxReader;

namespace {

const char* const name = "synthetic-idx-ubyte";

// Feeds bytes in chunks of `chunk` (the last one shorter) and finishes.
IdxReader read(const Bytes& bytes, IdxKind kind, size_t chunk) {
    IdxReader r(name, kind);
    chunk = std::max<size_t>(chunk, 1);
    for (size_t at = 0; at < bytes.size(); at += chunk)
        r.feed(bytes.data() + at, std::min(chunk, bytes.size() - at));
    r.finish();
    return r;
}

IdxReader read(const Bytes& bytes, IdxKind kind) { return read(bytes, kind, bytes.size()); }

// The damage must be rejected whether the bytes come whole, one at a time or in odd chunks,
// and the message must name the file as well as the problem.
void check_rejects(const Bytes& bytes, IdxKind kind, const std::string& problem) {
    for (size_t chunk : {bytes.size(), size_t(1), size_t(5), size_t(7)}) {
        CAPTURE(chunk);
        CHECK_THROWS_WITH_AS(read(bytes, kind, chunk), doctest::Contains(problem.c_str()), bpl::Error);
        CHECK_THROWS_WITH_AS(read(bytes, kind, chunk), doctest::Contains(name), bpl::Error);
    }
}

}  // namespace

TEST_CASE("a whole image file reads to its pixels as value / 255") {
    const Bytes bytes = idx_images(6, 4, 3);
    IdxReader r(name, IdxKind::images);
    r.feed(bytes.data(), bytes.size());
    CHECK(r.header_done());
    CHECK(r.count() == 6);
    CHECK(r.bytes_expected() == 16 + 6 * 12);
    CHECK(r.bytes_received() == bytes.size());
    r.finish();
    const bpl::Images images = r.take_images();
    REQUIRE(images.size() == 6);
    CHECK(images.rows == 4);
    CHECK(images.cols == 3);
    size_t lit = 0;
    for (size_t i = 0; i < 6; ++i) {
        const std::vector<float> a = images.dense(i);
        for (size_t p = 0; p < 12; ++p) {
            const uint8_t byte = bytes[16 + i * 12 + p];
            lit += byte != 0;
            CHECK(a[p] == float(byte) / 255.0f);
        }
    }
    CHECK(images.nonzeros() == lit);
}

TEST_CASE("a whole label file reads to its labels") {
    const Bytes labels = {5, 0, 4, 1, 9, 2, 1, 3, 1, 4};
    IdxReader r = read(idx_labels(labels), IdxKind::labels);
    CHECK(r.count() == 10);
    CHECK(r.take_labels() == labels);
}

TEST_CASE("the header is checked as soon as its bytes arrive") {
    const Bytes bytes = idx_images(2, 4, 3);
    IdxReader r(name, IdxKind::images);
    r.feed(bytes.data(), 15);
    CHECK_FALSE(r.header_done());
    CHECK(r.bytes_expected() == 0);
    r.feed(bytes.data() + 15, 1);
    CHECK(r.header_done());
    CHECK(r.bytes_expected() == bytes.size());
    // A wrong magic is reported by feed() after four bytes, long before the end of a download.
    const Bytes labels = idx_labels({1, 2, 3});
    IdxReader wrong(name, IdxKind::images);
    CHECK_THROWS_AS(wrong.feed(labels.data(), 4), bpl::Error);
}

TEST_CASE("chunked feeding equals whole-file reading for random chunk splits") {
    std::mt19937 gen(2024);
    for (const Bytes& bytes : {idx_images(40, 4, 3, 3), idx_images(9, 28, 28, 4)}) {
        const bpl::Images whole = read(bytes, IdxKind::images).take_images();
        for (int trial = 0; trial < 200; ++trial) {
            // Mix tiny and large chunks: every header and image boundary gets split somewhere.
            const size_t largest = trial % 4 == 0 ? 3 : trial % 4 == 1 ? 40 : bytes.size();
            IdxReader r(name, IdxKind::images);
            for (size_t at = 0; at < bytes.size();) {
                const size_t n = std::min<size_t>(1 + gen() % largest, bytes.size() - at);
                r.feed(bytes.data() + at, n);
                at += n;
            }
            r.finish();
            const bpl::Images part = r.take_images();
            CAPTURE(trial);
            REQUIRE(part.rows == whole.rows);
            REQUIRE(part.cols == whole.cols);
            REQUIRE(part.start == whole.start);
            REQUIRE(part.index == whole.index);
            REQUIRE(part.value == whole.value);
        }
    }
    Bytes labels(100);
    for (auto& l : labels) l = uint8_t(gen() % 10);
    const Bytes bytes = idx_labels(labels);
    for (size_t chunk = 1; chunk <= bytes.size(); ++chunk)
        REQUIRE(read(bytes, IdxKind::labels, chunk).take_labels() == labels);
}

TEST_CASE("a file of the other kind is rejected with a hint") {
    check_rejects(idx_labels({1, 2}), IdxKind::images, "is this a label file given as images?");
    check_rejects(idx_images(2, 4, 3), IdxKind::labels, "is this an image file given as labels?");
    check_rejects(idx_images(2, 4, 3, 1, 0x00000D03), IdxKind::images,
                  "wrong magic number 0x00000D03, expected 0x00000803");
}

TEST_CASE("gzip bytes are rejected: decompress them first") {
    Bytes gz = {0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0, 3};
    gz.resize(60, 0x55);
    check_rejects(gz, IdxKind::images, "gzip-compressed: decompress it first");
    check_rejects(gz, IdxKind::labels, "gzip-compressed: decompress it first");
}

TEST_CASE("impossible image dimensions and counts are rejected") {
    check_rejects(idx_images(2, 0, 3), IdxKind::images, "images of 0 x 3 pixels");
    check_rejects(idx_images(2, 4, 0), IdxKind::images, "images of 4 x 0 pixels");
    Bytes big = idx_images(0, 257, 256);
    big[7] = 1;  // one image of 257 x 256 pixels, its bytes missing
    check_rejects(big, IdxKind::images, "257 x 256 = 65792 pixels, more than the 65536");
    check_rejects(idx_images(0, 4, 3), IdxKind::images, "announces 0 images");
    check_rejects(idx_labels({}), IdxKind::labels, "announces 0 labels");
    Bytes absurd = idx_labels({1, 2, 3});
    absurd[4] = 0, absurd[5] = 0x98, absurd[6] = 0x96, absurd[7] = 0x81;  // 10,000,001
    check_rejects(absurd, IdxKind::labels, "announces 10000001 labels, more than 10000000");
}

TEST_CASE("a label outside 0..9 is rejected naming its item and value") {
    check_rejects(idx_labels({3, 9, 0, 12, 4}), IdxKind::labels, "label 12 at item 3");
    check_rejects(idx_labels({255}), IdxKind::labels, "label 255 at item 0");
    // Reported by feed() as the byte arrives, not at the end.
    const Bytes bytes = idx_labels({3, 10, 1, 1});
    IdxReader r(name, IdxKind::labels);
    r.feed(bytes.data(), 9);
    CHECK_THROWS_WITH_AS(r.feed(bytes.data() + 9, 1), doctest::Contains("label 10 at item 1"), bpl::Error);
}

TEST_CASE("bytes past the announced end are rejected") {
    Bytes images = idx_images(3, 4, 3);
    images.insert(images.end(), {1, 2, 3, 4, 5});
    CHECK_THROWS_WITH_AS(read(images, IdxKind::images),
                         doctest::Contains("5 unexpected bytes after the last item"), bpl::Error);
    check_rejects(images, IdxKind::images, "unexpected bytes after the last item");
    Bytes labels = idx_labels({1, 2});
    labels.push_back(0);
    check_rejects(labels, IdxKind::labels, "unexpected bytes after the last item");
}

TEST_CASE("a file that ends early is rejected by finish()") {
    Bytes images = idx_images(3, 4, 3);
    const size_t full = images.size();
    images.resize(full - 7);
    const std::string counts = std::to_string(full - 7) + " of " + std::to_string(full) + " bytes";
    check_rejects(images, IdxKind::images, "truncated: " + counts);
    check_rejects(Bytes(images.begin(), images.begin() + 16), IdxKind::images,
                  "truncated: 16 of " + std::to_string(full) + " bytes");
    Bytes labels = idx_labels({1, 2, 3});
    labels.pop_back();
    check_rejects(labels, IdxKind::labels, "truncated: 10 of 11 bytes");
    check_rejects(Bytes(images.begin(), images.begin() + 10), IdxKind::images,
                  "header incomplete: the data ends after 10 of 16 header bytes");
    check_rejects(Bytes{}, IdxKind::labels, "header incomplete: the data ends after 0 of 8");
}

TEST_CASE("the results are only handed out after a successful finish()") {
    const Bytes bytes = idx_labels({1, 2});
    IdxReader r(name, IdxKind::labels);
    r.feed(bytes.data(), bytes.size());
    CHECK_THROWS_AS(r.take_labels(), bpl::Error);
    r.finish();
    CHECK(r.finished());
    CHECK_THROWS_AS(r.take_images(), bpl::Error);
    CHECK_THROWS_AS(r.feed(bytes.data(), 1), bpl::Error);
    CHECK(r.take_labels() == Bytes{1, 2});
    CHECK_THROWS_WITH_AS(r.take_labels(), doctest::Contains("once"), bpl::Error);  // moved out already
}
