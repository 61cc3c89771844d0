"""Demo mode without Qt: a fresh demo profile, an embedded central service on loopback and a second device.

    demo = DemoWorld.start(folder)          # or DemoWorld.start() for the user data folder's "demo"
    ... open demo.profile_dir with DEMO_PASSPHRASE (the app shows it on the unlock screen) ...
    demo.stop()                             # stops the second device and the server child

What starts:
- `youthwork-server serve` as a child process on a free 127.0.0.1 port, over a SQLite file in the demo folder, with one
  team and two workers made through the admin API (cheap password hashing: the passwords are printed in the docs).
  A frozen bundle (no Python to start it with) serves the same app from a uvicorn thread instead.
- Device A (the one the app opens): a new profile filled by `demo_data.generate`, enrolled and synced, so its records
  are on the server.
- Device B: a second profile for the other worker, enrolled and synced, and a background thread that every few
  seconds records something (a new young person, a case note about someone from A) and syncs, so the records it makes
  arrive in the app, and what the worker records in the app arrives on device B.
- A Targeted Youth Support team and an Integrated Gangs Team, each with a receiving worker on a device of its own
  (`device-tys`, `device-igt`). The same background thread syncs them: a referral sent from the app to either arrives
  in that team's inbox, is acknowledged and accepted there, and the answer comes back to the app at its next sync.

Everything is invented and lives in the demo folder, which is wiped on the next start. Sync credentials are kept
inside the demo profiles (never in the system keyring).
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import socket
import subprocess
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import keyring.backends.fail

from youthwork import config
from youthwork.domain.errors import ShownError
from youthwork.domain.records import CaseNote, YoungPerson
from youthwork.domain.referrals import ReferralAction, ReferralStatus
from youthwork.keys.slots import Argon2Params
from youthwork.security.secrets import use_backend
from youthwork.services.referrals import ReferralService, fetch_receiving_teams
from youthwork.services.sync import sync_engine
from youthwork.store.errors import StoreError
from youthwork.store.profile import Profile
from youthwork.store.settings import TEAM_NAME
from youthwork.sync import device
from youthwork.sync.engine import SyncReport
from youthwork.sync.errors import SyncError

log = logging.getLogger(__name__)

DEMO_PASSPHRASE = "demo profile invented people"
DEMO_TEAM = "Demo detached team"
# Device A is the team's supervisor, so a newcomer sees every area (Review and sign-off too) and the sessions the
# invented history has already signed off are accepted by the service; device B is a youth worker.
DEMO_USERS = (("demo-a", "Alex Demo", "supervisor"), ("demo-b", "Bo Demo", "worker"))
# The receiving teams a referral from the app can go to, each with a receiving worker on a device of their own.
DEMO_RECEIVING = (
    ("demo-tys", "Tia Demo (TYS)", "Demo Targeted Youth Support", "tys"),
    ("demo-igt", "Ife Demo (IGT)", "Demo Integrated Gangs Team", "igt"),
)
ACCEPTED_NOTE = "Accepted by the {team}: a worker will be in touch within a week."
DEMO_MARKER = ".youthwork-demo"  # only a folder with this is ever wiped
DEMO_PASSWORD = "demo password invented"  # for the embedded demo service only
# The demo is thrown away: quick key derivation so it starts in seconds (real profiles use the full cost).
DEMO_KDF = Argon2Params(time_cost=1, memory_cost=8 * 1024, parallelism=1)
FIRST_NAMES = ("Jordan", "Casey", "Riley", "Morgan", "Taylor", "Jamie", "Reece", "Kai", "Leah", "Amara", "Tyler")
AREAS = ("Peckham", "Nunhead", "Camberwell", "Walworth", "Brixton")


def demo_home() -> Path:
    return config.data_home() / "demo"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


IN_PROCESS_ENV = "YOUTHWORK_DEMO_IN_PROCESS"
# Read by `youthwork-server serve` (youthwork.server.cli); named here so the laptop never imports the service.
EXIT_WITH_PARENT_ENV = "YOUTHWORK_EXIT_WITH_PARENT"


def server_command() -> list[str]:
    """How to start `youthwork-server` with this interpreter."""
    return [sys.executable, "-m", "youthwork.server.cli"]


def in_process() -> bool:
    """A frozen bundle has no interpreter to start `-m youthwork.server.cli` with: serve from a thread instead."""
    return bool(getattr(sys, "frozen", False)) or os.environ.get(IN_PROCESS_ENV) == "1"


class InProcessServer:
    """The same service on a uvicorn thread, with the few `Popen` methods DemoWorld uses."""

    def __init__(self, database_url: str, port: int) -> None:
        import uvicorn

        from youthwork.server.app import create_app
        from youthwork.server.settings import Settings

        secret = str(Path(database_url.removeprefix("sqlite:///")).with_name("server-secret.key"))  # demo folder
        app = create_app(Settings(database_url=database_url, secret_key_file=secret))
        config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="demo-server", daemon=True)
        self.thread.start()

    def poll(self) -> int | None:
        return None if self.thread.is_alive() else 0

    def terminate(self) -> None:
        self.server.should_exit = True

    def kill(self) -> None:
        self.server.force_exit = True
        self.server.should_exit = True

    def wait(self, timeout: float | None = None) -> int:
        self.thread.join(timeout)
        if self.thread.is_alive():
            raise subprocess.TimeoutExpired("demo-server", timeout or 0)
        return 0


class DemoError(ShownError):
    """The demo could not start; the message says why in plain words."""


@dataclass
class DemoWorld:
    folder: Path
    url: str
    server: Any  # the `youthwork-server serve` child (subprocess.Popen), or an InProcessServer when frozen
    profile_dir: Path
    device_b_dir: Path
    passphrase: str = DEMO_PASSPHRASE
    second: SecondDevice | None = None
    receiving_dirs: list[Path] = field(default_factory=list)  # the TYS and IGT devices
    log_file: Path | None = None

    @classmethod
    def start(
        cls,
        folder: Path | None = None,
        *,
        people: int = 300,
        weeks: int = 4,
        interval: float = 20.0,
        second_device: bool = True,
    ) -> DemoWorld:
        """Wipe and build the demo folder, start the service, make and enrol both devices, sync them once."""
        from youthwork.server.entry import server_installed

        if not server_installed():
            raise DemoError(
                "The demo runs a central service on this laptop, and this install doesn't include one. "
                "Install youthwork with it: pip install 'youthwork[server]'"
            )
        folder = Path(folder) if folder is not None else demo_home()
        if folder.exists():
            if any(folder.iterdir()) and not (folder / DEMO_MARKER).exists():
                raise DemoError(f"{folder} is not empty and not a demo folder: the demo needs a folder of its own.")
            shutil.rmtree(folder)
        folder.mkdir(parents=True, mode=0o700)
        (folder / DEMO_MARKER).write_text("youthwork demo: everything here is invented and is wiped on each start\n")
        url, proc, log_file = _start_server(folder)
        world = cls(folder, url, proc, folder / "device-a", folder / "device-b", log_file=log_file)
        try:
            from youthwork.demo_data import generate

            a, _ = Profile.create(world.profile_dir, DEMO_PASSPHRASE, worker_name=DEMO_USERS[0][1], argon2=DEMO_KDF)
            with a:
                _enrol(a, url, DEMO_USERS[0][0])
                generate(a, people=people, weeks=weeks, outbox=True)
                sync_once(a)
            b, _ = Profile.create(world.device_b_dir, DEMO_PASSPHRASE, worker_name=DEMO_USERS[1][1], argon2=DEMO_KDF)
            with b:
                _enrol(b, url, DEMO_USERS[1][0])
                sync_once(b)
            for username, name, _team, kind in DEMO_RECEIVING:
                directory = folder / f"device-{kind}"
                r, _ = Profile.create(directory, DEMO_PASSPHRASE, worker_name=name, argon2=DEMO_KDF)
                with r:
                    _enrol(r, url, username)
                world.receiving_dirs.append(directory)
            with Profile.open(world.profile_dir, DEMO_PASSPHRASE) as a:
                fetch_receiving_teams(a)  # so "Refer to the IGT" is addressed to the demo's IGT at once
            if second_device:
                world.second = SecondDevice(world.device_b_dir, interval, receiving=list(world.receiving_dirs))
                world.second.start()
        except (StoreError, SyncError) as e:  # already in plain words
            world.stop()
            raise DemoError(f"The demo could not start: {e}") from e
        except BaseException:
            world.stop()
            raise
        log.info("demo started")
        return world

    def stop(self) -> None:
        """Stop the second device, then the server child. Safe to call twice."""
        if self.second is not None:
            self.second.stop()
            self.second = None
        if self.server.poll() is None:
            self.server.terminate()
            try:
                self.server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.server.kill()
                self.server.wait()
        log.info("demo stopped")

    def __enter__(self) -> DemoWorld:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def sync_once(profile: Profile) -> SyncReport:
    client = device.client_for(profile)
    try:
        return sync_engine(profile, client).run()
    finally:
        client.transport.close()  # type: ignore[attr-defined]


def _enrol(profile: Profile, url: str, username: str) -> None:
    # Demo credentials stay inside the demo profile, never in the worker's real keyring.
    use_backend(profile, keyring.backends.fail.Keyring())  # type: ignore[no-untyped-call]
    device.enrol(profile, url, username, DEMO_PASSWORD, device_name=f"demo device {username[-1].upper()}")


def _start_server(folder: Path) -> tuple[str, Any, Path]:
    database_url = f"sqlite:///{folder / 'server.sqlite3'}"
    _add_team_and_users(database_url)
    port = free_port()
    log_file = folder / "server.log"
    proc: Any
    if in_process():
        proc = InProcessServer(database_url, port)
    else:
        # The demo's server secret stays in the demo folder, wiped with it.
        env = dict(
            os.environ,
            YOUTHWORK_DATABASE_URL=database_url,
            YOUTHWORK_SECRET_KEY_FILE=str(folder / "server-secret.key"),
            # The child ends when this process does, however it ends (closed, SIGTERM, killed, on every platform):
            # it holds the other end of the child's stdin, which the system closes when this process goes.
            **{EXIT_WITH_PARENT_ENV: "1"},
        )
        with open(log_file, "ab") as out:
            proc = subprocess.Popen(
                [*server_command(), "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.PIPE,
            )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DemoError("The demo's central service stopped as it started. See " + str(log_file))
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return url, proc, log_file
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    proc.wait()
    raise DemoError("The demo's central service did not start within 30 seconds.")


def _add_team_and_users(database_url: str) -> None:
    from youthwork.server import admin, db
    from youthwork.server.security import password_hasher
    from youthwork.server.settings import Settings

    settings = Settings(database_url=database_url, argon2_time_cost=1, argon2_memory_kib=8 * 1024)
    engine = db.make_engine(settings)
    try:
        db.migrate(engine)
        with engine.connect() as conn, conn.begin():
            hasher = password_hasher(settings)
            team = admin.add_team(conn, DEMO_TEAM, "detached", "Demo youth service")
            for username, name, role in DEMO_USERS:
                admin.add_user(conn, hasher, username, name, DEMO_PASSWORD, role, team)
            for username, name, team_name, kind in DEMO_RECEIVING:
                receiving = admin.add_team(conn, team_name, kind, "Demo youth service")
                admin.add_user(conn, hasher, username, name, DEMO_PASSWORD, "receiving", receiving)
    finally:
        engine.dispose()


@dataclass
class SecondDevice:
    """Device B in a background thread: every `interval` seconds, record something and sync."""

    directory: Path
    interval: float
    receiving: list[Path] = field(default_factory=list)  # receiving teams' devices, answering referrals
    made: list[str] = field(default_factory=list)  # ids of records made or changed here
    answered: list[str] = field(default_factory=list)  # referrals accepted by a receiving team
    edited: list[str] = field(default_factory=list)  # of those, people whose record was changed
    cycles: int = 0
    errors: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="demo-device-b", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=30)

    def _run(self) -> None:
        rng = random.Random(7)
        profile = Profile.open(self.directory, DEMO_PASSPHRASE)
        desks = [Profile.open(d, DEMO_PASSPHRASE) for d in self.receiving]
        try:
            while not self._stop.wait(self.interval):
                try:
                    self.step(profile, rng)
                    for desk in desks:
                        self.answer_referrals(desk)
                except Exception as e:  # the demo keeps going: a missed cycle is retried at the next one
                    self.errors += 1
                    log.warning("demo device B: %s", type(e).__name__)
        finally:
            for desk in desks:
                desk.close()
            profile.close()

    def answer_referrals(self, profile: Profile) -> None:
        """A receiving team's worker: sync, acknowledge and accept what has arrived, sync the answer back."""
        sync_once(profile)
        referrals = ReferralService(profile)
        team = profile.get_setting(TEAM_NAME) or "team"
        new = referrals.inbox(ReferralStatus.SENT)
        for view in new:
            referrals.step(view.referral.id, ReferralAction.ACKNOWLEDGE)
            referrals.step(view.referral.id, ReferralAction.ACCEPT, note=ACCEPTED_NOTE.format(team=team))
        if new:
            sync_once(profile)
            self.answered += [v.referral.id for v in new]  # once the answers are on the service

    def step(self, profile: Profile, rng: random.Random) -> SyncReport:
        """One edit (a new young person, a case note, or a changed area on someone's record), one sync."""
        team = profile.team_id
        someone = profile.db.one("SELECT id FROM people ORDER BY random() LIMIT 1")
        roll = rng.random()
        record: YoungPerson | CaseNote | None = None
        if someone is not None and roll < 0.4:
            record = CaseNote(
                person_id=someone[0],
                text="Seen by the other demo worker near the shops; all fine, will check in next week.",
                team_id=team,
            )
        elif someone is not None and roll < 0.6:
            record = profile.records.get(YoungPerson, someone[0])
            if record is not None:
                record.area = rng.choice(AREAS)
                self.edited.append(record.id)
        if record is None:
            record = YoungPerson(
                first_name=rng.choice(FIRST_NAMES), last_name="Demo", area=rng.choice(AREAS), team_id=team
            )
        with profile.transaction():
            saved = profile.records.save(record)
        self.made.append(saved.id)
        report = sync_once(profile)
        self.cycles += 1
        return report


if __name__ == "__main__":  # a demo service and second device without the window: Ctrl+C to stop
    logging.basicConfig(level=logging.INFO)
    world = DemoWorld.start()
    print(f"Demo service at {world.url}; profile {world.profile_dir}; passphrase: {DEMO_PASSPHRASE}")
    with suppress(KeyboardInterrupt):
        while True:
            time.sleep(1)
    world.stop()
