"""Drafting mode: outlines and first drafts of a new county implementation plan."""
