# SecureLink — `make run` builds everything and serves it; `make test` runs every test.
# Both install what a fresh machine lacks (npm packages; Debian's chromium for browser tests).

GO        ?= go
BIN       := bin/securelink
SWAG      := $(shell $(GO) env GOPATH)/bin/swag
STATICCHECK := $(shell $(GO) env GOPATH)/bin/staticcheck
STATICCHECK_VERSION ?= latest
EXHAUSTIVE := $(shell $(GO) env GOPATH)/bin/exhaustive
EXHAUSTIVE_VERSION := v0.17.1
SPAS      := frontend-pay frontend-portal
APITOOLS  := tools/apitools
GO_TEST_FLAGS ?= -count=1 -timeout 30m

.PHONY: all run build build-go spas npm-deps api-tools chromium test test-short test-go test-spa test-e2e openapi openapi-check api-lint clients bench lint tools clean poppler fuzz fuzz-long race

all: build

## run: build everything and serve it on the embedded defaults (SQLite, test gateway, demo merchant)
run: build
	@mkdir -p data
	SECURELINK_SEED_DEMO=true ./$(BIN) serve

## build: both SPAs, then the single binary that embeds them
build: spas build-go

build-go:
	CGO_ENABLED=0 $(GO) build -o $(BIN) ./api/cmd/securelink

npm-deps:
	@for d in $(SPAS); do \
	  if [ ! -f $$d/node_modules/.package-lock.json ] || [ $$d/package-lock.json -nt $$d/node_modules/.package-lock.json ]; then \
	    echo "npm ci in $$d"; (cd $$d && npm ci --no-audit --no-fund) || exit 1; \
	  fi; \
	done

spas: npm-deps
	@for d in $(SPAS); do (cd $$d && npm run build) || exit 1; done

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing Debian's chromium for browser tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# The PDF tests read invoices back with poppler's pdftotext, as a person's PDF reader would.
poppler:
	@if ! command -v pdftotext >/dev/null 2>&1; then \
	  echo "installing Debian's poppler-utils for the PDF tests"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq poppler-utils >/dev/null; \
	fi

## test: every test — Go (SQLite and PostgreSQL), SPA units, OpenAPI freshness, browser end-to-end
test: openapi-check api-lint test-go test-spa test-e2e clients

## test-short: the fast loop — every Go package on SQLite only, without the binary-building and stripe-mock tests
test-short:
	$(GO) test -short -count=1 ./...

test-go: tools poppler
	$(GO) vet ./...
	$(GO) test $(GO_TEST_FLAGS) ./...
	$(MAKE) --no-print-directory race
	$(MAKE) --no-print-directory fuzz

## race: the concurrent pays on SQLite's writer queue and the queue's own tests under the race detector
race:
	CGO_ENABLED=1 $(GO) test -race -count=1 -run 'TestSQLiteWriterQueueConcurrentPays' ./internal/payments/
	CGO_ENABLED=1 $(GO) test -race -count=1 -run 'TestWriteQueue|TestSaveDispatchClaimsOnce|TestSaveDispatchOfManyEvents|TestSavepointJournal|TestPurgeOfManyRows|TestReadOnlyStatement|TestStatement|TestWALStartsOver|TestGroupCommit|TestGroupedTransactionGivesUp|TestStatisticsRefresh|TestRefreshedStatistics' ./internal/store/

# Fuzz targets (package and name): amounts and money, the strict JSON decoder and the edge guard
# (NULs, link tokens, Idempotency-Keys), card-number and token shapes, the webhook signature verifier.
FUZZ_TARGETS := \
	./internal/domain:FuzzInvoiceTotals:250000x ./internal/domain:FuzzMoneyString:200000x \
	./internal/validate:FuzzCardNumber:75000x \
	./internal/psp/testgateway:FuzzIsToken:50000x ./internal/psp/stripe:FuzzIsPaymentMethodID:50000x \
	./internal/psp/stripe:FuzzParseWebhook:20000x \
	./api:FuzzDecode:2000x ./api:FuzzEdgeGuard:2000x
# Empty: each target runs its own number of inputs (about 5 s each here). A count, not a duration,
# because Go 1.26's fuzzer can fail a run with "context deadline exceeded" when a duration ends
# while a worker is busy (go.dev/issue/75804, fixed in Go 1.27). FUZZTIME=1m runs each for a minute.
FUZZTIME ?=

## fuzz: run every fuzz target (its own input count, or FUZZTIME each): the short, fixed run of make test
fuzz:
	@for t in $(FUZZ_TARGETS); do \
	  pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; n=$${rest#*:}; time=$(if $(FUZZTIME),$(FUZZTIME),$$n); \
	  echo "fuzz $$name ($$pkg) for $$time"; \
	  $(GO) test $$pkg -run '^$$' -fuzz "^$$name$$" -fuzztime $$time || exit 1; \
	done

FUZZ_LONG ?= 1m

## fuzz-long: the longer run, FUZZ_LONG per target (default 1m; e.g. make fuzz-long FUZZ_LONG=10m)
fuzz-long:
	@$(MAKE) --no-print-directory fuzz FUZZTIME=$(FUZZ_LONG)

test-spa: npm-deps
	@for d in $(SPAS); do (cd $$d && npm run check && npm test) || exit 1; done

test-e2e: build chromium
	@for d in $(SPAS); do (cd $$d && SECURELINK_BIN=$(CURDIR)/$(BIN) npm run e2e) || exit 1; done

tools:
	@[ -x $(SWAG) ] || GOFLAGS= $(GO) install github.com/swaggo/swag/cmd/swag@v1.16.6
	@[ -x $(shell $(GO) env GOPATH)/bin/stripe-mock ] || GOFLAGS= $(GO) install github.com/stripe/stripe-mock@v0.203.0

## openapi: regenerate openapi.yaml (OpenAPI 3) from the handlers' swag annotations
openapi: tools
	@mkdir -p build/swag
	$(SWAG) init -q -d api -g server.go -o build/swag --ot json --parseInternal --requiredByDefault
	$(GO) run ./scripts/openapi build/swag/swagger.json openapi.yaml

## openapi-check: fail when openapi.yaml is stale
openapi-check: tools
	@mkdir -p build/swag
	@$(SWAG) init -q -d api -g server.go -o build/swag --ot json --parseInternal --requiredByDefault
	@$(GO) run ./scripts/openapi build/swag/swagger.json build/openapi.yaml
	@cmp -s build/openapi.yaml openapi.yaml || { echo "openapi.yaml is stale: run 'make openapi' and commit it"; diff build/openapi.yaml openapi.yaml | head -20; exit 1; }

api-tools:
	@if [ ! -d $(APITOOLS)/node_modules ] || [ $(APITOOLS)/package-lock.json -nt $(APITOOLS)/node_modules/.package-lock.json ]; then \
	  echo "npm ci in $(APITOOLS)"; (cd $(APITOOLS) && npm ci --no-audit --no-fund) || exit 1; \
	fi

## api-lint: Redocly's linter (recommended ruleset) on openapi.yaml; any error or warning fails
api-lint: api-tools
	@cd $(APITOOLS) && node lint.mjs

## clients: generate the Go client (oapi-codegen) and the TypeScript SDK (@hey-api/openapi-ts) from
## openapi.yaml and drive the real binary with each: invoice, payment, partial refund, pagination
clients: build-go api-tools
	cd clients/go && $(GO) tool oapi-codegen -config oapi-codegen.yaml ../../openapi.yaml
	cd clients/go && $(GO) vet ./...
	cd $(APITOOLS) && rm -rf build && npx openapi-ts >/dev/null && npx tsc -p tsconfig.json
	cd $(APITOOLS) && SECURELINK_BIN=$(CURDIR)/$(BIN) node scenarios.mjs

## bench: load-test the binary on SQLite and PostgreSQL over loopback and print the figures
## (and the checkout's first load in Chromium, installed first when missing)
## (BENCH_FLAGS="-db sqlite", "-million", "-only pay", "-only firstload -firstload-before OLD_BIN" …; see scripts/bench)
bench: build chromium
	$(GO) run ./scripts/bench -bin $(BIN) $(BENCH_FLAGS)

## lint: gofmt, go vet, staticcheck and the exhaustiveness of switches over our enums (a switch
## with a default case counts as handled: Stripe's long code lists end in one)
lint:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) vet ./...
	@[ -x $(STATICCHECK) ] || GOFLAGS= $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(STATICCHECK) ./...
	@[ -x $(EXHAUSTIVE) ] || GOFLAGS= $(GO) install github.com/nishanths/exhaustive/cmd/exhaustive@$(EXHAUSTIVE_VERSION)
	$(EXHAUSTIVE) -d ./...

clean:
	rm -rf bin build
