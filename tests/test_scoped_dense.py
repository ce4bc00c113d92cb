"""Dense search within a scope (the documents of the place a question names) takes one of three
routes by the scope's size; each must give what Chroma's metadata filter gives."""
import pytest

from assistant.index import retrieval

from conftest import SEED_000, SEED_003, hash_built


@pytest.fixture
def lib(tmp_path):
    a = hash_built(tmp_path / "d")
    a.ingest([SEED_000, SEED_003])
    return a


def _filtered(a, qv, doc_ids):
    return a.vectors.query(qv, a.retriever.candidates, doc_ids)


@pytest.mark.parametrize("exact_max, wide_max, route", [
    (1000, 4000, "nearest_among"),     # a few documents: their own vectors, scored exactly
    (0, 1_000_000, "unfiltered"),      # a large share of the library: read off the unfiltered neighbours
    (0, 0, "filtered")])               # neither: Chroma's filter
def test_every_route_gives_the_filtered_result(lib, monkeypatch, exact_max, wide_max, route):
    monkeypatch.setattr(retrieval, "EXACT_SCOPE_CHUNKS", exact_max)
    monkeypatch.setattr(retrieval, "WIDE_SCOPE_NEIGHBOURS", wide_max)
    r = lib.retriever
    calls = []
    for name in ("query", "nearest_among"):
        real = getattr(lib.vectors, name)
        monkeypatch.setattr(lib.vectors, name, lambda *args, _n=name, _r=real: calls.append(
            f"{_n}:{'filtered' if _n == 'query' and len(args) > 2 and args[2] else 'unfiltered'}") or _r(*args))
    qv = lib.embedder.embed_query("学前教育三年毛入园率")
    scope = ["003_99ee4da949b934db"]
    got = r.dense(qv, scope)
    want = lib.vectors._col.query(query_embeddings=[qv.tolist()], n_results=r.candidates,
                                  where={"doc_id": scope[0]}, include=["distances"])
    assert calls == [{"nearest_among": "nearest_among:unfiltered", "unfiltered": "query:unfiltered",
                      "filtered": "query:filtered"}[route]]
    assert [cid for cid, _ in got] == want["ids"][0]
    assert [s for _, s in got] == pytest.approx([1.0 - d for d in want["distances"][0]], abs=1e-5)
    assert all(cid.startswith("003_99ee4da949b934db") for cid, _ in got)


def test_a_wide_scope_with_too_few_hits_among_the_neighbours_falls_back_to_the_filter(lib, monkeypatch):
    monkeypatch.setattr(retrieval, "EXACT_SCOPE_CHUNKS", 0)
    r = lib.retriever
    monkeypatch.setattr(r, "candidates", 5)
    # The store returns 1 unfiltered neighbour: fewer than 5 in scope, so the filter answers.
    monkeypatch.setattr(retrieval, "WIDE_SCOPE_NEIGHBOURS", 10 ** 6)
    real = lib.vectors.query
    seen = []
    monkeypatch.setattr(lib.vectors, "query", lambda v, k, d=None: seen.append((k, bool(d))) or real(v, 1 if not d else k, d))
    qv = lib.embedder.embed_query("学前教育")
    got = r.dense(qv, ["003_99ee4da949b934db"])
    assert [flt for _, flt in seen] == [False, False, True]   # the share's guess, the most allowed, the filter
    assert [cid for cid, _ in got] == [cid for cid, _ in real(qv, 5, ["003_99ee4da949b934db"])]
