"""The outline's structure from the templates' own 公文 structure: each template's headings (一、
（一） 1. and run-in headings) become a tree; the primary template's tree is the frame, and the
other templates' sections join the item whose heading says the same thing (指导思想 = 指导思想,
招生办法 ≈ 招生工作办法), or are added under the item their parent joined."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..ingest.structure import strip_heading_number
from .lexicon import section_roles, section_words
from .templates import Template
from .textcheck import bigrams

MAX_DEPTH = 4
MAX_CHILDREN = 10
SIGNATURE = re.compile(r"(局|厅|委员会|政府|办公室|办公厅|领导小组)$")
NOT_A_HEADING = re.compile(r"[－—…_]|^(本办法|本方案|本意见|本通知|本规定|本细则|本实施|附件|附表|抄送|印发)|^[^\u4e00-\u9fff]|^[和及与页至并或但的等之其]")
# A numbered line that says what someone must do is a provision, not a heading.
CLAUSE_START = re.compile(r"^(根据|按照|依据|凡|对|在|经|由|具有|继续|坚持|选择|严格|各)")
PROVISION = re.compile(r"[要应须得将]|确保|负责|可以")


@dataclass
class Node:
    """One heading of one template, with the cleaned-text spans of its own content (children's
    content excluded)."""
    template: Template
    depth: int
    title: str
    start: int
    end: int
    children: list[Node] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    path: tuple[str, ...] = ()     # the template's heading labels down to this one (一、总体要求 …)


@dataclass
class Item:
    """An outline item being built: its title, the template nodes that feed it, its children."""
    title: str
    members: list[Node] = field(default_factory=list)
    children: list[Item] = field(default_factory=list)
    primary: bool = True         # from the frame template (kept, marked, even when it ends up empty)


def heading_title(doc_text: str, sec, sections=()) -> str | None:
    """The heading's title when the section really starts with a heading line, else None (a
    numbered sentence such as 1、根据义务教育阶段…原则，… is content, not a heading)."""
    title = strip_heading_number(sec.title).strip().rstrip("。：:；;")
    if not 2 <= len(title) <= 20 or NOT_A_HEADING.search(title) or SIGNATURE.search(title):
        return None
    if PROVISION.search(title) and (sec.kind == "runin" or len(title) > 12):
        return None
    header = doc_text[sec.start:sec.body_start].rstrip(" ")
    nxt = doc_text[sec.body_start:sec.body_start + 1]
    line_end = header.endswith(("\n", "。", "：", ":")) or nxt in ("\n", "")
    if not line_end and sec.kind != "runin":
        # Flattened text (no line breaks): a short 一、/（一） heading followed directly by a
        # sub-heading or by a new clause is still a heading; a numbered clause is not.
        follows_child = nxt in "(（" or nxt.isdigit() or any(
            o.start == sec.body_start and o is not sec for o in sections)
        if not (follows_child and sec.level <= 2 and not CLAUSE_START.match(title)):
            return None
    elif not line_end and nxt in "、，,的和及与（(":
        return None
    if sec.end - sec.body_start < 8:
        return None
    return title


CHAPTER = re.compile(r"(?:^|\n)[ \t]*第[一二三四五六七八九十]{1,3}章[ \t]*([^\n]{2,20}?)[ \t]*(?=\n)")
ARTICLE = re.compile(r"(?:^|\n)[ \t]*第[一二三四五六七八九十百]{1,4}条[ \t]*(?:[（(]([^）)\n]{2,16})[）)])?")


def chapter_tree(t: Template) -> list[Node]:
    """A 办法/规定 written in 第X章 chapters: chapters are the items, articles with a title in
    brackets (第一条（目的和依据）) their children; untitled articles are the chapter's content."""
    text = t.doc.text
    chapters = list(CHAPTER.finditer(text))
    roots = []
    for i, m in enumerate(chapters):
        end = chapters[i + 1].start() if i + 1 < len(chapters) else len(text)
        label = text[m.start():m.end()].strip()
        node = Node(t, 1, m.group(1).strip(), m.end(), end, path=(label,))
        for a in ARTICLE.finditer(text, m.end(), end):
            if a.group(1):
                node.children.append(Node(t, 2, a.group(1).strip(), a.end(), end,
                                          path=(label, text[a.start():a.end()].strip())))
        for k, child in enumerate(node.children[:-1]):
            child.end = node.children[k + 1].start - 1
        for child in node.children:
            nxt = ARTICLE.search(text, child.start, child.end)
            if nxt:     # an untitled article after a titled one belongs to the chapter
                child.end = nxt.start()
        roots.append(node)
    return roots


def template_tree(t: Template) -> list[Node]:
    doc = t.doc
    if len(CHAPTER.findall(doc.text)) >= 2:
        chapters = chapter_tree(t)
        _spans(chapters)
        return chapters
    secs = [s for s in doc.sections if s.kind in ("heading", "runin", "box") and s.level <= 6]
    roots: list[Node] = []
    stack: list[Node] = []
    for s in sorted(secs, key=lambda s: (s.start, -s.end)):
        title: str | None
        if s.kind == "box":       # 专栏1 教育现代化重点项目: a box of projects keeps its 专栏 label
            title = "专栏：" + re.sub(r"^专栏\s*\d*\s*", "", s.title).strip()
        else:
            title = heading_title(doc.text, s, secs)
        if title is None:
            continue
        while stack and not (stack[-1].start <= s.start < stack[-1].end):
            stack.pop()
        depth = len(stack) + 1
        if depth > MAX_DEPTH:
            continue
        node = Node(t, depth, title, s.body_start, s.end, path=tuple(s.path))
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)
    _spans(roots)
    return roots


def _spans(roots: list[Node]) -> None:
    for node in _all(roots):
        pos, spans = node.start, []
        for c in node.children:
            if c.start > pos:
                spans.append((pos, c.start))
            pos = max(pos, c.end)
        if node.end > pos:
            spans.append((pos, node.end))
        node.spans = spans


def _all(nodes: list[Node]):
    for n in nodes:
        yield n
        yield from _all(n.children)


def core(title: str) -> str:
    text = re.sub(r"[^\u4e00-\u9fff]", "", strip_heading_number(title))
    for w in section_words().get("heading_noise", ()):
        if len(w) >= 2:
            text = text.replace(w, "")
    return text


def similarity(a: str, b: str) -> float:
    ca, cb = core(a), core(b)
    roles = section_roles()
    ra, rb = roles.get(strip_heading_number(a).strip()), roles.get(strip_heading_number(b).strip())
    if ra is not None and ra == rb and ca != cb:
        return 0.8
    if len(ca) < 2 or len(cb) < 2:
        return 1.0 if ca and ca == cb else 0.0
    if ca in cb or cb in ca:
        return 0.9
    ga, gb = bigrams(ca), bigrams(cb)
    return 2 * len(ga & gb) / (len(ga) + len(gb))


def role(title: str, name: str) -> bool:
    return any(w in title for w in section_words().get(name, ()))


def align(templates: list[Template]) -> list[Item]:
    """Outline frame from the primary template (the newest of those with a real structure), with
    the other templates' sections joined to it."""
    trees = [(t, template_tree(t)) for t in templates]
    trees = [(t, roots) for t, roots in trees if roots]
    if not trees:
        return []
    trees.sort(key=lambda x: (len(x[1]) >= 3, x[0].year, x[0].score), reverse=True)
    roots = trees[0][1]

    def mirror(nodes: list[Node]) -> list[Item]:
        out: list[Item] = []
        for node in nodes:
            same = next((it for it in out if similarity(it.title, node.title) >= 0.9), None)
            if same is not None:       # a template that repeats a heading (安排学位 for 小学 and 初中)
                same.members.append(node)
                same.children += mirror(node.children)
            else:
                out.append(Item(node.title, [node], mirror(node.children)))
        return out
    items = mirror(roots)
    for _, other in trees[1:]:
        _join(items, other)
    return items


def _walk(items: list[Item], depth: int = 1):
    for it in items:
        yield it, depth
        yield from _walk(it.children, depth + 1)


def _join(items: list[Item], roots: list[Node]) -> None:
    placed: dict[int, Item] = {}

    def best(node: Node) -> Item | None:
        # An item already fed by this template is not joined again: a template does not repeat a
        # section, so a second 重点任务 of the same template is its own item.
        scored = [(similarity(node.title, it.title) + (0.05 if d == node.depth else 0.0), it)
                  for it, d in _walk(items) if all(m.template is not node.template for m in it.members)]
        scored = [x for x in scored if x[0] >= 0.5]
        return max(scored, key=lambda x: x[0])[1] if scored else None

    top_count = max(1, len(roots))

    def visit(node: Node, parent: Node | None, index: int = 0) -> None:
        target = best(node)
        if target is not None:
            target.members.append(node)
        else:
            host = placed.get(id(parent)) if parent else None
            depth = next((d for it, d in _walk(items) if it is host), 0) if host else 0
            if host is not None and depth < MAX_DEPTH and len(host.children) < MAX_CHILDREN:
                target = Item(node.title, [node], primary=False)
                host.children.append(target)
            elif parent is None and (node.children or node.title in section_roles()):
                # a whole section the frame lacks, or a standard part of a 公文 (指导思想, 基本原则)
                target = Item(node.title, [node], primary=False)
                # Same relative place as in its own template: 指导思想 stays near the start.
                at = round(index / top_count * len(items))
                closing = [i for i, it in enumerate(items) if role(it.title, "closing")]
                if closing and not role(node.title, "closing"):
                    at = min(at, closing[0])
                items.insert(at, target)
        if target is not None:
            placed[id(node)] = target
        for c in node.children:
            visit(c, node)

    for i, r in enumerate(roots):
        visit(r, None, i)
