/* test_files.c — NPY, JSON, CSV and SVG read back; the Trace → panel
 * conversion; failures (unwritable path, full disk) leave nothing behind. */
#include <cJSON.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "helpers.h"

enum { S = 5, T = 3 };
/* tokens a CSV writer must quote, and an XML writer must escape */
static const char *SRC[S] = {" ", ",", "\"q\"", "<eos>", "a&b"};
static const char *OUT[T] = {"x y", "학생", "<eos>"};

static ExportPanel fixture(float *w) {
    fixture_weights(w, S, T, 9);
    return (ExportPanel){NULL, S, T, w, SRC, OUT};
}

/* ---- NPY ---- */
Test(files, npy_reads_back_as_float32_T_by_S) {
    char dir[64], path[128], jpath[160];
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/a.npy", dir);
    float w[S * T];
    ExportPanel p = fixture(w);
    ExportMeta meta = {.model = "m.safetensors", .task = "reverse", .score = "general", .input = "input text"};
    char err[EXPORT_ERR_LEN];
    cr_assert_eq(export_write_npy(&p, &meta, path, err), 0, "%s", err);
    size_t n;
    unsigned char *b = (unsigned char *)slurp(path, &n);
    cr_assert_not_null(b);
    cr_assert_eq(memcmp(b, "\x93NUMPY", 6), 0, "magic");
    cr_expect_eq(b[6], 1, "major version 1");
    cr_expect_eq(b[7], 0, "minor version 0");
    size_t hlen = b[8] | (size_t)b[9] << 8;
    cr_expect_eq((10 + hlen) % 16, 0, "data must start 16-byte aligned");
    cr_assert_eq(b[10 + hlen - 1], '\n');
    char *hdr = strndup((char *)b + 10, hlen);
    cr_expect(strstr(hdr, "'descr': '<f4'"), "%s", hdr);
    cr_expect(strstr(hdr, "'fortran_order': False"), "%s", hdr);
    char want[32];
    snprintf(want, sizeof want, "'shape': (%d, %d)", T, S);   /* rows are output steps */
    cr_expect(strstr(hdr, want), "%s", hdr);
    cr_assert_eq(n, 10 + hlen + 4 * (size_t)S * T, "file size");
    for (int i = 0; i < S * T; i++) {
        const unsigned char *q = b + 10 + hlen + 4 * i;
        uint32_t u = q[0] | (uint32_t)q[1] << 8 | (uint32_t)q[2] << 16 | (uint32_t)q[3] << 24;
        float f;
        memcpy(&f, &u, 4);
        cr_expect_eq(f, w[i], "element %d: %g vs %g", i, f, w[i]);
    }
    free(hdr);
    free(b);
    /* the tokens beside it */
    cr_assert_eq(export_npy_json_path(path, jpath, sizeof jpath), 0);
    cr_assert(strstr(jpath, "/a.json"), "%s", jpath);
    char *js = slurp(jpath, NULL);
    cr_assert_not_null(js, "no %s", jpath);
    cJSON *o = cJSON_Parse(js);
    cr_assert_not_null(o, "JSON does not parse");
    cJSON *src = cJSON_GetObjectItem(o, "source_tokens"), *out = cJSON_GetObjectItem(o, "output_tokens");
    cr_assert_eq(cJSON_GetArraySize(src), S);
    cr_assert_eq(cJSON_GetArraySize(out), T);
    for (int i = 0; i < S; i++) cr_expect_str_eq(cJSON_GetArrayItem(src, i)->valuestring, SRC[i]);
    for (int i = 0; i < T; i++) cr_expect_str_eq(cJSON_GetArrayItem(out, i)->valuestring, OUT[i]);
    cr_expect_str_eq(cJSON_GetObjectItem(o, "input")->valuestring, "input text");
    cJSON *shape = cJSON_GetObjectItem(o, "shape");
    cr_expect_eq(cJSON_GetArrayItem(shape, 0)->valueint, T);
    cr_expect_eq(cJSON_GetArrayItem(shape, 1)->valueint, S);
    cJSON_Delete(o);
    free(js);
    rm_dir(dir);
}

/* ---- CSV: an RFC 4180 reader written here, not shared with the writer ---- */
static int csv_read(const char *s, char fields[][8][32], int max_rows) {
    int row = 0, col = 0;
    size_t k = 0;
    bool quoted = false;
    char cur[64];
    for (const char *p = s;; p++) {
        if (quoted) {
            if (*p == '"' && p[1] == '"') { cur[k++] = '"'; p++; }
            else if (*p == '"') quoted = false;
            else if (*p) cur[k++] = *p;
            else return -1;
            continue;
        }
        if (*p == '"') { quoted = true; continue; }
        if (*p == ',' || *p == '\r' || *p == '\n' || !*p) {
            if (*p == '\n' && k == 0 && col == 0) { if (!p[1]) break; continue; }
            cur[k] = '\0';
            if (row < max_rows && col < 8) snprintf(fields[row][col], 32, "%.31s", cur);
            k = 0;
            if (*p == ',') col++;
            else { row++; col = 0; if (*p == '\r' && p[1] == '\n') p++; }
            if (!*p || !p[1]) break;
            continue;
        }
        cur[k++] = *p;
    }
    return row;
}

Test(files, csv_parses_back) {
    char dir[64], path[128], err[EXPORT_ERR_LEN];
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/a.csv", dir);
    float w[S * T];
    ExportPanel p = fixture(w);
    cr_assert_eq(export_write_csv(&p, path, err), 0, "%s", err);
    char *s = slurp(path, NULL);
    static char f[8][8][32];
    int rows = csv_read(s, f, 8);
    cr_assert_eq(rows, 1 + T, "rows: header + one per output token, got %d", rows);
    cr_expect_str_eq(f[0][0], "");
    for (int c = 0; c < S; c++) cr_expect_str_eq(f[0][c + 1], SRC[c], "header column %d", c + 1);
    for (int t = 0; t < T; t++) {
        cr_expect_str_eq(f[t + 1][0], OUT[t]);
        for (int c = 0; c < S; c++) {
            float v = strtof(f[t + 1][c + 1], NULL);
            cr_expect_eq(v, w[t * S + c], "row %d col %d: %s vs %.9g", t, c, f[t + 1][c + 1], w[t * S + c]);
        }
    }
    free(s);
    rm_dir(dir);
}

/* ---- SVG ---- */
Test(files, svg_is_well_formed_and_keeps_text) {
    char dir[64], path[128], cmd[256], err[EXPORT_ERR_LEN];
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/a.svg", dir);
    float w[S * T];
    ExportPanel p = fixture(w);
    ExportFigure fig;
    build(&fig, &p, 1, 2, true, EXPORT_LIGHT);
    ExportMeta meta = {.model = "m&m.safetensors", .task = "t<1>", .score = "general", .input = "\"quoted\" & <tag>"};
    cr_assert_eq(export_write_svg(&fig, &meta, path, err), 0, "%s", err);
    snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", path);
    cr_expect_eq(system(cmd), 0, "xmllint rejects %s", path);
    char *s = slurp(path, NULL);
    cr_expect(strstr(s, "&lt;eos&gt;</text>"), "the <eos> label is not text");
    cr_expect(strstr(s, "학생</text>"), "the Hangul label is not text");
    cr_expect(strstr(s, "a&amp;b</text>"));
    cr_expect(strstr(s, "rotate(-90)"), "axis caption is vertical");
    int cells = 0;
    for (char *q = s; (q = strstr(q, "<rect ")); q++) cells++;
    cr_expect_geq(cells, S * T + 1, "a rect per cell");
    free(s);
    export_figure_free(&fig);
    rm_dir(dir);
}

/* ---- Trace → panel ---- */
Test(files, panel_from_a_synthetic_trace) {
    enum { TS = 3, TT = 5, V = 7 };   /* 15 floats: odd, catches misaligned pointers after them */
    static char *vt[V] = {"<pad>", "<sos>", "<eos>", "<unk>", "x", "y", "z"};
    static char *src_tok[TS] = {"a", "b", "c"};
    float w[TT][TS];
    fixture_weights(&w[0][0], TS, TT, 11);
    TraceStep st[TT];
    memset(st, 0, sizeof st);
    int pred[TT] = {4, 5, 5, 6, 2}, ref[TT] = {4, 6, 5, 6, 2};
    for (int t = 0; t < TT; t++) st[t] = (TraceStep){.token_id = pred[t], .reference_id = -1, .weights = w[t]};
    Trace tr;
    memset(&tr, 0, sizeof tr);
    tr.cfg.score = SCORE_GENERAL;
    tr.S = TS;
    tr.T = TT;
    tr.src_tokens = src_tok;
    tr.tgt = (Vocab){V, vt};
    tr.steps = st;
    ExportPanelData pd;
    char err[EXPORT_ERR_LEN];
    cr_assert_eq(export_panel_from_trace(&pd, &tr, "general", err), 0, "%s", err);
    cr_expect_eq(pd.panel.S, TS);
    cr_expect_eq(pd.panel.T, TT);
    for (int t = 0; t < TT; t++)
        for (int s = 0; s < TS; s++) cr_expect_eq(pd.panel.weights[t * TS + s], w[t][s]);
    const char *want_pred[TT] = {"x", "y", "y", "z", "<eos>"};
    for (int t = 0; t < TT; t++) cr_expect_str_eq(pd.panel.out_tokens[t], want_pred[t]);
    cr_expect_str_eq(pd.panel.src_tokens[2], "c");
    export_panel_data_free(&pd);
    /* with a reference, rows are named by it */
    for (int t = 0; t < TT; t++) st[t].reference_id = ref[t];
    tr.has_reference = true;
    cr_assert_eq(export_panel_from_trace(&pd, &tr, NULL, err), 0, "%s", err);
    cr_expect_str_eq(pd.panel.out_tokens[1], "z");
    export_panel_data_free(&pd);
    /* score none: refused with a reason */
    tr.cfg.score = SCORE_NONE;
    cr_expect_eq(export_panel_from_trace(&pd, &tr, NULL, err), -1);
    cr_expect(strstr(err, "none"), "%s", err);
}

/* ---- failures leave no file ---- */
Test(files, unwritable_path_reports_and_leaves_nothing) {
    char dir[64], path[160], err[EXPORT_ERR_LEN];
    tmp_dir(dir, sizeof dir);
    float w[S * T];
    ExportPanel p = fixture(w);
    /* a folder that does not exist */
    snprintf(path, sizeof path, "%s/missing/a.csv", dir);
    cr_expect_eq(export_write_csv(&p, path, err), -1);
    cr_expect(strstr(err, path) && strstr(err, "No such file"), "%s", err);
    /* the target is a folder: the rename fails, the temporary file goes */
    snprintf(path, sizeof path, "%s/taken", dir);
    cr_assert_eq(mkdir(path, 0755), 0);
    cr_expect_eq(export_write_npy(&p, NULL, path, err), -1);
    cr_expect(strstr(err, path), "%s", err);
    cr_expect_eq(dir_count(dir), 1, "something was left behind next to the folder");
    rm_dir(dir);
}

/* In a child limited to 2000 bytes per file (SIGXFSZ ignored, so write()
 * fails with EFBIG as on a full disk): the export fails with one line, the
 * old file is untouched and no temporary file remains. */
Test(files, full_disk_reports_and_leaves_the_old_file) {
    char dir[64], path[128];
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/fig.png", dir);
    FILE *f = fopen(path, "w");
    cr_assert_not_null(f);
    fputs("old", f);
    fclose(f);
    float w[S * T];
    ExportPanel p = fixture(w);
    ExportFigure fig;
    build(&fig, &p, 1, 2, true, EXPORT_LIGHT);
    int pipefd[2];
    cr_assert_eq(pipe(pipefd), 0);
    pid_t pid = fork();
    cr_assert_neq(pid, -1);
    if (pid == 0) {
        close(pipefd[0]);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {2000, 2000};
        if (setrlimit(RLIMIT_FSIZE, &rl)) _exit(3);
        char err[EXPORT_ERR_LEN] = "";
        int rc = export_write_png(&fig, NULL, path, err);
        if (write(pipefd[1], err, strlen(err) + 1) < 0) _exit(4);
        _exit(rc == -1 ? 0 : 1);
    }
    close(pipefd[1]);
    char msg[EXPORT_ERR_LEN] = "";
    ssize_t got = read(pipefd[0], msg, sizeof msg - 1);
    close(pipefd[0]);
    int status;
    waitpid(pid, &status, 0);
    cr_assert(WIFEXITED(status), "the child died (signal %d)", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    cr_expect_eq(WEXITSTATUS(status), 0, "the write did not fail");
    cr_expect_gt(got, 0);
    cr_expect(strstr(msg, path) && strstr(msg, "too large"), "message: %s", msg);
    cr_expect(!strchr(msg, '\n'), "one line");
    char *old = slurp(path, NULL);
    cr_expect_str_eq(old, "old", "the old file was touched");
    free(old);
    cr_expect_eq(dir_count(dir), 1, "a temporary file was left behind");
    export_figure_free(&fig);
    rm_dir(dir);
}

Test(files, a_written_png_matches_the_encoded_bytes) {
    char dir[64], path[128], err[EXPORT_ERR_LEN];
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/fig.png", dir);
    float w[S * T];
    ExportPanel p = fixture(w);
    ExportFigure fig;
    build(&fig, &p, 1, 1, false, EXPORT_LIGHT);
    cr_assert_eq(export_write_png(&fig, NULL, path, err), 0, "%s", err);
    uint8_t *mem;
    size_t n, fn;
    cr_assert_eq(export_png_encode(&fig, NULL, &mem, &n, err), 0);
    char *file = slurp(path, &fn);
    cr_assert_eq(fn, n);
    cr_expect_eq(memcmp(file, mem, n), 0);
    struct stat st;
    cr_assert_eq(stat(path, &st), 0);
    cr_expect_neq(st.st_mode & 0044, 0, "a figure should be readable by others (umask permitting)");
    free(mem);
    free(file);
    export_figure_free(&fig);
    rm_dir(dir);
}

static bool contains(const char *hay, size_t n, const char *needle, size_t k) {
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(hay + i, needle, k) == 0) return true;
    return false;
}

Test(files, trace_png_in_one_call) {
    enum { TS = 5, TT = 3, V = 6 };
    static char *vt[V] = {"<pad>", "<sos>", "<eos>", "<unk>", "가", "나"};
    static char *src_tok[TS] = {"a", "b", "c", "d", "e"};
    float w[TT][TS];
    fixture_weights(&w[0][0], TS, TT, 13);
    TraceStep st[TT];
    int pred[TT] = {4, 5, 2};
    for (int t = 0; t < TT; t++) st[t] = (TraceStep){.token_id = pred[t], .reference_id = -1, .weights = w[t]};
    Trace tr;
    memset(&tr, 0, sizeof tr);
    tr.cfg.score = SCORE_ADDITIVE;
    tr.cfg.cell = CELL_GRU;
    tr.cfg.style = STYLE_BAHDANAU;
    tr.S = TS;
    tr.T = TT;
    tr.src_tokens = src_tok;
    tr.tgt = (Vocab){V, vt};
    tr.steps = st;
    char dir[64], path[128], err[EXPORT_ERR_LEN];
    tmp_dir(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/t.png", dir);
    ExportDesc look = {.scale = 2, .theme = EXPORT_DARK, .font_path = fixture_font()};
    cr_assert_eq(export_trace_png(&tr, "toy", "m.safetensors", "abcde", &look, path, err), 0, "%s", err);
    size_t n;
    char *png = slurp(path, &n);
    int x, y, comp;
    unsigned char *px = stbi_load_from_memory((unsigned char *)png, (int)n, &x, &y, &comp, 3);
    cr_assert_not_null(px);
    cr_expect_eq(x % 2, 0, "scale 2: even width");
    cr_expect(contains(png, n, "Score\0additive", 14), "no Score tEXt");
    cr_expect(contains(png, n, "Task\0toy", 8), "no Task tEXt");
    char title[128];
    export_title(title, sizeof title, "toy", &tr.cfg, false);
    cr_expect_str_eq(title, "toy · GRU · Bahdanau · additive score");
    stbi_image_free(px);
    free(png);
    rm_dir(dir);
}
