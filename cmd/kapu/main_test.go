package main

import (
	"bytes"
	"strings"
	"testing"
)

func TestCommands(t *testing.T) {
	t.Setenv("KAPU_DATA_DIR", t.TempDir())
	t.Setenv("KAPU_DB", "")
	tests := []struct {
		args    []string
		stdin   string
		wantOut string
		wantErr string
	}{
		{[]string{"version"}, "", "kapu dev", ""},
		{[]string{"migrate"}, "", "database is up to date", ""},
		{[]string{"seed"}, "", "", "kapu seed --demo"},
		{[]string{"seed", "--demo"}, "", "demo data loaded", ""},
		{[]string{"seed", "--demo"}, "", "already has people", ""},
		{[]string{"user", "create", "--username", "uj.admin", "--name", "Új Admin", "--email", "uj@example.org", "--roles", "employee,admin"}, "jelszo123\n", "created uj.admin (employee, admin)", ""},
		{[]string{"user", "create", "--username", "bad name", "--name", "", "--email", "x"}, "jelszo123\n", "", "username: Use 2–64"},
		{[]string{"user", "passwd", "uj.admin"}, "short\n", "", "at least 8 characters"},
		{[]string{"user", "passwd", "uj.admin"}, strings.Repeat("x", 73) + "\n", "", "password: The password is too long"},
		{[]string{"user", "create", "--username", "hosszu", "--name", "Hosszú", "--email", "h@example.org"}, strings.Repeat("é", 37) + "\n", "", "too long"},
		{[]string{"user", "create", "--username", "hosszu", "--name", "Hosszú", "--email", "h@example.org"}, strings.Repeat("é", 36) + "\n", "created hosszu", ""},
		{[]string{"user", "passwd", "uj.admin"}, "masikjelszo\n", "password of uj.admin changed", ""},
		{[]string{"user", "passwd", "nobody"}, "masikjelszo\n", "", `no person with username "nobody"`},
		{[]string{"frobnicate"}, "", "", `unknown command "frobnicate"`},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		err := run(tt.args, strings.NewReader(tt.stdin), &out)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("kapu %v error = %v; want one containing %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || !strings.Contains(out.String(), tt.wantOut) {
			t.Errorf("kapu %v = %q, %v; want output containing %q", tt.args, out.String(), err, tt.wantOut)
		}
	}
}

func TestInvalidConfigStopsStartup(t *testing.T) {
	t.Setenv("KAPU_DATA_DIR", t.TempDir())
	t.Setenv("KAPU_LANG", "fr")
	err := run([]string{"serve"}, strings.NewReader(""), &bytes.Buffer{})
	if err == nil || !strings.HasPrefix(err.Error(), "KAPU_LANG: ") || strings.Contains(err.Error(), "\n") {
		t.Errorf("serve with KAPU_LANG=fr: %v; want one line naming KAPU_LANG", err)
	}
}
