// A seeded random source whose every draw is defined here, not by the standard library:
// std::normal_distribution differs between libstdc++ (native) and libc++ (WebAssembly),
// and the same seed should give the same network in both.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <random>
#include <sstream>
#include <string>

namespace bpl {

class Rng {
public:
    explicit Rng(uint64_t seed) : engine_(seed) {}

    // Uniform in [0, 1) with 53 random bits.
    double uniform() { return double(engine_() >> 11) * 0x1.0p-53; }

    // Uniform integer in [0, n), n > 0, without modulo bias (rejection sampling).
    uint64_t below(uint64_t n) {
        const uint64_t limit = UINT64_MAX - UINT64_MAX % n;
        uint64_t r;
        do { r = engine_(); } while (r >= limit);
        return r % n;
    }

    // Standard normal N(0, 1) by the Box-Muller transform (one value per call, the pair's
    // second value kept for the next call).
    double normal() {
        if (has_spare_) { has_spare_ = false; return spare_; }
        double u1;
        do { u1 = uniform(); } while (u1 <= 0.0);
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

    // The whole state as text (the engine's standard form, then the normal() spare), so a run
    // can stop and go on exactly. restore() returns false, changing nothing, on text it cannot read.
    std::string state() const {
        std::ostringstream out;
        uint64_t spare_bits;
        std::memcpy(&spare_bits, &spare_, sizeof spare_bits);
        out << engine_ << ' ' << int(has_spare_) << ' ' << spare_bits;
        return out.str();
    }
    bool restore(const std::string& text) {
        std::istringstream in(text);
        std::mt19937_64 engine;
        int has_spare = -1;
        uint64_t spare_bits = 0;
        in >> engine >> has_spare >> spare_bits;
        if (in.fail() || (has_spare != 0 && has_spare != 1) || !(in >> std::ws).eof()) return false;
        engine_ = engine;
        has_spare_ = has_spare == 1;
        std::memcpy(&spare_, &spare_bits, sizeof spare_);
        return true;
    }

private:
    std::mt19937_64 engine_;
    double spare_ = 0.0;
    bool has_spare_ = false;
};

}  // namespace bpl
