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


def test_qgis_own_chinese_setting_and_region_fallbacks_find_the_translation(minecd):
    from minecd.plugin.i18n import install_translator, locale_candidates

    for setting in ("zh-Hans", "zh_Hans", "zh", "zh_CN", "zh-CN", "zh_SG"):
        assert "zh_CN" in locale_candidates(setting), setting
        translator = install_translator(setting)
        assert translator is not None, setting
        QCoreApplication.removeTranslator(translator)
    assert locale_candidates("en_US")[:2] == ["en_US", "en"] and install_translator("en_US") is None


def test_the_engines_progress_texts_are_shown_in_chinese(minecd):
    from minecd.plugin.i18n import install_translator
    from minecd.plugin.messages import progress_text

    assert progress_text("tile 8/256") == "tile 8/256" and progress_text("detecting") == "detecting"
    translator = install_translator("zh-Hans")
    try:
        assert progress_text("tile 8/256") == "图块 8/256"
        assert progress_text("epoch 3 loss 0.4120, 4:55 left") == "第 3 轮，损失 0.4120，剩余 4:55"
        assert progress_text("detecting") == "正在检测"
        assert progress_text("something new") == "something new"  # unknown wording: as it is
    finally:
        QCoreApplication.removeTranslator(translator)


def test_the_shipped_graphical_model_speaks_chinese(minecd):
    from minecd.plugin.i18n import install_translator
    from minecd.plugin.processing.provider import graphical_models

    translator = install_translator("zh-Hans")
    try:
        model = graphical_models()[0]
        assert model.displayName() == "由两景 SLC 影像生成 SAR 变化多边形" and model.group() == "工作流"
        before = next(p for p in model.parameterDefinitions() if p.name() == "BEFORE")
        assert any("\u4e00" <= ch <= "\u9fff" for ch in before.description())
    finally:
        QCoreApplication.removeTranslator(translator)


def test_the_engines_common_errors_are_shown_in_chinese(minecd):
    from minecd.engine.errors import MineCDError
    from minecd.plugin.errors import engine_error_message
    from minecd.plugin.i18n import install_translator

    error = MineCDError("/data/after.tif: has 3 band(s), cannot read band 9")
    assert engine_error_message(error) == "/data/after.tif: has 3 band(s), cannot read band 9"
    translator = install_translator("zh-Hans")
    try:
        assert engine_error_message(error) == "/data/after.tif：共有 3 个波段，无法读取波段 9"
        assert (
            engine_error_message(MineCDError("x.tif: does not overlap y.tif")) == "x.tif：与 y.tif 没有重叠"
        )
    finally:
        QCoreApplication.removeTranslator(translator)


def test_every_engine_error_has_a_chinese_translation(minecd):
    """The templates are read from the engine's source (up to date), and each one is translated."""
    import subprocess
    import sys
    from pathlib import Path

    from minecd.plugin.engine_texts import TEMPLATES
    from minecd.plugin.i18n import install_translator, tr

    repo = Path(minecd.__file__).resolve().parent
    check = subprocess.run(
        [sys.executable, str(repo / "i18n" / "engine_texts.py"), "--check"], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr
    assert len(TEMPLATES) > 50
    translator = install_translator("zh-Hans")
    try:
        untranslated = [t for t in TEMPLATES if tr(t) == t]
        assert not untranslated
    finally:
        QCoreApplication.removeTranslator(translator)


def test_an_engine_error_keeps_its_values_in_the_translation(minecd):
    from minecd.engine.errors import MineCDError
    from minecd.plugin.errors import engine_error_message
    from minecd.plugin.i18n import install_translator

    error = MineCDError(
        "/data/a.tif: without georeferencing both rasters must have the same size (512x256 vs 64x32)"
    )
    english = engine_error_message(error)
    assert english == str(error)
    translator = install_translator("zh-Hans")
    try:
        chinese = engine_error_message(error)
        assert chinese != english and any("\u4e00" <= ch <= "\u9fff" for ch in chinese)
        for value in ("/data/a.tif", "512", "256", "64", "32"):
            assert value in chinese
        assert engine_error_message(MineCDError("something the engine never says")) == (
            "something the engine never says"
        )
    finally:
        QCoreApplication.removeTranslator(translator)
