# SPDX-License-Identifier: GPL-2.0-or-later
# The libFuzzer targets: tests/fuzz/NAME_fuzz.c, linked against the whole
# library built again by clang with the fuzzer's coverage and ASan + UBSan
# (tests/fuzz/obj/, tests/fuzz/libmrstress-fuzz.a), so that a target reaches
# whatever its parser calls without a list of sources per target. Makefile.am
# runs this file ('make fuzz', 'make fuzz-NAME FUZZ_TIME=N') with srcdir,
# scenariodir, FUZZ_CC, FUZZ_CPPFLAGS, FUZZ_LIBS, LIB_SRC (the library's C files) and
# FUZZ_TIME set. A plain GNU makefile rather than automake's: pattern rules
# build any number of objects and targets from one rule each.
TARGETS = kmsg scenario bundle
FUZZ_DIR = tests/fuzz
OBJ_DIR = $(FUZZ_DIR)/obj
LIB = $(FUZZ_DIR)/libmrstress-fuzz.a
LIB_OBJ = $(LIB_SRC:%.c=$(OBJ_DIR)/%.o)
SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined
FLAGS = -g -O1 $(SAN) $(FUZZ_CPPFLAGS) -DSCENARIODIR='"$(scenariodir)"' -MMD -MP

# What each target's corpus starts from: real inputs, and the inputs of
# past crashes (tests/fixtures/fuzz/NAME, kept by the unit tests too).
FIX = $(srcdir)/tests/fixtures
kmsg_SEEDS = $(wildcard $(FIX)/kmsg/*.kmsg $(FIX)/kmsg/*.txt \
	$(FIX)/kmsg/*.dmesg)
scenario_SEEDS = $(wildcard $(srcdir)/scenarios/*.scn $(FIX)/scenarios/*.scn \
	$(FIX)/scenarios/dir/*.scn $(srcdir)/tests/vm/scenarios/*.scn)
bundle_SEEDS = $(wildcard $(FIX)/fuzz/bundle-seeds/*.bundle)
# Bundles hold a JSON report: longer inputs than a log or a scenario.
kmsg_MAX_LEN = 65536
scenario_MAX_LEN = 16384
bundle_MAX_LEN = 131072

fuzz-build: $(TARGETS:%=$(FUZZ_DIR)/%_fuzz)

fuzz:
	@rc=0; for t in $(TARGETS); do \
		$(MAKE) -f $(srcdir)/tests/fuzz/fuzz.mk fuzz-$$t || rc=1; \
	done; exit $$rc

$(TARGETS:%=fuzz-%): fuzz-%: $(FUZZ_DIR)/%_fuzz
	$(SHELL) $(srcdir)/tests/fuzz/run-fuzz.sh $* '$(FUZZ_TIME)' \
		'$($*_MAX_LEN)' $($*_SEEDS) $(FIX)/fuzz/$*

$(OBJ_DIR)/%.o: $(srcdir)/%.c
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(LIB): $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

$(FUZZ_DIR)/%_fuzz: $(OBJ_DIR)/tests/fuzz/%_fuzz.o $(LIB)
	$(FUZZ_CC) $(SAN) -fsanitize=fuzzer $^ $(FUZZ_LIBS) -o $@

-include $(LIB_OBJ:.o=.d) $(TARGETS:%=$(OBJ_DIR)/tests/fuzz/%_fuzz.d)

.PHONY: fuzz fuzz-build $(TARGETS:%=fuzz-%)
.SECONDARY:
