// Exact resume: a training run stopped anywhere (after an epoch, or paused mid-epoch) as bytes that
// a new Trainer of the same config and data continues from as if it had never stopped: the same
// mini-batches, the same weights to the last bit (in the same build). Format "BPLR" version 1,
// little-endian:
//   magic "BPLR", u32 version (1), u32 M then M bytes: the network as a BPLM model file (model_file.hpp)
//   the run's settings that the position depends on: f32 eta, f32 lambda, u32 batch, u32 seed, u8 init
//   u32 epoch, u64 next (position in the shuffled order), u64 N then N x u32 order,
//   the RNG (Rng::State): u64 seed, u64 draws, u8 has spare, f64 spare; f64 epoch cost, f64 epoch seconds,
//   u64 epoch examples, u8 diverged, u32 CRC-32 (IEEE) of every byte before it
// Not a model file for people to pass around (that is model_file.hpp): it belongs to one build.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "config.hpp"
#include "model_file.hpp"
#include "trainer.hpp"

namespace bpl {

struct Checkpoint {
    Model model;
    Config config;  // eta, lambda, batch, seed and init as trained (the shape is model's)
    TrainerState state;
};

std::vector<uint8_t> encode_checkpoint(const Trainer& t);
// Throws Error on anything damaged: magic, version, truncation, trailing bytes, checksum, the model.
Checkpoint decode_checkpoint(const uint8_t* data, size_t n);
// Puts c into t. Throws Error, leaving t as it was, if t's config or data is not c's
// (another shape, eta, mini-batch size, seed, ... or another number of training images).
void restore_checkpoint(Trainer& t, const Checkpoint& c);

}  // namespace bpl
