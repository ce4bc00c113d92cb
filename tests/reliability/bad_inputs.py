"""Hostile and broken files, made on the spot: each `BadInput` says what a correct library does
with it ("reject": one clear line, nothing stored; "accept": ingested; "either": either, with a
clear line) and, where it matters, what the stored text must or must not contain."""
from __future__ import annotations

import gzip
import io
import os
import random
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

POLICY = ("青禾县学前教育发展实施方案\n一、总体要求\n（一）主要目标。到2027年，全县学前三年毛入园率达到93%以上，"
          "公办幼儿园在园幼儿占比不低于55%。\n（二）保障措施。县教育局牵头，县财政局配合，落实生均公用经费。\n")
CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override '
                 'PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'wordprocessingml.document.main+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="word/document.xml"/></Relationships>')
DOC_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.'
            'openxmlformats.org/wordprocessingml/2006/main"><w:body>')
DOC_TAIL = "</w:body></w:document>"


@dataclass(frozen=True)
class BadInput:
    name: str
    path: Path
    expect: str                     # reject | accept | either
    must_contain: str = ""          # when accepted, the stored text has this (decoded right)
    must_not_contain: tuple[str, ...] = field(default_factory=tuple)  # never stored


def _docx(text: str) -> bytes:
    import docx
    d = docx.Document()
    for line in text.splitlines():
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf(text: str, pages: int = 1) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for _ in range(pages):
        c.setFont("STSong-Light", 11)
        for k, line in enumerate(text.splitlines()):
            c.drawString(50, 800 - 16 * k, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def _encrypted_pdf(text: str, algorithm: str, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf(text))))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm=algorithm)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def zip_bomb_docx(path: Path, expanded_bytes: int) -> Path:
    """A .docx whose document.xml inflates to `expanded_bytes`, written without compressing that
    much: one 1 MiB block deflated once with a full flush (so each copy stands alone), the
    compressed block repeated, then a final empty block. CRC computed over the repeats."""
    para = ("<w:p><w:r><w:t>" + "政策通解压上限测试段落" * 20 + "</w:t></w:r></w:p>").encode()
    block = para * (1024 * 1024 // len(para))
    copies = max(1, (expanded_bytes - len(DOC_HEAD) - len(DOC_TAIL)) // len(block) + 1)
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = comp.compress(DOC_HEAD.encode()) + comp.flush(zlib.Z_FULL_FLUSH)
    body = comp.compress(block) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = comp.compress(DOC_TAIL.encode()) + comp.flush(zlib.Z_FINISH)
    crc = zlib.crc32(DOC_HEAD.encode())
    for _ in range(copies):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(DOC_TAIL.encode(), crc)
    size = len(DOC_HEAD) + copies * len(block) + len(DOC_TAIL)
    csize = len(head) + copies * len(body) + len(tail)
    assert size < 1 << 32 and csize < 1 << 32
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
    small = buf.getvalue()
    # Append the big member by hand: local header, data, then a new central directory.
    cd_start = struct.unpack("<I", small[-6:-2])[0]
    entries, local = small[cd_start:-22], small[:cd_start]
    name = b"word/document.xml"
    offset = len(local)
    with open(path, "wb") as f:
        f.write(local)
        f.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, csize, size, len(name), 0) + name)
        f.write(head)
        for _ in range(copies):
            f.write(body)
        f.write(tail)
        cd_offset = offset + 30 + len(name) + csize
        central = entries + struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, csize, size,
                                        len(name), 0, 0, 0, 0, 0, offset) + name
        f.write(central)
        f.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 3, 3, len(central), cd_offset, 0))
    return path


def _docx_members(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for k, v in members.items():
            z.writestr(k, v)
    return buf.getvalue()


def make_bad_inputs(root: Path, max_file_mb: float = 50.0, big: bool = True) -> list[BadInput]:
    """Write the inputs under `root` and describe them. `big=False` skips the 1 GiB bomb (the
    30 MiB one stays) for quick runs."""
    root.mkdir(parents=True, exist_ok=True)
    rng = random.Random(14)
    out: list[BadInput] = []

    def put(name: str, data: bytes, expect: str, **kw) -> None:
        p = root / name
        p.write_bytes(data)
        out.append(BadInput(name, p, expect, **kw))

    good_docx, good_pdf = _docx(POLICY), _pdf(POLICY)
    put("empty.txt", b"", "reject")
    put("empty.docx", b"", "reject")
    put("empty.pdf", b"", "reject")
    put("whitespace.txt", b"  \n\t\r\n   " * 200, "reject")
    put("fullwidth-space.md", "\u3000 \n".encode() * 100, "reject")
    put("bom-only.txt", b"\xef\xbb\xbf", "reject")
    put("truncated.docx", good_docx[: len(good_docx) // 2], "reject")
    put("truncated.pdf", good_pdf[: len(good_pdf) // 2], "either")
    put("png-renamed.pdf", b"\x89PNG\r\n\x1a\n" + rng.randbytes(20000), "reject")
    put("elf-renamed.docx", Path(sys.executable).resolve().read_bytes()[:65536], "reject")
    put("random-bytes.txt", rng.randbytes(65536), "reject")
    put("gzip-renamed.md", gzip.compress(POLICY.encode() * 50), "reject")
    put("xlsx-like.docx", _docx_members({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"}), "reject")
    put("random-zip.docx", _docx_members({f"f{i}.bin": rng.randbytes(500) for i in range(5)}), "reject")
    put("ole-encrypted.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(30000), "reject")
    put("legacy.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rng.randbytes(30000), "reject")
    zip_bomb_docx(root / "bomb-30mib.docx", 30 << 20)
    out.append(BadInput("bomb-30mib.docx", root / "bomb-30mib.docx", "reject"))
    if big:
        zip_bomb_docx(root / "bomb-1gib.docx", 1 << 30)
        out.append(BadInput("bomb-1gib.docx", root / "bomb-1gib.docx", "reject"))
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">' +
              "".join(f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) +
              ']><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r>'
              "<w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>")
    put("billion-laughs.docx", _docx_members({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS,
                                              "word/document.xml": laughs}), "reject", must_not_contain=("lollol",))
    xxe = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + DOC_HEAD[DOC_HEAD.index("<w:document"):]
           + "<w:p><w:r><w:t>外部实体&x;</w:t></w:r></w:p>" + DOC_TAIL)
    put("xxe.docx", _docx_members({"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELS, "word/document.xml": xxe}),
        "either", must_not_contain=("root:x:0:0",))
    put("aes256-permissions-only.pdf", _encrypted_pdf(POLICY, "AES-256", ""), "accept", must_contain="公办幼儿园在园幼儿占比")
    put("aes256-password.pdf", _encrypted_pdf(POLICY, "AES-256", "open-sesame"), "reject")
    put("aes128-permissions-only.pdf", _encrypted_pdf(POLICY, "AES-128", ""), "accept", must_contain="公办幼儿园在园幼儿占比")
    put("rc4-password.pdf", _encrypted_pdf(POLICY, "RC4-128", "open-sesame"), "reject")
    put("blank-pages.pdf", _pdf("", pages=3), "reject")
    put("many-pages.pdf", _pdf(POLICY, pages=400), "either")
    put("big5.txt", "青禾縣學前教育發展實施方案\n一、總體要求\n（一）主要目標。到2027年，全縣學前三年毛入園率達到93%以上。\n"
        .encode("big5"), "either", must_contain="學前教育發展實施方案")
    put("shift-jis.txt", "青禾県の幼稚園整備計画\n一、目標。令和九年までに入園率を九十三％以上にする。\n".encode("shift_jis"),
        "either", must_contain="幼稚園整備計画")
    put("utf16.txt", POLICY.encode("utf-16"), "accept", must_contain="公办幼儿园在园幼儿占比")
    put("gb18030.txt", POLICY.encode("gb18030"), "accept", must_contain="公办幼儿园在园幼儿占比")
    put("long-line-100k.txt", ("青禾县" + "推进学前教育普及普惠发展，" * 8000)[:100_000].encode(), "either")
    put("long-line-1m.txt", ("推进学前教育普及普惠发展，" * 80_000).encode(), "either")
    huge = root / "huge-over-limit.txt"
    with open(huge, "wb") as f:        # sparse: costs no disk
        f.truncate(int((max_file_mb + 10) * 1024 * 1024))
    out.append(BadInput("huge-over-limit.txt", huge, "reject"))
    put("nul-bytes.txt", POLICY.encode().replace("。".encode(), b"\x00\x00"), "either")
    put("control-chars.txt", ("\x1b[31m" + POLICY + "\x07\x08\x0c").encode(), "either")
    put("html-script.txt", ("<script>alert('x')</script><img src=x onerror=alert(1)>\n" + POLICY).encode(), "accept")
    put("markdown-beacon.md", ("# 青禾县方案\n![t](http://203.0.113.9/beacon.png)\n" + POLICY).encode(), "accept")
    put("fake-citations.txt", POLICY.replace("达到93%以上", "达到93%以上[1][2][3]").encode(), "accept")
    put("page.html", b"<html><body><p>" + POLICY.encode() + b"</p></body></html>", "either")
    put("program.exe", b"MZ" + rng.randbytes(4000), "reject")
    for hostile in ("\u202etxt.exe.txt", "名" * 80 + ".txt", "<script>alert(1)<\\script>.txt", "-rf --force.txt",
                    "line\nbreak.txt", "\x01ctrl.txt", "..txt"):
        put(hostile, POLICY.encode(), "accept")
    linkdir = root / "symlink-folder"
    linkdir.mkdir(exist_ok=True)
    (linkdir / "passwd.txt").unlink(missing_ok=True)
    os.symlink("/etc/passwd", linkdir / "passwd.txt")
    (linkdir / "loop").unlink(missing_ok=True)
    os.symlink(linkdir, linkdir / "loop")
    out.append(BadInput("symlink-folder/", linkdir, "reject", must_not_contain=("root:x:0:0",)))
    out.append(BadInput("missing-file.txt", root / "does-not-exist.txt", "reject"))
    return out
