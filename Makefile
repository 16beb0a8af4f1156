# ttm build. `make demo` and `make test` are the two entry points; `make bench` prints figures.
# SAN=1 builds everything with AddressSanitizer and UndefinedBehaviorSanitizer into build-san/,
# TSAN=1 with ThreadSanitizer into build-tsan/ (`make test-threads TSAN=1` runs the tests
# that use threads).

# Quiet by default: a short line a target; V=1 shows the commands themselves.
ifeq ($(V),1)
say =
else
say = @printf '  %-7s %s\n' $(1) $(2);
endif

CC ?= cc
RV_CC ?= clang
OBJCOPY ?= $(shell command -v llvm-objcopy || command -v llvm-objcopy-14)
PYTHON ?= python3

ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT = -O1
else ifeq ($(TSAN),1)
BUILD ?= build-tsan
# -Wno-tsan: the fences that order host stores before a device-visible doorbell are
# outside what ThreadSanitizer models, and gcc warns on each.
SANFLAGS = -fsanitize=thread -fno-omit-frame-pointer -Wno-tsan
OPT = -O1
else
BUILD ?= build
SANFLAGS =
OPT = -O2
endif

CFLAGS = -std=c11 $(OPT) -g -Wall -Wextra -Werror -D_GNU_SOURCE -fvisibility=hidden -fPIC \
	-Iinclude $(SANFLAGS)
LDFLAGS = $(SANFLAGS)
LDLIBS = -ldl

# Code for the chip's cores: RV32IM + Zba/Zbb, no compressed instructions. clang 14
# spells Zicsr as part of the base ISA; "a" gives the AMO*.W instructions the cores have
# (Zaamo); nothing we build emits LR/SC, which the cores lack.
RV_ARCH = --target=riscv32-unknown-elf -march=rv32ima_zba_zbb -mabi=ilp32
RV_CFLAGS = $(RV_ARCH) -O2 -ffreestanding -fno-builtin -nostdlib -fno-pic -Wall -Wextra -Werror
RV_LDFLAGS = $(RV_ARCH) -nostdlib -fuse-ld=lld -Wl,--no-relax -static

# ---- emulator (libbhemu) ----
EMU_SRCS = $(wildcard emu/*.c)
EMU_OBJS = $(EMU_SRCS:%.c=$(BUILD)/%.o)

# ---- runtime (libttm): everything under src/ plus the embedded firmware and headers ----
RT_SRCS = $(wildcard src/*/*.c)
RT_OBJS = $(RT_SRCS:%.c=$(BUILD)/%.o) $(BUILD)/gen/embedded.o
# Our firmware images and the processor each runs on (enum bh_core name); an image is
# linked at that processor's L1 slot, TTM_L1_FW_<processor> in include/ttm/kernel/abi.h.
FW_PROC_brisc = BRISC
FW_PROC_ncrisc = NCRISC
FW_PROC_prefetch = BRISC
FW_PROC_dispatch = BRISC
FW_PROC_dispatch_sub = NCRISC
FW_PROC_trisc0 = TRISC0
FW_PROC_trisc1 = TRISC1
FW_PROC_trisc2 = TRISC2
FW_NAMES = brisc ncrisc trisc0 trisc1 trisc2 prefetch dispatch dispatch_sub
FW_ELFS = $(FW_NAMES:%=$(BUILD)/firmware/%.elf)
KERNEL_HEADERS = include/ttm/blackhole.h $(wildcard include/ttm/kernel/*.h include/ttm/kernel/*/*.h \
	include/ttm/kernel/*/*/*.h include/ttm/kernel/*/*/*/*.h)
# The value of a macro of the ABI header as the linker takes it (no C suffix).
abi_value = $(patsubst %u,%,$(lastword $(shell printf '\043include "ttm/kernel/abi.h"\n%s\n' \
	'$(1)' | $(CC) -E -P -Iinclude -x c -)))
# A macro of ttm.h, the same way.
abi_ttm = $(lastword $(shell printf '\043include "ttm.h"\n%s\n' '$(1)' | $(CC) -E -P -Iinclude -x c -))

# ---- tests and benchmarks ----
# The suite climbs a ladder (tests/README.md): the instruction set, the emulator, the
# runtime's units, end to end through the public API (C and Python), and the differential
# run against ttsim. Each rung is a folder; each C file in it is one test binary.
RUNGS = isa emu unit e2e kmd ttsim
TEST_BINS = $(foreach r,$(RUNGS),$(patsubst tests/$(r)/%.c,$(BUILD)/tests/$(r)_%,$(wildcard tests/$(r)/*.c)))
RV_TESTS = $(filter-out tests/rv32/crt0.S,$(wildcard tests/rv32/*.S tests/rv32/*.c))
RV_BINS = $(patsubst tests/rv32/%,$(BUILD)/rv32/%.bin,$(basename $(RV_TESTS)))
BENCH_BINS = $(patsubst bench/%.c,$(BUILD)/bench/%,$(wildcard bench/*.c))
EXAMPLE_BINS = $(patsubst examples/%.c,$(BUILD)/examples/%,$(wildcard examples/*.c))
PY_TESTS = tests/e2e/python/run_tests.py

.PHONY: all test test-threads bench demo clean install uninstall
.SECONDARY:
all: $(BUILD)/libbhemu.a $(BUILD)/libttm.a $(BUILD)/libttm.so $(TEST_BINS) $(RV_BINS) \
	$(BENCH_BINS) $(EXAMPLE_BINS) $(BUILD)/ttm

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libbhemu.a: $(EMU_OBJS)
	@rm -f $@
	$(call say,AR,$@)ar rcs $@ $^

$(BUILD)/libttm.a: $(RT_OBJS) $(EMU_OBJS)
	@rm -f $@
	$(call say,AR,$@)ar rcs $@ $^

# Only the ttm_* entry points are exported. The soname follows the major version: the
# symbol versions in the map keep older callers working within it.
VERSION = $(call abi_ttm,TTM_VERSION_MAJOR).$(call abi_ttm,TTM_VERSION_MINOR).$(call abi_ttm,TTM_VERSION_PATCH)
SONAME = libttm.so.$(call abi_ttm,TTM_VERSION_MAJOR)
$(BUILD)/libttm.so: $(RT_OBJS) $(EMU_OBJS) src/api/libttm.map
	$(call say,CC,$@)$(CC) -shared -Wl,--version-script=src/api/libttm.map -Wl,-soname,$(SONAME) $(RT_OBJS) \
		$(EMU_OBJS) $(LDFLAGS) $(LDLIBS) -o $@

# ---- firmware: built for rv32, embedded in the library with the kernel headers ----
# Linked at its slot, with its slot's room and the end of its core's local data RAM
# (8 KiB for BRISC and NCRISC, 4 KiB for the TRISCs, whose three images come from one
# source built with FW_PROC set).
is_trisc = $(filter trisc%,$(1))
fw_src = firmware/$(if $(call is_trisc,$(1)),trisc,$(1)).c
fw_link = -Wl,--defsym=FW_BASE=$(call abi_value,TTM_L1_FW_$(FW_PROC_$(1))) \
	-Wl,--defsym=FW_SIZE=$(call abi_value,TTM_L1_FW_$(if $(call is_trisc,$(1)),TRISC_)SIZE) \
	-Wl,--defsym=FW_LDM_END=$(call abi_value,BH_LDM_BASE)+$(call abi_value,BH_LDM_SIZE_$(if $(call is_trisc,$(1)),T,DM)) \
	$(if $(call is_trisc,$(1)),-DFW_PROC=BH_$(FW_PROC_$(1)))
.SECONDEXPANSION:
$(BUILD)/firmware/%.elf: $$(call fw_src,$$*) firmware/crt0.S firmware/link.ld \
		$(wildcard firmware/*.h) $(KERNEL_HEADERS)
	@mkdir -p $(dir $@)
	$(call say,RV_CC,$@)$(RV_CC) $(RV_CFLAGS) $(RV_LDFLAGS) -Ifirmware -Iinclude -mcmodel=medany \
		$(call fw_link,$*) -T firmware/link.ld firmware/crt0.S $< -o $@

# Embedded files are named firmware/<image>.elf and header/<path under include/>.
$(BUILD)/gen/embedded.S: tools/embed.sh $(FW_ELFS) $(KERNEL_HEADERS)
	@mkdir -p $(dir $@)
	$(call say,EMBED,$@)sh tools/embed.sh $(foreach f,$(FW_ELFS),firmware/$(notdir $(f))=$(f)) \
		$(foreach h,$(KERNEL_HEADERS),header/$(h:include/%=%)=$(h)) > $@

$(BUILD)/gen/embedded.o: $(BUILD)/gen/embedded.S
	$(call say,CC,$@)$(CC) $(SANFLAGS) -c $< -o $@

# ---- tests ----
# The instruction-set and emulator rungs link the emulator alone; the others the runtime.
TEST_DEPS = $(BUILD)/tests/harness.o $(BUILD)/tests/emu_util.o
$(BUILD)/tests/isa_%: tests/isa/%.c $(TEST_DEPS) $(BUILD)/libbhemu.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CFLAGS) -MMD -MP -MF $@.d -Itests $< $(TEST_DEPS) $(BUILD)/libbhemu.a $(LDFLAGS) -lm -o $@

$(BUILD)/tests/emu_%: tests/emu/%.c $(TEST_DEPS) $(BUILD)/libbhemu.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CFLAGS) -MMD -MP -MF $@.d -Itests $< $(TEST_DEPS) $(BUILD)/libbhemu.a $(LDFLAGS) -o $@

# Runtime tests can drive the kmd backend over the fake tt-kmd (tests/fake_kmd.h).
RT_TEST_DEPS = $(TEST_DEPS) $(BUILD)/tests/fake_kmd.o
define RUNTIME_RUNG
$(BUILD)/tests/$(1)_%: tests/$(1)/%.c $$(RT_TEST_DEPS) $$(BUILD)/libttm.a
	@mkdir -p $$(dir $$@)
	$$(call say,CC,$$@)$$(CC) $$(CFLAGS) -MMD -MP -MF $$@.d -Itests -Isrc $$< $$(RT_TEST_DEPS) $$(BUILD)/libttm.a \
		$$(LDFLAGS) $$(LDLIBS) -o $$@
endef
$(foreach r,unit e2e kmd ttsim,$(eval $(call RUNTIME_RUNG,$(r))))

$(BUILD)/tests/fake_kmd.o: tests/fake_kmd.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CFLAGS) -Isrc -MMD -MP -c $< -o $@

$(BUILD)/tests/emu_util.o: tests/emu_util.c
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CFLAGS) -DRV32_DIR='"$(abspath $(BUILD))/rv32"' -MMD -MP -c $< -o $@

$(BUILD)/rv32/%.elf: tests/rv32/%.S tests/rv32/link.ld $(wildcard tests/rv32/*.h)
	@mkdir -p $(dir $@)
	$(call say,RV_CC,$@)$(RV_CC) $(RV_CFLAGS) $(RV_LDFLAGS) -Itests/rv32 -Iinclude -T tests/rv32/link.ld $< -o $@

$(BUILD)/rv32/%.elf: tests/rv32/%.c tests/rv32/crt0.S tests/rv32/link.ld $(wildcard tests/rv32/*.h)
	@mkdir -p $(dir $@)
	$(call say,RV_CC,$@)$(RV_CC) $(RV_CFLAGS) $(RV_LDFLAGS) -Itests/rv32 -Iinclude -T tests/rv32/link.ld tests/rv32/crt0.S $< -o $@

# fp_ops.c and reg_dump.S use the F instructions the cores have (emu/fp32.c).
$(BUILD)/rv32/fp_ops.elf $(BUILD)/rv32/reg_dump.elf: RV_ARCH = --target=riscv32-unknown-elf \
	-march=rv32imaf_zba_zbb -mabi=ilp32

$(BUILD)/rv32/%.bin: $(BUILD)/rv32/%.elf
	$(call say,OBJCOPY,$@)$(OBJCOPY) -O binary $< $@

$(BUILD)/bench/%: bench/%.c $(BUILD)/tests/emu_util.o $(BUILD)/libttm.a $(RV_BINS)
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CFLAGS) -MMD -MP -MF $@.d -Itests -Isrc $< $(BUILD)/tests/emu_util.o $(BUILD)/libttm.a $(LDFLAGS) \
		$(LDLIBS) -o $@

# The command-line tool (cli/ttm.c).
$(BUILD)/ttm: $(wildcard cli/*.c cli/*.h) $(BUILD)/libttm.a
	$(call say,CC,$@)$(CC) $(CFLAGS) -MMD -MP -MF $@.d -Isrc $(wildcard cli/*.c) $(BUILD)/libttm.a $(LDFLAGS) \
		$(LDLIBS) -o $@

$(BUILD)/examples/%: examples/%.c $(BUILD)/libttm.a
	@mkdir -p $(dir $@)
	$(call say,CC,$@)$(CC) $(CFLAGS) -MMD -MP -MF $@.d $< $(BUILD)/libttm.a $(LDFLAGS) $(LDLIBS) -lm -o $@

ifeq ($(SAN),1)
PY_PRELOAD = $(shell $(CC) -print-file-name=libasan.so) $(shell $(CC) -print-file-name=libubsan.so)
endif

# The Python tests run under a python3 that has numpy when there is one, so that the
# array paths are tested too.
PY_TEST := $(or $(shell for p in python3 /usr/bin/python3; do $$p -c 'import numpy' 2>/dev/null \
	&& { echo $$p; break; }; done),python3)

test: all
	@TTM_PYTHON=$(PY_TEST) TTM_LIB=$(abspath $(BUILD))/libttm.so TTM_CACHE_DIR=$(abspath $(BUILD))/kernel-cache \
		TTM_PY_PRELOAD="$(PY_PRELOAD)" TTM_BUILD=$(abspath $(BUILD)) tests/run.sh $(TEST_BINS) \
		$(KMD_E2E_RUNS) $(PY_TESTS) tests/examples.py tests/structure.py tests/install.py

# The end-to-end tests again, through the kmd backend over the fake tt-kmd.
KMD_E2E_RUNS = $(addprefix kmd:,$(filter $(BUILD)/tests/e2e_%,$(TEST_BINS)))

# The tests that call from several threads; under TSAN=1 a data race fails them.
THREAD_TESTS = $(BUILD)/tests/e2e_threads $(BUILD)/tests/e2e_handles $(BUILD)/tests/emu_threads
test-threads: $(THREAD_TESTS) $(RV_BINS)
	@TTM_CACHE_DIR=$(abspath $(BUILD))/kernel-cache TSAN_OPTIONS="halt_on_error=1 exitcode=66" \
		tests/run.sh $(THREAD_TESTS)

bench: all
	@for b in $(BENCH_BINS); do $$b || exit 1; done

demo: all
	@$(BUILD)/examples/add1_sfpu

# ---- install ----
# make install [PREFIX=/usr/local] [DESTDIR=...]: the library (shared, with its soname
# links, and static), the public and kernel headers (the TT-Metal-named ones too), pkg-config's
# ttm.pc and the ttm command. Into the running system (no DESTDIR) it then runs $(LDCONFIG)
# to refresh the dynamic loader's cache, without which /usr/local/lib is not searched
# (LDCONFIG= skips it). make uninstall removes what install put there.
PREFIX ?= /usr/local
LIBDIR = $(PREFIX)/lib
INCDIR = $(PREFIX)/include
BINDIR = $(PREFIX)/bin
LDCONFIG ?= ldconfig
INSTALLED_HEADERS = ttm.h ttm/blackhole.h $(patsubst include/%,%,$(shell find include/ttm/kernel -name '*.h'))
INSTALLED_HEADER_DIRS = $(sort $(patsubst %/,%,$(dir $(filter ttm/kernel/%,$(INSTALLED_HEADERS)))))
space_in = $(if $(word 2,$($(1))),$(error make: $(1) "$($(1))" holds a space, which install paths cannot))
check_install_dirs = $(foreach v,PREFIX LIBDIR INCDIR BINDIR DESTDIR,$(call space_in,$(v)))

install: $(BUILD)/libttm.so $(BUILD)/libttm.a $(BUILD)/ttm
	$(check_install_dirs)
	install -d $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(BINDIR) \
		$(addprefix $(DESTDIR)$(INCDIR)/,ttm $(INSTALLED_HEADER_DIRS))
	install -m 755 $(BUILD)/libttm.so $(DESTDIR)$(LIBDIR)/libttm.so.$(VERSION)
	ln -sf libttm.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libttm.so
	install -m 644 $(BUILD)/libttm.a $(DESTDIR)$(LIBDIR)/libttm.a
	for h in $(INSTALLED_HEADERS); do install -m 644 include/$$h $(DESTDIR)$(INCDIR)/$$h || exit 1; done
	install -m 755 $(BUILD)/ttm $(DESTDIR)$(BINDIR)/ttm
	printf '%s\n' 'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCDIR)' '' \
		'Name: ttm' 'Description: Host runtime for the Tenstorrent Blackhole, with its emulator' \
		'Version: $(VERSION)' 'Libs: -L$${libdir} -lttm' 'Libs.private: -ldl -lpthread -lm' \
		'Cflags: -I$${includedir}' > $(DESTDIR)$(LIBDIR)/pkgconfig/ttm.pc
	@if [ -z "$(DESTDIR)" ] && [ -n "$(LDCONFIG)" ]; then $(LDCONFIG) 2>/dev/null || \
		echo "make install: could not refresh the loader's cache: run ldconfig as root"; fi

uninstall:
	$(check_install_dirs)
	rm -f $(DESTDIR)$(LIBDIR)/libttm.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
		$(DESTDIR)$(LIBDIR)/libttm.so $(DESTDIR)$(LIBDIR)/libttm.a \
		$(DESTDIR)$(LIBDIR)/pkgconfig/ttm.pc $(DESTDIR)$(BINDIR)/ttm
	for h in $(INSTALLED_HEADERS); do rm -f $(DESTDIR)$(INCDIR)/$$h; done
	for d in $(shell printf '%s\n' ttm $(INSTALLED_HEADER_DIRS) | sort -r); do \
		rmdir $(DESTDIR)$(INCDIR)/$$d 2>/dev/null || true; done

clean:
	rm -rf build build-san build-tsan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
