"""The plain LangChain pipeline a user would otherwise build: RecursiveCharacterTextSplitter
(500 characters, 50 overlap, Chinese separators) + Chroma similarity_search, with the same
embedder; answer = the top chunk, citations = the top-k chunks."""
from __future__ import annotations

import time
import uuid
from pathlib import Path

from langchain_core.documents import Document as LCDocument
from langchain_core.embeddings import Embeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from ..ingest.readers import ReadError, read_file

SEPARATORS = ["\n\n", "\n", "。", "！", "？", "；", "，", " ", ""]


class EmbedderAdapter(Embeddings):
    def __init__(self, embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed_passages(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_query(text).tolist()


class LangChainBaseline:
    def __init__(self, files: list[Path], embedder, k: int = 10) -> None:
        from langchain_chroma import Chroma
        splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50, separators=SEPARATORS,
                                                  add_start_index=True)
        docs = []
        self.skipped: list[str] = []
        for f in files:
            try:
                text = read_file(f).text
            except (ReadError, OSError) as exc:
                self.skipped.append(str(exc))  # as ingest does: one line, the run goes on
                continue
            docs += splitter.split_documents([LCDocument(page_content=text, metadata={"source": f.name})])
        # In-memory collection: the baseline never touches the assistant's store.
        self.store = Chroma(collection_name=f"baseline-{uuid.uuid4().hex[:8]}",
                            embedding_function=EmbedderAdapter(embedder))
        self.store.add_documents(docs)
        self.k = k
        self.chunks = len(docs)

    def run(self, question: str) -> tuple[list[str], str, list[str], float, float, list[str]]:
        """Ranked texts, answer, cited texts, retrieve and total ms, and the cited files' names."""
        t0 = time.perf_counter()
        hits = self.store.similarity_search(question, k=self.k)
        t1 = time.perf_counter()
        texts = [h.page_content for h in hits]
        answer = texts[0] if texts else ""
        sources = [h.metadata.get("source", "") for h in hits[:5]]
        return texts, answer, texts[:5], (t1 - t0) * 1000, (time.perf_counter() - t0) * 1000, sources
