"""Faults a clumsy operator or a bad day brings (issue 13): killed runs, parallel first opens, read-only
stores, unwritable outputs, full disks, hostile cache files, no network; and the hand-found inputs that
crashed or hung a run (a name that is not UTF-8, a CSV header holding console markup, a FIFO).

Where the test can make a private mount namespace (root, ``unshare``), read-only folders and full disks
are real (a read-only bind mount, a small tmpfs); elsewhere they are simulated."""
from __future__ import annotations

import errno
import json
import multiprocessing
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitrep.cli import main
from sitrep.config import Config
from sitrep.records import Document, Published
from sitrep.store.sqlite import MIGRATIONS, SQLiteStore, StoreError

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
EXPORTS = ("documents.jsonl", "events.jsonl", "figures.jsonl", "quotes.jsonl")
ENV = dict(os.environ, PYTHONPATH=str(ROOT))

BODY = ("Two rockets struck a school yard in the town of Binnish on Sunday afternoon, wounding four pupils, "
        "the local council said. The council blamed units stationed on the hills east of the town.")


def _cli(*args, timeout=600, prefix=()):
    return subprocess.run([*prefix, sys.executable, "-m", "sitrep.cli", *map(str, args)], capture_output=True,
                          text=True, env=ENV, timeout=timeout, cwd=ROOT)


def _namespaces() -> bool:
    """Whether this machine lets the test make a private mount namespace (and mount in it)."""
    if os.geteuid() != 0 or not shutil.which("unshare"):
        return False
    probe = subprocess.run(["unshare", "-m", "sh", "-c", "mount -t tmpfs -o size=64k none /mnt"],
                           capture_output=True)
    return probe.returncode == 0


NAMESPACES = _namespaces()


def _in_namespace(script: str, timeout=600) -> subprocess.CompletedProcess:
    """Run a shell script in a private mount namespace: its mounts vanish with it."""
    return subprocess.run(["unshare", "-m", "sh", "-ec", script], capture_output=True, text=True, env=ENV,
                          timeout=timeout, cwd=ROOT)


def _error_lines(stderr: str) -> list[str]:
    return [ln for ln in stderr.splitlines() if ln.startswith("error")]


def _store_with_documents(path: Path, n: int = 2) -> None:
    store = SQLiteStore(path)
    store.put_documents([Document(id=f"d{i}", path=f"/x/{i}.txt", text=BODY, title=f"Rockets hit Binnish {i}",
                                  published=Published("2021-05-02", status="stated"), raw_hash=f"h{i}")
                         for i in range(n)])
    store.close()


# --------------------------------------------------------------------------- killed runs
def _exports(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in EXPORTS}


def _offline(monkeypatch) -> list:
    """Make every network connection fail, and remember who tried."""
    import socket

    tried = []

    def refuse(*args, **kwargs):
        tried.append(args)
        raise OSError(errno.ENETUNREACH, "network use is not allowed in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    return tried


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The examples plus a few reports of our own, so a run has several batches to be killed in."""
    tmp = tmp_path_factory.mktemp("corpus")
    shutil.copytree(EXAMPLES, tmp / "c")
    for k, town in enumerate(["Binnish", "Sarmin", "Taftanaz", "Ariha"]):
        text = BODY.replace("Binnish", town).replace("four", ["three", "five", "six", "seven"][k])
        (tmp / "c" / f"extra_{k}.txt").write_text(f"Rockets hit {town}\n\n{text}\n", encoding="utf-8")
    return tmp / "c"


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", ["documents", "extractions"])
def test_kill_9_then_rerun_gives_the_exports_of_an_uninterrupted_offline_run(corpus, tmp_path, monkeypatch,
                                                                            kill_after):
    # the uninterrupted run, with every network connection refused: sitrep works offline
    tried = _offline(monkeypatch)
    whole = CliRunner().invoke(main, ["run", str(corpus), "--db", str(tmp_path / "whole.db"),
                                      "--out", str(tmp_path / "whole")])
    assert whole.exit_code == 0, whole.output
    assert tried == []
    monkeypatch.undo()

    # the same run killed (-9) once its first documents (or extractions) are stored, then run again
    db, out = tmp_path / "killed.db", tmp_path / "killed"
    proc = subprocess.Popen([sys.executable, "-m", "sitrep.cli", "run", str(corpus), "--db", str(db),
                             "--out", str(out), "--workers", "2"], env=ENV, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 300
    stored = 0
    while time.time() < deadline and proc.poll() is None:
        try:
            with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as con:
                stored = con.execute(f"SELECT count(*) FROM {kill_after}").fetchone()[0]
        except sqlite3.Error:
            stored = 0
        if stored:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert stored, "the run stored nothing before it was killed"
    again = CliRunner().invoke(main, ["run", str(corpus), "--db", str(db), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert _exports(out) == _exports(tmp_path / "whole")


def test_pool_workers_die_with_their_parent(tmp_path):
    script = textwrap.dedent("""
        import os, sys, time
        from concurrent.futures import ProcessPoolExecutor
        from sitrep.pipeline import _die_with_parent
        pool = ProcessPoolExecutor(2, initializer=_die_with_parent, initargs=(os.getpid(),))
        futures = [pool.submit(time.sleep, 600) for _ in range(2)]
        time.sleep(1.0)
        print(" ".join(str(p) for p in pool._processes), flush=True)
        time.sleep(600)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=ENV)
    workers = [int(p) for p in proc.stdout.readline().split()]
    assert len(workers) == 2
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.time() + 10
    alive = workers
    while alive and time.time() < deadline:
        time.sleep(0.1)
        alive = [p for p in alive if _running(p)]
    assert alive == [], "workers outlived their parent"


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


# --------------------------------------------------------------------------- the store
def _open_new(path: str, start, results) -> None:
    start.wait()
    try:
        SQLiteStore(path).close()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 — the test reports what went wrong
        results.put(f"{type(exc).__name__}: {exc}")


def test_concurrent_first_open_of_a_new_store(tmp_path):
    ctx = multiprocessing.get_context("fork")
    for trial in range(3):
        path = str(tmp_path / f"new{trial}.db")
        start, results = ctx.Event(), ctx.Queue()
        procs = [ctx.Process(target=_open_new, args=(path, start, results)) for _ in range(8)]
        for p in procs:
            p.start()
        start.set()
        for p in procs:
            p.join(60)
        outcomes = [results.get(timeout=5) for _ in procs]
        assert outcomes == ["ok"] * 8, outcomes
        with sqlite3.connect(path) as con:
            assert con.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)


def test_read_only_store_is_readable(tmp_path):
    db = tmp_path / "ro" / "s.db"
    _store_with_documents(db)
    if NAMESPACES:                # a real read-only mount of the store's folder
        res = _in_namespace(f"""
            mount --bind {db.parent} {db.parent}
            mount -o remount,bind,ro {db.parent}
            {sys.executable} -m sitrep.cli docs --db {db}
            {sys.executable} -m sitrep.cli export --db {db} --out {tmp_path / 'exp'}
            {sys.executable} -m sitrep.cli run {EXAMPLES} --db {db} || echo "run exit $?"
        """)
        assert "Rockets hit Binnish 0" in res.stdout, res.stderr
        assert (tmp_path / "exp" / "documents.jsonl").is_file()
        # a run cannot write there: one clear line, no traceback
        assert "run exit 2" in res.stdout and "Traceback" not in res.stderr
        (line,) = _error_lines(res.stderr)
        assert line.startswith(f"error: cannot open the store {db}") and "read-only" in line, line
    else:                         # no mount: nothing may be written beside the store when reading it
        before = sorted(os.listdir(db.parent))
        mtime = db.stat().st_mtime_ns
        result = CliRunner().invoke(main, ["docs", "--db", str(db)])
        assert result.exit_code == 0 and "Rockets hit Binnish 0" in result.output
        assert sorted(os.listdir(db.parent)) == before and db.stat().st_mtime_ns == mtime
    # a store left in WAL mode (its writer still open) is readable too, and reading adds no file
    wal_db = tmp_path / "wal" / "s.db"
    _store_with_documents(wal_db)
    writer = SQLiteStore(wal_db)
    try:
        reader = SQLiteStore(wal_db, readonly=True)
        assert len(reader.documents()) == 2
        with pytest.raises(StoreError, match="read-only"):
            reader.put_documents([])
        reader.close()
    finally:
        writer.close()


# --------------------------------------------------------------------------- outputs
def _previous_outputs(out: Path) -> dict[str, bytes]:
    out.mkdir(parents=True, exist_ok=True)
    for name in (*EXPORTS, "report.html", "index.html", "meta.json"):
        (out / name).write_text(f"previous {name}\n", encoding="utf-8")
    return {p.name: p.read_bytes() for p in out.iterdir()}


def test_unwritable_output_folder_gives_one_line_and_keeps_what_was_there(tmp_path, monkeypatch):
    out = tmp_path / "out"
    before = _previous_outputs(out)
    db = tmp_path / "s.db"
    if NAMESPACES:
        res = _in_namespace(f"""
            mount --bind {out} {out}
            mount -o remount,bind,ro {out}
            {sys.executable} -m sitrep.cli run {EXAMPLES} --db {db} --out {out} || echo "exit $?"
        """)
        stderr = res.stderr
        assert "exit 2" in res.stdout
    elif os.geteuid() != 0:
        out.chmod(0o555)
        result = CliRunner().invoke(main, ["run", str(EXAMPLES), "--db", str(db), "--out", str(out)])
        out.chmod(0o755)
        assert result.exit_code == 2
        stderr = result.stderr
    else:
        pytest.skip("root without mount namespaces can write anywhere")
    assert _error_lines(stderr) and len(_error_lines(stderr)) == 1, stderr
    assert _error_lines(stderr)[0].startswith(f"error: cannot write to the output folder {out}")
    assert "Traceback" not in stderr
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_full_disk_while_writing_outputs_keeps_the_previous_ones(tmp_path, monkeypatch):
    """Simulated ENOSPC in the middle of the outputs (after some files are written)."""
    import sitrep.present.report as report

    out = tmp_path / "out"
    before = _previous_outputs(out)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(report, "write_report", full)
    result = CliRunner().invoke(main, ["run", str(EXAMPLES), "--db", str(tmp_path / "s.db"), "--out", str(out)])
    assert result.exit_code == 2, result.output
    (line,) = _error_lines(result.stderr)
    assert line == (f"error: cannot write the outputs to {out}: No space left on device; "
                    f"the previous outputs are left as they were")
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before       # no staging folder left either
    # the store is intact: a run with room to write finishes the job
    monkeypatch.undo()
    again = CliRunner().invoke(main, ["run", str(EXAMPLES), "--db", str(tmp_path / "s.db"), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert (out / "report.html").read_bytes() != before["report.html"]


@pytest.mark.skipif(not NAMESPACES, reason="needs a private mount namespace for a small tmpfs")
def test_full_disk_on_a_small_tmpfs(tmp_path):
    """A real full disk: the outputs on a 2 MB tmpfs filled up, then the store on one too."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    out, db = mnt / "out", tmp_path / "s.db"
    res = _in_namespace(f"""
        mount -t tmpfs -o size=2m none {mnt}
        mkdir {out}
        for f in documents.jsonl events.jsonl figures.jsonl quotes.jsonl report.html index.html meta.json; do
            echo "previous $f" > {out}/$f
        done
        head -c 1900000 /dev/zero > {mnt}/filler || true
        {sys.executable} -m sitrep.cli run {EXAMPLES} --db {db} --out {out} 2> {tmp_path}/err1 || echo "out exit $?"
        cat {out}/report.html {out}/events.jsonl
        ls -A {out} | tr '\\n' ' '; echo
        rm {mnt}/filler
        head -c 2000000 /dev/zero > {mnt}/filler2 || true
        {sys.executable} -m sitrep.cli run {EXAMPLES} --db {mnt}/s.db 2> {tmp_path}/err2 || echo "store exit $?"
    """)
    err1 = (tmp_path / "err1").read_text()
    err2 = (tmp_path / "err2").read_text()
    assert "out exit 2" in res.stdout, (res.stdout, res.stderr, err1)
    assert "previous report.html" in res.stdout and "previous events.jsonl" in res.stdout
    assert ".sitrep-tmp" not in res.stdout
    assert len(_error_lines(err1)) == 1 and "Traceback" not in err1, err1
    assert "store exit 2" in res.stdout, (res.stdout, err2)
    assert len(_error_lines(err2)) == 1 and "disk full" in err2 and "Traceback" not in err2, err2


# --------------------------------------------------------------------------- hand-found inputs
def test_file_name_that_is_not_utf8_is_stored_and_shown_safely(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.path.join(os.fsencode(folder), b"report-\xff\xfe.txt")
    with open(name, "wb") as f:
        f.write(f"Rockets hit Binnish\n\n{BODY}\n".encode())
    (folder / "second.txt").write_text(f"Shelling in Sarmin\n\n{BODY.replace('Binnish', 'Sarmin')}\n")
    db = tmp_path / "s.db"
    result = CliRunner().invoke(main, ["run", str(folder), "--db", str(db), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    docs = [json.loads(x) for x in (tmp_path / "out" / "documents.jsonl").read_text().splitlines()]
    assert sorted(d["path"] for d in docs) == [str(folder / "report-\\xff\\xfe.txt"), str(folder / "second.txt")]
    shown = CliRunner().invoke(main, ["docs", "--db", str(db)])
    assert shown.exit_code == 0 and "Rockets hit Binnish" in shown.output


def test_csv_header_with_console_markup_is_one_plain_line(tmp_path):
    f = tmp_path / "markup.csv"
    f.write_text("[/x],[red]name\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["run", str(f), "--db", str(tmp_path / "s.db")])
    assert result.exit_code == 1                      # nothing readable
    assert "Traceback" not in result.output
    (line,) = _error_lines(result.stderr)
    assert line == f"error {f}: CSV has no text column (expected one of article_content, text, body, content, " \
                   f"maintext; found [/x], [red]name)"


def test_fifo_socket_and_hidden_file_each_get_a_line_and_nothing_hangs(tmp_path):
    import socket

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(f"Rockets hit Binnish\n\n{BODY}\n")
    os.mkfifo(folder / "pipe.txt")
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.jsonl"))
    (folder / ".hidden.txt").write_text(BODY)
    (folder / "newline\nerror forged.txt").write_text("")
    (folder / "loop").symlink_to(folder)
    try:
        res = _cli("run", folder, "--db", tmp_path / "s.db", timeout=300)
    finally:
        sock.close()
    assert res.returncode == 0, res.stderr
    lines = res.stderr.splitlines()
    assert f"error {folder / 'pipe.txt'}: not a regular file: a FIFO (named pipe); refused" in lines
    assert f"error {folder / 'sock.jsonl'}: not a regular file: a socket; refused" in lines
    assert any(ln.startswith(f"skipped {folder / '.hidden.txt'}: hidden file") for ln in lines)
    assert f"error {folder}/newline\\nerror forged.txt: empty file" in lines
    assert any(ln.startswith(f"skipped {folder / 'loop'}: folder already walked") for ln in lines)
    summary = [ln for ln in lines if ln.startswith("1 document (")]
    assert summary == ["1 document (1 new, 0 inputs with the text of another, 0 inputs already stored, "
                       "3 errors, 2 skipped); 1 extracted, " + summary[0].split(" extracted, ")[1]]
    assert not [ln for ln in lines if not ln.startswith(("error ", "skipped ", "1 document ("))]


# --------------------------------------------------------------------------- the cache
def test_hostile_cache_file_is_never_run(tmp_path):
    """A pickle planted where the gazetteer cache lives runs nothing: the cache is JSON, checked before use."""
    import pickle

    from sitrep.kb.cache import CacheRefused, load_state, save_state
    from sitrep.kb.gazetteer import Entry

    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "gazetteer-k.json"
    path.write_bytes(pickle.dumps(Evil()))
    path.chmod(0o600)
    with pytest.raises(CacheRefused, match="not a cache file"):
        load_state(path, "k", Entry)
    assert not marker.exists()

    e = Entry("x:1", "Binnish", 35.9, 36.7, "SYR", "Idlib", "P.PPL", "town")
    save_state(path, "k", {"entries": [e], "names": {"binnish": [0]}, "hidden": {1, 2}}, Entry)
    assert load_state(path, "k", Entry) == {"entries": [e], "names": {"binnish": [0]}, "hidden": {1, 2}}
    with pytest.raises(CacheRefused, match="other data"):
        load_state(path, "another key", Entry)
    path.chmod(0o666)
    with pytest.raises(CacheRefused, match="writable by other users"):
        load_state(path, "k", Entry)
    if os.geteuid() == 0:
        path.chmod(0o600)
        os.chown(path, 12345, 12345)
        with pytest.raises(CacheRefused, match="another user"):
            load_state(path, "k", Entry)
    # nothing in the knowledge base reads pickle any more
    for py in (ROOT / "sitrep").rglob("*.py"):
        assert "pickle.load" not in py.read_text(encoding="utf-8"), py


def test_store_errors_are_one_line_when_the_store_cannot_be_written(tmp_path, monkeypatch):
    """A failed write (the disk full) rolls back and says so once, without 'cannot rollback'."""
    db = tmp_path / "s.db"
    _store_with_documents(db)
    store = SQLiteStore(db)
    store.db.execute("PRAGMA max_page_count = 1")          # the database cannot grow: SQLITE_FULL
    big = Document(id="big", path="/x/big.txt", text="word " * 100_000, raw_hash="hb")
    with pytest.raises(StoreError) as info:
        store.put_documents([big])
    assert str(info.value) == f"cannot write the store {db}: disk full"
    assert [d.id for d in store.documents()] == ["d0", "d1"]
    store.close()


def test_strict_run_fails_on_an_input_error(tmp_path):
    """What .ci/run relies on: `--strict` turns any input error into a failing exit code."""
    corpus = tmp_path / "c"
    shutil.copytree(EXAMPLES, corpus)
    assert CliRunner().invoke(main, ["run", str(corpus), "--db", str(tmp_path / "a.db"), "--strict"]).exit_code == 0
    (corpus / "bad.json").write_text("{", encoding="utf-8")
    assert CliRunner().invoke(main, ["run", str(corpus), "--db", str(tmp_path / "b.db"), "--strict"]).exit_code == 1


def test_gzip_bombs_are_cut_by_expanded_size_and_record_count(tmp_path):
    import gzip

    from sitrep.ingest import iter_inputs

    big_lines = tmp_path / "big.jsonl.gz"                # 40 MB from a few KB: cut by the expansion ratio
    with gzip.open(big_lines, "wb", compresslevel=9) as f:
        for _ in range(40):
            f.write(b'{"maintext": "' + b"a" * 1_000_000 + b'"}\n')
    many = tmp_path / "many.jsonl.gz"                    # tiny records: cut by the record count
    with gzip.open(many, "wb") as f:
        f.write(b"{}\n" * 200_000)
    config = Config(max_bytes=2_000_000, max_records=50_000)
    big = list(iter_inputs([big_lines], config))
    assert "a decompression bomb?" in big[-1].reason and len(big) <= 20
    small = list(iter_inputs([many], config))
    assert len(small) == config.max_listed_errors + 2
    assert "record limit" in small[-2].reason and small[-1].reason.startswith("49,900 more bad records")


# --------------------------------------------------------------------------- safe in exports
def test_every_html_output_has_a_strict_csp(tmp_path):
    import base64
    import hashlib
    import re
    from html import unescape

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(EXAMPLES), "--db", str(tmp_path / "s.db"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    pages = sorted(out.glob("*.html"))
    assert [p.name for p in pages] == ["index.html", "report.html"]

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    for page in pages:
        html = page.read_text(encoding="utf-8")
        (policy,) = re.findall(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
        rules = dict((r.split()[0], r.split()[1:]) for r in policy.split("; "))
        assert rules["default-src"] == ["'none'"] and rules["base-uri"] == ["'none'"], page.name
        assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, page.name
        assert html.index("Content-Security-Policy") < html.index("<style>"), page.name   # before what it guards
        for script in re.findall(r"<script>(.*?)</script>", html, flags=re.S):
            assert sha(script) in rules["script-src"], page.name
        assert re.findall(r"<script[^>]+src=", html) == []                                 # nothing loaded
        for style in re.findall(r"<style>(.*?)</style>", html, flags=re.S):
            assert sha(style) in rules["style-src"], page.name
        for attr in set(re.findall(r'\sstyle="([^"]*)"', html)):
            assert sha(unescape(attr)) in rules["style-src"], (page.name, attr)
        assert rules["img-src"] == ["data:"]
