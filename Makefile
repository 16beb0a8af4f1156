# ttm build. `make demo` and `make test` are the two entry points; `make bench` prints figures.
# SAN=1 builds everything with AddressSanitizer and UndefinedBehaviorSanitizer into build-san/.

CC ?= cc
RV_CC ?= clang
OBJCOPY ?= $(shell command -v llvm-objcopy || command -v llvm-objcopy-14)

ifeq ($(SAN),1)
BUILD ?= build-san
SANFLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer
OPT = -O1
else
BUILD ?= build
SANFLAGS =
OPT = -O2
endif

CFLAGS = -std=c11 $(OPT) -g -Wall -Wextra -Werror -D_GNU_SOURCE -fvisibility=hidden $(SANFLAGS)
LDFLAGS = $(SANFLAGS)

# rv32 programs for the chip's cores: RV32IM + Zba/Zbb, no compressed instructions.
# clang 14 spells Zicsr as part of the base ISA; "a" gives the AMO*.W instructions the
# cores have (Zaamo); our code never emits LR/SC, which the cores lack.
RV_ARCH = --target=riscv32-unknown-elf -march=rv32ima_zba_zbb -mabi=ilp32
RV_CFLAGS = $(RV_ARCH) -O2 -ffreestanding -fno-builtin -nostdlib -fno-pic -Wall -Wextra -Werror
RV_LDFLAGS = $(RV_ARCH) -nostdlib -fuse-ld=lld -Wl,--no-relax -static

EMU_SRCS = $(wildcard emu/*.c) src/arch/bh.c
EMU_OBJS = $(EMU_SRCS:%.c=$(BUILD)/%.o)
TEST_SRCS = $(wildcard tests/emu/*.c)
TEST_BINS = $(TEST_SRCS:tests/emu/%.c=$(BUILD)/tests/%)
RV_TESTS = $(filter-out tests/rv32/crt0.S,$(wildcard tests/rv32/*.S tests/rv32/*.c))
RV_BINS = $(patsubst tests/rv32/%,$(BUILD)/rv32/%.bin,$(basename $(RV_TESTS)))
BENCH_BINS = $(BUILD)/bench/emu_bench

.PHONY: all test bench demo clean
.SECONDARY:
all: $(BUILD)/libbhemu.a $(TEST_BINS) $(RV_BINS) $(BENCH_BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libbhemu.a: $(EMU_OBJS)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/tests/%: tests/emu/%.c $(BUILD)/tests/harness.o $(BUILD)/tests/emu_util.o $(BUILD)/libbhemu.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DRV32_DIR='"$(abspath $(BUILD))/rv32"' -Itests $< $(BUILD)/tests/harness.o \
		$(BUILD)/tests/emu_util.o $(BUILD)/libbhemu.a $(LDFLAGS) -o $@

$(BUILD)/tests/emu_util.o: tests/emu_util.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -DRV32_DIR='"$(abspath $(BUILD))/rv32"' -MMD -MP -c $< -o $@

$(BUILD)/rv32/%.elf: tests/rv32/%.S tests/rv32/link.ld $(wildcard tests/rv32/*.h)
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_CFLAGS) $(RV_LDFLAGS) -Itests/rv32 -T tests/rv32/link.ld $< -o $@

$(BUILD)/rv32/%.elf: tests/rv32/%.c tests/rv32/crt0.S tests/rv32/link.ld $(wildcard tests/rv32/*.h)
	@mkdir -p $(dir $@)
	$(RV_CC) $(RV_CFLAGS) $(RV_LDFLAGS) -Itests/rv32 -T tests/rv32/link.ld tests/rv32/crt0.S $< -o $@

$(BUILD)/rv32/%.bin: $(BUILD)/rv32/%.elf
	$(OBJCOPY) -O binary $< $@

$(BUILD)/bench/%: bench/%.c $(BUILD)/tests/emu_util.o $(BUILD)/libbhemu.a $(RV_BINS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Itests $< $(BUILD)/tests/emu_util.o $(BUILD)/libbhemu.a $(LDFLAGS) -o $@

test: all
	@tests/run.sh $(TEST_BINS)

bench: all
	@$(BUILD)/bench/emu_bench

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
