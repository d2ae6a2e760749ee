// Tests of cpp/model_json.* and the format-agnostic file functions of model_file.*: network2.py's
// layout (rows are neurons, biases are columns), exact float32 round trips, what numpy's json.dump
// writes read as it is meant, the extras, and every kind of bad JSON rejected with its message.
#include <doctest/doctest.h>

#include <cstring>
#include <fstream>
#include <string>

#include "errors.hpp"
#include "model_json.hpp"
#include "random_model.hpp"
#include "rng.hpp"
#include "temp_dir.hpp"

using namespace bpl;

namespace {

Model decode(const std::string& text) {
    return decode_model_json(reinterpret_cast<const uint8_t*>(text.data()), text.size(), "net.json");
}

bool same_bits(const std::vector<float>& x, const std::vector<float>& y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), 4 * x.size()) == 0;
}

void check_fails(const std::string& text, const std::string& message) {
    CAPTURE(text.substr(0, 120));
    CHECK_THROWS_WITH_AS(decode(text), doctest::Contains(("net.json: " + message).c_str()), Error);
}

// A [2,3,1] network in network2.py's own text, as json.dump writes it (ints, 17 digits, spaces).
const std::string network2_text =
    R"({"sizes": [2, 3, 1], "weights": [[[0.5, -1.25], [2, 0.10000000000000001], [-3.0, 1e-3]],)"
    R"( [[1.5, -0.5, 0.25]]], "biases": [[[0.0], [-1], [0.75]], [[0.125]]], "cost": "CrossEntropyCost"})";

}  // namespace

TEST_CASE("network2.py's JSON is read in its layout: rows are neurons, biases columns") {
    const Model m = decode(network2_text);
    CHECK(m.sizes == std::vector<int>{2, 3, 1});
    CHECK(m.activation == Activation::sigmoid);
    CHECK(m.cost == Cost::cross_entropy);
    // The lab's layout: w[0] column-major (3 x 2), b[0], w[1] (1 x 3), b[1].
    const std::vector<float> expected = {0.5f,  2.0f,  -3.0f, -1.25f, 0.1f,  0.001f, 0.0f,
                                         -1.0f, 0.75f, 1.5f,  -0.5f,  0.25f, 0.125f};
    CHECK(same_bits(m.params, expected));
}

TEST_CASE("the writer puts each neuron's weights in a row and each bias in a one-element list") {
    Model m;
    m.sizes = {2, 3, 1};
    m.params = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0.1f};
    m.cost = Cost::quadratic;
    const std::string text = encode_model_json(m);
    CHECK(
        text.rfind(
            R"({"sizes": [2, 3, 1], "weights": [[[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]], [[10.0, 11.0, 12.0]]],)"
            R"( "biases": [[[7.0], [8.0], [9.0]], [[0.1]]], "cost": "QuadraticCost", "activation": "sigmoid",)"
            R"( "output": "sigmoid", "note": ")",
            0) == 0);
    CHECK(text.find("every layer is sigmoid") != std::string::npos);
}

TEST_CASE("every activation and cost round-trips bit for bit, floats in their shortest text") {
    for (Activation a : {Activation::sigmoid, Activation::tanh, Activation::relu, Activation::step})
        for (Cost c : {Cost::quadratic, Cost::cross_entropy, Cost::log_likelihood}) {
            const Model m = random_model({5, 4, 3, 2}, a, c, 11 + int(a) * 3 + int(c), true);
            const std::string text = encode_model_json(m);
            const Model back = decode(text);
            CAPTURE(name(a));
            CAPTURE(name(c));
            CHECK(back.sizes == m.sizes);
            CHECK(back.activation == m.activation);
            // A step network has no softmax to say "log-likelihood" with: it reads as cross-entropy
            // (no step network is ever trained, so its cost never matters).
            const bool lost = a == Activation::step && c == Cost::log_likelihood;
            CHECK(back.cost == (lost ? Cost::cross_entropy : m.cost));
            CHECK(same_bits(back.params, m.params));
            CHECK(text.size() < 16 * m.params.size() + 900);  // at most 9 significant digits a number
        }
    // Extremes of float32: denormals, the largest finite, negative zero.
    Model m = random_model({2, 1}, Activation::sigmoid, Cost::quadratic, 1, true);
    m.params = {1e-45f, -3.4028235e38f, -0.0f};
    CHECK(same_bits(decode(encode_model_json(m)).params, m.params));
}

TEST_CASE("the extras say what network2.py cannot: softmax output, tanh, relu and step layers") {
    const std::string softmax =
        encode_model_json(random_model({3, 2}, Activation::sigmoid, Cost::log_likelihood, 2, true));
    CHECK(softmax.find(R"("cost": "CrossEntropyCost", "activation": "sigmoid", "output": "softmax")") !=
          std::string::npos);
    CHECK(softmax.find("the same") != std::string::npos);
    const std::string tanh =
        encode_model_json(random_model({3, 2}, Activation::tanh, Cost::quadratic, 3, true));
    CHECK(tanh.find(R"("activation": "tanh", "output": "sigmoid")") != std::string::npos);
    CHECK(tanh.find("WARNING: this network's hidden layers are tanh") != std::string::npos);
    const std::string step =
        encode_model_json(random_model({3, 2}, Activation::step, Cost::quadratic, 4, true));
    CHECK(step.find(R"("activation": "step", "output": "step")") != std::string::npos);
    // Read: extras win, unknown keys are skipped whatever they hold, biases may be flat lists.
    const Model m =
        decode(R"({"biases": [[1, 2]], "extra": {"a": [1, {"b": null}], "c": "x"}, "sizes": [1, 2],)"
               R"( "weights": [[[3], [4]]], "output": "softmax", "cost": "CrossEntropyCost", "x": 5})");
    CHECK(m.cost == Cost::log_likelihood);
    CHECK(same_bits(m.params, {3, 4, 1, 2}));
}

TEST_CASE("bad JSON is rejected with a message naming the problem") {
    check_fails("", "not valid JSON at byte 1");
    check_fails(R"({"sizes": [2, 1], "weights": [[[1, 2)", "not valid JSON");
    check_fails(R"({"sizes": [2, 1]} trailing)", "not valid JSON");
    check_fails("[1, 2]", "not a network: the JSON is a list");
    check_fails("42", "not a network: the JSON is a number");
    check_fails(R"({"sizes": [2, 1], "biases": [[[0]]], "cost": "QuadraticCost"})",
                "not a network2.py network: the key \"weights\" is missing");
    check_fails(R"({"weights": [], "biases": [], "cost": "QuadraticCost"})",
                "not a network2.py network: the key \"sizes\" is missing");
    check_fails(R"({"sizes": [2, 1], "weights": [[[1, 2]]], "biases": [[[0]]]})",
                "not a network2.py network: the key \"cost\" is missing");
    check_fails(R"({"sizes": [2, 1], "sizes": [2, 1]})", "the key \"sizes\" appears twice");
    check_fails(R"({"sizes": [2, 0]})", "sizes[1] is 0");
    check_fails(R"({"sizes": [2, 1.5]})", "sizes[1] is 1.5");
    check_fails(R"({"sizes": 3})", "\"sizes\" is a number");
    check_fails(R"({"sizes": [2, 1], "weights": [[[1, "2"]]]})",
                "weights[0][0][1] is a string, not a number");
    check_fails(R"({"sizes": [2, 1], "weights": [[[1, [2]]]]})", "weights[0][0][1] is a list");
    check_fails(R"({"sizes": [2, 1], "weights": [[1, 2]]})", "weights[0][0] is a number");
    check_fails(R"({"sizes": [2, 1], "weights": [[[1, NaN]]]})", "weights[0][0][1] is NaN or Infinity");
    check_fails(R"({"sizes": [2, 1], "weights": [[[1, -Infinity]]]})", "weights[0][0][1] is NaN or Infinity");
    check_fails(R"({"sizes": [2, 1], "weights": [[[1, 1e39]]]})",
                "weights[0][0][1] is beyond the range of a float32");
    check_fails(R"({"sizes": [2, 1], "weights": [[[1, 2]]], "biases": [[[0, 1]]], "cost": "QuadraticCost"})",
                "biases[0][0] holds 2 numbers");
    const std::string head = R"({"sizes": [2, 3, 1], )";
    check_fails(
        head +
            R"("weights": [[[1, 2], [3, 4]], [[1, 2, 3]]], "biases": [[1, 2, 3], [1]], "cost": "QuadraticCost"})",
        "weights[0] has 2 rows, but sizes [2,3,1] need 3");
    check_fails(
        head +
            R"("weights": [[[1, 2], [3, 4], [5]], [[1, 2, 3]]], "biases": [[1, 2, 3], [1]], "cost": "QuadraticCost"})",
        "weights[0][2] has 1 numbers, but sizes [2,3,1] need 2");
    check_fails(
        head + R"("weights": [[[1, 2], [3, 4], [5, 6]]], "biases": [[1, 2, 3]], "cost": "QuadraticCost"})",
        "weights has 1 layers, but sizes [2,3,1] need 2");
    check_fails(
        head +
            R"("weights": [[[1, 2], [3, 4], [5, 6]], [[1, 2, 3]]], "biases": [[1, 2], [1]], "cost": "QuadraticCost"})",
        "biases[0] has 2 numbers, but sizes [2,3,1] need 3");
    const std::string body = R"({"sizes": [2, 1], "weights": [[[1, 2]]], "biases": [[[0]]], )";
    check_fails(body + R"("cost": "HingeCost"})", "unknown cost \"HingeCost\"");
    check_fails(body + R"("cost": 3})", "\"cost\" is a number");
    check_fails(body + R"("cost": "QuadraticCost", "activation": "swish"})", "unknown activation \"swish\"");
    check_fails(body + R"("cost": "QuadraticCost", "output": "softmax"})",
                "a softmax output is trained with the log-likelihood");
    check_fails(body + R"("cost": "QuadraticCost", "activation": "step", "output": "sigmoid"})",
                "step units go on every layer");
    CHECK_NOTHROW(decode(body + R"("cost": "QuadraticCost"})"));
}

TEST_CASE("files are told apart by content; .json is written as JSON; the size limit holds") {
    const TempDir dir("model_json");
    const Model m = random_model({4, 3, 2}, Activation::relu, Cost::log_likelihood, 5, true);
    save_model(dir / "a.json", m);
    save_model(dir / "b.bplm", m);
    std::ifstream json(dir / "a.json");
    CHECK(json.get() == '{');
    // Renamed, each still loads by what it holds.
    std::filesystem::rename(dir / "a.json", dir / "a.bplm");
    std::filesystem::rename(dir / "b.bplm", dir / "b.json");
    for (const char* f : {"a.bplm", "b.json"}) {
        const Model back = load_model(dir / f);
        CHECK(same_bits(back.params, m.params));
        CHECK(back.cost == m.cost);
    }
    ModelFormat format = ModelFormat::bplm;
    const std::string text = "  \n" + encode_model_json(m);
    decode_model_file(reinterpret_cast<const uint8_t*>(text.data()), text.size(), "x", &format);
    CHECK(format == ModelFormat::json);
    const uint8_t png[] = {0x89, 'P', 'N', 'G'};
    CHECK_THROWS_WITH_AS(decode_model_file(png, 4, "x.png"), doctest::Contains("x.png: not a model file"),
                         Error);
    CHECK_THROWS_WITH_AS(decode_model_file(png, 0, "e"), doctest::Contains("e: the file is empty"), Error);
    CHECK_THROWS_WITH_AS(model_format(png, max_model_file_bytes + 1, "big"),
                         doctest::Contains("at most 64 MB"), Error);
    std::ofstream(dir / "big.bplm").close();
    std::filesystem::resize_file(dir / "big.bplm", 200u << 20);  // sparse: nothing is written or read
    CHECK_THROWS_WITH_AS(load_model(dir / "big.bplm"), doctest::Contains("the file has 200 MB"), Error);
}

TEST_CASE("a model must fit the data: 784 inputs and 10 outputs for MNIST") {
    Model m = random_model({784, 30, 10}, Activation::sigmoid, Cost::quadratic, 6, true);
    CHECK_NOTHROW(check_fits(m, 784, 10, "n"));
    m.sizes = {785, 30, 10};
    CHECK_THROWS_WITH_AS(check_fits(m, 784, 10, "n"),
                         doctest::Contains("takes 785 inputs, but the images here have 784"), Error);
    m.sizes = {784, 30, 9};
    CHECK_THROWS_WITH_AS(check_fits(m, 784, 10, "n"),
                         doctest::Contains("gives 9 outputs, but the data here has 10"), Error);
    m.sizes = {2, 2, 1};
    CHECK_NOTHROW(check_fits(m, 2, 2, "xor"));
}
