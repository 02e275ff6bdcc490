#!/usr/bin/python3
"""make_fixtures.py — PyTorch reference fixtures for attnviz's engine.

Builds the models of docs/FORMAT.md with torch's own nn.LSTM / nn.GRU /
nn.Linear / nn.Embedding (written from MODEL.md, not from the C code), gives
them random float32 weights from a fixed seed, and writes for each small
configuration into tests/fixtures/torch/:

  NAME.safetensors  the weights, in MODEL.md's layout (file format written by
                    hand with struct + json: no safetensors package needed)
  NAME.json         source ids, reference ids (without <eos>), the trace of
                    decoding with the reference under teacher forcing p = 1
                    (step 1 reads <sos>, step t >= 2 reads the reference
                    y*_{t-1}), the greedy output, the loss (mean cross-entropy
                    over all target tokens, <eos> included) under full teacher
                    forcing and its gradient for every parameter tensor; some
                    also hold a batch of examples of different lengths.
  index.json        the list of fixture names.

Before writing anything the script checks itself: nn.LSTM / nn.GRU against
MODEL.md's equations computed by hand, the bidirectional layout, and the
float32 results against a float64 run of the same model.

Run:  /usr/bin/python3 tools/make_fixtures.py     (torch 1.13, numpy)
"""
import json
import math
import os
import struct
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "torch")
PAD, SOS, EOS, UNK = 0, 1, 2, 3
SPECIALS = ["<pad>", "<sos>", "<eos>", "<unk>"]
SRC_VOCAB = SPECIALS + ["a", "b", "c", "가", "é"]          # V_src = 9
TGT_VOCAB = SPECIALS + ["x", "y", "z"]                      # V_tgt = 7
MAX_LEN = 8                                                 # greedy decoding limit

torch.set_num_threads(1)


# ---- the model, from MODEL.md ---------------------------------------------------

class Attention(nn.Module):
    """score(q, h̄_s) for every s; parameter names follow MODEL.md's table.
    Batched: q [B, H], keys [B, S, D] -> raw scores [B, S]."""

    def __init__(self, score, H, D, A, bias=False):
        super().__init__()
        self.score, self.D = score, D
        # bias (attn_bias): every layer carries nn.Linear's own bias, MODEL.md "Biases"
        if score == "general":
            self.W_a = nn.Linear(D, H, bias=bias)           # W_a: H × D      (b_a: H)
        elif score == "concat":
            self.W_a = nn.Linear(H + D, A, bias=bias)       # W_a: A × (H + D) (b_W: A)
            self.v_a = nn.Linear(A, 1, bias=bias)           # v_a: 1 × A      (b_v: 1)
        elif score == "additive":
            self.W_a = nn.Linear(H, A, bias=bias)           # W_a: A × H      (b_W: A)
            self.U_a = nn.Linear(D, A, bias=bias)           # U_a: A × D      (b_U: A)
            self.v_a = nn.Linear(A, 1, bias=bias)

    def forward(self, q, keys):
        s = self.score
        if s == "dot":                                      # qᵀ h̄_s
            return torch.bmm(keys, q.unsqueeze(2)).squeeze(2)
        if s == "scaled_dot":                               # qᵀ h̄_s / √D
            return torch.bmm(keys, q.unsqueeze(2)).squeeze(2) / math.sqrt(self.D)
        if s == "general":                                  # qᵀ (W_a h̄_s + b_a)
            return torch.bmm(self.W_a(keys), q.unsqueeze(2)).squeeze(2)
        if s == "concat":                                   # v_aᵀ tanh(W_a [q ; h̄_s] + b_W) + b_v
            qs = q.unsqueeze(1).expand(-1, keys.shape[1], -1)
            return self.v_a(torch.tanh(self.W_a(torch.cat([qs, keys], 2)))).squeeze(2)
        if s == "additive":                                 # v_aᵀ tanh(W_a q + b_W + U_a h̄_s + b_U) + b_v
            return self.v_a(torch.tanh(self.W_a(q).unsqueeze(1) + self.U_a(keys))).squeeze(2)
        raise ValueError(s)


class Seq2Seq(nn.Module):
    """The whole model over a batch of B examples. Sources of different
    lengths are padded and packed (pack_padded_sequence), padded source
    positions get a score of -inf; the caller masks padded target steps."""

    def __init__(self, cfg, V_src, V_tgt):
        super().__init__()
        self.cfg = cfg
        E, He, H, A = cfg["embed"], cfg["enc_hidden"], cfg["hidden"], cfg["attn_dim"]
        bi = cfg["bidirectional"]
        D = 2 * He if bi else He
        RNN = nn.LSTM if cfg["cell"] == "lstm" else nn.GRU
        attn = cfg["score"] != "none"
        if cfg["style"] == "bahdanau" and attn:
            I = E + D
        elif cfg["input_feed"]:
            I = E + H
        else:
            I = E
        self.encoder = nn.Module()
        self.encoder.embedding = nn.Embedding(V_src, E)
        self.encoder.rnn = RNN(E, He, batch_first=True, bidirectional=bi)
        if bi:
            self.bridge = nn.Linear(2 * He, H)
        self.decoder = nn.Module()
        self.decoder.embedding = nn.Embedding(V_tgt, E)
        self.decoder.rnn = RNN(I, H, batch_first=True)
        if attn:
            bias = cfg.get("attn_bias", False)
            self.attention = Attention(cfg["score"], H, D, A, bias)
            if cfg["style"] == "luong":
                self.decoder.W_c = nn.Linear(D + H, H, bias=bias)
        self.decoder.out = nn.Linear(H, V_tgt)

    def is_lstm(self):
        return self.cfg["cell"] == "lstm"

    def encode(self, srcs):
        """srcs: B lists of ids in input order. Returns keys [B, S, D] (each row
        in its input's own order), mask [B, S] (True on real tokens), the start
        state as the decoder rnn wants it, and h_0 [B, H]."""
        cfg = self.cfg
        if cfg.get("source_eos"):                   # the engine appends <eos> to every source
            srcs = [list(s) + [EOS] for s in srcs]
        B, S = len(srcs), max(len(s) for s in srcs)
        lens = torch.tensor([len(s) for s in srcs])
        read = [list(reversed(s)) if cfg["reverse_source"] else list(s) for s in srcs]
        ids = torch.tensor([r + [PAD] * (S - len(r)) for r in read])
        x = self.encoder.embedding(ids)                                     # [B, S, E]
        packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
        out, state = self.encoder.rnn(packed)
        out, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=S)  # [B, S, D]
        if cfg["reverse_source"]:
            # back to the input's own order: position s was read at L-1-s
            pos = torch.arange(S).unsqueeze(0).expand(B, -1)
            idx = torch.where(pos < lens.unsqueeze(1), lens.unsqueeze(1) - 1 - pos, pos)
            out = out.gather(1, idx.unsqueeze(2).expand(-1, -1, out.shape[2]))
        mask = torch.arange(S).unsqueeze(0) < lens.unsqueeze(1)
        h_n = state[0] if self.is_lstm() else state                        # [dirs, B, He]
        if cfg["bidirectional"]:
            # h_0 = tanh(W_b [h→_S ; h←_1] + b_b), c_0 = 0
            h0 = torch.tanh(self.bridge(torch.cat([h_n[0], h_n[1]], 1)))
            c0 = torch.zeros_like(h0)
        else:
            h0 = h_n[0]
            c0 = state[1][0] if self.is_lstm() else None
        st = (h0.unsqueeze(0), c0.unsqueeze(0)) if self.is_lstm() else h0.unsqueeze(0)
        return out, mask, st, h0

    def attend(self, q, keys, mask):
        sc = self.attention(q, keys)                                        # raw scores [B, S]
        a = torch.softmax(sc.masked_fill(~mask, float("-inf")), 1)
        c = torch.bmm(a.unsqueeze(1), keys).squeeze(1)                      # c_t = Σ_s a_t(s) h̄_s
        return sc, a, c

    def step(self, y_prev, st, keys, mask, h_tilde_prev):
        """One decoder step for the batch (y_prev [B]). Returns logits [B, V],
        the new state, h̃_t (or h_t) and the trace fields of this step."""
        cfg = self.cfg
        attn = cfg["score"] != "none"
        emb = self.decoder.embedding(y_prev)                                # [B, E]
        tr = {}
        h_prev = st[0][0] if self.is_lstm() else st[0]
        if cfg["style"] == "bahdanau" and attn:
            q = h_prev                                                      # query = h_{t-1}
            sc, a, c = self.attend(q, keys, mask)
            out, st = self.decoder.rnn(torch.cat([emb, c], 1).unsqueeze(1), st)
            h = out[:, 0]
            top = h
            tr.update(query=q, scores=sc, weights=a, context=c)
        else:
            x = torch.cat([emb, h_tilde_prev], 1) if cfg["input_feed"] else emb
            out, st = self.decoder.rnn(x.unsqueeze(1), st)
            h = out[:, 0]
            if attn:
                q = h                                                       # query = h_t
                sc, a, c = self.attend(q, keys, mask)
                top = torch.tanh(self.decoder.W_c(torch.cat([c, h], 1)))   # h̃_t
                tr.update(query=q, scores=sc, weights=a, context=c)
            else:
                top = h
        logits = self.decoder.out(top)
        tr.update(attentional=top, hidden=h)
        return logits, st, top, tr

    def forced(self, srcs, inputs):
        """Teacher forcing over a batch: inputs [B, T] decoder input ids
        (<sos> first, <pad> past a row's end). Returns logits [B, T, V] and
        the per-step trace fields (batched)."""
        keys, mask, st, h0 = self.encode(srcs)
        h_tilde = torch.zeros(len(srcs), self.cfg["hidden"], dtype=keys.dtype)
        logits, steps = [], []
        for t in range(inputs.shape[1]):
            lg, st, h_tilde, tr = self.step(inputs[:, t], st, keys, mask, h_tilde)
            logits.append(lg)
            steps.append(tr)
        return torch.stack(logits, 1), {"keys": keys, "h0": h0, "steps": steps}

    def run(self, src, inputs=None, max_len=MAX_LEN):
        """One example: teacher-forced when inputs (<sos> first) is given, else
        greedy until <eos> or max_len. Returns (logits list, trace)."""
        if inputs is not None:
            lg, tr = self.forced([src], torch.tensor([inputs]))
            logits = list(lg[0])
        else:
            keys, mask, st, h0 = self.encode([src])
            h_tilde = torch.zeros(1, self.cfg["hidden"], dtype=keys.dtype)
            y, logits, steps = SOS, [], []
            for t in range(max_len):
                l, st, h_tilde, s = self.step(torch.tensor([y]), st, keys, mask, h_tilde)
                logits.append(l[0])
                steps.append(s)
                y = int(torch.argmax(l[0]))
                if y == EOS:
                    break
            tr = {"keys": keys, "h0": h0, "steps": steps}
        steps = []
        for t, s in enumerate(tr["steps"]):
            d = {k: v[0] for k, v in s.items()}
            d["input_id"] = inputs[t] if inputs is not None else (SOS if t == 0 else steps[-1]["token_id"])
            d["probs"] = torch.softmax(logits[t], 0)
            d["token_id"] = int(torch.argmax(logits[t]))
            steps.append(d)
        return logits, {"keys": tr["keys"][0], "h0": tr["h0"][0], "steps": steps}


# ---- configurations ---------------------------------------------------------------

def C(name, cell, style, score, bi=False, feed=False, rev=False, seed=0, S=5, R=3, batch=False,
      bias=False, eos=False):
    He = 3 if bi else 5
    D = 2 * He if bi else He
    H = (D if score in ("dot", "scaled_dot") else 7) if bi else He
    cfg = dict(cell=cell, bidirectional=bi, style=style, score=score, input_feed=feed,
               embed=4, enc_hidden=He, hidden=H,
               attn_dim=3 if score in ("concat", "additive") else 0,
               tokenizer="char", reverse_source=rev)
    if bias:                # optional keys, present only when true (the older fixtures lack them)
        cfg["attn_bias"] = True
    if eos:
        cfg["source_eos"] = True
    return dict(name=name, seed=seed, S=S, R=R, batch=batch, cfg=cfg)


CONFIGS = [
    C("lstm_luong_none", "lstm", "luong", "none", S=4, R=2),
    C("lstm_luong_dot", "lstm", "luong", "dot"),
    C("lstm_luong_scaled_dot_bi", "lstm", "luong", "scaled_dot", bi=True, S=3, R=4),
    C("lstm_luong_general_bi", "lstm", "luong", "general", bi=True, batch=True),
    C("lstm_luong_concat", "lstm", "luong", "concat", R=4),
    C("lstm_luong_additive_bi", "lstm", "luong", "additive", bi=True, S=4),
    C("lstm_luong_general_if_bi_rev", "lstm", "luong", "general", bi=True, feed=True, rev=True, batch=True),
    C("gru_luong_none_bi", "gru", "luong", "none", bi=True, S=3),
    C("gru_luong_dot", "gru", "luong", "dot", S=4, R=4),
    C("gru_luong_scaled_dot_rev", "gru", "luong", "scaled_dot", rev=True),
    C("gru_luong_general_if", "gru", "luong", "general", feed=True),
    C("gru_luong_concat_bi_if", "gru", "luong", "concat", bi=True, feed=True, batch=True),
    C("gru_luong_additive_if_rev", "gru", "luong", "additive", feed=True, rev=True, S=3),
    C("lstm_bahdanau_none", "lstm", "bahdanau", "none", batch=True),
    C("lstm_bahdanau_dot_bi", "lstm", "bahdanau", "dot", bi=True),
    C("lstm_bahdanau_scaled_dot", "lstm", "bahdanau", "scaled_dot", S=4),
    C("lstm_bahdanau_concat_rev", "lstm", "bahdanau", "concat", rev=True, R=2),
    C("lstm_bahdanau_additive_bi_rev", "lstm", "bahdanau", "additive", bi=True, rev=True, batch=True),
    C("gru_bahdanau_none_bi", "gru", "bahdanau", "none", bi=True),
    C("gru_bahdanau_dot", "gru", "bahdanau", "dot", S=3),
    C("gru_bahdanau_general_bi", "gru", "bahdanau", "general", bi=True, batch=True),
    C("gru_bahdanau_concat_bi", "gru", "bahdanau", "concat", bi=True, R=4),
    C("gru_bahdanau_additive", "gru", "bahdanau", "additive"),
]

# attn_bias and source_eos (issue 14): after the others, so their seeds stay
CONFIGS_BIAS_EOS = [
    C("lstm_luong_general_bias", "lstm", "luong", "general", bias=True, batch=True),
    C("gru_luong_concat_bi_bias", "gru", "luong", "concat", bi=True, bias=True),
    C("lstm_luong_additive_if_bias", "lstm", "luong", "additive", feed=True, bias=True, R=4),
    C("gru_luong_dot_bias_eos", "gru", "luong", "dot", bias=True, eos=True, S=4),
    C("lstm_bahdanau_concat_bi_bias", "lstm", "bahdanau", "concat", bi=True, bias=True, S=3),
    C("gru_bahdanau_general_bias_eos_rev", "gru", "bahdanau", "general", bias=True, eos=True, rev=True),
    C("gru_bahdanau_additive_bias_eos", "gru", "bahdanau", "additive", bias=True, eos=True, batch=True),
    C("lstm_luong_none_bi_eos", "lstm", "luong", "none", bi=True, eos=True, batch=True),
    C("lstm_luong_scaled_dot_eos_rev", "lstm", "luong", "scaled_dot", eos=True, rev=True, R=2),
]
CONFIGS_BASE = CONFIGS
CONFIGS = CONFIGS_BASE + CONFIGS_BIAS_EOS


def init_weights(model, seed):
    """Random weights, large enough that attention is far from uniform, small
    enough that no softmax saturates: embeddings N(0, 1), the rest U(-1, 1)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "embedding" in name:
                p.copy_(torch.randn(p.shape, generator=g))
            else:
                p.copy_(torch.rand(p.shape, generator=g) * 2 - 1)


def expected_names(cfg):
    """MODEL.md's tensor table, typed in independently of the module tree."""
    n = ["encoder.embedding.weight", "encoder.rnn.weight_ih_l0", "encoder.rnn.weight_hh_l0",
         "encoder.rnn.bias_ih_l0", "encoder.rnn.bias_hh_l0"]
    if cfg["bidirectional"]:
        n += [x + "_reverse" for x in n[1:]] + ["bridge.weight", "bridge.bias"]
    n += ["decoder.embedding.weight", "decoder.rnn.weight_ih_l0", "decoder.rnn.weight_hh_l0",
          "decoder.rnn.bias_ih_l0", "decoder.rnn.bias_hh_l0"]
    layers = {"none": [], "dot": [], "scaled_dot": [], "general": ["attention.W_a"],
              "concat": ["attention.W_a", "attention.v_a"],
              "additive": ["attention.W_a", "attention.U_a", "attention.v_a"]}[cfg["score"]]
    if cfg["score"] != "none" and cfg["style"] == "luong":
        layers.append("decoder.W_c")
    for layer in layers:
        n.append(layer + ".weight")
        if cfg.get("attn_bias"):
            n.append(layer + ".bias")
    n += ["decoder.out.weight", "decoder.out.bias"]
    return sorted(n)


# ---- safetensors, by hand ---------------------------------------------------------

def write_safetensors(path, model, cfg):
    meta = {"format": "seq2seq-attention", "version": "1", "cell": cfg["cell"],
            "bidirectional": "true" if cfg["bidirectional"] else "false",
            "style": cfg["style"], "score": cfg["score"],
            "input_feed": "true" if cfg["input_feed"] else "false",
            "embed": str(cfg["embed"]), "enc_hidden": str(cfg["enc_hidden"]),
            "hidden": str(cfg["hidden"]), "attn_dim": str(cfg["attn_dim"]),
            "tokenizer": cfg["tokenizer"],
            "reverse_source": "true" if cfg["reverse_source"] else "false",
            **({"attn_bias": "true"} if cfg.get("attn_bias") else {}),
            **({"source_eos": "true"} if cfg.get("source_eos") else {}),
            "src_vocab": json.dumps(SRC_VOCAB), "tgt_vocab": json.dumps(TGT_VOCAB),
            "task": "fixture", "trained_steps": "0",
            "notes": "random weights from tools/make_fixtures.py"}
    header = {"__metadata__": meta}
    blobs, off = [], 0
    for name, p in model.state_dict().items():
        b = p.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes()
        header[name] = {"dtype": "F32", "shape": list(p.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(",", ":")).encode("utf-8")
    h += b" " * (-len(h) % 8)
    with open(path + ".tmp", "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    os.replace(path + ".tmp", path)


def read_safetensors(path):
    """Our own reader, to check that what we wrote reads back identically."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    out = {}
    import numpy as np
    for k, v in header.items():
        if k == "__metadata__":
            continue
        b, e = v["data_offsets"]
        out[k] = torch.from_numpy(np.frombuffer(data[8 + n + b:8 + n + e], dtype="<f4").copy()).view(*v["shape"])
    return header["__metadata__"], out


# ---- self-checks ---------------------------------------------------------------------

def check_cells():
    """nn.LSTM / nn.GRU against MODEL.md's equations, by hand, one step;
    and the bidirectional layout: forward half first, h_n[1] = h←_1."""
    g = torch.Generator().manual_seed(99)
    E, H = 3, 5
    x, h, c = (torch.randn(n, generator=g) for n in (E, H, H))
    lstm, gru = nn.LSTM(E, H, batch_first=True), nn.GRU(E, H, batch_first=True)
    with torch.no_grad():
        Wi, Wh, bi, bh = lstm.weight_ih_l0, lstm.weight_hh_l0, lstm.bias_ih_l0, lstm.bias_hh_l0
        pre = Wi @ x + bi + Wh @ h + bh
        i, f, gg, o = pre[:H].sigmoid(), pre[H:2*H].sigmoid(), pre[2*H:3*H].tanh(), pre[3*H:].sigmoid()
        c1 = f * c + i * gg
        h1 = o * c1.tanh()
        out, (hn, cn) = lstm(x.view(1, 1, E), (h.view(1, 1, H), c.view(1, 1, H)))
        assert torch.allclose(out[0, 0], h1, atol=1e-6) and torch.allclose(cn[0, 0], c1, atol=1e-6), "LSTM"
        Wi, Wh, bi, bh = gru.weight_ih_l0, gru.weight_hh_l0, gru.bias_ih_l0, gru.bias_hh_l0
        gi, gh = Wi @ x + bi, Wh @ h + bh
        r = (gi[:H] + gh[:H]).sigmoid()
        z = (gi[H:2*H] + gh[H:2*H]).sigmoid()
        n = (gi[2*H:] + r * gh[2*H:]).tanh()
        h1 = (1 - z) * n + z * h
        out, hn = gru(x.view(1, 1, E), h.view(1, 1, H))
        assert torch.allclose(out[0, 0], h1, atol=1e-6), "GRU"
        # bidirectional: the reverse direction is a plain RNN on the flipped sequence
        bi_l = nn.LSTM(E, H, batch_first=True, bidirectional=True)
        fw, bw = nn.LSTM(E, H, batch_first=True), nn.LSTM(E, H, batch_first=True)
        for nm in ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"):
            getattr(fw, nm).copy_(getattr(bi_l, nm))
            getattr(bw, nm).copy_(getattr(bi_l, nm + "_reverse"))
        xs = torch.randn(1, 4, E, generator=g)
        out, (hn, _) = bi_l(xs)
        of, _ = fw(xs)
        ob, _ = bw(xs.flip(1))
        assert torch.allclose(out[0, :, :H], of[0], atol=1e-6), "bidirectional forward half"
        assert torch.allclose(out[0, :, H:], ob[0].flip(0), atol=1e-6), "bidirectional backward half"
        assert torch.allclose(hn[0, 0], out[0, -1, :H]) and torch.allclose(hn[1, 0], out[0, 0, H:]), "h_n"
    print("self-check: nn.LSTM / nn.GRU match MODEL.md's equations; bidirectional layout as documented")


def argmax_margin(logits):
    p = torch.softmax(logits.double(), 0)
    top = torch.topk(p, 2).values
    return float(top[0] - top[1])


# ---- one fixture ----------------------------------------------------------------------

def r9(t):
    """float32 values as JSON numbers with 9 significant digits (exact)."""
    return [float("%.9g" % v) for v in t.detach().to(torch.float32).reshape(-1).tolist()]


def tf_loss(model, src, ref):
    """Teacher forcing p = 1: inputs <sos> y*_1 .. y*_R, targets y*_1 .. y*_R <eos>."""
    logits, trace = model.run(src, inputs=[SOS] + ref)
    tgt = torch.tensor(ref + [EOS])
    ce = F.cross_entropy(torch.stack(logits), tgt, reduction="sum")
    return ce, len(ref) + 1, trace


def make_one(spec):
    cfg = spec["cfg"]
    for attempt in range(50):
        seed = 1000 + 17 * CONFIGS.index(spec) + attempt
        g = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        model = Seq2Seq(cfg, len(SRC_VOCAB), len(TGT_VOCAB))
        init_weights(model, seed)
        src = torch.randint(4, len(SRC_VOCAB), (spec["S"],), generator=g).tolist()
        ref = torch.randint(4, len(TGT_VOCAB), (spec["R"],), generator=g).tolist()
        batch = []
        if spec["batch"]:
            for S, R in ((spec["S"] + 2, spec["R"] - 1), (2, spec["R"] + 1), (spec["S"], spec["R"])):
                batch.append((torch.randint(4, len(SRC_VOCAB), (S,), generator=g).tolist(),
                              torch.randint(4, len(TGT_VOCAB), (R,), generator=g).tolist()))
        # Argmaxes must be clear, or float rounding could flip a greedy choice;
        # and never <pad> or <sos>, which an engine may refuse to emit.
        with torch.no_grad():
            lg, _ = model.run(src)
            lt, _ = model.run(src, inputs=[SOS] + ref)
        if (min(argmax_margin(l) for l in lg + lt) > 2e-3 and
                all(int(torch.argmax(l)) not in (PAD, SOS) for l in lg + lt)):
            break
    else:
        raise SystemExit(f"{spec['name']}: no seed gives clear argmaxes")

    assert sorted(n for n, _ in model.named_parameters()) == expected_names(cfg), spec["name"]

    # -- trace and gradient of one example --
    model.zero_grad()
    ce, n, trace = tf_loss(model, src, ref)
    loss = ce / n
    loss.backward()
    grads = {k: p.grad.clone() for k, p in model.named_parameters()}
    with torch.no_grad():
        _, greedy = model.run(src)

    # -- the same in float64: how exact is the float32 reference itself? --
    m64 = Seq2Seq(cfg, len(SRC_VOCAB), len(TGT_VOCAB)).double()
    m64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    ce64, _, trace64 = tf_loss(m64, src, ref)
    (ce64 / n).backward()
    err = abs(float(loss) - float(ce64 / n))
    for k, p in m64.named_parameters():
        err = max(err, float((p.grad - grads[k].double()).abs().max()))
    for s32, s64 in zip(trace["steps"], trace64["steps"]):
        for k in ("query", "scores", "weights", "context", "attentional", "hidden", "probs"):
            if k in s32:
                err = max(err, float((s32[k].double() - s64[k]).abs().max()))
    assert err < 2e-6, f"{spec['name']}: float32 vs float64 differ by {err}"

    fx = {"name": spec["name"], "config": cfg, "seed": seed,
          "src_vocab": SRC_VOCAB, "tgt_vocab": TGT_VOCAB,
          "src": src, "reference": ref,
          "encoder_states": [r9(k) for k in trace["keys"]], "h0": r9(trace["h0"]),
          "steps": [], "greedy": [s["token_id"] for s in greedy["steps"]], "max_len": MAX_LEN,
          "loss": float("%.9g" % float(loss)),
          "grads": {k: r9(v) for k, v in grads.items()},
          "f64_max_abs_diff": err}
    for t, s in enumerate(trace["steps"]):
        st = {"input_id": s["input_id"], "token_id": s["token_id"],
              "reference_id": ref[t] if t < len(ref) else EOS}
        for k in ("query", "scores", "weights", "context", "attentional", "hidden", "probs"):
            if k in s:
                st[k] = r9(s[k])
        fx["steps"].append(st)

    # -- a batch: mean CE over every target token of every example --
    if batch:
        # padded and masked, the way a batch is really run ...
        model.zero_grad()
        T = max(len(r) + 1 for _, r in batch)
        inputs = torch.tensor([[SOS] + r + [PAD] * (T - 1 - len(r)) for _, r in batch])
        targets = torch.tensor([r + [EOS] + [PAD] * (T - 1 - len(r)) for _, r in batch])
        logits, _ = model.forced([b[0] for b in batch], inputs)
        count = int((targets != PAD).sum())
        bl = F.cross_entropy(logits.reshape(-1, logits.shape[2]), targets.reshape(-1),
                             ignore_index=PAD, reduction="sum") / count
        bl.backward()
        bgrads = {k: p.grad.clone() for k, p in model.named_parameters()}
        # ... must equal the examples one by one: padding changes nothing
        model.zero_grad()
        total = 0
        for bs, br in batch:
            total = total + tf_loss(model, bs, br)[0]
        (total / count).backward()
        d = abs(float(bl) - float(total / count))
        for k, p in model.named_parameters():
            d = max(d, float((p.grad - bgrads[k]).abs().max()))
        assert d < 1e-6, f"{spec['name']}: padded batch differs from one by one by {d}"
        fx["batch"] = {"src": [b[0] for b in batch], "reference": [b[1] for b in batch],
                       "loss": float("%.9g" % float(bl)),
                       "grads": {k: r9(v) for k, v in bgrads.items()}}

    path = os.path.join(OUT, spec["name"])
    write_safetensors(path + ".safetensors", model, cfg)
    meta, back = read_safetensors(path + ".safetensors")
    assert meta["src_vocab"] == json.dumps(SRC_VOCAB)
    for k, v in model.state_dict().items():
        assert torch.equal(back[k], v), k
    with open(path + ".json.tmp", "w") as f:
        json.dump(fx, f, separators=(",", ":"))
        f.write("\n")
    os.replace(path + ".json.tmp", path + ".json")
    return err


# ---- the gradient trace (MODEL.md, "The gradient trace") --------------------------------
#
# tests/fixtures/torch/grad/NAME.{safetensors,json} and grad/index.json: one
# decoding against a reference, teacher forced (p = 1) or free-running (p = 0:
# every step t >= 2 reads the model's own argmax at t-1, a constant to
# autograd), and autograd's gradient of L = (1/T) sum_t CE_t with respect to
# every quantity of MODEL.md's table, read with retain_grad:
#   d_logits        the logits                       d_context  c_t
#   d_output_state  h~_t (Luong with attention), else h_t (then = d_hidden)
#   d_hidden        h_t: the step's output out[:, 0] PLUS the state the rnn
#                   hands to the next step (two tensors of the same value)
#   d_weights, d_scores  a_t and the raw scores
#   d_query         a copy q = h * 1 that only the scores read
#   d_encoder_states     the encoder output the attention reads, plus h_n's
#                        gradient (the start state) at the positions it equals
#   d_source_embeddings  the embedding lookup's output (reading order -> input)
# and every parameter's gradient; then after_step: p <- p - lr * grad on a copy
# of the model, the same decoder inputs replayed, the weights, p(y*_t), loss.

GRAD_DIR = os.path.join(OUT, "grad")
GRAD_CONFIGS = CONFIGS_BASE + [
    C("lstm_bahdanau_general", "lstm", "bahdanau", "general", S=4, R=2),
    C("gru_bahdanau_scaled_dot_bi", "gru", "bahdanau", "scaled_dot", bi=True, R=4),
] + CONFIGS_BIAS_EOS    # last, so that the seeds of the others stay


class GradSeq2Seq(Seq2Seq):
    """The same model; attend keeps the query, scores, weights and context of
    every step for retain_grad, the query as its own node."""

    kept = []

    def attend(self, q, keys, mask):
        if not torch.is_grad_enabled():
            return super().attend(q, keys, mask)
        q = q * 1.0                     # a node of its own: the scores are its only reader
        sc, a, c = super().attend(q, keys, mask)
        for x in (q, sc, a, c):
            x.retain_grad()
        self.kept.append(dict(query=q, scores=sc, weights=a, context=c))
        return sc, a, c


def free_inputs(model, src, T):
    """p = 0: <sos>, then the argmax of each step, <eos> or not, for T steps
    (as the engine decodes against a reference)."""
    with torch.no_grad():
        keys, mask, st, _ = model.encode([src])
        h_tilde = torch.zeros(1, model.cfg["hidden"])
        ys = [SOS]
        for t in range(T - 1):
            lg, st, h_tilde, _ = model.step(torch.tensor([ys[-1]]), st, keys, mask, h_tilde)
            ys.append(int(torch.argmax(lg[0])))
    return ys


def grad_run(model, src, ref, inputs):
    """Forward with the decoder inputs given and backward of the mean CE;
    returns the loss, the per-step gradients, the encoder's, the logits."""
    cfg = model.cfg
    S = len(src) + (1 if cfg.get("source_eos") else 0)    # encode appends <eos> for source_eos
    He = cfg["enc_hidden"]
    model.kept, cap = [], {}

    def keep_x(mod, inp, out):
        out.retain_grad()
        cap["x"] = out

    def keep_state(mod, inp, out):
        h_n = out[1][0] if isinstance(out[1], tuple) else out[1]
        h_n.retain_grad()
        cap["h_n"] = h_n

    hooks = [model.encoder.embedding.register_forward_hook(keep_x),
             model.encoder.rnn.register_forward_hook(keep_state)]
    keys, mask, st, h0 = model.encode([src])
    for h in hooks:
        h.remove()
    keys.retain_grad()
    h_tilde = torch.zeros(1, cfg["hidden"], dtype=keys.dtype)
    logits, outs, states, tops = [], [], [], []
    for y in inputs:
        lg, st, h_tilde, tr = model.step(torch.tensor([y]), st, keys, mask, h_tilde)
        hs = st[0] if model.is_lstm() else st       # the state the next step reads
        for x in (lg, tr["hidden"], hs, tr["attentional"]):
            x.retain_grad()
        logits.append(lg)
        outs.append(tr["hidden"])
        states.append(hs)
        tops.append(tr["attentional"])
    tgt = torch.tensor(ref + [EOS])
    T = len(inputs)
    loss = F.cross_entropy(torch.cat(logits), tgt, reduction="sum") / T
    model.zero_grad()
    loss.backward()

    def g(x):
        return x.grad if x.grad is not None else torch.zeros_like(x)

    steps = []
    attn = cfg["score"] != "none"
    for t in range(T):
        d_hidden = g(outs[t])[0] + g(states[t]).reshape(-1)
        st_ = {"d_logits": g(logits[t])[0], "d_hidden": d_hidden,
               "d_output_state": g(tops[t])[0] if tops[t] is not outs[t] else d_hidden}
        if attn:
            k = model.kept[t]
            st_.update(d_context=g(k["context"])[0], d_weights=g(k["weights"])[0],
                       d_scores=g(k["scores"])[0], d_query=g(k["query"])[0])
        steps.append(st_)
    # h_n's gradient lands where h_n is in the output: h->_S at the last reading
    # position (forward half), h<-_1 at the first (backward half); input order
    rd = (lambda r: S - 1 - r) if cfg["reverse_source"] else (lambda r: r)
    d_enc = g(keys)[0].clone()
    g_hn = g(cap["h_n"])[:, 0]
    d_enc[rd(S - 1), :He] += g_hn[0]
    if cfg["bidirectional"]:
        d_enc[rd(0), He:] += g_hn[1]
    d_x = g(cap["x"])[0]
    d_emb = torch.stack([d_x[rd(s)] for s in range(S)])
    return loss, steps, d_enc, d_emb, logits


def replay(model, src, ref, inputs):
    """Forward only: the weights of every step, p_t(y*_t), the loss."""
    with torch.no_grad():
        logits, tr = model.run(src, inputs=inputs)
        tgt = ref + [EOS]
        ps = [float(torch.softmax(l.double(), 0)[tgt[t]]) for t, l in enumerate(logits)]
        loss = float(F.cross_entropy(torch.stack(logits), torch.tensor(tgt), reduction="sum")) / len(tgt)
        ws = [s["weights"] for s in tr["steps"]] if model.cfg["score"] != "none" else None
    return ws, ps, loss


def make_grad_one(spec, index):
    cfg = spec["cfg"]
    free = index % 2 == 1                                      # every other one runs free
    lr = 0.5 if index % 3 == 0 else 0.1
    for attempt in range(100):
        seed = 5000 + 17 * index + attempt
        g = torch.Generator().manual_seed(seed)
        torch.manual_seed(seed)
        model = GradSeq2Seq(cfg, len(SRC_VOCAB), len(TGT_VOCAB))
        init_weights(model, seed)
        src = torch.randint(4, len(SRC_VOCAB), (spec["S"],), generator=g).tolist()
        ref = torch.randint(4, len(TGT_VOCAB), (spec["R"],), generator=g).tolist()
        T = len(ref) + 1
        inputs = free_inputs(model, src, T) if free else [SOS] + ref
        with torch.no_grad():
            lg, _ = model.run(src, inputs=inputs)
        # clear argmaxes (a free-running input is one), never <pad> or <sos>;
        # free-running: at least one input that is not the reference
        ok = (min(argmax_margin(l) for l in lg) > 2e-3 and
              all(int(torch.argmax(l)) not in (PAD, SOS) for l in lg))
        if free:
            ok = ok and any(inputs[t] != ref[t - 1] for t in range(1, T)) and len(inputs) == T
        if ok:
            break
    else:
        raise SystemExit(f"grad {spec['name']}: no seed gives clear argmaxes")

    loss, steps, d_enc, d_emb, _ = grad_run(model, src, ref, inputs)
    grads = {k: p.grad.clone() for k, p in model.named_parameters()}

    # the same in float64: how exact is the float32 reference itself?
    m64 = GradSeq2Seq(cfg, len(SRC_VOCAB), len(TGT_VOCAB)).double()
    m64.load_state_dict({k: v.double() for k, v in model.state_dict().items()})
    l64, s64, e64, x64, _ = grad_run(m64, src, ref, inputs)
    err = max(abs(float(loss) - float(l64)), float((d_enc.double() - e64).abs().max()),
              float((d_emb.double() - x64).abs().max()))
    for k, p in m64.named_parameters():
        err = max(err, float((p.grad - grads[k].double()).abs().max()))
    for a, b in zip(steps, s64):
        for k in a:
            err = max(err, float((a[k].double() - b[k]).abs().max()))
    assert err < 2e-6, f"grad {spec['name']}: float32 vs float64 differ by {err}"

    # one plain SGD step on a copy, the same inputs replayed
    stepped = GradSeq2Seq(cfg, len(SRC_VOCAB), len(TGT_VOCAB))
    stepped.load_state_dict(model.state_dict())
    with torch.no_grad():
        for k, p in stepped.named_parameters():
            p -= lr * grads[k]
    stepped.kept = []
    ws, ps, after_loss = replay(stepped, src, ref, inputs)
    assert after_loss < float(loss), f"grad {spec['name']}: the step raised the loss"

    fx = {"name": spec["name"], "config": cfg, "seed": seed, "src_vocab": SRC_VOCAB, "tgt_vocab": TGT_VOCAB,
          "src": src, "reference": ref, "teacher_forcing": 0.0 if free else 1.0, "inputs": inputs,
          "lr": lr, "loss": float("%.9g" % float(loss)),
          "steps": [{k: r9(v) for k, v in s.items()} for s in steps],
          "d_encoder_states": [r9(r) for r in d_enc], "d_source_embeddings": [r9(r) for r in d_emb],
          "grads": {k: r9(v) for k, v in grads.items()},
          "param_grad_norms": {k: float("%.9g" % float(v.norm())) for k, v in grads.items()},
          "after_step": {"lr": lr, "loss": float("%.9g" % after_loss),
                         "steps": [dict(p_reference=float("%.9g" % ps[t]),
                                        **({"weights": r9(ws[t])} if ws else {})) for t in range(len(ps))]},
          "f64_max_abs_diff": err}
    os.makedirs(GRAD_DIR, exist_ok=True)
    path = os.path.join(GRAD_DIR, spec["name"])
    write_safetensors(path + ".safetensors", model, cfg)
    with open(path + ".json.tmp", "w") as f:
        json.dump(fx, f, separators=(",", ":"))
        f.write("\n")
    os.replace(path + ".json.tmp", path + ".json")
    return err, free


def make_grad_fixtures():
    names = []
    for i, spec in enumerate(GRAD_CONFIGS):
        err, free = make_grad_one(spec, i)
        names.append(spec["name"])
        print(f"grad/{spec['name']:34s} {'free-running' if free else 'forced      '}"
              f" float32 vs float64 max |diff| {err:.1e}")
    with open(os.path.join(GRAD_DIR, "index.json"), "w") as f:
        json.dump(names, f, indent=0)
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    check_cells()
    names = []
    for spec in CONFIGS:
        err = make_one(spec)
        names.append(spec["name"])
        print(f"{spec['name']:34s} float32 vs float64 max |diff| {err:.1e}"
              f"{'  + batch' if spec['batch'] else ''}")
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(names, f, indent=0)
        f.write("\n")
    make_grad_fixtures()
    size = sum(os.path.getsize(os.path.join(OUT, x)) for x in os.listdir(OUT))
    print(f"{len(names)} fixtures, {size} bytes in {os.path.normpath(OUT)}")


if __name__ == "__main__":
    sys.exit(main())
