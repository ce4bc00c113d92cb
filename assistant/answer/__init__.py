"""Answering a question from retrieved passages: the question's analysis and place scope, the term lexicon,
the offline extractive answerer and its answer check, the LLM answerer and its citation check,
how a citation is written, indicator tables, prompt files."""
