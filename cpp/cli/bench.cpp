// `./build.sh bench`: seconds per training epoch of Nielsen's networks on MNIST, as JSON lines
// (median of several epochs), for the core and for a plain dense Eigen implementation.
// A benchmark, not a test: it asserts nothing and its numbers depend on the machine.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "config.hpp"
#include "dense_baseline.hpp"
#include "errors.hpp"
#include "idx_file.hpp"
#include "options.hpp"
#include "trainer.hpp"

using namespace bpl;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void row(const char* impl, const std::vector<int>& sizes, int batch, const std::vector<double>& seconds,
         double accuracy) {
    std::printf("{\"target\": \"native\", \"impl\": \"%s\", \"sizes\": [%s], \"batch\": %d, "
                "\"seconds_per_epoch\": %.4f, \"epochs\": %zu, \"test_accuracy\": %.4f}\n",
                impl, format_sizes(sizes).c_str(), batch, median(seconds), seconds.size(), accuracy);
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv) {
    try {
        int epochs = 3;
        std::string data = default_data_dir();
        for (int i = 1; i + 1 < argc; i += 2) {
            const std::string a = argv[i];
            if (a == "--epochs") epochs = std::max(1, std::atoi(argv[i + 1]));
            else if (a == "--data") data = argv[i + 1];
            else throw Error("unknown option " + a + "; use --epochs N and --data DIR");
        }
        const Mnist mnist = load_mnist(data);
        const Split split = nielsen_split(mnist);
        for (const std::vector<int>& sizes :
             {std::vector<int>{784, 30, 10}, std::vector<int>{784, 100, 10}}) {
            Config c;
            c.sizes = sizes;
            Trainer t(c, split);
            std::vector<double> seconds;
            EpochResult r;
            for (int e = 0; e <= epochs; ++e) {  // the first epoch warms caches and is left out
                r = t.train_epoch();
                if (e > 0) seconds.push_back(r.seconds);
            }
            row("sparse", sizes, c.batch, seconds, r.test.accuracy());

            DenseBaseline dense(sizes, c.batch, c.seed);
            seconds.clear();
            for (int e = 0; e <= epochs; ++e) {
                const double s = dense.train_epoch(mnist.train_images, mnist.train_labels, 50000, c.eta);
                if (e > 0) seconds.push_back(s);
            }
            row("dense-eigen", sizes, c.batch, seconds,
                dense.accuracy(mnist.test_images, mnist.test_labels, 0, mnist.test_images.size()));
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "backprop-bench: %s\n", e.what());
        return 1;
    }
    return 0;
}
