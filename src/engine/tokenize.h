/* tokenize.h — text ⇄ token ids (MODEL.md "Tokens").
 *   char: every Unicode code point is a token (UTF-8 decoded and validated).
 *   word: split on white space; each punctuation mark is its own token.
 */
#ifndef TOKENIZE_H
#define TOKENIZE_H

#include "model.h"

/* Split text into token strings. On success *out is an array of *n
 * malloc'd strings (free with tokens_free). Invalid UTF-8 is refused with
 * the byte offset in err. */
int tokenize(TokenizerKind k, const char *text, char ***out, int *n, char *err);
void tokens_free(char **toks, int n);

/* True when every code point of the NUL-terminated UTF-8 text is white
 * space as the word tokenizer sees it (ASCII and Unicode spaces, NBSP,
 * U+2000–U+200A, U+3000, ...), or the text is empty: a text with no word. */
bool text_is_blank(const char *text);

/* Text → ids through a vocabulary (unknown tokens become TOK_UNK). *ids is
 * malloc'd. */
int encode_text(const Vocab *v, TokenizerKind k, const char *text, int **ids, int *n, char *err);

/* The tokens of text that the vocabulary does not know (they become <unk>),
 * said in one line for the user, e.g.
 *   'dog' is not among the 136 words this model knows
 *   'é' and 'ß' are not among the 40 characters this model knows
 * (each token once, escaped, at most five named, then "and N more").
 * Returns how many distinct tokens are unknown (0: out is ""), or -1 when
 * text cannot be tokenised. */
int unknown_tokens_line(const Vocab *v, TokenizerKind k, const char *text, char *out, size_t cap);

/* Ids → text: characters joined for char, words joined by single spaces for
 * word; stops at <eos>, skips <pad>/<sos>. Returns a malloc'd string. */
char *decode_ids(const Vocab *v, TokenizerKind k, const int *ids, int n);

#endif
