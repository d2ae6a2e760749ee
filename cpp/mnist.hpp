// The MNIST data set as four IDX files and Nielsen's split of it. Not a file reader (idx.hpp
// parses bytes, idx_file.hpp reads files natively, the page streams them).
#pragma once
#include <string>

#include "images.hpp"

namespace bpl {

struct Mnist {
    Images train_images;  // train-images-idx3-ubyte: 60,000
    Labels train_labels;  // train-labels-idx1-ubyte
    Images test_images;   // t10k-images-idx3-ubyte: 10,000
    Labels test_labels;   // t10k-labels-idx1-ubyte
};

// The four file names, in the order above, without a .gz suffix.
extern const char* const mnist_files[4];

// Throws Error if images and labels disagree in count, or images are not all the same size.
void check_agreement(const Mnist& m);

struct Split {
    Samples training, validation, test;
};

// Nielsen's split: the first 50,000 training images train, the last 10,000 validate, t10k tests.
// With fewer than 60,000 training images (a small set for tests), the last sixth validates.
// Checks check_agreement first.
Split nielsen_split(const Mnist& m);

}  // namespace bpl
