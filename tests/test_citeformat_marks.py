"""Marks such as [1] written inside a document never look like the answer's own citation marks."""
from assistant.answer.citeformat import quoted


def test_document_marks_become_full_width_inside_a_quote():
    assert quoted("毛入园率达到93%以上[1][2]。") == "“毛入园率达到93%以上［1］［2］。”"


def test_text_without_marks_is_only_put_in_quotes():
    assert quoted("达到[一]95%") == "“达到[一]95%”"
