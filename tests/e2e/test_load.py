"""Load: 200 simulated devices syncing against one `youthwork-server` on PostgreSQL (a fresh database on
127.0.0.1:5432) with zero errors and every pushed change in the change log exactly once. CI runs 15 s; the benchmark
(`python -m benchmarks.load_bench`) runs the full minute and prints the figures."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from benchmarks.load_bench import DEFAULT_PG, run_load

SECONDS = float(os.environ.get("YOUTHWORK_LOAD_SECONDS", "15"))


def postgres_available() -> bool:
    try:
        engine = sa.create_engine(DEFAULT_PG, connect_args={"connect_timeout": 3})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except sa.exc.OperationalError:
        return False


@pytest.mark.slow
def test_200_devices_sync_with_no_errors_and_no_lost_or_doubled_changes() -> None:
    if not postgres_available():
        if os.environ.get("YOUTHWORK_REQUIRE_PG") == "1":
            pytest.fail("PostgreSQL is required (YOUTHWORK_REQUIRE_PG=1) but 127.0.0.1:5432 can't be reached")
        pytest.skip("needs PostgreSQL on 127.0.0.1:5432")
    result = run_load(devices=200, seconds=SECONDS)
    print("\n" + "\n".join(result.lines()))
    assert result.errors == 0, result.error_kinds
    assert result.pushed > 200  # every device pushed at least once
    assert result.resent > 0  # resent batches were part of the load
    assert result.lost == 0 and result.doubled == 0 and result.extra == 0
    assert result.pulled >= result.pushed  # each change reaches the other devices of its team
