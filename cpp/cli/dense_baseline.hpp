// The yardstick for the benchmark: a plain dense Eigen mini-batch implementation of Nielsen's
// sigmoid + quadratic network (784 x m input matrix, W * X products, dense update), written
// the way one would without exploiting MNIST's zeros. Not used for anything but comparison.
#pragma once
#include <Eigen/Dense>
#include <vector>

#include "images.hpp"
#include "rng.hpp"

namespace bpl {

class DenseBaseline {
public:
    DenseBaseline(const std::vector<int>& sizes, int batch, uint32_t seed);
    // One epoch of SGD over images[0, n) in shuffled mini-batches; returns the seconds it took.
    double train_epoch(const Images& images, const Labels& labels, size_t n, float eta);
    // Test accuracy on images[first, first + n).
    double accuracy(const Images& images, const Labels& labels, size_t first, size_t n);

private:
    void forward(int m);
    std::vector<Eigen::MatrixXf> w_, gw_, z_, a_, delta_;
    std::vector<Eigen::VectorXf> b_, gb_;
    Eigen::MatrixXf x_, y_;
    int batch_;
    Rng rng_;
};

}  // namespace bpl
