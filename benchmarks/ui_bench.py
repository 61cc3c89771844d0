"""Desktop app speed on a large profile: unlock → young people list on screen, search-as-you-type, scrolling.

    python benchmarks/ui_bench.py [--profile DIR] [--people 100000] [--runs 7]

Makes the profile with the demo generator if it is not there (100,000 invented young people take about half a
minute). Drives the real AppWindow (offscreen unless a display is set) and prints medians and 95th percentiles.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

PASSPHRASE = "brisk otter lantern harbour"
WORDS = ["jay", "kel", "amara", "north", "tyr", "sam", "brandon", "le"]


def ensure_profile(directory: Path, people: int) -> None:
    from youthwork.demo_data import generate
    from youthwork.store.profile import Profile

    if Profile.exists(directory):
        return
    print(f"Making a profile of {people:,} invented young people in {directory} …", flush=True)
    started = time.perf_counter()
    profile, _key = Profile.create(directory, PASSPHRASE, worker_name="Benchmark Worker")
    with profile:
        generate(profile, people=people, weeks=26)
    print(f"  made in {time.perf_counter() - started:.1f} s", flush=True)


def spin_until(condition, timeout: float = 10.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        QApplication.processEvents()
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not answer in time")
        time.sleep(0.0005)


def summary(name: str, values_ms: list[float]) -> str:
    values = sorted(values_ms)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"{name}: median {statistics.median(values):.1f} ms, p95 {p95:.1f} ms, n={len(values)}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", type=Path, default=Path("/tmp/youthwork-bench/p100k"))
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    ensure_profile(args.profile, args.people)

    from ui.app_window import AppWindow
    from ui.theme import apply_theme
    from youthwork.store.profile import Profile

    none_refs = sys.getrefcount(None)
    app = QApplication.instance() or QApplication(["ui_bench"])
    apply_theme(app)
    window = AppWindow(args.profile)
    window.resize(1093, 614)  # 1366x768 at 125%
    window.show()
    spin_until(lambda: window.isVisible())

    # The key derivation alone (Argon2id), for reference: it is part of every unlock.
    kdf = []
    for _ in range(3):
        t = time.perf_counter()
        Profile.open(args.profile, PASSPHRASE).close()
        kdf.append((time.perf_counter() - t) * 1000)

    # Time the store opening (key derivation + SQLCipher keying) inside each unlock, to show the UI's own share.
    import ui.gate.unlock as gate

    opening: list[float] = []
    real_open = gate.Profile.open

    def timed_open(directory, passphrase):
        t = time.perf_counter()
        try:
            return real_open(directory, passphrase)
        finally:
            opening.append((time.perf_counter() - t) * 1000)

    gate.Profile.open = timed_open  # type: ignore[method-assign]
    unlock_to_list: list[float] = []
    unlock_to_workspace: list[float] = []
    for _ in range(args.runs):
        window.unlock.passphrase.setText(PASSPHRASE)
        t = time.perf_counter()
        window.unlock.submit()  # the passphrase is checked off the UI thread
        spin_until(lambda: window.workspace is not None)
        unlock_to_workspace.append((time.perf_counter() - t) * 1000)
        window.workspace.go("people")
        people = window.workspace.people.list
        spin_until(lambda p=people: p.model.rowCount() > 0)
        people.table.viewport().repaint()
        unlock_to_list.append((time.perf_counter() - t) * 1000)
        total = window.backend.people.count()
        window.lock()

    gate.Profile.open = real_open  # type: ignore[method-assign]
    ui_share = [total - opened for total, opened in zip(unlock_to_list, opening, strict=True)]

    window.unlock.passphrase.setText(PASSPHRASE)
    window.unlock.submit()
    spin_until(lambda: window.workspace is not None)
    window.workspace.go("people")
    page = window.workspace.people.list
    spin_until(lambda: page.model.rowCount() > 0 and not page.searcher.waiting)

    # One key at a time, waiting for the rows to be on screen before the next key.
    per_key: list[float] = []
    per_key_first: list[float] = []  # the first letter matches about a tenth of everyone
    for word in WORDS:
        page.search.clear()
        spin_until(lambda: not page.searcher.waiting)
        for i, ch in enumerate(word):
            t = time.perf_counter()
            QTest.keyClick(page.search, ch)
            typed = word[: i + 1]
            spin_until(lambda typed=typed: not page.searcher.waiting and page.shown_filters.text == typed)
            page.table.viewport().repaint()
            (per_key_first if i == 0 else per_key).append((time.perf_counter() - t) * 1000)

    # A quick typist: a key every 70 ms; time from the last key to the final rows on screen.
    burst: list[float] = []
    for word in WORDS:
        page.search.clear()
        spin_until(lambda: not page.searcher.waiting)
        for ch in word:
            QTest.keyClick(page.search, ch)
            end = time.perf_counter() + 0.07
            while time.perf_counter() < end:
                QApplication.processEvents()
        t = time.perf_counter()
        spin_until(lambda word=word: not page.searcher.waiting and page.shown_filters.text == word)
        page.table.viewport().repaint()
        burst.append((time.perf_counter() - t) * 1000)

    # Scrolling: each page the list fetches as the view nears the end.
    page.search.clear()
    spin_until(lambda: not page.searcher.waiting)
    fetch: list[float] = []
    while page.model.loaded < 10_000 and page.model.canFetchMore():
        t = time.perf_counter()
        page.model.fetchMore()
        fetch.append((time.perf_counter() - t) * 1000)

    window.shutdown()
    print(f"\n(None refcount drift during the run: {sys.getrefcount(None) - none_refs})")
    print(f"Profile: {total:,} young people ({args.profile})")
    print(summary("Key derivation (Argon2id) on its own", kdf))
    print(summary("Unlock → workspace built", unlock_to_workspace))
    print(summary("Unlock → young people list on screen", unlock_to_list))
    print(summary("  of which opening the store (key derivation, keying)", opening))
    print(summary("  of which the app (building the workspace, first page of the list)", ui_share))
    print(summary("Search: first letter → matching rows on screen", per_key_first))
    print(summary("Search: each later letter → matching rows on screen", per_key))
    print(summary("Search: last key of quick typing (70 ms apart) → rows on screen", burst))
    print(summary(f"Scrolling: fetch the next {page.model.page_size} rows, to 10,000 deep", fetch))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
