"""The one top-level window: the gate (first run, unlock), the blank quick-hide cover, and the workspace.

Locking closes the profile (the key leaves memory) after saving whatever was being typed as a draft; unlocking
opens it again and puts the drafts back where they were.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QRect, QSize, Qt, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMainWindow, QStackedWidget, QWidget

from ui.backend import IDLE_SETTING, Backend, profile_exists
from ui.gate import FirstRunPage, NewPassphrasePage, RecoveryKeyPage, UnlockPage
from ui.idle import DEFAULT_IDLE_MINUTES, IdleWatcher
from ui.theme import em
from ui.workspace import Workspace

log = logging.getLogger(__name__)

APP_TITLE = "youthwork"
QUICK_HIDE_KEYS = ("F12", "Ctrl+Shift+H")
LOCK_KEYS = "Ctrl+L"


class BlankCover(QWidget):
    """What the quick-hide key shows: nothing at all. Any key or click goes on to the unlock screen."""

    def __init__(self, window: AppWindow) -> None:
        super().__init__(window)
        self.setObjectName("blank")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._window = window

    def keyPressEvent(self, event) -> None:
        self._window.show_unlock()

    def mousePressEvent(self, event) -> None:
        self._window.show_unlock()


class AppWindow(QMainWindow):
    def __init__(self, directory: Path, idle_minutes: float | None = None, demo_passphrase: str = "") -> None:
        super().__init__()
        self.directory = Path(directory)
        self.demo_passphrase = demo_passphrase
        self.backend: Backend | None = None
        self.workspace: Workspace | None = None
        self._idle_override = idle_minutes
        self.setWindowTitle(APP_TITLE)
        self.fit_to_screen()

        self.stack = QStackedWidget()
        self.first_run = FirstRunPage(self.directory)
        self.recovery_key = RecoveryKeyPage()
        self.unlock = UnlockPage(self.directory)
        self.new_passphrase = NewPassphrasePage()
        self.blank = BlankCover(self)
        for page in (self.first_run, self.recovery_key, self.unlock, self.new_passphrase, self.blank):
            self.stack.addWidget(page)
        self.setCentralWidget(self.stack)

        self.first_run.created.connect(self._created)
        self.recovery_key.confirmed.connect(self._recovery_key_stored)
        self.unlock.unlocked.connect(self._unlocked)
        self.unlock.recovered.connect(self._recovered)
        self.new_passphrase.done.connect(self._passphrase_reset)

        # Status bar: profile, lock, sync.
        self.profile_label = QLabel()
        self.lock_label = QLabel()
        self.sync_label = QLabel()
        bar = self.statusBar()
        bar.addWidget(self.profile_label)
        bar.addWidget(self.lock_label, 1)
        bar.addPermanentWidget(self.sync_label)
        self.set_sync_state("Not set up to sync")

        self.idle = IdleWatcher(DEFAULT_IDLE_MINUTES, self)
        self.idle.idle.connect(self.lock)

        for keys in QUICK_HIDE_KEYS:
            sc = QShortcut(QKeySequence(keys), self)
            sc.setContext(Qt.ShortcutContext.ApplicationShortcut)
            sc.activated.connect(self.quick_hide)
        sc = QShortcut(QKeySequence(LOCK_KEYS), self)
        sc.setContext(Qt.ShortcutContext.ApplicationShortcut)
        sc.activated.connect(self.lock)

        self._pending_recovery_profile = None
        if profile_exists(self.directory):
            self.show_unlock()
        else:
            self._show(self.first_run)
            self._set_status_locked("No profile yet")

    # Public API ----------------------------------------------------------------------------------------------------

    def comfortable_size(self) -> QSize:
        """Room for the widest form and a list beside the navigation, from the font (so it scales on HiDPI)."""
        return QSize(em(self, 80), em(self, 46))

    def fit_to_screen(self, available: QRect | None = None) -> None:
        """Open maximised on a laptop's screen (1366×768 is common); on a larger one, three quarters of it, centred.

        `available` is the screen's area without task bars; the window's own screen by default."""
        if available is None:
            screen = self.screen() or QGuiApplication.primaryScreen()
            available = screen.availableGeometry()
        want = self.comfortable_size()
        if available.width() < want.width() * 1.2 or available.height() < want.height() * 1.2:
            self.resize(available.size())
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)
            return
        self.setWindowState(self.windowState() & ~Qt.WindowState.WindowMaximized)
        self.resize(want.expandedTo(available.size() * 0.75))
        self.move(available.center() - self.rect().center())

    @Slot(str)
    def set_sync_state(self, text: str, tooltip: str = "") -> None:
        """For the sync engine: e.g. "Synced 10:42 · 3 changes waiting" or "Offline"."""
        self.sync_label.setText(text)
        self.sync_label.setToolTip(tooltip)

    @property
    def locked(self) -> bool:
        return self.backend is None

    @Slot()
    def quick_hide(self) -> None:
        """Blank the window at once, then lock behind the blank."""
        self._close_other_windows()
        self.stack.setCurrentWidget(self.blank)
        self.setWindowTitle(" ")
        self.statusBar().hide()
        self.blank.setFocus()
        self.repaint()  # paint the blank before any saving happens
        self._lock_profile()

    @Slot()
    def lock(self) -> None:
        if self.backend is None:
            return
        self._close_other_windows()
        self._lock_profile()
        self.show_unlock()

    def show_unlock(self) -> None:
        if not profile_exists(self.directory):
            self._show(self.first_run)
            return
        if self._pending_recovery_profile is not None:
            self._show(self.recovery_key)  # quick-hidden while the recovery key was on screen
            return
        if self.new_passphrase.profile is not None:
            self._show(self.new_passphrase)  # quick-hidden while choosing a new passphrase
            return
        self.setWindowTitle(APP_TITLE)
        self.statusBar().show()
        self.unlock.reset(self._worker_name_hint())
        if self.demo_passphrase:
            self.unlock.who.setText(
                "Demo profile of invented young people. It starts afresh each time: nothing recorded here is kept. "
                f"The passphrase is: {self.demo_passphrase}"
            )
        self._show(self.unlock)
        self._set_status_locked("Locked")

    def shutdown(self) -> None:
        """Save drafts, join background work and close the store. Safe to call twice."""
        self._lock_profile()
        self.first_run.workers.join()
        self.unlock.workers.join()
        self.new_passphrase.workers.join()
        self.new_passphrase.discard()
        self.idle.detach()

    # Transitions ---------------------------------------------------------------------------------------------------

    def _show(self, page: QWidget) -> None:
        self.stack.setCurrentWidget(page)
        focus = getattr(page, "focus_first", None)
        if focus:
            focus()

    def _created(self, profile, recovery_key: str) -> None:
        self._pending_recovery_profile = profile
        self.recovery_key.show_key(recovery_key)
        if self.stack.currentWidget() is self.blank:
            return  # hidden while the key was being made: the key shows when the worker comes back
        self._show(self.recovery_key)

    def show_new_recovery_key(self, profile, recovery_key: str) -> None:
        """After a key change: the new recovery key once (with its tick), then the workspace, as after first run."""
        self._created(profile, recovery_key)

    def _recovery_key_stored(self) -> None:
        profile, self._pending_recovery_profile = self._pending_recovery_profile, None
        self._unlocked(profile)

    def _recovered(self, profile) -> None:
        """Opened with the recovery key: the forgotten passphrase is replaced before the workspace opens."""
        self.new_passphrase.start(profile)
        self._show(self.new_passphrase)
        self._set_status_locked("Choose a new passphrase")

    def _passphrase_reset(self, profile) -> None:
        if self.stack.currentWidget() is self.blank:
            profile.close()  # hidden while saving: the new passphrase is set, the worker unlocks with it
            return
        self._unlocked(profile)

    def _unlocked(self, profile) -> None:
        if self.stack.currentWidget() is self.blank:
            profile.close()  # hidden while the passphrase was being checked: stay hidden and locked
            return
        self.backend = Backend.for_profile(profile, self.directory)
        minutes = self._idle_override
        if minutes is None:
            minutes = float(self.backend.setting(IDLE_SETTING))
        self.idle.set_minutes(minutes)
        self.workspace = Workspace(self.backend, self)
        self.workspace.idle_minutes_changed.connect(self._idle_minutes_changed)
        self.stack.addWidget(self.workspace)
        self.stack.setCurrentWidget(self.workspace)
        self.workspace.restore_drafts()
        self.workspace.focus_current()
        self.idle.start()
        name = self.backend.worker_name
        self._last_worker_name = name
        self.profile_label.setText(f"Profile: {name}" if name else "")  # never the folder's name: it may name a person
        self.profile_label.setToolTip(str(self.directory))
        self._update_lock_label()

    def _idle_minutes_changed(self, minutes: float) -> None:
        self.idle.set_minutes(minutes)
        self.idle.start()
        self._update_lock_label()

    def _update_lock_label(self) -> None:
        minutes = self.idle.minutes
        shown = f"{minutes:g} minute" + ("" if minutes == 1 else "s")
        self.lock_label.setText(f"Unlocked · locks after {shown} idle · Ctrl+L to lock · F12 to hide the screen")

    def _set_status_locked(self, text: str) -> None:
        self.lock_label.setText(text)
        if self.backend is None:
            # Locked: nothing about whose profile this is (its folder may be named after the worker or the device).
            self.profile_label.setText("")
            self.profile_label.setToolTip("")

    def _worker_name_hint(self) -> str:
        return getattr(self, "_last_worker_name", "")

    def _close_other_windows(self) -> None:
        """Take every dialog, message box and pop-up an area opened off the screen before the window blanks.

        Dialogs are rejected through QDialog.done itself, not an area's own reject(), which might ask "discard
        changes?" and so put another window up; a blocking exec() returns Rejected as if the worker cancelled.
        """
        for widget in QApplication.topLevelWidgets():
            if widget is self or not widget.isVisible():
                continue
            if isinstance(widget, QDialog):
                QDialog.done(widget, QDialog.DialogCode.Rejected)
            widget.hide()  # menus, tool tips, any other window of ours

    def _lock_profile(self) -> None:
        """Save drafts, stop the workspace, close the store. Leaves the current page alone."""
        self.idle.stop()
        workspace, backend = self.workspace, self.backend
        self.workspace = None
        self.backend = None
        if workspace is not None:
            try:
                workspace.save_drafts()
            except Exception:
                log.exception("saving drafts on lock failed")
            workspace.shutdown()
            self.stack.removeWidget(workspace)
            workspace.deleteLater()
        if backend is not None:
            backend.close()

    # Qt events -----------------------------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        self.shutdown()
        super().closeEvent(event)
