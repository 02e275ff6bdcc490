/* examples.c — Tab: chosen example sentences of each task first, then the task's own test examples. */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../engine/tokenize.h"
#include "../tasks/task.h"

/* A few sentences per task that show something worth seeing, each decoded
 * right by the shipped models (checked with `attnviz decode`). */
static const struct { const char *task, *src, *tgt; } EXAMPLES[] = {
    {"en-ko", "I love you", "나는 너를 사랑해"},
    {"en-ko", "your mother helps us", "네 어머니는 우리를 도와"},
    {"en-ko", "he does not draw your singer", "그는 네 가수를 그리지 않아"},
    {"en-fr", "the european economic area", "la zone économique européenne"},
    {"en-fr", "the red car", "la voiture rouge"},
    {"en-fr", "my white door is french", "ma porte blanche est française"},
    {"dates", "21 November 2026", "2026-11-21"},
    {"dates", "2026년 11월 21일", "2026-11-21"},
    {"dates", "friday, 11 june 1976", "1976-06-11"},
    {"dates", "02/06/1994", "1994-06-02"},
    {"reverse", "attention", "noitnetta"},
    {"reverse", "encoder", "redocne"},
    {"reverse", "softmax", "xamtfos"},
    {"copy", "attention", "attention"},
    {"copy", "thebottleneckisonevectorforthewholesentence", "thebottleneckisonevectorforthewholesentence"},
};
enum { N_EXAMPLES = sizeof EXAMPLES / sizeof *EXAMPLES };

/* Every token of text is in the vocabulary (no <unk>). */
static bool all_known(const Vocab *v, TokenizerKind tk, const char *text) {
    int *ids = NULL, n = 0;
    char err[AV_ERR_LEN];
    if (encode_text(v, tk, text, &ids, &n, err) != 0) return false;
    bool ok = n > 0;
    for (int i = 0; i < n && ok; i++) ok = ids[i] != TOK_UNK;
    free(ids);
    return ok;
}

void app_next_example(App *a) {
    AppSession *s = &a->session;
    const Task *tk = s->task[0] ? task_find(s->task) : NULL;
    if (!tk) { app_say(a, app_str(a, UI_M_NO_EXAMPLES)); return; }
    char src[TASK_MAX_TEXT], tgt[TASK_MAX_TEXT], err[AV_ERR_LEN];
    int mine[N_EXAMPLES], n = 0;   /* this task's fixed examples the model can read */
    for (int i = 0; i < N_EXAMPLES; i++)
        if (strcmp(EXAMPLES[i].task, s->task) == 0 && all_known(&s->model.src, s->model.cfg.tokenizer, EXAMPLES[i].src) &&
            all_known(&s->model.tgt, s->model.cfg.tokenizer, EXAMPLES[i].tgt))
            mine[n++] = i;
    int k = s->example++;
    if (k < n) {
        snprintf(src, sizeof src, "%s", EXAMPLES[mine[k]].src);
        snprintf(tgt, sizeof tgt, "%s", EXAMPLES[mine[k]].tgt);
    } else {
        if (k >= n + 20) s->example = 0;   /* then round again */
        Rng r;
        rng_seed(&r, 1000 + (uint64_t)(k - n));
        tk->generate(&r, SPLIT_TEST, src, tgt, sizeof src);
    }
    if (app_decode(a, s->model_path, src, tgt, false, err) != 0) { app_say(a, err); return; }
    view_goto_phase(a, 0);
}
