// The MNIST file names, the checks that the four files belong together, and Nielsen's split.
// Not a reader: the bytes are parsed by idx.cpp, the files found by idx_file.cpp or the page.
#include "mnist.hpp"

#include <string>

#include "errors.hpp"

namespace bpl {

const char* const mnist_files[4] = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

namespace {

void check_pair(const Images& images, const Labels& labels, const char* images_file,
                const char* labels_file) {
    if (images.size() != labels.size())
        throw Error(std::string(images_file) + " holds " + std::to_string(images.size()) + " images but " +
                    labels_file + " holds " + std::to_string(labels.size()) +
                    " labels; the two files must come from the same MNIST set");
}

}  // namespace

void check_agreement(const Mnist& m) {
    check_pair(m.train_images, m.train_labels, mnist_files[0], mnist_files[1]);
    check_pair(m.test_images, m.test_labels, mnist_files[2], mnist_files[3]);
    // The network's input layer has one neuron per pixel, so every image must have the same size.
    if (m.train_images.rows != m.test_images.rows || m.train_images.cols != m.test_images.cols)
        throw Error(std::string(mnist_files[0]) + " has images of " + std::to_string(m.train_images.rows) +
                    " x " + std::to_string(m.train_images.cols) + " pixels but " + mnist_files[2] + " has " +
                    std::to_string(m.test_images.rows) + " x " + std::to_string(m.test_images.cols) +
                    "; training and test images must have the same size");
}

Split nielsen_split(const Mnist& m) {
    check_agreement(m);  // the Samples below index labels by image
    const size_t n = m.train_images.size();
    // 10,000 of MNIST's 60,000 validate; a smaller set (tests, a quick run) keeps the same sixth.
    const size_t n_validation = n >= 60000 ? 10000 : n / 6;
    const size_t n_training = n - n_validation;
    Split s;
    s.training = {&m.train_images, &m.train_labels, 0, n_training};
    s.validation = {&m.train_images, &m.train_labels, n_training, n_validation};
    s.test = {&m.test_images, &m.test_labels, 0, m.test_images.size()};
    return s;
}

}  // namespace bpl
