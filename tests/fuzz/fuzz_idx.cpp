// Fuzz target: the streaming IDX reader (cpp/idx.cpp) fed one file in chunks that the fuzzer
// chooses, as the page feeds it a download. The same bytes fed in one piece must give the same
// verdict, and a file that reads must give back exactly the bytes it was made of. An images file
// may also be the core's sparse form (cpp/sparse_file.cpp, the page's compact copy): read, it must
// be what encode_sparse writes for the images it gave.
// Input layout, read by FuzzedDataProvider from the end: the last byte picks images (odd) or
// labels (even), then pairs of bytes give each chunk's length; the file bytes are read from the
// front. tests/fuzz/make_seeds.cpp writes seeds in this layout.
#include <fuzzer/FuzzedDataProvider.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "errors.hpp"
#include "fuzz_check.hpp"
#include "idx.hpp"

namespace {

using bpl::IdxKind;
using bpl::IdxReader;

constexpr size_t max_chunks = 64;  // the last chunk takes the rest

struct Outcome {
    bool ok = false, sparse = false;
    bpl::Images images;
    bpl::Labels labels;
};

Outcome read(IdxKind kind, const std::vector<std::vector<uint8_t>>& chunks) {
    IdxReader r("fuzz-idx", kind);
    Outcome out;
    try {
        for (const auto& c : chunks) {
            // data() of an empty vector may be null; feed must take (nullptr, 0).
            r.feed(c.data(), c.size());
            FUZZ_CHECK(!r.header_done() || r.bytes_received() <= r.bytes_expected());
        }
        r.finish();
    } catch (const bpl::Error&) {
        return out;
    }
    FUZZ_CHECK(r.finished() && r.header_done());
    out.sparse = r.sparse();
    FUZZ_CHECK(r.bytes_received() == r.bytes_expected());
    if (kind == IdxKind::images) {
        out.images = r.take_images();
        FUZZ_CHECK(out.images.size() == r.count());
    } else {
        out.labels = r.take_labels();
        FUZZ_CHECK(out.labels.size() == r.count());
    }
    // A second take is refused with the project's error, not undefined behaviour.
    bool refused = false;
    try {
        if (kind == IdxKind::images) (void)r.take_images();
        else (void)r.take_labels();
    } catch (const bpl::Error&) {
        refused = true;
    }
    FUZZ_CHECK(refused);
    out.ok = true;
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    FuzzedDataProvider fdp(data, size);
    const IdxKind kind = fdp.ConsumeBool() ? IdxKind::images : IdxKind::labels;
    std::vector<std::vector<uint8_t>> chunks;
    std::vector<uint8_t> file;
    while (fdp.remaining_bytes() > 0) {
        size_t n = chunks.size() + 1 == max_chunks ? fdp.remaining_bytes() : fdp.ConsumeIntegral<uint16_t>();
        n = std::min(n, fdp.remaining_bytes());
        // Exact-size copies: a read past a chunk's end is a heap overflow that ASan reports.
        chunks.push_back(fdp.ConsumeBytes<uint8_t>(n));
        file.insert(file.end(), chunks.back().begin(), chunks.back().end());
    }

    const Outcome split = read(kind, chunks);
    const Outcome whole = read(kind, {file});
    FUZZ_CHECK(split.ok == whole.ok);
    if (!split.ok) return 0;

    const size_t header = kind == IdxKind::images ? 16 : 8;
    if (kind == IdxKind::labels) {
        FUZZ_CHECK(split.labels == whole.labels);
        FUZZ_CHECK(file.size() == header + split.labels.size());
        FUZZ_CHECK(std::equal(split.labels.begin(), split.labels.end(), file.begin() + header));
        for (uint8_t l : split.labels) FUZZ_CHECK(l <= 9);
        return 0;
    }
    const bpl::Images& im = split.images;
    FUZZ_CHECK(split.sparse == whole.sparse);
    FUZZ_CHECK(im.rows >= 1 && im.cols >= 1);
    FUZZ_CHECK(im.start.size() == im.size() + 1 && im.start.front() == 0);
    FUZZ_CHECK(im.start.back() == im.index.size() && im.index.size() == im.value.size());
    FUZZ_CHECK(im.start == whole.images.start && im.index == whole.images.index &&
               im.value == whole.images.value);
    const size_t pixels = size_t(im.pixels());
    if (split.sparse) FUZZ_CHECK(bpl::encode_sparse(im) == file);
    else FUZZ_CHECK(file.size() == header + im.size() * pixels);
    std::vector<uint8_t> bytes(pixels);
    for (size_t i = 0; i < im.size(); ++i) {
        FUZZ_CHECK(im.start[i] <= im.start[i + 1]);
        for (uint32_t k = im.start[i]; k < im.start[i + 1]; ++k) {
            FUZZ_CHECK(im.index[k] < pixels && im.value[k] != 0);
            FUZZ_CHECK(k == im.start[i] || im.index[k - 1] < im.index[k]);
        }
        if (split.sparse) continue;
        // The sparse image gives back the file's bytes.
        im.bytes(i, bytes.data());
        FUZZ_CHECK(std::equal(bytes.begin(), bytes.end(), file.begin() + header + i * pixels));
    }
    return 0;
}
