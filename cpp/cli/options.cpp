// Strict parsing of the trainer's options: every value must parse completely, and every
// problem names the option and the value that was given.
#include "options.hpp"

#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "errors.hpp"

namespace bpl {

#define FASHION_DIR "/usr/share/datasets/fashion-mnist"

const char* const usage =
    "Usage: backprop [options]\n"
    "Trains a multilayer perceptron on MNIST (or Fashion-MNIST) by mini-batch SGD (Nielsen, ch. 1-2).\n"
    "  --sizes 784,30,10      layer sizes, input to output\n"
    "  --epochs 30            training epochs\n"
    "  --batch 10             mini-batch size m\n"
    "  --eta 3.0              learning rate\n"
    "  --activation sigmoid   hidden layers: sigmoid | tanh | relu | step (every layer; cannot train)\n"
    "  --cost quadratic       quadratic | cross-entropy (sigmoid output) | log-likelihood (softmax)\n"
    "  --init gaussian        gaussian N(0,1) | scaled N(0,1/n_in)\n"
    "  --lambda 0             L2 regularisation\n"
    "  --seed 1               random seed (0 to 4294967295)\n"
    "  --data DIR             folder with the four MNIST IDX files, plain or .gz\n"
    "                         (default: $BPL_DATA, else data/mnist)\n"
    "  --dataset NAME         mnist | fashion: shorthand for --data with MNIST's folder or\n"
    "                         Fashion-MNIST's ($BPL_FASHION_DATA, else " FASHION_DIR ")\n"
    "  --save FILE            save the trained network: network2.py's JSON if FILE ends in\n"
    "                         .json, else the lab's model file (.bplm)\n"
    "  --load FILE            start from a saved network, either format (told apart by content)\n"
    "  --evaluate             with --load: evaluate on the test set, no training\n"
    "  --json                 one JSON object per epoch instead of Nielsen's lines\n"
    "  --help                 this text\n";

std::string default_data_dir() {
    const char* dir = std::getenv("BPL_DATA");
    return dir ? dir : "data/mnist";
}

std::string fashion_data_dir() {
    const char* dir = std::getenv("BPL_FASHION_DATA");
    return dir ? dir : FASHION_DIR;
}

namespace {

double parse_number(const std::string& option, const std::string& v) {
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || errno == ERANGE || !std::isfinite(d))
        throw Error(option + " expects a number, got '" + v + "'");
    return d;
}

long long parse_integer(const std::string& option, const std::string& v, long long lo, long long hi) {
    char* end = nullptr;
    errno = 0;
    const long long n = std::strtoll(v.c_str(), &end, 10);
    if (v.empty() || *end != '\0' || errno == ERANGE)
        throw Error(option + " expects a whole number, got '" + v + "'");
    if (n < lo || n > hi)
        throw Error(option + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                    ", got " + v);
    return n;
}

}  // namespace

Options parse_options(const std::vector<std::string>& args) {
    Options o;
    for (size_t i = 0; i < args.size(); ++i) {
        std::string option = args[i], value;
        const bool has_inline = option.rfind("--", 0) == 0 && option.find('=') != std::string::npos;
        if (has_inline) {
            value = option.substr(option.find('=') + 1);
            option = option.substr(0, option.find('='));
        }
        if (option == "--help" || option == "-h" || option == "--json" || option == "--evaluate") {
            if (has_inline) throw Error(option + " takes no value");
            if (option == "--json") o.json = true;
            else if (option == "--evaluate") o.evaluate = true;
            else o.help = true;
            continue;
        }
        if (option.rfind("--", 0) != 0)
            throw Error("unexpected argument '" + option + "'; options start with --, see --help");
        static const char* const with_value[] = {
            "--sizes",  "--epochs", "--batch", "--eta",     "--activation", "--cost", "--init",
            "--lambda", "--seed",   "--data",  "--dataset", "--save",       "--load"};
        bool known = false;
        for (const char* k : with_value) known = known || option == k;
        if (!known) throw Error("unknown option '" + option + "', see --help");
        if (!has_inline) {
            if (i + 1 >= args.size()) throw Error(option + " needs a value, see --help");
            value = args[++i];
        }
        Config& c = o.config;
        if (option == "--sizes") {
            c.sizes = parse_sizes(value);
            o.sizes_given = true;
        } else if (option == "--epochs") c.epochs = int(parse_integer(option, value, 1, 10000));
        else if (option == "--batch") c.batch = int(parse_integer(option, value, 1, 1000000));
        else if (option == "--eta") c.eta = float(parse_number(option, value));
        else if (option == "--activation") {
            c.activation = parse_activation(value);
            o.activation_given = true;
        } else if (option == "--cost") {
            c.cost = parse_cost(value);
            o.cost_given = true;
        } else if (option == "--init") c.init = parse_init(value);
        else if (option == "--lambda") c.lambda = float(parse_number(option, value));
        else if (option == "--seed") c.seed = uint32_t(parse_integer(option, value, 0, 4294967295LL));
        else if (option == "--data") o.data = value;
        else if (option == "--dataset") {
            if (value != "mnist" && value != "fashion")
                throw Error("--dataset must be mnist or fashion, got '" + value + "'");
            o.dataset = value;
        } else if (option == "--save") o.save = value;
        else if (option == "--load") o.load = value;
    }
    if (o.evaluate && o.load.empty()) throw Error("--evaluate needs --load FILE: the network to evaluate");
    if (!o.dataset.empty()) {
        if (!o.data.empty())
            throw Error("--dataset and --data both say where the images are: give one of them");
        o.data = o.dataset == "fashion" ? fashion_data_dir() : default_data_dir();
    }
    return o;
}

}  // namespace bpl
