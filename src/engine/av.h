/* av.h — what every engine file shares: the size legend, error strings and
 * the one random number generator.
 *
 * Size letters, used in every shape comment of the engine:
 *   S  source length           T  target length (decoder steps, <eos> included)
 *   E  embedding size          He encoder hidden size per direction
 *   D  encoder state size      (He, or 2·He when bidirectional)
 *   H  decoder hidden size     A  attention hidden size (concat, additive)
 *   V  vocabulary size         G  gates per cell (4 LSTM: i f g o, 3 GRU: r z n)
 *   B  batch size
 * Matrices are row-major, PyTorch's layout: W[out × in], y = W x.
 *
 * Errors: functions that can fail return 0 on success and -1 on failure,
 * writing one line (no newline) into a caller buffer of AV_ERR_LEN bytes
 * (av_err, in base/err.h). The engine never exits and never prints.
 */
#ifndef AV_H
#define AV_H

#include <stddef.h>
#include <stdint.h>

#include "../base/err.h"

/* xorshift64* — small, fast, reproducible; never rand(). A seed of 0 is
 * mapped to a fixed non-zero state. */
typedef struct { uint64_t s; } Rng;
void rng_seed(Rng *r, uint64_t seed);
uint64_t rng_next(Rng *r);
float rng_uniform(Rng *r);            /* [0, 1) with 24 random bits   */
float rng_normal(Rng *r);             /* standard normal, Box–Muller   */
int rng_below(Rng *r, int n);         /* uniform integer in [0, n)     */

#endif
