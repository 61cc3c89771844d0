"""youthwork-server: run the central service and administer it.

  youthwork-server serve [--host 127.0.0.1] [--port 8765]
  youthwork-server migrate
  youthwork-server add-team NAME --kind detached|tys|igt|partner [--organisation NAME]
  youthwork-server add-user USERNAME --name "Display Name" --role ROLE --team TEAM
      (the password comes from YOUTHWORK_PASSWORD, or a prompt)
  youthwork-server list-devices
  youthwork-server revoke-device DEVICE_ID
  youthwork-server wipe-device DEVICE_ID
  youthwork-server disable-user USERNAME       (refused on every device from its next request)
  youthwork-server enable-user USERNAME
  youthwork-server reset-password USERNAME [--revoke-devices]   (YOUTHWORK_PASSWORD, or a prompt)
  youthwork-server set-role USERNAME ROLE

The database comes from YOUTHWORK_DATABASE_URL (default: a SQLite file in the user data folder) or --database-url.
Errors are one plain line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import os
import sys
import threading
from dataclasses import replace

import sqlalchemy as sa

from youthwork.domain.vocab import Role, TeamKind
from youthwork.server import admin, db
from youthwork.server.logs import LOG_CONFIG
from youthwork.server.logs import configure as configure_logging
from youthwork.server.security import password_hasher
from youthwork.server.settings import Settings

log = logging.getLogger(__name__)


class CliError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="youthwork-server", description="The youthwork central service.")
    p.add_argument("--database-url", help="SQLAlchemy database URL (default: YOUTHWORK_DATABASE_URL or a SQLite file)")
    sub = p.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="migrate the database, then serve the API")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8765)
    serve.add_argument("--workers", type=int, default=1)
    sub.add_parser("migrate", help="bring the database up to the newest schema")
    team = sub.add_parser("add-team", help="add a team")
    team.add_argument("name")
    team.add_argument("--kind", required=True, choices=[k.value for k in TeamKind])
    team.add_argument("--organisation", default="Default organisation")
    user = sub.add_parser("add-user", help="add a user (password from YOUTHWORK_PASSWORD or a prompt)")
    user.add_argument("username")
    user.add_argument("--name", default="", help="display name")
    user.add_argument("--role", required=True, choices=[r.value for r in Role])
    user.add_argument("--team", required=True, help="team name or id")
    sub.add_parser("list-devices", help="list enrolled devices")
    revoke = sub.add_parser("revoke-device", help="withdraw a device's access")
    revoke.add_argument("device_id")
    wipe = sub.add_parser("wipe-device", help="mark a lost device: it wipes itself at its next contact")
    wipe.add_argument("device_id")
    for name, what in (
        ("disable-user", "switch an account off: refused on every device from its next request"),
        ("enable-user", "switch an account back on"),
    ):
        sub.add_parser(name, help=what).add_argument("username", help="username or user id")
    reset = sub.add_parser("reset-password", help="set a new password (YOUTHWORK_PASSWORD or a prompt)")
    reset.add_argument("username", help="username or user id")
    reset.add_argument("--revoke-devices", action="store_true", help="also end the token of every device they have")
    role = sub.add_parser("set-role", help="change a user's role (takes effect on every device at its next request)")
    role.add_argument("username", help="username or user id")
    role.add_argument("role", choices=[r.value for r in Role])
    audit = sub.add_parser("verify-audit", help="check the audit trail's hash chains (exit 1 if tampered with)")
    audit.add_argument("--team", default=None, help="only this team's entries (a team id)")
    return p


def _password() -> str:
    password = os.environ.get("YOUTHWORK_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise CliError("Set YOUTHWORK_PASSWORD, or run this in a terminal to be asked for the password.")
    first = getpass.getpass("Password: ")
    if first != getpass.getpass("Password again: "):
        raise CliError("The two passwords are different.")
    return first


def run(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    settings = Settings.from_env()
    if args.database_url:
        settings = replace(settings, database_url=args.database_url)

    if args.command == "serve":
        return _serve(settings, args.host, args.port, args.workers)

    engine = db.make_engine(settings)
    try:
        db.migrate(engine)
        if args.command == "migrate":
            print("The database is up to date.")
            return 0
        with engine.connect() as conn, conn.begin():
            if args.command == "add-team":
                team_id = admin.add_team(conn, args.name, args.kind, args.organisation)
                print(f"Added team {args.name!r} ({args.kind}), id {team_id}")
            elif args.command == "add-user":
                password = _password()
                user_id = admin.add_user(
                    conn, password_hasher(settings), args.username, args.name, password, args.role, args.team
                )
                print(f"Added user {args.username!r} ({args.role}), id {user_id}")
            elif args.command == "list-devices":
                devices = admin.list_devices(conn)
                if not devices:
                    print("No devices are enrolled.")
                for d in devices:
                    seen = d.last_seen_at.strftime("%Y-%m-%d %H:%M")
                    print(f"{d.id}  {d.state:<12}  {d.username:<20}  {d.team:<24}  last seen {seen}  {d.name}")
            elif args.command == "revoke-device":
                print(REVOKED[admin.revoke_device(conn, args.device_id)].format(args.device_id.strip()))
            elif args.command == "wipe-device":
                admin.wipe_device(conn, args.device_id)
                print(f"Device {args.device_id} will be told to wipe itself at its next contact.")
            elif args.command in ACCOUNT_COMMANDS:
                print(_account_command(conn, settings, args))
            elif args.command == "verify-audit":
                from youthwork.server.privacy import verify_audit

                problems = verify_audit(conn, args.team)
                for problem in problems:
                    print(problem)
                if problems:
                    raise CliError(f"the audit trail has been tampered with ({len(problems)} problems).")
                print("The audit trail is whole: no entry is missing, changed or out of order.")
    finally:
        engine.dispose()
    return 0


# What revoke-device did, by the state the device was in.
REVOKED = {
    "active": "Device {} can no longer sync: its next request is refused.",
    "wipe pending": "Device {} can no longer sync. It had not yet wiped itself, and now can't be told to.",
    "revoked": "Device {} was already revoked: nothing changed.",
    "wiped": "Device {} had already wiped itself and can't sync: nothing changed.",
}

ACCOUNT_COMMANDS = ("disable-user", "enable-user", "reset-password", "set-role")


def _account_command(conn: sa.Connection, settings: Settings, args: argparse.Namespace) -> str:
    """Run one of the account commands; the line that says what changed."""
    if args.command in ("disable-user", "enable-user"):
        on = args.command == "enable-user"
        done = admin.set_active(conn, args.username, on)
        if done.before == done.after:
            return f"{done.username} was already switched {done.after}: nothing changed."
        if on:
            return f"{done.username} is switched on again: they can sign in, and their {done.devices} device(s) sync."
        return (
            f"{done.username} is switched off: refused on all {done.devices} of their device(s) from the next "
            f"request. `enable-user {done.username}` switches them back on."
        )
    if args.command == "reset-password":
        from youthwork.server.security import server_secret

        password = _password()
        done = admin.reset_password(
            conn,
            password_hasher(settings),
            args.username,
            password,
            secret=server_secret(settings),
            revoke_devices=args.revoke_devices,
        )
        ended = " Every device of theirs must sign in again." if args.revoke_devices else ""
        return f"{done.username} has a new password; failed sign-ins so far are forgotten.{ended}"
    done = admin.set_role(conn, args.username, args.role)
    if done.before == done.after:
        return f"{done.username} is already {done.after}: nothing changed."
    return f"{done.username} is now {done.after} (was {done.before}), on all their devices from the next request."


EXIT_WITH_PARENT_ENV = "YOUTHWORK_EXIT_WITH_PARENT"


def _exit_when_stdin_closes() -> None:
    """End this service when the process that started it goes (the laptop's demo), however that process ended.

    The parent holds the other end of our stdin and the system closes it when the parent exits or is killed, on
    Windows as on POSIX, so no process ids or /proc are needed. The demo's store is SQLite, safe to leave at once.
    """

    def watch() -> None:
        with contextlib.suppress(OSError, ValueError):
            while sys.stdin.buffer.read(4096):
                pass
        log.info("the process that started this service has gone: stopping")
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _serve(settings: Settings, host: str, port: int, workers: int) -> int:
    import uvicorn

    if os.environ.get(EXIT_WITH_PARENT_ENV) == "1":
        _exit_when_stdin_closes()

    engine = db.make_engine(settings)
    try:
        db.migrate(engine)
    finally:
        engine.dispose()
    from youthwork.server.security import server_secret

    server_secret(settings)  # made now if absent (once, before any worker starts), or a plain error
    os.environ["YOUTHWORK_DATABASE_URL"] = settings.database_url  # for the worker processes' factory
    uvicorn.run(
        "youthwork.server.asgi:app",
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        log_config=LOG_CONFIG,  # one plain line per error: never exception text or a traceback
        access_log=False,  # request paths carry record ids: keep them out of logs
        timeout_keep_alive=30,  # a sync is several requests in a row: keep the connection for them
        # A worker that doesn't answer the supervisor's ping in time is killed and replaced. uvicorn's 5 s is less
        # than a worker's start takes on a busy machine (imports alone), which then never gets going.
        timeout_worker_healthcheck=30,
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    configure_logging()
    try:
        return run(argv)
    except (CliError, admin.AdminError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
    except sa.exc.OperationalError as exc:
        print(
            f"error: cannot use the database ({type(exc.orig).__name__}). Check YOUTHWORK_DATABASE_URL.",
            file=sys.stderr,
        )
    except sa.exc.SQLAlchemyError as exc:
        print(f"error: database problem ({type(exc).__name__}).", file=sys.stderr)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
    except OSError as exc:
        print(f"error: {exc.strerror or exc}", file=sys.stderr)
    except Exception as exc:  # one plain line, never a traceback
        print(f"error: unexpected problem ({type(exc).__name__}).", file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
