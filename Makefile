# The two commands of the README. Both install what is missing, build, then run.
BUILD ?= build
SAN_BUILD ?= build-asan

.PHONY: demo test deps build build-asan clean bench

demo: build
	GST_PLUGIN_PATH=$(BUILD)/plugins/rtc $(BUILD)/tools/rtc-demo 8 $(BUILD)

test: build build-asan
	BUILD=$(BUILD) SAN_BUILD=$(SAN_BUILD) scripts/run-tests.sh

bench: build
	GST_PLUGIN_PATH=$(BUILD)/plugins/rtc bench/run-ice-bench.sh $(BUILD)
	GST_PLUGIN_PATH=$(BUILD)/plugins/rtc $(BUILD)/bench/srtp-bench
	bench/run-pc-bench.sh $(abspath $(BUILD))
	bench/run-dc-bench.sh $(abspath $(BUILD)) --runs 3 --mb 100

deps:
	scripts/install-deps.sh

build: deps
	@if [ ! -f $(BUILD)/build.ninja ]; then meson setup $(BUILD); fi
	ninja -C $(BUILD)

# The same code with AddressSanitizer + UBSan, for the unit and element suites.
build-asan: deps
	@if [ ! -f $(SAN_BUILD)/build.ninja ]; then meson setup $(SAN_BUILD) \
	  -Db_sanitize=address,undefined -Dfuzzing=disabled -Dintrospection=disabled \
	  -Dinterop-tests=disabled -Dbench=disabled; fi
	ninja -C $(SAN_BUILD)

clean:
	rm -rf $(BUILD) $(SAN_BUILD)
