"""Legacy Word (.doc) and WPS (.wps) files, converted to .docx by LibreOffice headless."""
from __future__ import annotations

import os
import shutil
import signal
import struct
import subprocess
import tempfile
from pathlib import Path

from .read_limits import ReadError, ReadLimits

INSTALL_HINT = "需要安装 LibreOffice（soffice）才能读取 .doc/.wps 文件，或在 Word/WPS 中另存为 .docx 后再导入"


# Stream names that make an OLE compound file a word-processing document: Word/WPS Office
# (WordDocument), Microsoft Works (CONTENTS). Directory entry names are stored as UTF-16LE.
WORD_STREAMS = tuple(name.encode("utf-16-le") for name in ("WordDocument", "CONTENTS"))


def is_ole_word_file(data: bytes) -> bool:
    """A sound compound-file header and a word-processing stream in it. LibreOffice imports any
    file it cannot recognise as plain text, so a damaged .doc would otherwise be stored as noise."""
    if len(data) < 1024 or not data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return False
    byte_order, sector_shift, mini_shift = struct.unpack_from("<HHH", data, 28)
    if byte_order != 0xFFFE or sector_shift not in (9, 12) or mini_shift != 6:
        return False
    return any(name in data for name in WORD_STREAMS)


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_to_docx(path: Path, data: bytes, limits: ReadLimits) -> bytes:
    soffice = soffice_path()
    if not soffice:
        raise ReadError(path, INSTALL_HINT)
    timeout = max(5.0, limits.remaining())
    with tempfile.TemporaryDirectory(prefix="zct-soffice-") as tmp:
        src = Path(tmp) / ("input" + path.suffix.lower())  # never the user's file name on a command line
        src.write_bytes(data)
        profile = Path(tmp) / "profile"  # own profile: no clash with a running LibreOffice
        cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
               "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(Path(tmp) / "out"), str(src)]
        try:
            # Own session, so a timeout ends soffice.bin too, not only the launcher script.
            proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
        except OSError as exc:
            raise ReadError(path, f"无法启动 LibreOffice（{exc.strerror}）") from None
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise ReadError(path, f"LibreOffice 转换超时（超过 {timeout:.0f} 秒）") from None
        out = Path(tmp) / "out" / "input.docx"
        if not out.is_file() or out.stat().st_size == 0:
            raise ReadError(path, "LibreOffice 无法转换此文件（文件损坏或已加密）")
        return out.read_bytes()
