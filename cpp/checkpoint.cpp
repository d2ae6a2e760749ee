// The "BPLR" checkpoint of checkpoint.hpp: an encoder and a decoder that trusts no byte (the
// bytes come back from the browser's storage), and the check that a trainer is the one to resume.
#include "checkpoint.hpp"

#include <cstring>
#include <string>

#include "bytes.hpp"
#include "errors.hpp"

namespace bpl {

using namespace bytes;

namespace {

constexpr uint8_t magic[4] = {'B', 'P', 'L', 'R'};
constexpr uint32_t version = 1;

// Reads the fields in order; every read checks that the bytes are there.
class Reader {
public:
    Reader(const uint8_t* p, size_t n) : p_(p), n_(n) {}
    const uint8_t* take(uint64_t bytes, const char* what) {
        if (bytes > n_ - at_)
            throw Error(std::string("the saved run is truncated (") + what + " is cut off)");
        const uint8_t* q = p_ + at_;
        at_ += size_t(bytes);
        return q;
    }
    uint64_t le(int bytes, const char* what) { return get_le(take(uint64_t(bytes), what), bytes); }
    size_t at() const { return at_; }

private:
    const uint8_t* p_;
    size_t n_, at_ = 0;
};

}  // namespace

std::vector<uint8_t> encode_checkpoint(const Trainer& t) {
    const std::vector<uint8_t> model = encode_model(t.network().model());
    const Config& c = t.config();
    const TrainerState s = t.state();
    std::vector<uint8_t> out;
    out.reserve(96 + model.size() + 4 * s.order.size());
    for (uint8_t ch : magic) put_u8(out, ch);
    put_u32(out, version);
    put_u32(out, uint32_t(model.size()));
    out.insert(out.end(), model.begin(), model.end());
    put_f32(out, c.eta);
    put_f32(out, c.lambda);
    put_u32(out, uint32_t(c.batch));
    put_u32(out, c.seed);
    put_u8(out, uint8_t(c.init));
    put_u32(out, uint32_t(s.epoch));
    put_u64(out, s.next);
    put_u64(out, s.order.size());
    for (uint32_t i : s.order) put_u32(out, i);
    put_u64(out, s.rng.seed);
    put_u64(out, s.rng.draws);
    put_u8(out, s.rng.has_spare ? 1 : 0);
    put_f64(out, s.rng.spare);
    put_f64(out, s.epoch_cost);
    put_f64(out, s.epoch_seconds);
    put_u64(out, s.epoch_examples);
    put_u8(out, s.diverged ? 1 : 0);
    put_u32(out, crc32(out.data(), out.size()));
    return out;
}

Checkpoint decode_checkpoint(const uint8_t* data, size_t n) {
    if (n < 12 || std::memcmp(data, magic, 4) != 0)
        throw Error("the saved run is not a Backprop Lab checkpoint");
    if (get_le(data + 4, 4) != version)
        throw Error("the saved run is of checkpoint version " + std::to_string(get_le(data + 4, 4)) +
                    "; this build reads version " + std::to_string(version));
    if (crc32(data, n - 4) != uint32_t(get_le(data + n - 4, 4)))
        throw Error("the saved run is damaged (checksum)");
    Reader r(data, n - 4);
    r.take(8, "the header");
    Checkpoint c;
    const uint64_t m = r.le(4, "the model's size");
    c.model = decode_model(r.take(m, "the model"), size_t(m), "the saved run's network");
    c.config.sizes = c.model.sizes;
    c.config.activation = c.model.activation;
    c.config.cost = c.model.cost;
    c.config.eta = get_f32(r.take(4, "eta"));
    c.config.lambda = get_f32(r.take(4, "lambda"));
    c.config.batch = int(r.le(4, "the mini-batch size"));
    c.config.seed = uint32_t(r.le(4, "the seed"));
    const uint64_t init = r.le(1, "the initialisation");
    if (init > uint64_t(Init::scaled)) throw Error("the saved run's initialisation code is unknown");
    c.config.init = Init(init);
    TrainerState& s = c.state;
    s.epoch = int(r.le(4, "the epoch"));
    s.next = r.le(8, "the position");
    const uint64_t count = r.le(8, "the shuffle's size");
    if (count > (n >> 2)) throw Error("the saved run is truncated (the shuffle is cut off)");
    const uint8_t* order = r.take(4 * count, "the shuffle");
    s.order.resize(size_t(count));
    for (size_t i = 0; i < s.order.size(); ++i) s.order[i] = uint32_t(get_le(order + 4 * i, 4));
    s.rng.seed = r.le(8, "the random-number seed");
    s.rng.draws = r.le(8, "the random-number position");
    const uint64_t spare = r.le(1, "the random-number spare");
    if (spare > 1) throw Error("the saved run's random-number state is damaged");
    s.rng.has_spare = spare == 1;
    s.rng.spare = get_f64(r.take(8, "the random-number spare"));
    s.epoch_cost = get_f64(r.take(8, "the epoch's cost"));
    s.epoch_seconds = get_f64(r.take(8, "the epoch's time"));
    s.epoch_examples = r.le(8, "the epoch's examples");
    const uint64_t diverged = r.le(1, "the divergence flag");
    if (diverged > 1) throw Error("the saved run's divergence flag is damaged");
    s.diverged = diverged == 1;
    if (r.at() != n - 4)
        throw Error("the saved run has " + std::to_string(n - 4 - r.at()) + " unexpected bytes");
    return c;
}

void restore_checkpoint(Trainer& t, const Checkpoint& c) {
    const Config& now = t.config();
    const Config& then = c.config;
    auto differs = [](const std::string& what) {
        throw Error("the saved run was trained with another " + what + " than this network's");
    };
    if (now.sizes != then.sizes) differs("shape (" + format_sizes(then.sizes) + ")");
    if (now.activation != then.activation || now.cost != then.cost) differs("activation or cost");
    if (now.eta != then.eta) differs("eta");
    if (now.lambda != then.lambda) differs("lambda");
    if (now.batch != then.batch) differs("mini-batch size");
    if (now.seed != then.seed || now.init != then.init) differs("seed or initialisation");
    t.restore(c.state);  // checks the state before it changes anything
    t.set_params(c.model.params.data());
}

}  // namespace bpl
