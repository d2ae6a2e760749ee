// The lecture's small examples: the four points of a two-input truth table (XOR, AND, OR,
// NAND) as a data set the trainer takes like MNIST, and the output over the input square (the
// decision surface). Not a network: the same Network and Trainer run on it.
#pragma once
#include <string>
#include <vector>

#include "mnist.hpp"
#include "network.hpp"

namespace bpl {

// "xor", "and", "or" or "nand": the points (0,0), (0,1), (1,0), (1,1) as 1 x 2 images (x1, x2)
// with their labels 0/1, in the train and test sets alike. Throws Error for another name.
Mnist truth_table(const std::string& name);

// Full-batch training on all four points: training, validation and test are the same points.
Split whole_split(const Mnist& m);

// The first output of a 2-input network over an n x n grid of the square [0,1]^2: row r is
// x2 = 1 - r/(n-1) (top row x2 = 1), column c is x1 = c/(n-1). Runs the network's forward.
std::vector<float> surface(Network& net, int n);

}  // namespace bpl
