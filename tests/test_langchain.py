"""PolicyRetriever inside a real LangChain chain (LCEL: retriever | format | prompt | model)."""
from __future__ import annotations

from langchain_core.documents import Document
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnablePassthrough

from assistant.fakes import scripted_chat_model
from assistant.ingest.cleaning import OffsetMap
from assistant.langchain import PolicyRetriever, format_docs

QUESTION = "到2025年学前教育三年毛入园率要达到多少?"


def test_retriever_documents_carry_the_exact_source(hash_assistant):
    a = hash_assistant
    docs = PolicyRetriever(assistant=a, k=3).invoke(QUESTION)
    passages = a.retrieve(QUESTION, k=3)
    assert [d.metadata["chunk_id"] for d in docs] == [p.chunk.chunk_id for p in passages]
    assert all(isinstance(d, Document) for d in docs) and len(docs) == 3
    top = next(d for d in docs if "95%以上" in d.page_content)
    chunk = a.chunks_by_id[top.metadata["chunk_id"]]
    doc = a.document(chunk.doc_id)
    m = top.metadata
    assert (m["doc_id"], m["title"], m["citation_label"]) == (chunk.doc_id, chunk.title, chunk.citation_label)
    assert m["heading_path"] == list(chunk.heading_path) and m["heading_path"]
    assert m["heading"] == " > ".join(chunk.heading_path)
    assert m["citation"] == f"《{chunk.title}》{chunk.citation_label} {m['heading']}"
    assert m["source"] == f"《{chunk.title}》{chunk.citation_label}"
    # Offsets index the original file (page markers the cleaner dropped may lie inside).
    assert (m["start"], m["end"]) == OffsetMap(doc.offset_runs).span(chunk.start, chunk.end)
    original = doc.original[m["start"]:m["end"]]
    text = top.page_content
    assert original.startswith(text[:12]) and original.endswith(text[-12:])
    assert isinstance(m["score"], float) and m["rank"] >= 1


def test_retriever_respects_the_document_scope(hash_assistant):
    a = hash_assistant
    only = a.documents()[1].doc_id
    docs = PolicyRetriever(assistant=a, k=5, doc_ids=[only]).invoke(QUESTION)
    assert docs and {d.metadata["doc_id"] for d in docs} == {only}


def test_retriever_in_an_lcel_chain_with_a_chat_model(hash_assistant):
    retriever = PolicyRetriever(assistant=hash_assistant, k=2)
    model = scripted_chat_model(["到2025年达到95%以上[1]。"])
    prompt = ChatPromptTemplate.from_template("依据资料回答并标注编号。\n{context}\n问题：{question}")
    chain = {"context": retriever | format_docs, "question": RunnablePassthrough()} | prompt | model | StrOutputParser()
    assert chain.invoke(QUESTION) == "到2025年达到95%以上[1]。"
    sent = model.prompts[0][0].content
    docs = retriever.invoke(QUESTION)
    assert sent.startswith("依据资料回答并标注编号。\n[1] 《") and sent.endswith(f"问题：{QUESTION}")
    assert f"[1] {docs[0].metadata['citation']}\n{docs[0].page_content}" in sent
    assert f"[2] {docs[1].metadata['citation']}\n{docs[1].page_content}" in sent
