// The WebAssembly edge: embind classes IdxReader, MnistData and Lab for the page's worker.
// It converts types between JavaScript and the core and turns C++ exceptions into JS Errors;
// it holds no training logic. The only file that includes an Emscripten header.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include "config.hpp"
#include "errors.hpp"
#include "idx.hpp"
#include "mnist.hpp"
#include "model_file.hpp"
#include "trainer.hpp"

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

// Copies a JS Uint8Array / Float32Array into staging with one TypedArray.set (no per-element calls).
template <class T>
void copy_from_js(const val& array, std::vector<T>& staging) {
    staging.resize(array["length"].as<size_t>());
    val(emscripten::typed_memory_view(staging.size(), staging.data())).call<void>("set", array);
}

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
    void finish() { guard([&] { reader_.finish(); }); }
    double bytes_received() const { return double(reader_.bytes_received()); }
    double bytes_expected() const { return double(reader_.bytes_expected()); }
    bpl::IdxReader& reader() { return reader_; }

private:
    bpl::IdxReader reader_;
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
    void check() const { guard([&] { bpl::check_agreement(*mnist_); }); }
    double train_count() const { return double(mnist_->train_images.size()); }
    double test_count() const { return double(mnist_->test_images.size()); }
    std::shared_ptr<const bpl::Mnist> mnist() const { return mnist_; }

private:
    std::shared_ptr<bpl::Mnist> mnist_;  // shared with every Lab built on it (Split points into it)
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

// ---- Lab: one network and its trainer on the loaded MNIST ---------------------------------------

class Lab {
public:
    // A factory rather than an embind constructor, so a failed construction unwinds in C++.
    static Lab* create(const val& config, const JsMnistData& data) {
        return guard([&] { return new Lab(config_from_js(config), data.mnist()); });
    }

    Lab(const bpl::Config& c, std::shared_ptr<const bpl::Mnist> mnist)
        : mnist_(std::move(mnist)), split_(bpl::nielsen_split(*mnist_)),
          trainer_(std::make_unique<bpl::Trainer>(c, split_, wasm_memory_budget)) {}

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
            out.set("confusion", typed_copy(r.test.confusion.data(), r.test.confusion.size()));
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
                throw bpl::Error("predict: expected " + std::to_string(net.sizes()[0]) +
                                 " pixels, got " + std::to_string(staging_.size()));
            std::vector<float> a = net.predict(staging_.data());
            return val::array(a.begin(), a.end());
        });
    }

    val save_model() const {
        return guard([&] {
            std::vector<uint8_t> bytes = bpl::encode_model(trainer_->network().model());
            return typed_copy(bytes.data(), bytes.size());
        });
    }

private:
    std::shared_ptr<const bpl::Mnist> mnist_;  // kept alive for split_'s pointers
    bpl::Split split_;
    std::unique_ptr<bpl::Trainer> trainer_;
    std::vector<float> staging_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(backprop_lab) {
    using emscripten::class_;

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
        .function("testCount", &JsMnistData::test_count);

    class_<Lab>("Lab")
        .constructor(&Lab::create, emscripten::allow_raw_pointers())
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
        .function("saveModel", &Lab::save_model);
}
