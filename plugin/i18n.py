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


def locale_candidates(locale: str) -> list[str]:
    """Names to look for, most specific first, resolved the way Qt and QGIS do.

    QGIS stores its own choice as e.g. ``zh-Hans``; Qt resolves that (and ``zh``) to ``zh_CN``.
    Then the language alone, then any shipped region of the same language (``zh_SG`` → ``zh_CN``).
    """
    raw = (locale or "").replace("-", "_")
    names = [raw, QLocale(raw).name(), raw.split("_")[0]]
    language = raw.split("_")[0]
    if language:
        names += sorted(qm.stem[len("minecd_") :] for qm in I18N_DIR.glob(f"minecd_{language}_*.qm"))
    seen: list[str] = []
    for name in names:
        if name and name != "C" and name not in seen:
            seen.append(name)
    return seen


def install_translator(locale: str | None = None) -> QTranslator | None:
    """Load the shipped ``i18n/minecd_<locale>.qm`` that best matches the locale, if any."""
    for name in locale_candidates(locale or user_locale()):
        qm = I18N_DIR / f"minecd_{name}.qm"
        if qm.exists():
            translator = QTranslator()
            if translator.load(str(qm)):
                QCoreApplication.installTranslator(translator)
                return translator
    return None
