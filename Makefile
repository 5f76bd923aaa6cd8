# Kapu — make run starts the demo, make test runs every test.
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X kapu/config.Version=$(VERSION)
BIN := bin/kapu
# staticcheck runs at this version through the Go module proxy (go run caches the build).
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.8.2
# axe-core, the accessibility checker the browser tests run, from npm at this version
# (TestBrowserLayout refuses another), into a git-ignored folder.
AXE_VERSION := 4.14.1
AXE_DIR := .cache/axe-core

.PHONY: run demo-reset build test test-sqlite test-pgsql test-browser lint bench chromium axe fmt vet clean

build:
	CGO_ENABLED=1 go build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/kapu

## run: build and start Kapu on the embedded SQLite database with demo data.
run: build
	./$(BIN) serve --demo

## demo-reset: empty the demo database and load the demo again on today's dates.
demo-reset: build
	./$(BIN) seed --demo --reset

## test: every test with the race detector, on SQLite, on PostgreSQL when
## KAPU_TEST_POSTGRES holds a DSN, and in a real browser (Debian's chromium).
test: chromium axe
	go vet ./...
	go test -race -count=1 -timeout 30m ./...

## test-sqlite: the suite on SQLite only, browser tests skipped (the quick loop).
test-sqlite:
	KAPU_TEST_POSTGRES= go test -race -count=1 -timeout 30m -skip '^TestBrowser' ./...

## test-browser: only the browser tests (Debian's chromium, installed when missing);
## they all live in modules/kapu, named TestBrowser….
test-browser: chromium axe
	go test -race -count=1 -timeout 30m -run '^TestBrowser' ./modules/kapu/

## test-pgsql: the suite with PostgreSQL on this machine (throwaway database).
test-pgsql:
	KAPU_TEST_POSTGRES=$${KAPU_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable} \
		go test -race -count=1 -timeout 30m ./...

## lint: gofmt (fails when it would change a file), go vet and staticcheck.
## ST1012 is off: the error kinds are named for what they are (errs.NotFound).
lint:
	@out=$$(gofmt -l cmd config modules); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	go vet ./...
	go run $(STATICCHECK) -checks inherit,-ST1012 ./...

## bench: the benchmarks named in the issues; figures go to docs/benchmarks.md.
bench:
	go test -run '^$$' -bench . -benchmem ./...

## chromium: the browser tests need Debian's chromium; install it when missing and possible.
chromium:
	@command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || \
	  { if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	      echo "installing chromium for the browser tests"; \
	      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	    else echo "chromium is missing: install it (apt-get install chromium) to run the browser tests" >&2; exit 1; fi; }

## axe: the browser tests need axe-core; npm installs the pinned version into
## $(AXE_DIR) when it is missing or another version (KAPU_AXE_JS may point elsewhere).
axe:
	@grep -qs '"version": "$(AXE_VERSION)"' $(AXE_DIR)/node_modules/axe-core/package.json || \
	  { command -v npm >/dev/null 2>&1 || { echo "npm is missing: install Node.js and npm (apt-get install npm) for axe-core" >&2; exit 1; }; \
	    echo "installing axe-core $(AXE_VERSION) into $(AXE_DIR) for the browser tests"; \
	    npm install --prefix $(AXE_DIR) --no-audit --no-fund --save-exact --loglevel=error axe-core@$(AXE_VERSION) >/dev/null; }

fmt:
	gofmt -w cmd config modules views static

vet:
	go vet ./...

clean:
	rm -rf bin
