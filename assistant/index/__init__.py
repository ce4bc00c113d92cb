"""Storing and searching chunks: the embedder, the three stores (Chroma vectors, the lexical index, the
SQLite manifest) behind their Protocols, the indexer that writes a read document into all three,
the start-up repair that makes them agree, and hybrid retrieval."""
