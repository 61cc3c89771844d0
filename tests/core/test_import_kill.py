"""A 20,000-row register sheet with deliberate errors, imported by the real `youthwork import` in a subprocess that
is SIGKILLed half way (after its first chunk is written, while it writes the next); run again, it imports the rest,
and every row the sheet should give is there exactly once, in the store and in the outbox."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from benchmarks.import_sheet import write_csv
from tests.core.conftest import FAST_KDF, PASSPHRASE
from youthwork.store.profile import Profile

ROOT = Path(__file__).resolve().parents[2]
ROWS = 20_000


def _cli(directory: Path, sheet: Path) -> subprocess.Popen[str]:
    env = dict(os.environ, YOUTHWORK_PASSPHRASE=PASSPHRASE)
    return subprocess.Popen(
        [sys.executable, "-m", "youthwork.cli", "import", "--profile", str(directory), str(sheet), "--progress"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_import_killed_half_way_imports_the_rest_exactly_once_when_run_again(tmp_path: Path) -> None:
    directory = tmp_path / "profile"
    profile, _ = Profile.create(directory, PASSPHRASE, worker_name="Sam Worker", argon2=FAST_KDF)
    profile.set_setting("user_id", "worker-1")
    profile.set_setting("team_id", "team-1")
    profile.close()
    sheet = tmp_path / "register.csv"
    expected = write_csv(sheet, ROWS)

    child = _cli(directory, sheet)
    assert child.stdout is not None
    line = child.stdout.readline()  # "Written 2003 of 19959 rows.": the first chunk is committed
    assert line.startswith("Written "), line + child.stderr.read() if child.stderr else line
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    assert child.returncode == -signal.SIGKILL

    with Profile.open(directory, PASSPHRASE) as p:
        done = p.db.scalar("SELECT count(*) FROM import_rows")
        half = p.db.scalar("SELECT count(*) FROM people")
        # The search index holds exactly the committed chunks' people, and its trigger is in place.
        p.db.execute("INSERT INTO people_fts(people_fts, rank) VALUES ('integrity-check', 1)")
        assert p.db.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'people_fts_insert'") == 1
    assert 0 < done < expected.imported, "the kill must land part way"
    assert half == done  # whole rows only: each written row made its young person, nothing more

    rerun = _cli(directory, sheet)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err
    assert f"{done} rows were imported before" in out

    with Profile.open(directory, PASSPHRASE) as p:
        q = p.db.scalar
        assert q("SELECT count(*) FROM people") == expected.imported == 19_959
        assert q("SELECT count(DISTINCT first_name || last_name || date_of_birth) FROM people") == 19_959
        assert q("SELECT count(*) FROM attendance") == 19_959
        assert q("SELECT count(DISTINCT session_id || person_id) FROM attendance") == 19_959
        assert q("SELECT count(*) FROM sessions") == 2000
        assert q("SELECT count(*) FROM import_rows") == 19_959
        for table, n in (("people", 19_959), ("attendance", 19_959), ("sessions", 2000)):
            assert q("SELECT count(*) FROM outbox WHERE tbl = ?", (table,)) == n
            assert q("SELECT count(DISTINCT record_id) FROM outbox WHERE tbl = ?", (table,)) == n
        assert q("SELECT count(*) FROM outbox WHERE tbl = 'people' AND record_id NOT IN (SELECT id FROM people)") == 0
        p.db.execute("INSERT INTO people_fts(people_fts, rank) VALUES ('integrity-check', 1)")  # search finds them all
