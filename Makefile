# The two commands of the course: `make lesson-N` and `make test`. Both install gnuplot when it is missing.
SWIFT ?= swift

.PHONY: test gnuplot clean help bench bench-portable bench-peers course docs format lint

help:
	@echo "make lesson-N   install gnuplot if needed, then run lesson N (ARGS='--help' passes flags)"
	@echo "make test       install gnuplot if needed, then build and run the test suite"
	@echo "make course     install gnuplot if needed, then run the whole course (release build)"
	@echo "make bench      run the cf-bench benchmark in release mode (ARGS='--data DIR')"
	@echo "make bench-peers  cf-bench beside numpy, Surprise and Spark in one run (ARGS='--data DIR')"
	@echo "make bench-portable cf-bench with a core built for any CPU (CF_PORTABLE=1), beside the default built for this one"
	@echo "make clean      remove what the lessons wrote in output/ (only what carries the course's mark, unchanged)"
	@echo "make docs       the core's documentation (DocC) in .build/docs/CFCore.doccarchive, with the trainer vocabulary"
	@echo "make format     format the code with swift format (.swift-format); make lint checks it, as CI does"

gnuplot:
	@./scripts/ensure-gnuplot

# A lesson still runs without gnuplot: it writes the scripts and says how to render them.
lesson-%:
	@./scripts/ensure-gnuplot || true
	$(SWIFT) run $@ $(ARGS)

# The whole course, as a notebook in output/index.html (ARGS='--data DIR' for MovieLens).
course:
	@./scripts/ensure-gnuplot || true
	$(SWIFT) run -c release course run $(ARGS)

# The benchmark (README, "Performance"); ARGS='--data DIR' points it at MovieLens.
bench:
	$(SWIFT) run -c release cf-bench $(ARGS)

# The benchmark with the core built for any CPU of the architecture (CF_PORTABLE=1, no fused multiply-adds), in its own
# build folder; the default build, `make bench`, is compiled for this machine's CPU.
bench-portable:
	CF_PORTABLE=1 $(SWIFT) build -c release --product cf-bench --build-path .build/portable
	.build/portable/release/cf-bench $(ARGS)

# The same settings in numpy, Surprise and Spark MLlib, side by side with cf-bench (a virtual environment in .build/peers).
bench-peers:
	./scripts/bench-peers $(ARGS)

test: gnuplot lint
	$(SWIFT) build
	$(SWIFT) test

# The toolchain's formatter, configured in .swift-format. The learner's Cells.swift files are theirs: left as written.
FORMATTED = $(shell git ls-files '*.swift' | grep -v '/Cells.swift$$')
format:
	@$(SWIFT) format format --in-place --parallel $(FORMATTED)
lint:
	@$(SWIFT) format lint --strict --parallel $(FORMATTED) || { echo "make lint: the code is not formatted; run make format"; exit 1; }

# The core's documentation: its symbol graph and the catalogue in Sources/CFCore/CFCore.docc, by the toolchain's docc.
docs:
	$(SWIFT) build --target CFCore --build-path .build/docs-build -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc .build/symbol-graphs
	@mkdir -p .build/docs
	docc convert Sources/CFCore/CFCore.docc --additional-symbol-graph-dir .build/symbol-graphs \
		--fallback-display-name CFCore --fallback-bundle-identifier cf-lessons.CFCore --output-path .build/docs/CFCore.doccarchive
	@echo "The documentation is in .build/docs/CFCore.doccarchive (docc preview Sources/CFCore/CFCore.docc to browse it)"

# Only what the course wrote and nobody changed since (its mark, .cf-lessons, says which files those are).
clean:
	$(SWIFT) run course clean
