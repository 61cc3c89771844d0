"""docs/access.md, generated from the declared policies: record type × role × team relation → what is read and written.

    python -m youthwork.domain.access_doc > docs/access.md

A test (tests/core/test_policy.py) fails when docs/access.md differs from what this prints, so the document can't
drift from the rules the service enforces.
"""

from __future__ import annotations

import sys

import youthwork.domain  # noqa: F401  (every record type declares its policy on import)
from youthwork.domain.policy import META_FIELDS, POLICIES, RecordPolicy, Relation
from youthwork.domain.vocab import Role, TeamKind

ROLES = (Role.WORKER, Role.SUPERVISOR, Role.RECEIVING, Role.PARTNER, Role.ADMIN)

HEADER = """# Who may see and change what

Generated from the declared policies (`youthwork/domain/policy.py` and the `declare(...)` beside each record type) by
`python -m youthwork.domain.access_doc > docs/access.md`; a test fails when this file is stale. The central service
enforces exactly these rules on every push and pull (`youthwork/server/rules.py`, `youthwork/server/scope.py`).

A record belongs to the team that saved it, and only that team writes it. Another team reaches a record only through a
relation: **addressed** (a referral sent to the team, or a move of a young person to it), **end** (a step of a referral
the team sent or received), **shared** (a young person shared with the team by a referral or a register entry: at most
the fields shared) or **tombstone** (an erasure notice, to every team that held a record). "all" means every field; "all
but restricted" leaves out special category and criminal-offence fields. Administrators manage accounts, not case
records.
"""


def _fields(names: frozenset[str] | set[str]) -> str:
    return ", ".join(f"`{n}`" for n in sorted(names))


def _describe(p: RecordPolicy, visible: frozenset[str], relation: Relation) -> str:
    every = frozenset(p.field_names())
    restricted = frozenset(p.sensitivity())
    if not visible:
        return "—"
    if relation is Relation.SHARED:
        if p.minimum is not None and visible <= p.minimum | META_FIELDS:
            return "the shared part, at most the minimum"
        return "the shared part" + (", but restricted" if visible == every - restricted and restricted else "")
    if visible == every:
        return "all"
    if visible == every - restricted:
        return "all but restricted"
    if p.minimum is not None and visible == p.minimum:
        return "the minimum"
    return _fields(visible - META_FIELDS)


def _writes(p: RecordPolicy, role: Role) -> str:
    names = p.writable(role)
    if not names:
        return "—"
    every = frozenset(p.field_names())
    prefix = "updates only: " if not p.clients_create else ""
    if names == every:
        return prefix + "all"
    if names == every - frozenset(p.sensitivity()):
        return prefix + "all but restricted"
    return prefix + _fields(names - META_FIELDS)


def _rules(p: RecordPolicy) -> list[str]:
    out = []
    restricted = p.sensitivity()
    if restricted:
        out.append(
            "Restricted fields: " + ", ".join(f"`{n}` ({s.label.lower()})" for n, s in sorted(restricted.items()))
        )
    if p.safety_critical():
        out.append(
            "Safety-critical (on a conflict the server's value stays, the incoming one waits for review): "
            + _fields(set(p.safety_critical()))
        )
    if p.append_only:
        out.append("Append-only: never changed or deleted once saved; a correction is a new record.")
    for link in p.links:
        out.append(f"`{link.field}` names {POLICIES[link.table].label}: the writing team must {link.must.label}.")
    if p.together:
        first, second = p.together.fields
        out.append(
            f"`{first}` and `{second}` must appear together on one of the writing team's "
            f"{POLICIES[p.together.table].label} (a live record with the same two values)."
        )
    if p.addressed:
        a = p.addressed
        out.append(
            f"Sent to the team in `{a.field}` once it leaves draft; that team must differ from the sender and be of a "
            f"kind that receives the agency in `{a.agency_field}`. The sender sets `{a.status_field}` only to "
            + ", ".join(sorted(a.sender_statuses))
            + f"; once sent, {_fields(set(a.fixed_once_sent))} are fixed."
        )
    if p.transfers:
        tr = p.transfers
        out.append(
            f"Moves the young person in `{p.person_field}` to the team in `{tr.to_field}`: proposed by the team that "
            "owns them ("
            + ", ".join(r.label.lower() for r in sorted(tr.proposer_roles))
            + " only); only the receiving team ("
            + ", ".join(r.label.lower() for r in sorted(tr.answer_roles))
            + f") sets `{tr.status_field}` to {tr.accepted} or {tr.declined} (with "
            f"`{tr.reason_field}`), in their own name, writing only {_fields(set(tr.answer_fields))}; the sending team "
            f"may set it to {tr.withdrawn} while {tr.proposed}, and nothing else changes. On acceptance the service "
            f"makes the young person and their records of the tables in `{tr.goes_field}` (of "
            f"{_fields(set(tr.can_go))}, with what hangs from them) the receiving team's; the sending team keeps "
            f"{_fields(set(tr.keeps) - META_FIELDS)} of the young person."
        )
    for share in p.shares:
        to = "the receiving team" if share.to == "addressed" else "the writer's own team"
        pre = (
            "the writing team owns the young person (or already sees all of them)"
            if share.writer_must == "whole"
            else "the writing team already sees the young person"
        )
        extra = f" plus the fields listed in `{share.extra_field}` that the writer may see" if share.extra_field else ""
        while_ = (
            f", while `{share.status_field}` is " + ", ".join(sorted(share.active_statuses))
            if share.active_statuses
            else ""
        )
        out.append(
            f"Shares the young person in `{share.person_field}` with {to} ({share.source}): the minimum{extra}, "
            f"only if {pre}{while_}; it ends when that stops being so or the record is deleted."
        )
    if p.steps:
        s = p.steps
        out.append(
            f"A step of {POLICIES[s.parent.table].label}: from either end; steps that move its status "
            "(" + ", ".join(sorted(a for a, r in s.results.items() if r)) + ") only from the receiving team."
        )
    if p.sign_off:
        so = p.sign_off
        out.append(
            f"Signing off (`{so.status_field}` "
            + ", ".join(sorted(so.statuses))
            + "): "
            + ", ".join(r.label.lower() for r in sorted(so.roles))
            + f" only, never someone listed in `{so.not_by_field}`."
        )
        if so.locked:
            amend = (
                f" or an amendment: only {_fields(set(so.amendable))}, with a reason in `{so.comment_field}`, and "
                f"`{so.status_field}` back to {so.reopen} (waiting for sign-off again)"
                if so.reopen
                else ""
            )
            out.append(
                f"Locked once `{so.status_field}` is " + ", ".join(sorted(so.locked)) + ": deleted by no one, and "
                "changed only by the sign-off itself" + amend + "."
            )
    if p.locked_with:
        link = next(link for link in p.links if link.field == p.locked_with)
        out.append(
            f"Fixed while the {POLICIES[link.table].label.removesuffix('s')} in `{link.field}` is signed off: "
            "none added to it, moved on or off it, changed or deleted."
        )
    if p.writer:
        wb = p.writer
        out.append(
            f"Written only in the pushing user's name ({_fields(set(wb.user_fields))}"
            + ("" if p.clients_create else ", whenever an update sets it")
            + ")."
        )
        if wb.chain:
            out.append(
                f"Chained per laptop (`{wb.chain.device_field}`): each entry must follow the service's own view of "
                "that chain's newest entry, and a chain belongs to one user."
            )
    if p.private_flag:
        kinds = " or ".join(TeamKind(k).label for k in sorted(p.private_kinds))
        out.append(f"With `{p.private_flag}` set: written only by the {kinds} and never leaves the team that wrote it.")
    if p.erases:
        out.append(
            "Erases or anonymises a young person: only "
            + ", ".join(r.label.lower() for r in sorted(p.erases.roles))
            + " of the team that owns them, and only for a young person's id; what other teams own about the person "
            "becomes an erasure review for their supervisors."
        )
    if p.kept_on_erasure:
        out.append("Kept when a young person is erased (holds no personal data).")
    elif p.anonymised_keeps is not None:
        out.append("Anonymising keeps " + _fields(set(p.anonymised_keeps)) + "; erasing removes it.")
    if not p.clients_create:
        out.append("Made by the service, never by a laptop, and never deleted from one.")
    if p.closed_when:
        out.append(f"Closed once `{p.closed_when[0]}` is `{p.closed_when[1]}`: no further change or deletion.")
    return out


def render() -> str:
    lines = [HEADER]
    for table in sorted(POLICIES):
        p = POLICIES[table]
        relations = p.relations()
        lines.append(f"## {p.title} (`{table}`)\n")
        lines.append("| role | writes (own team) | " + " | ".join(f"reads: {r.value}" for r in relations) + " |")
        lines.append("|---|---|" + "---|" * len(relations))
        for role in ROLES:
            cells = [_describe(p, p.readable(role, r), r) for r in relations]
            lines.append(f"| {role.label} | {_writes(p, role)} | " + " | ".join(cells) + " |")
        lines.append("")
        lines.extend(f"- {rule}" for rule in _rules(p))
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
