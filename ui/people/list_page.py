"""Young people: search as you type, filters, and a lazily loaded list that copes with 100,000 rows."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, shortcut, title
from ui.labels import rag_colour, rag_short, uk_date
from ui.lazy_model import Column, LazyTableModel, lazy_table_view
from ui.search import DebouncedSearch
from ui.theme import chars
from ui.workers import Workers
from youthwork.domain.vocab import RiskIndicator, Role
from youthwork.services.people import PeopleFilter, PersonRow
from youthwork.store.settings import ROLE, WORKER_NAMES

log = logging.getLogger(__name__)

PAGE_SIZE = 200
# No fixed pause before searching: ui.search runs the newest text as soon as the previous query returns.
SEARCH_PAUSE_MS = 0
COUNT_PAUSE_MS = 400


def _name(row: PersonRow) -> str:
    return f"{row.display_name}  (details to complete)" if row.incomplete else row.display_name


PEOPLE_COLUMNS = [
    Column("Name", _name),
    Column("Age", lambda r: "" if r.age is None else str(r.age)),
    Column("Area / estate", lambda r: r.area),
    Column("RAG", lambda r: rag_short(r.rag), foreground=lambda r: rag_colour(r.rag)),
    # Police NFAs (criminal-offence data, kept in step by the NFA service); three or more call for a joint visit.
    Column(
        "NFAs",
        lambda r: str(r.nfa_count) if r.nfa_count else "",
        tooltip=lambda r: "A joint home visit with the police is due" if r.nfa_count >= 3 else "",
        foreground=lambda r: rag_colour("red") if r.nfa_count >= 3 else None,
    ),
    Column("Last seen", lambda r: uk_date(r.last_seen)),
    Column("Lead worker", lambda r: r.lead_worker),
    Column("Status", lambda r: "Active" if r.active else "Inactive"),
]


class PeopleListPage(QWidget):
    open_person = Signal(str)
    add_person = Signal()

    def hand_over(self) -> None:
        from ui.people.handover_dialog import HandoverDialog

        dialog = HandoverDialog(self.backend, self)
        dialog.accepted.connect(lambda: self._handed_over(dialog.moved or 0))
        dialog.open()  # window-modal, not a nested event loop

    def _handed_over(self, moved: int) -> None:
        self.refresh(now=True)
        self.handover_button.setFocus()
        log.info("caseload handed over from the people list: %d", moved)

    def __init__(self, backend: Backend, workers: Workers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.workers = workers
        lay = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(title("Young people"))
        top.addStretch(1)
        self.add_button = button("&Add a young person", "Ctrl+N", primary=True)
        # Importing a service's sheets is staff work: a partner's account writes too little of a record for it.
        self.import_button = button("&Import a sheet…")
        # A supervisor hands a leaver's young people to a colleague in one step.
        self.handover_button = button("&Hand over a caseload…")
        top.addWidget(self.handover_button)
        top.addWidget(self.import_button)
        top.addWidget(self.add_button)
        lay.addLayout(top)
        if (backend.setting(ROLE) or "") == Role.PARTNER:
            self.import_button.hide()
        if (backend.setting(ROLE) or "") != Role.SUPERVISOR:
            self.handover_button.hide()
        self.handover_button.clicked.connect(self.hand_over)

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search by first name, nickname, surname, estate or postcode  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search young people")
        lay.addWidget(self.search)

        filters = QHBoxLayout()
        self.area = QComboBox()
        self.area.setEditable(False)
        self.rag = QComboBox()
        for text, value in (("Any RAG", None), ("Red", "red"), ("Amber", "amber"), ("Green", "green")):
            self.rag.addItem(text, value)
        self.lead = QComboBox()
        self.lead.addItem("Any lead worker", None)
        self.lead.addItem("I am lead worker", "me")
        me = backend.profile.user_id
        names = backend.setting(WORKER_NAMES) or {}  # the team's workers, as synced from the service
        for worker_id, name in sorted(names.items(), key=lambda kv: str(kv[1]).lower()):
            if worker_id != me:
                self.lead.addItem(str(name), worker_id)
        self.risk = QComboBox()
        self.risk.addItem("Any risk indicator", None)
        for value, label in RiskIndicator.choices():
            self.risk.addItem(label, value)
        self.active = QComboBox()
        for text, active in (("Active", True), ("Inactive", False), ("Active and inactive", None)):
            self.active.addItem(text, active)
        for caption, combo in (
            ("A&rea", self.area),
            ("RA&G", self.rag),
            ("Lea&d", self.lead),
            ("Ris&k", self.risk),
            ("Stat&us", self.active),
        ):
            caption_label = QLabel(caption)
            caption_label.setBuddy(combo)
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(8)
            filters.addWidget(caption_label)
            filters.addWidget(combo, 1)
        lay.addLayout(filters)

        self.model = LazyTableModel(PEOPLE_COLUMNS, PAGE_SIZE, self)
        self.table = lazy_table_view(self.model, "Young people")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for col, width in ((1, 6), (2, 21), (3, 9), (4, 6), (5, 14), (6, 18), (7, 11)):
            # Never narrower than the title: the style's own measure, which allows for the bold it draws titles in
            # when a whole row is selected, and for its margins (a width in characters alone clipped "NFAs").
            header.resizeSection(col, max(chars(self, width), header.sectionSizeFromContents(col).width()))
        lay.addWidget(self.table, 1)

        self.count_label = hint("")
        lay.addWidget(self.count_label)

        self.shown_filters: PeopleFilter | None = None
        self.counter = Workers(self)  # its own thread and connection: a slow count never delays a search
        self._count_timer = QTimer(self)
        self._count_timer.setSingleShot(True)
        self._count_timer.setInterval(COUNT_PAUSE_MS)
        self._count_timer.timeout.connect(self._count)
        self.searcher = DebouncedSearch(workers, self._run_query, SEARCH_PAUSE_MS, self)
        self.searcher.results.connect(self._show_results)
        self.searcher.failed.connect(self.count_label.setText)
        self.search.textChanged.connect(lambda _t: self.refresh())
        for combo in (self.area, self.rag, self.lead, self.risk, self.active):
            combo.currentIndexChanged.connect(lambda _i: self.refresh(now=True))
        self.search.returnPressed.connect(self._open_first)
        self.table.activated.connect(self._open_index)
        self.add_button.clicked.connect(self.add_person)
        self.import_button.clicked.connect(self.open_import)
        shortcut(self, "Ctrl+F", self.focus_search)
        # Down from the search box goes to the list; Enter there opens the highlighted young person.
        self.search.installEventFilter(self)

    def open_import(self) -> None:
        from ui.importing.dialog import ImportDialog

        self.import_dialog = ImportDialog(self.backend, self)
        self.import_dialog.finished.connect(lambda _r: self.refresh(now=True))
        self.import_dialog.open()

    # Queries -------------------------------------------------------------------------------------------------------

    def filters(self) -> PeopleFilter:
        lead = self.lead.currentData()
        return PeopleFilter(
            text=self.search.text().strip(),
            area=self.area.currentData() or None,
            rag=self.rag.currentData(),
            lead_worker_id=self.backend.profile.user_id if lead == "me" else lead,
            risk_indicator=self.risk.currentData(),
            active=self.active.currentData(),
        )

    def _run_query(self, filters: PeopleFilter) -> list[PersonRow]:
        """Runs on a worker thread: the first page. The total follows once the typing pauses (see `_count`)."""
        return self.backend.background_people.page(filters, 0, PAGE_SIZE)

    def refresh(self, now: bool = False) -> None:
        self._count_timer.stop()
        self.searcher.request(self.filters(), now=now)

    def load_areas(self) -> None:
        """Fill the area filter off the UI thread (it reads every estate on record)."""
        self.workers.submit(self.backend.areas, self._fill_areas, failure_message="Could not list the areas.")

    def _fill_areas(self, areas: list[str]) -> None:
        current = self.area.currentData()
        self.area.blockSignals(True)
        self.area.clear()
        self.area.addItem("Any area", None)
        for name in areas:
            self.area.addItem(name, name)
        self.area.setCurrentIndex(max(0, self.area.findData(current)))
        self.area.blockSignals(False)

    def _show_results(self, filters: PeopleFilter, rows: list[PersonRow]) -> None:
        people = self.backend.people

        def loader(offset: int, limit: int) -> list[Any]:
            return people.page(filters, offset, limit)

        current = self.table.currentIndex()
        reload = filters == self.shown_filters  # the same search again (after a save, a sync), not a new one
        was = self.model.row_at(current.row()).id if reload and current.isValid() else None
        self.model.reset(loader, rows)
        self.shown_filters = filters
        if rows:
            # The same young person stays highlighted when the list reloads; a new search highlights its best match.
            row = next((i for i, r in enumerate(rows) if r.id == was), 0)
            self.table.setCurrentIndex(self.model.index(row, max(0, current.column())))
        if len(rows) < PAGE_SIZE:
            self._show_count(filters, len(rows))
        else:
            # Counting thousands of matches costs more than the page itself: wait for a pause in the typing.
            self.count_label.setText(f"More than {PAGE_SIZE} young people: counting…")
            self._count_timer.start()

    def _count(self) -> None:
        filters = self.shown_filters
        self.counter.submit(
            lambda: (filters, self.backend.counting_people.count(filters)),
            self._counted,
            failure_message="Could not count the young people.",
        )

    def _counted(self, payload: tuple[PeopleFilter, int]) -> None:
        filters, total = payload
        if filters is self.shown_filters and not self.searcher.waiting:
            self._show_count(filters, total)

    def _show_count(self, filters: PeopleFilter, total: int) -> None:
        if total == 0:
            self.count_label.setText(
                "No young people match. Check the spelling, try a nickname, or add them with Ctrl+N."
            )
        else:
            self.count_label.setText(f"{total:,} young {'person' if total == 1 else 'people'}")

    # Keyboard ------------------------------------------------------------------------------------------------------

    def focus_first(self) -> None:
        self.focus_search()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def eventFilter(self, watched, event) -> bool:
        if watched is self.search and event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Down:
            self.table.setFocus()
            if not self.table.currentIndex().isValid() and self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(0, 0))
            return True
        return super().eventFilter(watched, event)

    def _open_first(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount():
            index = self.model.index(0, 0)
        if index.isValid():
            self._open_index(index)

    def _open_index(self, index: QModelIndex) -> None:
        row = self.model.row_at(index.row())
        self.open_person.emit(row.id)
