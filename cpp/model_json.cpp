// network2.py's JSON (model_json.hpp): the writer, and a reader that takes nlohmann/json's parse
// events (SAX) and checks each list's shape as it arrives, so a file is read in one pass without a
// document tree (a 64 MB file would need several times that as one) and every message names the
// list at fault, e.g. "weights[1][3] has 29 numbers; ...".
// Not the BPLM format (model_file.cpp).
#include "model_json.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <map>
#include <set>
#include <vector>

#include <nlohmann/json.hpp>

#include "errors.hpp"

namespace bpl {

namespace {

// float as the number type: the lexer reads a decimal straight to the nearest float32 (no double
// rounding on the way). Only the parser and the float formatter are used: the writer is a few
// lines here, and nlohmann's serialiser would add to the module every page downloads.
using Json =
    nlohmann::basic_json<std::map, std::vector, std::string, bool, std::int64_t, std::uint64_t, float>;

const char* network2_cost(Cost c) { return c == Cost::quadratic ? "QuadraticCost" : "CrossEntropyCost"; }

std::string note_for(const Model& m) {
    std::string note =
        "Written by Backprop Lab in network2.py's format: network2.load() reads sizes, weights, biases "
        "and cost. The keys activation and output are the lab's; network2.py ignores them";
    switch (m.activation) {
        case Activation::sigmoid:
            if (m.cost == Cost::log_likelihood)
                return note + ". This network's output layer is a softmax (trained with the log-likelihood "
                              "cost), which network2.py reads as sigmoid with cross-entropy: its answers "
                              "(the largest output) are the same, the output activations are not.";
            return note + ", which is right for this network: every layer is sigmoid.";
        case Activation::step:
            return note + ". WARNING: this network is made of step units (perceptrons) on every layer; "
                          "network2.py would compute sigmoids and give other answers.";
        default:
            return note + ". WARNING: this network's hidden layers are " + name(m.activation) +
                   ", not sigmoid; network2.py's feedforward would use sigmoid and give wrong answers. "
                   "Apply " +
                   name(m.activation) + " to the hidden layers (README, network2.py JSON).";
    }
}

// The shortest text that reads back to the same float32 (Grisu2, nlohmann's to_chars: ".0" on a
// whole number, so numpy reads every list as floats; an exponent for very large or small values).
// 0.3 microseconds a number natively; printf-and-check loops took 30 in WebAssembly.
std::string number_text(float v) {
    char buf[32];
    char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, size_t(end - buf));
}

// The events of one network2.py JSON object. Values of keys it does not know are skipped.
class NetworkReader : public nlohmann::json_sax<Json> {
public:
    explicit NetworkReader(std::string name) : name_(std::move(name)) {}

    // What was read, the shapes not yet checked against sizes (finish() does).
    std::vector<int> sizes;
    std::vector<std::vector<std::vector<float>>> w;  // w[l][i][j], as in the file
    std::vector<std::vector<float>> b;               // b[l][i]
    std::string cost, activation, output;
    bool seen_sizes = false, seen_weights = false, seen_biases = false;

    bool null() override { return scalar("null"); }
    bool boolean(bool) override { return scalar("true or false"); }
    bool number_integer(number_integer_t v) override { return number(double(v), true); }
    bool number_unsigned(number_unsigned_t v) override { return number(double(v), true); }
    bool number_float(number_float_t v, const string_t&) override { return number(double(v), false); }
    bool string(string_t& s) override {
        if (skipping()) return skipped_scalar();
        if (depth_ == 0)
            throw fail("not a network: the JSON is a string, not an object with sizes, weights and biases");
        if (!counts_.empty()) throw fail(at() + " is a string, not a number");
        switch (field_) {
            case Field::cost: cost = s; break;
            case Field::activation: activation = s; break;
            case Field::output: output = s; break;
            case Field::note: break;
            default: throw fail("\"" + key_ + "\" is a string; it must be a list");
        }
        field_ = Field::none;
        return true;
    }
    bool binary(binary_t&) override { return scalar("binary"); }

    bool start_object(std::size_t) override {
        if (skipping()) return ++skip_, true;
        if (depth_ == 0) return depth_ = 1, true;
        throw fail((counts_.empty() ? "\"" + key_ + "\"" : at()) + " is an object; " + expected());
    }
    bool end_object() override {
        if (skip_ > 0) return --skip_ == 0 ? done_skipping() : true;
        depth_ = 0;  // the top object: nothing may follow (the parser checks)
        return true;
    }
    bool key(string_t& k) override {
        if (skip_ > 0) return true;
        key_ = k;
        static const std::map<std::string, Field> fields = {
            {"sizes", Field::sizes}, {"weights", Field::weights},       {"biases", Field::biases},
            {"cost", Field::cost},   {"activation", Field::activation}, {"output", Field::output},
            {"note", Field::note}};
        const auto f = fields.find(k);
        field_ = f == fields.end() ? Field::other : f->second;
        if (field_ != Field::other && !seen_keys_.insert(k).second)
            throw fail("the key \"" + k + "\" appears twice");
        if (field_ == Field::sizes) seen_sizes = true;
        if (field_ == Field::weights) seen_weights = true;
        if (field_ == Field::biases) seen_biases = true;
        return true;
    }

    bool start_array(std::size_t) override {
        if (skipping()) return ++skip_, true;
        if (depth_ == 0)
            throw fail("not a network: the JSON is a list, not an object with sizes, weights and biases");
        const size_t level = counts_.size();  // 0: the key's own list
        const bool ok = (field_ == Field::sizes && level == 0) || (field_ == Field::weights && level <= 2) ||
                        (field_ == Field::biases && level <= 2);
        if (!ok) throw fail((level == 0 ? "\"" + key_ + "\"" : at()) + " is a list; " + expected());
        if (field_ == Field::weights && level == 1) w.emplace_back();
        if (field_ == Field::weights && level == 2) w.back().emplace_back();
        if (field_ == Field::biases && level == 1) b.emplace_back();
        if (field_ == Field::biases && level == 2) column_start_ = b.back().size();
        counts_.push_back(0);
        return true;
    }
    bool end_array() override {
        if (skip_ > 0) return --skip_ == 0 ? done_skipping() : true;
        if (field_ == Field::biases && counts_.size() == 3 && counts_.back() != 1) {
            counts_.pop_back();
            throw fail(at() + " holds " + std::to_string(b.back().size() - column_start_) +
                       " numbers; a bias is one number, or a list of one number as b.tolist() writes it");
        }
        counts_.pop_back();
        element_done();
        if (counts_.empty()) field_ = Field::none;
        return true;
    }

    bool parse_error(std::size_t position, const std::string& last_token,
                     const nlohmann::detail::exception& e) override {
        const std::string where = depth_ > 0 && !counts_.empty() ? at() : "byte " + std::to_string(position);
        if (e.id == 406)  // a number beyond float32: the lexer's strtof overflowed
            throw fail(where + " is beyond the range of a float32 (about 3.4e38): the network diverged?");
        // Python's json.dump writes NaN, Infinity and -Infinity, which JSON does not have.
        std::string token = last_token.substr(last_token.find_last_of(" ,[:") + 1);
        if (!token.empty() && token[0] == '-') token.erase(0, 1);
        if (!token.empty() && std::strchr("NnIi", token[0]))
            throw fail(where + " is NaN or Infinity, which no network can hold (it diverged?); "
                               "JSON has no such numbers");
        std::string why = e.what();
        const size_t colon = why.find("syntax error");
        if (colon != std::string::npos) why = why.substr(colon);
        throw fail("not valid JSON at byte " + std::to_string(position) + ": " + why);
    }

    Error fail(const std::string& what) const { return Error(name_ + ": " + what); }

private:
    enum class Field { none, sizes, weights, biases, cost, activation, output, note, other };

    bool skipping() const { return field_ == Field::other || skip_ > 0; }
    bool skipped_scalar() { return skip_ == 0 ? done_skipping() : true; }
    bool done_skipping() {
        field_ = Field::none;
        return true;
    }
    void element_done() {
        if (!counts_.empty()) ++counts_.back();
    }

    // The list element arriving now, e.g. weights[1][3][7].
    std::string at() const {
        std::string s = key_;
        for (size_t c : counts_) s += "[" + std::to_string(c) + "]";
        return s;
    }
    std::string expected() const {
        switch (field_) {
            case Field::sizes: return "sizes is a list of whole numbers such as [784, 30, 10]";
            case Field::weights: return "weights is a list of matrices, each a list of rows of numbers";
            case Field::biases: return "biases is a list of columns, each a list of one-element lists";
            default: return "\"" + key_ + "\" must be a string";
        }
    }

    bool scalar(const char* kind) {
        if (skipping()) return skipped_scalar();
        if (depth_ == 0) throw fail(std::string("not a network: the JSON is ") + kind + ", not an object");
        throw fail((counts_.empty() ? "\"" + key_ + "\"" : at()) + " is " + kind + "; " + expected());
    }

    bool number(double v, bool integer) {
        if (skipping()) return skipped_scalar();
        if (depth_ == 0)
            throw fail("not a network: the JSON is a number, not an object with sizes, weights and biases");
        const size_t level = counts_.size();
        const bool place = (field_ == Field::sizes && level == 1) ||
                           (field_ == Field::weights && level == 3) ||
                           (field_ == Field::biases && (level == 2 || level == 3));
        if (!place) throw fail((level == 0 ? "\"" + key_ + "\"" : at()) + " is a number; " + expected());
        if (field_ == Field::sizes) {
            if (!integer || v < 1 || v > max_layer_size)
                throw fail(at() + " is " + number_text(float(v)) + "; a layer has 1 to " +
                           std::to_string(max_layer_size) + " neurons");
            sizes.push_back(int(v));
        } else {
            if (!std::isfinite(v) || std::fabs(v) > double(std::numeric_limits<float>::max()))
                throw fail(at() + " is beyond the range of a float32 (about 3.4e38): the network diverged?");
            (field_ == Field::weights ? w.back().back() : b.back()).push_back(float(v));
        }
        element_done();
        return true;
    }

    std::string name_;
    Field field_ = Field::none;
    std::string key_;
    int depth_ = 0;               // 1 inside the top-level object
    std::vector<size_t> counts_;  // elements done in each open list of the current key's value
    int skip_ = 0;                // open lists and objects of a skipped value
    size_t column_start_ = 0;     // where the bias list now open began in b.back()
    std::set<std::string> seen_keys_;
};

Model finish(const NetworkReader& r) {
    auto fail = [&](const std::string& what) { return r.fail(what); };
    if (!r.seen_sizes || !r.seen_weights || !r.seen_biases)
        throw fail(std::string("not a network2.py network: the key \"") +
                   (!r.seen_sizes     ? "sizes"
                    : !r.seen_weights ? "weights"
                                      : "biases") +
                   "\" is missing");
    Model m;
    m.sizes = r.sizes;
    const size_t L = m.sizes.size();
    if (L < 2 || L > size_t(max_layers))
        throw fail("sizes has " + std::to_string(L) + " layers; a network has 2 to " +
                   std::to_string(max_layers));
    const std::string shape = "[" + format_sizes(m.sizes) + "]";
    if (r.w.size() != L - 1 || r.b.size() != L - 1)
        throw fail((r.w.size() != L - 1 ? "weights has " + std::to_string(r.w.size())
                                        : "biases has " + std::to_string(r.b.size())) +
                   " layers, but sizes " + shape + " need " + std::to_string(L - 1));
    for (size_t l = 0; l + 1 < L; ++l) {
        const size_t rows = size_t(m.sizes[l + 1]), cols = size_t(m.sizes[l]);
        const std::string layer = "[" + std::to_string(l) + "]";
        if (r.w[l].size() != rows)
            throw fail("weights" + layer + " has " + std::to_string(r.w[l].size()) + " rows, but sizes " +
                       shape + " need " + std::to_string(rows) + " (one per neuron of layer " +
                       std::to_string(l + 1) + ")");
        for (size_t i = 0; i < rows; ++i)
            if (r.w[l][i].size() != cols)
                throw fail("weights" + layer + "[" + std::to_string(i) + "] has " +
                           std::to_string(r.w[l][i].size()) + " numbers, but sizes " + shape + " need " +
                           std::to_string(cols) + " (one per neuron of layer " + std::to_string(l) + ")");
        if (r.b[l].size() != rows)
            throw fail("biases" + layer + " has " + std::to_string(r.b[l].size()) + " numbers, but sizes " +
                       shape + " need " + std::to_string(rows));
    }
    if (r.cost.empty()) throw fail("not a network2.py network: the key \"cost\" is missing");
    if (r.cost != "QuadraticCost" && r.cost != "CrossEntropyCost")
        throw fail("unknown cost \"" + r.cost + "\": network2.py's are QuadraticCost and CrossEntropyCost");
    const std::string activation = r.activation.empty() ? "sigmoid" : r.activation;
    const std::string output = r.output.empty() ? (activation == "step" ? "step" : "sigmoid") : r.output;
    if (activation != "sigmoid" && activation != "tanh" && activation != "relu" && activation != "step")
        throw fail("unknown activation \"" + activation + "\": sigmoid, tanh, relu or step");
    if (output != "sigmoid" && output != "softmax" && output != "step")
        throw fail("unknown output \"" + output + "\": sigmoid, softmax or step");
    if ((activation == "step") != (output == "step"))
        throw fail("step units go on every layer: activation and output are both \"step\" or neither");
    if (output == "softmax" && r.cost != "CrossEntropyCost")
        throw fail("a softmax output is trained with the log-likelihood cost, written \"cost\": "
                   "\"CrossEntropyCost\"");
    m.activation = parse_activation(activation);
    m.cost = output == "softmax"         ? Cost::log_likelihood
             : r.cost == "QuadraticCost" ? Cost::quadratic
                                         : Cost::cross_entropy;
    // The lab's layout (model_file.hpp): per layer w column-major, then b.
    m.params.reserve(param_count(m.sizes));
    for (size_t l = 0; l + 1 < L; ++l) {
        const size_t rows = size_t(m.sizes[l + 1]), cols = size_t(m.sizes[l]);
        for (size_t j = 0; j < cols; ++j)
            for (size_t i = 0; i < rows; ++i) m.params.push_back(r.w[l][i][j]);
        m.params.insert(m.params.end(), r.b[l].begin(), r.b[l].end());
    }
    return m;
}

}  // namespace

std::string encode_model_json(const Model& m) {
    check_savable(m);
    std::string out = "{\"sizes\": [";
    for (size_t l = 0; l < m.sizes.size(); ++l) out += (l ? ", " : "") + std::to_string(m.sizes[l]);
    out += "], \"weights\": [";
    size_t at = 0;
    std::vector<size_t> b_at;
    for (size_t l = 0; l + 1 < m.sizes.size(); ++l) {
        const size_t rows = size_t(m.sizes[l + 1]), cols = size_t(m.sizes[l]);
        out += l ? ", [" : "[";
        for (size_t i = 0; i < rows; ++i) {
            out += i ? ", [" : "[";
            for (size_t j = 0; j < cols; ++j) {
                if (j) out += ", ";
                out += number_text(m.params[at + j * rows + i]);
            }
            out += "]";
        }
        out += "]";
        at += rows * cols;
        b_at.push_back(at);
        at += rows;
    }
    out += "], \"biases\": [";
    for (size_t l = 0; l + 1 < m.sizes.size(); ++l) {
        out += l ? ", [" : "[";
        for (int i = 0; i < m.sizes[l + 1]; ++i)
            out += (i ? ", [" : "[") + number_text(m.params[b_at[l] + size_t(i)]) + "]";
        out += "]";
    }
    const char* output = m.activation == Activation::step ? "step"
                         : m.cost == Cost::log_likelihood ? "softmax"
                                                          : "sigmoid";
    out += std::string("], \"cost\": \"") + network2_cost(m.cost) + "\", \"activation\": \"" +
           name(m.activation) + "\", \"output\": \"" + output + "\", \"note\": \"" + note_for(m) +
           "\"}\n";  // plain ASCII, no quotes
    return out;
}

Model decode_model_json(const uint8_t* data, size_t n, const std::string& name) {
    NetworkReader reader(name);
    if (!Json::sax_parse(data, data + n, &reader))
        throw reader.fail("not valid JSON");  // parse_error throws first; this is the fallback
    return finish(reader);
}

}  // namespace bpl
