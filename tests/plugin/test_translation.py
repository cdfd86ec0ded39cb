"""The zh_CN translation is compiled and picked up by the plugin's tr()."""

from qgis.PyQt.QtCore import QCoreApplication


def test_chinese_translation_loads(minecd):
    from minecd.plugin.i18n import install_translator, tr

    assert tr("Mine Change Detection") == "Mine Change Detection"
    translator = install_translator("zh_CN")
    assert translator is not None, "i18n/minecd_zh_CN.qm missing: run make translations"
    try:
        translated = tr("Mine Change Detection")
        assert translated != "Mine Change Detection"
        assert any("\u4e00" <= ch <= "\u9fff" for ch in translated)
    finally:
        QCoreApplication.removeTranslator(translator)
    assert tr("Mine Change Detection") == "Mine Change Detection"


def test_unknown_locale_loads_nothing(minecd):
    from minecd.plugin.i18n import install_translator

    assert install_translator("xx_YY") is None
