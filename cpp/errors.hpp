// The one exception type of the core. Every message says what is wrong and what the user can do.
// Thrown only at the edges (config, files, bytes from the network); the inside trusts its inputs.
#pragma once
#include <stdexcept>
#include <string>

namespace bpl {

struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// Training produced NaN or Inf; the trainer has already restored the last good weights.
struct Diverged : Error {
    using Error::Error;
};

}  // namespace bpl
