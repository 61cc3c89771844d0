"""A young person's referrals, on their profile, and every share of their information (what, with whom, when, why)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, section
from ui.labels import label_of, uk_date, uk_datetime
from ui.plans.links import follow
from ui.referrals.area import referral_table
from ui.referrals.detail import status_text
from ui.referrals.disclosure_dialog import DisclosureDialog
from youthwork.domain.disclosures import DisclosureKind
from youthwork.domain.vocab import LawfulBasis
from youthwork.services.referrals import SHAREABLE_FIELDS

_FIELD_LABELS = {
    **dict(SHAREABLE_FIELDS),
    "first_name": "first name",
    "known_as": "known as",
    "area": "area",
    "reason": "reason",
    "risk_indicators": "risk indicators",
}


class PersonReferralsTab(QWidget):
    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.person_id: str | None = None
        lay = QVBoxLayout(self)
        self.table = referral_table(["To", "Sent", "Status"], "Referrals")
        self.table.itemActivated.connect(
            lambda item: follow(self, "open_referral", item.data(Qt.ItemDataRole.UserRole))
        )
        lay.addWidget(self.table, 2)
        row = QHBoxLayout()
        row.addStretch(1)
        # A receiving team (TYS, IGT) records referrals that reached it from a school, the police or a parent.
        self.incoming_button = button("Referral in from o&utside…")
        self.incoming_button.clicked.connect(lambda: self.person_id and follow(self, "new_incoming", self.person_id))
        row.addWidget(self.incoming_button)
        self.new_button = button("Refer…", "Ctrl+N")  # live while this tab shows, as Ctrl+N is on a list
        self.new_button.clicked.connect(lambda: self.person_id and follow(self, "new_referral", self.person_id))
        row.addWidget(self.new_button)
        lay.addLayout(row)
        shared_row = QHBoxLayout()
        shared_row.addWidget(section("Information shared about them"))
        shared_row.addStretch(1)
        # A share outside a referral: an information request answered, a court order, a safeguarding share.
        self.disclose_button = button("Information &given without a referral…")
        self.disclose_button.clicked.connect(self.record_disclosure)
        shared_row.addWidget(self.disclose_button)
        lay.addLayout(shared_row)
        self.shares = referral_table(["When", "With", "Basis", "What"], "Information shared")
        lay.addWidget(self.shares, 1)

    def record_disclosure(self) -> None:
        if not self.person_id:
            return
        dialog = DisclosureDialog(self.backend, self.person_id, self)
        if dialog.exec() and self.person_id:
            self.show_for(self.person_id)

    def show_for(self, person_id: str) -> int:
        self.person_id = person_id
        self.incoming_button.setVisible(self.backend.referrals.receives_referrals())
        views = self.backend.referrals.for_person(person_id)
        self.table.setRowCount(len(views))
        for r, v in enumerate(views):
            for c, text in enumerate([v.agency_label, uk_date(v.referral.sent_at), status_text(v)]):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, v.referral.id)
                self.table.setItem(r, c, item)
        self.table.resizeColumnToContents(0)
        shares = self.backend.referrals.shares(person_id)
        disclosures = self.backend.disclosures.for_person(person_id)
        self.shares.setRowCount(len(shares) + len(disclosures))
        for r, s in enumerate(shares):
            what = ", ".join(_FIELD_LABELS.get(f, f).lower() for f in s.shared_fields)
            cells = [
                uk_datetime(s.shared_at),
                s.with_agency_name or s.with_agency,
                label_of(LawfulBasis, s.lawful_basis),
            ]
            for c, text in enumerate([*cells, what]):
                self.shares.setItem(r, c, QTableWidgetItem(text))
        for r, d in enumerate(disclosures, start=len(shares)):
            what = f"{label_of(DisclosureKind, d.kind)}: {d.what} (approved by {d.approved_by})"
            cells = [uk_date(d.disclosed_on), d.to_agency_name or d.to_agency, label_of(LawfulBasis, d.lawful_basis)]
            for c, text in enumerate([*cells, what]):
                self.shares.setItem(r, c, QTableWidgetItem(text))
        self.shares.resizeColumnsToContents()
        return len(views)
