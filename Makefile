# The two commands of the README. Both install what is missing, build, then run.
BUILD ?= build

.PHONY: demo test deps build clean bench

demo: build
	$(BUILD)/tools/rtc-demo

test: build
	scripts/run-tests.sh

bench: build
	$(BUILD)/bench/ice-bench

deps:
	scripts/install-deps.sh

build: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then meson setup $(BUILD); fi
	ninja -C $(BUILD)

clean:
	rm -rf $(BUILD)
