/* opt.h — one option table per command: the parser and the --help text both read it.
 *
 * A command describes its options as a table of Opt entries (name, short
 * name, kind with its range or choices, the field of the command's options
 * struct the value goes to, its default, its help line) and calls
 * opt_parse. Nothing else in src/cli reads argv, and --help is printed
 * from the same table, so the help cannot list an option the parser does
 * not take, nor the parser take one the help does not list (tests/cli/
 * options.sh and test_cli check both ways).
 *
 * The parser takes `--opt value`, `--opt=value` and `-s value`; the value
 * is the next argument whatever it looks like (so `--out -` and `--n -3`
 * reach the range check). Every refusal is one line on stderr naming the
 * command and the option, and opt_parse returns -1: the caller exits 2.
 *   attnviz decode: unknown option '--frob' (attnviz decode --help lists the options)
 *   attnviz decode: --max-len needs a value
 *   attnviz decode: --max-len: expected a whole number from 1 to 10000, got '0'
 *   attnviz export: --theme: expected light or dark, got 'blue'
 *   attnviz export: --out writes PNG: 'x.jpg' does not end in .png (...)
 *   attnviz decode: --lr needs --grad-json
 *   attnviz decode: --model and --input are required (attnviz decode --help lists the options)
 */
#ifndef CLI_OPT_H
#define CLI_OPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum {
    OPT_END = 0,   /* ends a table (the zero entry {0})                                  */
    OPT_FLAG,      /* no value; the field is a bool, set to true                         */
    OPT_INT,       /* a whole number in [lo, hi]; the field is an int or a long          */
    OPT_FLOAT,     /* a finite number in [lo, hi]; the field is a double                 */
    OPT_U64,       /* a non-negative whole number (seeds); the field is a uint64_t       */
    OPT_STRING,    /* any text; the field is a const char *                              */
    OPT_PATH,      /* a file name (an output one may name its extension); const char *   */
    OPT_ENUM,      /* one of `choices`; the field (const char *) gets that choice        */
    OPT_CUSTOM,    /* the value parsed by `custom` into the field                        */
    OPT_HEADING,   /* not an option: a heading line in the help ("model:")               */
    OPT_INCLUDE,   /* not an option: every entry of the table `sub`, in place            */
} OptKind;

enum { OPT_REQUIRED = 1 };   /* Opt.flags */

typedef struct Opt {
    const char *name;            /* without the dashes ("max-len"); a heading's text      */
    char short_name;             /* 'm' for -m, or 0                                      */
    OptKind kind;
    size_t off, size;            /* the field: OPT_AT(Struct, field)                      */
    const char *arg;             /* the value's name in the help ("FILE", "N")            */
    const char *help;            /* what it does; '\n' starts another line of help        */
    const char *def;             /* the default as one would type it, parsed like a value
                                    before argv (so it is checked too); NULL: none        */
    double lo, hi;               /* OPT_INT, OPT_FLOAT: the range                          */
    const char *const *choices;  /* OPT_ENUM: the accepted values, NULL-terminated         */
    const char *ext;             /* OPT_PATH: a written format's extension ("png"): a name
                                    with another extension is refused; "-" and a name with
                                    no extension (a device, a FIFO) are taken             */
    const char *format;          /* OPT_PATH with ext: the format's name ("PNG")           */
    const char *needs;           /* another option this one goes with, or NULL            */
    int flags;                   /* OPT_REQUIRED                                          */
    /* OPT_CUSTOM: 0, or -1 with what was expected in `expected` ("WxH from ...") */
    int (*custom)(const char *value, void *field, char *expected, size_t cap);
    const struct Opt *sub;       /* OPT_INCLUDE                                           */
} Opt;

/* Where an option's value goes: a field of the struct given to opt_parse. */
#define OPT_AT(Struct, field) .off = offsetof(Struct, field), .size = sizeof(((Struct *)0)->field)

typedef struct {
    const char *name;            /* "decode": messages say "attnviz decode: ..."           */
    const char *usage;           /* the help before the options: usage line(s), what it does */
    const Opt *opts;             /* ends with {0}                                          */
    const char *footer;          /* the help after the options, or NULL                    */
    void (*more)(FILE *f);       /* help written at run time after the footer, or NULL     */
    size_t dst_size;             /* sizeof the options struct the table's fields are in    */
} OptCommand;

/* The options given on the command line (defaults are not "given"). */
enum { OPT_MAX_SEEN = 96 };
typedef struct {
    const Opt *seen[OPT_MAX_SEEN];
    int n;
} OptSeen;

/* argv[1..argc) into the struct at dst, after the table's defaults.
 * Returns 0, 1 when --help (or -h) was given and the help printed on
 * stdout, or -1 after one line on stderr (bad usage: exit 2). seen may be
 * NULL. Checks required options and `needs`; everything else about how
 * options combine is the command's. */
int opt_parse(const OptCommand *c, int argc, char **argv, void *dst, OptSeen *seen);
/* Whether argv[1..argc) holds --name or --name=VALUE, before any parse: for
 * a command that hands some of its uses to another (export --animation is
 * the view's). A value that reads "--name" counts too. */
bool opt_in_argv(int argc, char **argv, const char *name);
/* Whether --name was given. */
bool opt_given(const OptSeen *s, const char *name);
/* The whole --help text. */
void opt_help(const OptCommand *c, FILE *f);
/* The entry of an option as typed: "--name" or "-x"; NULL when there is none. */
const Opt *opt_find(const OptCommand *c, const char *name);
/* Every option of the table in order (includes followed, headings
 * skipped): out[0 .. return), at most cap. */
int opt_list(const OptCommand *c, const Opt **out, int cap);

#endif
