"""The Sync page: connect the laptop (server address, username, password), see the sync state, sync on demand
(Ctrl+Shift+S anywhere), settle conflicts by choosing between both values, and see changes the server refused."""

from __future__ import annotations

import json
import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.backend import Backend
from ui.forms import button, hint, shortcut, title
from ui.sync.controller import SyncController, SyncStatus
from ui.theme import chars
from youthwork.store.settings import DISPLAY_NAME, ROLE, SERVER_URL, TEAM_NAME
from youthwork.sync import device
from youthwork.sync.conflicts import ConflictView
from youthwork.sync.engine import rejections

log = logging.getLogger(__name__)

SYNC_KEYS = "Ctrl+Shift+S"


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class SyncArea(QWidget):
    status_text = Signal(str, str)  # for the status bar: text, tooltip
    wiped = Signal(str)
    lease_locked = Signal(bool)

    def __init__(self, backend: Backend, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.backend = backend
        self.controller = SyncController(backend.profile, self)
        self.views: list[ConflictView] = []

        lay = QVBoxLayout(self)
        lay.addWidget(title("Sync"))
        self.lease_banner = hint("")
        self.lease_banner.setObjectName("warning")
        self.lease_banner.hide()
        lay.addWidget(self.lease_banner)

        # Connecting the laptop.
        self.enrol_box = QGroupBox("Connect this laptop to your team's youthwork server")
        form = QFormLayout(self.enrol_box)
        self.server = QLineEdit()
        self.server.setPlaceholderText("https://youthwork.example.org.uk")
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        for w in (self.server, self.username, self.password):
            w.setMinimumWidth(chars(w, 40))
        form.addRow("Server address", self.server)
        form.addRow("Username", self.username)
        form.addRow("Password", self.password)
        self.connect_button = button("Connect", primary=True)
        self.connect_button.clicked.connect(self.connect_laptop)
        self.password.returnPressed.connect(self.connect_laptop)
        form.addRow("", self.connect_button)
        self.enrol_message = hint("")
        form.addRow("", self.enrol_message)
        lay.addWidget(self.enrol_box)

        # The state, and syncing now.
        self.state_box = QGroupBox("This laptop")
        state = QVBoxLayout(self.state_box)
        self.who = QLabel()
        self.who.setWordWrap(True)
        self.credential = hint("")
        self.state_line = QLabel()
        self.state_line.setWordWrap(True)
        self.detail = hint("")
        row = QHBoxLayout()
        self.sync_button = button("Sync now", primary=True)
        self.sync_button.setToolTip(f"Sync now ({SYNC_KEYS}, from anywhere in the app)")
        self.sync_button.setText(f"Sync now  ({SYNC_KEYS})")
        self.sync_button.clicked.connect(self.controller.sync_now)
        row.addWidget(self.sync_button)
        row.addStretch(1)
        for line in (self.who, self.credential, self.state_line, self.detail):
            state.addWidget(line)
        state.addLayout(row)
        lay.addWidget(self.state_box)

        # Conflicts: both values, and a choice.
        self.conflicts_box = QGroupBox("Conflicts to review")
        cbox = QVBoxLayout(self.conflicts_box)
        cbox.addWidget(
            hint(
                "Two people changed the same thing before syncing. Choose which value to keep: the choice is "
                "saved as a new edit and synced to everyone. RAG ratings and other safety-critical details keep "
                "the server's value until someone chooses."
            )
        )
        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Conflicts to review")
        self.table.setHorizontalHeaderLabels(["Record", "Detail", "Server's value", "Other value", "Now"])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        cbox.addWidget(self.table)
        buttons = QHBoxLayout()
        self.keep_server = button("Keep the server's value")
        self.keep_other = button("Keep the other value")
        self.refresh_button = button("Refresh list")
        self.keep_server.clicked.connect(lambda: self.choose("server"))
        self.keep_other.clicked.connect(lambda: self.choose("incoming"))
        self.refresh_button.clicked.connect(self.controller.load_conflicts)
        for b in (self.keep_server, self.keep_other, self.refresh_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        cbox.addLayout(buttons)
        self.conflict_message = hint("")
        cbox.addWidget(self.conflict_message)
        lay.addWidget(self.conflicts_box, 1)

        self.rejected_box = QGroupBox("Changes the server did not accept")
        rbox = QVBoxLayout(self.rejected_box)
        self.rejected = QListWidget()
        rbox.addWidget(self.rejected)
        lay.addWidget(self.rejected_box)

        self.controller.status_changed.connect(self._status)
        self.controller.enrolled.connect(self._enrolled)
        self.controller.enrol_failed.connect(self._enrol_failed)
        self.controller.conflicts_loaded.connect(self._conflicts)
        self.controller.problem.connect(self.detail.setText)
        self.controller.wiped.connect(self.wiped)
        self.controller.changed.connect(backend.announce)  # what a cycle sent and received, to every open area
        self._show_enrolment()
        self.controller.refresh_status()

    # ---- wiring into the workspace and window -------------------------------------------------------------------

    def attach(self, workspace: Any, window: Any) -> None:
        """Feed the window's status bar; sync on Ctrl+Shift+S from any area; lock the other areas while the lease has
        run out; lock on a wipe."""
        # On the workspace, which is on screen in every area (a shortcut on this page works only while it shows).
        shortcut(workspace, SYNC_KEYS, self.controller.sync_now, Qt.ShortcutContext.WindowShortcut)
        setter = getattr(window, "set_sync_state", None)
        if setter is not None:
            self.status_text.connect(setter)
            self.status_text.emit(*self.controller.status.text())
        self.lease_locked.connect(lambda locked: self._apply_lease(workspace, locked))
        # While locked, any way into another area (a shortcut, restoring drafts) comes back here.
        workspace.nav.currentRowChanged.connect(lambda _row: self._keep_on_sync(workspace))
        lock = getattr(window, "lock", None)
        if lock is not None:
            self.wiped.connect(lambda _message: lock())
        self._apply_lease(workspace, self.controller.status.lease_locked)
        self.controller.start()

    def _keep_on_sync(self, workspace: Any) -> None:
        if self.controller.status.lease_locked and workspace.current_area != "sync":
            workspace.go("sync")

    def _apply_lease(self, workspace: Any, locked: bool) -> None:
        nav = workspace.nav
        for i in range(nav.count()):
            item = nav.item(i)
            if item.data(Qt.ItemDataRole.UserRole) != "sync":
                flags = item.flags()
                on = Qt.ItemFlag.ItemIsEnabled
                item.setFlags(flags & ~on if locked else flags | on)
        if locked:
            workspace.go("sync")

    def shutdown(self) -> None:
        self.controller.shutdown()

    def focus_first(self) -> None:
        (self.server if self.enrol_box.isVisible() else self.sync_button).setFocus()

    # ---- actions ------------------------------------------------------------------------------------------------

    def connect_laptop(self) -> None:
        server, user, password = self.server.text().strip(), self.username.text().strip(), self.password.text()
        if not (server and user and password):
            self.enrol_message.setText("Enter the server address, your username and your password.")
            return
        self.connect_button.setEnabled(False)
        self.enrol_message.setText("Connecting…")
        self.controller.enrol(server, user, password)

    def choose(self, chosen: str) -> None:
        row = self.table.currentRow()
        if row < 0 or row >= len(self.views):
            self.conflict_message.setText("Choose a conflict in the list first.")
            return
        self.conflict_message.setText("Saving your choice…")
        self.controller.resolve(self.views[row].item, chosen)

    # ---- results ------------------------------------------------------------------------------------------------

    def _show_enrolment(self) -> None:
        enrolled = device.is_enrolled(self.backend.profile)
        self.enrol_box.setVisible(not enrolled)
        for box in (self.state_box, self.conflicts_box, self.rejected_box):
            box.setVisible(enrolled)
        if enrolled:
            p = self.backend.profile
            self.who.setText(
                f"Connected to {p.get_setting(SERVER_URL)} as {p.get_setting(DISPLAY_NAME)} "
                f"({p.get_setting(ROLE)}, {p.get_setting(TEAM_NAME)})."
            )
            self.credential.setText(f"The sign-in for sync is {device.credential_where(p)}. {device.FULL_DISK_NOTICE}")

    def _enrolled(self, result: device.Enrolment) -> None:
        self.password.clear()
        self.connect_button.setEnabled(True)
        self.enrol_message.setText("")
        self._show_enrolment()
        self.credential.setText(
            f"Connected. The sign-in for sync is {result.credential_where}. {device.FULL_DISK_NOTICE}"
        )
        self.controller.load_conflicts()

    def _enrol_failed(self, message: str) -> None:
        self.connect_button.setEnabled(True)
        self.enrol_message.setText(message)

    def _status(self, status: SyncStatus) -> None:
        text, tip = status.text()
        self.state_line.setText(text)
        self.state_line.setToolTip(tip)
        self.detail.setText(status.message)
        self.sync_button.setEnabled(status.enrolled and not status.running)
        self.lease_banner.setVisible(status.lease_locked)
        if status.lease_locked:
            self.lease_banner.setText(device.lease_message(self.backend.profile))
        self.lease_locked.emit(status.lease_locked)
        self.status_text.emit(text, tip)
        self._show_rejections()

    def _show_rejections(self) -> None:
        items = rejections(self.backend.profile)
        self.rejected_box.setVisible(bool(items) and device.is_enrolled(self.backend.profile))
        self.rejected.clear()
        for r in items:
            self.rejected.addItem(f"{r.table.replace('_', ' ')} {r.record_id[:8]}: {r.reason}")

    def _conflicts(self, views: list[ConflictView]) -> None:
        self.views = views
        self.table.setRowCount(len(views))
        for row, v in enumerate(views):
            now = "waiting for review" if v.waiting_for_review else "other value stands"
            cells = [v.record_label, v.field_label, _shown(v.item.server_value), _shown(v.item.incoming_value), now]
            for col, text in enumerate(cells):
                self.table.setItem(row, col, QTableWidgetItem(text))
        self.conflict_message.setText("" if views else "No conflicts to review.")
        if views:
            self.table.selectRow(0)
