/* fixture.h — reading tests/fixtures/torch/ and comparing the engine with it, for the torch tests.
 *
 * Tolerance: |got - want| ≤ 1e-5 · max(1, |want|), i.e. 1e-5 absolute for
 * values up to 1 and 1e-5 relative above. The float32 reference itself is
 * within ~3e-7 of a float64 run of the same model (make_fixtures.py checks).
 */
#ifndef TORCH_FIXTURE_H
#define TORCH_FIXTURE_H

#include <criterion/criterion.h>
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "../engine/helpers.h"   /* read_json */

#define TOL 1e-5

/* Under ASan a leak is only printed when the worker exits; Criterion still
 * counts the test as passed. Ask LeakSanitizer directly instead. */
#ifdef __SANITIZE_ADDRESS__
#include <sanitizer/lsan_interface.h>
#define NO_LEAKS() cr_expect_eq(__lsan_do_recoverable_leak_check(), 0, "memory leaked (see the report above)")
#else
#define NO_LEAKS() ((void)0)
#endif

static inline const cJSON *get(const cJSON *o, const char *k) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    cr_assert(v, "fixture lacks \"%s\"", k);
    return v;
}

/* an int array into a fresh buffer; returns its length */
static inline int ints(const cJSON *a, int **out) {
    int n = cJSON_GetArraySize(a), i = 0;
    *out = malloc((size_t)(n ? n : 1) * sizeof **out);
    const cJSON *it;
    cJSON_ArrayForEach(it, a) (*out)[i++] = it->valueint;
    return n;
}

/* ---- comparing -------------------------------------------------------------------------- */

static double WORST;   /* largest scaled error seen in this test, for the log */

/* got[n] against the JSON array want: same length, every value within TOL.
 * Reports the worst element only, with where it is. */
static inline void cmp(const char *fx, const char *what, const float *got, const cJSON *want, int n) {
    cr_assert(cJSON_IsArray(want), "%s: %s: no reference array", fx, what);
    cr_assert_eq(cJSON_GetArraySize(want), n, "%s: %s: %d values, PyTorch has %d", fx, what, n,
                 cJSON_GetArraySize(want));
    cr_assert(got, "%s: %s is NULL", fx, what);
    int i = 0, worst_i = -1;
    double worst = 0, wg = 0, ww = 0;
    const cJSON *it;
    cJSON_ArrayForEach(it, want) {
        double w = it->valuedouble, g = got[i];
        double e = fabs(g - w) / fmax(1.0, fabs(w));
        if (!(e <= worst)) { worst = e; worst_i = i; wg = g; ww = w; }   /* NaN counts as worst */
        i++;
    }
    if (worst > WORST || isnan(worst)) WORST = worst;
    cr_expect(worst <= TOL, "%s: %s[%d]: engine %.9g, PyTorch %.9g (error %.3g > %.0e; %d values)",
              fx, what, worst_i, wg, ww, worst, TOL, n);
}

static inline void cmp1(const char *fx, const char *what, double got, double want) {
    double e = fabs(got - want) / fmax(1.0, fabs(want));
    if (e > WORST || isnan(e)) WORST = e;
    cr_expect(e <= TOL, "%s: %s: engine %.9g, PyTorch %.9g (error %.3g)", fx, what, got, want, e);
}

#endif
