"""common.py — what tests/python/test_*.py share: a tiny test runner, the
C binary, and the field-by-field comparison of two decode traces.

A test is a function decorated with @test. It passes when it returns, fails
on any exception (the message is printed), and is skipped when it raises
Skip — a skip is reported on its own line with its reason and never counts
as passed. run() prints one line per test and, last, the summary line
tools/run-tests.sh reads:

    python tests/python/test_twin.py: 11 passed, 0 failed, 1 skipped

Tolerance, as tests/torch/test_torch.c: |got - want| ≤ 1e-5 · max(1, |want|),
i.e. 1e-5 absolute up to magnitude 1 and 1e-5 relative above (a raw score
of 70 has a float32 spacing of 8e-6).
"""
import json
import os
import subprocess
import sys
import tempfile
import time
import traceback

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "python"))
os.chdir(ROOT)

TOL = 1e-5
ATTNVIZ = os.environ.get("ATTNVIZ", "build/attnviz")
SCRATCH = tempfile.mkdtemp(prefix="attnviz-py.")

# Fields of MODEL.md's trace that the twin writes and the C binary on this
# branch may not write yet (another helper is adding them to the engine):
# a missing one is reported, an existing one is compared like any other.
PENDING = {"unknown_source", "model.attn_bias", "model.source_eos"}

_tests = []


class Skip(Exception):
    pass


def test(fn):
    _tests.append(fn)
    return fn


def close(got, want, tol=TOL):
    return abs(got - want) <= tol * max(1.0, abs(want))


def c_run(*args, check=True):
    """Run the C binary; returns CompletedProcess (text)."""
    r = subprocess.run([ATTNVIZ] + [str(a) for a in args], capture_output=True, text=True)
    if check and r.returncode != 0:
        raise AssertionError(f"attnviz {' '.join(map(str, args[:3]))} …: exit {r.returncode}: "
                             f"{r.stderr.strip()[:300]}")
    return r


def c_decode(model, text, target=None, tf=None, seed=None, max_len=None, trace=True):
    """The C binary's decoding: (last line of stdout, trace dict or None)."""
    args = ["decode", "--model", model, "--input", text]
    if target is not None:
        args += ["--target", target]
    if tf is not None:
        args += ["--teacher-forcing", repr(tf)]
    if seed is not None:
        args += ["--seed", seed]
    if max_len is not None:
        args += ["--max-len", max_len]
    path = os.path.join(SCRATCH, "c-trace.json")
    if trace:
        args += ["--trace-json", path]
    r = c_run(*args)
    lines = r.stdout.split("\n")
    last = lines[-2] if len(lines) >= 2 else ""
    return last, (json.load(open(path, encoding="utf-8")) if trace else None)


def compare(c, t, path="", problems=None, pending=None):
    """Walk the C trace c and the twin's trace t together. Returns the list
    of differences (each a printable line). Numbers within TOL, booleans,
    strings, nulls and lengths exactly. Keys the twin has and C lacks are
    problems unless listed in PENDING (then added to `pending`)."""
    problems = [] if problems is None else problems
    where = path or "trace"
    if isinstance(c, dict) and isinstance(t, dict):
        for k in c:
            if k not in t:
                problems.append(f"{where}: the twin lacks {k!r}")
            else:
                compare(c[k], t[k], f"{path}.{k}" if path else k, problems, pending)
        for k in t:
            if k not in c:
                full = f"{path}.{k}" if path else k
                if full in PENDING:
                    if pending is not None:
                        pending.add(full)
                else:
                    problems.append(f"{where}: the C trace lacks {k!r}")
    elif isinstance(c, list) and isinstance(t, list):
        if len(c) != len(t):
            problems.append(f"{where}: C has {len(c)} entries, the twin {len(t)}")
        else:
            for i, (a, b) in enumerate(zip(c, t)):
                compare(a, b, f"{path}[{i}]", problems, pending)
    elif isinstance(c, bool) or isinstance(t, bool) or c is None or t is None or \
            isinstance(c, str) or isinstance(t, str):
        if c != t or type(c) is not type(t):
            problems.append(f"{where}: C {c!r}, twin {t!r}")
    elif isinstance(c, (int, float)) and isinstance(t, (int, float)):
        if not close(t, c):
            problems.append(f"{where}: C {c!r}, twin {t!r} (error {abs(c - t):.3g})")
    else:
        problems.append(f"{where}: C {type(c).__name__}, twin {type(t).__name__}")
    return problems


def expect_same(c, t, what, pending=None):
    p = compare(c, t, pending=pending)
    if p:
        raise AssertionError(f"{what}: {len(p)} difference(s); first: " + "; ".join(p[:3]))


def run():
    name = os.path.relpath(sys.argv[0], ROOT)
    if not os.access(ATTNVIZ, os.X_OK):
        print(f"FAIL  {ATTNVIZ} is missing: build it first (make)")
        print(f"python {name}: 0 passed, 1 failed, 0 skipped")
        return 1
    passed = failed = skipped = 0
    only = sys.argv[1:]
    for fn in _tests:
        if only and fn.__name__ not in only:
            continue
        t0 = time.time()
        try:
            note = fn()
            passed += 1
            print(f"ok    {fn.__name__} ({time.time() - t0:.1f} s){': ' + note if note else ''}")
        except Skip as e:
            skipped += 1
            print(f"SKIP  {fn.__name__}: {e}")
        except Exception as e:  # every failure is reported; none stops the run
            failed += 1
            msg = str(e) or type(e).__name__
            print(f"FAIL  {fn.__name__}: {msg}")
            if not isinstance(e, AssertionError):
                traceback.print_exc(limit=4)
        sys.stdout.flush()
    subprocess.run(["rm", "-rf", SCRATCH])
    print(f"python {name}: {passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0
