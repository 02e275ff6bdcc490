/* task_en_fr.c — a small English → French grammar (word tokenizer).
 *
 *   the red car                      → la voiture rouge
 *   the european economic area       → la zone économique européenne
 *   she sees the big white houses    → elle voit les grandes maisons blanches
 *   the new central bank is german   → la nouvelle banque centrale est allemande
 *
 * What the model must learn (Bahdanau et al. 2014, Fig. 3):
 *   - most adjectives follow the noun in French, and several of them come in
 *     the reverse of the English order (european economic area → zone
 *     économique européenne); a few (big, small, new, old, good, beautiful)
 *     stay in front, as in English;
 *   - gender and number agree: the noun's gender, which the English does not
 *     show, picks le/la, un/une, mon/ma, ce/cette and every adjective's
 *     ending, also across the verb (la maison est blanche);
 *   - verbs are conjugated for the subject (je vois, nous voyons).
 * No noun starts with a vowel, so there is no elision (l', j') to learn.
 */
#include "task_impl.h"

#include <string.h>

enum { F_CONCRETE = 1, F_INSTITUTION = 2 };

typedef struct { const char *en, *en_pl, *fr, *fr_pl; bool fem; int kind; } FrNoun;
/* forms: masculine singular, feminine singular, masculine plural, feminine plural */
typedef struct { const char *en; const char *fr[4]; } FrAdj;
typedef struct { const char *en, *en3; const char *fr[5]; } FrVerb;   /* je tu il/elle nous ils */

static const FrNoun NOUNS[] = {
    {"car", "cars", "voiture", "voitures", 1, F_CONCRETE},
    {"house", "houses", "maison", "maisons", 1, F_CONCRETE},
    {"book", "books", "livre", "livres", 0, F_CONCRETE},
    {"table", "tables", "table", "tables", 1, F_CONCRETE},
    {"dog", "dogs", "chien", "chiens", 0, F_CONCRETE},
    {"cat", "cats", "chat", "chats", 0, F_CONCRETE},
    {"garden", "gardens", "jardin", "jardins", 0, F_CONCRETE},
    {"door", "doors", "porte", "portes", 1, F_CONCRETE},
    {"bicycle", "bicycles", "vélo", "vélos", 0, F_CONCRETE},
    {"wall", "walls", "mur", "murs", 0, F_CONCRETE},
    {"shirt", "shirts", "chemise", "chemises", 1, F_CONCRETE},
    {"flower", "flowers", "fleur", "fleurs", 1, F_CONCRETE},
    {"train", "trains", "train", "trains", 0, F_CONCRETE},
    {"boat", "boats", "bateau", "bateaux", 0, F_CONCRETE},
    {"letter", "letters", "lettre", "lettres", 1, F_CONCRETE},
    {"chair", "chairs", "chaise", "chaises", 1, F_CONCRETE},
    {"bag", "bags", "sac", "sacs", 0, F_CONCRETE},
    {"dress", "dresses", "robe", "robes", 1, F_CONCRETE},
    {"hat", "hats", "chapeau", "chapeaux", 0, F_CONCRETE},
    {"city", "cities", "ville", "villes", 1, F_CONCRETE},
    {"area", "areas", "zone", "zones", 1, F_INSTITUTION},
    {"market", "markets", "marché", "marchés", 0, F_INSTITUTION},
    {"policy", "policies", "politique", "politiques", 1, F_INSTITUTION},
    {"party", "parties", "parti", "partis", 0, F_INSTITUTION},
    {"bank", "banks", "banque", "banques", 1, F_INSTITUTION},
    {"council", "councils", "conseil", "conseils", 0, F_INSTITUTION},
    {"region", "regions", "région", "régions", 1, F_INSTITUTION},
    {"government", "governments", "gouvernement", "gouvernements", 0, F_INSTITUTION},
    {"company", "companies", "société", "sociétés", 1, F_INSTITUTION},
    {"parliament", "parliaments", "parlement", "parlements", 0, F_INSTITUTION},
    {"commission", "commissions", "commission", "commissions", 1, F_INSTITUTION},
    {"treaty", "treaties", "traité", "traités", 0, F_INSTITUTION},
};

/* before the noun in French too */
static const FrAdj PRE[] = {
    {"big", {"grand", "grande", "grands", "grandes"}},
    {"small", {"petit", "petite", "petits", "petites"}},
    {"new", {"nouveau", "nouvelle", "nouveaux", "nouvelles"}},
    {"old", {"vieux", "vieille", "vieux", "vieilles"}},
    {"good", {"bon", "bonne", "bons", "bonnes"}},
    {"beautiful", {"beau", "belle", "beaux", "belles"}},
};
static const FrAdj COLOUR[] = {
    {"red", {"rouge", "rouge", "rouges", "rouges"}},
    {"black", {"noir", "noire", "noirs", "noires"}},
    {"white", {"blanc", "blanche", "blancs", "blanches"}},
    {"green", {"vert", "verte", "verts", "vertes"}},
    {"blue", {"bleu", "bleue", "bleus", "bleues"}},
};
static const FrAdj ORIGIN[] = {
    {"european", {"européen", "européenne", "européens", "européennes"}},
    {"french", {"français", "française", "français", "françaises"}},
    {"italian", {"italien", "italienne", "italiens", "italiennes"}},
    {"german", {"allemand", "allemande", "allemands", "allemandes"}},
    {"spanish", {"espagnol", "espagnole", "espagnols", "espagnoles"}},
};
static const FrAdj TYPE[] = {
    {"economic", {"économique", "économique", "économiques", "économiques"}},
    {"political", {"politique", "politique", "politiques", "politiques"}},
    {"central", {"central", "centrale", "centraux", "centrales"}},
    {"national", {"national", "nationale", "nationaux", "nationales"}},
    {"social", {"social", "sociale", "sociaux", "sociales"}},
    {"public", {"public", "publique", "publics", "publiques"}},
};

static const FrVerb VERBS[] = {
    {"see", "sees", {"vois", "vois", "voit", "voyons", "voient"}},
    {"sell", "sells", {"vends", "vends", "vend", "vendons", "vendent"}},
    {"take", "takes", {"prends", "prends", "prend", "prenons", "prennent"}},
    {"find", "finds", {"trouve", "trouves", "trouve", "trouvons", "trouvent"}},
    {"want", "wants", {"veux", "veux", "veut", "voulons", "veulent"}},
    {"watch", "watches", {"regarde", "regardes", "regarde", "regardons", "regardent"}},
    {"paint", "paints", {"peins", "peins", "peint", "peignons", "peignent"}},
    {"build", "builds", {"construis", "construis", "construit", "construisons", "construisent"}},
    {"look for", "looks for", {"cherche", "cherches", "cherche", "cherchons", "cherchent"}},
    {"describe", "describes", {"décris", "décris", "décrit", "décrivons", "décrivent"}},
};
/* person index into FrVerb.fr: 0 je, 1 tu, 2 il/elle, 3 nous, 4 ils */
static const struct { const char *en, *fr; int person; } PRONOUNS[] = {
    {"I", "je", 0}, {"you", "tu", 1}, {"he", "il", 2}, {"she", "elle", 2}, {"we", "nous", 3}, {"they", "ils", 4},
};

typedef struct { bool fem, plural; } Agr;

static int form(Agr a) { return (a.plural ? 2 : 0) + (a.fem ? 1 : 0); }

/* A noun phrase in both languages; returns its agreement. */
static Agr noun_phrase(Rng *rng, StrBuf *en, StrBuf *fr) {
    const FrNoun *n = &PICK(rng, NOUNS);
    Agr g = {n->fem, rng_below(rng, 4) == 0};
    int f = form(g);
    /* determiner: the, a (singular only), my, this/these */
    int det = rng_below(rng, 4);
    if (det == 1 && g.plural) det = 0;
    static const char *DET_EN[4][2] = {{"the", "the"}, {"a", "a"}, {"my", "my"}, {"this", "these"}};
    static const char *DET_FR[4][4] = {{"le", "la", "les", "les"}, {"un", "une", "", ""},
                                       {"mon", "ma", "mes", "mes"}, {"ce", "cette", "ces", "ces"}};
    const FrAdj *pre = rng_below(rng, 10) < (n->kind == F_CONCRETE ? 3 : 2) ? &PICK(rng, PRE) : NULL;
    const FrAdj *post[2] = {NULL, NULL};                   /* in English order */
    int r = rng_below(rng, 10);
    if (n->kind == F_CONCRETE) {
        if (r < 4) post[0] = &PICK(rng, COLOUR);
        else if (r < 6) post[0] = &PICK(rng, ORIGIN);
    } else {
        if (r < 2) post[0] = &PICK(rng, ORIGIN);
        else if (r < 4) post[0] = &PICK(rng, TYPE);
        else if (r < 7) post[0] = &PICK(rng, ORIGIN), post[1] = &PICK(rng, TYPE);
    }
    const char *first = pre ? pre->en : post[0] ? post[0]->en : n->en;
    sb_word(en, det == 1 && strchr("aeiou", first[0]) ? "an" : DET_EN[det][g.plural]);
    if (pre) sb_word(en, pre->en);
    for (int i = 0; i < 2; i++)
        if (post[i]) sb_word(en, post[i]->en);
    sb_word(en, g.plural ? n->en_pl : n->en);

    sb_word(fr, DET_FR[det][f]);
    if (pre) sb_word(fr, pre->fr[f]);
    sb_word(fr, g.plural ? n->fr_pl : n->fr);
    for (int i = 1; i >= 0; i--)                           /* reversed: the closest first */
        if (post[i]) sb_word(fr, post[i]->fr[f]);
    return g;
}

static void en_fr_raw(Rng *rng, char *src, char *tgt, size_t cap) {
    StrBuf en, fr;
    sb_init(&en, src, cap);
    sb_init(&fr, tgt, cap);
    int kind = rng_below(rng, 20);
    if (kind < 5) {                                        /* a noun phrase alone */
        noun_phrase(rng, &en, &fr);
    } else if (kind < 12) {                                /* pronoun verb object */
        int p = rng_below(rng, 6);
        const FrVerb *v = &PICK(rng, VERBS);
        sb_word(&en, PRONOUNS[p].en);
        sb_word(&en, PRONOUNS[p].person == 2 ? v->en3 : v->en);
        sb_word(&fr, PRONOUNS[p].fr);
        sb_word(&fr, v->fr[PRONOUNS[p].person]);
        noun_phrase(rng, &en, &fr);
    } else if (kind < 16) {                                /* noun phrase verb object */
        const FrVerb *v = &PICK(rng, VERBS);
        /* the subject is written first, the verb must agree with its number */
        char se[256], sf[256];
        StrBuf sen, sfr;
        sb_init(&sen, se, sizeof se);
        sb_init(&sfr, sf, sizeof sf);
        Agr g = noun_phrase(rng, &sen, &sfr);
        sb_word(&en, se);
        sb_word(&en, g.plural ? v->en : v->en3);
        sb_word(&fr, sf);
        sb_word(&fr, v->fr[g.plural ? 4 : 2]);
        noun_phrase(rng, &en, &fr);
    } else {                                               /* noun phrase is adjective */
        Agr g = noun_phrase(rng, &en, &fr);
        int r = rng_below(rng, 3);
        const FrAdj *a = r == 0 ? &PICK(rng, PRE) : r == 1 ? &PICK(rng, COLOUR) : &PICK(rng, ORIGIN);
        sb_word(&en, g.plural ? "are" : "is");
        sb_word(&en, a->en);
        sb_word(&fr, g.plural ? "sont" : "est");
        sb_word(&fr, a->fr[form(g)]);
    }
}

TASK_SPLIT_WRAPPER(en_fr_generate, en_fr_raw)

const Task TASK_EN_FR = {
    .name = "en-fr",
    .tokenizer = TOK_WORD,
    .summary = "small English → French grammar: adjectives move after the noun and agree",
    .generate = en_fr_generate,
    .generate_any = en_fr_raw,
};
