// The WebAssembly edge: embind classes IdxReader, MnistData and Lab for the page's worker.
// It converts types between JavaScript and the core and turns C++ exceptions into JS Errors;
// it holds no training logic. The only file that includes an Emscripten header.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <malloc.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "bytes.hpp"
#include "checkpoint.hpp"
#include "config.hpp"
#include "errors.hpp"
#include "gradcheck.hpp"
#include "idx.hpp"
#include "mnist.hpp"
#include "model_file.hpp"
#include "model_json.hpp"
#include "saturation.hpp"
#include "sparse_file.hpp"
#include "trace.hpp"
#include "trainer.hpp"
#include "truth_table.hpp"

using emscripten::val;

namespace {

// A browser tab has far less memory to spare than a native process.
constexpr size_t wasm_memory_budget = size_t(256) << 20;

// The JS Error for a caught exception. Divergence gets its own name so the worker can tell it
// from other failures.
val js_error(const std::string& message, bool diverged) {
    val error = val::global("Error").new_(message);
    if (diverged) error.set("name", std::string("DivergedError"));
    return error;
}

// Runs f; any std::exception reaches JavaScript as an Error carrying e.what(). The JS throw
// happens after the C++ catch block and every C++ local are gone: a JS exception unwinding
// through wasm frames runs no destructors, so throwing from inside the catch would leak.
template <class F>
auto guard(F f) -> decltype(f()) {
    val error = val::undefined();
    {
        std::string message;
        bool diverged = false;
        try {
            return f();
        } catch (const bpl::Diverged& e) {
            message = e.what();
            diverged = true;
        } catch (const std::exception& e) {
            message = e.what();
        }
        error = js_error(message, diverged);
    }
    error.throw_();
}

// A copy of n elements of a C++ buffer as a JS typed array (the view itself dies with memory growth).
template <class T>
val typed_copy(const T* data, size_t n) {
    return val(emscripten::typed_memory_view(n, data)).call<val>("slice");
}

// The misclassified test images (Evaluation::mistakes) as four typed arrays, one entry each.
val mistakes_js(const std::vector<bpl::Mistake>& mistakes) {
    const size_t n = mistakes.size();
    std::vector<uint32_t> index(n);
    std::vector<uint8_t> label(n), predicted(n);
    std::vector<float> confidence(n);
    for (size_t k = 0; k < n; ++k) {
        index[k] = mistakes[k].index;
        label[k] = mistakes[k].label;
        predicted[k] = mistakes[k].predicted;
        confidence[k] = mistakes[k].confidence;
    }
    val out = val::object();
    out.set("index", typed_copy(index.data(), n));
    out.set("label", typed_copy(label.data(), n));
    out.set("predicted", typed_copy(predicted.data(), n));
    out.set("confidence", typed_copy(confidence.data(), n));
    return out;
}

// Copies a JS Uint8Array / Float32Array into staging with one TypedArray.set (no per-element calls).
template <class T>
void copy_from_js(const val& array, std::vector<T>& staging) {
    staging.resize(array["length"].as<size_t>());
    val(emscripten::typed_memory_view(staging.size(), staging.data())).call<void>("set", array);
}

// ---- live objects: the soak test's count of bound objects never deleted --------------------------

// Objects of one bound class alive: constructed and not yet destroyed. A JS handle that is never
// .delete()d keeps its C++ object alive, and this count up (tests/web/soak.test.mjs watches it).
template <class Counted>
class Live {
public:
    Live() { ++count; }
    Live(const Live&) { ++count; }
    Live& operator=(const Live&) = default;
    ~Live() { --count; }
    static inline int count = 0;
};

// ---- IdxReader: one MNIST file, fed in decompressed chunks as they arrive ----------------------

class JsIdxReader {
public:
    JsIdxReader(const std::string& name, bool is_images)
        : reader_(name, is_images ? bpl::IdxKind::images : bpl::IdxKind::labels) {}

    void feed(const val& chunk) {
        guard([&] {
            copy_from_js(chunk, staging_);
            reader_.feed(staging_.data(), staging_.size());
        });
    }
    void finish() {
        guard([&] { reader_.finish(); });
    }
    double bytes_received() const { return double(reader_.bytes_received()); }
    double bytes_expected() const { return double(reader_.bytes_expected()); }
    bpl::IdxReader& reader() { return reader_; }

private:
    bpl::IdxReader reader_;
    Live<JsIdxReader> live_;
    std::vector<uint8_t> staging_;  // reused for every chunk
};

// ---- MnistData: the four finished files --------------------------------------------------------

class JsMnistData {
public:
    JsMnistData() : mnist_(std::make_shared<bpl::Mnist>()) {}

    // index follows protocol.js MNIST_FILES: train images, train labels, test images, test labels.
    void set_file(int index, JsIdxReader& file) {
        guard([&] {
            bpl::IdxReader& r = file.reader();
            if (index < 0 || index > 3)
                throw bpl::Error("MnistData.setFile: index " + std::to_string(index) +
                                 " is not 0..3 (train images, train labels, test images, test labels)");
            bool want_images = index % 2 == 0;
            if ((r.kind() == bpl::IdxKind::images) != want_images)
                throw bpl::Error(r.name() + ": expected " + (want_images ? "images" : "labels") +
                                 " for MNIST file " + std::to_string(index));
            if (!r.finished()) throw bpl::Error(r.name() + ": call finish() before setFile()");
            if (mnist_.use_count() > 1)
                throw bpl::Error("MnistData is in use by a Lab; load new files into a new MnistData");
            switch (index) {
                case 0: mnist_->train_images = r.take_images(); break;
                case 1: mnist_->train_labels = r.take_labels(); break;
                case 2: mnist_->test_images = r.take_images(); break;
                default: mnist_->test_labels = r.take_labels(); break;
            }
        });
    }
    void check() const {
        guard([&] { bpl::check_agreement(*mnist_); });
    }
    double train_count() const { return double(mnist_->train_images.size()); }
    double test_count() const { return double(mnist_->test_images.size()); }
    // Test images by index (the t10k file's order), as one Uint8Array of 784 bytes each.
    val test_images(const val& indices) {
        return guard([&] {
            copy_from_js(indices, staging_indices_);
            const bpl::Images& images = mnist_->test_images;
            const size_t n = size_t(images.pixels());
            std::vector<uint8_t> out(staging_indices_.size() * n);
            for (size_t k = 0; k < staging_indices_.size(); ++k) {
                const uint32_t i = staging_indices_[k];
                if (i >= images.size())
                    throw bpl::Error("test image " + std::to_string(i) +
                                     " does not exist (the test set has " + std::to_string(images.size()) +
                                     " images)");
                images.bytes(i, out.data() + k * n);
            }
            return typed_copy(out.data(), out.size());
        });
    }
    // Images file index (0 or 2, as setFile) in the core's sparse form, as the parts of
    // sparse_file.hpp: { header, bitmaps, value, checksum }, and idxBytes, the size of the same
    // images as an IDX file. value is a view of the core's memory, valid until it next grows: the
    // caller copies it at once (a Blob).
    val sparse_parts(int index) const {
        return guard([&] {
            if (index != 0 && index != 2)
                throw bpl::Error("MnistData.sparseParts: index " + std::to_string(index) +
                                 " is not 0 or 2 (train images, test images)");
            const bpl::Images& images = index == 0 ? mnist_->train_images : mnist_->test_images;
            const std::vector<uint8_t> header = bpl::sparse_header(images),
                                       bitmaps = bpl::sparse_bitmaps(images);
            std::vector<uint8_t> sum;
            bpl::bytes::put_u64(sum, bpl::sparse_checksum(images, bitmaps));
            val out = val::object();
            out.set("header", typed_copy(header.data(), header.size()));
            out.set("bitmaps", typed_copy(bitmaps.data(), bitmaps.size()));
            out.set("value", val(emscripten::typed_memory_view(images.value.size(), images.value.data())));
            out.set("checksum", typed_copy(sum.data(), sum.size()));
            out.set("idxBytes", double(16 + images.size() * size_t(images.pixels())));
            return out;
        });
    }
    std::shared_ptr<const bpl::Mnist> mnist() const { return mnist_; }

private:
    std::vector<uint32_t> staging_indices_;
    std::shared_ptr<bpl::Mnist> mnist_;  // shared with every Lab built on it (Split points into it)
    Live<JsMnistData> live_;
};

// ---- the run config from a JS object ({sizes, activation, cost, init, eta, ...}) ---------------

// A JS number, checked: embind would otherwise turn "30" or NaN into a confusing TypeError.
double number(const val& v, const std::string& key, bool integer) {
    if (!v.isNumber()) throw bpl::Error("config: " + key + " must be a number");
    double x = v.as<double>();
    if (!std::isfinite(x)) throw bpl::Error("config: " + key + " must be finite");
    if (integer && (x != std::floor(x) || std::fabs(x) > 2147483647.0))
        throw bpl::Error("config: " + key + " must be a whole number, not " + std::to_string(x));
    return x;
}

bool present(const val& v) { return !v.isUndefined() && !v.isNull(); }

std::string text(const val& v, const std::string& key) {
    if (!v.isString()) throw bpl::Error("config: " + key + " must be a string");
    return v.as<std::string>();
}

// A missing field keeps the core's default (the same as protocol.js's DEFAULT_CONFIG).
bpl::Config config_from_js(const val& js) {
    bpl::Config c;
    if (!present(js)) return c;
    if (val sizes = js["sizes"]; present(sizes)) {
        if (!sizes.isArray()) throw bpl::Error("config: sizes must be an array such as [784, 30, 10]");
        c.sizes.clear();
        for (size_t l = 0, n = sizes["length"].as<size_t>(); l < n; l++)
            c.sizes.push_back(int(number(sizes[l], "sizes[" + std::to_string(l) + "]", true)));
    }
    if (val v = js["activation"]; present(v)) c.activation = bpl::parse_activation(text(v, "activation"));
    if (val v = js["cost"]; present(v)) c.cost = bpl::parse_cost(text(v, "cost"));
    if (val v = js["init"]; present(v)) c.init = bpl::parse_init(text(v, "init"));
    if (val v = js["eta"]; present(v)) c.eta = float(number(v, "eta", false));
    if (val v = js["batch"]; present(v)) c.batch = int(number(v, "batch", true));
    if (val v = js["epochs"]; present(v)) c.epochs = int(number(v, "epochs", true));
    if (val v = js["lambda"]; present(v)) c.lambda = float(number(v, "lambda", false));
    if (val v = js["seed"]; present(v)) {
        double seed = v.isNumber() ? v.as<double>() : -1;
        if (!(seed >= 0 && seed <= 4294967295.0 && seed == std::floor(seed)))
            throw bpl::Error("config: seed must be a whole number in 0..4294967295");
        c.seed = uint32_t(seed);
    }
    return c;
}

template <class T>
val array_of(const std::vector<T>& v) {
    return typed_copy(v.data(), v.size());
}

// A number typed by hand for a weight or bias: the whole text a decimal number, finite, and of
// a size a float32 weight can sensibly take.
float typed_weight(const std::string& text) {
    constexpr double limit = 1e6;
    const char* begin = text.c_str();
    char* end = nullptr;
    const double v = std::strtod(begin, &end);
    while (end && (*end == ' ' || *end == '\t')) ++end;
    if (text.empty() || end == begin || *end != '\0' || text.find_first_of("xXnNiI") != std::string::npos)
        throw bpl::Error("'" + text + "' is not a number; type a value such as -2 or 0.5");
    if (!std::isfinite(v) || std::fabs(v) > limit)
        throw bpl::Error("'" + text + "' is too large: a weight or bias here must lie between -1e6 and 1e6");
    return float(v);
}

// ---- Lab: one network and its trainer on the loaded images or a truth table -----------------------

class Lab {
public:
    // Factories rather than embind constructors, so a failed construction unwinds in C++.
    static Lab* create(const val& config, const JsMnistData& data) {
        return guard([&] {
            // The images are whatever the page loaded: MNIST or Fashion-MNIST (the same IDX files).
            if (dataset(config) != "mnist" && dataset(config) != "fashion")
                throw bpl::Error("config: the " + dataset(config) + " data set is built by Lab.createSmall");
            return new Lab(config_from_js(config), data.mnist(), false);
        });
    }
    // A truth table (config.dataset: xor, and, or, nand): the four points, no download.
    static Lab* create_small(const val& config) {
        return guard([&] {
            auto table = std::make_shared<bpl::Mnist>(bpl::truth_table(dataset(config)));
            return new Lab(config_from_js(config), std::move(table), true);
        });
    }

    Lab(const bpl::Config& c, std::shared_ptr<const bpl::Mnist> mnist, bool small)
        : mnist_(std::move(mnist)), small_(small),
          split_(small ? bpl::whole_split(*mnist_) : bpl::nielsen_split(*mnist_)),
          trainer_(std::make_unique<bpl::Trainer>(c, split_, wasm_memory_budget)) {}

    static std::string dataset(const val& config) {
        if (!present(config) || !present(config["dataset"])) return "mnist";
        return text(config["dataset"], "dataset");
    }

    val train_batches(int n) {
        return guard([&] {
            bpl::Progress p = trainer_->train_batches(n);
            val out = val::object();
            out.set("batches", p.batches);
            out.set("examples", double(p.examples));
            out.set("cost", p.cost);
            out.set("seconds", p.seconds);
            return out;
        });
    }
    bool epoch_done() const { return trainer_->epoch_done(); }

    val finish_epoch() {
        return guard([&] {
            bpl::EpochResult r = trainer_->finish_epoch();
            val out = val::object();
            out.set("epoch", r.epoch);
            out.set("testCorrect", double(r.test.correct));
            out.set("testTotal", double(r.test.total));
            out.set("testCost", r.test.cost);
            out.set("validationCorrect", double(r.validation.correct));
            out.set("validationTotal", double(r.validation.total));
            out.set("validationCost", r.validation.cost);
            out.set("trainCost", r.train_cost);
            out.set("seconds", r.seconds);
            out.set("evalSeconds", r.eval_seconds);
            out.set("confusion", typed_copy(r.test.confusion.data(), r.test.confusion.size()));
            out.set("mistakes", mistakes_js(r.test.mistakes));
            return out;
        });
    }

    int epoch() const { return trainer_->epoch(); }
    double batch_in_epoch() const { return double(trainer_->batch_in_epoch()); }
    double batches_per_epoch() const { return double(trainer_->batches_per_epoch()); }
    bool diverged() const { return trainer_->diverged(); }

    // A view straight into the parameter buffer: valid only until the next call into the module.
    val params() {
        bpl::Network& net = trainer_->network();
        return val(emscripten::typed_memory_view(net.param_count(), net.params()));
    }

    val layout() const {
        const bpl::Network& net = trainer_->network();
        val out = val::array();
        for (int l = 0; l < net.layers(); l++) {
            val layer = val::object();
            layer.set("rows", net.sizes()[l + 1]);
            layer.set("cols", net.sizes()[l]);
            layer.set("wOffset", double(net.w_offset(l)));
            layer.set("bOffset", double(net.b_offset(l)));
            out.call<void>("push", layer);
        }
        return out;
    }

    val predict(const val& pixels) {
        return guard([&] {
            copy_from_js(pixels, staging_);
            bpl::Network& net = trainer_->network();
            if (staging_.size() != size_t(net.sizes()[0]))
                throw bpl::Error("predict: expected " + std::to_string(net.sizes()[0]) + " pixels, got " +
                                 std::to_string(staging_.size()));
            std::vector<float> a = net.predict(staging_.data());
            return val::array(a.begin(), a.end());
        });
    }

    // Parameters given by the page (a preset's hand-set weights): the layout's count, all finite.
    void set_params(const val& params) {
        guard([&] {
            copy_from_js(params, staging_);
            bpl::Network& net = trainer_->network();
            if (staging_.size() != net.param_count())
                throw bpl::Error("setParams: " + std::to_string(staging_.size()) + " values for the " +
                                 std::to_string(net.param_count()) + " parameters of " +
                                 bpl::format_sizes(net.sizes()));
            for (float v : staging_)
                if (!std::isfinite(v)) throw bpl::Error("setParams: a parameter is NaN or infinite");
            trainer_->set_params(staging_.data());
        });
    }

    // One weight or bias typed by hand; returns the value stored.
    double set_param(double index, const std::string& typed) {
        return guard([&] {
            bpl::Network& net = trainer_->network();
            if (!(index >= 0 && index < double(net.param_count()) && index == std::floor(index)))
                throw bpl::Error("setParam: no parameter " + number_text(index) + " (the network has " +
                                 std::to_string(net.param_count()) + ")");
            const float v = typed_weight(typed);
            trainer_->set_param(size_t(index), v);
            return double(v);
        });
    }

    // The trace of one example (protocol.js ExampleRef) through the current network.
    val trace(const val& example) {
        return guard([&] {
            Example ex = resolve(example);
            bpl::Network& net = trainer_->network();
            last_ = std::make_unique<bpl::Trace>(bpl::trace_example(
                net, ex.x, bpl::target(ex.label, net.sizes().back()), trainer_->config().eta));
            const bpl::Trace& t = *last_;
            val out = val::object();
            out.set("example", ex.describe());
            out.set("x", array_of(t.x));
            out.set("y", array_of(t.y));
            val layers = val::array();
            for (const bpl::LayerTrace& lt : t.layers) {
                val l = val::object();
                l.set("z", array_of(lt.z));
                l.set("a", array_of(lt.a));
                l.set("fprime", array_of(lt.fprime));
                l.set("delta", array_of(lt.delta));
                l.set("gradB", array_of(lt.grad_b));
                l.set("gradW", array_of(lt.grad_w));
                layers.call<void>("push", l);
            }
            out.set("layers", layers);
            out.set("costGrad", array_of(t.cost_grad));
            out.set("costValue", t.cost);
            val step = val::object();
            step.set("costBefore", t.cost);
            step.set("costAfter", t.cost_after);
            step.set("paramsAfter", array_of(t.params_after));
            out.set("step", step);
            return out;
        });
    }

    // Makes the last trace's one-example SGD step on the network.
    void apply_step() {
        guard([&] {
            if (!last_) throw bpl::Error("applyStep: trace an example first");
            trainer_->set_params(last_->params_after.data());
            last_.reset();
        });
    }

    val grad_check(const val& example, int per_layer) {
        return guard([&] {
            if (per_layer < 1 || per_layer > 100)
                throw bpl::Error("gradCheck: 1 to 100 parameters per layer");
            Example ex = resolve(example);
            bpl::Network& net = trainer_->network();
            const bpl::GradCheck g =
                bpl::grad_check(net, ex.x, bpl::target(ex.label, net.sizes().back()), per_layer,
                                uint64_t(ex.label) * 7919u + uint64_t(ex.index + 1));
            val entries = val::array();
            for (const bpl::GradEntry& e : g.entries) {
                val o = val::object();
                o.set("layer", e.layer);
                o.set("kind", std::string(e.bias ? "b" : "w"));
                o.set("row", e.row);
                o.set("col", e.col);
                o.set("index", double(e.index));
                o.set("why", std::string(e.largest ? "largest" : "random"));
                o.set("backprop", e.backprop);
                o.set("numeric", e.numeric);
                o.set("relError", e.rel_error);
                entries.call<void>("push", o);
            }
            val out = val::object();
            out.set("example", ex.describe());
            out.set("entries", entries);
            out.set("maxRelError", g.max_rel_error);
            out.set("h", g.h);
            out.set("tolerance", bpl::grad_check_tolerance);
            return out;
        });
    }

    // The hidden layers' z over the first `samples` training examples.
    val saturation(int bins, double lo, double hi, int samples) {
        return guard([&] {
            bpl::Network& net = trainer_->network();
            const auto hs =
                bpl::z_histograms(net, split_.training, size_t(std::max(samples, 0)), bins, lo, hi);
            val layers = val::array();
            const bpl::Config& c = trainer_->config();
            for (const bpl::ZHistogram& h : hs) {
                val o = val::object();
                o.set("layer", h.layer);
                // The function this layer applies: the hidden one, or the output's own.
                const bool output = h.layer == net.layers() - 1;
                o.set("output", output);
                o.set("activation",
                      std::string(!output || c.activation == bpl::Activation::step ? bpl::name(c.activation)
                                  : c.cost == bpl::Cost::log_likelihood            ? "softmax"
                                                                                   : "sigmoid"));
                o.set("counts", array_of(h.counts));
                o.set("saturated", h.saturated);
                o.set("mean", h.mean);
                o.set("std", h.std);
                layers.call<void>("push", o);
            }
            val out = val::object();
            out.set("activation", std::string(bpl::name(trainer_->config().activation)));
            out.set("samples", double(std::min(size_t(std::max(samples, 0)), split_.training.size())));
            out.set("lo", lo);
            out.set("hi", hi);
            out.set("layers", layers);
            return out;
        });
    }

    // A 2-input network's output over the input square, and on the four points of its table.
    val surface(int n) {
        return guard([&] {
            bpl::Network& net = trainer_->network();
            std::vector<float> values = bpl::surface(net, n);
            std::vector<float> outputs;
            for (size_t i = 0; i < split_.test.size(); ++i) {
                std::vector<float> x = split_.test.images->dense(split_.test.begin + i);
                outputs.push_back(net.predict(x.data())[0]);
            }
            val out = val::object();
            out.set("n", n);
            out.set("values", array_of(values));
            out.set("outputs", array_of(outputs));
            out.set("correct", double(trainer_->evaluate(split_.test).correct));  // the core's count
            return out;
        });
    }

    // The activation functions and their derivatives at n points of [lo, hi], from the core.
    static val curves(double lo, double hi, int n) {
        return guard([&] {
            if (n < 2 || n > 10000 || !(lo < hi)) throw bpl::Error("curves: 2 to 10000 points over lo < hi");
            std::vector<float> z(static_cast<size_t>(n)), a(static_cast<size_t>(n)),
                fp(static_cast<size_t>(n));
            for (int i = 0; i < n; ++i) z[size_t(i)] = float(lo + (hi - lo) * i / (n - 1));
            val curves = val::object();
            for (bpl::Activation f : {bpl::Activation::sigmoid, bpl::Activation::tanh, bpl::Activation::relu,
                                      bpl::Activation::step}) {
                bpl::activation_values(f, z.data(), a.data(), fp.data(), z.size());
                val c = val::object();
                c.set("a", array_of(a));
                c.set("fp", array_of(fp));
                curves.set(bpl::name(f), c);
            }
            val out = val::object();
            out.set("z", array_of(z));
            out.set("curves", curves);
            return out;
        });
    }

    val save_model() const {
        return guard([&] {
            std::vector<uint8_t> bytes = bpl::encode_model(trainer_->network().model());
            return typed_copy(bytes.data(), bytes.size());
        });
    }
    // network2.py's JSON, as UTF-8 bytes (the page downloads them as they are).
    val save_model_json() const {
        return guard([&] {
            const std::string text = bpl::encode_model_json(trainer_->network().model());
            return typed_copy(reinterpret_cast<const uint8_t*>(text.data()), text.size());
        });
    }

    // A model file of either format (told apart by content), checked against the data it is for
    // (inputs pixels, classes labels): { format, model: { sizes, activation, cost }, params }.
    static val read_model(const val& bytes, const std::string& name, int inputs, int classes) {
        return guard([&] {
            std::vector<uint8_t> staging;
            copy_from_js(bytes, staging);
            bpl::ModelFormat format;
            const bpl::Model m = bpl::decode_model_file(staging.data(), staging.size(), name, &format);
            bpl::check_fits(m, inputs, classes, name);
            val model = val::object();
            model.set("sizes", val::array(m.sizes.begin(), m.sizes.end()));
            model.set("activation", std::string(bpl::name(m.activation)));
            model.set("cost", std::string(bpl::name(m.cost)));
            val out = val::object();
            out.set("format", std::string(bpl::name(format)));
            out.set("model", model);
            out.set("params", array_of(m.params));
            return out;
        });
    }
    // The size check of a file not yet read (the worker reads none that is too large).
    static void check_model_file_size(double bytes, const std::string& name) {
        guard([&] { bpl::check_model_file_size(uint64_t(bytes), name); });
    }

    // Exact resume (checkpoint.hpp): the run as bytes, and those bytes put back into this Lab,
    // which must have been created with the same config on the same data.
    val checkpoint() const {
        return guard([&] {
            const std::vector<uint8_t> bytes = bpl::encode_checkpoint(*trainer_);
            return typed_copy(bytes.data(), bytes.size());
        });
    }
    void restore(const val& bytes) {
        guard([&] {
            copy_from_js(bytes, staging_bytes_);
            const bpl::Checkpoint c = bpl::decode_checkpoint(staging_bytes_.data(), staging_bytes_.size());
            bpl::restore_checkpoint(*trainer_, c);
            staging_bytes_.clear();
        });
    }

    // The network as it is, on validation and test (as finish_epoch reports them), no training.
    val evaluate() {
        return guard([&] {
            const bpl::Evaluation v = trainer_->evaluate(split_.validation);
            const bpl::Evaluation t = trainer_->evaluate(split_.test, true);
            val out = val::object();
            out.set("testCorrect", double(t.correct));
            out.set("testTotal", double(t.total));
            out.set("testCost", t.cost);
            out.set("validationCorrect", double(v.correct));
            out.set("validationTotal", double(v.total));
            out.set("validationCost", v.cost);
            out.set("confusion", typed_copy(t.confusion.data(), t.confusion.size()));
            out.set("mistakes", mistakes_js(t.mistakes));
            return out;
        });
    }

private:
    // An ExampleRef (protocol.js) resolved: the input, the label, and how the page names it.
    struct Example {
        std::string set;
        int index = -1;  // -1 for a drawn digit
        int label = 0;
        std::vector<float> x;
        val describe() const {
            val o = val::object();
            o.set("set", set);
            o.set("index", index < 0 ? val::null() : val(index));
            o.set("label", label);
            return o;
        }
    };

    Example resolve(const val& ref) {
        if (!present(ref) || !present(ref["set"])) throw bpl::Error("example: set is missing");
        Example ex;
        ex.set = text(ref["set"], "example.set");
        const bpl::Network& net = trainer_->network();
        if (ex.set == "drawn") {
            if (small_) throw bpl::Error("example: a drawn digit needs the MNIST network");
            copy_from_js(ref["pixels"], ex.x);
            if (ex.x.size() != size_t(net.sizes()[0]))
                throw bpl::Error("example: a drawing of " + std::to_string(net.sizes()[0]) +
                                 " pixels is needed");
            const double label = present(ref["label"]) ? number(ref["label"], "example.label", true) : -1;
            const int classes = net.sizes().back() == 1 ? 2 : net.sizes().back();
            if (label < 0 || label >= classes)
                throw bpl::Error("example: the target label must be 0 to " + std::to_string(classes - 1));
            ex.label = int(label);
            return ex;
        }
        const bpl::Samples* s = nullptr;
        std::string what;
        if (ex.set == "train" && !small_) s = &split_.training, what = "training example";
        else if (ex.set == "test" && !small_) s = &split_.test, what = "test example";
        else if (ex.set == "points" && small_) s = &split_.training, what = "point";
        else throw bpl::Error("example: set '" + ex.set + "' does not belong to this data set");
        if (!present(ref["index"]) || !ref["index"].isNumber())
            throw bpl::Error("the " + what + " number is not a number");
        const double i = ref["index"].as<double>();
        if (!(i >= 0 && i < double(s->size()) && i == std::floor(i)))
            throw bpl::Error("there is no " + what + " " + number_text(i) + ": choose 0 to " +
                             std::to_string(s->size() - 1));
        ex.index = int(i);
        ex.x = s->images->dense(s->begin + size_t(i));
        ex.label = (*s->labels)[s->begin + size_t(i)];
        return ex;
    }

    static std::string number_text(double v) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", v);
        return buf;
    }

    std::shared_ptr<const bpl::Mnist> mnist_;  // kept alive for split_'s pointers
    bool small_;                               // a truth table, not MNIST
    bpl::Split split_;
    std::unique_ptr<bpl::Trainer> trainer_;
    std::vector<float> staging_;
    std::vector<uint8_t> staging_bytes_;
    std::unique_ptr<bpl::Trace> last_;  // the last trace, for applyStep
    Live<Lab> live_;
};

// { IdxReader, MnistData, Lab }: how many of each are alive (Live above).
val live_objects() {
    val out = val::object();
    out.set("IdxReader", Live<JsIdxReader>::count);
    out.set("MnistData", Live<JsMnistData>::count);
    out.set("Lab", Live<Lab>::count);
    return out;
}

// Bytes the allocator (dlmalloc) has handed out and not had back: flat when nothing leaks, unlike
// the WebAssembly memory, which only grows.
double heap_in_use() { return double(mallinfo().uordblks); }

}  // namespace

EMSCRIPTEN_BINDINGS(backprop_lab) {
    using emscripten::class_;

    emscripten::function("liveObjects", &live_objects);
    emscripten::function("heapInUse", &heap_in_use);

    class_<JsIdxReader>("IdxReader")
        .constructor<std::string, bool>()
        .function("feed", &JsIdxReader::feed)
        .function("finish", &JsIdxReader::finish)
        .function("bytesReceived", &JsIdxReader::bytes_received)
        .function("bytesExpected", &JsIdxReader::bytes_expected);

    class_<JsMnistData>("MnistData")
        .constructor<>()
        .function("setFile", &JsMnistData::set_file)
        .function("check", &JsMnistData::check)
        .function("trainCount", &JsMnistData::train_count)
        .function("testCount", &JsMnistData::test_count)
        .function("testImages", &JsMnistData::test_images)
        .function("sparseParts", &JsMnistData::sparse_parts);

    class_<Lab>("Lab")
        .constructor(&Lab::create, emscripten::allow_raw_pointers())
        .class_function("createSmall", &Lab::create_small, emscripten::allow_raw_pointers())
        .class_function("curves", &Lab::curves)
        .function("trainBatches", &Lab::train_batches)
        .function("epochDone", &Lab::epoch_done)
        .function("finishEpoch", &Lab::finish_epoch)
        .function("epoch", &Lab::epoch)
        .function("batchInEpoch", &Lab::batch_in_epoch)
        .function("batchesPerEpoch", &Lab::batches_per_epoch)
        .function("diverged", &Lab::diverged)
        .function("params", &Lab::params)
        .function("layout", &Lab::layout)
        .function("predict", &Lab::predict)
        .function("saveModel", &Lab::save_model)
        .function("saveModelJson", &Lab::save_model_json)
        .class_function("readModel", &Lab::read_model)
        .class_function("checkModelFileSize", &Lab::check_model_file_size)
        .function("checkpoint", &Lab::checkpoint)
        .function("restore", &Lab::restore)
        .function("evaluate", &Lab::evaluate)
        .function("setParams", &Lab::set_params)
        .function("setParam", &Lab::set_param)
        .function("trace", &Lab::trace)
        .function("applyStep", &Lab::apply_step)
        .function("gradCheck", &Lab::grad_check)
        .function("saturation", &Lab::saturation)
        .function("surface", &Lab::surface);
}
