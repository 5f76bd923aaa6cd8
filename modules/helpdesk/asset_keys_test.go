package helpdesk

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/platform/i18n"
)

// Every key the asset pages ask for exists in Hungarian and English, also
// the ones built from a value (states, queues, columns), so no one reads a
// raw key.
func TestAssetKeysExist(t *testing.T) {
	cat, err := i18n.Load()
	must(t, err)
	keyRe := regexp.MustCompile(`"(helpdesk\.[a-z0-9_.]+[a-z0-9_])"`)
	keys := map[string]bool{}
	var files []string
	for _, pattern := range []string{"../../views/helpdesk/asset*.html", "../../views/helpdesk/renewal.html", "../../views/helpdesk/label*.html",
		"asset*.go", "renewal.go", "maintenance.go", "routes_asset.go", "handler_asset_*.go", "handler_renewal_*.go", "handler_label_*.go"} {
		m, err := filepath.Glob(pattern)
		must(t, err)
		files = append(files, m...)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		must(t, err)
		for _, m := range keyRe.FindAllSubmatch(src, -1) {
			keys[string(m[1])] = true
		}
	}
	for _, st := range AssetStates {
		keys["helpdesk.asset.state."+st] = true
	}
	for _, c := range AssetColumns {
		keys["helpdesk.asset.col."+c], keys["helpdesk.asset.col_help."+c] = true, true
	}
	for _, q := range []string{QueueIT, QueueMaintenance} {
		keys["helpdesk.queue."+q] = true
	}
	// Audit actions are named in locales/audit.*.json, not here.
	for _, id := range []string{"helpdesk.asset.update", "helpdesk.asset.import", "helpdesk.plan.update", "helpdesk.maintenance"} {
		delete(keys, id)
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys; the scan is broken", len(keys))
	}
	for k := range keys {
		for _, lang := range []string{"hu", "en"} {
			if got := cat.T(lang, k, "Count", 2); got == k || got == "" {
				t.Errorf("%s: no %s sentence", k, lang)
			}
		}
	}
}
