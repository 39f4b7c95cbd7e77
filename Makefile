# pgsnow developer entry points. `make demo` and `make test` are the two
# commands the README promises work on a fresh machine.
GO ?= go
PKGS := ./...

.PHONY: all build test vet fmt-check unit bench demo clean deps

all: build

deps:
	@bash scripts/ensure-postgres.sh
	@$(GO) mod download

build:
	$(GO) build -o bin/pgsnow ./cmd/pgsnow
	$(GO) build -o bin/sfemu ./cmd/sfemu

# The README's test command: formatting, vet, then every test (each package
# starts its own throwaway PostgreSQL cluster and emulator).
test: deps fmt-check vet
	$(GO) test -count=1 -timeout 20m $(PKGS)

unit:
	$(GO) test -count=1 $(PKGS)

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem -timeout 60m $(PKGS)

demo: deps build
	$(GO) run ./examples/demo

clean:
	rm -rf bin .demo pgsnow-runs
