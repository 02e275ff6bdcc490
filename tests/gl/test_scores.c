/* test_scores.c — keys 1 to 6 switch between the shipped models of every task (issue 13: "so 1–6 all work").
 *
 * For each task that ships models, a decoding starts on <task>-dot from
 * assets/models/ (or $ATTNVIZ_MODELS) and the keys 1 … 6 are pressed as a
 * user would: each must load <task>-<score> (the session's model has that
 * score and its file is the sibling of the first), say nothing (no "no model
 * for this score" message), and the toolbar must show its button, enabled.
 * A missing shipped model, scaled_dot included, turns this red (copy's
 * scaled_dot model is the last to ship: GRU H 60 on 300,000 pairs). */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "events.h"

static App *app;
static char models[1024];

static void setup(void) {
    app = calloc(1, sizeof *app);
    cr_assert_not_null(app);
    char err[AV_ERR_LEN];
    cr_assert_eq(app_init_gfx(app, 1280, 720, true, err), 0, "%s", err);
    app->view.speed = 1;
    app->session.seed = 1;
    snprintf(app->ui.lang, sizeof app->ui.lang, "en");
    cr_assert(app_find_models_dir(models, sizeof models), "no models folder (assets/models or $ATTNVIZ_MODELS)");
}

static void teardown(void) {
    app_shutdown(app);
    free(app);
}

TestSuite(scores, .init = setup, .fini = teardown, .timeout = 240);

static const struct {
    const char *task, *input;
} TASKS[] = {{"dates", "2013-07-13"},
             {"reverse", "attention"},
             {"en-ko", "i love you"},
             {"en-fr", "the red car"},
             {"copy", "attentioncopiesletters"}};

/* key 1 … 6 and the score each must bring (src/app/keys.c) */
static const struct {
    SDL_Keycode key;
    ScoreKind score;
} KEYS[] = {{SDLK_1, SCORE_NONE},    {SDLK_2, SCORE_DOT},      {SDLK_3, SCORE_GENERAL},
            {SDLK_4, SCORE_CONCAT}, {SDLK_5, SCORE_ADDITIVE}, {SDLK_6, SCORE_SCALED_DOT}};

static int button_state(ScoreKind k) { /* 1 enabled, 0 disabled, -1 absent */
    for (int i = 0; i < app->w.dl.n; i++) {
        const DlCmd *c = &app->w.dl.cmds[i];
        if (c->tag == VIZ_TAG_SCORE_BUTTON && c->a == (int)k) return c->b;
    }
    return -1;
}

Test(scores, keys_1_to_6_load_every_tasks_shipped_models) {
    char err[AV_ERR_LEN], path[1200], want[1200];
    for (size_t t = 0; t < sizeof TASKS / sizeof *TASKS; t++) {
        snprintf(path, sizeof path, "%s/%s-dot.safetensors", models, TASKS[t].task);
        cr_assert_eq(app_decode(app, path, TASKS[t].input, NULL, false, err), 0, "%s", err);
        for (size_t k = 0; k < sizeof KEYS / sizeof *KEYS; k++) {
            app->ui.message[0] = 0;
            send_key(app, KEYS[k].key, 0);
            app_update(app, 60);
            app_draw(app);
            const char *name = score_name(KEYS[k].score);
            cr_expect_eq(app->session.model.cfg.score, KEYS[k].score, "%s: key %zu did not load %s-%s: %s",
                         TASKS[t].task, k + 1, TASKS[t].task, name, app->ui.message);
            snprintf(want, sizeof want, "%s/%s-%s.safetensors", models, TASKS[t].task, name);
            cr_expect_str_eq(app->session.model_path, want, "%s: key %zu", TASKS[t].task, k + 1);
            cr_expect_eq(app->ui.message[0], 0, "%s: key %zu says '%s'", TASKS[t].task, k + 1, app->ui.message);
            cr_expect_eq(button_state(KEYS[k].score), 1, "%s: the %s button is absent or disabled", TASKS[t].task,
                         name);
        }
    }
}
