# The two commands of the README. Both install what is missing, build, then run.
BUILD ?= build

.PHONY: demo test deps build clean bench

demo: build
	GST_PLUGIN_PATH=$(BUILD)/plugins/rtc $(BUILD)/tools/rtc-demo

test: build
	scripts/run-tests.sh

bench: build
	GST_PLUGIN_PATH=$(BUILD)/plugins/rtc bench/run-ice-bench.sh $(BUILD)

deps:
	scripts/install-deps.sh

build: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then meson setup $(BUILD); fi
	ninja -C $(BUILD)

clean:
	rm -rf $(BUILD)
