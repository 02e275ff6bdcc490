/* av.c — the one random number generator (av.h). */
#include "av.h"

#include <math.h>

void rng_seed(Rng *r, uint64_t seed) {
    /* splitmix64 once, so that nearby seeds give unrelated streams */
    uint64_t z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    r->s = z ? z : 0x2545F4914F6CDD1Dull;
}

uint64_t rng_next(Rng *r) {
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

float rng_uniform(Rng *r) { return (float)(rng_next(r) >> 40) / 16777216.0f; }

float rng_normal(Rng *r) {
    /* Box–Muller; 1 - u keeps the log argument in (0, 1] */
    float u1 = 1.0f - rng_uniform(r), u2 = rng_uniform(r);
    return sqrtf(-2.0f * logf(u1)) * cosf(6.28318530718f * u2);
}

int rng_below(Rng *r, int n) { return (int)((rng_next(r) >> 33) % (uint64_t)n); }
