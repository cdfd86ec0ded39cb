"""Translation helpers: every user-visible string goes through ``tr``."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, QLocale, QTranslator

I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"


def tr(text: str) -> str:
    # pylupdate5 files module-level tr() calls under the "@default" context.
    return QCoreApplication.translate("@default", text)


def user_locale() -> str:
    """QGIS's interface locale, e.g. ``zh_CN`` (override or system locale)."""
    settings = QgsSettings()
    if settings.value("locale/overrideFlag", False, type=bool):
        return settings.value("locale/userLocale", "", type=str) or QLocale().name()
    return QLocale().name()


def install_translator(locale: str | None = None) -> QTranslator | None:
    """Load ``i18n/minecd_<locale>.qm`` (or its language-only twin) if shipped."""
    locale = locale or user_locale()
    for name in (locale, locale.split("_")[0]):
        qm = I18N_DIR / f"minecd_{name}.qm"
        if qm.exists():
            translator = QTranslator()
            if translator.load(str(qm)):
                QCoreApplication.installTranslator(translator)
                return translator
    return None
