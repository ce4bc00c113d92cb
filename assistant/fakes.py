"""Deterministic fakes for tests, kept in one place: a hash-seeded embedder and a scripted
chat model that records the prompts it was given."""
from __future__ import annotations

import hashlib
from typing import Any, Sequence

import numpy as np


class HashEmbedder:
    """Bag of character bigrams hashed into 64 dims: similar texts get similar vectors."""
    name = "hash-bigram-64"
    dim = 64

    def _vec(self, text: str) -> np.ndarray:
        v = np.zeros(self.dim, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            h = int.from_bytes(hashlib.md5((a + b).encode()).digest()[:4], "little")
            v[h % self.dim] += 1.0
        n = np.linalg.norm(v)
        return v / n if n else v

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, self.dim), np.float32)

    def embed_query(self, text: str) -> np.ndarray:
        return self._vec(text)


def scripted_chat_model(responses: list[str]):
    """A LangChain chat model that answers with `responses` in turn and records its prompts."""
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    class RecordingChatModel(GenericFakeChatModel):
        prompts: list[Any] = []

        def _generate(self, messages, stop=None, run_manager=None, **kwargs):
            self.prompts.append(messages)
            return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)

        def _stream(self, messages, stop=None, run_manager=None, **kwargs):
            self.prompts.append(messages)
            yield from super()._stream(messages, stop=stop, run_manager=run_manager, **kwargs)

    return RecordingChatModel(messages=iter([AIMessage(content=r) for r in responses]), prompts=[])
