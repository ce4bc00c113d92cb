"""One document, one entry: identity by path, by upload name and by content."""
from assistant.app.bootstrap import build_assistant
from assistant.fakes import HashEmbedder

from conftest import make_settings

NOTICE = "郑州市人民政府关于印发郑州市积分管理办法的通知\n一、总体要求\n到2025年，入园率达到95%。\n"


def _assistant(tmp_path):
    return build_assistant(make_settings(tmp_path / "d"), embedder=HashEmbedder())


def test_same_content_under_another_path_is_unchanged_with_its_real_title(tmp_path):
    a = _assistant(tmp_path)
    (tmp_path / "corpus").mkdir()
    first = tmp_path / "corpus" / "plan.txt"
    first.write_text(NOTICE, encoding="utf-8")
    [r1] = a.ingest([first])
    copy = tmp_path / "upload-copy.txt"
    copy.write_text(NOTICE, encoding="utf-8")
    [r2] = a.ingest([copy])
    assert (r1.status, r1.doc_id) == ("added", "plan")
    assert (r2.status, r2.doc_id, r2.title) == ("unchanged", "plan", "郑州市人民政府关于印发郑州市积分管理办法的通知")
    assert [d.doc_id for d in a.documents()] == ["plan"]


def test_upload_of_a_known_name_updates_and_of_known_content_is_unchanged(tmp_path):
    a = _assistant(tmp_path)
    src = tmp_path / "plan.txt"
    src.write_text(NOTICE, encoding="utf-8")
    a.ingest([src])
    tmp_upload = tmp_path / "gradio-tmp-123.txt"
    tmp_upload.write_text(NOTICE.replace("95%", "98%"), encoding="utf-8")
    r = a.ingest_upload(tmp_upload, display_name="plan.txt")
    assert (r.status, r.doc_id) == ("updated", "plan")
    again = tmp_path / "gradio-tmp-456.txt"
    again.write_text(NOTICE.replace("95%", "98%"), encoding="utf-8")
    r2 = a.ingest_upload(again, display_name="另一个名字.txt")
    assert (r2.status, r2.doc_id, r2.title) == ("unchanged", "plan", "郑州市人民政府关于印发郑州市积分管理办法的通知")
    assert [d.doc_id for d in a.documents()] == ["plan"]


def test_reingesting_a_folder_after_uploads_makes_no_copies(tmp_path):
    a = _assistant(tmp_path)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(NOTICE, encoding="utf-8")
    (corpus / "b.txt").write_text("北京市积分落户管理办法\n第一条为规范积分落户工作，制定本办法。\n", encoding="utf-8")
    a.ingest([corpus])
    upload = tmp_path / "u.txt"
    upload.write_text((corpus / "b.txt").read_text(encoding="utf-8"), encoding="utf-8")
    a.ingest_upload(upload, display_name="b.txt")
    statuses = [r.status for r in a.ingest([corpus])]
    assert statuses == ["unchanged", "unchanged"]
    assert [d.doc_id for d in a.documents()] == ["a", "b"]
