// A seeded random source whose every draw is defined here, not by the standard library:
// std::normal_distribution differs between libstdc++ (native) and libc++ (WebAssembly),
// and the same seed should give the same network in both.
#pragma once
#include <cmath>
#include <cstdint>
#include <random>

namespace bpl {

class Rng {
public:
    explicit Rng(uint64_t seed) : engine_(seed), seed_(seed) {}

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(next() >> 11) * 0x1.0p-53; }

    // Uniform integer in [0, n), n > 0, without modulo bias (rejection sampling).
    uint64_t below(uint64_t n) {
        const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        uint64_t r;
        do {
            r = next();
        } while (r >= limit);
        return r % n;
    }

    // Standard normal N(0, 1) by the Box-Muller transform (one value per call, the pair's
    // second value kept for the next call).
    double normal() {
        if (has_spare_) {
            has_spare_ = false;
            return spare_;
        }
        double u1;
        do {
            u1 = uniform();
        } while (u1 <= 0.0);
        const double u2 = uniform();
        const double r = std::sqrt(-2.0 * std::log(u1));
        const double theta = 6.283185307179586 * u2;
        spare_ = r * std::sin(theta);
        has_spare_ = true;
        return r * std::cos(theta);
    }

    // Fisher-Yates shuffle, as random.shuffle in Nielsen's network.py.
    template <class T>
    void shuffle(T* v, size_t n) {
        for (size_t i = n; i > 1; --i) std::swap(v[i - 1], v[below(i)]);
    }

    // Where the stream stands: its seed and how many numbers it has drawn, and normal()'s spare.
    // A run stops and goes on exactly by restoring it (the engine replays its draws, a few
    // nanoseconds each: an epoch of MNIST draws about 50,000).
    struct State {
        uint64_t seed = 0, draws = 0;
        bool has_spare = false;
        double spare = 0.0;
    };
    State state() const { return {seed_, draws_, has_spare_, spare_}; }
    void restore(const State& s) {
        engine_.seed(s.seed);
        engine_.discard(s.draws);
        seed_ = s.seed;
        draws_ = s.draws;
        has_spare_ = s.has_spare;
        spare_ = s.spare;
    }

private:
    uint64_t next() {
        ++draws_;
        return engine_();
    }

    std::mt19937_64 engine_;
    uint64_t seed_ = 0, draws_ = 0;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace bpl
