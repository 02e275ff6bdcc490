/* score.h — the attention scores by name (MODEL.md): the engine computes them, lessons and the app name them.
 *
 * Here, below the engine, so that the lesson parser can read `score: dot`
 * without including the engine.
 */
#ifndef BASE_SCORE_H
#define BASE_SCORE_H

typedef enum {
    SCORE_NONE, SCORE_DOT, SCORE_SCALED_DOT, SCORE_GENERAL, SCORE_CONCAT, SCORE_ADDITIVE
} ScoreKind;

enum { SCORE_COUNT = SCORE_ADDITIVE + 1 };

/* "none", "dot", "scaled_dot", "general", "concat", "additive". */
const char *score_name(ScoreKind s);
int score_parse(const char *s, ScoreKind *out);   /* 0 ok, -1 unknown */

#endif
