// The first layer's SIMD kernels over columns padded to a multiple of 8 floats: the sparse input
// makes them nearly all of the training work. Internal to network.cpp; not a general BLAS.
#pragma once
#include <cstddef>
#include <cstring>

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

inline fv load(const float* p) {
    fv x;
    std::memcpy(&x, p, sizeof x);  // an unaligned load
    return x;
}

// The forward kernel: out[0, LD) = sum_k val[k] * base[idx[k] * stride + (0, LD)], i.e. a
// sample's z[0] from the columns of w[0] of its lit inputs. With LD a compile-time multiple of 8
// the accumulator stays in SIMD registers. Lanes past the real column read the next column (or
// the slack after the parameters) and are never used.
template <int LD>
inline void gather_sum(const float* __restrict base, size_t stride, const int* __restrict idx,
                const float* __restrict val, int n, float* __restrict out) {
    constexpr int V = LD / lanes;
    fv acc[V] = {};
    for (int k = 0; k < n; ++k) {
        const float* col = base + size_t(idx[k]) * stride;
        const float v = val[k];
        for (int c = 0; c < V; ++c) acc[c] += v * load(col + lanes * c);
    }
    std::memcpy(out, acc, sizeof acc);
}

// The backward kernel: y[0, ld) += v x[0, ld), ld a multiple of 8, in whole vector operations.
inline void axpy8(float* __restrict y, const float* __restrict x, float v, int ld) {
    for (int c = 0; c < ld; c += lanes) {
        const fv sum = load(y + c) + v * load(x + c);
        std::memcpy(y + c, &sum, sizeof sum);
    }
}

// y[0, ld) = v x[0, ld): a column's first term (no zeroing pass, no load of stale values).
inline void scale8(float* __restrict y, const float* __restrict x, float v, int ld) {
    for (int c = 0; c < ld; c += lanes) {
        const fv term = v * load(x + c);
        std::memcpy(y + c, &term, sizeof term);
    }
}

// gather_sum for any ld that is a multiple of 8, in slices of at most 64 lanes.
inline void gather_sum(const float* base, size_t stride, const int* idx, const float* val, int n, float* out,
                int ld) {
    int c = 0;
    for (; c + 64 <= ld; c += 64) gather_sum<64>(base + c, stride, idx, val, n, out + c);
    switch (ld - c) {
    case 8: gather_sum<8>(base + c, stride, idx, val, n, out + c); break;
    case 16: gather_sum<16>(base + c, stride, idx, val, n, out + c); break;
    case 24: gather_sum<24>(base + c, stride, idx, val, n, out + c); break;
    case 32: gather_sum<32>(base + c, stride, idx, val, n, out + c); break;
    case 40: gather_sum<40>(base + c, stride, idx, val, n, out + c); break;
    case 48: gather_sum<48>(base + c, stride, idx, val, n, out + c); break;
    case 56: gather_sum<56>(base + c, stride, idx, val, n, out + c); break;
    default: break;
    }
}

}  // namespace bpl::kernels
