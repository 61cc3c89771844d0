"""The board pack's change and family measures from the laptop's store: the loaders for the pure functions in
youthwork.domain.figures.change (the service feeds the same functions from its records).

Change over a period from the dated circumstances: how many young people were NEET, excluded, in alternative
provision, looked after, or on a child in need or protection plan on the first day and on the last, and who became
so or stopped being so; brothers and sisters of young people who offend; transitions at 18. Every figure carries its
young people's ids.
"""

from __future__ import annotations

import json
import logging

from youthwork.domain.circumstances import CircumstanceChange
from youthwork.domain.family import BETWEEN_YOUNG_PEOPLE
from youthwork.domain.figures import Figure, RagRow
from youthwork.domain.figures.board import not_recorded_figure
from youthwork.domain.figures.change import (
    MEASURED,
    TURNED_18,
    LinkRow,
    NfaRow,
    TransitionPerson,
    TransitionReferral,
    born_between,
    change_figures,
    siblings_figure,
    transition_figures,
)
from youthwork.domain.weeks import Period
from youthwork.reports.weekly import has_table
from youthwork.store.database import Database
from youthwork.store.rowcodec import codec_for

log = logging.getLogger(__name__)

__all__ = ["MEASURED", "change_figures", "circumstance_measures", "load_changes", "siblings_of_offending"]


def load_changes(db: Database, team_id: str | None = None) -> dict[str, list[CircumstanceChange]]:
    """Every dated change, by young person (the team's, when given)."""
    codec = codec_for(CircumstanceChange)
    sql = "SELECT * FROM circumstance_changes" + (" WHERE team_id = ?" if team_id else "")
    out: dict[str, list[CircumstanceChange]] = {}
    for row in db.query(sql, (team_id,) if team_id else ()):
        change: CircumstanceChange = codec.from_row(row)  # type: ignore[assignment]
        out.setdefault(change.person_id, []).append(change)
    return out


def circumstance_measures(db: Database, period: Period, team_id: str | None = None) -> list[Figure]:
    return change_figures(load_changes(db, team_id), period)


def siblings_of_offending(db: Database, period: Period, team_id: str | None = None) -> Figure:
    """Brothers and sisters (linked on the Family tab) of young people who offend (a police NFA by the period's last
    day, or rated red at its end). Only whether a linked young person offends can change the figure, so the NFAs and
    ratings read are theirs alone."""
    team = " AND team_id = ?" if team_id else ""
    params: tuple[str, ...] = (team_id,) if team_id else ()
    kinds = tuple(sorted(BETWEEN_YOUNG_PEOPLE))
    links = [
        LinkRow.from_wire(dict(r))
        for r in db.query(
            "SELECT person_id, other_person_id, relation FROM relationships"
            f" WHERE other_person_id != '' AND relation IN ({','.join('?' * len(kinds))}){team}",
            (*kinds, *params),
        )
    ]
    linked = json.dumps(sorted({pid for link in links for pid in (link.person_id, link.other_person_id)}))
    nfa = [
        NfaRow.from_wire(dict(r))
        for r in db.query(
            "SELECT person_id, notified_on FROM nfa_notifications WHERE notified_on <= ?"
            f" AND person_id IN (SELECT value FROM json_each(?)){team}",
            (period.last.isoformat(), linked, *params),
        )
    ]
    rag = [
        RagRow.from_wire(dict(r))
        for r in db.query(
            "SELECT id, team_id, person_id, rating, set_at FROM rag_ratings"
            f" WHERE person_id IN (SELECT value FROM json_each(?)){team}",
            (linked, *params),
        )
    ]
    return siblings_figure(period, nfa, rag, links)


def transition_measures(db: Database, period: Period, team_id: str | None = None) -> list[Figure]:
    """Young people who turned 18 in the period and were red or amber or open to TYS, and of them those whose
    handover to the transitions service was sent before their birthday."""
    if not has_table(db, "referrals") or "kind" not in {r[1] for r in db.query("PRAGMA table_info(referrals)")}:
        return [not_recorded_figure("turned_18", TURNED_18, "no referrals")]
    lo, hi = born_between(period)
    team = " AND team_id = ?" if team_id else ""
    params: tuple[str, ...] = (team_id,) if team_id else ()
    people = [
        TransitionPerson.from_wire(dict(r))
        for r in db.query(
            f"SELECT id, date_of_birth, rag FROM people WHERE date_of_birth >= ? AND date_of_birth <= ?{team}",
            (lo.isoformat(), hi.isoformat(), *params),
        )
    ]
    referrals = [
        TransitionReferral.from_wire(dict(r))
        for r in db.query(
            "SELECT person_id, to_agency, kind, status, sent_at FROM referrals"
            f" WHERE person_id IN (SELECT value FROM json_each(?)) AND status != 'draft'{team}",
            (json.dumps([p.id for p in people]), *params),
        )
    ]
    return transition_figures(period, people, referrals)
