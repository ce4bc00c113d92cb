"""Machinery of the reliability suite and benchmark (issue 14): every library operation runs in a
forked child process, so each input gets its own wall-time and peak-RSS measurement, a runaway is
killed at its budget, a SIGKILL hits a real process, and this process never opens Chroma itself
(an in-process Chroma client would cache what another process changed).

Sections, each returning rows of `Row` (PASS/FAIL with a measured detail):
- `bad_inputs`: ≥ 40 hostile or broken files → rejected or ingested with a clear line, within
  budget, library unchanged (same answers to fixed questions, same documents, stores agree);
- `kill_trials`: SIGKILL during ingest, update, remove and reindex → stores agree after restart;
- `concurrent_load`: N gradio_client users asking while one uploads and removes → 0 errors, answers
  about untouched documents identical to a quiet server's;
- `llm_failures`: endpoint down/slow/5xx/malformed → offline answer with a notice (Python, CLI, API).
"""
from __future__ import annotations

import json
import os
import random
import select
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
sys.path[:0] = [str(REPO), str(HERE), str(HERE.parent)]
SEEDS = [REPO / "corpus" / "000_72f48bf4814f4020.txt", REPO / "corpus" / "003_99ee4da949b934db.txt"]
# Questions about the two seed documents, written for this suite (not evaluation questions).
FIXED_QUESTIONS = ["公办幼儿园建设有哪些要求？", "护理型床位占比要达到多少？", "基层医疗卫生机构怎样建设？",
                   "义务教育教师工资待遇怎样落实？", "就业困难人员有哪些帮扶措施？"]
BUDGET_S = 60.0      # one input, one process: wall time
BUDGET_MB = 1024.0   # and peak resident memory


@dataclass(frozen=True)
class Row:
    section: str
    name: str
    ok: bool
    detail: str
    wall_s: float = 0.0
    peak_mb: float = 0.0


@dataclass(frozen=True)
class ChildRun:
    value: Any             # what the child function returned (None if it failed or was killed)
    error: str | None      # traceback text of an exception in the child
    killed: str | None     # "time" | "memory" | "signal" when the parent killed it
    wall_s: float
    peak_mb: float
    messages: list
    ready_s: float | None = None   # when the child said it was ready (its start-up done)


def _settings(data_dir: Path, **kw):
    from assistant.config import Settings
    return Settings(data_dir=data_dir, embedder="hash", **kw)


def preload() -> None:
    """Import the heavy modules once in the parent so each forked child starts fast."""
    from assistant.config import force_offline
    force_offline()
    import chromadb  # noqa: F401
    import docx  # noqa: F401
    import pypdf  # noqa: F401

    import assistant.app.facade  # noqa: F401
    from assistant.index.lexical import _tokenizer
    _tokenizer()


def _vm_hwm_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError):
        pass
    return 0.0


def in_child(fn: Callable, *args, budget_s: float = BUDGET_S, budget_mb: float = BUDGET_MB,
             kill_after_ready: float | None = None) -> ChildRun:
    """Run fn(emit, *args) in a forked child. The parent watches wall time and peak RSS (VmHWM),
    kills at a budget, or — with `kill_after_ready` — sends SIGKILL that many seconds after the
    child emits {"ready": true}."""
    r, w = os.pipe()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:  # child
        os.close(r)
        out = os.fdopen(w, "w", buffering=1)

        def emit(msg: dict) -> None:
            out.write(json.dumps(msg, ensure_ascii=False) + "\n")
        try:
            emit({"result": fn(emit, *args)})
        except BaseException:  # noqa: BLE001 - reported to the parent as text
            emit({"error": traceback.format_exc()})
        out.flush()
        os._exit(0)
    os.close(w)
    buf, messages, peak, killed = b"", [], 0.0, None
    ready_at = None
    while True:
        ready, _, _ = select.select([r], [], [], 0.05)
        if ready:
            chunk = os.read(r, 1 << 20)
            if not chunk:
                break
            buf += chunk
            while b"\n" in buf:
                line, buf = buf.split(b"\n", 1)
                msg = json.loads(line)
                messages.append(msg)
                if msg.get("ready") and ready_at is None:
                    ready_at = time.monotonic()
        peak = max(peak, _vm_hwm_mb(pid))
        now = time.monotonic()
        reason = "time" if now - t0 > budget_s else "memory" if peak > budget_mb else None
        if kill_after_ready is not None and ready_at is not None and now - ready_at >= kill_after_ready:
            reason = "signal"
        if reason:
            os.kill(pid, signal.SIGKILL)
            killed = reason
            break
    os.close(r)
    _, _status, usage = os.wait4(pid, 0)
    wall = time.monotonic() - t0
    peak = max(peak, usage.ru_maxrss / 1024)
    result = next((m for m in messages if "result" in m or "error" in m), {})
    return ChildRun(result.get("result"), result.get("error"), killed, wall, peak, messages,
                    None if ready_at is None else ready_at - t0)


# --- operations run inside children ------------------------------------------------------------
def op_ingest(emit, data_dir: str, paths: list[str], look_for: tuple[str, ...] = ()) -> list[dict]:
    """Ingest; for each stored document also say which of `look_for` its text contains."""
    from assistant.app.bootstrap import build_assistant
    a = build_assistant(_settings(Path(data_dir)))
    emit({"ready": True})
    out = []
    for r in a.ingest([Path(p) for p in paths]):
        doc = a.document(r.doc_id) if r.doc_id and r.status != "error" else None
        text = doc.text if doc else ""
        out.append({"status": r.status, "error": r.error, "doc_id": r.doc_id, "title": r.title,
                    "contains": [w for w in look_for if w in text]})
    return out


def op_remove(emit, data_dir: str, doc_ids: list[str]) -> list[bool]:
    from assistant.app.bootstrap import build_assistant
    a = build_assistant(_settings(Path(data_dir)))
    emit({"ready": True})
    return [a.remove(d) for d in doc_ids]


def op_reindex(emit, data_dir: str) -> int:
    from assistant.app.bootstrap import build_assistant
    a = build_assistant(_settings(Path(data_dir)))
    emit({"ready": True})
    return len(a.reindex())


def consistency(a) -> dict:
    """Do the manifest, Chroma and the lexical index hold the same documents and chunks? Uses only
    the stores' own id listings; also reports what the start-up reconcile repaired."""
    manifest_chunks = {c.chunk_id for c in a.manifest.chunks()}
    manifest_docs = set(a.manifest.doc_ids())
    vector_chunks = set(a.vectors.chunk_ids())
    lexical_chunks = set(a.lexical.chunk_ids())

    def docs(ids: set[str]) -> set[str]:
        return {i.split(":", 1)[0] for i in ids}
    report = {
        "manifest_docs": sorted(manifest_docs),
        "chroma_docs": sorted(docs(vector_chunks)), "lexical_docs": sorted(docs(lexical_chunks)),
        "chunks": {"manifest": len(manifest_chunks), "chroma": len(vector_chunks), "lexical": len(lexical_chunks)},
        "agree": manifest_docs == docs(manifest_chunks) == docs(vector_chunks) == docs(lexical_chunks)
        and manifest_chunks == vector_chunks == lexical_chunks,
    }
    if a.last_reconcile is not None:  # what the start-up repair (assistant/index/reconcile.py) did
        report["reported"] = a.last_reconcile.summary() if a.last_reconcile.repaired else "nothing to repair"
    return report


def op_state(emit, data_dir: str) -> dict:
    """A restart: open the library (any start-up repair runs here), then report it."""
    from assistant.app.bootstrap import build_assistant
    a = build_assistant(_settings(Path(data_dir)))
    emit({"ready": True})
    answers = []
    for q in FIXED_QUESTIONS:
        ans = a.ask(q)
        answers.append([ans.outcome, ans.text, [c.chunk_id for c in ans.citations]])
    return {"docs": sorted(a.manifest.doc_ids()), "answers": answers, "consistency": consistency(a)}


# --- section 1: bad inputs ------------------------------------------------------------------------
def _clear_line(text: str | None) -> bool:
    return bool(text) and "\n" not in text.strip() and "Traceback" not in text and len(text) < 400


def bad_inputs(work: Path, big: bool = True) -> list[Row]:
    from bad_inputs import make_bad_inputs
    data = work / "bad-inputs-data"
    shutil.rmtree(data, ignore_errors=True)
    seeded = in_child(op_ingest, str(data), [str(p) for p in SEEDS])
    assert seeded.value, seeded.error
    before = in_child(op_state, str(data)).value
    inputs = make_bad_inputs(work / "bad-inputs", big=big)
    rows: list[Row] = []
    added: list[str] = []
    for bad in inputs:
        run = in_child(op_ingest, str(data), [str(bad.path)], (bad.must_contain, *bad.must_not_contain))
        results = run.value or []
        problems = []
        if run.killed:
            problems.append(f"killed at the {'time' if run.killed == 'time' else 'memory'} budget")
        if run.error:
            problems.append("exception: " + run.error.strip().splitlines()[-1][:160])
        if not run.killed and not run.error and not results and bad.expect != "reject":
            problems.append("no result line")
        for r in results:
            if r["status"] == "error":
                if bad.expect == "accept":
                    problems.append(f"rejected: {r['error']}")
                if not _clear_line(r["error"]):
                    problems.append(f"unclear message: {r['error']!r:.120}")
            else:
                added.append(r["doc_id"])
                if bad.expect == "reject":
                    problems.append(f"ingested as 《{(r['title'] or '')[:30]}》")
                if bad.must_contain and bad.must_contain not in r["contains"]:
                    problems.append(f"stored text lacks “{bad.must_contain}” (garbled?)")
                if "/" in (r["doc_id"] or "") or any(ord(c) < 32 or c in "\u202e\u202d" for c in r["doc_id"] or ""):
                    problems.append(f"unsafe doc id {r['doc_id']!r}")
            for bad_text in bad.must_not_contain:
                if bad_text in r.get("contains", []):
                    problems.append(f"stored forbidden text “{bad_text}”")
        line = "; ".join(r["error"] if r["status"] == "error" else f"{r['status']} {r['doc_id']}" for r in results)
        rows.append(Row("bad_inputs", bad.name, not problems, "; ".join(problems) or line[:160],
                        round(run.wall_s, 2), round(run.peak_mb)))
    # Fake citation marks in a document must not turn into citation marks of an answer.
    fake = next((r for r, b in zip(rows, inputs) if b.name == "fake-citations.txt" and r.ok), None)
    if fake is not None:
        rows.append(_fake_citation_row(data, fake.detail.split()[-1]))
    if added:
        in_child(op_remove, str(data), sorted(set(added)))
    after = in_child(op_state, str(data)).value
    same = after is not None and after["docs"] == before["docs"] and after["answers"] == before["answers"]
    rows.append(Row("bad_inputs", "library unchanged", bool(same and after["consistency"]["agree"]),
                    f"docs {len(before['docs'])}→{len(after['docs']) if after else '?'}, "
                    f"answers identical: {bool(after) and after['answers'] == before['answers']}, "
                    f"stores agree: {bool(after) and after['consistency']['agree']}"))
    return rows


def _ask_in_child(emit, data_dir: str, question: str, doc_ids: list[str] | None = None) -> dict:
    from assistant.app.bootstrap import build_assistant
    a = build_assistant(_settings(Path(data_dir)))
    return a.ask(question, doc_ids=doc_ids).to_json()


def _fake_citation_row(data: Path, doc_id: str) -> Row:
    import re
    run = in_child(_ask_in_child, str(data), "全县学前三年毛入园率到2027年要达到多少？", [doc_id])
    js = run.value or {}
    marks = [int(n) for n in re.findall(r"\[(\d{1,2})\]", js.get("text", ""))]
    real = {c["n"] for c in js.get("citations", [])}
    ok = bool(js) and set(marks) <= real and len(marks) == len(js.get("citations", []))
    return Row("bad_inputs", "[1][2][3] in a document are not citation marks", ok,
               f"marks {marks} vs citations {sorted(real)}: {js.get('text', run.error or '')[:80]}",
               round(run.wall_s, 2), round(run.peak_mb))


# --- section 2: SIGKILL trials --------------------------------------------------------------------
def _generated_docs(folder: Path, variant: int, n: int = 6, paragraphs: int = 40) -> list[Path]:
    rng = random.Random(variant)
    topics = ["交通", "环保", "水利", "林业", "文旅", "数字政府", "应急管理", "乡村振兴"]
    verbs = ["推进", "完善", "加快", "强化", "健全", "落实", "提升", "优化"]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n):
        topic = topics[k % len(topics)]
        lines = [f"青禾县{topic}专项实施方案（第{variant}版）", "一、总体要求"]
        for i in range(paragraphs):
            lines.append(f"（{i + 1}）{rng.choice(verbs)}{topic}第{i + 1}项工作。到{2026 + i % 5}年，{topic}指标达到"
                         f"{rng.randint(10, 99)}%以上，新增项目{rng.randint(1, 50)}个，由县{topic}局牵头负责。")
        p = folder / f"gen-{k}.txt"
        p.write_text("\n".join(lines), encoding="utf-8")
        paths.append(p)
    return paths


def _prepare_trial(op: str, data: Path, gen: Path, setup: list[str]) -> list[str]:
    """A fresh library for one trial; the ids the generated documents got (for remove)."""
    shutil.rmtree(data, ignore_errors=True)
    _generated_docs(gen, variant=1)
    made = in_child(op_ingest, str(data), setup).value
    assert made is not None
    if op == "update":
        _generated_docs(gen, variant=2)
    return [r["doc_id"] for r in made if r["status"] != "error" and "gen-" in (r["doc_id"] or "")]


def kill_trials(work: Path, n: int = 20, seed: int = 7) -> list[Row]:
    rng = random.Random(seed)
    ops = ["ingest", "update", "remove", "reindex"]
    rows = []
    durations: dict[str, float] = {}
    for k in range(n):
        op = ops[k % len(ops)]
        trial = work / f"kill-{k}"
        shutil.rmtree(trial, ignore_errors=True)
        data, gen = trial / "data", trial / "gen"
        _generated_docs(gen, variant=1)
        setup = [str(p) for p in SEEDS] + ([str(gen)] if op != "ingest" else [])
        gen_ids = _prepare_trial(op, data, gen, setup)
        job: tuple = {"ingest": (op_ingest, str(data), [str(gen)]), "update": (op_ingest, str(data), [str(gen)]),
                      "remove": (op_remove, str(data), gen_ids), "reindex": (op_reindex, str(data))}[op]
        if op not in durations:  # one unkilled run tells how long the operation takes after start-up
            probe = in_child(*job)
            durations[op] = max(0.1, probe.wall_s - (probe.ready_s or 0.0))
            gen_ids = _prepare_trial(op, data, gen, setup)   # the probe really ran: set the trial up again
        delay = rng.uniform(0.02, 0.95) * durations[op]
        run = in_child(*job, kill_after_ready=delay)
        for _ in range(3):  # the operation ran faster than the probe: set up again and kill sooner
            if run.killed:
                break
            gen_ids = _prepare_trial(op, data, gen, setup)
            job = job if op != "remove" else (op_remove, str(data), gen_ids)
            delay /= 3
            run = in_child(*job, kill_after_ready=delay)
        after = in_child(op_state, str(data)).value
        agree = bool(after and after["consistency"]["agree"])
        # Re-run: the same operation again (a removal is undone by importing the files again).
        rerun = in_child(op_reindex, str(data)) if op == "reindex" else in_child(op_ingest, str(data), [str(gen)])
        expected = set() if op == "reindex" else {r["doc_id"] for r in rerun.value or [] if r["status"] != "error"}
        final = in_child(op_state, str(data)).value
        healed = bool(final and final["consistency"]["agree"]) and expected <= set(final["docs"]) \
            and (op == "reindex" or bool(expected))
        c = (after or {}).get("consistency", {})
        rows.append(Row("kill_trials", f"{k:02d} {op} killed at {delay:.2f}s of ~{durations[op]:.1f}s",
                        agree and healed and run.killed == "signal",
                        ("" if run.killed else "finished before the kill; ") +
                        f"after restart agree={agree} chunks={c.get('chunks')}; after re-run agree={healed}",
                        round(run.wall_s, 2), round(run.peak_mb)))
        shutil.rmtree(trial, ignore_errors=True)
    return rows


# --- section 3: concurrent users ------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data: Path, port: int, env: dict | None = None) -> subprocess.Popen:
    env = {**os.environ, "ASSISTANT_DATA_DIR": str(data), "ASSISTANT_EMBEDDER": "hash",
           "PYTHONPATH": str(REPO), **(env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "assistant", "serve", "--port", str(port), "--no-ingest"],
                            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.time() + 120
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(proc.stdout.read())
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("server did not start")


def upload_to_server(url: str, path: Path, timeout: float = 60) -> dict:
    """Send a file the way the page does; the FileData value an event then takes."""
    import httpx
    with open(path, "rb") as fh:
        r = httpx.post(url + "gradio_api/upload", files={"files": (path.name, fh)}, timeout=timeout)
    r.raise_for_status()
    return {"path": r.json()[0], "orig_name": path.name, "meta": {"_type": "gradio.FileData"}}


def call_event(url: str, api_name: str, data: list, session: str, timeout: float = 60) -> list:
    """Run an event of the page the way the browser does, in browser session `session` (so a
    dropdown updated by an earlier event accepts its new choices) — also the events the API page
    hides, such as 删除."""
    import httpx
    config = httpx.get(url + "config", timeout=timeout).json()
    fn = next(i for i, d in enumerate(config["dependencies"]) if d.get("api_name") == api_name)
    r = httpx.post(url + "gradio_api/queue/join", timeout=timeout,
                   json={"data": data, "fn_index": fn, "session_hash": session, "event_data": None,
                         "trigger_id": config["dependencies"][fn]["targets"][0][0]})
    r.raise_for_status()
    with httpx.stream("GET", url + f"gradio_api/queue/data?session_hash={session}", timeout=timeout) as s:
        for line in s.iter_lines():
            if line.startswith("data:"):
                msg = json.loads(line[5:])
                if msg.get("msg") == "process_completed":
                    if not msg.get("success"):
                        raise RuntimeError(str(msg.get("output"))[:200])
                    return msg["output"]["data"]
    raise RuntimeError("no completion")


def _answer_key(r: dict) -> tuple:
    return r["text"], tuple((c["doc"], c["chunk_id"]) for c in r["citations"])


def concurrent_load(work: Path, users: int = 16, seconds: float = 180, upload_every: float = 10) -> list[Row]:
    from gradio_client import Client
    data = work / "load-data"
    shutil.rmtree(data, ignore_errors=True)
    assert in_child(op_ingest, str(data), [str(p) for p in SEEDS]).value is not None
    port = free_port()
    proc = start_server(data, port)
    url = f"http://127.0.0.1:{port}/"
    try:
        quiet_client = Client(url, verbose=False)
        quiet = {q: _answer_key(quiet_client.predict(q, api_name="/ask")) for q in FIXED_QUESTIONS}
        rss0 = _rss_mb(proc.pid)
        stats = {"asks": 0, "errors": 0, "mismatches": 0, "uploads": 0, "removes": 0, "latency": []}
        errors: list[str] = []
        lock = threading.Lock()
        stop = time.monotonic() + seconds

        def user(k: int) -> None:
            c = Client(url, verbose=False)
            rng = random.Random(k)
            while time.monotonic() < stop:
                q = rng.choice(FIXED_QUESTIONS)
                t = time.monotonic()
                try:
                    key = _answer_key(c.predict(q, api_name="/ask"))
                    with lock:
                        stats["asks"] += 1
                        stats["latency"].append(time.monotonic() - t)
                        if key != quiet[q]:
                            stats["mismatches"] += 1
                            errors.append(f"changed answer to {q}")
                except Exception as exc:  # noqa: BLE001 - counted
                    with lock:
                        stats["errors"] += 1
                        errors.append(repr(exc)[:160])

        def librarian() -> None:
            import uuid
            session = uuid.uuid4().hex
            gen = work / "load-gen"
            k = 0
            while time.monotonic() < stop:
                try:
                    [path] = _generated_docs(gen / str(k), variant=100 + k, n=1, paragraphs=15)
                    out = call_event(url, "upload", [[upload_to_server(url, path)]], session)
                    with lock:
                        stats["uploads"] += 1
                    time.sleep(upload_every / 2)
                    for d in [row[0] for row in out[1]["data"] if row[0].startswith("gen-")]:
                        # 删除… asks first, 确认删除 then removes the document the session holds as pending.
                        call_event(url, "ask_remove", [d], session)
                        done = call_event(url, "confirm_remove", [None], session)
                        if "已删除" not in str(done[0]):
                            raise RuntimeError(f"remove {d}: {str(done[0])[:120]}")
                        with lock:
                            stats["removes"] += 1
                except Exception as exc:  # noqa: BLE001 - counted
                    with lock:
                        stats["errors"] += 1
                        errors.append("librarian: " + repr(exc)[:160])
                k += 1
                time.sleep(upload_every / 2)
        threads = [threading.Thread(target=user, args=(k,)) for k in range(users)]
        threads.append(threading.Thread(target=librarian))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        rss1 = _rss_mb(proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    lat = sorted(stats["latency"]) or [0.0]
    detail = (f"{users} users × {seconds:g}s: {stats['asks']} answers, {stats['errors']} errors, "
              f"{stats['mismatches']} changed answers, {stats['uploads']} uploads, {stats['removes']} removes, "
              f"p50 {lat[len(lat) // 2]:.2f}s p95 {lat[int(len(lat) * 0.95)]:.2f}s, server RSS {rss0:.0f}→{rss1:.0f} MB")
    ok = stats["errors"] == 0 and stats["mismatches"] == 0 and stats["asks"] > 0 and stats["removes"] > 0
    return [Row("concurrent_load", "users asking while the library changes", ok,
                detail + ("; first problem: " + errors[0] if errors else ""))]


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# --- section 4: the LLM endpoint fails ------------------------------------------------------------
FAILURES = {"down": "无法连接大模型服务", "slow": "大模型服务在 2 秒内没有回答", "5xx": "大模型服务出错（HTTP 500）",
            "malformed": "大模型服务的回复无法解析"}
STUB_STEP = {"down": "drop", "slow": "slow", "5xx": "500", "malformed": "malformed"}


def _ask_llm(emit, data_dir: str, url: str, question: str) -> dict:
    from assistant.app.bootstrap import build_assistant
    a = build_assistant(_settings(Path(data_dir), llm_base_url=url, llm_model="stub", llm_timeout_s=2.0))
    return a.ask(question).to_json()


def llm_failures(work: Path) -> list[Row]:
    from gradio_client import Client
    from llm_stub import ScriptedLLM, dead_url
    data = work / "llm-data"
    shutil.rmtree(data, ignore_errors=True)
    assert in_child(op_ingest, str(data), [str(p) for p in SEEDS]).value is not None
    question = FIXED_QUESTIONS[1]
    offline = in_child(_ask_in_child, str(data), question).value
    stub = ScriptedLLM(slow_s=5.0)
    rows = []
    env = {"ASSISTANT_LLM_MODEL": "stub", "ASSISTANT_LLM_TIMEOUT_S": "2"}
    try:
        for kind, notice in FAILURES.items():  # Python: the facade, in a child (before any client threads)
            stub.script = [STUB_STEP[kind]]
            url = dead_url() if kind == "down" else stub.url
            run = in_child(_ask_llm, str(data), url, question)
            js = run.value or {}
            rows.append(_llm_row("Python", kind, js.get("notice"), js.get("text") or (run.error or "")[-120:],
                                 notice + "，以下为离线检索答案。", offline["text"], wall=run.wall_s, peak=run.peak_mb))
        for kind, notice in FAILURES.items():  # CLI
            stub.script = [STUB_STEP[kind]]
            url = dead_url() if kind == "down" else stub.url
            t = time.monotonic()
            cli = subprocess.run([sys.executable, "-m", "assistant", "ask", question], cwd=REPO, check=False,
                                 capture_output=True, text=True, timeout=120,
                                 env={**os.environ, "PYTHONPATH": str(REPO), "ASSISTANT_DATA_DIR": str(data),
                                      "ASSISTANT_EMBEDDER": "hash", "ASSISTANT_LLM_BASE_URL": url, **env})
            first = cli.stdout.splitlines()[0] if cli.stdout else cli.stderr.strip()[-160:]
            body = cli.stdout.split("\n", 1)[-1]
            if body.startswith("【"):  # the outcome line (【答案】（置信度 …）) comes before the answer text
                body = body.split("\n", 1)[-1]
            rows.append(_llm_row("CLI", kind, first.removeprefix("提示："), body.split("\n\n")[0],
                                 notice + "，以下为离线检索答案。", offline["text"], cli.returncode, time.monotonic() - t))
        port = free_port()
        proc = start_server(data, port, {"ASSISTANT_LLM_BASE_URL": stub.url, **env})
        try:
            client = Client(f"http://127.0.0.1:{port}/", verbose=False)
            for kind, notice in FAILURES.items():  # the page's API (drop = the service dies mid-request)
                stub.script = [STUB_STEP[kind]]
                t = time.monotonic()
                try:
                    r = client.predict(question, api_name="/ask")
                    rows.append(_llm_row("API", kind, r.get("notice"), r.get("text"), notice + "，以下为离线检索答案。",
                                         offline["text"], wall=time.monotonic() - t))
                except Exception as exc:  # noqa: BLE001 - a failure row
                    rows.append(Row("llm_failures", f"API {kind}", False, repr(exc)[:160]))
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        stub.close()
    return rows


def _llm_row(where: str, kind: str, notice, text, expected: str, offline: str, rc: int = 0, wall: float = 0.0,
             peak: float = 0.0) -> Row:
    ok = notice == expected and text == offline and rc == 0
    return Row("llm_failures", f"{where} {kind}", ok, f"notice: {notice!r:.70}; offline answer: {text == offline}",
               round(wall, 2), round(peak))


def rows_json(rows: list[Row]) -> list[dict]:
    return [asdict(r) for r in rows]
