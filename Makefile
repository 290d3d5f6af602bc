# The two commands of the course: `make lesson-N` and `make test`. Both install gnuplot when it is missing.
SWIFT ?= swift

.PHONY: test gnuplot clean help

help:
	@echo "make lesson-N   install gnuplot if needed, then run lesson N (ARGS='--help' passes flags)"
	@echo "make test       install gnuplot if needed, then build and run the test suite"
	@echo "make clean      remove generated output (output/lesson-*, output/index.html)"

gnuplot:
	@./scripts/ensure-gnuplot

# A lesson still runs without gnuplot: it writes the scripts and says how to render them.
lesson-%:
	@./scripts/ensure-gnuplot || true
	$(SWIFT) run $@ $(ARGS)

test: gnuplot
	$(SWIFT) build
	$(SWIFT) test

clean:
	rm -rf output/lesson-* output/index.html
