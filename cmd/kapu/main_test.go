package main

import (
	"bytes"
	"strings"
	"testing"

	"kapu/modules/platform/people"
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
		// People added by hand make the demo a real city hall: no reset.
		{[]string{"seed", "--demo", "--reset"}, "", "", "more than the demo"},
		{[]string{"user", "passwd", "uj.admin"}, "harmadikjelszo\n", "password of uj.admin changed", ""},
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

// A demo nobody added people to starts again on a reset.
func TestSeedResetStartsTheDemoAgain(t *testing.T) {
	t.Setenv("KAPU_DATA_DIR", t.TempDir())
	t.Setenv("KAPU_DB", "")
	var out bytes.Buffer
	for _, args := range [][]string{{"seed", "--demo"}, {"seed", "--demo", "--reset"}} {
		out.Reset()
		if err := run(args, strings.NewReader(""), &out); err != nil {
			t.Fatalf("kapu %v: %v", args, err)
		}
	}
	if !strings.Contains(out.String(), "demo database emptied and loaded again") || !strings.Contains(out.String(), "  employee ") {
		t.Errorf("kapu seed --demo --reset said %q; want the reset and the logins", out.String())
	}
}

// A database that was not seeded with the demo is never reset.
func TestResetLeavesRealDataAlone(t *testing.T) {
	t.Setenv("KAPU_DATA_DIR", t.TempDir())
	t.Setenv("KAPU_DB", "")
	var out bytes.Buffer
	if err := run([]string{"user", "create", "--username", "elso", "--name", "Első Admin", "--email", "elso@example.org", "--roles", "admin"},
		strings.NewReader("jelszo123\n"), &out); err != nil {
		t.Fatal(err)
	}
	err := run([]string{"seed", "--demo", "--reset"}, strings.NewReader(""), &out)
	if err == nil || !strings.Contains(err.Error(), "more than the demo") {
		t.Fatalf("resetting a real database = %v; want a refusal", err)
	}
	if err := run([]string{"user", "passwd", "elso"}, strings.NewReader("masikjelszo\n"), &out); err != nil {
		t.Errorf("after the refused reset the person is gone: %v", err)
	}
}

// The banner names every demo login once, with what it is for.
func TestDemoLoginsBanner(t *testing.T) {
	var out bytes.Buffer
	printDemoLogins(&out)
	for _, a := range people.DemoAccounts {
		if n := strings.Count(out.String(), "\n  "+a.Username+" "); n != 1 {
			t.Errorf("the banner lists %q %d times; want once", a.Username, n)
		}
		if roleHelp[a.Role] == "" || !strings.Contains(out.String(), roleHelp[a.Role]) {
			t.Errorf("the banner does not say what %q is for", a.Username)
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
