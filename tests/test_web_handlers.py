"""The page's handlers driven directly (no server, no browser): what each step of a streamed
answer shows, and that clearing leaves nothing for a follow-up to use."""
import pytest

from conftest import SEED_000, SEED_003, make_settings


def _handler(app, name: str):
    return next(f.fn for f in app.fns.values() if getattr(f.fn, "__name__", "") == name)


@pytest.fixture
def app_for(tmp_path):
    def make(chat_model=None):
        from assistant.app.bootstrap import build_assistant
        from assistant.app.web import build_app
        from assistant.fakes import HashEmbedder
        a = build_assistant(make_settings(tmp_path / "data"), embedder=HashEmbedder(), chat_model=chat_model)
        a.ingest([SEED_000, SEED_003])
        return build_app(a)
    return make


SESSION = "s" * 32


def test_offline_answer_shows_question_then_outcome_and_sources_then_text(app_for):
    chat = _handler(app_for(), "chat")
    steps = list(chat("到2025年学前教育三年毛入园率要达到多少?", [], [], SESSION, None))
    first = steps[0][0]
    assert "到2025年学前教育三年毛入园率要达到多少?" in first and "正在检索文档" in first and "badge" not in first
    outcome_first = steps[1]
    assert "badge-answer'>答案<" in outcome_first[0] and "95%以上" not in outcome_first[0]
    assert "<mark>到2025年,学前教育三年毛入园率达到95%以上。</mark>" in outcome_first[3]  # sources already there
    final = steps[-1]
    assert "95%以上" in final[0] and " final'" in final[0] and len(final[1]) == 1
    assert final[6].endswith("问答记录.md") and final[7].endswith("问答记录.docx")


def test_model_text_is_plain_text_while_streaming_and_forged_links_never_render(app_for):
    from assistant.fakes import scripted_chat_model
    forged = "毛入园率达到95%以上[1]。![t](http://198.51.100.7/beacon.png)<img src=http://198.51.100.7/b>"
    chat = _handler(app_for(scripted_chat_model([forged])), "chat")
    steps = list(chat("到2025年学前教育三年毛入园率要达到多少?", [], [], SESSION, None))
    partial = [s[0] for s in steps if "badge-pending" in str(s[0])]
    assert partial  # the model's text was shown as it came …
    for html in [str(s[0]) for s in steps] + [str(s[3]) for s in steps]:
        assert "<img" not in html and "![" not in html  # the URL may show, as text that nothing fetches
    assert all("class='cite'" not in h for h in partial)  # … with no links until checked


def test_clear_leaves_nothing_for_a_follow_up(app_for):
    app = app_for()
    chat, clear = _handler(app, "chat"), _handler(app, "clear")
    *_, done = chat("到2025年学前教育三年毛入园率要达到多少?", [], [], SESSION, None)
    turns, conv = done[1], done[2]
    *_, follow = chat("那2020年呢?", [], turns, SESSION, conv)
    assert "按上文理解为" in follow[0]
    cleared = clear(SESSION, conv)
    assert cleared[1] == [] and cleared[2] is None and "chat empty" in cleared[0]
    *_, after = chat("那2020年呢?", [], cleared[1], SESSION, cleared[2])
    assert "按上文理解为" not in after[0] and len(after[1]) == 1
