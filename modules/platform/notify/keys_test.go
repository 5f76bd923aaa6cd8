package notify

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kapu/modules/platform/i18n"
)

// Every key the emails and the outbox pages ask for exists in every language,
// so no recipient or administrator ever reads a raw key.
func TestKeysExist(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	keyRe := regexp.MustCompile(`"((?:notify|email|nav|app)\.[a-z0-9_.]+)"`)
	keys := map[string]bool{}
	for _, s := range Statuses {
		keys["notify.status."+s] = true
	}
	var files []string
	for _, pattern := range []string{"../../../views/emails/*.tmpl", "../../../views/notify/*.html", "*.go"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, m...)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range keyRe.FindAllSubmatch(src, -1) {
			keys[string(m[1])] = true
		}
	}
	if len(keys) < 30 {
		t.Fatalf("found only %d keys; the scan is broken", len(keys))
	}
	// Identifiers that look like keys but are never shown translated: the job
	// name, the audit actions (the audit page shows them as code) and a prefix.
	for _, id := range []string{"notify.deliver", "notify.mail.retry", "notify.mail.cancel", "notify.status."} {
		delete(keys, id)
	}
	for k := range keys {
		for _, lang := range i18n.Langs {
			if cat.T(lang, k) == k {
				t.Errorf("%s has no %s text", k, lang)
			}
		}
	}
}
