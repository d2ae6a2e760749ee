// The native trainer: `backprop --sizes 784,30,10 --epochs 30 --batch 10 --eta 3.0` prints
// Nielsen's "Epoch 0: 9129 / 10000" lines (or JSON with --json). Same core as the page.
// Not a benchmark (bench.cpp) and not a place for training logic.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "errors.hpp"
#include "idx_file.hpp"
#include "model_file.hpp"
#include "options.hpp"
#include "trainer.hpp"

using namespace bpl;

namespace {

void print_epoch(const EpochResult& r, bool json) {
    if (json) {
        std::printf("{\"epoch\": %d, \"test_correct\": %zu, \"test_total\": %zu, \"test_accuracy\": %.4f, "
                    "\"test_cost\": %.6g, \"validation_correct\": %zu, \"validation_total\": %zu, "
                    "\"validation_accuracy\": %.4f, \"validation_cost\": %.6g, \"cost\": %.6g, "
                    "\"seconds\": %.4f}\n",
                    r.epoch, r.test.correct, r.test.total, r.test.accuracy(), r.test.cost,
                    r.validation.correct, r.validation.total, r.validation.accuracy(), r.validation.cost,
                    r.train_cost, r.seconds);
    } else {
        std::printf("Epoch %d: %zu / %zu  (%.2f s; validation %zu / %zu; training cost %.4f)\n", r.epoch,
                    r.test.correct, r.test.total, r.seconds, r.validation.correct, r.validation.total,
                    r.train_cost);
    }
    std::fflush(stdout);
}

// --load: the model decides the network's shape; explicit shape options must agree with it.
std::vector<float> apply_model(Options& o) {
    Model m = load_model(o.load);
    Config& c = o.config;
    auto mismatch = [&](const std::string& what, const std::string& model, const std::string& given) {
        throw Error(o.load + " holds a network with " + what + " " + model + " but " + given +
                    " was given; drop the option or load another file");
    };
    if (o.sizes_given && c.sizes != m.sizes)
        mismatch("sizes", format_sizes(m.sizes), "--sizes " + format_sizes(c.sizes));
    if (o.activation_given && c.activation != m.activation)
        mismatch("activation", name(m.activation), std::string("--activation ") + name(c.activation));
    if (o.cost_given && c.cost != m.cost)
        mismatch("cost", name(m.cost), std::string("--cost ") + name(c.cost));
    c.sizes = m.sizes;
    c.activation = m.activation;
    c.cost = m.cost;
    return std::move(m.params);
}

void save(const Options& o, const Trainer& t) { save_model(o.save, t.network().model()); }

// Fails before training, not after it, if --save cannot be written.
void check_writable(const std::string& path) {
    const bool existed = std::ifstream(path).good();
    std::ofstream probe(path, std::ios::app | std::ios::binary);
    if (!probe) throw Error("cannot write --save " + path + ": " + std::strerror(errno));
    probe.close();
    if (!existed) std::remove(path.c_str());
}

int run(Options& o) {
    if (!o.save.empty()) check_writable(o.save);
    std::vector<float> params;
    if (!o.load.empty()) params = apply_model(o);
    validate_hyperparameters(o.config);  // before reading 55 MB of data
    if (o.data.empty()) o.data = default_data_dir();
    Mnist mnist;
    try {
        mnist = load_mnist(o.data);
    } catch (const Error& e) {
        if (o.dataset != "fashion") throw;
        throw Error(
            std::string(e.what()) +
            "\nFashion-MNIST comes from Debian's package dataset-fashion-mnist "
            "(./build.sh setup installs it), or set BPL_FASHION_DATA to a folder with its four files");
    }
    const Split split = nielsen_split(mnist);
    Trainer t = params.empty() ? Trainer(o.config, split) : Trainer(o.config, split, params);
    const Config& c = t.config();
    if (o.evaluate) {
        const Evaluation test = t.evaluate(split.test), validation = t.evaluate(split.validation);
        if (o.json)
            std::printf(
                "{\"test_correct\": %zu, \"test_total\": %zu, \"test_accuracy\": %.4f, \"test_cost\": %.6g, "
                "\"validation_correct\": %zu, \"validation_total\": %zu, \"validation_accuracy\": %.4f}\n",
                test.correct, test.total, test.accuracy(), test.cost, validation.correct, validation.total,
                validation.accuracy());
        else
            std::printf("[%s] %s hidden, %s cost, from %s\nTest: %zu / %zu  (validation %zu / %zu)\n",
                        format_sizes(c.sizes).c_str(), name(c.activation), name(c.cost), o.load.c_str(),
                        test.correct, test.total, validation.correct, validation.total);
        if (!o.save.empty()) save(o, t);  // a conversion: --load x.json --evaluate --save x.bplm
        return 0;
    }
    if (!o.json)
        std::printf("[%s] %s hidden, %s cost, %s init, eta %g, m %d, lambda %g, seed %u; "
                    "%zu training, %zu validation, %zu test images\n",
                    format_sizes(c.sizes).c_str(), name(c.activation), name(c.cost), name(c.init),
                    double(c.eta), c.batch, double(c.lambda), c.seed, split.training.size(),
                    split.validation.size(), split.test.size());
    size_t best = 0;
    int best_epoch = 0;
    try {
        for (int e = 0; e < c.epochs; ++e) {
            const EpochResult r = t.train_epoch();
            print_epoch(r, o.json);
            if (r.test.correct > best || e == 0) {
                best = r.test.correct;
                best_epoch = r.epoch;
            }
        }
    } catch (const Diverged&) {
        if (!o.save.empty()) {
            save(o, t);
            std::fprintf(stderr, "backprop: saved the last good weights to %s\n", o.save.c_str());
        }
        throw;
    }
    if (!o.json) std::printf("Best: %zu / %zu at epoch %d\n", best, split.test.size(), best_epoch);
    if (!o.save.empty()) {
        save(o, t);
        if (!o.json) std::printf("Saved to %s\n", o.save.c_str());
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    Options o;
    try {
        o = parse_options(std::vector<std::string>(argv + 1, argv + argc));
    } catch (const Error& e) {
        std::fprintf(stderr, "backprop: %s\n", e.what());
        return 2;
    }
    if (o.help) {
        std::fputs(usage, stdout);
        return 0;
    }
    try {
        return run(o);
    } catch (const std::bad_alloc&) {
        std::fprintf(stderr, "backprop: out of memory; use a smaller network or mini-batch\n");
    } catch (const std::exception& e) {
        std::fprintf(stderr, "backprop: %s\n", e.what());
    }
    return 1;
}
