"""Nothing a user drops or does crashes the app, hangs it, or loses data."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from desktop_app.core.store import connection as db
from desktop_app.core.errors import ExtractionError, ModelLoadError, StoreError
from desktop_app.core.extract import STREAM_MIN_BYTES, extract
from desktop_app.core.ingest import Importer, collect_files
from desktop_app.core.isolation import IsolatedExtractor
from desktop_app.core.retrieval import Mode, retrieve
from desktop_app.core.store import Store
from tests.helpers import make_encrypted_pdf, make_pdf

ROOT = Path(__file__).resolve().parents[1]


def cli(data_dir, *args, timeout=600, env=None):
    return subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", **(env or {})})


def _png(width: int, height: int, mode: str, color: int) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new(mode, (width, height), color).save(buffer, format="PNG")
    return buffer.getvalue()


def hostile_folder(folder: Path) -> dict[str, str]:
    """Every bad input of the reliability report; returns file name -> words expected in its reason."""
    folder.mkdir(parents=True, exist_ok=True)
    good = make_pdf(["The Kestrel turbine delivered 42 megawatts.", "Second page."])
    files = {
        "good.pdf": (good, None),
        "good.md": (b"# Notes\n\nThe Kestrel turbine output was 42 megawatts.\n", None),
        "locked.pdf": (make_encrypted_pdf(["secret"], user_password="pw"), "encrypted PDF"),
        "open-encrypted.pdf": (make_encrypted_pdf(["Readable with an empty password."], user_password=""), None),
        "scan.pdf": (make_pdf([""]), "no text layer"),
        "truncated.pdf": (good[: len(good) // 2], "PDF"),
        "random.pdf": (bytes(random.Random(1).getrandbits(8) for _ in range(5000)), "PDF"),
        "empty.txt": (b"", "empty file"),
        "binary.txt": (bytes(range(256)) * 100, "binary"),
        "bom.txt": ("\ufeffUTF-8 with a BOM about orchards.".encode("utf-8"), None),
        "utf16.txt": ("UTF-16 text about turbines.".encode("utf-16"), None),
        "cp949.txt": ("부산 물류센터 냉장 창고 완공 보고서".encode("cp949"), None),
        "latin1.txt": ("Café crème brûlée recipe notes for the valley.".encode("latin-1"), None),
        "longline.txt": (b"x" * 2_000_000, None),
        "broken.png": (b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 50, "not a readable image"),
        "blank.png": (_png(800, 600, "L", 255), "OCR found no text"),
        "bomb.png": (_png(12_000, 12_000, "1", 1), "too large to read"),
        "zz-copy-of-good.md": (b"# Notes\n\nThe Kestrel turbine output was 42 megawatts.\n", "same content"),
    }
    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    os.symlink(folder, folder / "loop")
    os.symlink(folder / "missing-target.pdf", folder / "dangling.pdf")
    return {name: reason for name, (_, reason) in files.items()}


def test_every_bad_input_is_skipped_with_its_reason_and_good_ones_land(tmp_path, store, embedder):
    expected = hostile_folder(tmp_path / "in")
    with IsolatedExtractor(timeout_s=60) as extractor:
        summary = Importer(store, embedder, extractor=extractor).run([tmp_path / "in"])
    reasons = {Path(o.path).name: o.reason for o in summary.outcomes}
    skipped = {Path(o.path).name for o in summary.of("skipped")}
    for name, reason in expected.items():
        if reason is None:
            assert name not in skipped, (name, reasons[name])
        else:
            assert name in skipped and reason in reasons[name], (name, reasons[name])
    assert "broken link" in reasons["dangling.pdf"]
    assert store.document_by_path(tmp_path / "in" / "cp949.txt") is not None
    assert store.consistency_problems() == []


def test_a_parser_that_hangs_or_crashes_costs_only_that_file(tmp_path, monkeypatch):
    (tmp_path / "ok.txt").write_text("fine text", encoding="utf-8")
    hang = tmp_path / "hang.txt"
    hang.write_text("will hang", encoding="utf-8")
    with IsolatedExtractor(timeout_s=2) as extractor:
        extractor(tmp_path / "ok.txt")
        os.kill(extractor._process.pid, signal.SIGSTOP)  # a parser stuck forever
        with pytest.raises(ExtractionError, match="longer than 2 s"):
            extractor(hang)
        assert "fine text" in extractor(tmp_path / "ok.txt").pages[0].text  # a fresh worker took over
        worker = extractor._process
        os.kill(worker.pid, signal.SIGSTOP)  # held, so it is surely alive when the next file is sent ...
        threading.Timer(0.5, os.kill, (worker.pid, signal.SIGKILL)).start()  # ... and dies on that file
        with pytest.raises(ExtractionError, match="crashed"):
            extractor(tmp_path / "ok.txt")
        assert extractor(tmp_path / "ok.txt").pages
        extractor._process.kill()  # a worker that died between files is replaced without a word
        extractor._process.wait()
        assert "fine text" in extractor(tmp_path / "ok.txt").pages[0].text


def test_a_file_that_explodes_the_parsers_memory_costs_only_that_file(tmp_path):
    bomb = tmp_path / "bomb.txt"  # 60 MB read whole: bytes, text and its normalised copies pass 150 MB
    line = ("창고는 부산에 있다 " * 10).encode("utf-8")
    bomb.write_bytes(line * (60_000_000 // len(line)))
    (tmp_path / "ok.txt").write_text("fine text", encoding="utf-8")
    with IsolatedExtractor(memory_bytes=150 << 20) as extractor:
        with pytest.raises(ExtractionError, match="ran out of memory"):
            extractor(bomb)
        assert "fine text" in extractor(tmp_path / "ok.txt").pages[0].text


@pytest.mark.slow
def test_fuzzed_pdfs_never_crash_the_app(tmp_path):
    rng = random.Random(2026)
    seed = make_pdf(["The orchard report lists apple varieties.", "The Kestrel turbine delivered 42 MW.",
                     "Cherry harvests peaked in July."])
    outcomes = {"text": 0, "refused": 0}
    with IsolatedExtractor(timeout_s=20) as extractor:
        for index in range(300):
            data = bytearray(seed)
            for _ in range(rng.randint(1, 12)):
                position = rng.randrange(len(data))
                data[position] = rng.randrange(256)
            if rng.random() < 0.2:
                data = data[: rng.randrange(len(data))]
            path = tmp_path / f"fuzz{index}.pdf"
            path.write_bytes(bytes(data))
            extractor.ocr = index % 10 == 0  # OCR of what PDFium still renders: ~2 s a page, so one file in ten
            try:
                extractor(path)
                outcomes["text"] += 1
            except ExtractionError:
                outcomes["refused"] += 1
    assert sum(outcomes.values()) == 300 and outcomes["text"] > 0


def test_a_file_changed_while_importing_is_not_half_imported(tmp_path, store, embedder):
    path = tmp_path / "moving.txt"
    path.write_text("first version of the text", encoding="utf-8")

    def extract_then_edit(p, **_):
        document = extract(p)
        p.write_text("second version, written during the import", encoding="utf-8")
        return document

    summary = Importer(store, embedder, extractor=extract_then_edit).run([path])
    assert "changed while it was being imported" in summary.of("skipped")[0].reason
    assert store.stats()["documents"] == 0
    assert Importer(store, embedder, extractor=extract).run([path]).counts["added"] == 1


def test_a_file_deleted_while_importing_is_reported(tmp_path, store, embedder):
    path = tmp_path / "vanishing.txt"
    path.write_text("soon gone", encoding="utf-8")

    def extract_then_delete(p, **_):
        document = extract(p)
        p.unlink()
        return document

    summary = Importer(store, embedder, extractor=extract_then_delete).run([path])
    assert "deleted while it was being imported" in summary.of("skipped")[0].reason
    assert store.consistency_problems() == []


def test_links_never_lead_outside_the_imported_folder(tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text("not to be imported", encoding="utf-8")
    root = tmp_path / "shared"
    root.mkdir()
    (root / "note.txt").write_text("ok", encoding="utf-8")
    os.symlink(outside, root / "escape-dir")
    os.symlink(outside / "secret.txt", root / "escape.txt")
    files, skipped = collect_files([root])
    assert [f.name for f in files] == ["note.txt"]
    assert all("outside the imported folder" in o.reason for o in skipped)


def peak_memory_of_ingest(data_dir: Path, path: Path) -> tuple[int, int, str]:
    """Peak resident memory (KiB) of ``desktop-app ingest path`` and of its parser worker, and its output."""
    code = ("import resource, runpy, sys\n"
            "sys.argv = ['desktop-app'] + sys.argv[1:]\n"
            "try:\n    runpy.run_module('desktop_app', run_name='__main__')\n"
            "except SystemExit as exit:\n    assert not exit.code, exit.code\n"
            "print('PEAK', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,"
            " resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n")
    result = subprocess.run([sys.executable, "-c", code, "--data-dir", str(data_dir), "ingest", str(path)],
                            capture_output=True, text=True, timeout=600, env={**os.environ, "HF_HUB_OFFLINE": "1"})
    assert result.returncode == 0, result.stderr[-2000:]
    app, worker = result.stdout.rsplit("PEAK", 1)[1].split()
    return int(app), int(worker), result.stdout


@pytest.mark.slow
def test_a_huge_text_file_is_streamed_in_bounded_memory(tmp_path):
    huge = tmp_path / "huge.log"
    blank = (" " * 79 + "\n") * (1 << 14)  # 1.25 MB of padding: read, decoded and scanned like any text
    with open(huge, "w", encoding="utf-8") as handle:
        for block in range(320):
            if block % 40 == 0:
                handle.write(f"Entry zq{block:04d}x: the kestrel turbine report for district {block}.\n")
            handle.write(blank)
        handle.write("Final entry omegatango closes the log.\n")
    assert huge.stat().st_size > 400 << 20
    (tmp_path / "small.log").write_text("Entry zqsmallx: one line.", encoding="utf-8")
    small_app, small_worker, _ = peak_memory_of_ingest(tmp_path / "data-small", tmp_path / "small.log")
    huge_app, huge_worker, output = peak_memory_of_ingest(tmp_path / "data", huge)
    assert "1 added" in output and "100% read" in output
    # Reading the file whole would cost at least its 400 MB in the app or in the worker.
    assert huge_app - small_app < 64 << 10 and huge_worker - small_worker < 64 << 10
    with Store(tmp_path / "data" / "store.sqlite3") as store:
        for marker in ("zq0000x", "zq0160x", "zq0280x", "omegatango"):
            assert retrieve(store, None, marker, k=1, mode=Mode.KEYWORD), marker
        assert store.document_by_path(huge).complete and store.consistency_problems() == []


def test_a_huge_sparse_file_is_refused_at_its_first_section(tmp_path, store, embedder):
    sparse = tmp_path / "huge.txt"
    with open(sparse, "wb") as handle:  # 2 GB of zeros on paper, nothing on disk
        handle.truncate(2 << 30)
    with IsolatedExtractor(timeout_s=60) as extractor:
        summary = Importer(store, embedder, extractor=extractor).run([sparse])
    assert "binary data" in summary.of("skipped")[0].reason
    assert store.stats()["documents"] == 0 and store.consistency_problems() == []


def as_nobody(code: str, *, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run Python ``code`` as the unprivileged user nobody (root reads every file whatever its mode)."""
    command = [sys.executable, "-c", code]
    if os.geteuid() == 0:
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, cwd=cwd,
                          env={**os.environ, "HF_HUB_OFFLINE": "1", "HOME": str(cwd), **(env or {})})


needs_an_unprivileged_user = pytest.mark.skipif(
    os.geteuid() == 0 and not shutil.which("setpriv"), reason="root without setpriv cannot drop its privileges")


@pytest.fixture
def shared_tmp():
    """A folder the unprivileged user can enter (pytest's tmp_path is private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="desktop-app-perm-"))
    folder.chmod(0o777)
    yield folder
    for root, dirs, files in os.walk(folder):
        for name in dirs + files:
            os.chmod(os.path.join(root, name), 0o700, follow_symlinks=False) if not os.path.islink(
                os.path.join(root, name)) else None
    shutil.rmtree(folder, ignore_errors=True)


@needs_an_unprivileged_user
def test_unreadable_files_and_folders_are_reported(shared_tmp):
    docs = shared_tmp / "docs"
    (docs / "locked-folder").mkdir(parents=True)
    (docs / "readable.txt").write_text("The Kestrel turbine delivered 42 megawatts.", encoding="utf-8")
    (docs / "private.txt").write_text("Private notes.", encoding="utf-8")
    (docs / "locked-folder" / "inside.txt").write_text("Hidden away.", encoding="utf-8")
    (docs / "private.txt").chmod(0)
    (docs / "locked-folder").chmod(0)
    # In process: this machine's interpreter may live where the unprivileged user cannot start a parser worker.
    result = as_nobody(
        "from pathlib import Path\n"
        "from desktop_app.core.embedding import Embedder\n"
        "from desktop_app.core.extract import extract\n"
        "from desktop_app.core.ingest import Importer\n"
        "from desktop_app.core.embedders import MINILM, bundled_embedder_dir\n"
        "from desktop_app.core.store import Store\n"
        f"with Store(Path({str(shared_tmp / 'store.sqlite3')!r})) as store:\n"
        f"    summary = Importer(store, Embedder(bundled_embedder_dir(MINILM)), extractor=extract).run([{str(docs)!r}])\n"
        "    for outcome in summary.outcomes:\n"
        "        print(outcome.status, Path(outcome.path).name, outcome.reason, sep=' | ')\n"
        f"try:\n    extract(Path({str(docs / 'private.txt')!r}))\n"
        "except Exception as error:\n    print(error)\n", cwd=shared_tmp)
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert "added | readable.txt | " in lines
    assert "skipped | private.txt | cannot read the file: Permission denied" in lines
    assert "skipped | locked-folder | folder cannot be read: Permission denied" in lines
    assert "permission denied: the file cannot be read" in lines


@needs_an_unprivileged_user
def test_a_read_only_data_folder_gives_a_clear_error_and_keeps_the_store(shared_tmp):
    docs = shared_tmp / "docs"
    docs.mkdir()
    (docs / "first.txt").write_text("The Kestrel turbine delivered 42 megawatts.", encoding="utf-8")
    data = shared_tmp / "data"
    assert cli(data, "ingest", str(docs / "first.txt")).returncode == 0  # written by its owner (root here)
    (docs / "second.txt").write_text("A second file about orchards.", encoding="utf-8")
    for path in [data, *data.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        before = (data / "store.sqlite3").read_bytes()
        result = as_nobody(f"from desktop_app.cli import main; raise SystemExit(main(['--data-dir', {str(data)!r}, "
                           f"'ingest', {str(docs / 'second.txt')!r}]))", cwd=shared_tmp)
        assert result.returncode != 0 and "Traceback" not in result.stderr, result.stderr[-2000:]
        assert "error: The data folder is read-only: nothing was written" in result.stderr
        assert (data / "store.sqlite3").read_bytes() == before
        listed = as_nobody(f"from desktop_app.cli import main; raise SystemExit(main(['--data-dir', {str(data)!r}, "
                           f"'docs', 'list']))", cwd=shared_tmp)
        assert listed.returncode == 0 and "first.txt" in listed.stdout, listed.stderr[-2000:]  # reading still works
        found = as_nobody(f"from desktop_app.cli import main; raise SystemExit(main(['--data-dir', {str(data)!r}, "
                          f"'search', 'Kestrel turbine']))", cwd=shared_tmp)
        assert found.returncode == 0 and "first.txt" in found.stdout, found.stderr[-2000:]
        settings = as_nobody(f"from desktop_app.cli import main; raise SystemExit(main(['--data-dir', {str(data)!r}, "
                             f"'settings', 'top_k=3']))", cwd=shared_tmp)
        assert settings.returncode == 1 and "Traceback" not in settings.stderr, settings.stderr[-2000:]
        assert "The settings cannot be saved" in settings.stderr
    finally:
        for path in [data, *data.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
    with Store(data / "store.sqlite3") as store:
        assert store.stats()["documents"] == 1 and store.consistency_problems() == []


def test_a_full_disk_leaves_the_store_unchanged(tmp_path, store, embedder):
    (tmp_path / "small.txt").write_text("A small first file about turbines.", encoding="utf-8")
    Importer(store, embedder, extractor=extract).run([tmp_path / "small.txt"])
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    store.db.execute(f"PRAGMA max_page_count = {pages + 2}")  # the disk is now full
    (tmp_path / "big.txt").write_text("Many words about orchards and harbours. " * 3000, encoding="utf-8")
    with pytest.raises(StoreError, match="disk is full"):
        Importer(store, embedder, extractor=extract).run([tmp_path / "big.txt"])
    assert store.stats()["documents"] == 1 and store.consistency_problems() == []


def test_an_older_store_is_migrated_forward(tmp_path):
    path = tmp_path / "old.sqlite3"
    raw = db.sqlite3.connect(str(path), isolation_level=None)
    db.MIGRATIONS[0](raw)
    raw.execute("PRAGMA user_version = 1")
    raw.execute("INSERT INTO conversations(title, created_at, updated_at) VALUES ('kept', 0, 0)")
    raw.close()
    with Store(path) as store:
        assert store.db.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        assert store.db.execute("SELECT title FROM conversations").fetchone()[0] == "kept"
        assert store.db.execute("SELECT count(*) FROM eval_runs").fetchone()[0] == 0


def test_a_model_too_large_for_memory_is_refused(tmp_path, gemma_path):
    from desktop_app.core.llm import ChatModel

    huge = tmp_path / "huge.gguf"
    with open(gemma_path, "rb") as source, open(huge, "wb") as out:
        out.write(source.read(8 << 20))  # the real header, then a sparse tail
        out.truncate(4 << 40)
    with pytest.raises(ModelLoadError, match="more than the"):
        ChatModel(huge)


def test_a_bundled_model_that_cannot_be_assembled_is_a_message(tmp_path):
    from desktop_app.core.models import GEMMA_BASE, ensure_bundled_model

    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the models folder should be", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="cannot be assembled in .*is the disk full or the data folder read-only"):
        ensure_bundled_model(GEMMA_BASE, blocked / "models")
    assert blocked.read_text(encoding="utf-8").startswith("a file")


def test_two_processes_on_one_data_dir_wait_for_each_other(tmp_path, data_dir):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text("Text about the Kestrel turbine.", encoding="utf-8")
    Store(data_dir / "store.sqlite3").close()
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from desktop_app.core.store import Store\n"
        f"s = Store({str(data_dir / 'store.sqlite3')!r}); s.db.execute('BEGIN IMMEDIATE'); print('locked', flush=True)\n"
        "time.sleep(float(sys.argv[1])); s.db.execute('COMMIT')"), "4"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    waited = cli(data_dir, "ingest", str(docs))
    assert waited.returncode == 0 and "1 added" in waited.stdout and time.monotonic() - started > 2
    holder.wait()

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from desktop_app.core.store import Store\n"
        f"s = Store({str(data_dir / 'store.sqlite3')!r}); s.db.execute('BEGIN IMMEDIATE'); print('locked', flush=True)\n"
        "time.sleep(float(sys.argv[1])); s.db.execute('COMMIT')"), "20"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    (docs / "b.txt").write_text("Another text.", encoding="utf-8")
    busy = cli(data_dir, "ingest", str(docs), env={"DESKTOP_APP_BUSY_TIMEOUT": "2"})
    holder.kill()
    assert busy.returncode == 2 and "busy" in busy.stderr and "Traceback" not in busy.stderr


@pytest.mark.slow
def test_sigkill_at_any_moment_of_an_import_loses_nothing(tmp_path, data_dir):
    docs = tmp_path / "docs"
    docs.mkdir()
    rng = random.Random(7)
    words = "river turbine orchard ledger copper signal harbor meadow lantern quartz".split()
    for i in range(30):
        body = " ".join(rng.choice(words) for _ in range(1200))
        (docs / f"doc{i:03d}.txt").write_text(f"Document {i} marker zq{i:03d}x.\n{body}\n", encoding="utf-8")
    for delay in (3.0, 6.0, 9.0):
        process = subprocess.Popen([sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir), "ingest",
                                    str(docs)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env={**os.environ, "HF_HUB_OFFLINE": "1"})
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        with Store(data_dir / "store.sqlite3") as store:
            assert store.consistency_problems() == []
    finished = cli(data_dir, "ingest", str(docs))
    assert finished.returncode == 0
    with Store(data_dir / "store.sqlite3") as store:
        assert store.stats()["documents"] == 30 and store.consistency_problems() == []
        assert store.pending_imports() == []


@pytest.mark.slow
def test_sigkill_during_a_streamed_import_resumes_at_the_section_it_reached(tmp_path, data_dir, e5_embedder):
    rng = random.Random(11)
    words = "river turbine orchard ledger copper signal harbor meadow lantern quartz".split()
    big = tmp_path / "big.log"
    with open(big, "w", encoding="utf-8") as handle:  # 9 MB, streamed: one paragraph every 64 KB
        for block in range(144):
            body = " ".join(rng.choice(words) for _ in range(120))
            handle.write(f"Entry zq{block:04d}x {body}\n")
            handle.write((" " * 63 + "\n") * 1000)
    assert big.stat().st_size > STREAM_MIN_BYTES
    process = subprocess.Popen([sys.executable, "-m", "desktop_app", "--data-dir", str(data_dir), "ingest", str(big)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "HF_HUB_OFFLINE": "1"})
    reached = None
    deadline = time.monotonic() + 300
    while reached is None and time.monotonic() < deadline and process.poll() is None:
        time.sleep(0.02)
        try:
            with Store(data_dir / "store.sqlite3") as store:
                row = store.db.execute("SELECT next_section FROM partial_imports").fetchone()
        except StoreError:
            continue
        if row and row[0] >= 4:
            process.send_signal(signal.SIGKILL)
            reached = row[0]
    process.wait()
    assert reached is not None, "the import ended before it could be killed"
    with Store(data_dir / "store.sqlite3") as store:
        assert store.consistency_problems() == []
        partial = store.partial_import(big)
        assert partial is not None and partial.next_section >= reached
        assert store.pending_imports() == [str(big)]
    listed = cli(data_dir, "docs", "list")
    assert "big.log" in listed.stdout and "% done)" in listed.stdout and "1 files left" in listed.stderr
    finished = cli(data_dir, "ingest", str(big))
    assert finished.returncode == 0 and "resumed at section" in finished.stdout, finished.stdout
    with Store(data_dir / "store.sqlite3") as store:
        assert store.document_by_path(big).complete and store.consistency_problems() == []
        resumed = [row[0] for row in store.db.execute("SELECT text FROM chunks ORDER BY ordinal")]
    with Store(tmp_path / "straight.sqlite3") as store:  # the CLI's embedder: the default
        Importer(store, e5_embedder, extractor=extract).run([big])
        assert [row[0] for row in store.db.execute("SELECT text FROM chunks ORDER BY ordinal")] == resumed


def test_the_core_works_with_networking_disabled(tmp_path, data_dir):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plant.md").write_text("The Quenford plant was commissioned by Maris Okonkwo.", encoding="utf-8")
    code = (
        "import socket, sys\n"
        "def refuse(*a, **k): raise OSError('network disabled by the test')\n"
        "socket.socket.connect = refuse; socket.socket.connect_ex = refuse; socket.socket.sendto = refuse\n"
        "socket.create_connection = refuse; socket.getaddrinfo = refuse\n"
        "from desktop_app.cli import main\n"
        f"assert main(['--data-dir', {str(data_dir)!r}, 'ingest', {str(docs)!r}]) == 0\n"
        f"assert main(['--data-dir', {str(data_dir)!r}, 'ask', 'Who commissioned the Quenford plant?',"
        " '--max-tokens', '24']) == 0\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600,
                            env={**os.environ, "HF_HUB_OFFLINE": "0", "TRANSFORMERS_OFFLINE": "0"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Okonkwo" in result.stdout
