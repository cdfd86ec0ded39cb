# MineCD developer commands. Every target is idempotent and stops at the first error.
#   make setup    Debian packages + .venv with pinned Python packages (a stamp makes reruns instant)
#   make test     the whole test suite (engine headless, plugin offscreen, qgis_process)
#   make demo     the main job on bundled data
#   make weights  retrain the bundled models by their recipes (GPU when present; hours on a CPU)
#   make package  dist/minecd-<version>.zip for QGIS's "Install from ZIP"
#   make wheel    dist/minecd-<version>-py3-none-any.whl: the engine as minecd_engine + the minecd command
#   make pictures documentation pictures of synthetic scenes -> resources/docs/
#   make screenshot  the dock after a run, the result on the map, a Processing dialog and result -> resources/docs/
#   make lint     ruff
#   make bench    throughput and peak memory (CVA 2048²-16384², INSINet, SAR U-Net) -> bench_out/bench*.{json,md}
#   make bench-scale the Dask path: identity, 1 vs 2 workers (8192² INSINet), a batch of 8 mines -> resources/benchmarks/scale.*
#   make bench-real  detectors on the real labelled pairs in ../shared/realdata -> resources/benchmarks/real_*
#   make bench-real-loo  the insinet-s2 recipe, leave-cities-out on the real cities (about 75 min on a CPU)
#   make bench-fewshot   the few-shot protocol on every real scene (after bench-real-loo; about 75 min)
#   make bench-fewshot-curve     the same with 10 % and 60 % of the blocks labelled (about 50 min)
#   make bench-fewshot-variants  the same with pseudo-labels, from scratch, at LR 3e-4, without early stop (about 3 h)
#   make run      QGIS with the plugin in a throwaway profile
#   make qgis-process ARGS='run minecd:ALG -- PARAM=value'   headless qgis_process with the plugin
#   make transup  refresh i18n/*.ts from the sources (pylupdate5)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

PYTHON_SYS ?= /usr/bin/python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.minecd-setup-stamp
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# Debian 12 packages: QGIS 3.22 LTR with its Python bindings and providers, rasterio built on the
# same GDAL as QGIS, Qt translation tools, Xvfb for screenshots.
APT_PACKAGES := qgis python3-qgis qgis-providers python3-rasterio python3-tqdm python3-venv \
	python3-pip xvfb xauth qttools5-dev-tools pyqt5-dev-tools git make

TS_FILES := $(wildcard i18n/*.ts)
QM_FILES := $(TS_FILES:.ts=.qm)
PY_SOURCES = $(shell git ls-files --cached --others --exclude-standard -- 'plugin/*.py')

.PHONY: help setup apt-packages optional-packages test test-engine test-plugin package wheel lint run qgis-process \
	transup translations demo weights bench bench-scale bench-real bench-real-loo bench-fewshot bench-fewshot-curve bench-fewshot-variants pictures screenshot clean

help:
	@sed -n 's/^#   //p' Makefile

# ---------------------------------------------------------------- setup
setup: $(STAMP) translations

$(STAMP): requirements.txt
	@$(MAKE) --no-print-directory apt-packages
	@$(MAKE) --no-print-directory optional-packages
	@[ -x $(PY) ] || $(PYTHON_SYS) -m venv --system-site-packages $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements.txt
	$(PY) -c "import numpy, rasterio, torch, skimage, tqdm, qgis.core; \
		print('setup ok: numpy', numpy.__version__, '| torch', torch.__version__, '| rasterio', rasterio.__version__)"
	@touch $@

apt-packages:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' "$$p" 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		$(SUDO) apt-get update; \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends $$missing; \
	fi

# Chromium renders the monitoring report in a test; without it that test is skipped (not an error).
optional-packages:
	@dpkg-query -W -f='$${Status}' chromium 2>/dev/null | grep -q "install ok installed" || \
		{ DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y --no-install-recommends chromium \
		|| echo "note: chromium could not be installed: the report rendering test will be skipped"; }

# ---------------------------------------------------------------- translations
translations: $(QM_FILES)

i18n/%.qm: i18n/%.ts $(STAMP)
	lrelease -silent $< -qm $@

transup:
	$(PY) i18n/engine_texts.py
	pylupdate5 -noobsolete $(PY_SOURCES) -ts $(TS_FILES)

# ---------------------------------------------------------------- tests
test: setup
	$(MAKE) --no-print-directory test-engine test-plugin

# The engine suite runs without the pytest-qgis plugin: the engine must not need QGIS.
test-engine: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -p no:pytest_qgis tests/engine

test-plugin: setup
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest tests/plugin

lint: setup
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# ---------------------------------------------------------------- packaging
package: translations
	rm -rf build/package && mkdir -p build/package/minecd dist
	git ls-files --cached --others --exclude-standard -z -- \
		metadata.txt __init__.py LICENSE README.md README.zh_CN.md plugin engine resources i18n \
		':!resources/docs' ':!resources/benchmarks' ':!resources/demo' ':!engine/lab' \
		| xargs -0 cp --parents -t build/package/minecd
	cp $(QM_FILES) build/package/minecd/i18n/
	find build/package -depth \( -name '__pycache__' -o -name '*.pyc' \) -exec rm -rf {} +
	rm -f dist/minecd-$(VERSION).zip
	cd build/package && $(PYTHON_SYS) -m zipfile -c ../../dist/minecd-$(VERSION).zip minecd
	@echo "built dist/minecd-$(VERSION).zip"

wheel: $(STAMP)
	$(PY) -m pip wheel --disable-pip-version-check -q --no-deps --no-build-isolation -w dist .
	rm -rf build/lib build/bdist.* minecd.egg-info
	@echo "built dist/minecd-$(VERSION)-py3-none-any.whl (pip install 'dist/minecd-$(VERSION)-py3-none-any.whl[dask]')"

# ---------------------------------------------------------------- running
RUN_PROFILES := $(CURDIR)/build/run-profiles
run: setup translations
	mkdir -p $(RUN_PROFILES)/profiles/default/python/plugins $(RUN_PROFILES)/profiles/default/QGIS
	ln -sfn $(CURDIR) $(RUN_PROFILES)/profiles/default/python/plugins/minecd
	ini=$(RUN_PROFILES)/profiles/default/QGIS/QGIS3.ini; \
		[ -f $$ini ] || printf '[PythonPlugins]\nminecd=true\n' > $$ini
	PYTHONPATH=$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])') \
		qgis --profiles-path $(RUN_PROFILES)

qgis-process: setup
	.ci/qgis-process $(ARGS)

pictures: setup
	$(PY) -m engine synth optical --size 2048 --seed 1 --out build/pictures/optical --quiet
	$(PY) -m engine synth sar --size 1024 --seed 1 --out build/pictures/sar --quiet
	$(PY) -c "from engine.lab.synthetic.quicklook import scene_quicklook as q; \
		q('build/pictures/optical', 'resources/docs/synthetic_optical.png', 80); \
		q('build/pictures/sar', 'resources/docs/synthetic_sar.png', 80)"

screenshot: setup translations
	QT_QPA_PLATFORM=offscreen $(PY) .ci/screenshot.py $(DETECTOR)

weights: setup
	$(PY) -m engine weights --work build/weights

bench: setup
	$(PY) -m engine bench --out bench_out/bench.json --workdir bench_out/data
	$(PY) -m engine bench --detector insinet-demo --sizes 2048,4096,16384 --dtypes uint8 \
		--out bench_out/bench_insinet.json --workdir bench_out/data
	$(PY) -m engine bench --detector sarunet-demo --sizes 2048,4096 --dtypes complex64 \
		--out bench_out/bench_sarunet.json --workdir bench_out/data

bench-scale: setup
	$(PY) -m engine bench-scale --size 8192 --jobs 8 --job-size 1024 --workdir bench_out/scale \
		--out resources/benchmarks/scale.json

# Real labelled pairs (Sentinel-2 OSCD cities, amplitude SAR scenes): see ../shared/realdata/README.md.
REALDATA ?= ../shared/realdata
OPTICAL_REAL := cva,irmad,insinet-demo@3,2,1
SAR_REAL := logratio,logratio:method=otsu,logratio:method=ki
bench-real: setup
	@if [ ! -d "$(REALDATA)/oscd" ] || [ ! -d "$(REALDATA)/sar" ]; then \
		echo "bench-real: no real data at $(REALDATA) (oscd/ and sar/): skipped"; exit 0; fi; \
	$(PY) -m engine benchmark --data $(REALDATA)/oscd --detectors $(OPTICAL_REAL) --out bench_out/real_optical \
		--json resources/benchmarks/real_optical.json --md resources/benchmarks/real_optical.md --quiet; \
	$(PY) -m engine benchmark --data $(REALDATA)/sar --detectors $(SAR_REAL) --out bench_out/real_sar \
		--json resources/benchmarks/real_sar.json --md resources/benchmarks/real_sar.md --quiet; \
	echo "quicklooks: bench_out/real_optical/quicklooks/, bench_out/real_sar/quicklooks/"

# The insinet-s2 recipe scored leave-cities-out on the 9 OSCD cities it is trained on (about 75 min
# on 2 CPU cores) and the few-shot protocol on every real scene (about 75 min).
S2_CITIES := abudhabi aguasclaras beihai bercy bordeaux hongkong mumbai paris rennes
bench-real-loo: setup
	$(PY) -m engine leaveout --arch insinet --data $(addprefix $(REALDATA)/oscd/,$(S2_CITIES)) \
		--out bench_out/leave_cities_out --bands 1,2,3,4 --tile 128 --overlap --epochs 40 --patience 12 \
		--standardise scene --change-weight 5 --quiet
	cp bench_out/leave_cities_out/leave_scenes_out.json resources/benchmarks/real_insinet_s2_leave_cities_out.json
bench-fewshot: setup
	$(PY) -m engine fewshot --arch sarunet --data $(REALDATA)/sar/ottawa $(REALDATA)/sar/yellowriver \
		--out bench_out/fewshot/sar --minutes 5 --classic logratio \
		--json resources/benchmarks/fewshot_sar.json --md resources/benchmarks/fewshot_sar.md --quiet
	$(PY) -m engine fewshot --arch insinet --data $(wildcard $(REALDATA)/oscd/*) --out bench_out/fewshot/oscd \
		--minutes 5 --classic cva --init insinet-s2 --change-weight 5 \
		--init-map bench_out/leave_cities_out/leave_scenes_out.json \
		--json resources/benchmarks/fewshot_oscd.json --md resources/benchmarks/fewshot_oscd.md --quiet

# What the few-shot defaults were chosen against: pseudo-labels, no start model, a lower rate
# (the *_pseudo_cue files: with the classic cue; fewshot_*_pseudo.* were measured before it).
FEWSHOT_SAR = $(PY) -m engine fewshot --arch sarunet --data $(REALDATA)/sar/ottawa $(REALDATA)/sar/yellowriver \
	--minutes 5 --classic logratio --quiet
FEWSHOT_OSCD = $(PY) -m engine fewshot --arch insinet --data $(wildcard $(REALDATA)/oscd/*) --minutes 5 \
	--classic cva --change-weight 5 --quiet
FEWSHOT_FOLDS = --init insinet-s2 --init-map bench_out/leave_cities_out/leave_scenes_out.json
B := resources/benchmarks
bench-fewshot-curve: setup
	for f in 0.1 0.6; do \
		$(FEWSHOT_SAR) --fraction $$f --out bench_out/fs_sar_$$f --json $(B)/fewshot_sar_$$f.json --md $(B)/fewshot_sar_$$f.md && \
		$(FEWSHOT_OSCD) $(FEWSHOT_FOLDS) --fraction $$f --out bench_out/fs_oscd_$$f \
			--json $(B)/fewshot_oscd_$$f.json --md $(B)/fewshot_oscd_$$f.md || exit 1; \
	done
bench-fewshot-variants: setup
	$(FEWSHOT_SAR) --pseudo --out bench_out/fs_sar_pseudo_cue --json $(B)/fewshot_sar_pseudo_cue.json \
		--md $(B)/fewshot_sar_pseudo_cue.md
	$(FEWSHOT_SAR) --init none --out bench_out/fs_sar_scratch --json $(B)/fewshot_sar_scratch.json \
		--md $(B)/fewshot_sar_scratch.md
	$(FEWSHOT_SAR) --init none --patience 300 --out bench_out/fs_sar_scratch_p300 \
		--json $(B)/fewshot_sar_scratch_patience300.json --md $(B)/fewshot_sar_scratch_patience300.md
	$(FEWSHOT_OSCD) $(FEWSHOT_FOLDS) --pseudo --out bench_out/fs_pseudo_cue --json $(B)/fewshot_oscd_pseudo_cue.json \
		--md $(B)/fewshot_oscd_pseudo_cue.md
	$(FEWSHOT_OSCD) $(FEWSHOT_FOLDS) --lr 3e-4 --out bench_out/fs_lr3 --json $(B)/fewshot_oscd_lr3e-4.json \
		--md $(B)/fewshot_oscd_lr3e-4.md
	$(FEWSHOT_OSCD) --init none --bands 1,2,3,4 --tile 128 --standardise scene --out bench_out/fs_scratch \
		--json $(B)/fewshot_oscd_scratch.json --md $(B)/fewshot_oscd_scratch.md
	$(FEWSHOT_SAR) --patience 10000 --out bench_out/fs_sar_full --json $(B)/fewshot_sar_no_early_stop.json \
		--md $(B)/fewshot_sar_no_early_stop.md
	$(FEWSHOT_OSCD) $(FEWSHOT_FOLDS) --patience 10000 --out bench_out/fs_full \
		--json $(B)/fewshot_oscd_no_early_stop.json --md bench_out/fewshot_oscd_no_early_stop.md

# The main job on bundled data: fresh synthetic scenes (seeds never used in training), detection
# through the real front door (qgis_process with the minecd provider) with the bundled demo models
# and the classic detectors, then metrics and quicklooks.
DEMO := demo_out
REAL_DEMO := resources/demo/oscd_nantes
QP := .ci/qgis-process run
demo: setup translations
	rm -rf $(DEMO) && mkdir -p $(DEMO)
	@echo "== generating a fresh optical pair (seed 2024) and SAR SLC pair (seed 2025)"
	$(PY) -m engine synth optical --size 2048 --seed 2024 --out $(DEMO)/optical --quiet
	$(PY) -m engine synth sar --size 1024 --seed 2025 --out $(DEMO)/sar --quiet
	@echo "== detecting through qgis_process (minecd:detectoptical, minecd:detectsar)"
	$(QP) minecd:detectoptical -- BEFORE=$(DEMO)/optical/before.tif AFTER=$(DEMO)/optical/after.tif \
		MODEL=insinet-demo MIN_AREA=100 OUTPUT=$(DEMO)/optical_insinet_mask.tif \
		OUTPUT_POLYGONS=$(DEMO)/optical_insinet_changes.gpkg > $(DEMO)/optical_insinet.log 2>&1
	$(QP) minecd:detectoptical -- BEFORE=$(DEMO)/optical/before.tif AFTER=$(DEMO)/optical/after.tif \
		MODEL=cva MIN_AREA=100 OUTPUT=$(DEMO)/optical_cva_mask.tif \
		OUTPUT_POLYGONS=$(DEMO)/optical_cva_changes.gpkg > $(DEMO)/optical_cva.log 2>&1
	$(QP) minecd:detectsar -- BEFORE=$(DEMO)/sar/before.tif AFTER=$(DEMO)/sar/after.tif \
		MODEL=sarunet-demo MIN_AREA=500 OUTPUT=$(DEMO)/sar_unet_mask.tif \
		OUTPUT_POLYGONS=$(DEMO)/sar_unet_changes.gpkg > $(DEMO)/sar_unet.log 2>&1
	$(QP) minecd:detectsar -- BEFORE=$(DEMO)/sar/before.tif AFTER=$(DEMO)/sar/after.tif \
		MODEL=logratio MIN_AREA=500 OUTPUT=$(DEMO)/sar_logratio_mask.tif \
		OUTPUT_POLYGONS=$(DEMO)/sar_logratio_changes.gpkg > $(DEMO)/sar_logratio.log 2>&1
	@echo "== real imagery: Sentinel-2, Nantes (OSCD, CC BY 4.0; urban change labels, not a mine)"
	cp -r $(REAL_DEMO) $(DEMO)/  # QGIS writes .aux.xml statistics beside the rasters it reads
	$(QP) minecd:detectoptical -- BEFORE=$(DEMO)/oscd_nantes/before.tif AFTER=$(DEMO)/oscd_nantes/after.tif \
		MODEL=cva MIN_AREA=1000 OUTPUT=$(DEMO)/real_cva_mask.tif \
		OUTPUT_POLYGONS=$(DEMO)/real_cva_changes.gpkg > $(DEMO)/real_cva.log 2>&1
	$(QP) minecd:detectoptical -- BEFORE=$(DEMO)/oscd_nantes/before.tif AFTER=$(DEMO)/oscd_nantes/after.tif \
		MODEL=insinet-s2 MIN_AREA=1000 OUTPUT=$(DEMO)/real_insinet_s2_mask.tif \
		OUTPUT_POLYGONS=$(DEMO)/real_insinet_s2_changes.gpkg > $(DEMO)/real_insinet_s2.log 2>&1
	$(PY) -m engine benchmark --data $(DEMO)/oscd_nantes --detectors insinet-s2,cva,irmad --out $(DEMO)/real --quiet
	@echo "== many mines at once: a jobs table on a local Dask cluster of 2 worker processes"
	printf 'name,before,after,detector,min_area,licence\n%s\n%s\n%s\n' \
		"synthetic pit,optical/before.tif,optical/after.tif,insinet-demo,100,DEMO-1" \
		"synthetic SAR pit,sar/before.tif,sar/after.tif,logratio,500,DEMO-2" \
		"Nantes,oscd_nantes/before.tif,oscd_nantes/after.tif,insinet-s2,1000,DEMO-3" > $(DEMO)/mines.csv
	$(PY) -m engine batch $(DEMO)/mines.csv --out $(DEMO)/batch --workers 2 --quiet
	@echo "== monitoring: 4 yearly dates of one mining area against its licences (synthetic, seed 2026)"
	$(PY) -m engine synth series --size 2048 --dates 4 --seed 2026 --out $(DEMO)/series --quiet
	$(QP) minecd:monitor -- IMAGES=$(DEMO)/series/images/2019-07-01.tif IMAGES=$(DEMO)/series/images/2020-07-01.tif \
		IMAGES=$(DEMO)/series/images/2021-07-01.tif IMAGES=$(DEMO)/series/images/2022-07-01.tif \
		LICENCES=$(DEMO)/series/licences.gpkg MODEL=insinet-demo MIN_AREA=200 \
		OUTPUT_FOLDER=$(DEMO)/monitoring > $(DEMO)/monitoring.log 2>&1
	@echo "== comparing with the true changes"
	$(PY) -m engine report $(DEMO) \
		--run "optical:INSINet demo:$(DEMO)/optical_insinet_mask.tif" --run "optical:CVA:$(DEMO)/optical_cva_mask.tif" \
		--run "sar:SAR U-Net demo:$(DEMO)/sar_unet_mask.tif" --run "sar:log-ratio:$(DEMO)/sar_logratio_mask.tif"
	@echo "== results in $(DEMO)/"
	@echo "   quicklooks:  $(DEMO)/quicklook_optical.png  $(DEMO)/quicklook_sar.png  (white TP, red FP, blue FN)"
	@echo "   masks (.tif + .qml style), change polygons with area_m2/area_ha (.gpkg + .qml):"
	@ls $(DEMO) | grep -E '(mask\.tif|changes\.gpkg)$$' | sed 's|^|     $(DEMO)/|'
	@echo "   metrics: $(DEMO)/metrics.md, $(DEMO)/metrics.json; qgis_process logs: $(DEMO)/*.log"
	@echo "   real imagery: $(DEMO)/real/benchmark.md, $(DEMO)/real/quicklooks/oscd_nantes.png,"
	@echo "     $(DEMO)/real_insinet_s2_mask.tif, $(DEMO)/real_cva_mask.tif (insinet-s2 never saw Nantes)"
	@echo "   monitoring: $(DEMO)/monitoring/report.html (open in a browser), monitor.gpkg, change_date.tif"
	@echo "   many mines: $(DEMO)/batch/batch.csv (status, changed area, licence per job), $(DEMO)/batch/<name>/"
	@echo "   Open the masks in QGIS over $(DEMO)/*/before.tif and after.tif (styles load automatically)."

clean:
	rm -rf build dist
