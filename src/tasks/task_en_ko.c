/* task_en_ko.c — a small English → Korean grammar (word tokenizer).
 *
 *   English:  SUBJ [do/does not] VERB OBJ [PLACE] [TIME]          (SVO)
 *   Korean:   SUBJ-은/는/이/가 [TIME] [PLACE] OBJ-을/를 VERB      (SOV)
 *
 *   I love you                          → 나는 너를 사랑해
 *   a hungry child eats bread at home   → 배고픈 아이가 집에서 빵을 먹어
 *   my friend does not know him         → 내 친구는 그를 몰라
 *
 * Particles follow the rule a Korean learner learns: after a syllable with a
 * final consonant (batchim) 은/이/을, otherwise 는/가/를. A definite or
 * possessed subject (the, my, your, pronouns) takes the topic particle
 * 은/는; an indefinite one ("a child") the subject particle 이/가. Verbs
 * agree in English (he loves / they love), and say which kinds of object
 * they take, so sentences make sense ("eat" takes food, "read" a text).
 * The verb's attention must jump from the end of the Korean sentence back
 * to the middle of the English one.
 */
#include "task_impl.h"

#include <stdio.h>
#include <string.h>

#include "../base/utf8.h"

enum { K_PERSON = 1, K_FOOD = 2, K_DRINK = 4, K_TEXT = 8, K_THING = 16, K_OPEN = 32, K_MEDIA = 64 };

typedef struct { const char *en, *ko; int kind; bool mass; } KoNoun;
typedef struct { const char *en, *ko; int kinds; } KoAdj;
typedef struct { const char *en, *en3, *ko, *ko_neg; int objects; bool place; } KoVerb;

static const KoNoun PRONOUNS_SUBJ[] = {
    {"I", "나", K_PERSON, 0}, {"you", "너", K_PERSON, 0}, {"he", "그", K_PERSON, 0},
    {"she", "그녀", K_PERSON, 0}, {"we", "우리", K_PERSON, 0}, {"they", "그들", K_PERSON, 0},
};
static const char *PRONOUNS_OBJ[] = {"me", "you", "him", "her", "us", "them"};

static const KoNoun NOUNS[] = {
    {"teacher", "선생님", K_PERSON, 0}, {"student", "학생", K_PERSON, 0},
    {"child", "아이", K_PERSON, 0},     {"friend", "친구", K_PERSON, 0},
    {"doctor", "의사", K_PERSON, 0},    {"mother", "어머니", K_PERSON, 0},
    {"father", "아버지", K_PERSON, 0},  {"baby", "아기", K_PERSON, 0},
    {"cook", "요리사", K_PERSON, 0},    {"singer", "가수", K_PERSON, 0},
    {"man", "남자", K_PERSON, 0},       {"woman", "여자", K_PERSON, 0},
    {"boy", "소년", K_PERSON, 0},       {"girl", "소녀", K_PERSON, 0},
    {"apple", "사과", K_FOOD, 0},       {"bread", "빵", K_FOOD, 1},
    {"cake", "케이크", K_FOOD, 0},      {"rice", "밥", K_FOOD, 1},
    {"fish", "생선", K_FOOD, 1},        {"egg", "달걀", K_FOOD, 0},
    {"soup", "국", K_FOOD, 1},          {"water", "물", K_DRINK, 1},
    {"milk", "우유", K_DRINK, 1},       {"coffee", "커피", K_DRINK, 1},
    {"juice", "주스", K_DRINK, 1},      {"book", "책", K_TEXT | K_THING | K_OPEN, 0},
    {"letter", "편지", K_TEXT | K_THING, 0}, {"newspaper", "신문", K_TEXT | K_THING, 0},
    {"car", "자동차", K_THING, 0},      {"house", "집", K_THING, 0},
    {"flower", "꽃", K_THING, 0},       {"picture", "그림", K_THING, 0},
    {"bag", "가방", K_THING | K_OPEN, 0}, {"hat", "모자", K_THING, 0},
    {"chair", "의자", K_THING, 0},      {"umbrella", "우산", K_THING | K_OPEN, 0},
    {"ball", "공", K_THING, 0},         {"door", "문", K_OPEN, 0},
    {"window", "창문", K_OPEN, 0},      {"box", "상자", K_THING | K_OPEN, 0},
    {"movie", "영화", K_MEDIA, 0},      {"song", "노래", K_MEDIA, 0},
};

static const KoAdj ADJS[] = {
    {"kind", "친절한", K_PERSON},  {"happy", "행복한", K_PERSON},  {"young", "젊은", K_PERSON},
    {"tired", "피곤한", K_PERSON}, {"hungry", "배고픈", K_PERSON}, {"little", "어린", K_PERSON},
    {"red", "빨간", K_THING | K_OPEN},   {"blue", "파란", K_THING | K_OPEN},
    {"big", "큰", K_THING | K_OPEN | K_FOOD}, {"small", "작은", K_THING | K_OPEN | K_FOOD},
    {"new", "새", K_THING | K_OPEN | K_TEXT | K_MEDIA}, {"old", "오래된", K_THING | K_OPEN | K_TEXT | K_MEDIA},
    {"pretty", "예쁜", K_THING | K_PERSON}, {"expensive", "비싼", K_THING | K_FOOD | K_DRINK},
    {"cold", "차가운", K_DRINK | K_FOOD}, {"hot", "뜨거운", K_DRINK | K_FOOD},
    {"good", "좋은", K_MEDIA | K_TEXT | K_FOOD},
};

static const KoVerb VERBS[] = {
    {"love", "loves", "사랑해", "사랑하지 않아", K_PERSON, 0},
    {"like", "likes", "좋아해", "좋아하지 않아", K_PERSON | K_FOOD | K_DRINK | K_THING | K_MEDIA, 0},
    {"see", "sees", "봐", "보지 않아", K_PERSON | K_THING | K_MEDIA, 1},
    {"help", "helps", "도와", "돕지 않아", K_PERSON, 1},
    {"meet", "meets", "만나", "만나지 않아", K_PERSON, 1},
    {"know", "knows", "알아", "몰라", K_PERSON | K_MEDIA, 0},
    {"call", "calls", "불러", "부르지 않아", K_PERSON, 1},
    {"wait for", "waits for", "기다려", "기다리지 않아", K_PERSON, 1},
    {"teach", "teaches", "가르쳐", "가르치지 않아", K_PERSON, 1},
    {"eat", "eats", "먹어", "먹지 않아", K_FOOD, 1},
    {"drink", "drinks", "마셔", "마시지 않아", K_DRINK, 1},
    {"read", "reads", "읽어", "읽지 않아", K_TEXT, 1},
    {"buy", "buys", "사", "사지 않아", K_FOOD | K_DRINK | K_THING | K_TEXT, 1},
    {"want", "wants", "원해", "원하지 않아", K_FOOD | K_DRINK | K_THING | K_TEXT, 0},
    {"make", "makes", "만들어", "만들지 않아", K_FOOD | K_THING, 1},
    {"find", "finds", "찾아", "찾지 않아", K_THING | K_TEXT | K_PERSON, 1},
    {"draw", "draws", "그려", "그리지 않아", K_THING | K_PERSON, 1},
    {"sell", "sells", "팔아", "팔지 않아", K_FOOD | K_DRINK | K_THING | K_TEXT, 1},
    {"open", "opens", "열어", "열지 않아", K_OPEN, 1},
    {"wash", "washes", "씻어", "씻지 않아", K_FOOD, 1},
};

static const char *PLACES[][2] = {
    {"at home", "집에서"},          {"at school", "학교에서"},   {"in the park", "공원에서"},
    {"at the market", "시장에서"},  {"in the kitchen", "부엌에서"}, {"at the library", "도서관에서"},
    {"at the station", "역에서"},
};
static const char *TIMES[][2] = {{"today", "오늘"}, {"every day", "매일"}, {"now", "지금"}};

/* true when the last syllable of a Hangul word has a final consonant */
bool ko_has_batchim(const char *word) {
    size_t n = strlen(word);
    if (n < 3) return false;
    uint32_t cp;   /* a syllable is three bytes */
    if (utf8_decode(word + n - 3, 3, &cp) != 3) return false;
    return cp >= 0xAC00 && cp <= 0xD7A3 && (cp - 0xAC00) % 28 != 0;
}

/* noun + particle; which: 0 topic 은/는, 1 subject 이/가, 2 object 을/를 */
static void with_particle(char *dst, size_t cap, const char *noun, int which) {
    static const char *P[3][2] = {{"는", "은"}, {"가", "이"}, {"를", "을"}};
    snprintf(dst, cap, "%s%s", noun, P[which][ko_has_batchim(noun)]);
}

static bool starts_with_vowel(const char *s) { return strchr("aeiou", s[0]) != NULL; }

/* One noun phrase of a kind (mask), in both languages. role: 0 subject, 2 object. */
static void noun_phrase(Rng *rng, int kinds, int role, bool allow_pronoun, StrBuf *en, StrBuf *ko) {
    char word[128];
    if (allow_pronoun && (kinds & K_PERSON) && rng_below(rng, 10) < 4) {
        int i = rng_below(rng, 6);
        sb_word(en, role == 0 ? PRONOUNS_SUBJ[i].en : PRONOUNS_OBJ[i]);
        with_particle(word, sizeof word, PRONOUNS_SUBJ[i].ko, role);
        sb_word(ko, word);
        return;
    }
    const KoNoun *n;
    do n = &PICK(rng, NOUNS); while (!(n->kind & kinds));
    const KoAdj *a = NULL;
    if (rng_below(rng, 10) < 3) {
        int tries = 0;
        do a = &PICK(rng, ADJS); while (!(a->kinds & n->kind) && ++tries < 100);
        if (!(a->kinds & n->kind)) a = NULL;
    }
    /* determiner: the, a/an (count nouns), my, your, or none (mass nouns) */
    int det = rng_below(rng, 4);               /* 0 the, 1 a, 2 my, 3 your */
    if (det == 1 && n->mass) det = 4;          /* "a water" → "water" */
    const char *next = a ? a->en : n->en;
    static const char *DET_EN[] = {"the", "a", "my", "your", ""};
    static const char *DET_KO[] = {"", "", "내", "네", ""};
    sb_word(en, det == 1 && starts_with_vowel(next) ? "an" : DET_EN[det]);
    if (a) sb_word(en, a->en);
    sb_word(en, n->en);
    sb_word(ko, DET_KO[det]);
    if (a) sb_word(ko, a->ko);
    /* an indefinite subject is new information: 이/가 rather than 은/는 */
    with_particle(word, sizeof word, n->ko, role == 0 && det == 1 ? 1 : role);
    sb_word(ko, word);
}

static void en_ko_raw(Rng *rng, char *src, char *tgt, size_t cap) {
    StrBuf en, ko_subj, ko_obj;
    char subj_ko[256], obj_ko[256];
    sb_init(&en, src, cap);
    sb_init(&ko_subj, subj_ko, sizeof subj_ko);
    sb_init(&ko_obj, obj_ko, sizeof obj_ko);

    const KoVerb *v = &PICK(rng, VERBS);
    /* subject: a person; third person singular unless I/you/we/they */
    size_t before = en.len;
    noun_phrase(rng, K_PERSON, 0, true, &en, &ko_subj);
    const char *s0 = src + before;
    bool third = strcmp(s0, "I") && strcmp(s0, "you") && strcmp(s0, "we") && strcmp(s0, "they");
    bool neg = rng_below(rng, 5) == 0;
    if (neg) {
        sb_word(&en, third ? "does not" : "do not");
        sb_word(&en, v->en);
    } else {
        sb_word(&en, third ? v->en3 : v->en);
    }
    noun_phrase(rng, v->objects, 2, true, &en, &ko_obj);
    int place = v->place && rng_below(rng, 4) == 0 ? rng_below(rng, 7) : -1;
    int time = rng_below(rng, 5) == 0 ? rng_below(rng, 3) : -1;
    if (place >= 0) sb_word(&en, PLACES[place][0]);
    if (time >= 0) sb_word(&en, TIMES[time][0]);

    StrBuf ko;
    sb_init(&ko, tgt, cap);
    sb_word(&ko, subj_ko);
    if (time >= 0) sb_word(&ko, TIMES[time][1]);
    if (place >= 0) sb_word(&ko, PLACES[place][1]);
    sb_word(&ko, obj_ko);
    sb_word(&ko, neg ? v->ko_neg : v->ko);
}

TASK_SPLIT_WRAPPER(en_ko_generate, en_ko_raw)

const Task TASK_EN_KO = {
    .name = "en-ko",
    .tokenizer = TOK_WORD,
    .summary = "small English → Korean grammar: SVO becomes SOV, particles 은/는 이/가 을/를",
    .generate = en_ko_generate,
    .generate_any = en_ko_raw,
};
