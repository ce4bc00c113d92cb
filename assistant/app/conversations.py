"""Saved conversations: one JSON file per conversation, under
<data_dir>/conversations/<browser session id>/<conversation id>.json, and their exports
(Markdown, Word). Ids are checked against a fixed pattern before they touch a path, so a
forged id can never name a file outside the store."""
from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..answer.citeformat import line_text
from ..types import OUTCOME_WORDS

SESSION_ID = re.compile(r"[A-Za-z0-9_-]{16,64}")
CONVERSATION_ID = re.compile(r"[0-9a-f]{32}")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~&#])")


def new_session_id() -> str:
    return secrets.token_urlsafe(24)


def new_conversation_id() -> str:
    return secrets.token_hex(16)


@dataclass(frozen=True)
class ConversationInfo:
    conv_id: str
    title: str
    updated: float
    turns: int


class ConversationStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _dir(self, session: str) -> Path:
        if not isinstance(session, str) or not SESSION_ID.fullmatch(session):
            raise ValueError("会话标识无效")
        return self.root / session

    def _path(self, session: str, conv_id: str) -> Path:
        if not isinstance(conv_id, str) or not CONVERSATION_ID.fullmatch(conv_id):
            raise ValueError("对话标识无效")
        return self._dir(session) / f"{conv_id}.json"

    def save(self, session: str, conv_id: str, turns: list[dict[str, Any]]) -> None:
        path = self._path(session, conv_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        title = turns[0]["question"][:40] if turns else "（空对话）"
        data = {"id": conv_id, "title": title, "updated": time.time(), "turns": turns}
        # Write-then-rename: a crash leaves the old file or the new one, never half of one.
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False)
        os.replace(tmp, path)

    def load(self, session: str, conv_id: str) -> list[dict[str, Any]]:
        path = self._path(session, conv_id)
        if not path.exists():
            raise ValueError("该对话已不存在")
        return json.loads(path.read_text(encoding="utf-8"))["turns"]

    def delete(self, session: str, conv_id: str) -> bool:
        path = self._path(session, conv_id)
        if path.exists():
            path.unlink()
            return True
        return False

    def list(self, session: str) -> list[ConversationInfo]:
        folder = self._dir(session)
        out = []
        for p in folder.glob("*.json") if folder.exists() else ():
            try:
                d = json.loads(p.read_text(encoding="utf-8"))
                out.append(ConversationInfo(d["id"], d["title"], d["updated"], len(d["turns"])))
            except (OSError, ValueError, KeyError):
                continue  # a damaged file is skipped, not fatal for the list
        return sorted(out, key=lambda c: -c.updated)


def conversation_choices(items: list[ConversationInfo]) -> list[tuple[str, str]]:
    return [(f"{time.strftime('%m-%d %H:%M', time.localtime(c.updated))} {c.title}（{c.turns} 问）", c.conv_id)
            for c in items]


def md_text(text: str) -> str:
    """Plain text made literal in Markdown: no HTML, links, images or emphasis from documents."""
    return _MD_SPECIAL.sub(r"\\\1", text)


def _citation_line(c: dict) -> str:
    return (f"[{c['n']}] {line_text(c['title'], c.get('citation_label', ''), c['heading_path'])}："
            f"“{c['quote']}”（原文第 {c['start']}–{c['end']} 字）")


def conversation_markdown(turns: list[dict]) -> str:
    lines = ["# 政策通问答记录", ""]
    if not turns:
        lines.append("（对话为空）")
    for k, t in enumerate(turns, 1):
        lines += [f"## 问题 {k}：{md_text(t['question'])}", "",
                  f"**{OUTCOME_WORDS.get(t.get('outcome', ''), '')}**", "", md_text(t["text"]), ""]
        for c in t.get("citations", []):
            lines.append("- " + md_text(_citation_line(c)))
        lines.append("")
    return "\n".join(lines)


def conversation_docx(turns: list[dict], path: Path) -> Path:
    from docx import Document
    doc = Document()
    doc.add_heading("政策通问答记录", level=1)
    if not turns:
        doc.add_paragraph("（对话为空）")
    for k, t in enumerate(turns, 1):
        doc.add_heading(f"问题 {k}：{t['question']}", level=2)
        doc.add_paragraph(OUTCOME_WORDS.get(t.get("outcome", ""), ""))
        doc.add_paragraph(t["text"])
        for c in t.get("citations", []):
            doc.add_paragraph(_citation_line(c), style="List Bullet")
    doc.save(str(path))
    return path


def export_files(turns: list[dict], folder: Path) -> tuple[str, str]:
    """Both exports of the conversation as it is now, written over the previous ones in `folder`
    (one folder per browser session, so exports do not pile up)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    md = folder / "问答记录.md"
    md.write_text(conversation_markdown(turns), encoding="utf-8")
    return str(md), str(conversation_docx(turns, folder / "问答记录.docx"))


def browser_secret(root: Path) -> str:
    """A key kept in the data dir, so a browser's session id survives a server restart."""
    path = Path(root) / ".browser-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another start won the race: use its key
            return path.read_text().strip()
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(16))
    return path.read_text().strip()
