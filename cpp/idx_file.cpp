// IDX files from disk, plain or gzip (told apart by the magic bytes 1f 8b), streamed through
// zlib in 64 KiB chunks into an IdxReader, so a .gz file is never held whole in memory.
// Native only: the WebAssembly build has no file system; the page streams and inflates itself.
#include "idx_file.hpp"

#include <zlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include "errors.hpp"

namespace bpl {
namespace {

constexpr size_t chunk = size_t(64) * 1024;

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};

struct Inflater {
    z_stream zs{};
    ~Inflater() { inflateEnd(&zs); }
};

size_t read_chunk(std::FILE* f, std::vector<uint8_t>& buf, const std::string& path) {
    const size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n < buf.size() && std::ferror(f)) {
        const int e = errno;
        throw Error(path + ": read error: " + std::strerror(e));
    }
    return n;
}

}  // namespace

void read_idx_file(const std::string& path, IdxReader& reader) {
    std::unique_ptr<std::FILE, FileCloser> f(std::fopen(path.c_str(), "rb"));
    if (!f) {
        const int e = errno;
        throw Error("cannot open " + path + ": " + std::strerror(e) +
                    "; check the path (MNIST comes from ./build.sh setup)");
    }
    std::vector<uint8_t> in(chunk);
    size_t n = read_chunk(f.get(), in, path);

    const bool gzip = n >= 2 && in[0] == 0x1f && in[1] == 0x8b;
    if (!gzip) {
        for (; n > 0; n = read_chunk(f.get(), in, path)) reader.feed(in.data(), n);
        reader.finish();
        return;
    }

    Inflater z;
    if (inflateInit2(&z.zs, 16 + MAX_WBITS) != Z_OK)  // 16 +: expect a gzip wrapper, check its CRC
        throw Error(path + ": zlib could not start inflating (out of memory?)");
    std::vector<uint8_t> out(chunk);
    size_t compressed = 0;
    bool ended = false;  // the current gzip member is complete
    for (; n > 0; n = read_chunk(f.get(), in, path)) {
        compressed += n;
        z.zs.next_in = in.data();
        z.zs.avail_in = uInt(n);
        for (;;) {
            if (ended) {
                if (z.zs.avail_in == 0) break;
                inflateReset(&z.zs);  // another gzip member follows (as `cat a.gz b.gz` makes)
                ended = false;
            }
            z.zs.next_out = out.data();
            z.zs.avail_out = uInt(out.size());
            const int rc = inflate(&z.zs, Z_NO_FLUSH);
            const size_t produced = out.size() - z.zs.avail_out;
            if (produced > 0) reader.feed(out.data(), produced);
            if (rc == Z_STREAM_END) {
                ended = true;
                continue;
            }
            if (rc == Z_BUF_ERROR) break;  // no progress possible: needs more input
            if (rc != Z_OK)
                throw Error(path + ": corrupt gzip data (zlib: " +
                            (z.zs.msg ? z.zs.msg : "error " + std::to_string(rc)) +
                            "); the file is damaged, download it again");
            if (z.zs.avail_in == 0 && z.zs.avail_out != 0) break;
        }
    }
    if (!ended)
        throw Error(path + ": truncated gzip: the compressed data ends after " + std::to_string(compressed) +
                    " bytes, before the end of its stream; "
                    "the download was cut short, download it again");
    reader.finish();
}

Mnist load_mnist(const std::string& dir) {
    namespace fs = std::filesystem;
    std::string paths[4], missing;
    for (int i = 0; i < 4; ++i) {
        const fs::path plain = fs::path(dir) / mnist_files[i];
        const fs::path gz = fs::path(dir) / (std::string(mnist_files[i]) + ".gz");
        std::error_code ec;  // an unreadable folder counts as missing, not as a crash
        if (fs::is_regular_file(plain, ec)) paths[i] = plain.string();
        else if (fs::is_regular_file(gz, ec)) paths[i] = gz.string();
        else missing += "\n  " + plain.string() + " or " + gz.string();
    }
    if (!missing.empty())
        throw Error("MNIST files missing in " + dir + "; looked for:" + missing +
                    "\nRun ./build.sh setup to fetch MNIST, or pass --data DIR with a folder "
                    "holding the four files (plain or .gz)");

    auto read = [](const std::string& path, IdxKind kind) {
        IdxReader reader(path, kind);
        read_idx_file(path, reader);
        return reader;
    };
    Mnist m;
    m.train_images = read(paths[0], IdxKind::images).take_images();
    m.train_labels = read(paths[1], IdxKind::labels).take_labels();
    m.test_images = read(paths[2], IdxKind::images).take_images();
    m.test_labels = read(paths[3], IdxKind::labels).take_labels();
    check_agreement(m);
    return m;
}

}  // namespace bpl
