// The native trainer's command line: Nielsen's hyperparameters plus where data and models live.
// Parsing only; main.cpp runs the training.
#pragma once
#include <string>
#include <vector>

#include "config.hpp"

namespace bpl {

struct Options {
    Config config;
    std::string data;     // folder with the four IDX files; default $BPL_DATA, else data/mnist
    std::string dataset;  // --dataset as given (mnist | fashion), or empty
    std::string save, load;
    bool json = false, help = false, evaluate = false;
    // Which network-shape options were given explicitly (they must agree with a --load'ed model).
    bool sizes_given = false, activation_given = false, cost_given = false;
};

// Throws Error with a message naming the option, e.g. "--eta expects a number, got 'fast'".
Options parse_options(const std::vector<std::string>& args);

extern const char* const usage;

// Where MNIST is when --data is not given: $BPL_DATA (set by build.sh), else data/mnist.
std::string default_data_dir();
// Where Fashion-MNIST is for --dataset fashion: $BPL_FASHION_DATA, else the folder of Debian's
// package dataset-fashion-mnist (the same four file names, gzipped).
std::string fashion_data_dir();

}  // namespace bpl
