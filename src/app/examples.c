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

int app_task_example(const char *task, const Vocab *vs, const Vocab *vt, TokenizerKind tk, int k, char *src, char *tgt,
                     size_t cap) {
    const Task *t = task && task[0] ? task_find(task) : NULL;
    if (!t) return -1;
    int mine[N_EXAMPLES], n = 0;   /* this task's fixed examples the model can read */
    for (int i = 0; i < N_EXAMPLES; i++)
        if (strcmp(EXAMPLES[i].task, task) == 0 && (!vs || all_known(vs, tk, EXAMPLES[i].src)) &&
            (!vt || all_known(vt, tk, EXAMPLES[i].tgt)))
            mine[n++] = i;
    if (k < n) {
        snprintf(src, cap, "%s", EXAMPLES[mine[k]].src);
        snprintf(tgt, cap, "%s", EXAMPLES[mine[k]].tgt);
    } else {
        Rng r;
        rng_seed(&r, 1000 + (uint64_t)((k - n) % 21));   /* then 21 of the task's */
        t->generate(&r, SPLIT_TEST, src, tgt, cap);
    }
    return n;
}

void app_next_example(App *a) {
    AppSession *s = &a->session;
    char src[TASK_MAX_TEXT], tgt[TASK_MAX_TEXT], err[AV_ERR_LEN];
    int k = s->example++;
    int n = app_task_example(s->task, &s->model.src, &s->model.tgt, s->model.cfg.tokenizer, k, src, tgt, sizeof src);
    if (n < 0) {
        app_say(a, app_str(a, UI_M_NO_EXAMPLES));
        return;
    }
    if (k >= n + 20) s->example = 0;   /* then round again */
    if (app_decode(a, s->model_path, src, tgt, false, err) != 0) { app_say(a, err); return; }
    view_goto_phase(a, 0);
}

void app_reverse_text(const char *s, char *out, size_t cap) {
    size_t n = strlen(s), o = 0;
    if (cap == 0) return;
    while (n > 0 && o + 4 < cap) {   /* whole code points, last first */
        size_t k = n - 1;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
        memcpy(out + o, s + k, n - k);
        o += n - k;
        n = k;
    }
    out[o] = 0;
}

bool app_task_reference(const char *task, const char *text, char *out, size_t cap) {
    if (task && strcmp(task, "copy") == 0) snprintf(out, cap, "%s", text);
    else if (task && strcmp(task, "reverse") == 0) app_reverse_text(text, out, cap);
    else return false;
    return true;
}
