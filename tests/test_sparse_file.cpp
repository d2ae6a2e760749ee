// Tests of cpp/sparse_file.*: the core's sparse form of images reads back as the very Images it
// was written from, in chunks of any size and through IdxReader, and every damage is refused with
// a message. Not a test of the page's storage (tests/web/offline.test.mjs).
#include <doctest/doctest.h>

#include <malloc.h>

#include <cstring>
#include <random>

#include "bytes.hpp"
#include "errors.hpp"
#include "idx.hpp"
#include "idx_bytes.hpp"
#include "sparse_file.hpp"

using bpl::Images;

namespace {

// Images read from an IDX file of count images of rows x cols (idx_bytes.hpp's pixels).
Images idx_images_read(uint32_t count, uint32_t rows, uint32_t cols, uint32_t seed) {
    bpl::IdxReader r("img", bpl::IdxKind::images);
    const Bytes file = idx_images(count, rows, cols, seed);
    r.feed(file.data(), file.size());
    r.finish();
    return r.take_images();
}

// Feeds bytes in chunks of `chunk` (the last one shorter) and finishes.
Images read_sparse(const Bytes& file, size_t chunk) {
    bpl::SparseReader r("img");
    for (size_t at = 0; at < file.size(); at += chunk)
        r.feed(file.data() + at, std::min(chunk, file.size() - at));
    r.finish();
    return r.take_images();
}

bool same(const Images& a, const Images& b) {
    return a.rows == b.rows && a.cols == b.cols && a.start == b.start && a.index == b.index &&
           a.value == b.value;
}

// The message of the Error that reading file throws (at feed or finish), or "" if none.
std::string refusal(const Bytes& file) {
    try {
        read_sparse(file, 7);
    } catch (const bpl::Error& e) {
        return e.what();
    }
    return "";
}

void put_le32(Bytes& b, size_t at, uint32_t v) {
    for (int k = 0; k < 4; ++k) b[at + k] = uint8_t(v >> (8 * k));
}

// The bytes this process has taken from the heap (glibc; ASan's allocator does not report them
// there, so under ASan 0: the check below then holds trivially, the plain build makes it).
size_t heap_in_use() {
#if defined(__SANITIZE_ADDRESS__)
    return 0;
#else
    const struct mallinfo2 m = mallinfo2();
    return m.uordblks + m.hblkhd;
#endif
}

// Rewrites the checksum after a change, so the check behind it is the one tested.
void reseal(Bytes& b) {
    bpl::Checksum sum;
    sum.update(b.data(), b.size() - 8);
    const uint64_t digest = sum.digest();
    for (int k = 0; k < 8; ++k) b[b.size() - 8 + k] = uint8_t(digest >> (8 * k));
}

}  // namespace

TEST_CASE("the sparse form reads back as the same images, in any chunking, and its size is as documented") {
    const Images images = idx_images_read(50, 28, 28, 3);
    const Bytes file = bpl::encode_sparse(images);
    CHECK(file.size() == 24 + 50 * 98 + images.nonzeros() + 8);  // 784 pixels: 98 bytes of bitmap
    CHECK(std::memcmp(file.data(), "BPLS", 4) == 0);
    for (size_t chunk : {size_t(1), size_t(5), size_t(24), size_t(4096), file.size()}) {
        CAPTURE(chunk);
        CHECK(same(read_sparse(file, chunk), images));
    }
    // The parts a caller writes (the page) are the file's bytes.
    Bytes parts = bpl::sparse_header(images);
    const Bytes bitmaps = bpl::sparse_bitmaps(images);
    parts.insert(parts.end(), bitmaps.begin(), bitmaps.end());
    parts.insert(parts.end(), images.value.begin(), images.value.end());
    bpl::bytes::put_u64(parts, bpl::sparse_checksum(images));
    CHECK(parts == file);
    // Image 0's bitmap: its first lit pixel's bit is set, the pixel before it unlit.
    const uint16_t first = images.index[0];
    CHECK((file[24 + first / 8] >> (first % 8) & 1) == 1);
    if (first > 0) CHECK((file[24 + (first - 1) / 8] >> ((first - 1) % 8) & 1) == 0);
}

TEST_CASE("blank and full images, a 1 x 1 image and the largest, 256 x 256, survive the round trip") {
    Images images;
    images.rows = 256;
    images.cols = 256;
    std::vector<uint8_t> pixels(65536, 0);
    images.push(pixels.data());  // blank
    pixels.assign(65536, 255);
    images.push(pixels.data());  // full: index 65535 included
    CHECK(same(read_sparse(bpl::encode_sparse(images), 1000), images));
    Images one;
    one.rows = one.cols = 1;
    const uint8_t lit = 9, dark = 0;
    one.push(&lit);
    one.push(&dark);
    CHECK(same(read_sparse(bpl::encode_sparse(one), 3), one));
}

TEST_CASE("IdxReader takes either form of an images file, told apart by the first bytes") {
    const Images images = idx_images_read(20, 5, 7, 11);
    const Bytes file = bpl::encode_sparse(images);
    bpl::IdxReader r("train-images-idx3-ubyte", bpl::IdxKind::images);
    r.feed(file.data(), 2);  // not enough to tell yet
    CHECK_FALSE(r.sparse());
    for (size_t at = 2; at < file.size(); at += 100)
        r.feed(file.data() + at, std::min<size_t>(100, file.size() - at));
    CHECK(r.sparse());
    CHECK(r.count() == 20);
    CHECK(r.bytes_expected() == file.size());
    CHECK(r.bytes_received() == file.size());
    r.finish();
    CHECK(same(r.take_images(), images));
    CHECK(r.count() == 20);  // still the header's, with the images moved out
    CHECK(r.bytes_expected() == file.size());

    bpl::IdxReader labels("train-labels-idx1-ubyte", bpl::IdxKind::labels);
    CHECK_THROWS_WITH_AS(labels.feed(file.data(), file.size()),
                         doctest::Contains("sparse form of images, given as labels"), bpl::Error);
}

TEST_CASE("a damaged sparse file is refused, naming what is wrong") {
    const Images images = idx_images_read(30, 28, 28, 5);
    const Bytes good = bpl::encode_sparse(images);
    REQUIRE(refusal(good).empty());
    const size_t bitmap_at = 24, value_at = bitmap_at + 30 * 98;

    Bytes b = good;
    b[0] = 'X';
    CHECK(refusal(b).find("does not start with BPLS") != std::string::npos);
    b = good;
    put_le32(b, 4, 1);  // an older build's copy
    CHECK(refusal(b).find("version 1, this build reads version 2") != std::string::npos);
    b = good;
    put_le32(b, 8, 0);
    CHECK(refusal(b).find("announces 0 images") != std::string::npos);
    b = good;
    put_le32(b, 12, 300);  // 300 x 300 pixels, more than an index holds
    put_le32(b, 16, 300);
    CHECK(refusal(b).find("images of 300 x 300 pixels") != std::string::npos);
    b = good;
    put_le32(b, 20, 30 * 784 + 1);
    CHECK(refusal(b).find("lit pixels in 30 images") != std::string::npos);

    // Cut short anywhere, or one byte too many.
    for (size_t keep : {size_t(3), size_t(23), size_t(24), bitmap_at + 99, value_at + 1, good.size() - 1}) {
        CAPTURE(keep);
        CHECK(refusal(Bytes(good.begin(), good.begin() + keep)).find("truncated") != std::string::npos);
    }
    b = good;
    b.push_back(0);
    CHECK(refusal(b).find("1 unexpected bytes after the end") != std::string::npos);

    // A header that announces a gigabyte takes no gigabyte: the arrays grow with the bytes that come.
    b = Bytes(good.begin(), good.begin() + 24);
    put_le32(b, 8, 10'000'000);
    put_le32(b, 20, 60'000'000);
    b.resize(1000, 7);
    {
        bpl::SparseReader r("img");
        const size_t before = heap_in_use();
        r.feed(b.data(), b.size());
        CHECK(heap_in_use() - before < 100'000);  // not the 1 GB announced
        CHECK_THROWS_WITH_AS(r.finish(), doctest::Contains("truncated: 1000 bytes of 1040000032"),
                             bpl::Error);
        Images taken;
        CHECK_THROWS_AS(taken = r.take_images(), bpl::Error);
    }

    // One pixel's value changed, in the checksum's reach: a lit pixel made another shade.
    b = good;
    b[value_at + 10] ^= 0x01;
    CHECK(refusal(b).find("wrong checksum") != std::string::npos);
    b = good;
    b[b.size() - 1] ^= 0x80;  // the checksum itself
    CHECK(refusal(b).find("wrong checksum") != std::string::npos);

    // Written by a program with a bug, the checksum right: each is still refused.
    const uint32_t first_end = images.start[1];
    uint16_t unlit = 0;  // image 0's first unlit pixel
    while (unlit < first_end && images.index[unlit] == unlit) ++unlit;
    REQUIRE(unlit < 784);
    b = good;  // one lit pixel more than the header's count
    b[bitmap_at + unlit / 8] |= uint8_t(1u << (unlit % 8));
    reseal(b);
    CHECK(refusal(b).find("image 29 (counting from 0) takes the lit pixels past") != std::string::npos);
    b = good;  // one lit pixel fewer
    b[bitmap_at + images.index[0] / 8] &= uint8_t(~(1u << (images.index[0] % 8)));
    reseal(b);
    CHECK(refusal(b).find("the images have " + std::to_string(images.nonzeros() - 1) + " lit pixels") !=
          std::string::npos);
    b = good;  // an unlit pixel stored
    b[value_at + first_end] = 0;
    reseal(b);
    CHECK(refusal(b).find("image 1 (counting from 0) has an unlit pixel stored") != std::string::npos);
    // ... also with a byte too many behind it, and finish() then refuses too.
    b.push_back(0);
    {
        bpl::SparseReader r("img");
        CHECK_THROWS_WITH_AS(r.feed(b.data(), b.size()), doctest::Contains("unlit pixel"), bpl::Error);
        CHECK_THROWS_WITH_AS(r.finish(), doctest::Contains("finish() after an error"), bpl::Error);
    }
    // Images of 5 x 7 pixels: 35 bits in 5 bytes, and a bit past the last pixel lit.
    const Images small = idx_images_read(4, 5, 7, 2);
    const Bytes small_file = bpl::encode_sparse(small);
    REQUIRE(small_file.size() == 24 + 4 * 5 + small.nonzeros() + 8);
    REQUIRE(refusal(small_file).empty());
    b = small_file;
    b[24 + 2 * 5 + 4] |= 0x80;  // image 2's bit 39
    reseal(b);
    CHECK(refusal(b).find("image 2 (counting from 0) has lit pixels past its last pixel") !=
          std::string::npos);
}

TEST_CASE(
    "the checksum is the same however the bytes are split, and changes with any one byte or the length") {
    std::mt19937 gen(17);
    Bytes bytes(1000);
    for (auto& b : bytes) b = uint8_t(gen());
    bpl::Checksum whole;
    whole.update(bytes.data(), bytes.size());
    for (size_t piece : {size_t(1), size_t(7), size_t(31), size_t(32), size_t(33), size_t(500)}) {
        bpl::Checksum parts;
        for (size_t at = 0; at < bytes.size(); at += piece)
            parts.update(bytes.data() + at, std::min(piece, bytes.size() - at));
        CHECK(parts.digest() == whole.digest());
    }
    for (size_t at : {size_t(0), size_t(31), size_t(500), size_t(999)}) {
        Bytes changed = bytes;
        changed[at] ^= 0x10;
        bpl::Checksum c;
        c.update(changed.data(), changed.size());
        CHECK(c.digest() != whole.digest());
    }
    bpl::Checksum shorter, zero_longer;  // a zero byte more is not the same as the padding
    shorter.update(bytes.data(), 999);
    Bytes longer(bytes.begin(), bytes.begin() + 999);
    longer.push_back(0);
    zero_longer.update(longer.data(), longer.size());
    CHECK(shorter.digest() != zero_longer.digest());
}
