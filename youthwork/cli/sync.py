"""`youthwork enrol` and `youthwork sync`: the engine from a terminal, for support staff and scripts."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
from collections.abc import Callable

from youthwork.cli.common import Subparsers, open_profile, profile_arg
from youthwork.services.sync import sync_engine
from youthwork.sync import device
from youthwork.sync.engine import rejections, run_with_retries
from youthwork.sync.errors import SyncError

log = logging.getLogger(__name__)

PASSWORD_ENV = "YOUTHWORK_PASSWORD"


def add_parsers(sub: Subparsers[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("enrol", help="connect this laptop's profile to a youthwork server (signs in once)")
    profile_arg(p)
    p.add_argument("--server", required=True, metavar="URL", help="the server address, e.g. https://youthwork.example")
    p.add_argument("--username", required=True)
    p.add_argument("--device-name", default=None, help="how this laptop is listed on the server")

    p = sub.add_parser("sync", help="run one full sync now and print what moved")
    profile_arg(p)
    p.add_argument("--retries", type=int, default=3, help="tries when the server can't be reached (default 3)")


def _password() -> str:
    value = os.environ.get(PASSWORD_ENV)
    if value:
        return value
    try:
        return getpass.getpass("Password for the youthwork server: ")
    except EOFError:
        raise SyncError(f"No password given: set {PASSWORD_ENV} or run this in a terminal.") from None


def cmd_enrol(args: argparse.Namespace) -> int:
    with open_profile(args) as profile:
        result = device.enrol(profile, args.server, args.username, _password(), device_name=args.device_name)
    print(
        f"This laptop is connected to {result.server_url} as {result.display_name} ({result.role}, {result.team_name})."
    )
    print(f"Device id: {result.device_id}")
    print(f"The sign-in for sync is {result.credential_where}.")
    print(device.FULL_DISK_NOTICE)
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    with open_profile(args) as profile:
        client = device.client_for(profile)
        try:
            engine = sync_engine(profile, client)
            report = run_with_retries(engine.run, attempts=max(1, args.retries))
        finally:
            client.transport.close()  # type: ignore[attr-defined]
        problems = rejections(profile)
    print(report.summary())
    for text in report.messages:
        print(text)
    for r in problems:
        print(f"not accepted by the server ({r.table} {r.record_id}): {r.reason}")
    return 0


HANDLERS: dict[str, Callable[[argparse.Namespace], int]] = {"enrol": cmd_enrol, "sync": cmd_sync}
