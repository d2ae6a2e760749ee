// Tests of cpp/checkpoint.*: a run stopped after an epoch or mid-epoch and resumed in a new
// Trainer gives the uninterrupted run's evaluations and bit-identical weights; a checkpoint for
// another config is refused; every kind of damage is rejected with its message.
#include <doctest/doctest.h>

#include <cstring>
#include <vector>

#include "checkpoint.hpp"
#include "errors.hpp"
#include "toy_data.hpp"
#include "trainer.hpp"

using namespace bpl;

namespace {

Config config() {
    Config c;
    c.sizes = {36, 8, 3};
    c.eta = 1.0f;
    c.batch = 7;  // 400 training images: 58 mini-batches, the last one smaller
    c.epochs = 3;
    c.seed = 5;
    return c;
}

std::vector<float> params_of(const Trainer& t) { return t.network().model().params; }

bool same_bits(const std::vector<float>& x, const std::vector<float>& y) {
    return x.size() == y.size() && std::memcmp(x.data(), y.data(), 4 * x.size()) == 0;
}

void check_fails(const std::vector<uint8_t>& b, const char* text) {
    CAPTURE(text);
    CHECK_THROWS_WITH_AS(decode_checkpoint(b.data(), b.size()), doctest::Contains(text), Error);
}

uint32_t crc(const std::vector<uint8_t>& b) {  // bitwise, independent of bytes.hpp's table
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i + 4 < b.size(); ++i) {
        c ^= b[i];
        for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}
void restamp(std::vector<uint8_t>& b) {
    const uint32_t c = crc(b);
    for (int k = 0; k < 4; ++k) b[b.size() - 4 + k] = uint8_t(c >> (8 * k));
}

}  // namespace

TEST_CASE("resuming after an epoch gives the uninterrupted run, to the last bit") {
    Toy toy(480);
    Trainer straight(config(), toy.split());
    std::vector<size_t> counts;
    for (int e = 0; e < 3; ++e) counts.push_back(straight.train_epoch().test.correct);

    Trainer first(config(), toy.split());
    const size_t epoch0 = first.train_epoch().test.correct;
    const std::vector<uint8_t> saved = encode_checkpoint(first);

    Trainer resumed(config(), toy.split());  // a fresh trainer, as after a reload
    restore_checkpoint(resumed, decode_checkpoint(saved.data(), saved.size()));
    CHECK(resumed.epoch() == 1);
    const size_t epoch1 = resumed.train_epoch().test.correct;
    const size_t epoch2 = resumed.train_epoch().test.correct;
    CHECK(std::vector<size_t>{epoch0, epoch1, epoch2} == counts);
    CHECK(same_bits(params_of(resumed), params_of(straight)));
}

TEST_CASE("resuming mid-epoch, paused after a few mini-batches, gives the same run too") {
    Toy toy(480);
    Trainer straight(config(), toy.split());
    straight.train_epoch();
    const EpochResult end = straight.train_epoch();

    Trainer paused(config(), toy.split());
    paused.train_epoch();
    paused.train_batches(13);
    const std::vector<uint8_t> saved = encode_checkpoint(paused);
    Trainer resumed(config(), toy.split());
    restore_checkpoint(resumed, decode_checkpoint(saved.data(), saved.size()));
    CHECK(resumed.batch_in_epoch() == 13);
    const EpochResult r = resumed.train_epoch();
    CHECK(r.test.correct == end.test.correct);
    // The epoch's cost includes the 13 mini-batches before the pause (summed in another order).
    CHECK(r.train_cost == doctest::Approx(end.train_cost).epsilon(1e-12));
    CHECK(same_bits(params_of(resumed), params_of(straight)));
}

TEST_CASE("a checkpoint is refused by a trainer of another config, which stays as it was") {
    Toy toy(480);
    Trainer t(config(), toy.split());
    t.train_epoch();
    const std::vector<uint8_t> saved = encode_checkpoint(t);
    const Checkpoint c = decode_checkpoint(saved.data(), saved.size());
    for (auto change :
         {+[](Config& x) { x.eta = 0.5f; }, +[](Config& x) { x.batch = 8; }, +[](Config& x) { x.seed = 6; },
          +[](Config& x) {
              x.sizes = {36, 9, 3};
          }}) {
        Config other = config();
        change(other);
        Trainer fresh(other, toy.split());
        const std::vector<float> before = params_of(fresh);
        CHECK_THROWS_WITH_AS(restore_checkpoint(fresh, c), doctest::Contains("trained with another"), Error);
        CHECK(fresh.epoch() == 0);
        CHECK(same_bits(params_of(fresh), before));
    }
    Toy other_data(600);
    Trainer fresh(config(), other_data.split());
    CHECK_THROWS_WITH_AS(restore_checkpoint(fresh, c), doctest::Contains("training images"), Error);
}

TEST_CASE("damaged checkpoints are rejected with their message") {
    Toy toy(480);
    Trainer t(config(), toy.split());
    t.train_batches(3);
    const std::vector<uint8_t> good = encode_checkpoint(t);
    REQUIRE_NOTHROW(decode_checkpoint(good.data(), good.size()));

    std::vector<uint8_t> b = good;
    b[0] = 'X';
    check_fails(b, "not a Backprop Lab checkpoint");
    b = good;
    b[4] = 2;
    check_fails(b, "version 2");
    b = good;
    b[good.size() / 2] ^= 1;
    check_fails(b, "checksum");
    b.assign(good.begin(), good.begin() + long(good.size() - 9));
    check_fails(b, "checksum");
    b.assign(good.begin(), good.begin() + long(good.size() - 9));
    restamp(b);  // cut off and re-stamped: the structure fails
    check_fails(b, "truncated");
    b = good;
    b.insert(b.end() - 4, {0, 0, 0});
    restamp(b);
    check_fails(b, "unexpected bytes");
    // The shuffle stored is not a permutation: the restore refuses it (decoding cannot tell).
    b = good;
    const size_t model = 12 + size_t(b[8] | b[9] << 8 | b[10] << 16 | b[11] << 24);
    const size_t order = model + 17 + 4 + 8 + 8;  // settings, epoch, next, N
    b[order] = b[order + 4];
    b[order + 1] = b[order + 5];
    b[order + 2] = b[order + 6];
    b[order + 3] = b[order + 7];
    restamp(b);
    const Checkpoint c = decode_checkpoint(b.data(), b.size());
    Trainer fresh(config(), toy.split());
    CHECK_THROWS_WITH_AS(restore_checkpoint(fresh, c), doctest::Contains("not a permutation"), Error);
}

TEST_CASE("the random-number state survives: seed and draws replayed, the normal spare kept") {
    Rng a(42);
    a.normal();  // leaves the Box-Muller spare
    a.below(17);
    Rng b(7);
    b.restore(a.state());
    for (int i = 0; i < 5; ++i) CHECK(a.normal() == b.normal());
    CHECK(a.below(1000) == b.below(1000));
    CHECK(a.state().draws == b.state().draws);
}
