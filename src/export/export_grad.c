/* export_grad.c — the gradient figure: where the loss's gradient lands on the attention.
 *
 * A gradient trace (engine/gradtrace.h) holds, for every decoder step t and
 * source position s, ∂L/∂a_t(s) = h̄_s · ∂L/∂c_t and ∂L/∂score_t(s) (after
 * the softmax's Jacobian). Either becomes a T × S panel on the alignment's
 * axes, drawn in the gradient scale (ExportDesc.color), the view's own
 * purple–orange (colormap_grad): orange where raising the value would raise
 * the loss, purple where it would lower it.
 */
#include "export_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const struct {
    const char *name, *legend, *quantity, *what;
} GRADS[] = {
    [EXPORT_GRAD_WEIGHTS] = {"d_weights", "\xE2\x88\x82L/\xE2\x88\x82" "a_t(s)",
                             "dL/da_t(s): the loss's gradient at each attention weight", "attention weight"},
    [EXPORT_GRAD_SCORES] = {"d_scores", "\xE2\x88\x82L/\xE2\x88\x82" "score_t(s)",
                            "dL/dscore_t(s): the loss's gradient at each raw score", "score"},
};

int export_grad_parse(const char *s, ExportGrad *out) {
    for (int i = 0; i < 2; i++)
        if (s && strcmp(s, GRADS[i].name) == 0) {
            *out = (ExportGrad)i;
            return 0;
        }
    return -1;
}

const char *export_grad_name(ExportGrad g) { return GRADS[g].name; }
const char *export_grad_legend(ExportGrad g) { return GRADS[g].legend; }
const char *export_grad_quantity(ExportGrad g) { return GRADS[g].quantity; }

float export_panels_absmax(const ExportPanel *panels, int n) {
    float mx = 0.0f;
    for (int p = 0; p < n; p++)
        for (size_t i = 0; i < (size_t)panels[p].S * panels[p].T; i++) mx = fmaxf(mx, fabsf(panels[p].weights[i]));
    return mx;
}

void export_grad_note(char *out, size_t cap, ExportGrad which, const ExportPanel *panels, int n) {
    snprintf(out, cap, "orange: the loss grows as this %s grows \xC2\xB7 purple: it falls \xC2\xB7 "
             "full colour at \xC2\xB1%.3g, the largest |gradient|", GRADS[which].what,
             (double)export_panels_absmax(panels, n));
}

int export_panel_from_grad(ExportPanelData *pd, const GradTrace *g, const Trace *tr, ExportGrad which,
                           const char *heading, char *err) {
    memset(pd, 0, sizeof *pd);
    if (!cfg_attn(&g->cfg))
        return snprintf(err, EXPORT_ERR_LEN, "score none: the model has no attention, so there is no "
                                             "gradient at attention weights or scores"), -1;
    if (tr->S != g->S || tr->T != g->T)
        return snprintf(err, EXPORT_ERR_LEN, "the trace (%d × %d) is not the gradient's decoding (%d × %d)",
                        tr->T, tr->S, g->T, g->S), -1;
    float *v = export_panel_alloc(pd, tr, heading, err);
    if (!v) return -1;
    for (int t = 0; t < g->T; t++) {
        const GradStep *st = &g->steps[t];
        memcpy(v + (size_t)t * g->S, which == EXPORT_GRAD_WEIGHTS ? st->d_weights : st->d_scores,
               (size_t)g->S * sizeof(float));
    }
    return 0;
}
