# attnviz — build, run, test, bench.  `make help` lists the targets.
#
# $(B)/rel/ holds the optimised objects and $(B)/attnviz; $(B)/san/ the same
# sources under ASan + UBSan, which the tests use. The base (src/base: C11
# and libc) sits below everything; the engine (src/engine, src/tasks) adds
# only libm, cJSON and POSIX threads (the trainer's --threads): their test
# binaries link no SDL. $(B)/fuzz/ holds the fuzz targets (tests/fuzz/),
# built with clang.

# ---- settings ---------------------------------------------------------------
# VERSION: what `attnviz --version` prints, with the commit of the build
# (tools/commit.sh; none outside a git checkout)
VERSION  := 0.1.0
# B: the build folder (people working in parallel can each use their own)
B        ?= build
# V=1 shows every compiler command
Q        := $(if $(V),,@)
CC       ?= cc
JOBS     ?= $(shell nproc 2>/dev/null || echo 2)
STD      := -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
WARN     := -Wall -Wextra -pedantic -Wno-overlength-strings
OPT      := -O2 -g
# -fno-math-errno: nothing reads errno, so sqrtf may be one vector instruction
# (Adam, ops.c); it changes no result, unlike -ffast-math
ENGOPT   := -O3 -g -fno-math-errno
SAN      := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
# the fuzz targets: clang (libFuzzer), whose UBSan also catches float → int
# overflow (gcc's does not); FUZZ_SECONDS per target for `make fuzz`
FUZZ_CC  ?= clang
FUZZ_SAN := -O1 -g -fsanitize=address,undefined,float-cast-overflow -fno-omit-frame-pointer -fno-sanitize-recover=all
FUZZ_COV := -fsanitize=fuzzer-no-link -fsanitize-coverage-ignorelist=tests/fuzz/coverage-ignore.txt
FUZZ_SECONDS ?= 60
# ThreadSanitizer (clang; gcc's crashes at start here, the engine's
# target_clones resolvers running before it): tests/tsan/tsan_*.c are plain
# programs (Criterion does not start under TSan) over every source built
# with TSAN into $(B)/tsan/; they drive the app's training workers.
TSAN_CC  ?= clang
TSAN     := -O1 -g -fsanitize=thread -fno-omit-frame-pointer
PKGS_ENG := libcjson
PKGS_APP := sdl2 SDL2_ttf cglm epoxy fontconfig libcjson libgif
CFLAGS_ENG := $(STD) $(WARN) $(shell pkg-config --cflags $(PKGS_ENG) 2>/dev/null)
CFLAGS_APP := $(STD) $(WARN) $(shell pkg-config --cflags $(PKGS_APP) 2>/dev/null) -I/usr/include/stb
LIBS_ENG   := $(shell pkg-config --libs $(PKGS_ENG) 2>/dev/null) -lm -pthread
LIBS_APP   := $(shell pkg-config --libs $(PKGS_APP) 2>/dev/null) -lstb -lm -pthread

# ---- sources -----------------------------------------------------------------
ENG_SRC := $(wildcard src/base/*.c src/engine/*.c src/tasks/*.c)
APP_SRC := $(filter-out src/cli/main.c,$(wildcard src/cli/*.c src/export/*.c src/viz/*.c src/gfx/*.c src/text/*.c src/lesson/*.c src/app/*.c))

REL_ENG := $(patsubst %.c,$(B)/rel/%.o,$(ENG_SRC))
REL_APP := $(patsubst %.c,$(B)/rel/%.o,$(APP_SRC))
SAN_ENG := $(patsubst %.c,$(B)/san/%.o,$(ENG_SRC))
SAN_APP := $(patsubst %.c,$(B)/san/%.o,$(APP_SRC))

# One Criterion binary per tests/<group>/ folder; one bench binary per file.
TEST_GROUPS := $(notdir $(patsubst %/,%,$(sort $(dir $(wildcard tests/*/test_*.c)))))
TEST_BINS   := $(foreach g,$(TEST_GROUPS),$(B)/san/test_$(g))
BENCH_BINS  := $(patsubst bench/%.c,$(B)/%,$(wildcard bench/bench_*.c))
# One libFuzzer binary per tests/fuzz/fuzz_*.c, over the engine, tasks and lessons.
FUZZ_BINS   := $(patsubst tests/fuzz/%.c,$(B)/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_OBJ    := $(patsubst %.c,$(B)/fuzz/%.o,$(ENG_SRC) $(wildcard src/lesson/*.c))
# One ThreadSanitizer program per tests/tsan/tsan_*.c, over every source.
TSAN_BINS   := $(patsubst tests/tsan/%.c,$(B)/tsan/%,$(wildcard tests/tsan/tsan_*.c))
TSAN_ENG    := $(patsubst %.c,$(B)/tsan/%.o,$(ENG_SRC))
TSAN_APP    := $(patsubst %.c,$(B)/tsan/%.o,$(APP_SRC))

.SECONDEXPANSION:
.PHONY: all run test tsan fuzz fuzz-merge bench models setup clean help FORCE
all: $(B)/attnviz                              ## build the app (default)

help:                                          ## list the targets
	@grep -E '^[a-z].*##' Makefile | sed 's/:.*##/:/'

setup:                                         ## install missing Debian packages
	@tools/setup.sh

# run, test, bench and models install what is missing first, then call make
# again, so that pkg-config sees the freshly installed packages.
run: setup                                     ## install, build, open the app on its default lesson
	@$(MAKE) --no-print-directory -j$(JOBS) B=$(B) $(B)/attnviz
	./$(B)/attnviz

test: setup                                    ## install, build, run all tests headless (ASan + UBSan)
	@$(MAKE) --no-print-directory -j$(JOBS) B=$(B) $(B)/attnviz $(B)/san/attnviz $(TEST_BINS) $(FUZZ_BINS) $(TSAN_BINS)
	@B=$(B) FUZZ_BINS="$(FUZZ_BINS)" TSAN_BINS="$(TSAN_BINS)" tools/run-tests.sh $(TEST_BINS)

tsan: setup                                    ## the ThreadSanitizer programs alone (tests/tsan/)
	@$(MAKE) --no-print-directory -j$(JOBS) B=$(B) $(TSAN_BINS)
	@for t in $(TSAN_BINS); do echo "== $$t"; $$t || exit 1; done

fuzz: setup                                    ## fuzz each target for FUZZ_SECONDS (60), one at a time
	@$(MAKE) --no-print-directory -j$(JOBS) B=$(B) $(FUZZ_BINS)
	@B=$(B) tools/fuzz.sh run $(FUZZ_SECONDS) $(FUZZ_BINS)

fuzz-merge:                                    ## add to tests/fuzz/corpus what `make fuzz` found that reaches new code
	@$(MAKE) --no-print-directory -j$(JOBS) B=$(B) $(FUZZ_BINS)
	@B=$(B) tools/fuzz.sh merge $(FUZZ_BINS)

bench: setup                                   ## performance figures
	@$(MAKE) --no-print-directory -j$(JOBS) B=$(B) $(B)/attnviz $(BENCH_BINS)
	@B=$(B) tools/run-bench.sh $(BENCH_BINS)

models: setup                                  ## retrain every shipped model, deterministically
	@$(MAKE) --no-print-directory B=$(B) $(B)/attnviz
	@B=$(B) tools/make-models.sh

clean:                                         ## remove the build folder
	rm -rf $(B)

# ---- binaries ------------------------------------------------------------------
$(B)/attnviz: $(REL_ENG) $(REL_APP) $(B)/rel/src/cli/main.o
	@echo "  LD  $@"
	$(Q)$(CC) -o $@ $^ $(LIBS_APP)

$(B)/san/attnviz: $(SAN_ENG) $(SAN_APP) $(B)/san/src/cli/main.o
	@echo "  LD  $@"
	$(Q)$(CC) $(SAN) -o $@ $^ $(LIBS_APP)

$(B)/bench_%: bench/bench_%.c $(REL_ENG) $(REL_APP)
	@echo "  LD  $@"
	$(Q)$(CC) $(CFLAGS_APP) $(OPT) -Isrc -o $@ $^ $(LIBS_APP)

# Engine-only test groups link no SDL: they prove the engine stands alone.
ENG_TEST_BINS := $(filter $(foreach g,base engine safetensors torch,$(B)/san/test_$(g)),$(TEST_BINS))
$(ENG_TEST_BINS): $(B)/san/test_%: $$(wildcard tests/$$*/*.c) $(SAN_ENG)
	@mkdir -p $(@D)
	@echo "  LD  $@"
	$(Q)$(CC) $(CFLAGS_ENG) $(SAN) -Isrc -o $@ $^ $(LIBS_ENG) -lcriterion

$(B)/san/test_%: $$(wildcard tests/$$*/*.c) $(SAN_ENG) $(SAN_APP)
	@mkdir -p $(@D)
	@echo "  LD  $@"
	$(Q)$(CC) $(CFLAGS_APP) $(SAN) -Isrc -o $@ $^ $(LIBS_APP) -lcriterion

# Fuzz targets: every object instrumented for libFuzzer's coverage; the
# target alone links libFuzzer's main. (.SECONDARY: keep the objects, which
# only pattern rules name.)
.SECONDARY: $(FUZZ_OBJ)
$(B)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_OBJ)
	@echo "  LD  $@"
	$(Q)$(FUZZ_CC) $(CFLAGS_ENG) $(FUZZ_SAN) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZ_OBJ) $(LIBS_ENG)

# ThreadSanitizer programs: a plain main each, linked with every source
# under TSAN (SDL, fonts and the rest uninstrumented, used from one thread).
.SECONDARY: $(TSAN_ENG) $(TSAN_APP)
$(B)/tsan/tsan_%: tests/tsan/tsan_%.c $(TSAN_ENG) $(TSAN_APP)
	@echo "  LD  $@"
	$(Q)$(TSAN_CC) $(CFLAGS_APP) $(TSAN) -Isrc -o $@ $< $(TSAN_ENG) $(TSAN_APP) $(LIBS_APP)

# ---- objects -------------------------------------------------------------------
# main.o carries the version and the build's commit; $(B)/commit.txt is
# rewritten only when the commit changes, so only then is main.o rebuilt.
$(B)/commit.txt: FORCE
	@mkdir -p $(@D)
	@tools/commit.sh > $@.new; if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
VERSION_DEFS = -DATTNVIZ_VERSION='"$(VERSION)"' -DATTNVIZ_COMMIT="\"$$(cat $(B)/commit.txt)\""
$(B)/rel/src/cli/main.o: src/cli/main.c $(B)/commit.txt Makefile
	@mkdir -p $(@D)
	@echo "  CC  $<"
	$(Q)$(CC) $(CFLAGS_APP) $(OPT) $(VERSION_DEFS) -MMD -MP -c -o $@ $<
$(B)/san/src/cli/main.o: src/cli/main.c $(B)/commit.txt Makefile
	@mkdir -p $(@D)
	@echo "  CC  $< (san)"
	$(Q)$(CC) $(CFLAGS_APP) $(SAN) $(VERSION_DEFS) -MMD -MP -c -o $@ $<
$(B)/fuzz/src/%.o: src/%.c tests/fuzz/coverage-ignore.txt
	@mkdir -p $(@D)
	@echo "  CC  $< (fuzz)"
	$(Q)$(FUZZ_CC) $(CFLAGS_ENG) $(FUZZ_SAN) $(FUZZ_COV) -MMD -MP -c -o $@ $<
$(TSAN_ENG): $(B)/tsan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC  $< (tsan)"
	$(Q)$(TSAN_CC) $(CFLAGS_ENG) $(TSAN) -MMD -MP -c -o $@ $<
$(TSAN_APP): $(B)/tsan/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC  $< (tsan)"
	$(Q)$(TSAN_CC) $(CFLAGS_APP) $(TSAN) -MMD -MP -c -o $@ $<
# base: engine flags (no SDL on the include path), the app's optimisation
$(B)/rel/src/base/%.o: src/base/%.c
	@mkdir -p $(@D)
	@echo "  CC  $<"
	$(Q)$(CC) $(CFLAGS_ENG) $(OPT) -MMD -MP -c -o $@ $<
$(B)/san/src/base/%.o: src/base/%.c
	@mkdir -p $(@D)
	@echo "  CC  $< (san)"
	$(Q)$(CC) $(CFLAGS_ENG) $(SAN) -MMD -MP -c -o $@ $<
$(B)/rel/src/engine/%.o: src/engine/%.c
	@mkdir -p $(@D)
	@echo "  CC  $<"
	$(Q)$(CC) $(CFLAGS_ENG) $(ENGOPT) -MMD -MP -c -o $@ $<
$(B)/rel/src/tasks/%.o: src/tasks/%.c
	@mkdir -p $(@D)
	@echo "  CC  $<"
	$(Q)$(CC) $(CFLAGS_ENG) $(ENGOPT) -MMD -MP -c -o $@ $<
$(B)/san/src/engine/%.o: src/engine/%.c
	@mkdir -p $(@D)
	@echo "  CC  $< (san)"
	$(Q)$(CC) $(CFLAGS_ENG) $(SAN) -MMD -MP -c -o $@ $<
$(B)/san/src/tasks/%.o: src/tasks/%.c
	@mkdir -p $(@D)
	@echo "  CC  $< (san)"
	$(Q)$(CC) $(CFLAGS_ENG) $(SAN) -MMD -MP -c -o $@ $<
$(B)/rel/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC  $<"
	$(Q)$(CC) $(CFLAGS_APP) $(OPT) -MMD -MP -c -o $@ $<
$(B)/san/%.o: %.c
	@mkdir -p $(@D)
	@echo "  CC  $< (san)"
	$(Q)$(CC) $(CFLAGS_APP) $(SAN) -MMD -MP -c -o $@ $<

-include $(shell find $(B) -name '*.d' 2>/dev/null)
