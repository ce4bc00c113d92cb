"""Place names are tagged once at ingest and kept with the document, so a draft on templates never
drafted from before does not run jieba's tagger over their whole text (issue 12: drafting with 100
documents in the library takes ≤ 2× the time with 2)."""
import sqlite3
from dataclasses import replace

from assistant.drafting import facts
from assistant.index.manifest import SCHEMA, Manifest
from assistant.ingest.place_tags import document_places

from conftest import hash_built

PLAN = "一、总体要求\n大连市金普新区对接长三角，学习金州区和澄溪县的做法，全区各社区推进。\n"
PLAN_PLACES = ("大连", "大连市", "大连市金普新区", "澄溪县", "金州", "金州区", "金普", "金普新区", "长三角")


def test_the_tagger_finds_gazetteer_names_jieba_place_tags_and_regions_but_not_generic_words():
    assert document_places(PLAN) == PLAN_PLACES
    assert document_places("青禾县居民在城区和社区办理。") == ()


def test_ingest_keeps_the_place_names_with_the_document(tmp_path):
    a = hash_built(tmp_path / "d")
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    a.ingest([src])
    assert a.document("plan").places == PLAN_PLACES
    # Read back by another process's view of the same manifest.
    assert Manifest(tmp_path / "d" / "manifest.sqlite").get_document("plan").places == PLAN_PLACES


def test_drafting_uses_the_stored_names_and_tags_only_titles_and_untagged_documents(tmp_path, monkeypatch):
    a = hash_built(tmp_path / "d")
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    a.ingest([src])
    doc = a.document("plan")
    tagged: list[str] = []
    real = facts.place_names
    monkeypatch.setattr(facts, "place_names", lambda text: tagged.append(text) or real(text))
    stored = facts.template_places([doc], ["澄溪县教育规划"], ["金普新区"])
    assert tagged == ["澄溪县教育规划"]          # the title only: the document's text was tagged at ingest
    assert stored == sorted(PLAN_PLACES, key=lambda n: (-len(n), n))
    old = replace(doc, places=None)               # stored before ingest kept the names
    assert facts.template_places([old], [], []) == stored
    assert tagged[1:] == [doc.text]


def test_a_manifest_written_before_the_names_were_kept_opens_and_reindex_fills_them(tmp_path):
    data = tmp_path / "d"
    a = hash_built(data)
    src = tmp_path / "plan.txt"
    src.write_text(PLAN, encoding="utf-8")
    a.ingest([src])
    # The documents table as it was: no places column.
    db = sqlite3.connect(str(data / "manifest.sqlite"))
    db.execute("ALTER TABLE documents DROP COLUMN places")
    db.commit()
    db.close()
    assert "places TEXT" in SCHEMA
    b = hash_built(data)
    assert b.document("plan").places is None
    b.reindex()
    assert b.document("plan").places == PLAN_PLACES
