"""政策通 (assistant): cited Q&A and drafting over Chinese plan documents, offline."""

__version__ = "0.1.0"
