"""BM25 over jieba tokens, with numbers and percentages kept whole (95%, 2025, 4.3).
Saved to disk after each change and loaded at start-up."""
from __future__ import annotations

import logging
import pickle
import re
import threading
import unicodedata
from pathlib import Path
from typing import Sequence

NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
STOP = set("的 了 和 与 及 是 在 对 为 等 将 把 被 中 上 下 要 到 由 从 以 之 其 或 并 也 而 就 都 个 哪些 什么 多少 "
           "哪 哪个 哪次 哪项 哪类 哪种 哪一 哪几 哪一年 几 如何 文件 两份 分别 各自 具体 一下  怎么 怎样 是否 吗 呢 么 啊 请问 提出 方面 有关 关于 按照 根据 里 县里 这份".split())
_jieba_lock = threading.Lock()
_jieba = None


def _tokenizer():
    global _jieba
    with _jieba_lock:
        if _jieba is None:
            import jieba
            jieba.setLogLevel(logging.WARNING)
            jieba.initialize()
            _jieba = jieba
    return _jieba


def normalize_query(text: str) -> str:
    """Full-width digits and punctuation to half-width, 百分之N to N%."""
    text = unicodedata.normalize("NFKC", text)
    cn = "零一二三四五六七八九"

    def pct(m: re.Match) -> str:
        s = m.group(1)
        if re.fullmatch(r"\d+(?:\.\d+)?", s):
            return s + "%"
        if all(c in cn + "十点" for c in s):
            return _cn_to_number(s) + "%"
        return m.group(0)
    return re.sub(r"百分之([\d零一二三四五六七八九十点.]+)", pct, text)


def _cn_to_number(s: str) -> str:
    cn = "零一二三四五六七八九"
    if "点" in s:
        a, b = s.split("点", 1)
        return _cn_to_number(a) + "." + "".join(str(cn.index(c)) for c in b if c in cn)
    if s == "十":
        return "10"
    if "十" in s:
        a, _, b = s.partition("十")
        return str((cn.index(a) if a else 1) * 10 + (cn.index(b) if b else 0))
    return "".join(str(cn.index(c)) for c in s if c in cn)


def tokenize(text: str) -> list[str]:
    text = normalize_query(text)
    jieba = _tokenizer()
    tokens: list[str] = []
    pos = 0
    for m in NUMBER.finditer(text):
        tokens += _words(jieba, text[pos:m.start()])
        tokens.append(m.group(0))
        if m.group(0).endswith("%"):
            tokens.append(m.group(0)[:-1])
        pos = m.end()
    tokens += _words(jieba, text[pos:])
    return tokens


def _words(jieba, text: str) -> list[str]:
    out = []
    for w in jieba.cut_for_search(text):
        w = w.strip().lower()
        if w and w not in STOP and not all(unicodedata.category(c)[0] in "PZS" for c in w):
            out.append(w)
    return out


class LexicalIndex:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.ids: list[str] = []
        self.tokens: list[list[str]] = []
        self._bm25 = None
        if path.exists():
            with open(path, "rb") as fh:
                state = pickle.load(fh)
            self.ids, self.tokens, self._bm25 = state["ids"], state["tokens"], state["bm25"]

    def replace_doc(self, doc_prefix: str, ids: Sequence[str], texts: Sequence[str]) -> None:
        keep = [i for i, cid in enumerate(self.ids) if not cid.startswith(doc_prefix + ":")]
        self.ids = [self.ids[i] for i in keep] + list(ids)
        self.tokens = [self.tokens[i] for i in keep] + [tokenize(t) for t in texts]
        self._rebuild()

    def _rebuild(self) -> None:
        from rank_bm25 import BM25Okapi
        self._bm25 = BM25Okapi(self.tokens) if self.tokens else None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump({"ids": self.ids, "tokens": self.tokens, "bm25": self._bm25}, fh)
        tmp.replace(self.path)

    def search(self, query: str, k: int, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        if self._bm25 is None:
            return []
        q = tokenize(query)
        if not q:
            return []
        scores = self._bm25.get_scores(q)
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        out = []
        for i in order:
            if scores[i] <= 0:
                break
            if allowed is not None and self.ids[i].split(":", 1)[0] not in allowed:
                continue
            out.append((self.ids[i], float(scores[i])))
            if len(out) >= k:
                break
        return out
