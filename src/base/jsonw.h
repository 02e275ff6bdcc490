/* jsonw.h — the few pieces every JSON file attnviz writes by hand is made of.
 *
 * The traces are written with fprintf, value by value, not built as a tree:
 * they hold tens of thousands of floats. Floats use "%.9g", the shortest
 * form that reads back as the same float32; JSON has no infinity or NaN,
 * so a non-finite value is written as null.
 */
#ifndef BASE_JSONW_H
#define BASE_JSONW_H

#include <stdio.h>

/* A JSON string: quotes, backslash and control characters escaped; other
 * characters (UTF-8) as they are, and a byte that is not valid UTF-8 as
 * \ufffd (JSON text is UTF-8: a reader would refuse the file). */
void jsonw_str(FILE *fp, const char *s);
/* A float32 in 9 significant digits, or null when not finite. */
void jsonw_float(FILE *fp, float x);
/* [x0,x1,...] — n floats; null when x is NULL. */
void jsonw_floats(FILE *fp, const float *x, int n);
/* , "key": [x0,...] — the next member of an object holding n floats. */
void jsonw_key_floats(FILE *fp, const char *key, const float *x, int n);

#endif
