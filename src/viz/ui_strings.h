/* ui_strings.h — every UI string of the visualizer and the app (the view,
 * the narration, the lesson picker, the charts, the status bar), English and
 * Korean.
 *
 * One table (ui_strings.c): an id, the English text, the Korean text. Both
 * texts of an id take the same printf conversions in the same order (a test
 * checks it). Notation (a_t(s), h̄_s, c_t), token text, score names (dot,
 * general, concat, additive) and key names stay as they are in both.
 */
#ifndef UI_STRINGS_H
#define UI_STRINGS_H

/* UI_PH_ENCODER .. UI_PH_NEXT follow Phase (base/phase.h). */
#define UI_STRING_IDS(X) \
    X(UI_PH_ENCODER) X(UI_PH_QUERY) X(UI_PH_SCORES) X(UI_PH_SOFTMAX) X(UI_PH_CONTEXT) X(UI_PH_COMBINE) X(UI_PH_OUTPUT) X(UI_PH_NEXT) \
    X(UI_D_ENC_FIRST) X(UI_D_ENC_AGAIN) X(UI_D_QUERY) X(UI_D_QUERY_PREV) X(UI_D_SCORES) X(UI_D_SOFTMAX) X(UI_D_CONTEXT) \
    X(UI_D_NO_COMBINE) X(UI_D_COMBINE) X(UI_D_CTX_CELL) X(UI_D_OUTPUT) X(UI_D_EOS) X(UI_D_NEXT) X(UI_D_SKIPPED) \
    X(UI_SOURCE) X(UI_SCORES) X(UI_VALUES) X(UI_WEIGHTS) X(UI_STEP_OF) X(UI_PLAYING) X(UI_PAUSED) \
    X(UI_NO_ATTN_SCORE) X(UI_READ_RTL) X(UI_ENC_NUM) X(UI_BAHDANAU_Q) X(UI_Q0_NUM) X(UI_QT_NUM) \
    X(UI_LARGEST) X(UI_TOP_WEIGHTS) X(UI_NOATTN_FORM) X(UI_OUT_NUM) X(UI_EOS_FORM) X(UI_TF_FORM) X(UI_TF_OFF_FORM) \
    X(UI_FREE_FORM) X(UI_TF_FORCED_REF) X(UI_OWN_PRED_LONG) X(UI_STEP_READS) X(UI_PRED_NE_REF) \
    X(UI_SKIP_FORM) X(UI_SKIP_NUM) \
    X(UI_HOW_START) X(UI_HOW_TF) X(UI_HOW_OWN) X(UI_H0_UNI) X(UI_INPUT_Y) X(UI_CELL) X(UI_Q_START) \
    X(UI_Q_PREV) X(UI_ATTN_STATE) X(UI_NEW_STATE) X(UI_TOP5) X(UI_TOP3) X(UI_EOS_DONE) X(UI_FEED_REF) X(UI_FEED_OWN) \
    X(UI_NEXT_INPUT) X(UI_THE_REF) \
    X(UI_TF_P) X(UI_TF_OFF) X(UI_BTN_ON_TIP) X(UI_BTN_OFF_TIP) \
    X(UI_EDIT_HINT) X(UI_FIELD_INPUT) X(UI_FIELD_REF) X(UI_FIELD_OPT) \
    X(UI_MODELS) X(UI_MENU_KEYS) X(UI_NO_MODELS) X(UI_MENU_OTHER) \
    X(UI_HOV_SRC) X(UI_HOV_UNK) X(UI_HOV_D) X(UI_HOV_OUT) \
    X(UI_KEYS) X(UI_K_MOUSE) X(UI_H_PLAY) X(UI_H_PHASE) X(UI_H_STEP) X(UI_H_FIRST_LAST) X(UI_H_SPEED) \
    X(UI_H_SCORE) X(UI_H_ENTER) X(UI_H_TAB) X(UI_H_TF) X(UI_H_CMP) X(UI_H_FREE) X(UI_H_MODELS) X(UI_H_THEME) \
    X(UI_H_FULL) X(UI_H_SHADERS) X(UI_H_MOUSE) X(UI_H_HELP) X(UI_H_QUIT) \
    X(UI_H_SLIDE) X(UI_H_ZOOM) X(UI_H_PRESENT) X(UI_H_BACK) \
    X(UI_CMP) X(UI_CMP_DEFAULT) X(UI_CMP_ROWS) X(UI_CMP_THIS) X(UI_CMP_OTHER) X(UI_CMP_DIFF) \
    X(UI_CMP_TIP_STEP) X(UI_CMP_NO_STEP) X(UI_CMP_DIFF_NUM) X(UI_CMP_NO_DIFF) \
    X(UI_CMP_SCORES_WHAT) X(UI_CMP_TF_WHAT) X(UI_TEACHER_FORCED) X(UI_FREE_RUNNING) \
    X(UI_EMPTY_TRACE) \
    X(UI_T_BIDI) X(UI_T_CHARS) X(UI_T_WORDS) X(UI_T_INPUT) X(UI_T_REF) X(UI_T_DEMO) \
    X(UI_M_CMP_ENDED) X(UI_M_SAME_SCORE) X(UI_M_FREE_NEEDS_REF) X(UI_M_CMP_DEMO) X(UI_M_CMP_SECOND) \
    X(UI_M_NO_SCORE_MODEL) X(UI_M_MODEL_STAYS) X(UI_M_TYPE_DEMO) X(UI_M_INPUT_EMPTY) X(UI_M_INPUT_FULL) \
    X(UI_M_NO_EXAMPLES) X(UI_M_TF_NEEDS_REF) X(UI_M_MENU_DEMO) X(UI_M_SLIDE_BROKEN) X(UI_M_NO_CHART) \
    X(UI_M_CHART_NO_DIR) X(UI_M_SLIDE_NO_MODEL) X(UI_M_SLIDE_NO_DIR) \
    X(UI_SLIDE) X(UI_LESSONS) X(UI_PICKER_KEYS) X(UI_MINUTES) X(UI_SLIDES) \
    X(UI_BEGINNER) X(UI_INTERMEDIATE) X(UI_ADVANCED) X(UI_BROKEN) X(UI_NO_LESSONS) \
    X(UI_CHART_TITLE) X(UI_CHART_X) X(UI_CHART_Y) X(UI_CHART_ATTENTION) X(UI_CHART_NONE) \
    X(UI_H_RECORD) X(UI_M_RECORDING) X(UI_M_RECORDED) X(UI_M_RECORD_STOPPED) X(UI_M_RECORD_FAILED) \
    X(UI_M_NO_EXPORT_DIR)

typedef enum {
#define UI_ENUM_(id) id,
    UI_STRING_IDS(UI_ENUM_)
#undef UI_ENUM_
    UI_COUNT
} UiStr;

/* lang "ko": Korean; anything else (or NULL): English. Never NULL. */
const char *ui_str(const char *lang, UiStr id);
/* The English text of an id, and the Korean one (for tests). */
const char *ui_str_en(UiStr id);
const char *ui_str_ko(UiStr id);

#endif
