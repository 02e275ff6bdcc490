#!/usr/bin/python3
"""attnviz_torch — attnviz's seq2seq-with-attention model in PyTorch.

One file that needs only torch. It implements docs/FORMAT.md (the model,
the weights file and the decode trace) as an ``nn.Module``, so that

  * a shipped model opens in PyTorch:
        m = load("assets/models/dates-dot.safetensors")
        m.translate("21 Nov 2026"), m.trace("21 Nov 2026")["steps"][0]["weights"]
  * a model trained in a notebook opens in the app:
        m = Seq2Seq.from_pairs(pairs, Config(score="additive", style="bahdanau"))
        train(m, pairs, steps=500); m.save("mine.safetensors")
  * the numbers are the C engine's to float32 rounding: the same greedy
    output, and `trace()` returns the dict `attnviz decode --trace-json`
    writes, with the same teacher-forcing coin flips (the same xorshift64*
    stream from the same seed).

Importing it changes nothing in torch's global state (threads, random
number generator, default dtype), and neither does building a model: the
weights come from the model's own seeded generator.

The command line (on Debian, torch imports only under /usr/bin/python3):

    attnviz_torch.py decode --model M --input TEXT [--target T --teacher-forcing P
                            --seed N] [--max-len N] [--trace-json FILE]
    attnviz_torch.py train --train pairs.tsv --out M.safetensors [--cell ... --steps N]
    attnviz_torch.py convert-tutorial --encoder enc.pt --decoder dec.pt
                            --input-lang in.json --output-lang out.json --out M.safetensors

`convert-tutorial` turns the model of PyTorch's tutorial "NLP From Scratch:
Translation with a Sequence to Sequence Network and Attention" into an
attnviz file (docs/FORMAT.md, "The PyTorch tutorial's model").
"""
import argparse
import array
import dataclasses
import json
import math
import os
import stat
import struct
import sys
import tempfile
import unicodedata

import torch
import torch.nn as nn
import torch.nn.functional as F

__all__ = ["SPECIALS", "PAD", "SOS", "EOS", "UNK", "AttnvizError", "Rng", "tokenize", "Vocab",
           "Config", "Seq2Seq", "load", "read_safetensors", "write_safetensors",
           "attention_matrix", "loss_on", "train", "tf_probability", "convert_tutorial",
           "read_word_list", "main"]

SPECIALS = ["<pad>", "<sos>", "<eos>", "<unk>"]
PAD, SOS, EOS, UNK = 0, 1, 2, 3


class AttnvizError(Exception):
    """A bad file, input or configuration. str(e) is one printable line that
    names the file or the input and the problem."""


def _printable(s, limit=60):
    """s with every non-printable character escaped, shortened: what an error
    message may quote from a file (no newline, ESC or CR gets through)."""
    s = str(s)
    out = "".join(c if c.isprintable() else repr(c)[1:-1] for c in s[:limit])
    return out + ("…" if len(s) > limit else "")


# ---- the random number generator: the C engine's xorshift64* ----------------------

_M64 = (1 << 64) - 1


class Rng:
    """src/engine/av.c's generator, bit for bit: the same seed gives the C
    engine's stream, so teacher-forcing coins and mini-batches agree."""

    def __init__(self, seed=0):
        if not 0 <= int(seed) <= _M64:
            raise AttnvizError(f"seed {seed} is outside 0 .. 2^64-1")
        z = (int(seed) + 0x9E3779B97F4A7C15) & _M64      # splitmix64 once
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
        z ^= z >> 31
        self.s = z or 0x2545F4914F6CDD1D

    def next(self):
        x = self.s
        x ^= x >> 12
        x ^= (x << 25) & _M64
        x ^= x >> 27
        self.s = x
        return (x * 0x2545F4914F6CDD1D) & _M64

    def uniform(self):
        """[0, 1) with 24 random bits: exactly the C engine's float."""
        return (self.next() >> 40) / 16777216.0

    def below(self, n):
        """A uniform integer in [0, n)."""
        return (self.next() >> 33) % n


def _f32(x):
    """x rounded to float32, as a Python float (what the C engine stores)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


# ---- tokens -------------------------------------------------------------------------

def _is_space(c):
    return (c == 0x20 or 0x09 <= c <= 0x0D or c in (0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F,
                                                    0x205F, 0x3000) or 0x2000 <= c <= 0x200A)


def _is_punct(c):
    """ASCII punctuation and symbols and the common Unicode punctuation
    blocks: the C tokenizer's table (src/engine/tokenize.c)."""
    if c < 0x80:
        return 0x21 <= c <= 0x2F or 0x3A <= c <= 0x40 or 0x5B <= c <= 0x60 or 0x7B <= c <= 0x7E
    return (c in (0xA1, 0xA7, 0xAB, 0xB6, 0xB7, 0xBB, 0xBF, 0x37E, 0x387, 0x30FB) or
            0x2010 <= c <= 0x2027 or 0x2030 <= c <= 0x205E or 0x3001 <= c <= 0x3003 or
            0x3008 <= c <= 0x3011 or 0x3014 <= c <= 0x301F or 0xFF01 <= c <= 0xFF0F or
            0xFF1A <= c <= 0xFF20 or 0xFF3B <= c <= 0xFF40 or 0xFF5B <= c <= 0xFF65)


def tokenize(text, kind):
    """Text → token strings. `char`: every code point is a token; `word`:
    white space separates words and every punctuation mark is a token of its
    own ("Hi, you!" → Hi , you !). Bytes must be valid UTF-8."""
    if isinstance(text, (bytes, bytearray)):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as e:
            raise AttnvizError(f"invalid UTF-8 at byte offset {e.start}") from None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as e:
        raise AttnvizError(f"invalid UTF-8: a lone surrogate at character {e.start}") from None
    if kind == "char":
        return list(text)
    if kind != "word":
        raise AttnvizError(f"unknown tokenizer {_printable(kind)!r} (expected char or word)")
    out, word = [], []
    for ch in text:
        c = ord(ch)
        if _is_space(c) or _is_punct(c):
            if word:
                out.append("".join(word))
                word = []
            if _is_punct(c):
                out.append(ch)
        else:
            word.append(ch)
    if word:
        out.append("".join(word))
    return out


def fold(text):
    """The case fold of the lookup, code point by code point, exactly as the
    C engine's utf8_fold (docs/FORMAT.md, "Lookup"): the simple lowercase of
    A-Z, U+00C0-U+00DE except U+00D7, the pairs of Latin Extended-A
    (U+0100-U+017F, not U+0130), Greek U+0391-U+03A9 except U+03A2 and
    Cyrillic U+0400-U+042F; everything else unchanged. Not str.lower(): that
    maps İ to two characters and a final Σ to ς, by context."""
    def one(c):
        o = ord(c)
        if (0x41 <= o <= 0x5A or 0xC0 <= o <= 0xDE or 0x100 <= o <= 0x17F or 0x391 <= o <= 0x3A9
                or 0x400 <= o <= 0x42F) and o != 0x130:
            low = c.lower()
            return low if len(low) == 1 else c
        return c
    return "".join(one(c) for c in text)


class Vocab:
    """Ids 0 .. n-1; the first four are <pad> <sos> <eos> <unk>. Entries are
    non-empty, valid UTF-8 without control characters, and distinct."""

    def __init__(self, tokens, what="vocabulary"):
        tokens = list(tokens)
        if len(tokens) < 4 or tokens[:4] != SPECIALS:
            raise AttnvizError(f"{what} must start with the four special tokens "
                               f"{' '.join(SPECIALS)}")
        seen = set()
        for i, t in enumerate(tokens):
            if not isinstance(t, str) or not t:
                raise AttnvizError(f"{what} id {i} is empty or not a string")
            try:
                t.encode("utf-8")
            except UnicodeEncodeError:
                raise AttnvizError(f"{what} id {i} is not valid UTF-8") from None
            if any(unicodedata.category(c) == "Cc" for c in t):
                raise AttnvizError(f"{what} id {i} ({_printable(t)!r}) holds a control character")
            if t in seen:
                raise AttnvizError(f"{what} id {i} ({_printable(t)!r}) appears twice")
            seen.add(t)
        self.tokens = tokens
        self._exact = {t: i for i, t in enumerate(tokens) if i >= 4}
        self._folded = {}
        for i, t in enumerate(tokens[4:], 4):
            self._folded.setdefault(fold(t), i)

    def __len__(self):
        return len(self.tokens)

    def __getitem__(self, i):
        return self.tokens[i]

    def find(self, token):
        """The lookup rule: the exact entry; else the first entry equal to it
        ignoring case (fold on both); else <unk>. The four special tokens
        are never found by lookup: typing "<eos>" gives <unk>."""
        i = self._exact.get(token)
        if i is None:
            i = self._folded.get(fold(token), UNK)
        return i

    def encode(self, text, kind):
        return [self.find(t) for t in tokenize(text, kind)]

    def decode(self, ids, kind):
        """Ids → text: stops at <eos>, skips <pad> and <sos>; characters are
        joined as they are, words by single spaces."""
        out = []
        for i in ids:
            if i == EOS:
                break
            if i in (PAD, SOS) or not 0 <= i < len(self.tokens):
                continue
            out.append(self.tokens[i])
        return (" " if kind == "word" else "").join(out)

    @staticmethod
    def build(texts, kind):
        """Every token of texts once, sorted by code point, after the four
        specials: the vocabulary `attnviz train` builds from the same data."""
        toks = set()
        for t in texts:
            toks.update(tokenize(t, kind))
        return Vocab(SPECIALS + sorted(toks - set(SPECIALS)))


# ---- configuration -------------------------------------------------------------------

_CELLS, _STYLES = ("lstm", "gru"), ("luong", "bahdanau")
_SCORES = ("none", "dot", "scaled_dot", "general", "concat", "additive")


@dataclasses.dataclass
class Config:
    """What a model is (docs/FORMAT.md). enc_hidden defaults to hidden (or
    hidden / 2 when bidirectional) and attn_dim to hidden for concat and
    additive, 0 otherwise: the defaults of `attnviz train`."""
    cell: str = "lstm"
    bidirectional: bool = False
    style: str = "luong"
    score: str = "general"
    input_feed: bool = False
    embed: int = 16
    enc_hidden: int = None
    hidden: int = 64
    attn_dim: int = None
    tokenizer: str = "char"
    reverse_source: bool = False
    attn_bias: bool = False
    source_eos: bool = False

    def __post_init__(self):
        if self.enc_hidden is None:
            self.enc_hidden = self.hidden // 2 if self.bidirectional else self.hidden
        if self.attn_dim is None:
            self.attn_dim = self.hidden if self.score in ("concat", "additive") else 0
        self.check()

    @property
    def D(self):
        """the size of one encoder state h̄_s"""
        return 2 * self.enc_hidden if self.bidirectional else self.enc_hidden

    @property
    def G(self):
        return 4 if self.cell == "lstm" else 3

    @property
    def attn(self):
        return self.score != "none"

    @property
    def dec_input(self):
        """I, the decoder cell's input size"""
        if not self.attn:
            return self.embed
        if self.style == "bahdanau":
            return self.embed + self.D
        return self.embed + self.hidden if self.input_feed else self.embed

    def check(self):
        """Refuse a configuration that cannot work, as the C engine does."""
        def bad(msg):
            raise AttnvizError(f"bad configuration: {msg}")
        if self.cell not in _CELLS:
            bad(f"unknown cell {_printable(self.cell)!r} (expected lstm or gru)")
        if self.style not in _STYLES:
            bad(f"unknown style {_printable(self.style)!r} (expected luong or bahdanau)")
        if self.score not in _SCORES:
            bad(f"unknown score {_printable(self.score)!r} (expected {', '.join(_SCORES)})")
        if self.tokenizer not in ("char", "word"):
            bad(f"unknown tokenizer {_printable(self.tokenizer)!r} (expected char or word)")
        for k in ("embed", "enc_hidden", "hidden", "attn_dim"):
            v = getattr(self, k)
            if not isinstance(v, int) or isinstance(v, bool) or not 0 <= v <= 4096:
                bad(f"{k} must be a whole number from {0 if k == 'attn_dim' else 1} to 4096")
        if min(self.embed, self.enc_hidden, self.hidden) < 1:
            bad("embed, enc_hidden and hidden must be at least 1")
        if not self.bidirectional and self.hidden != self.enc_hidden:
            bad(f"a unidirectional encoder hands its last state to the decoder, so hidden "
                f"({self.hidden}) must equal enc_hidden ({self.enc_hidden})")
        if self.score in ("dot", "scaled_dot") and self.hidden != self.D:
            bad(f"score {self.score} compares q and h̄_s directly, so hidden ({self.hidden}) "
                f"must equal the encoder state size D = {self.D}")
        needs_A = self.score in ("concat", "additive")
        if needs_A and self.attn_dim < 1:
            bad(f"score {self.score} needs an attention size attn_dim ≥ 1")
        if not needs_A and self.attn_dim != 0:
            bad(f"score {self.score} has no attention layer, so attn_dim must be 0")
        if self.input_feed and (self.style != "luong" or not self.attn):
            bad("input feeding exists only for the Luong style with attention")
        return self


def tensor_names(cfg):
    """docs/FORMAT.md's tensor table for this configuration, in file order:
    (name, shape) pairs. Needs the vocabulary sizes, so shapes use 'Vs'/'Vt'."""
    G, E, He, H, D, A, I = cfg.G, cfg.embed, cfg.enc_hidden, cfg.hidden, cfg.D, cfg.attn_dim, \
        cfg.dec_input
    t = [("encoder.embedding.weight", ("Vs", E)),
         ("encoder.rnn.weight_ih_l0", (G * He, E)), ("encoder.rnn.weight_hh_l0", (G * He, He)),
         ("encoder.rnn.bias_ih_l0", (G * He,)), ("encoder.rnn.bias_hh_l0", (G * He,))]
    if cfg.bidirectional:
        t += [(n + "_reverse", s) for n, s in t[1:]]
        t += [("bridge.weight", (H, 2 * He)), ("bridge.bias", (H,))]
    t += [("decoder.embedding.weight", ("Vt", E)),
          ("decoder.rnn.weight_ih_l0", (G * H, I)), ("decoder.rnn.weight_hh_l0", (G * H, H)),
          ("decoder.rnn.bias_ih_l0", (G * H,)), ("decoder.rnn.bias_hh_l0", (G * H,))]
    b = cfg.attn_bias
    if cfg.score == "general":
        t += [("attention.W_a.weight", (H, D))] + ([("attention.W_a.bias", (H,))] if b else [])
    elif cfg.score == "concat":
        t += [("attention.W_a.weight", (A, H + D))] + ([("attention.W_a.bias", (A,))] if b else [])
        t += [("attention.v_a.weight", (1, A))] + ([("attention.v_a.bias", (1,))] if b else [])
    elif cfg.score == "additive":
        t += [("attention.W_a.weight", (A, H))] + ([("attention.W_a.bias", (A,))] if b else [])
        t += [("attention.U_a.weight", (A, D))] + ([("attention.U_a.bias", (A,))] if b else [])
        t += [("attention.v_a.weight", (1, A))] + ([("attention.v_a.bias", (1,))] if b else [])
    if cfg.attn and cfg.style == "luong":
        t += [("decoder.W_c.weight", (H, D + H))] + ([("decoder.W_c.bias", (H,))] if b else [])
    t += [("decoder.out.weight", ("Vt", H)), ("decoder.out.bias", ("Vt",))]
    return t


# ---- the model ----------------------------------------------------------------------------

class Attention(nn.Module):
    """score(q, h̄_s) for every source position s. Parameter names follow the
    format's table. q [B, H], keys [B, S, D] → raw scores [B, S]."""

    def __init__(self, cfg):
        super().__init__()
        self.score, self.D = cfg.score, cfg.D
        H, D, A, b, f32 = cfg.hidden, cfg.D, cfg.attn_dim, cfg.attn_bias, torch.float32
        if self.score == "general":
            self.W_a = nn.Linear(D, H, bias=b, dtype=f32)          # W_a: H × D
        elif self.score == "concat":
            self.W_a = nn.Linear(H + D, A, bias=b, dtype=f32)      # W_a: A × (H + D)
            self.v_a = nn.Linear(A, 1, bias=b, dtype=f32)          # v_a: 1 × A
        elif self.score == "additive":
            self.W_a = nn.Linear(H, A, bias=b, dtype=f32)          # W_a: A × H
            self.U_a = nn.Linear(D, A, bias=b, dtype=f32)          # U_a: A × D
            self.v_a = nn.Linear(A, 1, bias=b, dtype=f32)          # v_a: 1 × A

    def forward(self, q, keys):
        s = self.score
        if s == "dot":                              # qᵀ h̄_s
            return torch.bmm(keys, q.unsqueeze(2)).squeeze(2)
        if s == "scaled_dot":                       # qᵀ h̄_s / √D
            return torch.bmm(keys, q.unsqueeze(2)).squeeze(2) / math.sqrt(self.D)
        if s == "general":                          # qᵀ (W_a h̄_s + b_a)
            return torch.bmm(self.W_a(keys), q.unsqueeze(2)).squeeze(2)
        if s == "concat":                           # v_aᵀ tanh(W_a [q ; h̄_s] + b_W) + b_v
            qs = q.unsqueeze(1).expand(-1, keys.shape[1], -1)
            return self.v_a(torch.tanh(self.W_a(torch.cat([qs, keys], 2)))).squeeze(2)
        # additive:                                   v_aᵀ tanh(W_a q + b_W + U_a h̄_s + b_U) + b_v
        return self.v_a(torch.tanh(self.W_a(q).unsqueeze(1) + self.U_a(keys))).squeeze(2)


class Encoder(nn.Module):
    def __init__(self, cfg, V_src):
        super().__init__()
        RNN = nn.LSTM if cfg.cell == "lstm" else nn.GRU
        self.embedding = nn.Embedding(V_src, cfg.embed, dtype=torch.float32)
        self.rnn = RNN(cfg.embed, cfg.enc_hidden, batch_first=True,
                       bidirectional=cfg.bidirectional, dtype=torch.float32)


class Decoder(nn.Module):
    def __init__(self, cfg, V_tgt):
        super().__init__()
        RNN = nn.LSTM if cfg.cell == "lstm" else nn.GRU
        H = cfg.hidden
        self.embedding = nn.Embedding(V_tgt, cfg.embed, dtype=torch.float32)
        self.rnn = RNN(cfg.dec_input, H, batch_first=True, dtype=torch.float32)
        if cfg.attn and cfg.style == "luong":                # h̃_t = tanh(W_c [c_t ; h_t] + b_c)
            self.W_c = nn.Linear(cfg.D + H, H, bias=cfg.attn_bias, dtype=torch.float32)
        self.out = nn.Linear(H, V_tgt, dtype=torch.float32)  # p_t = softmax(W_o · + b_o)


class Seq2Seq(nn.Module):
    """The whole model. Its state_dict has exactly the tensor names of an
    attnviz file (docs/FORMAT.md), so `load_state_dict` on a file's tensors
    reports no missing and no unexpected keys.

    src_vocab, tgt_vocab: Vocab objects or lists of tokens (the four
    specials first). seed picks the initial weights (embeddings N(0, 1),
    the rest U(±1/√fan_in), PyTorch's defaults) from a private generator."""

    def __init__(self, config, src_vocab, tgt_vocab, seed=0, task="", notes=""):
        super().__init__()
        cfg = config if isinstance(config, Config) else Config(**config)
        cfg.check()
        self.config = cfg
        self.src_vocab = src_vocab if isinstance(src_vocab, Vocab) else Vocab(src_vocab, "src_vocab")
        self.tgt_vocab = tgt_vocab if isinstance(tgt_vocab, Vocab) else Vocab(tgt_vocab, "tgt_vocab")
        self.task, self.notes, self.trained_steps = task, notes, 0
        # torch's own initialisers draw from the global generator: fork it, so
        # that building a model leaves the caller's random state untouched
        with torch.random.fork_rng(devices=[]):
            self.encoder = Encoder(cfg, len(self.src_vocab))
            if cfg.bidirectional:                    # h_0 = tanh(W_b [h→_S ; h←_1] + b_b)
                self.bridge = nn.Linear(2 * cfg.enc_hidden, cfg.hidden, dtype=torch.float32)
            self.decoder = Decoder(cfg, len(self.tgt_vocab))
            if cfg.score in ("general", "concat", "additive"):
                self.attention = Attention(cfg)
            else:
                self._scores = Attention(cfg)        # dot, scaled_dot, none: no parameters
        self.reset_parameters(seed)

    # -- construction --

    def reset_parameters(self, seed=0):
        """Embeddings N(0, 1); recurrent and linear layers U(±1/√fan_in) with
        the fan-in the C engine uses (PyTorch's default distributions)."""
        g = torch.Generator().manual_seed(int(seed))
        cfg = self.config
        with torch.no_grad():
            for name, p in self.named_parameters():
                if "embedding" in name:
                    p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float32))
                    continue
                if name.startswith("encoder.rnn"):
                    fan = cfg.enc_hidden
                elif name.startswith("decoder.rnn"):
                    fan = cfg.hidden
                elif name.endswith(".bias"):
                    fan = self.get_parameter(name[:-4] + "weight").shape[1]
                else:
                    fan = p.shape[1]
                b = 1.0 / math.sqrt(fan)
                p.copy_((torch.rand(p.shape, generator=g, dtype=torch.float32) * 2 - 1) * b)
        return self

    @classmethod
    def from_pairs(cls, pairs, config=None, seed=0, task="", notes=""):
        """A fresh model whose vocabularies are built from (source, target)
        text pairs the way `attnviz train` builds them."""
        cfg = config or Config()
        pairs = list(pairs)
        return cls(cfg, Vocab.build((s for s, _ in pairs), cfg.tokenizer),
                   Vocab.build((t for _, t in pairs), cfg.tokenizer), seed=seed, task=task,
                   notes=notes)

    @property
    def _attn(self):
        return self.attention if hasattr(self, "attention") else self._scores

    # -- text → ids --

    def source_ids(self, text):
        """Input text → source ids (with <eos> appended for source_eos) and
        the positions that became <unk>."""
        toks = tokenize(text, self.config.tokenizer)
        if not toks:
            raise AttnvizError("the input has no tokens")
        ids = [self.src_vocab.find(t) for t in toks]
        unknown = [s for s, i in enumerate(ids) if i == UNK]
        if self.config.source_eos:
            ids.append(EOS)
        return ids, unknown

    def target_ids(self, text):
        """Reference text → target ids, <eos> not included."""
        return self.tgt_vocab.encode(text, self.config.tokenizer)

    # -- the forward pass, over a batch of B examples --

    def encode(self, srcs):
        """srcs: B lists of source ids (input order, <eos> already appended
        when source_eos). Returns the memory [B, S, D] in reading order (0 at
        padding), the mask [B, S] (True on real tokens), the decoder's start
        state (as its rnn takes it) and h_0 [B, H]."""
        cfg, dev = self.config, self.decoder.out.weight.device
        B, lens = len(srcs), [len(s) for s in srcs]
        S = max(lens)
        read = [list(reversed(s)) if cfg.reverse_source else list(s) for s in srcs]
        ids = torch.tensor([r + [PAD] * (S - len(r)) for r in read], device=dev)
        x = self.encoder.embedding(ids)                                 # x_s = E_src[token_s]
        packed = nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lens), batch_first=True,
                                                    enforce_sorted=False)
        out, state = self.encoder.rnn(packed)
        mem, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=S)
        mask = torch.arange(S, device=dev).unsqueeze(0) < torch.tensor(lens, device=dev).unsqueeze(1)
        lstm = cfg.cell == "lstm"
        h_n = state[0] if lstm else state                               # [dirs, B, He]
        if cfg.bidirectional:              # h_0 = tanh(W_b [h→_S ; h←_1] + b_b), c_0 = 0
            h0 = torch.tanh(self.bridge(torch.cat([h_n[0], h_n[1]], 1)))
            c0 = torch.zeros_like(h0)
        else:                              # h_0 = h→_S, c_0 = c→_S
            h0 = h_n[0]
            c0 = state[1][0] if lstm else None
        st = (h0.unsqueeze(0), c0.unsqueeze(0)) if lstm else h0.unsqueeze(0)
        return mem, mask, st, h0

    def attend(self, q, mem, mask):
        """Raw scores [B, S], weights a_t [B, S] and context c_t [B, D]."""
        sc = self._attn(q, mem)
        a = torch.softmax(sc.masked_fill(~mask, float("-inf")), 1)     # a_t = softmax_s(score)
        c = torch.bmm(a.unsqueeze(1), mem).squeeze(1)                    # c_t = Σ_s a_t(s) h̄_s
        return sc, a, c

    def step(self, y_prev, st, mem, mask, h_tilde_prev):
        """One decoder step for the batch: y_prev [B] ids, st the rnn state.
        Returns logits [B, V], the new state, what W_o read (h̃_t or h_t) and
        this step's trace fields."""
        cfg = self.config
        emb = self.decoder.embedding(y_prev)                             # E_tgt[y_{t-1}]
        h_prev = st[0][0] if cfg.cell == "lstm" else st[0]
        f = {}
        if cfg.attn and cfg.style == "bahdanau":       # query = h_{t-1}, before the cell
            sc, a, c = self.attend(h_prev, mem, mask)
            out, st = self.decoder.rnn(torch.cat([emb, c], 1).unsqueeze(1), st)
            h = top = out[:, 0]
            f.update(query=h_prev, scores=sc, weights=a, context=c)
        else:
            x = torch.cat([emb, h_tilde_prev], 1) if cfg.input_feed else emb
            out, st = self.decoder.rnn(x.unsqueeze(1), st)
            h = top = out[:, 0]
            if cfg.attn:                               # query = h_t, after the cell
                sc, a, c = self.attend(h, mem, mask)
                top = torch.tanh(self.decoder.W_c(torch.cat([c, h], 1)))   # h̃_t
                f.update(query=h, scores=sc, weights=a, context=c)
        f.update(attentional=top, hidden=h)
        return self.decoder.out(top), st, top, f

    def run(self, srcs, refs=None, tf_p=0.0, rng=None, max_len=64, keep=False):
        """The decoder over a batch, exactly as the C engine runs it.

        refs: None (greedy, until every row has produced <eos> or max_len
        steps), or B lists of reference ids ending in <eos> (T = the longest).
        Step 1 reads <sos>; at every step t ≥ 2 with references and
        tf_p > 0, one coin per row, row by row: u = rng.uniform(); u < tf_p
        and a reference exists → the reference y*_{t-1}, else the row's own
        argmax at t-1 (no gradient through that choice).
        Returns dict(logits [B, T, V], probs, pred [T][B], inputs, coins,
        forced, and with keep=True the trace fields of every step)."""
        mem, mask, st, h0 = self.encode(srcs)
        B, H, dev = len(srcs), self.config.hidden, mem.device
        T = max(len(r) for r in refs) if refs is not None else max_len
        tf_p = _f32(tf_p)
        if refs is not None and tf_p > 0 and rng is None:
            rng = Rng(0)
        h_tilde = torch.zeros(B, H, dtype=mem.dtype, device=dev)
        logits, steps, inputs, coins, forced, pred = [], [], [], [], [], []
        done = [False] * B
        for i in range(T):
            if i == 0:
                y = [SOS] * B
                coin, frc = [None] * B, [False] * B
            else:
                y, coin, frc = list(pred[-1]), [None] * B, [False] * B
                if refs is not None and tf_p > 0:
                    for b in range(B):
                        u = rng.uniform()
                        coin[b] = u
                        if u < tf_p and i - 1 < len(refs[b]):   # heads: the reference
                            y[b], frc[b] = refs[b][i - 1], True
            lg, st, h_tilde, f = self.step(torch.tensor(y, device=dev), st, mem, mask, h_tilde)
            p = torch.softmax(lg, 1)
            pr = torch.argmax(p.detach(), 1).tolist()
            logits.append(lg)
            inputs.append(y)
            coins.append(coin)
            forced.append(frc)
            pred.append(pr)
            if keep:
                f["probs"] = p
                steps.append(f)
            if refs is None:
                done = [d or t == EOS for d, t in zip(done, pr)]
                if all(done):
                    break
        return {"logits": torch.stack(logits, 1), "pred": pred, "inputs": inputs,
                "coins": coins, "forced": forced, "steps": steps, "memory": mem, "h0": h0}

    # -- one decoding, with its trace --

    @torch.no_grad()
    def trace(self, text, target=None, teacher_forcing=0.0, seed=0, max_len=64):
        """Decode one input and return every number of it: the dict that
        `attnviz decode --trace-json` writes (docs/FORMAT.md, "The decode
        trace"). Without target: greedy until <eos> or max_len steps. With
        target (a reference text): exactly its length + 1 steps, and
        teacher_forcing P replays training's coin flips from seed.

        text may also be a list of source ids (no lookup; <eos> is still
        appended for a source_eos model)."""
        cfg = self.config
        if isinstance(text, str):
            src, unknown = self.source_ids(text)
        else:
            src = [int(i) for i in text]
            if not src:
                raise AttnvizError("the input has no tokens")
            unknown = [s for s, i in enumerate(src) if i == UNK]
            if cfg.source_eos:
                src.append(EOS)
        if any(not 0 <= i < len(self.src_vocab) for i in src):
            raise AttnvizError("a source id is outside the source vocabulary")
        if not 1 <= max_len <= 10000:
            raise AttnvizError("max_len must be from 1 to 10000")
        ref = None
        if target is not None:
            ref = (self.target_ids(target) if isinstance(target, str) else [int(i) for i in target])
            if any(not 0 <= i < len(self.tgt_vocab) for i in ref):
                raise AttnvizError("a reference id is outside the target vocabulary")
            ref = ref + [EOS]
        p = _f32(teacher_forcing) if ref is not None else 0.0
        if not 0.0 <= p <= 1.0:
            raise AttnvizError("teacher_forcing must be in [0, 1]")
        r = self.run([src], [ref] if ref else None, p, Rng(seed), max_len, keep=True)
        S, T = len(src), len(r["pred"])

        def order(v):         # reading order → the input's own order (reverse_source)
            return v.flip(0) if cfg.reverse_source else v

        def vec(v):
            return None if v is None else [float(x) for x in v.reshape(-1).tolist()]

        tok = self.tgt_vocab.tokens
        steps = []
        for i, f in enumerate(r["steps"]):
            st = {"input_token": tok[r["inputs"][i][0]], "teacher_forced": r["forced"][i][0],
                  "coin": r["coins"][i][0]}
            st["query"] = vec(f["query"][0]) if "query" in f else None
            st["scores"] = vec(order(f["scores"][0])) if "scores" in f else None
            st["weights"] = vec(order(f["weights"][0])) if "weights" in f else None
            st["context"] = vec(f["context"][0]) if "context" in f else None
            for k in ("attentional", "hidden", "probs"):
                st[k] = vec(f[k][0])
            st["token"] = tok[r["pred"][i][0]]
            if ref is not None:
                st["reference"] = tok[ref[i]]
            steps.append(st)
        out = []
        for i in range(T):
            if r["pred"][i][0] == EOS:
                break
            out.append(tok[r["pred"][i][0]])
        m = {"cell": cfg.cell, "bidirectional": cfg.bidirectional, "style": cfg.style,
             "score": cfg.score, "input_feed": cfg.input_feed, "embed": cfg.embed,
             "enc_hidden": cfg.enc_hidden, "hidden": cfg.hidden, "attn_dim": cfg.attn_dim,
             "tokenizer": cfg.tokenizer, "reverse_source": cfg.reverse_source,
             "attn_bias": cfg.attn_bias, "source_eos": cfg.source_eos,
             "D": cfg.D, "tgt_vocab_size": len(self.tgt_vocab), "S": S, "T": T}
        return {"model": m, "has_reference": ref is not None, "teacher_forcing": p,
                "seed": int(seed), "source_tokens": [self.src_vocab[i] for i in src],
                "unknown_source": unknown,
                "encoder_states": [vec(h) for h in order(r["memory"][0])],
                "decoder_start": vec(r["h0"][0]), "steps": steps, "output_tokens": out}

    @torch.no_grad()
    def translate(self, text, max_len=64):
        """Greedy decoding: the output text, as `attnviz decode` prints it."""
        src, _ = self.source_ids(text)
        r = self.run([src], max_len=max_len)
        return self.tgt_vocab.decode([p[0] for p in r["pred"]], self.config.tokenizer)

    # -- files --

    def metadata(self):
        """The file's __metadata__, keys in the C engine's order."""
        cfg = self.config

        def tf(b):
            return "true" if b else "false"

        def js(v):
            return json.dumps(v.tokens, separators=(",", ":"), ensure_ascii=False)
        m = {"format": "seq2seq-attention", "version": "1", "cell": cfg.cell,
             "bidirectional": tf(cfg.bidirectional), "style": cfg.style, "score": cfg.score,
             "input_feed": tf(cfg.input_feed), "embed": str(cfg.embed),
             "enc_hidden": str(cfg.enc_hidden), "hidden": str(cfg.hidden),
             "attn_dim": str(cfg.attn_dim), "tokenizer": cfg.tokenizer,
             "reverse_source": tf(cfg.reverse_source)}
        if cfg.attn_bias:                  # optional keys: written only when true
            m["attn_bias"] = "true"
        if cfg.source_eos:
            m["source_eos"] = "true"
        m.update(src_vocab=js(self.src_vocab), tgt_vocab=js(self.tgt_vocab), task=self.task or "",
                 trained_steps=str(int(self.trained_steps)), notes=self.notes or "")
        return m

    def save(self, path):
        """Write an attnviz .safetensors file (docs/FORMAT.md) that the app,
        the C engine and the safetensors library read. A regular file is
        replaced atomically; a symlink is written through; a device or FIFO
        is written directly; "-" is standard output."""
        sd = self.state_dict()
        tensors = {}
        for name, _ in tensor_names(self.config):
            t = sd[name].detach().to("cpu", torch.float32).contiguous()
            if not bool(torch.isfinite(t).all()):
                raise AttnvizError(f"{path}: tensor {name} holds a non-finite value; not saved")
            tensors[name] = t
        write_safetensors(path, tensors, self.metadata())

    @classmethod
    def load(cls, path):
        return load(path)


def attention_matrix(trace):
    """The trace's attention as a T × S tensor: row t is a_t over the source
    tokens (trace["source_tokens"]); rows follow trace["steps"]."""
    rows = [s["weights"] for s in trace["steps"]]
    if any(r is None for r in rows):
        raise AttnvizError("this model has no attention (score none)")
    return torch.tensor(rows)


# ---- safetensors, by hand (no safetensors package needed) ------------------------------------

def _no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise AttnvizError(f"duplicate key {_printable(k)!r}")
        d[k] = v
    return d


def read_safetensors(path):
    """Read any F32 safetensors file strictly: (metadata dict of strings,
    {name: float32 tensor}) in file order. Every problem is one AttnvizError
    line naming the file."""
    def bad(msg):
        raise AttnvizError(f"{path}: {msg}")
    try:
        st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            bad("is a folder")
        with open(path, "rb") as f:
            head = f.read(8)
            if len(head) < 8:
                bad(f"too short for a safetensors file ({len(head)} bytes)")
            (n,) = struct.unpack("<Q", head)
            if n > 100_000_000:
                bad(f"header length {n} is absurd: not a safetensors file?")
            if stat.S_ISREG(st.st_mode) and n > st.st_size - 8:
                bad(f"header length {n} is larger than the rest of the file: truncated?")
            hdr = f.read(n)
            if len(hdr) < n:
                bad(f"header length {n} is larger than the rest of the file: truncated?")
            try:
                header = json.loads(hdr.decode("utf-8"), object_pairs_hook=_no_duplicates)
            except AttnvizError as e:
                bad(f"header has a {e}")
            except (UnicodeDecodeError, ValueError):
                bad("header is not valid JSON")
            if not isinstance(header, dict):
                bad("header is not a JSON object")
            spans = []
            for name, e in header.items():
                if name == "__metadata__":
                    continue
                if not isinstance(e, dict) or e.get("dtype") != "F32":
                    bad(f"tensor {_printable(name)}: only F32 tensors are supported")
                shape, off = e.get("shape"), e.get("data_offsets")
                if (not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape)
                        or not isinstance(off, list) or len(off) != 2 or
                        not all(type(o) is int and o >= 0 for o in off) or off[0] > off[1]):
                    bad(f"tensor {_printable(name)}: bad shape or data_offsets")
                if off[1] - off[0] != 4 * math.prod(shape):
                    bad(f"tensor {_printable(name)}: data_offsets span {off[1] - off[0]} bytes, "
                        f"its shape needs {4 * math.prod(shape)}")
                spans.append((off[0], off[1], name, shape))
            size = sum(b - a for a, b, _, _ in spans)
            if stat.S_ISREG(st.st_mode) and size != st.st_size - 8 - n:
                bad(f"the data is {st.st_size - 8 - n} bytes but the tensors cover {size}")
            data = f.read(size + 1)
            if len(data) != size:
                bad(f"the data is {len(data)} bytes but the tensors cover {size}")
    except OSError as e:
        bad(f"cannot read: {e.strerror or e}")
    at = 0
    for a, b, name, _ in sorted(spans):
        if a != at:
            bad(f"tensor {_printable(name)} overlaps another or leaves a hole in the data")
        at = b
    meta = header.get("__metadata__", {})
    if not isinstance(meta, dict) or not all(isinstance(v, str) for v in meta.values()):
        bad("__metadata__ is not a map of strings")
    tensors = {}
    for a, b, name, shape in spans:
        buf = array.array("f")
        buf.frombytes(data[a:b])
        if sys.byteorder == "big":
            buf.byteswap()
        t = (torch.frombuffer(buf, dtype=torch.float32).clone() if len(buf) else
             torch.zeros(0)).reshape(shape)
        if not bool(torch.isfinite(t).all()):
            bad(f"tensor {_printable(name)} holds a non-finite value")
        tensors[name] = t
    return meta, tensors


def write_safetensors(path, tensors, metadata):
    """tensors: {name: tensor} in the order to write; metadata: {str: str}.
    Header padded with spaces to a multiple of 8 bytes, as the C engine and
    the Python library write it."""
    header, blobs, off = {"__metadata__": dict(metadata)}, [], 0
    for name, t in tensors.items():
        t = t.detach().to("cpu", torch.float32).contiguous()
        buf = array.array("f", t.reshape(-1).tolist())
        if sys.byteorder == "big":
            buf.byteswap()
        b = buf.tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    h += b" " * (-len(h) % 8)
    _write_out(path, [struct.pack("<Q", len(h)), h] + blobs)


def _write_out(path, chunks):
    """The house rule for output files: "-" is standard output; a symlink is
    resolved and its target written; a device, FIFO or socket is written
    directly; a regular file (or a new path) gets a temporary file beside
    it, renamed into place only once everything is written."""
    if path == "-":
        out = sys.stdout.buffer
        for c in chunks:
            out.write(c)
        out.flush()
        return
    real = os.path.realpath(path)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as e:
        raise AttnvizError(f"{path}: {e.strerror}") from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise AttnvizError(f"{path}: that is a folder")
    try:
        if st is not None and not stat.S_ISREG(st.st_mode):
            with open(real, "wb") as f:
                for c in chunks:
                    f.write(c)
            return
        fd, tmp = tempfile.mkstemp(prefix=os.path.basename(real) + ".tmp.",
                                   dir=os.path.dirname(real) or ".")
    except OSError as e:
        raise AttnvizError(f"{path}: cannot write: {e.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            for c in chunks:
                f.write(c)
        os.chmod(tmp, 0o644)
        os.replace(tmp, real)
    except OSError as e:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise AttnvizError(f"{path}: write failed: {e.strerror}") from None


def _meta_bool(meta, key, path, optional=False):
    v = meta.get(key)
    if v is None and optional:
        return False
    if v not in ("true", "false"):
        raise AttnvizError(f"{path}: __metadata__ {key!r} is "
                           f"{'missing' if v is None else repr(_printable(v, 40))}, expected \"true\" or \"false\"")
    return v == "true"


def _meta_int(meta, key, path):
    v = meta.get(key)
    if v is None or not v.isascii() or not v.isdigit() or int(v) > 1000000:
        raise AttnvizError(f"{path}: __metadata__ {key!r} is "
                           f"{'missing' if v is None else repr(_printable(v, 40))}, not a whole number")
    return int(v)


def load(path):
    """Open an attnviz .safetensors file as a Seq2Seq (float32, eval mode).
    The file's tensors go through load_state_dict(strict=True): a file with
    a missing or an extra tensor is refused, naming it."""
    meta, tensors = read_safetensors(path)
    if not meta:
        raise AttnvizError(f"{path}: header has no __metadata__ (not an attnviz model?)")
    if meta.get("format") != "seq2seq-attention":
        raise AttnvizError(f"{path}: format is {_printable(meta.get('format'), 40)!r}, "
                           "expected \"seq2seq-attention\"")
    if meta.get("version") != "1":
        raise AttnvizError(f"{path}: version {_printable(meta.get('version'), 20)!r} is not "
                           "supported (expected \"1\")")
    for k in ("cell", "style", "score", "tokenizer"):
        if k not in meta:
            raise AttnvizError(f"{path}: __metadata__ has no {k!r}")
    try:
        cfg = Config(cell=meta["cell"], bidirectional=_meta_bool(meta, "bidirectional", path),
                     style=meta["style"], score=meta["score"],
                     input_feed=_meta_bool(meta, "input_feed", path),
                     embed=_meta_int(meta, "embed", path),
                     enc_hidden=_meta_int(meta, "enc_hidden", path),
                     hidden=_meta_int(meta, "hidden", path),
                     attn_dim=_meta_int(meta, "attn_dim", path), tokenizer=meta["tokenizer"],
                     reverse_source=_meta_bool(meta, "reverse_source", path, optional=True),
                     attn_bias=_meta_bool(meta, "attn_bias", path, optional=True),
                     source_eos=_meta_bool(meta, "source_eos", path, optional=True))
        vocabs = []
        for k in ("src_vocab", "tgt_vocab"):
            try:
                v = json.loads(meta.get(k, ""))
            except ValueError:
                v = None
            if not isinstance(v, list):
                raise AttnvizError(f"__metadata__ {k!r} is not a JSON array of strings")
            vocabs.append(Vocab(v, k))
    except AttnvizError as e:
        msg = str(e)
        raise AttnvizError(msg if msg.startswith(f"{path}:") else f"{path}: {msg}") from None
    steps = meta.get("trained_steps", "0")
    if not steps.isascii() or not steps.isdigit():
        raise AttnvizError(f"{path}: __metadata__ 'trained_steps' is not a whole number")
    m = Seq2Seq(cfg, vocabs[0], vocabs[1], task=meta.get("task", ""), notes=meta.get("notes", ""))
    m.trained_steps = int(steps)
    want = m.state_dict()
    for name in tensors:
        if name not in want:
            raise AttnvizError(f"{path}: unexpected tensor {_printable(name)} (this {cfg.cell}/"
                               f"{cfg.style}/{cfg.score} configuration has no such tensor)")
    for name, t in want.items():
        if name not in tensors:
            raise AttnvizError(f"{path}: missing tensor {name}")
        if tuple(tensors[name].shape) != tuple(t.shape):
            raise AttnvizError(f"{path}: tensor {name} has shape {list(tensors[name].shape)}, "
                               f"expected {list(t.shape)}")
    m.load_state_dict(tensors, strict=True)
    return m.eval()


# ---- loss and training ----------------------------------------------------------------------

def loss_on(model, batch, tf_p=1.0, rng=None):
    """Mean cross-entropy over every target token of the batch, <eos>
    included and padding excluded: the C engine's training loss.
    batch: list of (source ids, target ids WITHOUT <eos>). Returns
    (loss tensor, number of target tokens, number predicted right)."""
    srcs = [list(s) + ([EOS] if model.config.source_eos else []) for s, _ in batch]
    refs = [list(t) + [EOS] for _, t in batch]
    r = model.run(srcs, refs, tf_p, rng)
    T = r["logits"].shape[1]
    tgt = torch.tensor([y + [-100] * (T - len(y)) for y in refs], device=r["logits"].device)
    n = int((tgt >= 0).sum())
    loss = F.cross_entropy(r["logits"].reshape(-1, r["logits"].shape[2]), tgt.reshape(-1),
                           ignore_index=-100, reduction="sum") / n
    pred = torch.tensor(r["pred"], device=tgt.device).t()
    right = int(((pred == tgt) & (tgt >= 0)).sum())
    return loss, n, right


def tf_probability(schedule, p, param, k, steps):
    """p_tf at training step k (0-based), as the C engine computes it:
    constant p; linear max(p_min, p·(1 - k/steps)); exponential p·ε^k;
    inverse sigmoid κ/(κ + exp(k/κ)). param ≤ 0: p_min 0, ε 0.999,
    κ = steps / 10 (at least 1)."""
    p, param = _f32(p), _f32(param)
    q = p
    if schedule == "linear":
        q = p * (1.0 - k / steps) if steps > 0 else p
        q = max(q, param if param > 0 else 0.0)
    elif schedule == "exponential":
        q = p * math.pow(param if param > 0 else 0.999, k)
    elif schedule == "inverse_sigmoid":
        kappa = param if param > 0 else max(steps // 10, 1)
        q = kappa / (kappa + math.exp(k / kappa))
    elif schedule != "constant":
        raise AttnvizError(f"unknown teacher-forcing schedule {_printable(schedule)!r}")
    return _f32(min(max(q, 0.0), 1.0))


# The C trainer cuts every mini-batch into this many shards (src/engine/train.c)
TRAIN_SHARDS = 4


def train(model, pairs, steps=2000, batch=32, lr=3e-3, clip=1.0, teacher_forcing=1.0,
          tf_schedule="constant", tf_param=0.0, seed=1, log=None):
    """Train like `attnviz train`: each step draws a mini-batch of `batch`
    pairs with replacement (the C engine's generator and order, from seed),
    sorts it by length (source plus target with <eos>, ties in the order
    drawn) and cuts it into TRAIN_SHARDS runs, as the C trainer's shards;
    each shard's teacher-forcing coins come from its own generator, seeded
    in shard order from the step's; the loss is the mean cross-entropy over
    every target token of the batch, the global gradient norm is clipped to
    `clip` (≤ 0: off), then one Adam step (β 0.9, 0.999, ε 1e-8).

    pairs: (source text, target text) or (source ids, target ids without
    <eos>). log(dict) is called after every step with step, loss,
    grad_norm, tf_ratio, token_acc. Returns the list of those dicts."""
    data = []
    for s, t in pairs:
        if isinstance(s, str):
            s = [model.src_vocab.find(x) for x in tokenize(s, model.config.tokenizer)]
            t = model.target_ids(t)
        if not s:
            raise AttnvizError("a training pair has an empty source")
        data.append((list(s), list(t)))
    if not data:
        raise AttnvizError("the training data is empty")
    rng = Rng(seed)
    model.train()
    opt = torch.optim.Adam(model.parameters(), lr=lr, betas=(0.9, 0.999), eps=1e-8)
    history = []
    n_shards = min(TRAIN_SHARDS, batch)
    for k in range(steps):
        drawn = [rng.below(len(data)) for _ in range(batch)]
        order = sorted(range(batch), key=lambda b: (len(data[drawn[b]][0]) + len(data[drawn[b]][1]) + 1, b))
        idx = [drawn[b] for b in order]
        shards = [idx[j * batch // n_shards:(j + 1) * batch // n_shards] for j in range(n_shards)]
        coins = [Rng(rng.next()) for _ in range(n_shards)]
        p = tf_probability(tf_schedule, teacher_forcing, tf_param, k, steps)
        opt.zero_grad()
        total, n, right = 0.0, 0, 0
        for shard, r in zip(shards, coins):
            loss_k, n_k, right_k = loss_on(model, [data[i] for i in shard], p, r)
            total = total + loss_k * n_k
            n += n_k
            right += right_k
        loss = total / n
        if not math.isfinite(float(loss)):
            raise AttnvizError(f"the loss is not finite at step {k + 1}")
        loss.backward()
        params = [q for q in model.parameters() if q.grad is not None]
        norm = float(torch.norm(torch.stack([q.grad.detach().norm() for q in params])))
        if not math.isfinite(norm):
            raise AttnvizError(f"the gradient is not finite at step {k + 1}")
        if clip and clip > 0 and norm > clip:
            for q in params:
                q.grad.mul_(clip / (norm + 1e-6))
        opt.step()
        model.trained_steps += 1
        rec = {"step": k + 1, "loss": float(loss), "grad_norm": norm, "tf_ratio": p,
               "token_acc": right / n}
        history.append(rec)
        if log:
            log(rec)
    model.eval()
    return history


# ---- the PyTorch tutorial's model ------------------------------------------------------------

_TUTORIAL_ENC = {"embedding.weight", "gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0",
                 "gru.bias_hh_l0"}
_TUTORIAL_DEC = {"embedding.weight", "attention.Wa.weight", "attention.Wa.bias",
                 "attention.Ua.weight", "attention.Ua.bias", "attention.Va.weight",
                 "attention.Va.bias", "gru.weight_ih_l0", "gru.weight_hh_l0", "gru.bias_ih_l0",
                 "gru.bias_hh_l0", "out.weight", "out.bias"}
# the logit given to <pad> and <unk>, which the tutorial's model cannot
# produce: e^(-1e4 - max) is exactly 0 in float32, so every probability
# of the other tokens is the tutorial's own
NEVER = -1.0e4


def read_word_list(path):
    """A tutorial Lang's index2word, from a file: a JSON object {"0": "SOS",
    "1": "EOS", "2": word, ...} (json.dump(lang.index2word)), a JSON array
    [ "SOS", "EOS", word, ... ], or plain text with one word per line
    (line i is index i). Returns the list of words in index order."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as e:
        raise AttnvizError(f"{path}: cannot read: {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AttnvizError(f"{path}: invalid UTF-8 at byte offset {e.start}") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    s = text.lstrip()
    if s[:1] in ("{", "["):
        try:
            obj = json.loads(s, object_pairs_hook=_no_duplicates)
        except (ValueError, AttnvizError) as e:
            raise AttnvizError(f"{path}: not valid JSON ({_printable(e, 80)})") from None
        return _word_list(obj, path)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [ln[:-1] if ln.endswith("\r") else ln for ln in lines]


def _word_list(obj, what):
    """index2word as a dict (int or numeric-string keys) or a list → list."""
    if isinstance(obj, dict):
        try:
            items = {int(k): v for k, v in obj.items()}
        except (TypeError, ValueError):
            raise AttnvizError(f"{what}: index2word keys must be whole numbers") from None
        if sorted(items) != list(range(len(items))):
            raise AttnvizError(f"{what}: index2word must hold every index from 0 to {len(items) - 1}")
        obj = [items[i] for i in range(len(items))]
    if not isinstance(obj, (list, tuple)) or not all(isinstance(w, str) for w in obj):
        raise AttnvizError(f"{what}: expected index2word (a JSON object or array of strings)")
    return list(obj)


def _permute_rows(t, n_new, fill=0.0):
    """Tutorial rows (index k: 0 SOS, 1 EOS, 2.. words) → attnviz rows
    (1 <sos>, 2 <eos>, k + 2 words); rows 0 <pad> and 3 <unk> get `fill`."""
    out = torch.full((n_new,) + tuple(t.shape[1:]), fill, dtype=torch.float32)
    out[SOS] = t[0]
    out[EOS] = t[1]
    out[4:] = t[2:]
    return out


def convert_tutorial(encoder_state, decoder_state, input_words, output_words, task="tutorial",
                     notes=None):
    """The tutorial's EncoderRNN and AttnDecoderRNN (their state_dicts) and
    its two word lists (Lang.index2word, a dict or a list) → a Seq2Seq:
    GRU, unidirectional, bahdanau, additive, attn_bias, source_eos.

    Ids: the tutorial's SOS = 0 becomes <sos> = 1, EOS = 1 becomes <eos> = 2,
    word k becomes k + 2; <pad> (0) and <unk> (3) are new, with zero
    embeddings and a logit of -1e4 (never predicted). Everything else maps
    one to one: h_0 is the encoder's last state, x_t = [E_tgt[y] ; c_t], the
    query is h_{t-1}, and log_softmax has the argmax of softmax."""
    def sd(x, what):
        if isinstance(x, nn.Module):
            x = x.state_dict()
        if not isinstance(x, dict) or not all(isinstance(v, torch.Tensor) for v in x.values()):
            raise AttnvizError(f"{what}: not a state_dict (save it with "
                               "torch.save(module.state_dict(), PATH))")
        return {k: v.detach().to("cpu", torch.float32) for k, v in x.items()}
    enc, dec = sd(encoder_state, "encoder"), sd(decoder_state, "decoder")
    for what, got, want in (("encoder", enc, _TUTORIAL_ENC), ("decoder", dec, _TUTORIAL_DEC)):
        if set(got) != want:
            extra, miss = sorted(set(got) - want), sorted(want - set(got))
            hint = (" (the 2017 tutorial's decoder with a max_length attention layer is not "
                    "this model)" if "attn_combine.weight" in got else "")
            raise AttnvizError(f"{what}: not the tutorial's "
                               f"{'EncoderRNN' if what == 'encoder' else 'AttnDecoderRNN'}: "
                               f"{'unexpected ' + ', '.join(extra) if extra else ''}"
                               f"{'; ' if extra and miss else ''}"
                               f"{'missing ' + ', '.join(miss) if miss else ''}{hint}")
    ins = _word_list(input_words, "input words")
    outs = _word_list(output_words, "output words")
    Vi, H = enc["embedding.weight"].shape
    Vo = dec["embedding.weight"].shape[0]
    want = {"encoder": {"embedding.weight": (Vi, H), "gru.weight_ih_l0": (3 * H, H),
                        "gru.weight_hh_l0": (3 * H, H), "gru.bias_ih_l0": (3 * H,),
                        "gru.bias_hh_l0": (3 * H,)},
            "decoder": {"embedding.weight": (Vo, H), "attention.Wa.weight": (H, H),
                        "attention.Wa.bias": (H,), "attention.Ua.weight": (H, H),
                        "attention.Ua.bias": (H,), "attention.Va.weight": (1, H),
                        "attention.Va.bias": (1,), "gru.weight_ih_l0": (3 * H, 2 * H),
                        "gru.weight_hh_l0": (3 * H, H), "gru.bias_ih_l0": (3 * H,),
                        "gru.bias_hh_l0": (3 * H,), "out.weight": (Vo, H), "out.bias": (Vo,)}}
    for what, d in (("encoder", enc), ("decoder", dec)):
        for k, shape in want[what].items():
            if tuple(d[k].shape) != shape:
                raise AttnvizError(f"{what}: {k} has shape {list(d[k].shape)}, expected "
                                   f"{list(shape)} for hidden size {H}")
            if not bool(torch.isfinite(d[k]).all()):
                raise AttnvizError(f"{what}: {k} holds a non-finite value")
    for what, words, V in (("input words", ins, Vi), ("output words", outs, Vo)):
        if len(words) != V:
            raise AttnvizError(f"{what}: {len(words)} words, but the embedding has {V} rows")
        if V < 2 or words[0] != "SOS" or words[1] != "EOS":
            raise AttnvizError(f"{what}: index 0 and 1 must be the tutorial's SOS and EOS")
    cfg = Config(cell="gru", bidirectional=False, style="bahdanau", score="additive",
                 input_feed=False, embed=H, enc_hidden=H, hidden=H, attn_dim=H,
                 tokenizer="word", reverse_source=False, attn_bias=True, source_eos=True)
    try:
        vs = Vocab(SPECIALS + ins[2:], "input words")
        vt = Vocab(SPECIALS + outs[2:], "output words")
    except AttnvizError as e:
        raise AttnvizError(f"{e} (after the four specials, the tutorial's words from index 2 "
                           "on)") from None
    m = Seq2Seq(cfg, vs, vt, task=task, notes=notes if notes is not None else
                "converted from the PyTorch tutorial's EncoderRNN + AttnDecoderRNN "
                "(python/attnviz_torch.py convert-tutorial)")
    new = {
        "encoder.embedding.weight": _permute_rows(enc["embedding.weight"], len(vs)),
        "encoder.rnn.weight_ih_l0": enc["gru.weight_ih_l0"],
        "encoder.rnn.weight_hh_l0": enc["gru.weight_hh_l0"],
        "encoder.rnn.bias_ih_l0": enc["gru.bias_ih_l0"],
        "encoder.rnn.bias_hh_l0": enc["gru.bias_hh_l0"],
        "decoder.embedding.weight": _permute_rows(dec["embedding.weight"], len(vt)),
        "decoder.rnn.weight_ih_l0": dec["gru.weight_ih_l0"],    # input [embedded ; context]
        "decoder.rnn.weight_hh_l0": dec["gru.weight_hh_l0"],
        "decoder.rnn.bias_ih_l0": dec["gru.bias_ih_l0"],
        "decoder.rnn.bias_hh_l0": dec["gru.bias_hh_l0"],
        "attention.W_a.weight": dec["attention.Wa.weight"],     # W_a q: the query side
        "attention.W_a.bias": dec["attention.Wa.bias"],
        "attention.U_a.weight": dec["attention.Ua.weight"],     # U_a h̄_s: the keys
        "attention.U_a.bias": dec["attention.Ua.bias"],
        "attention.v_a.weight": dec["attention.Va.weight"],
        "attention.v_a.bias": dec["attention.Va.bias"],
        "decoder.out.weight": _permute_rows(dec["out.weight"], len(vt)),
        "decoder.out.bias": _permute_rows(dec["out.bias"], len(vt), NEVER),
    }
    m.load_state_dict(new, strict=True)
    return m.eval()


def _torch_load(path):
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except OSError as e:
        raise AttnvizError(f"{path}: cannot read: {e.strerror}") from None
    except Exception as e:   # pickle and zip errors of every kind
        raise AttnvizError(f"{path}: not a state_dict saved with torch.save "
                           f"({_printable(type(e).__name__ + ': ' + str(e), 80)})") from None


# ---- command line ---------------------------------------------------------------------------

def _cmd_decode(a):
    m = load(a.model)
    tr = m.trace(a.input, a.target, a.teacher_forcing, a.seed, a.max_len)
    if a.trace_json:
        body = json.dumps(tr, ensure_ascii=False, indent=None).encode("utf-8") + b"\n"
        _write_out(a.trace_json, [body])
    ids = [m.tgt_vocab.tokens.index(t) for t in tr["output_tokens"]]
    out = sys.stderr if a.trace_json == "-" else sys.stdout
    print(m.tgt_vocab.decode(ids, m.config.tokenizer), file=out)


# The header words of a pair file (docs/FORMAT.md "Pair files (TSV)"), as C's task.c.
TSV_HEADER_SOURCE = ("source", "src", "input", "question", "prompt")
TSV_HEADER_TARGET = ("target", "tgt", "dst", "output", "label", "answer", "reference", "translation")


def _read_tsv(path):
    """Pairs of a TSV file: # comments and blank lines skipped, and a first
    line of header words (C's rule) skipped with a note on stderr."""
    pairs, first = [], True
    try:
        with open(path, encoding="utf-8-sig") as f:
            for n, line in enumerate(f, 1):
                line = line.rstrip("\r\n")
                if not line.strip() or line.startswith("#"):
                    continue
                parts = line.split("\t")
                if len(parts) != 2:
                    raise AttnvizError(f"{path}:{n}: expected source TAB target")
                header = first and fold(parts[0]) in TSV_HEADER_SOURCE and fold(parts[1]) in TSV_HEADER_TARGET
                first = False
                if header:
                    print(f"{path}: line {n} is a header (source, target), not a pair: skipped", file=sys.stderr)
                    continue
                pairs.append((parts[0], parts[1]))
    except OSError as e:
        raise AttnvizError(f"{path}: cannot read: {e.strerror}") from None
    except UnicodeDecodeError:
        raise AttnvizError(f"{path}: not valid UTF-8") from None
    if not pairs:
        raise AttnvizError(f"{path}: no pairs")
    return pairs


def _cmd_train(a):
    pairs = _read_tsv(a.train)
    cfg = Config(cell=a.cell, bidirectional=a.bidirectional, style=a.style, score=a.score,
                 input_feed=a.input_feed, embed=a.embed, hidden=a.hidden,
                 enc_hidden=a.enc_hidden, attn_dim=a.attn_dim, tokenizer=a.tokenizer,
                 reverse_source=a.reverse_source, attn_bias=a.attn_bias)
    m = Seq2Seq.from_pairs(pairs, cfg, seed=a.seed, task=os.path.basename(a.train))
    every = max(1, a.steps // 10)

    def log(r):
        if r["step"] % every == 0 or r["step"] == a.steps:
            print(f"step {r['step']}: loss {r['loss']:.4f}, token accuracy (training batch) "
                  f"{100 * r['token_acc']:.1f}%", file=sys.stderr)
    train(m, pairs, steps=a.steps, batch=a.batch, lr=a.lr, clip=a.clip,
          teacher_forcing=a.teacher_forcing, seed=a.seed, log=log)
    m.save(a.out)
    print(f"saved {a.out}", file=sys.stderr)


def _cmd_convert(a):
    m = convert_tutorial(_torch_load(a.encoder), _torch_load(a.decoder),
                         read_word_list(a.input_lang), read_word_list(a.output_lang),
                         task=a.task)
    m.save(a.out)
    cfg = m.config
    print(f"{a.out}: GRU, hidden {cfg.hidden}, bahdanau/additive with biases, "
          f"{len(m.src_vocab)} → {len(m.tgt_vocab)} tokens", file=sys.stderr)


def main(argv=None):
    p = argparse.ArgumentParser(prog="attnviz_torch.py",
                                description="attnviz's model in PyTorch (docs/FORMAT.md)")
    sub = p.add_subparsers(dest="cmd", required=True)
    d = sub.add_parser("decode", help="decode one input, like `attnviz decode`")
    d.add_argument("--model", required=True)
    d.add_argument("--input", required=True)
    d.add_argument("--target")
    d.add_argument("--teacher-forcing", type=float)
    d.add_argument("--seed", type=int)
    d.add_argument("--max-len", type=int, default=64)
    d.add_argument("--trace-json", help="write the trace as JSON (- for standard output)")
    t = sub.add_parser("train", help="train on TSV pairs and save an attnviz file")
    t.add_argument("--train", required=True, help="source TAB target per line")
    t.add_argument("--out", required=True)
    t.add_argument("--cell", default="lstm", choices=_CELLS)
    t.add_argument("--style", default="luong", choices=_STYLES)
    t.add_argument("--score", default="general", choices=_SCORES)
    t.add_argument("--bidirectional", action="store_true")
    t.add_argument("--input-feed", action="store_true")
    t.add_argument("--reverse-source", action="store_true")
    t.add_argument("--attn-bias", action="store_true")
    t.add_argument("--tokenizer", default="char", choices=("char", "word"))
    t.add_argument("--embed", type=int, default=16)
    t.add_argument("--hidden", type=int, default=64)
    t.add_argument("--enc-hidden", type=int)
    t.add_argument("--attn-dim", type=int)
    t.add_argument("--steps", type=int, default=2000)
    t.add_argument("--batch", type=int, default=32)
    t.add_argument("--lr", type=float, default=3e-3)
    t.add_argument("--clip", type=float, default=1.0)
    t.add_argument("--teacher-forcing", type=float, default=1.0)
    t.add_argument("--seed", type=int, default=1)
    c = sub.add_parser("convert-tutorial",
                       help="the PyTorch seq2seq translation tutorial's model → attnviz file")
    c.add_argument("--encoder", required=True, help="torch.save(encoder.state_dict(), PATH)")
    c.add_argument("--decoder", required=True, help="torch.save(decoder.state_dict(), PATH)")
    c.add_argument("--input-lang", required=True,
                   help="input_lang.index2word: JSON object or array, or one word per line")
    c.add_argument("--output-lang", required=True, help="output_lang.index2word, the same way")
    c.add_argument("--out", required=True)
    c.add_argument("--task", default="tutorial")
    a = p.parse_args(argv)
    if a.cmd == "decode":
        if (a.teacher_forcing is not None or a.seed is not None) and a.target is None:
            p.error("--teacher-forcing and --seed need --target")
        a.teacher_forcing = a.teacher_forcing or 0.0
        a.seed = a.seed or 0
    try:
        {"decode": _cmd_decode, "train": _cmd_train, "convert-tutorial": _cmd_convert}[a.cmd](a)
    except AttnvizError as e:
        print(f"attnviz_torch.py {a.cmd}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
