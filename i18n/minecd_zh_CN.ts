<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>@default</name>
    <message>
        <location filename="../plugin/processing/provider.py" line="131"/>
        <source>Mine Change Detection</source>
        <translation>矿区变化检测</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="33"/>
        <source>Missing Python packages</source>
        <translation>缺少的 Python 包</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="84"/>
        <source>Install with pip</source>
        <translation>用 pip 安装</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="100"/>
        <source>Images</source>
        <translation>影像</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="359"/>
        <source>Before</source>
        <translation>前期</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="359"/>
        <source>After</source>
        <translation>后期</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="109"/>
        <source>default, or e.g. 3,2,1</source>
        <translation>默认，或例如 3,2,1</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="110"/>
        <source>Bands</source>
        <translation>波段</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="115"/>
        <source>Detector</source>
        <translation>检测器</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="88"/>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="18"/>
        <source>SAR</source>
        <translation>SAR</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="132"/>
        <source>Coherence (optional)</source>
        <translation>相干性（可选）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="134"/>
        <source>Log-ratio window</source>
        <translation>对数比窗口</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="136"/>
        <source>Amplitude (linear)</source>
        <translation>振幅（线性）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="136"/>
        <source>Intensity (linear)</source>
        <translation>强度（线性）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="136"/>
        <source>dB</source>
        <translation>dB</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="139"/>
        <source>Units of real rasters</source>
        <translation>实数栅格的单位</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="94"/>
        <source>Processing extent</source>
        <translation>处理范围</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="147"/>
        <source>Full overlap of the images</source>
        <translation>两期影像的全部重叠区</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="147"/>
        <source>Map canvas extent</source>
        <translation>地图画布范围</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="147"/>
        <source>Extent of a layer</source>
        <translation>图层范围</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="147"/>
        <source>Polygons of a layer</source>
        <translation>图层中的面</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="159"/>
        <source>Area</source>
        <translation>区域</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="276"/>
        <source>Layer</source>
        <translation>图层</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="165"/>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="170"/>
        <source>GeoTIFF (*.tif *.tiff)</source>
        <translation>GeoTIFF (*.tif *.tiff)</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="171"/>
        <source>[temporary file]</source>
        <translation>[临时文件]</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="59"/>
        <source>Change mask</source>
        <translation>变化掩膜</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="173"/>
        <source>Also add the change probability</source>
        <translation>同时添加变化概率</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="174"/>
        <source>Also add change polygons</source>
        <translation>同时添加变化图斑</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="183"/>
        <source>Minimum polygon area</source>
        <translation>最小图斑面积</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="188"/>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="193"/>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="200"/>
        <source>Threshold</source>
        <translation>阈值</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="204"/>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="205"/>
        <source>Tile size</source>
        <translation>瓦片大小</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="215"/>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="221"/>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="223"/>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="48"/>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="375"/>
        <source>Open a raster file</source>
        <translation>打开栅格文件</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="76"/>
        <source>Open a raster</source>
        <translation>打开栅格</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="76"/>
        <source>Rasters (*.tif *.tiff *.jp2 *.vrt *.img *.png);;All files (*)</source>
        <translation>栅格 (*.tif *.tiff *.jp2 *.vrt *.img *.png);;所有文件 (*)</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="99"/>
        <source>{}: cannot read this file as a raster</source>
        <translation>{}：无法作为栅格读取此文件</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="381"/>
        <source>Change-vector analysis (optical, no training)</source>
        <translation>变化向量分析（光学，无需训练）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="382"/>
        <source>IR-MAD (multispectral, no training)</source>
        <translation>迭代加权多元变化检测 IR-MAD（多光谱，无需训练）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="383"/>
        <source>Log-ratio (SAR, no training)</source>
        <translation>对数比（SAR，无需训练）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="391"/>
        <source>Checkpoint file…</source>
        <translation>模型文件…</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="402"/>
        <source>Auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="403"/>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="413"/>
        <source>CUDA (no GPU found)</source>
        <translation>CUDA（未找到 GPU）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="120"/>
        <source>MineCD checkpoint</source>
        <translation>MineCD 模型文件</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="512"/>
        <source>Classic detector: needs no training; its threshold is chosen automatically per scene.</source>
        <translation>经典检测器：无需训练；阈值按场景自动确定。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="519"/>
        <source>Cannot read the model: {}</source>
        <translation>无法读取模型：{}</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="528"/>
        <source>bands {}</source>
        <translation>波段 {}</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="538"/>
        <source>trained at {} m</source>
        <translation>训练分辨率 {} 米</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="525"/>
        <source>test F1 {:.3f}</source>
        <translation>测试 F1 {:.3f}</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="523"/>
        <source>reference F1 {:.3f}</source>
        <translation>参考基准 F1 {:.3f}</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="173"/>
        <source>MineCD needs these Python packages, which QGIS cannot find: {}. The classic detectors may work without PyTorch; the networks do not.</source>
        <translation>MineCD 需要以下 QGIS 找不到的 Python 包：{}。经典检测器可在没有 PyTorch 的情况下运行，神经网络则不能。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="195"/>
        <source>Installing the packages failed; see the MineCD log.</source>
        <translation>安装失败；请查看 MineCD 日志。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="199"/>
        <source>Installing {} …</source>
        <translation>正在安装 {} …</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="208"/>
        <source>Packages installed.</source>
        <translation>安装完成。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="358"/>
        <source>Choose a before and an after raster.</source>
        <translation>请选择前期和后期栅格。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="274"/>
        <source>Choose the layer that limits the processing extent.</source>
        <translation>请选择限定处理范围的图层。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="303"/>
        <source>Starting…</source>
        <translation>正在启动…</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="390"/>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
    </message>
    <message>
        <location filename="../plugin/errors.py" line="22"/>
        <source>Cancelled: no output was written.</source>
        <translation>已取消：未写入任何输出。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="423"/>
        <source>The detection failed.</source>
        <translation>检测失败。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="59"/>
        <source>Change polygons</source>
        <translation>变化图斑</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="166"/>
        <source>Change probability</source>
        <translation>变化概率</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="28"/>
        <source>&amp;Mine Change Detection</source>
        <translation>矿区变化检测(&amp;M)</translation>
    </message>
    <message>
        <location filename="../plugin/plugin.py" line="48"/>
        <source>Show or hide the Mine Change Detection panel</source>
        <translation>显示或隐藏矿区变化检测面板</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_coherence.py" line="21"/>
        <source>Coherence of an SLC pair</source>
        <translation>SLC 影像对的相干性</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_coherence.py" line="25"/>
        <source>Estimates the interferometric coherence |Σ z1·z2*| / sqrt(Σ|z1|² Σ|z2|²) of two co-registered complex SLC rasters over a boxcar WINDOW (azimuth x range pixels, default 5x5 = 25 looks). REMOVE_RAMP removes a linear phase ramp estimated over the scene first. Output: float32 in [0, 1], nodata -1. Low coherence marks ground that changed (or vegetation and water).</source>
        <translation>在矩形窗口 WINDOW（方位向 × 距离向像元，默认 5x5 = 25 视）内估计两幅已配准复数 SLC 栅格的干涉相干性 |Σ z1·z2*| / sqrt(Σ|z1|² Σ|z2|²)。REMOVE_RAMP 先去除在整景上估计的线性相位斜坡。输出：[0, 1] 的 float32，无数据为 -1。低相干表示地表发生了变化（或为植被和水体）。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="59"/>
        <source>Before SLC</source>
        <translation>前期 SLC</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="59"/>
        <source>After SLC</source>
        <translation>后期 SLC</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_coherence.py" line="37"/>
        <source>Window (azimuth x range)</source>
        <translation>窗口（方位向 x 距离向）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_coherence.py" line="38"/>
        <source>Remove a linear phase ramp</source>
        <translation>去除线性相位斜坡</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="59"/>
        <source>Coherence</source>
        <translation>相干性</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_detect_optical.py" line="14"/>
        <source>Detect changes (optical)</source>
        <translation>变化检测（光学）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_detect_optical.py" line="19"/>
        <source>Finds where an open-pit mine changed between two co-registered optical images. MODEL is &apos;cva&apos; (change-vector analysis, no training), &apos;irmad&apos; (iteratively reweighted MAD, no training, invariant to each date&apos;s gains and offsets), a bundled model&apos;s name (e.g. insinet-demo) or a checkpoint file trained with MineCD. The after image is warped onto the before image&apos;s grid when needed. OUTPUT is a mask: 1 change, 0 no change, 255 no data. BANDS picks bands, e.g. 3,2,1.</source>
        <translation>在两幅已配准的光学影像之间找出露天矿发生变化的位置。MODEL 为 'cva'（变化向量分析，无需训练）、'irmad'（迭代加权多元变化检测，无需训练，不受各时相增益和偏移的影响）、内置模型名称（如 insinet-demo）或用 MineCD 训练的模型文件。必要时后期影像会重采样到前期影像的格网上。OUTPUT 为掩膜：1 变化，0 未变化，255 无数据。BANDS 选择波段，例如 3,2,1。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_detect_optical.py" line="30"/>
        <source>Bands, e.g. 3,2,1 (empty: default)</source>
        <translation>波段，例如 3,2,1（留空：默认）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_detect_sar.py" line="22"/>
        <source>Detect changes (SAR)</source>
        <translation>变化检测（SAR）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_detect_sar.py" line="28"/>
        <source>Finds where an open-pit mine changed between two SAR acquisitions. BEFORE/AFTER are two co-registered complex SLC rasters (amplitude and coherence are computed here) or two real rasters (linear amplitude by default, see UNITS) with an optional COHERENCE raster. MODEL is &apos;logratio&apos; (no training), a bundled model&apos;s name (e.g. sarunet-demo) or a checkpoint. WINDOW is the log-ratio&apos;s boxcar (odd pixels); a model uses the window it was trained with.</source>
        <translation>在两次 SAR 观测之间找出露天矿发生变化的位置。BEFORE/AFTER 为两幅已配准的复数 SLC 栅格（在此计算振幅和相干性），或两幅实数栅格（默认线性振幅，见 UNITS）并可附加 COHERENCE 相干性栅格。MODEL 为 'logratio'（无需训练）、内置模型名称（如 sarunet-demo）或模型文件。WINDOW 为对数比的矩形窗口（奇数像元）；模型使用其训练时的窗口。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_detect_sar.py" line="42"/>
        <source>Log-ratio window (pixels)</source>
        <translation>对数比窗口（像元）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_detect_sar.py" line="45"/>
        <source>Units of real SAR rasters</source>
        <translation>实数 SAR 栅格的单位</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="17"/>
        <source>Check environment</source>
        <translation>检查运行环境</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="21"/>
        <source>Reports the MineCD version, the versions of PyTorch, numpy, rasterio and GDAL, the CUDA GPUs available and any missing Python package. READY is true when every runtime dependency can be imported.</source>
        <translation>报告 MineCD 版本、PyTorch、numpy、rasterio 和 GDAL 的版本、可用的 CUDA GPU 以及缺少的 Python 包。当所有运行时依赖均可导入时，READY 为 true。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="30"/>
        <source>MineCD version</source>
        <translation>MineCD 版本</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="31"/>
        <source>PyTorch version</source>
        <translation>PyTorch 版本</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="32"/>
        <source>CUDA devices</source>
        <translation>CUDA 设备</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_environment.py" line="34"/>
        <source>All dependencies available</source>
        <translation>依赖项齐全</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_evaluate.py" line="37"/>
        <source>Evaluate a change mask</source>
        <translation>评价变化掩膜</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_evaluate.py" line="41"/>
        <source>Compares a MineCD change mask with reference labels (a raster, non-zero = change, or polygons) from one confusion matrix over the whole scene: precision, recall, overall accuracy, IoU, F1 and kappa of the change class. No-data pixels of the mask are not counted.</source>
        <translation>基于整景的一个混淆矩阵，将 MineCD 变化掩膜与参考标注（栅格，非零为变化；或面要素）比较：变化类的精确率、召回率、总体精度、IoU、F1 和 kappa。掩膜中的无数据像元不参与统计。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_evaluate.py" line="51"/>
        <source>Reference labels (raster or polygons)</source>
        <translation>参考标注（栅格或面）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_evaluate.py" line="54"/>
        <source>Metrics table (HTML)</source>
        <translation>指标表（HTML）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_evaluate.py" line="54"/>
        <source>HTML files (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_evaluate.py" line="63"/>
        <source>Metrics table (CSV)</source>
        <translation>指标表（CSV）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_evaluate.py" line="63"/>
        <source>CSV files (*.csv)</source>
        <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_polygonize.py" line="27"/>
        <source>Change polygons from a mask</source>
        <translation>由掩膜生成变化图斑</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_polygonize.py" line="31"/>
        <source>Turns the change pixels (value 1) of a MineCD mask into polygons, one per connected region, with their area in m² and ha. Regions smaller than the minimum mapping unit are dropped.</source>
        <translation>将 MineCD 掩膜中的变化像元（值为 1）转换为面，每个连通区域一个面，并给出以平方米和公顷计的面积。小于最小制图单元的区域将被剔除。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_polygonize.py" line="40"/>
        <source>Minimum mapping unit (m²)</source>
        <translation>最小制图单元（平方米）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_polygonize.py" line="51"/>
        <source>Number of polygons</source>
        <translation>图斑数量</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="176"/>
        <source>Changed area (ha)</source>
        <translation>变化面积（公顷）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_pseudolabel.py" line="21"/>
        <source>Train with pseudo-labels (SAR)</source>
        <translation>伪标签训练（SAR）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_pseudolabel.py" line="25"/>
        <source>Trains the SAR U-Net on LABELLED folders, predicts the UNLABELLED folders (before.tif and after.tif only), keeps the patches where more than FRACTION of the pixels have a confidence above CONFIDENCE (at most as many as labelled training patches) and retrains from scratch on both.</source>
        <translation>在 LABELLED 文件夹上训练 SAR U-Net，对 UNLABELLED 文件夹（仅含 before.tif 和 after.tif）进行预测，保留置信度高于 CONFIDENCE 的像元比例超过 FRACTION 的样块（数量不超过有标注的训练样块），然后在两者上从头重新训练。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_pseudolabel.py" line="34"/>
        <source>Labelled folders (&apos;;&apos;-separated)</source>
        <translation>有标注的文件夹（以 ';' 分隔）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_pseudolabel.py" line="35"/>
        <source>Unlabelled folders (&apos;;&apos;-separated)</source>
        <translation>无标注的文件夹（以 ';' 分隔）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_pseudolabel.py" line="38"/>
        <source>Epochs</source>
        <translation>训练轮数</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_pseudolabel.py" line="43"/>
        <source>Pixel confidence c</source>
        <translation>像元置信度 c</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_pseudolabel.py" line="54"/>
        <source>Confident fraction q of a patch</source>
        <translation>样块中高置信像元比例 q</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="98"/>
        <source>Device (auto, cpu, cuda, cuda:N)</source>
        <translation>设备（auto、cpu、cuda、cuda:N）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="161"/>
        <source>Checkpoint</source>
        <translation>模型文件</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="161"/>
        <source>MineCD checkpoint (*.pt)</source>
        <translation>MineCD 模型文件 (*.pt)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_pseudolabel.py" line="79"/>
        <source>Pseudo-labelled patches kept</source>
        <translation>保留的伪标签样块</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="165"/>
        <source>Test F1</source>
        <translation>测试 F1</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="44"/>
        <source>{}: folder not found</source>
        <translation>{}：找不到文件夹</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="50"/>
        <source>Train a change detection model</source>
        <translation>训练变化检测模型</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="85"/>
        <source>Before raster</source>
        <translation>前期栅格</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="86"/>
        <source>After raster</source>
        <translation>后期栅格</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="72"/>
        <source>Change labels (polygons or raster)</source>
        <translation>变化标注（面或栅格）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="83"/>
        <source>More training folders (&apos;;&apos;-separated)</source>
        <translation>更多训练文件夹（以 ';' 分隔）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="133"/>
        <source>Batch size (empty: the paper&apos;s)</source>
        <translation>批大小（留空：论文默认值）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="164"/>
        <source>Best validation F1</source>
        <translation>最佳验证 F1</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="168"/>
        <source>Training curves (PNG)</source>
        <translation>训练曲线（PNG）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="169"/>
        <source>Training history (CSV)</source>
        <translation>训练记录（CSV）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="186"/>
        <source>Give a BEFORE/AFTER/LABELS pair or MORE_DATA folders</source>
        <translation>请提供 BEFORE/AFTER/LABELS 数据对或 MORE_DATA 文件夹</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="17"/>
        <source>Change detection</source>
        <translation>变化检测</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="19"/>
        <source>Training and evaluation</source>
        <translation>训练与评估</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="20"/>
        <source>Tools</source>
        <translation>工具</translation>
    </message>
    <message>
        <location filename="../plugin/errors.py" line="24"/>
        <source>A Python package MineCD needs is missing ({}). Run &apos;Check environment&apos; or install it from the MineCD panel.</source>
        <translation>缺少 MineCD 所需的 Python 包（{}）。请运行“检查运行环境”，或在 MineCD 面板中安装。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="112"/>
        <source>{}: no layer given</source>
        <translation>{}：未指定图层</translation>
    </message>
    <message>
        <location filename="../plugin/processing/base.py" line="115"/>
        <source>{}: layer &apos;{}&apos; is not a file that MineCD can read</source>
        <translation>{}：图层 '{}' 不是 MineCD 可读取的文件</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="95"/>
        <source>Area of interest (polygons)</source>
        <translation>感兴趣区（面）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="101"/>
        <source>Probability threshold (empty: the detector&apos;s)</source>
        <translation>概率阈值（留空：检测器默认值）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="59"/>
        <source>Minimum polygon area (m²)</source>
        <translation>最小图斑面积（平方米）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="176"/>
        <source>Changed area (m²)</source>
        <translation>变化面积（平方米）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="176"/>
        <source>Changed pixels</source>
        <translation>变化像元数</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="176"/>
        <source>Run time (s)</source>
        <translation>运行时间（秒）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="183"/>
        <source>Run summary (JSON)</source>
        <translation>运行摘要（JSON）</translation>
    </message>
    <message>
        <location filename="../plugin/styling.py" line="130"/>
        <source>No change</source>
        <translation>未变化</translation>
    </message>
    <message>
        <location filename="../plugin/styling.py" line="36"/>
        <source>Change</source>
        <translation>变化</translation>
    </message>
    <message>
        <location filename="../plugin/task.py" line="109"/>
        <source>Installing Python packages for MineCD</source>
        <translation>正在为 MineCD 安装 Python 包</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="212"/>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="150"/>
        <source>Tiles per batch (0 = automatic: 8 on the CPU, 32 on a GPU)</source>
        <translation>每批瓦片数（0 = 自动：CPU 上 8 个，GPU 上 32 个）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="229"/>
        <source>{amount} changed in {seconds:.1f} s on {device}</source>
        <translation>{amount} 发生变化，用时 {seconds:.1f} 秒（{device}）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="229"/>
        <source>pixels</source>
        <translation>个像元</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="44"/>
        <source>{}: cannot write layer &apos;{}&apos; ({})</source>
        <translation>{}：无法写出图层 ‘{}’（{}）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="63"/>
        <source>Choose (or draw) the change polygons to learn from.</source>
        <translation>请选择（或绘制）用于学习的变化图斑。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="82"/>
        <source>Adapted in the MineCD dock to {}</source>
        <translation>在 MineCD 面板中针对 {} 适配</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="101"/>
        <source>MineCD change polygons</source>
        <translation>MineCD 变化图斑</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="101"/>
        <source>MineCD labelled area</source>
        <translation>MineCD 已标注区域</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="119"/>
        <source>Model adapted (no independent validation: too few labels to hold some out).</source>
        <translation>模型已适配（无独立验证：标注太少，无法留出一部分验证）。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="121"/>
        <source>Model adapted: validation F1 {:.3f} on labelled blocks it did not train on.</source>
        <translation>模型已适配：在未参与训练的已标注区块上验证 F1 为 {:.3f}。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="235"/>
        <source>Adapt a model to this pair</source>
        <translation>针对此影像对适配模型</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="238"/>
        <source>Digitise change polygons on part of the pair and the area you checked (outside it nothing is known), then train a model for this sensor and this mine.</source>
        <translation>在影像对的一部分上勾绘变化图斑及您检查过的区域（区域之外视为未知），然后为该传感器和该矿区训练模型。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="256"/>
        <source>Empty: the polygons are the only changes in the whole pair</source>
        <translation>留空：这些图斑即整个影像对中的全部变化</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="257"/>
        <source>Labelled area</source>
        <translation>已标注区域</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="264"/>
        <source>Automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="264"/>
        <source>The chosen detector</source>
        <translation>当前选择的检测器</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="264"/>
        <source>From scratch</source>
        <translation>从头训练</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="266"/>
        <source>Start from</source>
        <translation>起始模型</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="271"/>
        <source> min</source>
        <translation> 分钟</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="272"/>
        <source>Time budget</source>
        <translation>时间预算</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="279"/>
        <source>Adapt</source>
        <translation>适配</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="364"/>
        <source>MineCD: adapting a model to {}</source>
        <translation>MineCD：正在针对 {} 适配模型</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="423"/>
        <source>The training failed.</source>
        <translation>训练失败。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="75"/>
        <source>Labelled area (polygons; empty: the labels cover the whole pair)</source>
        <translation>已标注区域（面；留空：标注覆盖整个影像对）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="93"/>
        <source>Start from (auto, none, a bundled model or a checkpoint)</source>
        <translation>起始模型（auto、none、内置模型或模型文件）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="98"/>
        <source>Time budget in minutes (empty: none)</source>
        <translation>时间预算（分钟；留空：不限）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="123"/>
        <source>Epochs (empty: until the time budget, or the paper&apos;s)</source>
        <translation>训练轮数（留空：直到时间预算用完，或论文默认值）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="143"/>
        <source>Bands (optical), e.g. 3,2,1 (empty: the start model&apos;s)</source>
        <translation>波段（光学），例如 3,2,1（留空：起始模型的波段）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="148"/>
        <source>Tile size (empty: the start model&apos;s, else 256)</source>
        <translation>瓦片大小（留空：起始模型的设置，否则 256）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="211"/>
        <source>no independent validation: the model was chosen on its training loss</source>
        <translation>无独立验证：按训练损失选择模型</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="213"/>
        <source>best validation F1 {:.4f}</source>
        <translation>最佳验证 F1 {:.4f}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="215"/>
        <source>test F1 {:.4f}</source>
        <translation>测试 F1 {:.4f}</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="131"/>
        <source>{} patches of the unlabelled rest were pseudo-labelled.</source>
        <translation>未标注部分中有 {} 个图块获得了伪标签。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="273"/>
        <source>Also learn from the unlabelled rest of the pair</source>
        <translation>同时利用该影像对其余未标注部分进行学习</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="274"/>
        <source>A first model labels what it is sure of outside your labels; a second one learns from both</source>
        <translation>第一个模型为您标注区域之外其有把握的部分打上标签；第二个模型同时从两者中学习</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="108"/>
        <source>Also learn from the unlabelled rest of the pairs (pseudo-labels)</source>
        <translation>同时利用影像对其余未标注部分进行学习（伪标签）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="166"/>
        <source>Decision threshold of the model</source>
        <translation>模型的判定阈值</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="326"/>
        <source>Installs the pinned versions into a folder of your QGIS profile; numpy and GDAL stay QGIS&apos;s</source>
        <translation>将固定版本安装到您的 QGIS 配置文件夹中；numpy 和 GDAL 仍使用 QGIS 自带的版本</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="87"/>
        <source>PyTorch for the NVIDIA GPU (CUDA; a large download)</source>
        <translation>适用于 NVIDIA GPU 的 PyTorch（CUDA；下载量较大）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="88"/>
        <source>Unchecked: the CPU build of PyTorch</source>
        <translation>未勾选：使用 CPU 版 PyTorch</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="219"/>
        <source>Before and After are the same raster ({}): choose the other date as After.</source>
        <translation>前期与后期是同一栅格（{}）：请选择另一日期的影像作为后期。</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>opening rasters</source>
        <translation>正在打开栅格</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>sampling the scene</source>
        <translation>正在对场景采样</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>detecting</source>
        <translation>正在检测</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>writing overviews</source>
        <translation>正在写入金字塔</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>change polygons</source>
        <translation>正在生成变化多边形</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>tracing change regions</source>
        <translation>正在追踪变化区域</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>estimating the phase ramp</source>
        <translation>正在估计相位斜坡</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>coherence</source>
        <translation>正在计算相干性</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="27"/>
        <source>tile {}/{}</source>
        <translation>图块 {}/{}</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="27"/>
        <source>cutting chips {}/{}</source>
        <translation>正在切分样本 {}/{}</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="27"/>
        <source>epoch {} loss {}, {} left</source>
        <translation>第 {} 轮，损失 {}，剩余 {}</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="27"/>
        <source>epoch {} loss {}</source>
        <translation>第 {} 轮，损失 {}</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="258"/>
        <source>New layers to draw in</source>
        <translation>新建用于绘制的图层</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="259"/>
        <source>Two empty scratch layers: draw the changes in one and the area you checked in the other</source>
        <translation>两个空的临时图层：一个用于绘制变化，另一个用于绘制您已检查的区域</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="530"/>
        <source>coherence and amplitudes</source>
        <translation>相干性与振幅</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="530"/>
        <source>amplitudes</source>
        <translation>振幅</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="48"/>
        <source>SAR change polygons from two SLC images</source>
        <translation>由两景 SLC 影像生成 SAR 变化多边形</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="59"/>
        <source>Detector (logratio, a bundled model or a checkpoint)</source>
        <translation>检测器（logratio、内置模型或检查点文件）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="110"/>
        <source>Workflows</source>
        <translation>工作流</translation>
    </message>
    <message>
        <location filename="../plugin/processing/provider.py" line="48"/>
        <source>A graphical model: interferometric coherence of the two SLC images, SAR change detection with the coherence as an extra input, and change polygons with their areas. Open it in the graphical modeler to adapt it to your own chain.</source>
        <translation>图形模型：计算两景 SLC 影像的干涉相干性，以相干性作为附加输入进行 SAR 变化检测，并生成带面积的变化多边形。可在图形建模器中打开并按您的流程修改。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="268"/>
        <source>The map canvas has no extent yet: zoom to the images, or choose another area.</source>
        <translation>地图画布尚无范围：请缩放到影像，或选择其他范围。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_detect_sar.py" line="39"/>
        <source>Coherence raster</source>
        <translation>相干性栅格</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_pseudolabel.py" line="65"/>
        <source>Teacher model trained on the labelled folders</source>
        <translation>在已标注文件夹上训练的教师模型</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="287"/>
        <source>The earlier image (any raster layer; optical bands or SAR)</source>
        <translation>较早的影像（任意栅格图层；光学波段或 SAR）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="288"/>
        <source>The later image, co-registered with the before image</source>
        <translation>较晚的影像，需与前期影像配准</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="289"/>
        <source>Open a raster file as the before image</source>
        <translation>打开一个栅格文件作为前期影像</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="290"/>
        <source>Open a raster file as the after image</source>
        <translation>打开一个栅格文件作为后期影像</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="291"/>
        <source>Bands to use, e.g. 3,2,1; empty: all but alpha, or the model&apos;s own</source>
        <translation>要使用的波段，例如 3,2,1；留空：除 alpha 外的全部波段，或模型自身的波段</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="292"/>
        <source>A classic detector (no training), a bundled model or a checkpoint file</source>
        <translation>经典检测器（无需训练）、内置模型或检查点文件</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="293"/>
        <source>Optional interferometric coherence of the pair, for SAR models that use it</source>
        <translation>可选：该影像对的干涉相干性，供使用它的 SAR 模型</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="294"/>
        <source>Pixels of the log-ratio&apos;s smoothing window (e.g. 5 or 5x7)</source>
        <translation>对数比平滑窗口的像素数（例如 5 或 5x7）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="295"/>
        <source>What the SAR rasters hold: linear amplitude, linear intensity or dB</source>
        <translation>SAR 栅格的内容：线性振幅、线性强度或 dB</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="296"/>
        <source>Where to detect: the images&apos; overlap, the map view, or a layer&apos;s extent or polygons</source>
        <translation>检测范围：影像重叠区、地图视图，或某图层的范围或多边形</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="299"/>
        <source>The layer whose extent or polygons limit the detection</source>
        <translation>用于限定检测范围或多边形的图层</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="300"/>
        <source>Where the change mask is written; empty: a temporary file</source>
        <translation>变化掩膜的写入位置；留空：临时文件</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="301"/>
        <source>Also write and show the change probability (0–1)</source>
        <translation>同时写出并显示变化概率（0–1）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="302"/>
        <source>Also write change polygons with their areas (GeoPackage)</source>
        <translation>同时写出带面积的变化多边形（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="303"/>
        <source>Polygons smaller than this are dropped</source>
        <translation>小于该面积的多边形将被舍弃</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="304"/>
        <source>Where the networks run: a CUDA GPU when there is one, else the CPU</source>
        <translation>网络的运行位置：有 CUDA GPU 时使用 GPU，否则使用 CPU</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="305"/>
        <source>Probability above which a pixel is change; default: the detector&apos;s own</source>
        <translation>像素判为变化的概率阈值；默认：检测器自身的阈值</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="312"/>
        <source>Tiles per batch; automatic: 8 on a CPU, 32 on a GPU</source>
        <translation>每批图块数；自动：CPU 上 8，GPU 上 32</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="313"/>
        <source>Detect changes in the background (QGIS stays usable)</source>
        <translation>在后台检测变化（QGIS 仍可使用）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="314"/>
        <source>Stop the run: nothing is written</source>
        <translation>停止运行：不会写出任何文件</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="319"/>
        <source>Polygons of the changes you digitised</source>
        <translation>您数字化的变化多边形</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="320"/>
        <source>Polygons of the area you checked: outside them nothing is known</source>
        <translation>您已检查区域的多边形：其外部视为未知</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="321"/>
        <source>The model training starts from: automatic picks the bundled one that suits the data</source>
        <translation>训练的起始模型：自动会选择适合该数据的内置模型</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="324"/>
        <source>Training stops after this time with the best model so far</source>
        <translation>到达该时间后停止训练并保留目前最好的模型</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="325"/>
        <source>Train in the background; the new model joins the detector list</source>
        <translation>在后台训练；新模型会加入检测器列表</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>--resume and --pseudo do not go together: run again without --resume</source>
        <translation>--resume 与 --pseudo 不能同时使用：请去掉 --resume 后重新运行</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>AOI &apos;{0}&apos;: expected &apos;xmin,ymin,xmax,ymax&apos; with xmin &lt; xmax and ymin &lt; ymax</source>
        <translation>AOI '{0}'：应为 'xmin,ymin,xmax,ymax'，且 xmin &lt; xmax、ymin &lt; ymax</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>AOI {0}: does not overlap the rasters&apos; common area</source>
        <translation>AOI {0}：与各栅格的公共区域没有重叠</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>IR-MAD threshold &apos;{0}&apos;: use chi2, {1}</source>
        <translation>IR-MAD 阈值 '{0}'：请使用 chi2、{1}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>Start from {0}: a {1} {2} model cannot start a {3} training (choose an {4} model, or start from scratch)</source>
        <translation>起始模型 {0}：{1} {2} 模型不能作为 {3} 训练的起点（请选择 {4} 模型，或从头训练）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>Start from {0}: its network differs from this one (no {1})</source>
        <translation>起始模型 {0}：其网络与当前网络不同（缺少 {1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>Start from {0}: its network differs from this one ({1} {2})</source>
        <translation>起始模型 {0}：其网络与当前网络不同（{1} {2}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>Start from {0}: neither a bundled model nor a checkpoint file</source>
        <translation>起始模型 {0}：既不是内置模型，也不是检查点文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>bands: &apos;{0}&apos; is not a list of band numbers such as 3,2,1</source>
        <translation>波段：'{0}' 不是形如 3,2,1 的波段编号列表</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>batch size must be at least 1, not {0}</source>
        <translation>批大小至少应为 1，而不是 {0}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>cannot understand the coordinate reference system {0}</source>
        <translation>无法识别坐标参考系 {0}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>checkpoint weights do not match a {0} network ({1} missing, {2} unexpected tensors)</source>
        <translation>检查点权重与 {0} 网络不匹配（缺少 {1} 个张量，多出 {2} 个张量）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>coherence window &apos;{0}&apos;: expected AZxRG, e.g. 5x5</source>
        <translation>相干性窗口 '{0}'：应为 AZxRG，例如 5x5</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>detector &apos;{0}&apos;: expected SPEC, LABEL=SPEC or SPEC@BANDS (e.g. insinet-demo@3,2,1)</source>
        <translation>检测器 '{0}'：应为 SPEC、LABEL=SPEC 或 SPEC@BANDS（例如 insinet-demo@3,2,1）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>detector option &apos;{0}&apos;: expected KEY=VALUE, e.g. method=otsu</source>
        <translation>检测器选项 '{0}'：应为 KEY=VALUE，例如 method=otsu</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>device &apos;{0}&apos;: no CUDA GPU is available to PyTorch; use &apos;auto&apos; or &apos;cpu&apos;</source>
        <translation>设备 '{0}'：PyTorch 没有可用的 CUDA GPU；请使用 'auto' 或 'cpu'</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>device &apos;{0}&apos;: only {1} CUDA GPU(s) available</source>
        <translation>设备 '{0}'：仅有 {1} 个可用的 CUDA GPU</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>log-ratio window must be an odd number of pixels, not {0}</source>
        <translation>对数比窗口必须为奇数个像元，而不是 {0}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>log-ratio window: &apos;{0}&apos; is not a number of pixels</source>
        <translation>对数比窗口：'{0}' 不是像元数</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>no detector given (e.g. --detectors cva,logratio,model.pt)</source>
        <translation>未指定检测器（例如 --detectors cva,logratio,model.pt）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>no training scenes given</source>
        <translation>未提供训练场景</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>no valid training pixels to compute the normalisation from</source>
        <translation>没有可用于计算归一化参数的有效训练像元</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>overlap {0} is larger than the tile size {1}</source>
        <translation>重叠 {0} 大于瓦片大小 {1}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>pseudo-labelling needs unlabelled scene folders (--unlabelled)</source>
        <translation>伪标签训练需要无标注的场景文件夹（--unlabelled）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>splitting by site needs at least 3 scenes (train, validation, test)</source>
        <translation>按站点划分至少需要 3 个场景（训练、验证、测试）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>the data give no {0} chips: add scenes or use larger ones</source>
        <translation>数据中得不到 {0} 样本：请添加场景或使用更大的场景</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>the labels hold no change pixel: digitise at least one change polygon (inside the labelled area) for the model to learn from</source>
        <translation>标注中没有变化像元：请至少（在已标注区域内）勾绘一个变化图斑，供模型学习</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>this model needs coherence: give an SLC pair or a coherence raster</source>
        <translation>该模型需要相干性：请提供 SLC 影像对或相干性栅格</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>threshold must be between 0 and 1, not {0}</source>
        <translation>阈值必须介于 0 和 1 之间，而不是 {0}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>tile size {0}: must be at least 16 (a multiple of 16 for this detector)</source>
        <translation>瓦片大小 {0}：至少应为 16（该检测器要求为 16 的倍数）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>two detectors share a label: name them LABEL=SPEC</source>
        <translation>两个检测器使用了相同的标签：请用 LABEL=SPEC 为其命名</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>two scene folders have the same name: give folders with distinct names</source>
        <translation>两个场景文件夹同名：请提供名称互不相同的文件夹</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>unknown SAR input mode &apos;{0}&apos;: use {1}</source>
        <translation>未知的 SAR 输入模式 '{0}'：请使用 {1}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>unknown SAR units &apos;{0}&apos;</source>
        <translation>未知的 SAR 单位 '{0}'</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>unknown SAR units &apos;{0}&apos;: use {1}</source>
        <translation>未知的 SAR 单位 '{0}'：请使用 {1}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>unknown device &apos;{0}&apos;: use auto, cpu, cuda or cuda:N</source>
        <translation>未知的设备 '{0}'：请使用 auto、cpu、cuda 或 cuda:N</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0} labelled pixels in the data (inside the labelled area, on the rasters): label at least a few hundred (0 no change, 1 change; 255 or nodata = not labelled)</source>
        <translation>数据中已标注的像元过少（{0}；统计范围为已标注区域内、栅格之上）：请至少标注几百个（0 未变化，1 变化；255 或无数据 = 未标注）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0} was trained with {1} px tiles and their 3x3 neighbourhood: use tile {2}</source>
        <translation>{0} 使用 {1} 像元的瓦片及其 3x3 邻域训练：请使用瓦片大小 {2}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot create the file</source>
        <translation>{0}：无法创建该文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot create the file (is the folder writable?)</source>
        <translation>{0}：无法创建该文件（文件夹是否可写？）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot create the output ({1})</source>
        <translation>{0}：无法创建输出（{1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot read this file as a raster</source>
        <translation>{0}：无法作为栅格读取此文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot read this file as a raster ({1})</source>
        <translation>{0}：无法作为栅格读取此文件（{1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot read this file as a vector layer</source>
        <translation>{0}：无法作为矢量图层读取此文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot reproject the polygons to the raster&apos;s CRS</source>
        <translation>{0}：无法将多边形重投影到栅格的 CRS</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot write ({1})</source>
        <translation>{0}：无法写入（{1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: checkpoint file not found</source>
        <translation>{0}：找不到检查点文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: checkpoint metadata is missing or not JSON</source>
        <translation>{0}：检查点元数据缺失或不是 JSON</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: checkpoint weights are missing or malformed</source>
        <translation>{0}：检查点权重缺失或格式错误</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: complex SAR data cannot be resampled (it would destroy the phase); co-register the SLC pair on one grid first</source>
        <translation>{0}：复数 SAR 数据不能重采样（会破坏相位）；请先将 SLC 影像对配准到同一格网</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: complex SAR data cannot go into an optical model</source>
        <translation>{0}：复数 SAR 数据不能输入光学模型</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: complex SAR data; use the log-ratio detector</source>
        <translation>{0}：复数 SAR 数据；请使用对数比检测器</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: contains no polygon</source>
        <translation>{0}：不包含任何多边形</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: does not overlap {1}</source>
        <translation>{0}：与 {1} 没有重叠</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: file not found</source>
        <translation>{0}：找不到文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: folder not found</source>
        <translation>{0}：找不到文件夹</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: has {1} band(s), cannot read band {2}</source>
        <translation>{0}：共有 {1} 个波段，无法读取波段 {2}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: has {1} usable band(s) but the detector needs {2}</source>
        <translation>{0}：只有 {1} 个可用波段，但检测器需要 {2} 个</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: has {1} usable band(s) but {2} has {3}; choose the same bands for both (e.g. Bands 3,2,1)</source>
        <translation>{0}：有 {1} 个可用波段，而 {2} 有 {3} 个；请为两者选择相同的波段（例如“波段”填 3,2,1）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: is a folder, not an output file</source>
        <translation>{0}：是文件夹，不是输出文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: kind must be &apos;optical&apos; or &apos;sar&apos;, not {1}</source>
        <translation>{0}：类型必须为 'optical' 或 'sar'，而不是 {1}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: made by a newer MineCD (format {1}); update the plugin</source>
        <translation>{0}：由更新版本的 MineCD 生成（格式 {1}）；请更新插件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: metadata field &apos;{1}&apos; is missing or not a {2}</source>
        <translation>{0}：元数据字段 '{1}' 缺失或不是 {2}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: missing {1}.tif</source>
        <translation>{0}：缺少 {1}.tif</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: mix of complex and real rasters; give two SLCs or two amplitudes</source>
        <translation>{0}：复数栅格与实数栅格混用；请提供两幅 SLC 或两幅振幅栅格</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: no before.tif here nor in its sub-folders</source>
        <translation>{0}：该文件夹及其子文件夹中都没有 before.tif</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: no valid pixel in the processing extent</source>
        <translation>{0}：处理范围内没有有效像元</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: not a MineCD checkpoint</source>
        <translation>{0}：不是 MineCD 检查点文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: not a MineCD checkpoint, or unsafe to load ({1})</source>
        <translation>{0}：不是 MineCD 检查点文件，或加载不安全（{1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: not complex (SLC) data; coherence needs the phase</source>
        <translation>{0}：不是复数（SLC）数据；计算相干性需要相位</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: output file exists and is not writable</source>
        <translation>{0}：输出文件已存在且不可写</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: output folder {1} does not exist</source>
        <translation>{0}：输出文件夹 {1} 不存在</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: output folder {1} is not writable</source>
        <translation>{0}：输出文件夹 {1} 不可写</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: polygonising failed</source>
        <translation>{0}：矢量化为多边形失败</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: the detector needs {1} band(s) but {2} were chosen ({3})</source>
        <translation>{0}：检测器需要 {1} 个波段，但选择了 {2} 个（{3}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: the labelled area has no polygon</source>
        <translation>{0}：已标注区域中没有多边形</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: the teacher must be trained on the same labelled data and inputs (architecture, input channels and normalisation differ)</source>
        <translation>{0}：教师模型必须在相同的标注数据和输入上训练（网络结构、输入通道和归一化不一致）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: this model needs coherence: give an SLC pair or a coherence raster (the Coherence layer)</source>
        <translation>{0}：该模型需要相干性：请提供 SLC 影像对或相干性栅格（相干性图层）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: tile size {1} is too small</source>
        <translation>{0}：瓦片大小 {1} 太小</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: training folder not found</source>
        <translation>{0}：找不到训练文件夹</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: without georeferencing both rasters must have the same size ({1}x{2} vs {3}x{4})</source>
        <translation>{0}：没有地理参考时，两幅栅格的尺寸必须相同（{1}x{2} 与 {3}x{4}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: without georeferencing the labels must have the size of the rasters ({1}x{2} vs {3}x{4})</source>
        <translation>{0}：没有地理参考时，标注的尺寸必须与栅格相同（{1}x{2} 与 {3}x{4}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}unknown architecture &apos;{1}&apos; (known: {2})</source>
        <translation>{0}未知的网络结构 '{1}'（已知：{2}）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="74"/>
        <source>MODEL accepts here: {} or a checkpoint file (.pt).</source>
        <translation>此处 MODEL 可取：{}，或检查点文件（.pt）。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="89"/>
        <source>Detector (from the list, or a checkpoint file)</source>
        <translation>检测器（从列表中选择，或检查点文件）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/model_widget.py" line="27"/>
        <source>A detector by name, or the path of a checkpoint file</source>
        <translation>检测器名称，或检查点文件的路径</translation>
    </message>
    <message>
        <location filename="../plugin/processing/model_widget.py" line="38"/>
        <source>Choose a checkpoint file</source>
        <translation>选择检查点文件</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="207"/>
        <source>Seam-free</source>
        <translation>无接缝</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="208"/>
        <source>Fastest (seams)</source>
        <translation>最快（有接缝）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="209"/>
        <source>Block joins</source>
        <translation>分块拼接</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="306"/>
        <source>Tile size in pixels; default: networks run on blocks sized to the scene</source>
        <translation>瓦片大小（像元）；默认：网络在按场景确定大小的分块上运行</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="307"/>
        <source>Networks read 48 px around each block and blend neighbouring blocks there, so results join without seams; without the overlap a run is about 15 % faster but shows steps at block borders</source>
        <translation>网络在每个分块周围多读取 48 像元，并在该区域融合相邻分块，使结果无接缝拼接；不使用重叠时运行约快 15 %，但分块边界处会出现台阶</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>context &apos;{0}&apos;: use {1}</source>
        <translation>上下文 '{0}'：请使用 {1}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>overlap {0}: must be 0 or more pixels</source>
        <translation>重叠 {0}：必须为 0 或更多像元</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>runtime &apos;{0}&apos; is not installed (pip install {1})</source>
        <translation>运行时 '{0}' 未安装（pip install {1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>runtime &apos;{0}&apos;: use {1}</source>
        <translation>运行时 '{0}'：请使用 {1}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>the model&apos;s output has shape {0}; &apos;logits&apos; needs (N, 2, H, W)</source>
        <translation>模型输出的形状为 {0}；'logits' 要求形状为 (N, 2, H, W)</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>unknown detector &apos;{0}&apos;: use {1}, a checkpoint file (.pt) or an ONNX file</source>
        <translation>未知的检测器 '{0}'：请使用 {1}、检查点文件（.pt）或 ONNX 文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: &apos;bands&apos; must list band numbers from 1, e.g. [1, 2, 3]</source>
        <translation>{0}：'bands' 必须列出从 1 开始编号的波段号，例如 [1, 2, 3]</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: &apos;inputs&apos; must list the before and after input names (or one, stacked)</source>
        <translation>{0}：'inputs' 必须列出前期和后期的输入名称（或一个堆叠输入的名称）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: &apos;output&apos; must be one of {1}</source>
        <translation>{0}：'output' 必须为 {1} 之一</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: &apos;std&apos; values must be positive</source>
        <translation>{0}：'std' 的值必须为正数</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: &apos;{1}&apos; must give one number per band</source>
        <translation>{0}：'{1}' 必须为每个波段给出一个数值</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: ONNX file not found</source>
        <translation>{0}：找不到 ONNX 文件</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: an ONNX file without MineCD metadata needs a JSON sidecar ({1}) that describes its inputs, bands, normalisation and output (see the README, Bring your own model)</source>
        <translation>{0}：不含 MineCD 元数据的 ONNX 文件需要一个同名 JSON 说明文件（{1}），描述其输入、波段、归一化和输出（参见 README 的“Bring your own model”一节）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot run with {1} ({2})</source>
        <translation>{0}：无法用 {1} 运行（{2}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: expected a JSON object</source>
        <translation>{0}：应为 JSON 对象</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: input &apos;{1}&apos; is not an (N, C, H, W) image input</source>
        <translation>{0}：输入 '{1}' 不是 (N, C, H, W) 形式的影像输入</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: its MineCD metadata is not JSON</source>
        <translation>{0}：其 MineCD 元数据不是 JSON</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: its MineCD metadata is not of a known format</source>
        <translation>{0}：其 MineCD 元数据的格式无法识别</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: its input takes {1} channels but the sidecar gives {2}</source>
        <translation>{0}：其输入需要 {1} 个通道，但同名 JSON 说明文件给出的是 {2} 个</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: not a readable ONNX file ({1})</source>
        <translation>{0}：不是可读取的 ONNX 文件（{1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: not valid JSON ({1})</source>
        <translation>{0}：不是有效的 JSON（{1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: only networks can be exported (classic detectors need no model file)</source>
        <translation>{0}：只有神经网络可以导出（经典检测器无需模型文件）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: only optical third-party models are supported</source>
        <translation>{0}：仅支持光学类第三方模型</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: running an ONNX model needs OpenVINO or ONNX Runtime (pip install onnxruntime)</source>
        <translation>{0}：运行 ONNX 模型需要 OpenVINO 或 ONNX Runtime（pip install onnxruntime）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: the model has no input &apos;{1}&apos; (it has {2})</source>
        <translation>{0}：模型没有名为 '{1}' 的输入（现有输入：{2}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: {1} cannot load this model ({2})</source>
        <translation>{0}：{1} 无法加载此模型（{2}）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="114"/>
        <source>Tile size in pixels (empty: blocks sized to the scene for networks, 256 otherwise)</source>
        <translation>瓦片大小（像元；留空：网络使用按场景确定大小的分块，其他检测器为 256）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="127"/>
        <source>Block overlap in pixels (empty: 48 for networks, blended: seam-free; 0: fastest)</source>
        <translation>分块重叠（像元；留空：网络为 48，融合后无接缝；0：最快）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="140"/>
        <source>Network runtime (auto, openvino, onnxruntime, torch)</source>
        <translation>网络运行时（auto、openvino、onnxruntime、torch）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="120"/>
        <source>Models (*.pt *.pth *.onnx)</source>
        <translation>模型文件 (*.pt *.pth *.onnx)</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>precision &apos;{0}&apos;: use {1}</source>
        <translation>精度 '{0}'：请使用 {1}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>Dask worker {0} runs MineCD {1}, this client {2}: install the same version on the workers (pip install &apos;minecd[dask]=={3}&apos;)</source>
        <translation>Dask 工作进程 {0} 运行的是 MineCD {1}，本客户端为 {2}：请在工作节点上安装相同版本（pip install 'minecd[dask]=={3}'）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>a distributed run takes a detector by name or file, not a Python object</source>
        <translation>分布式运行需要以名称或文件指定检测器，而不是 Python 对象</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>cannot reach the Dask scheduler at {0} ({1}): is it running, and is the address (e.g. tcp://host:8786) right?</source>
        <translation>无法连接位于 {0} 的 Dask 调度器（{1}）：它是否在运行，地址（例如 tcp://host:8786）是否正确？</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>give either a scheduler address or a number of local workers, not both</source>
        <translation>请给出调度器地址或本地工作进程数，不能同时给出</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>part {0} failed on {1}</source>
        <translation>第 {0} 部分在 {1} 上失败</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>part {0}: Dask lost every worker that ran it (out of memory?)</source>
        <translation>第 {0} 部分：运行它的所有 Dask 工作进程都已丢失（内存不足？）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>running on Dask needs dask and distributed: pip install &apos;minecd[dask]&apos; (or dask and distributed at the versions in requirements.txt)</source>
        <translation>在 Dask 上运行需要 dask 和 distributed：pip install 'minecd[dask]'（或安装 requirements.txt 中版本的 dask 和 distributed）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>scheduler &apos;{0}&apos;: use an address such as tcp://host:8786, or local:N</source>
        <translation>调度器 '{0}'：请使用 tcp://host:8786 这样的地址，或 local:N</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>the Dask scheduler of {0} cannot import MineCD&apos;s engine: install it there too (pip install &apos;minecd[dask]=={1}&apos;; Dask needs the same packages on the client, the scheduler and the workers)</source>
        <translation>{0} 的 Dask 调度器无法导入 MineCD 引擎：请在调度器上也安装它（pip install 'minecd[dask]=={1}'；Dask 要求客户端、调度器和工作节点安装相同的软件包）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>the Dask workers of {0} cannot import MineCD&apos;s engine: install it there (pip install &apos;minecd[dask]=={1}&apos;)</source>
        <translation>{0} 的 Dask 工作节点无法导入 MineCD 引擎：请在那里安装它（pip install 'minecd[dask]=={1}'）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>the rasters read here cover another extent ({0}) than on the client: do client and workers see the same files?</source>
        <translation>此处读取的栅格范围（{0}）与客户端不同：客户端和工作节点看到的是同一批文件吗？</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>workers {0}: must be at least 1</source>
        <translation>工作进程数 {0}：至少为 1</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}, line {1}: job name &apos;{2}&apos; must start with a letter or digit and use only letters, digits, spaces, &apos;.&apos;, &apos;_&apos; and &apos;-&apos; (it names the job&apos;s output folder)</source>
        <translation>{0}，第 {1} 行：任务名 '{2}' 必须以字母或数字开头，且只能包含字母、数字、空格、'.'、'_' 和 '-'（它用作该任务的输出文件夹名）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: &apos;{1}&apos; is not yes or no</source>
        <translation>{0}：'{1}' 不是 yes 或 no</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot create the output folder ({1})</source>
        <translation>{0}：无法创建输出文件夹（{1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot create the run folder ({1})</source>
        <translation>{0}：无法创建运行文件夹（{1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot read this GeoPackage</source>
        <translation>{0}：无法读取此 GeoPackage</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot read this jobs table ({1})</source>
        <translation>{0}：无法读取此任务表（{1}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: exists and is not a MineCD run folder: remove it</source>
        <translation>{0}：已存在且不是 MineCD 运行文件夹：请删除它</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: job name &apos;{1}&apos; appears twice (lines {2} and {3})</source>
        <translation>{0}：任务名 '{1}' 出现了两次（第 {2} 行和第 {3} 行）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: jobs table not found</source>
        <translation>{0}：找不到任务表</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: no Dask worker joined within 60 s</source>
        <translation>{0}：60 秒内没有 Dask 工作进程加入</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: no detector</source>
        <translation>{0}：没有检测器</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: no table &apos;{1}&apos; in this GeoPackage</source>
        <translation>{0}：此 GeoPackage 中没有表 '{1}'</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: the jobs table has no rows</source>
        <translation>{0}：任务表没有任何行</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: the jobs table lacks the column(s) {1} (needed: {2})</source>
        <translation>{0}：任务表缺少列 {1}（需要：{2}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: {1} &apos;{2}&apos; is not valid</source>
        <translation>{0}：{1} '{2}' 无效</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="30"/>
        <source>Detect changes for many mines (jobs table)</source>
        <translation>多矿区变化检测（任务表）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="49"/>
        <source>Jobs table (CSV or GeoPackage)</source>
        <translation>任务表（CSV 或 GeoPackage）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="49"/>
        <source>Jobs tables (*.csv *.gpkg)</source>
        <translation>任务表 (*.csv *.gpkg)</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="132"/>
        <source>Output folder</source>
        <translation>输出文件夹</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="67"/>
        <source>Batch summary (CSV)</source>
        <translation>批处理汇总（CSV）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="68"/>
        <source>Jobs done</source>
        <translation>已完成任务数</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="69"/>
        <source>Jobs failed</source>
        <translation>失败任务数</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="71"/>
        <source>Batch summary (JSON)</source>
        <translation>批处理汇总（JSON）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="80"/>
        <source>Give either WORKERS or SCHEDULER, not both</source>
        <translation>请给出 WORKERS 或 SCHEDULER，不能同时给出</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="83"/>
        <source>{ok} of {jobs} jobs done, {failed} failed, {area:.2f} ha changed</source>
        <translation>{jobs} 个任务中完成 {ok} 个，失败 {failed} 个，变化面积 {area:.2f} 公顷</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="92"/>
        <source>No job could run: see the errors above</source>
        <translation>没有任务能够运行：请查看上面的错误</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>jobs</source>
        <translation>任务</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="27"/>
        <source>job {}/{}</source>
        <translation>任务 {}/{}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>cannot start {0} local Dask worker processes ({1}); from a Python script, call MineCD under `if __name__ == &quot;__main__&quot;:` (each worker process imports the script)</source>
        <translation>无法启动 {0} 个本地 Dask 工作进程（{1}）；在 Python 脚本中，请把对 MineCD 的调用放在 `if __name__ == &quot;__main__&quot;:` 之下（每个工作进程都会导入该脚本）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="34"/>
        <source>Runs every job of a table (CSV or GeoPackage) with the columns name, before, after and detector, and optionally bands, aoi, min_area, threshold, overlap, coherence, probability and polygons (yes/no); other columns, such as a licence number, are copied into the summary. Each job writes OUTPUT_FOLDER/name/mask.tif, changes.gpkg and summary.json; batch.csv and batch.json list every job with its status, changed area and error. A job that fails does not stop the others; running again skips the jobs already done. WORKERS (N local worker processes) or SCHEDULER (the address of an existing Dask cluster, tcp://host:8786) runs the jobs on Dask distributed; with neither, the jobs run one after the other in QGIS.</source>
        <translation>运行任务表（CSV 或 GeoPackage）中的每个任务，表中包含 name、before、after 和 detector 列，可选 bands、aoi、min_area、threshold、overlap、coherence、probability 和 polygons（yes/no）列；其他列（如许可证编号）会复制到汇总中。每个任务写出 OUTPUT_FOLDER/name/mask.tif、changes.gpkg 和 summary.json；batch.csv 和 batch.json 列出每个任务的状态、变化面积和错误。一个任务失败不会中断其他任务；再次运行会跳过已完成的任务。WORKERS（N 个本地工作进程）或 SCHEDULER（已有 Dask 集群的地址，tcp://host:8786）使任务在 Dask distributed 上运行；两者都不设时，任务在 QGIS 中逐个运行。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_batch.py" line="54"/>
        <source>Local Dask workers (0: none)</source>
        <translation>本地 Dask 工作进程数（0：不使用）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="55"/>
        <source>Dask scheduler (tcp://host:8786 or local:N)</source>
        <translation>Dask 调度器（tcp://host:8786 或 local:N）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="77"/>
        <source>SCHEDULER (advanced) runs the detection on Dask distributed: the address of a cluster (tcp://host:8786) or local:N for N worker processes on this machine; empty: in QGIS. The mask is the same pixel for pixel.</source>
        <translation>SCHEDULER（高级）在 Dask distributed 上运行检测：集群地址（tcp://host:8786），或 local:N 表示在本机使用 N 个工作进程；留空：在 QGIS 中运行。得到的掩膜逐像元相同。</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>buffer {0}: must be 0 or more metres</source>
        <translation>缓冲区 {0}：必须为 0 或更多米</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>monitoring needs at least 2 images of the area, not {0}</source>
        <translation>监测至少需要该区域的 2 幅影像，而不是 {0} 幅</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>the images are not in date order: {0} ({1}) comes after {2} ({3}); list them from the earliest</source>
        <translation>影像未按日期排序：{0}（{1}）排在 {2}（{3}）之后；请从最早的影像开始列出</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0} and {1} have the same date {2}</source>
        <translation>{0} 和 {1} 的日期相同（{2}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0} dates for {1} images: give one date per image</source>
        <translation>{1} 幅影像给出了 {0} 个日期：请为每幅影像给出一个日期</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: &apos;{1}&apos; is not a date such as 2021-07-01</source>
        <translation>{0}：'{1}' 不是 2021-07-01 这样的日期</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot read the licences as a vector layer</source>
        <translation>{0}：无法将矿权作为矢量图层读取</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: no date: name the file after it (e.g. 2021-07-01.tif), give --dates, or set ACQUISITION_DATE in its metadata</source>
        <translation>{0}：没有日期：请用日期命名文件（例如 2021-07-01.tif）、给出 --dates，或在其元数据中设置 ACQUISITION_DATE</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: no field &apos;{1}&apos; (fields: {2})</source>
        <translation>{0}：没有字段 '{1}'（现有字段：{2}）</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: no licence overlaps the images</source>
        <translation>{0}：没有矿权与影像重叠</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: no licence polygon</source>
        <translation>{0}：没有矿权多边形</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="68"/>
        <source>Monitor mines against their licences (time series)</source>
        <translation>对照矿权监测矿山（时间序列）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="86"/>
        <source>Images of the area, earliest first</source>
        <translation>该区域的影像（从最早开始）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="91"/>
        <source>Mining licences (polygons)</source>
        <translation>矿权（多边形）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="96"/>
        <source>Licence id field (empty: the first text field)</source>
        <translation>矿权编号字段（留空：第一个文本字段）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="110"/>
        <source>Dates, e.g. 2019-07-01,2020-07-01 (empty: from the files)</source>
        <translation>日期，例如 2019-07-01,2020-07-01（留空：取自文件）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="115"/>
        <source>Zone watched around each licence (m)</source>
        <translation>每个矿权周围的监视范围（米）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="173"/>
        <source>Changes by licence</source>
        <translation>按矿权划分的变化</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="134"/>
        <source>Licences with changed areas</source>
        <translation>含变化面积的矿权</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="173"/>
        <source>First period of change</source>
        <translation>首次变化时期</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="136"/>
        <source>Monitoring report</source>
        <translation>监测报告</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="137"/>
        <source>Monitoring record (GeoPackage)</source>
        <translation>监测记录（GeoPackage）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="139"/>
        <source>Licences flagged</source>
        <translation>被标记的矿权</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="140"/>
        <source>Changes outside every licence</source>
        <translation>所有矿权之外的变化</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="141"/>
        <source>Monitoring summary (JSON)</source>
        <translation>监测汇总（JSON）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="149"/>
        <source>IMAGES: every layer must be a raster file</source>
        <translation>IMAGES：每个图层都必须是栅格文件</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="173"/>
        <source>Licences</source>
        <translation>矿权</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="182"/>
        <source>Licences flagged: {}</source>
        <translation>被标记的矿权：{}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="248"/>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="183"/>
        <source>Report: {}</source>
        <translation>报告：{}</translation>
    </message>
    <message>
        <location filename="../plugin/styling.py" line="98"/>
        <source>Inside a licence</source>
        <translation>位于矿权内</translation>
    </message>
    <message>
        <location filename="../plugin/styling.py" line="98"/>
        <source>Crosses a licence boundary</source>
        <translation>跨越矿权边界</translation>
    </message>
    <message>
        <location filename="../plugin/styling.py" line="98"/>
        <source>Outside every licence</source>
        <translation>位于所有矿权之外</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="13"/>
        <source>licences</source>
        <translation>矿权叠加</translation>
    </message>
    <message>
        <location filename="../plugin/messages.py" line="27"/>
        <source>period {}/{}</source>
        <translation>时期 {}/{}</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="43"/>
        <source>Monitoring…</source>
        <translation>监测…</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="315"/>
        <source>Monitor a series against mining licences: opens the tool with the project&apos;s dated rasters, its licence layer and this detector</source>
        <translation>对照矿权监测影像序列：打开监测工具，并预先填入工程中带日期的栅格、矿权图层和当前检测器</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>{0}: cannot open the GeoPackage to store its styles</source>
        <translation>{0}：无法打开 GeoPackage 以保存其样式</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="72"/>
        <source>Detects changes on each consecutive pair of a series of images of one area (earliest first; dates from DATES, from a date in each file name such as 2021-07-01.tif, or from the files&apos; metadata) and sets them against mining-licence polygons: each change is inside a licence, outside every licence, or crosses a licence boundary. OUTPUT_FOLDER receives monitor.gpkg (layers changes, licences with the changed area per period inside and within BUFFER metres outside, and a periods table), change_date.tif (the first period in which each pixel changed), report.html with a map per period and the tables, and monitor_layout.qpt, a print layout (also added to the project) for a PDF of the record.</source>
        <translation>对同一区域的一组影像（从最早开始；日期取自 DATES、文件名中的日期如 2021-07-01.tif，或文件元数据）逐对相邻检测变化，并与矿权多边形叠加：每处变化位于矿权内、所有矿权之外，或跨越矿权边界。OUTPUT_FOLDER 中写出 monitor.gpkg（图层 changes、licences——含每期矿权内及其外 BUFFER 米范围内的变化面积——以及 periods 表）、change_date.tif（每个像元首次发生变化的时期）、report.html（每期一幅地图及各表格），以及 monitor_layout.qpt——一个打印布局（同时加入工程），用于输出监测记录的 PDF。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="138"/>
        <source>Print layout template (.qpt)</source>
        <translation>打印布局模板（.qpt）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="217"/>
        <source>MineCD monitoring {}</source>
        <translation>MineCD 监测 {}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="225"/>
        <source>Mine monitoring {}</source>
        <translation>矿山监测 {}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="250"/>
        <source>Licences flagged: {}. Changes outside every licence: {}. Detector: {}.</source>
        <translation>被标记的矿权：{}。所有矿权之外的变化：{} 处。检测器：{}。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_monitor.py" line="126"/>
        <source>Also the whole span, first image to last (period 0)</source>
        <translation>同时分析整个时段（首幅到末幅影像，时期 0）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="85"/>
        <source>Not now</source>
        <translation>暂不</translation>
    </message>
    <message>
        <location filename="../plugin/dock/layout.py" line="86"/>
        <source>Hide this offer; MineCD runs the networks with PyTorch</source>
        <translation>不再提示；MineCD 用 PyTorch 运行网络</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="167"/>
        <source>Optional: {} run the networks 2–4× faster on a CPU than PyTorch alone.</source>
        <translation>可选：{} 在 CPU 上运行网络比单用 PyTorch 快 2–4 倍。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="169"/>
        <source>Optional: {} reads and writes ONNX model files.</source>
        <translation>可选：{} 用于读写 ONNX 模型文件。</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="179"/>
        <source>Faster networks (optional)</source>
        <translation>更快的网络（可选）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="180"/>
        <source>MineCD works without them.</source>
        <translation>没有它们 MineCD 也能运行。</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>flips &apos;{0}&apos;: use {1}</source>
        <translation>翻转 '{0}'：请用 {1}</translation>
    </message>
    <message>
        <location filename="../plugin/processing/detection.py" line="147"/>
        <source>Flip averaging (auto, on, off)</source>
        <translation>翻转平均（auto、on、off）</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="110"/>
        <source>change-vector analysis</source>
        <translation>变化向量分析</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="111"/>
        <source>IR-MAD</source>
        <translation>IR-MAD</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="112"/>
        <source>the SAR log-ratio</source>
        <translation>SAR 对数比</translation>
    </message>
    <message>
        <location filename="../plugin/dock/adapt.py" line="126"/>
        <source>It also weighs {} (F1 {:.3f} -&gt; {:.3f} on the labelled pixels).</source>
        <translation>模型还融合了{}（标注像素上的 F1：{:.3f} -&gt; {:.3f}）。</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>classic cue &apos;{0}&apos; is for {1} data; this model is {2}</source>
        <translation>经典线索“{0}”适用于 {1} 数据；此模型为 {2}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>classic cue &apos;{0}&apos;: use {1}</source>
        <translation>经典线索“{0}”：请使用 {1}</translation>
    </message>
    <message>
        <location filename="../plugin/engine_texts.py" line="6"/>
        <source>model metadata: fusion weights must be a list of three numbers</source>
        <translation>模型元数据：融合权重必须是由三个数字组成的列表</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="113"/>
        <source>Blend in the classic detector</source>
        <translation>融合经典检测器</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="113"/>
        <source>Never</source>
        <translation>从不</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="167"/>
        <source>Classic detector blended in</source>
        <translation>已融合的经典检测器</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="217"/>
        <source>the model also weighs {} (F1 on the labelled pixels {:.4f} -&gt; {:.4f})</source>
        <translation>模型还融合了 {}（标注像素上的 F1 {:.4f} -&gt; {:.4f}）</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="54"/>
        <source>Trains or adapts INSINet (optical) or the SAR U-Net on your own data: a BEFORE/AFTER pair with LABELS (change polygons, or a raster: 0 no change, non-zero change, 255 not labelled) and an optional LABEL_AREA (polygons: outside them nothing is labelled), and/or MORE_DATA, folders separated by &apos;;&apos; that each hold before.tif, after.tif and labels.tif or labels.gpkg (optional label_area.gpkg; SAR: coherence.tif). INIT starts from a model (auto: the bundled model that suits the data). MINUTES stops by wall time with the best model so far. PSEUDO also learns from the unlabelled rest of the pairs (pseudo-labels of a first model). CLASSIC_CUE weighs the classic detector&apos;s change score (change-vector analysis, SAR log-ratio) beside the network on the labelled pixels and blends it into the model. Validation is held out by site (3+ pairs) or by disjoint blocks of the labelled pixels when there are enough.</source>
        <translation>在您自己的数据上训练或微调 INSINet（光学）或 SAR U-Net：一对 BEFORE/AFTER 影像及 LABELS（变化多边形，或栅格：0 无变化，非零 变化，255 未标注），可选 LABEL_AREA（多边形：其外部视为未标注），和/或 MORE_DATA：以 ';' 分隔的文件夹，每个包含 before.tif、after.tif 以及 labels.tif 或 labels.gpkg（可选 label_area.gpkg；SAR：coherence.tif）。INIT 指定起始模型（auto：适合该数据的内置模型）。MINUTES 按运行时间停止并保留目前最好的模型。PSEUDO 同时利用影像对其余未标注部分进行学习（由第一个模型生成伪标签）。CLASSIC_CUE 在标注像素上衡量经典检测器的变化分数（变化向量分析、SAR 对数比）与网络的权重，并将其融合进模型。验证数据按站点（3 对及以上）或在标注足够时按标注像素的互不重叠区块留出。</translation>
    </message>
    <message>
        <location filename="../plugin/processing/alg_train.py" line="113"/>
        <source>Yes, weighed on the labelled pixels</source>
        <translation>是，在标注像素上确定权重</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="534"/>
        <source>blended with {}</source>
        <translation>融合了{}</translation>
    </message>
    <message>
        <location filename="../plugin/dock/panel.py" line="525"/>
        <source>validation F1 {:.3f}</source>
        <translation>验证 F1 {:.3f}</translation>
    </message>
</context>
</TS>
