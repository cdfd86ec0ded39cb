<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>@default</name>
    <message>
        <location filename="../plugin/processing/provider.py" line="18" />
        <source>Mine Change Detection</source>
        <translation>矿区变化检测</translation>
    </message>
    <message>
        <location filename="../plugin/dock.py" line="18" />
        <source>Detect changes in open-pit mines between two rasters.</source>
        <translation>检测两期栅格影像之间露天矿的变化。</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="25" />
        <source>&amp;Mine Change Detection</source>
        <translation>矿区变化检测(&amp;M)</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="44" />
        <source>Show or hide the Mine Change Detection panel</source>
        <translation>显示或隐藏矿区变化检测面板</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="27" />
        <source>MineCD version</source>
        <translation>MineCD 版本</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="28" />
        <source>PyTorch version</source>
        <translation>PyTorch 版本</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="29" />
        <source>CUDA devices</source>
        <translation>CUDA 设备</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="30" />
        <source>Missing Python packages</source>
        <translation>缺少的 Python 包</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="31" />
        <source>All dependencies available</source>
        <translation>依赖项齐全</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="17" />
        <source>Check environment</source>
        <translation>检查运行环境</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="19" />
        <source>Reports the MineCD version, the versions of PyTorch, numpy, rasterio and GDAL, the CUDA GPUs available and any missing Python package. READY is true when every runtime dependency can be imported.</source>
        <translation>报告 MineCD 版本、PyTorch、numpy、rasterio 和 GDAL 的版本、可用的 CUDA GPU 以及缺少的 Python 包。当所有运行时依赖均可导入时，READY 为 true。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="12" />
        <source>Change detection</source>
        <translation>变化检测</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="13" />
        <source>SAR</source>
        <translation>SAR</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="14" />
        <source>Training and evaluation</source>
        <translation>训练与评估</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="15" />
        <source>Tools</source>
        <translation>工具</translation>
    </message>
</context>
</TS>