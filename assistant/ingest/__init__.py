"""Reading files into documents and chunks: the format readers and their limits, cleaning (with the map back
to the original characters), the 公文 structure, metadata and places, chunking. Nothing here stores anything."""
