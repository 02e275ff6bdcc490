/* lesson.h — a lesson file (lessons/<lang>/NN-name.md) parsed into plain data.
 *
 * A lesson is Markdown a teacher edits in any editor (lessons/README.md is
 * the format). This module turns it into structs the app can show without a
 * Markdown library: a header (title, task, level, minutes) and slides, each
 * with its directives resolved into fields (what the app shows) and its
 * narration as a short list of blocks made of styled spans.
 *
 * Plain C: no SDL, no GL. Errors follow base/err.h: return 0 or -1, and one
 * line "FILE:LINE: what is wrong" in a caller buffer of AV_ERR_LEN bytes.
 *
 * The files: lesson_parse.c (Markdown → these structs, no engine),
 * lesson_slide.c (names; what a parsed slide shows), lesson_train.c (a
 * training slide's directives), lesson_check.c (the
 * slides against the models folder: the one file that uses the engine) and
 * lesson_files.c (reading a file, the language folders, the locale).
 *
 * Directive fields carry an "unset" marker. model, input and target carry
 * over from the slide before (a new input clears the target); every other
 * directive belongs to its own slide only. `set` tells which directives are
 * written on the slide itself.
 */
#ifndef LESSON_H
#define LESSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../base/err.h"
#include "../base/phase.h"
#include "../base/score.h"

enum {
    LESSON_MAX_BYTES  = 256 * 1024,   /* a bigger file is refused            */
    LESSON_MAX_SLIDES = 200,
    LESSON_MAX_TEXT   = 1024,         /* input/target, bytes                 */
    LESSON_MAX_NAME   = 64,           /* model/chart/task names, bytes + NUL */
    LESSON_MAX_STEP   = 1000,
    LESSON_MAX_COLS   = 8,            /* columns of a narration table        */
};

typedef enum { LESSON_BEGINNER, LESSON_INTERMEDIATE, LESSON_ADVANCED } LessonLevel;

/* step: 0 unset, 1..LESSON_MAX_STEP, or LESSON_STEP_LAST ("step: last": the
 * last decoder step, whatever the decoding's length). */
#define LESSON_STEP_LAST (-1)

/* One bit per directive, for LessonSlide.set and .line[]. */
typedef enum {
    LD_MODEL, LD_INPUT, LD_TARGET, LD_STEP, LD_PHASE, LD_SCORE, LD_COMPARE,
    LD_TEACHER_FORCING, LD_SEED, LD_SIDE_BY_SIDE, LD_CHART, LD_DIRECTION, LD_LR,
    LD_MODE, LD_STEPS, LD_SPEED, LD_PROBE, LD_LAB,
    LD_COUNT
} LessonDirective;

/* ---- narration ---- */
typedef enum {
    LESSON_SPAN_PLAIN, LESSON_SPAN_BOLD, LESSON_SPAN_ITALIC,
    LESSON_SPAN_CODE,       /* `code`: monospace, shown as written        */
    LESSON_SPAN_MATH,       /* $a_t(s) = softmax(...)$: plain notation;
                               _x / _{xy} subscripts, ^x / ^{xy}
                               superscripts, checked by the parser        */
    LESSON_SPAN_BOLD_ITALIC /* *italic with **bold** inside* (or the reverse) */
} LessonSpanKind;

typedef struct {
    LessonSpanKind kind;
    char *text;             /* UTF-8, never empty */
} LessonSpan;

typedef enum {
    LESSON_BLOCK_PARAGRAPH,
    LESSON_BLOCK_BULLET,    /* "- item"; level 0, or 1.. when indented    */
    LESSON_BLOCK_NUMBERED,  /* "3. item"; number = 3                      */
    LESSON_BLOCK_HEADING,   /* "### heading" inside a slide               */
    LESSON_BLOCK_CODE,      /* ``` fenced lines: one CODE span, '\n' kept  */
    LESSON_BLOCK_TABLE      /* | a | b | rows: cells, no spans of its own */
} LessonBlockKind;

typedef enum { LESSON_ALIGN_LEFT, LESSON_ALIGN_CENTER, LESSON_ALIGN_RIGHT } LessonAlign;

/* One table cell: its spans, none when the cell is empty. */
typedef struct {
    LessonSpan *spans;
    int n_spans;
} LessonCell;

typedef struct {
    LessonBlockKind kind;
    int level;              /* list nesting, 0 at the margin               */
    int number;             /* NUMBERED only                               */
    int line;               /* first line in the file                      */
    LessonSpan *spans;      /* none for a TABLE                            */
    int n_spans;
    /* TABLE only: n_rows rows of n_cols cells, row-major; row 0 is the
     * header; align[c] from the | :--- | :---: | ---: | line */
    int n_rows, n_cols;
    LessonCell *cells;
    LessonAlign align[LESSON_MAX_COLS];
} LessonBlock;

/* ---- slides ---- */
typedef struct {
    char *title;            /* the "## " heading text                      */
    int line;               /* line of that heading                        */
    unsigned set;           /* bit (1u << LD_x): written on this slide     */
    int dline[LD_COUNT];    /* line where each field's value was written
                               (an earlier slide's line when carried over),
                               0 when unset                                */

    /* carried over from the slide before, NULL when never given */
    char *model;            /* a file stem in assets/models/: "en-ko-dot"  */
    char *input;            /* source text                                 */
    char *target;           /* reference target, NULL for none             */
    /* this slide only */
    int step;               /* 0 unset, ≥ 1, or LESSON_STEP_LAST           */
    Phase phase;            /* PH_UNSET when unset (base/phase.h)          */
    int score;              /* ScoreKind, or -1: switch the model's score  */
    int compare[2];         /* two different ScoreKinds, or -1 -1         */
    float teacher_forcing;  /* p in [0, 1], or -1 unset                    */
    uint64_t seed;          /* valid when set has LD_SEED                  */
    bool side_by_side;      /* free-running vs forced rows                 */
    char *chart;            /* "copy-by-length", or NULL                   */
    bool backward;          /* direction: backward — the backward phases   */
    int back_phase;         /* phase: as a BackPhase, or -1 (not one)      */
    float lr;               /* lr: η of the one SGD step, or -1 unset      */
    /* a training slide (mode: train): a model like `model` learns live */
    bool train;             /* mode: train                                 */
    long train_steps;       /* steps: train to here, then pause; -1 unset  */
    int train_speed;        /* speed: steps a second, 0 full; -1 unset     */
    char *probe;            /* probe: the sentence watched; NULL: input    */
    /* a lab slide (mode: lab): configurations like `model` learn side by side */
    bool lab;               /* mode: lab (steps:, speed:, probe:, seed: as
                               for mode: train)                            */
    char *lab_spec;         /* lab: "score=general,none,none+reverse", as
                               `attnviz learn --lab` takes it; NULL unset  */

    LessonBlock *blocks;    /* the narration, in order                     */
    int n_blocks;
} LessonSlide;

typedef struct {
    char *path;             /* as given to lesson_load                     */
    char lang[8];           /* the parent folder when it is a language
                               code ("en", "ko", "pt-br"), else ""        */
    int number;             /* NN of "NN-name.md", or 0                    */
    char *title;            /* the "# " line                               */
    char *task;             /* header "task:"                              */
    LessonLevel level;
    int minutes;
    LessonSlide *slides;
    int n_slides;
} Lesson;

/* Load and parse a lesson file. On failure *out is left empty (nothing to
 * free) and err holds "FILE:LINE: what is wrong". */
int lesson_load(const char *path, Lesson *out, char *err);
/* The same from memory; `name` is used for messages and Lesson.path. */
int lesson_parse(const char *name, const char *text, size_t len, Lesson *out, char *err);
void lesson_free(Lesson *l);

/* Names, as written in lesson files (phases: phase_name, base/phase.h). */
const char *lesson_level_name(LessonLevel v);
const char *lesson_directive_name(LessonDirective d);
/* Charts the app knows how to draw; the data is <models_dir>/<name>.tsv. */
int lesson_chart_count(void);
const char *lesson_chart_name(int i);

/* Model names are "<task>-<score>[-<variant>]" ("en-ko-dot",
 * "copy-none-reversed"). Write the name of the same model with another
 * score into out ("en-ko-dot" + general → "en-ko-general"). -1 when the name
 * has no score part or out is too small. */
int lesson_model_with_score(const char *model, ScoreKind s, char *out, size_t cap);
/* The model the slide shows: its model, switched to its score: when set.
 * -1 when the slide has no model (a chart slide). */
int lesson_slide_model(const LessonSlide *s, char *out, size_t cap);

/* What the app shows when a slide leaves step or phase unset: step 1 and
 * phase encoder. `last` becomes n_steps; a step past the end is clamped to
 * n_steps (the checks below report it; the app shows the last step). */
int lesson_slide_step(const LessonSlide *s, int n_steps);
Phase lesson_slide_phase(const LessonSlide *s);
/* The backward phase a `direction: backward` slide shows: its phase, or
 * BPH_LOSS when it gives none. */
BackPhase lesson_slide_back_phase(const LessonSlide *s);
/* lesson_backward.c: the value of `phase:`, `direction:` or `lr:` into the
 * slide, and the rules of a slide with `direction: backward` (it needs a
 * target, its phase is a backward one, no compare or side-by-side; `lr:`
 * needs it). 0, or -1 with the message (no FILE:LINE:) in msg and, for the
 * rules, the line it is about in *line. */
int lesson_backward_directive(LessonDirective d, const char *v, LessonSlide *s, char *msg, size_t cap);
int lesson_backward_rules(const LessonSlide *s, int *line, char *msg, size_t cap);
/* lesson_train.c: the value of `mode:`, `steps:`, `speed:`, `probe:` or
 * `lab:` into the slide, and the rules of a training or lab slide (it
 * trains like its model; no decoding step, phase, compare, side-by-side,
 * teacher-forcing or chart; steps:, speed: and probe: need mode: train or
 * mode: lab; lab: and mode: lab go together). 0, or -1 with the
 * message (no FILE:LINE:) in msg and, for the rules, its line in *line. */
enum { LESSON_MAX_TRAIN_STEPS = 1000000, LESSON_MAX_SPEED = 1000 };
int lesson_train_directive(LessonDirective d, const char *v, LessonSlide *s, char *msg, size_t cap);
int lesson_train_rules(const LessonSlide *s, int *line, char *msg, size_t cap);
/* A block's text without styling (spans joined; a table's cells joined by
 * " | " and its rows by "\n"), for logs, tests and measuring; truncated to
 * cap-1 bytes on a UTF-8 boundary. Returns the untruncated length. */
size_t lesson_block_text(const LessonBlock *b, char *out, size_t cap);

/* Check a slide against a models folder (assets/models/): every model file it
 * needs (its model, and both models of compare:) exists as
 * <dir>/<model>.safetensors and loads; input and target use only tokens the
 * model knows; a numeric step is at most the decoding's number of steps; a
 * chart's data <dir>/<chart>.tsv exists. 0 ok, -1 with "FILE:LINE: ..." in err. */
int lesson_check_slide(const Lesson *l, int slide, const char *models_dir, char *err);
/* Every slide; stops at the first problem. */
int lesson_check(const Lesson *l, const char *models_dir, char *err);

/* ---- the picker ---- */
typedef struct {
    int number;             /* NN from the file name                       */
    char lang[8];
    char title[160];        /* from the file; the file name when broken    */
    char path[1024];
    char error[AV_ERR_LEN]; /* "" when the lesson loads, else why not      */
} LessonEntry;

/* Every "NN-name.md" in <root>/<lang>/, sorted by number then name. A broken
 * lesson is listed with its error (the picker shows it instead of hiding
 * it). *out is malloc'd (free it), *n may be 0. -1 only when the folder
 * cannot be read. */
int lesson_list(const char *root, const char *lang, LessonEntry **out, int *n, char *err);
/* The path of lesson `number` in lang, or in "en" when lang lacks it.
 * 0 found, -1 not found. */
int lesson_find(const char *root, const char *lang, int number, char *path, size_t cap);
/* "ko" for a Korean locale string ("ko_KR.UTF-8", "ko"), else "en".
 * NULL or empty gives "en". */
const char *lesson_lang_from_locale(const char *locale);

#endif
