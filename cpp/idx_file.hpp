// Reading IDX files from disk, plain or gzip-compressed (told apart by their first two bytes),
// natively with zlib. Not part of the WebAssembly build: the page streams and inflates itself.
#pragma once
#include <string>

#include "idx.hpp"
#include "mnist.hpp"

namespace bpl {

// Feeds the whole file to the reader in chunks and calls finish(). Throws Error on a missing
// file, corrupt gzip data, or any damage the reader finds.
void read_idx_file(const std::string& path, IdxReader& reader);

// Loads the four MNIST files from dir, each as NAME or NAME.gz; checks their agreement.
Mnist load_mnist(const std::string& dir);

}  // namespace bpl
