// Truth tables as data sets, and the decision surface of a 2-input network.
#include "truth_table.hpp"

#include <algorithm>
#include <cstdint>

#include "errors.hpp"

namespace bpl {

Mnist truth_table(const std::string& name) {
    static const struct {
        const char* name;
        uint8_t y[4];
    } tables[] = {{"xor", {0, 1, 1, 0}}, {"and", {0, 0, 0, 1}}, {"or", {0, 1, 1, 1}}, {"nand", {1, 1, 1, 0}}};
    for (const auto& t : tables) {
        if (name != t.name) continue;
        Mnist m;
        for (Images* images : {&m.train_images, &m.test_images}) {
            images->rows = 1;
            images->cols = 2;
        }
        for (int p = 0; p < 4; ++p) {
            const uint8_t x[2] = {uint8_t(p & 2 ? 255 : 0), uint8_t(p & 1 ? 255 : 0)};  // (x1, x2)
            m.train_images.push(x);
            m.test_images.push(x);
            m.train_labels.push_back(t.y[p]);
            m.test_labels.push_back(t.y[p]);
        }
        return m;
    }
    throw Error("unknown data set '" + name + "'; choose mnist, xor, and, or or nand");
}

Split whole_split(const Mnist& m) {
    check_agreement(m);
    Split s;
    s.training = {&m.train_images, &m.train_labels, 0, m.train_images.size()};
    s.validation = s.training;
    s.test = {&m.test_images, &m.test_labels, 0, m.test_images.size()};
    return s;
}

std::vector<float> surface(Network& net, int n) {
    if (net.sizes()[0] != 2) throw Error("a decision surface needs a network with 2 inputs");
    if (n < 2 || n > 512) throw Error("a decision surface needs 2 to 512 points a side");
    std::vector<float> out(size_t(n) * size_t(n));
    SparseBatch batch(2, net.max_batch());
    size_t done = 0;
    while (done < out.size()) {
        batch.clear();
        const size_t m = std::min(out.size() - done, size_t(net.max_batch()));
        for (size_t k = 0; k < m; ++k) {
            const size_t i = done + k, r = i / size_t(n), c = i % size_t(n);
            const float x[2] = {float(c) / float(n - 1), 1.0f - float(r) / float(n - 1)};
            batch.add_dense(x);
        }
        net.forward(batch);
        const auto a = net.output();
        for (size_t k = 0; k < m; ++k) out[done + k] = a(0, Eigen::Index(k));
        done += m;
    }
    return out;
}

}  // namespace bpl
