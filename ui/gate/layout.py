"""The gate pages' scaffolding: a centred column at a readable width, and the passphrase field."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from ui.forms import hint, title
from ui.theme import chars


def centred(inner: QWidget) -> QWidget:
    outer = QWidget()
    outer.setObjectName("gate")
    lay = QHBoxLayout(outer)
    lay.addStretch(1)
    col = QVBoxLayout()
    col.addStretch(1)
    col.addWidget(inner)
    col.addStretch(2)
    lay.addLayout(col)
    lay.addStretch(1)
    inner.setMaximumWidth(chars(inner, 80))
    return outer


def centre_in(page: QWidget, inner: QWidget) -> None:
    """Fill the page with `inner`, centred at a readable width."""
    outer = QVBoxLayout(page)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(centred(inner))


def column(page: QWidget, heading: str, explanation: str) -> QVBoxLayout:
    """The page's centred column, opening with its title and explanation; the rest goes in the layout returned."""
    body = QWidget()
    lay = QVBoxLayout(body)
    lay.addWidget(title(heading))
    lay.addWidget(hint(explanation))
    centre_in(page, body)
    return lay


def password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setMinimumWidth(chars(field, 40))
    return field
