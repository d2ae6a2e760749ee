// The network's SIMD kernels, over columns padded to a multiple of 8 floats: the products of the
// sparse first layer (nearly all of the training work) and of small later layers, the sigmoid,
// and pixel bytes to floats. Internal to network.cpp; not a general BLAS.
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

namespace bpl::kernels {

// A SIMD register of floats as one value (GCC/Clang vector extension): 8 lanes with AVX, else 4
// (SSE, and SIMD128 in WebAssembly). Written explicitly because auto-vectorisers pick the wrong
// loop here (gathers) or leave a scalar tail (30 hidden neurons = 3 x 8 + 6), which costs as much
// as the rest. Columns are padded to a multiple of 8, so either width divides them.
#if defined(__AVX__) || defined(__wasm__)  // wasm: pairs of SIMD128 ops schedule better
constexpr int lanes = 8;
#else
constexpr int lanes = 4;
#endif
typedef float fv __attribute__((vector_size(lanes * sizeof(float))));

typedef int iv __attribute__((vector_size(lanes * sizeof(int))));

inline fv load(const float* p) {
    fv x;
    std::memcpy(&x, p, sizeof x);  // an unaligned load
    return x;
}

inline void store(float* p, const fv& x) { std::memcpy(p, &x, sizeof x); }

// a * b + c. In the relaxed-SIMD build (clang-19, -mrelaxed-simd) each SIMD128 half is one
// f32x4.relaxed_madd, which the browser may fuse (one rounding, on CPUs with FMA) or not: the
// two modules round differently, but each one always the same way on one machine. Elsewhere a
// multiply and an add, which native compilers contract to FMA where the CPU has it.
#if defined(__wasm_relaxed_simd__)
typedef float f4 __attribute__((vector_size(4 * sizeof(float))));
static_assert(lanes == 8, "the relaxed madd below takes two SIMD128 halves");
inline fv madd(const fv& a, const fv& b, const fv& c) {
    const f4 lo = __builtin_wasm_relaxed_madd_f32x4(__builtin_shufflevector(a, a, 0, 1, 2, 3),
                                                    __builtin_shufflevector(b, b, 0, 1, 2, 3),
                                                    __builtin_shufflevector(c, c, 0, 1, 2, 3));
    const f4 hi = __builtin_wasm_relaxed_madd_f32x4(__builtin_shufflevector(a, a, 4, 5, 6, 7),
                                                    __builtin_shufflevector(b, b, 4, 5, 6, 7),
                                                    __builtin_shufflevector(c, c, 4, 5, 6, 7));
    return __builtin_shufflevector(lo, hi, 0, 1, 2, 3, 4, 5, 6, 7);
}
#else
inline fv madd(const fv& a, const fv& b, const fv& c) { return a * b + c; }
#endif

// Unrolls the loop that follows whole under clang: without it clang-19 keeps a kernel's
// accumulator array in memory rather than in registers. GCC unrolls these loops by itself.
#if defined(__clang__)
#define BPL_UNROLL _Pragma("clang loop unroll(full)")
#else
#define BPL_UNROLL
#endif

// The forward kernel: out[0, LD) = sum_k val[k] * base[idx[k] * stride + (0, LD)], i.e. a
// sample's z[0] from the columns of w[0] of its lit inputs. With LD a compile-time multiple of 8
// the accumulator stays in SIMD registers. Lanes past the real column read the next column (or
// the slack after the parameters) and are never used.
template <int LD>
inline void gather_sum(const float* __restrict base, size_t stride, const int* __restrict idx,
                       const float* __restrict val, int n, float* __restrict out) {
    constexpr size_t V = LD / lanes;  // size_t: lanes * c below is a pointer offset
    fv acc[V] = {};
    for (int k = 0; k < n; ++k) {
        const float* col = base + size_t(idx[k]) * stride;
        const fv v = fv{} + val[k];
        BPL_UNROLL for (size_t c = 0; c < V; ++c) acc[c] = madd(v, load(col + lanes * c), acc[c]);
    }
    std::memcpy(out, acc, sizeof acc);
}

// The backward kernel: base[idx[k] * stride + (0, LD)] = val[k] * x[0, LD) + (the column if
// keep[k], else 0) for k < n, i.e. a sample's delta[0] x(j) added to, or stored as the first term
// of, the gradient columns of its lit inputs j. keep[k] is a bit mask (~0 or 0): no branch, and a
// stale column's bits (even a NaN) are masked away. x is held in registers.
template <int LD>
inline void scatter_add(float* __restrict base, size_t stride, const int* __restrict idx,
                        const float* __restrict val, const int* __restrict keep, int n,
                        const float* __restrict x) {
    constexpr size_t V = LD / lanes;  // size_t: lanes * c below is a pointer offset
    fv xr[V];
    for (size_t c = 0; c < V; ++c) xr[c] = load(x + lanes * c);
    for (int k = 0; k < n; ++k) {
        float* col = base + size_t(idx[k]) * stride;
        const fv v = fv{} + val[k];
        const iv mask = iv{} + keep[k];
        BPL_UNROLL for (size_t c = 0; c < V; ++c) {
            const fv old = (fv)((iv)load(col + lanes * c) & mask);
            store(col + lanes * c, madd(v, xr[c], old));
        }
    }
}

// Bytes from[0, lanes) as ints, spelled as one initializer: GCC and Clang both make it a single
// widening load (each scalarises another spelling: a loop over lanes, __builtin_convertvector).
template <size_t... I>
inline iv widen(const uint8_t* from, std::index_sequence<I...>) {
    return iv{from[I]...};
}

// to[p] = from[p] / 255 for n bytes: pixel bytes to floats in [0, 1]. Written out because
// LLVM's auto-vectoriser converts bytes to floats lane by lane in WebAssembly. A byte b becomes
// the float 2^23 + b by its bits, so b itself is exact after subtracting 2^23.
inline fv unit_floats(const uint8_t* from) {
    const iv bits = widen(from, std::make_index_sequence<lanes>()) | 0x4B000000;  // 2^23 + b
    return ((fv)bits - 8388608.0f) / 255.0f;
}

inline void unit_floats(const uint8_t* __restrict from, float* __restrict to, int n) {
    int p = 0;
    for (; p + lanes <= n; p += lanes) store(to + p, unit_floats(from + p));
    if (p == n) return;
    uint8_t tail[lanes] = {};  // constant-length loops: no memcpy call per image
    for (int q = 0; q < lanes; ++q)
        if (p + q < n) tail[q] = from[p + q];
    const fv last = unit_floats(tail);
    for (int q = 0; q < lanes; ++q)
        if (p + q < n) to[p + q] = last[q];
}

// exp(x) for x in [-87.3, 0] (smaller x is taken as -87.3: exp is then 1e-38, not 0; NaN stays
// NaN, so a diverging network still shows it), to about 1 ulp: Cephes' expf, as Eigen's
// vectorised exp, for targets Eigen has no SIMD path for (WebAssembly). x = n ln2 + r with
// n = round(x / ln2), exp(r) by a polynomial, 2^n by bits.
inline fv exp_nonpositive(fv x) {
    const fv lo = fv{} - 87.3f;
    const iv below = x < lo;  // false for NaN
    x = (fv)(((iv)x & ~below) | ((iv)lo & below));
    const fv magic = fv{} + 12582912.0f;  // 1.5 * 2^23: adding it rounds to an integer
    const fv shifted = x * 1.44269504088896341f + magic;
    const fv n = shifted - magic;
    const fv r = x - n * 0.693359375f - n * -2.12194440e-4f;
    fv p = fv{} + 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * r * r + r + 1.0f;
    const iv two_n = ((iv)shifted - (iv)magic + 127) << 23;  // 2^n: n + 127 in the exponent bits
    return p * (fv)two_n;
}

// a = sigmoid(z) and fp = sigmoid'(z) for a register of z, through t = exp(-|z|), one exp per
// neuron: a = 1/(1+t) for z >= 0, t/(1+t) below; f' = t/(1+t)^2. That f' stays exact where a
// rounds to 1 (z > 17); a (1 - a) would be 0 there and a saturated neuron could never recover.
inline void sigmoid(const fv& z, fv& a, fv& fp) {
    const fv t = exp_nonpositive((fv)((iv)z | (iv{} + INT32_MIN)));  // -|z|: the sign bit set
    const fv inv = 1.0f / (1.0f + t);
    const iv positive = z >= fv{};
    a = (fv)(((iv)inv & positive) | ((iv)(t * inv) & ~positive));
    fp = t * inv * inv;
}

// sigmoid over n floats: whole registers, then the tail through a zero-padded register.
inline void sigmoid(const float* z, float* a, float* fp, size_t n) {
    size_t i = 0;
    fv av, fpv;
    for (; i + lanes <= n; i += lanes) {
        sigmoid(load(z + i), av, fpv);
        store(a + i, av);
        store(fp + i, fpv);
    }
    if (i == n) return;
    fv tail = {};
    std::memcpy(&tail, z + i, (n - i) * sizeof(float));
    sigmoid(tail, av, fpv);
    std::memcpy(a + i, &av, (n - i) * sizeof(float));
    std::memcpy(fp + i, &fpv, (n - i) * sizeof(float));
}

// Calls f(std::integral_constant<int, LD>(), c) for slices [c, c + LD) of at most 64 lanes that
// cover [0, ld), ld a multiple of 8: the kernels above for any column height.
template <class F>
inline void in_slices(int ld, F&& f) {
    int c = 0;
    for (; c + 64 <= ld; c += 64) f(std::integral_constant<int, 64>(), c);
    switch (ld - c) {
        case 8: f(std::integral_constant<int, 8>(), c); break;
        case 16: f(std::integral_constant<int, 16>(), c); break;
        case 24: f(std::integral_constant<int, 24>(), c); break;
        case 32: f(std::integral_constant<int, 32>(), c); break;
        case 40: f(std::integral_constant<int, 40>(), c); break;
        case 48: f(std::integral_constant<int, 48>(), c); break;
        case 56: f(std::integral_constant<int, 56>(), c); break;
        default: break;
    }
}

inline void gather_sum(const float* base, size_t stride, const int* idx, const float* val, int n, float* out,
                       int ld) {
    in_slices(ld, [&](auto width, int c) {
        gather_sum<decltype(width)::value>(base + c, stride, idx, val, n, out + c);
    });
}

// Columns of up to 64 lanes go through the register kernel above; taller ones are walked whole,
// one after the other, which the hardware prefetcher follows (slices of them would not be).
inline void scatter_add(float* __restrict base, size_t stride, const int* __restrict idx,
                        const float* __restrict val, const int* __restrict keep, int n,
                        const float* __restrict x, int ld) {
    if (ld <= 64) {
        in_slices(ld, [&](auto width, int c) {
            scatter_add<decltype(width)::value>(base + c, stride, idx, val, keep, n, x + c);
        });
        return;
    }
    for (int k = 0; k < n; ++k) {
        float* col = base + size_t(idx[k]) * stride;
        const fv v = fv{} + val[k];
        const iv mask = iv{} + keep[k];
        for (int c = 0; c < ld; c += lanes)
            store(col + c, madd(v, load(x + c), (fv)((iv)load(col + c) & mask)));
    }
}

}  // namespace bpl::kernels
