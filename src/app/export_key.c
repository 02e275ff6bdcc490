/* export_key.c — E: the alignment on screen as a PNG and a CSV in the folder a user keeps pictures in, named from task, score and input.
 *
 * The PNG is src/export's figure, built exactly as `attnviz export --model M
 * --input TEXT --out F.png [--theme dark]` builds it (same title, panel,
 * provenance and font), so the two are the same bytes; the CSV beside it
 * holds the weights. In compare mode the PNG shows what is on screen: both
 * decodings side by side under their names (the difference matrix is the
 * app's own), and the CSV holds the main decoding's numbers, as `export
 * --all-scores` does. Nothing is ever written over: the name gets -2, -3, …
 * until neither the .png nor the .csv exists. Where the files went is said
 * in a message and in the status row (in place of the title line) until
 * the next key. Every failure (a read-only
 * folder, a full disk) is one line in the status bar, and the files are
 * written whole or not at all (base/outfile.h).
 */
#include "app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../export/export.h"
#include "../text/font_find.h"

/* A path as the status line shows it: the home folder as ~. */
static const char *shown(const char *path, char *buf, size_t cap) {
    const char *home = getenv("HOME");
    size_t n = home ? strlen(home) : 0;
    if (n > 1 && strncmp(path, home, n) == 0 && path[n] == '/') {
        snprintf(buf, cap, "~%s", path + n);
        return buf;
    }
    return path;
}

/* ---- E ---- */

void app_export(App *a) {
    const AppSession *s = &a->session;
    const AppCompare *c = &a->cmp;
    char err[EXPORT_ERR_LEN], msg[AV_ERR_LEN + EXPORT_ERR_LEN];
    if (!s->have_trace) return;
    bool both = c->have && c->trace.S == s->trace.S;
    if (!cfg_attn(&s->trace.cfg) || (both && !cfg_attn(&c->trace.cfg))) {
        app_say(a, app_str(a, UI_M_EXPORT_NONE));
        return;
    }
    /* the name: the model (task and score), what compare adds, the input */
    char label[160] = "", png[1400], csv[1410], font[1024];
    if (both && c->mode == CMP_SCORE) snprintf(label, sizeof label, "vs-%s", score_name(c->trace.cfg.score));
    else if (both) snprintf(label, sizeof label, "forced-vs-free");
    static const char *const EXTS[] = {"png", "csv", NULL};
    if (!app_export_stem(a, label, EXTS, png, sizeof png - 8)) {
        app_say(a, app_str(a, UI_M_NO_EXPORT_DIR));
        return;
    }
    snprintf(csv, sizeof csv, "%s.csv", png);
    strcat(png, ".png");
    if (font_find(a->opt.font, font, sizeof font, err) != 0) {
        snprintf(msg, sizeof msg, app_str(a, UI_M_EXPORT_FAIL), err);
        app_say(a, msg);
        return;
    }
    /* as `attnviz export` draws it: scale 1, the theme on screen */
    ExportDesc look = {.scale = 1, .theme = a->ui.dark ? EXPORT_DARK : EXPORT_LIGHT, .font_path = font};
    const Trace *trs[2] = {&s->trace, &c->trace};
    const char *heads[2] = {c->name[0], c->name[1]};
    ExportPanelData pd = {0};
    int rc = export_traces_png(trs, heads, both ? 2 : 1, s->task[0] ? s->task : NULL, s->model_path, s->input, &look,
                               png, err);
    if (rc == 0) rc = export_panel_from_trace(&pd, &s->trace, NULL, err);
    if (rc == 0) rc = export_write_csv(&pd.panel, csv, err);
    export_panel_data_free(&pd);
    if (rc != 0) {
        snprintf(msg, sizeof msg, app_str(a, UI_M_EXPORT_FAIL), err);
        app_say(a, msg);
        return;
    }
    char b1[1400], row[1500];
    const char *slash = strrchr(csv, '/');
    const char *where = shown(png, b1, sizeof b1);
    snprintf(msg, sizeof msg, app_str(a, UI_M_EXPORTED), where, slash ? slash + 1 : csv);
    snprintf(row, sizeof row, app_str(a, UI_M_EXPORTED_ROW), where);
    app_note_saved(a, msg, row);
}
