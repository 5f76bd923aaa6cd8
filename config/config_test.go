package config

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func envOf(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(envOf(nil))
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"Addr", c.Addr, ":8080"},
		{"DataDir", c.DataDir, "./data"},
		{"DB", c.DB, filepath.Join("data", "kapu.db")},
		{"BaseURL", c.BaseURL, "http://localhost:8080"},
		{"TZ", c.TZ.String(), "Europe/Budapest"},
		{"Lang", c.Lang, "hu"},
		{"SMTPTLS", c.SMTPTLS, "starttls"},
		{"LinkTTL", c.LinkTTL.String(), "336h0m0s"},
		{"CarHold", c.CarHold.String(), "48h0m0s"},
		{"PasswordCost", strconv.Itoa(c.PasswordCost), "10"},
		{"ApptPowBits", strconv.Itoa(c.ApptPowBits), "0"},
	}
	for _, ch := range checks {
		if ch.got != ch.want {
			t.Errorf("default %s = %q; want %q", ch.name, ch.got, ch.want)
		}
	}
	if c.Postgres() || c.SecureCookies() {
		t.Errorf("defaults select PostgreSQL or secure cookies")
	}
}

func TestInvalidConfigNamesTheVariable(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"KAPU_TZ": "Mars/Olympus"}, "KAPU_TZ"},
		{map[string]string{"KAPU_LANG": "de"}, "KAPU_LANG"},
		{map[string]string{"KAPU_ADDR": "8080"}, "KAPU_ADDR"},
		{map[string]string{"KAPU_ADDR": ":http"}, "KAPU_ADDR"},
		{map[string]string{"KAPU_SMTP_PORT": "0"}, "KAPU_SMTP_PORT"},
		{map[string]string{"KAPU_SMTP_PORT": "abc"}, "KAPU_SMTP_PORT"},
		{map[string]string{"KAPU_SMTP_TLS": "ssl"}, "KAPU_SMTP_TLS"},
		{map[string]string{"KAPU_MAIL_FROM": "kapu"}, "KAPU_MAIL_FROM"},
		{map[string]string{"KAPU_DB": "mysql://x"}, "KAPU_DB"},
		{map[string]string{"KAPU_BASE_URL": "kapu.example.org"}, "KAPU_BASE_URL"},
		{map[string]string{"KAPU_BASE_URL": "ftp://kapu.example.org"}, "KAPU_BASE_URL"},
		{map[string]string{"KAPU_SECRET": "short"}, "KAPU_SECRET"},
		{map[string]string{"KAPU_LINK_TTL": "forever"}, "KAPU_LINK_TTL"},
		{map[string]string{"KAPU_LINK_TTL": "0d"}, "KAPU_LINK_TTL"},
		{map[string]string{"KAPU_CAR_HOLD": "10m"}, "KAPU_CAR_HOLD"},
		{map[string]string{"KAPU_PASSWORD_COST": "3"}, "KAPU_PASSWORD_COST"},
		{map[string]string{"KAPU_PASSWORD_COST": "twelve"}, "KAPU_PASSWORD_COST"},
		{map[string]string{"KAPU_LEAVE_BASE_DAYS": "lots"}, "KAPU_LEAVE_BASE_DAYS"},
		{map[string]string{"KAPU_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, "KAPU_TRUSTED_PROXIES"},
		{map[string]string{"KAPU_LEAVE_CARRY_UNTIL": "31-03"}, "KAPU_LEAVE_CARRY_UNTIL"},
		{map[string]string{"KAPU_LEAVE_AUTUMN_REMINDER": "10-01"}, "KAPU_LEAVE_AUTUMN_REMINDER"},
		{map[string]string{"KAPU_APPT_RETENTION_DAYS": "0"}, "KAPU_APPT_RETENTION_DAYS"},
		{map[string]string{"KAPU_APPT_REMINDER_HOUR": "24"}, "KAPU_APPT_REMINDER_HOUR"},
		{map[string]string{"KAPU_APPT_REMINDER_HOUR": "noon"}, "KAPU_APPT_REMINDER_HOUR"},
		{map[string]string{"KAPU_APPT_POW_BITS": "25"}, "KAPU_APPT_POW_BITS"},
		{map[string]string{"KAPU_APPT_POW_BITS": "yes"}, "KAPU_APPT_POW_BITS"},
	}
	for _, tt := range tests {
		_, err := Load(envOf(tt.env))
		var ce *Error
		if !errors.As(err, &ce) || ce.Var != tt.want {
			t.Errorf("Load(%v) error = %v; want one naming %s", tt.env, err, tt.want)
			continue
		}
		if msg := err.Error(); strings.Contains(msg, "\n") || !strings.HasPrefix(msg, tt.want+": ") {
			t.Errorf("Load(%v) error = %q; want one line starting with the variable", tt.env, msg)
		}
	}
}

func TestValues(t *testing.T) {
	c, err := Load(envOf(map[string]string{
		"KAPU_ADDR":     "127.0.0.1:9000",
		"KAPU_DB":       "postgres://kapu@db/kapu",
		"KAPU_BASE_URL": "https://kapu.varos.hu/",
		"KAPU_LANG":     "en",
		"KAPU_TZ":       "UTC",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if !c.Postgres() || !c.SecureCookies() || c.BaseURL != "https://kapu.varos.hu" || c.Lang != "en" || c.TZ.String() != "UTC" {
		t.Errorf("Load = %+v; want the given values", c)
	}
}

// KAPU_APPT_POW_BITS: off, on (the documented default when turned on) or a number.
func TestApptPowBits(t *testing.T) {
	for in, want := range map[string]int{"off": 0, "0": 0, "on": ApptPowOn, "12": 12, "24": 24} {
		c, err := Load(envOf(map[string]string{"KAPU_APPT_POW_BITS": in}))
		if err != nil || c.ApptPowBits != want {
			t.Errorf("KAPU_APPT_POW_BITS=%s: %v, %v; want %d bits", in, c, err, want)
		}
	}
}

func TestDotEnv(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	t.Cleanup(func() { os.Chdir(wd) })
	os.Chdir(dir)
	os.WriteFile(".env", []byte("# settings\nKAPU_LANG=en\nexport KAPU_ADDR=\":9090\"\n"), 0o600)
	c, err := Load(envOf(map[string]string{"KAPU_ADDR": ":7070"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Lang != "en" || c.Addr != ":7070" {
		t.Errorf(".env gave Lang %q Addr %q; want en from the file and :7070 from the environment", c.Lang, c.Addr)
	}
	os.WriteFile(".env", []byte("NOT A SETTING\n"), 0o600)
	if _, err := Load(envOf(nil)); err == nil || !strings.Contains(err.Error(), ".env") {
		t.Errorf("a malformed .env gave %v; want an error naming .env", err)
	}
}

func TestEnsureSecret(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	c := &Config{DataDir: dir}
	if err := c.EnsureSecret(); err != nil || len(c.Secret) < 32 {
		t.Fatalf("EnsureSecret = %v, secret %q; want a generated secret", err, c.Secret)
	}
	again := &Config{DataDir: dir}
	if err := again.EnsureSecret(); err != nil || again.Secret != c.Secret {
		t.Errorf("second start secret = %q; want the stored %q", again.Secret, c.Secret)
	}
}
