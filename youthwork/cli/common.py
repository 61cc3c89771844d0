"""What every command shares: the --profile option, passphrases from the environment or the terminal, opening the
profile, and the one error a command raises to be reported as a single line."""

from __future__ import annotations

import argparse
import getpass
import os
from pathlib import Path

from youthwork import config
from youthwork.store.errors import ProfileMissing
from youthwork.store.profile import Profile

RECOVERY_KEY_ENV = "YOUTHWORK_RECOVERY_KEY"

Subparsers = argparse._SubParsersAction  # argparse names the type of add_subparsers() only privately


class CliError(Exception):
    """A problem to report as one line and exit 1."""


def profile_arg(parser: argparse.ArgumentParser, *, top: bool = False) -> None:
    parser.add_argument(
        "--profile",
        metavar="DIR",
        default=None if top else argparse.SUPPRESS,
        help="the profile folder (default: $YOUTHWORK_HOME/profile or your user data folder)",
    )


def passphrase(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise CliError(f"No passphrase given: set {env} or run this in a terminal.") from None


def new_passphrase(env: str, prompt: str) -> str:
    value = os.environ.get(env)
    if value:
        return value
    first = passphrase(env, prompt)
    if getpass.getpass("Type it again: ") != first:
        raise CliError("The two passphrases don't match. Nothing has been changed.")
    return first


def directory(args: argparse.Namespace) -> Path:
    return config.profile_dir(getattr(args, "profile", None))


def open_profile(args: argparse.Namespace) -> Profile:
    """Open the profile for a command that does not read case records (sync, enrol, backup): the lease allows it."""
    where = directory(args)
    if not Profile.exists(where):
        raise ProfileMissing(f"There is no youthwork profile in {where}. Make one with: youthwork init")
    return Profile.open(where, passphrase(config.PASSPHRASE_ENV, "Passphrase: "))


def open_records(args: argparse.Namespace) -> Profile:
    """Open the profile for a command that reads case records: refused, as the window is, once the lease has run out.

    A laptop that has not reached its server for `sync.lease_days` must sync before its records are shown again
    (the lost-laptop promise holds on the command line too); `youthwork sync` and `backup` stay open so it can.
    """
    from youthwork.sync import device

    profile = open_profile(args)
    if device.lease_expired(profile):
        message = device.lease_message(profile) + " Run: youthwork sync"
        profile.close()
        raise CliError(message)
    return profile


def print_recovery_key(key: str) -> None:
    print(f"Recovery key: {key}")
    print(
        "Write this recovery key down and keep it somewhere safe, away from this laptop (your organisation may hold "
        "it). It opens the profile if the passphrase is forgotten, and it will not be shown again."
    )
