// Package config loads Kapu's settings from KAPU_* environment variables and an
// optional .env file, applies defaults and rejects invalid values with one clear line.
package config

import (
	"bufio"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Version is stamped at build time with -ldflags "-X kapu/config.Version=…".
var Version = "dev"

// Config holds every setting Kapu reads at start-up.
type Config struct {
	Addr         string         // KAPU_ADDR, listen address
	DataDir      string         // KAPU_DATA_DIR, where the SQLite file, secret and backups live
	DB           string         // KAPU_DB, SQLite file path or postgres:// URL
	BaseURL      string         // KAPU_BASE_URL, absolute URL used in emails
	TZ           *time.Location // KAPU_TZ, the city hall's zone
	Lang         string         // KAPU_LANG, default language: hu or en
	City         string         // KAPU_CITY, the city hall's name on the citizens' public pages
	Secret       string         // KAPU_SECRET, signs tokens; generated into the data dir when unset
	SMTPHost     string         // KAPU_SMTP_HOST; empty keeps mail in the outbox
	SMTPPort     int            // KAPU_SMTP_PORT
	SMTPUser     string         // KAPU_SMTP_USER
	SMTPPassword string         // KAPU_SMTP_PASSWORD
	SMTPTLS      string         // KAPU_SMTP_TLS: none, starttls or tls
	MailFrom     string         // KAPU_MAIL_FROM
	LinkTTL      time.Duration  // KAPU_LINK_TTL, how long email action links work
	CarHold      time.Duration  // KAPU_CAR_HOLD, how long a car request keeps the car while it waits for approval
	// PasswordCost (KAPU_PASSWORD_COST, bcrypt's cost 4–16, default 10) is how
	// slow a new password hash is: higher resists guessing longer, and every
	// sign-in pays it once. Existing hashes keep the cost they were made with.
	PasswordCost int
	// TrustedProxies (KAPU_TRUSTED_PROXIES, comma-separated addresses or CIDRs) may
	// tell Kapu the client's address in X-Forwarded-For; nobody else can.
	TrustedProxies []string

	LeaveBaseDays       int      // KAPU_LEAVE_BASE_DAYS, a new year's allocation for people without one
	LeaveCarryUntil     MonthDay // KAPU_LEAVE_CARRY_UNTIL, when carried-over days expire (MM-DD)
	LeaveAutumnReminder MonthDay // KAPU_LEAVE_AUTUMN_REMINDER "MM-DD:N": from that day remind people with N+ unplanned days; empty is off
	LeaveAutumnMinDays  int

	// ApptRetentionDays (KAPU_APPT_RETENTION_DAYS, default 90) is how long a
	// citizen's name, email, phone and note are kept after the appointment;
	// the counts and times stay for the statistics.
	ApptRetentionDays int
	// ApptReminderHour (KAPU_APPT_REMINDER_HOUR, default 14) is the local hour
	// from which the working day before an appointment its reminder goes out.
	ApptReminderHour int
	// ApptPowBits (KAPU_APPT_POW_BITS, default 0 = off; "on" = ApptPowOn) is
	// the proof of work the public booking form asks of a browser: that many
	// leading zero bits of a SHA-256. An administrator turns it on when bots come.
	ApptPowBits int
}

// ApptPowOn is KAPU_APPT_POW_BITS=on: 2^18 hashes on average, about a tenth
// of a second in a desktop browser and a few tenths on a phone, while the
// citizen types; a script that wants a thousand bookings pays minutes of CPU.
// Each bit more doubles it.
const ApptPowOn = 18

// MonthDay is a day of every year, such as 31 March; the zero value means "not set".
type MonthDay struct {
	Month time.Month
	Day   int
}

// IsZero reports whether the day is not set.
func (m MonthDay) IsZero() bool { return m.Month == 0 }

// parseMonthDay reads "MM-DD".
func parseMonthDay(s string) (MonthDay, error) {
	t, err := time.Parse("01-02", s)
	if err != nil {
		return MonthDay{}, err
	}
	return MonthDay{t.Month(), t.Day()}, nil
}

// Postgres reports whether the database is PostgreSQL rather than the embedded SQLite.
func (c *Config) Postgres() bool {
	return strings.HasPrefix(c.DB, "postgres://") || strings.HasPrefix(c.DB, "postgresql://")
}

// SecureCookies reports whether cookies must carry the Secure flag.
func (c *Config) SecureCookies() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// Error names the variable whose value is wrong, so start-up can print one clear line.
type Error struct {
	Var    string
	Reason string
}

func (e *Error) Error() string { return e.Var + ": " + e.Reason }

// Load reads the environment through getenv (os.Getenv in production) after
// merging the .env file in the working directory, if there is one.
func Load(getenv func(string) string) (*Config, error) {
	dotenv, err := readDotEnv(".env")
	if err != nil {
		return nil, err
	}
	get := func(k, def string) string {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
		if v := dotenv[k]; v != "" {
			return v
		}
		return def
	}

	c := &Config{
		Addr:         get("KAPU_ADDR", ":8080"),
		DataDir:      get("KAPU_DATA_DIR", "./data"),
		Lang:         get("KAPU_LANG", "hu"),
		City:         get("KAPU_CITY", "Polgármesteri Hivatal"),
		Secret:       get("KAPU_SECRET", ""),
		SMTPHost:     get("KAPU_SMTP_HOST", ""),
		SMTPUser:     get("KAPU_SMTP_USER", ""),
		SMTPPassword: get("KAPU_SMTP_PASSWORD", ""),
		SMTPTLS:      get("KAPU_SMTP_TLS", "starttls"),
		MailFrom:     get("KAPU_MAIL_FROM", "kapu@localhost"),
	}
	c.DB = get("KAPU_DB", filepath.Join(c.DataDir, "kapu.db"))

	if _, _, err := splitAddr(c.Addr); err != nil {
		return nil, &Error{"KAPU_ADDR", err.Error()}
	}
	if c.Lang != "hu" && c.Lang != "en" {
		return nil, &Error{"KAPU_LANG", fmt.Sprintf("%q is not supported; use hu or en", c.Lang)}
	}
	tz := get("KAPU_TZ", "Europe/Budapest")
	if c.TZ, err = time.LoadLocation(tz); err != nil {
		return nil, &Error{"KAPU_TZ", fmt.Sprintf("%q is not a known time zone (e.g. Europe/Budapest)", tz)}
	}
	port := get("KAPU_SMTP_PORT", "587")
	if c.SMTPPort, err = strconv.Atoi(port); err != nil || c.SMTPPort < 1 || c.SMTPPort > 65535 {
		return nil, &Error{"KAPU_SMTP_PORT", fmt.Sprintf("%q is not a port number (1-65535)", port)}
	}
	switch c.SMTPTLS {
	case "none", "starttls", "tls":
	default:
		return nil, &Error{"KAPU_SMTP_TLS", fmt.Sprintf("%q is not one of none, starttls, tls", c.SMTPTLS)}
	}
	if !strings.Contains(c.MailFrom, "@") {
		return nil, &Error{"KAPU_MAIL_FROM", fmt.Sprintf("%q is not an email address", c.MailFrom)}
	}
	if strings.Contains(c.DB, "://") && !c.Postgres() {
		return nil, &Error{"KAPU_DB", "use a SQLite file path or a postgres:// URL"}
	}
	if c.Postgres() {
		if _, err := url.Parse(c.DB); err != nil {
			return nil, &Error{"KAPU_DB", "not a valid postgres:// URL"}
		}
	}
	ttl := get("KAPU_LINK_TTL", "14d")
	if c.LinkTTL, err = parseDays(ttl); err != nil || c.LinkTTL < time.Hour || c.LinkTTL > 366*24*time.Hour {
		return nil, &Error{"KAPU_LINK_TTL", fmt.Sprintf("%q is not a duration between 1h and 366d, e.g. 14d or 72h", ttl)}
	}
	hold := get("KAPU_CAR_HOLD", "48h")
	if c.CarHold, err = parseDays(hold); err != nil || c.CarHold < time.Hour || c.CarHold > 30*24*time.Hour {
		return nil, &Error{"KAPU_CAR_HOLD", fmt.Sprintf("%q is not a duration between 1h and 30d, e.g. 48h or 2d", hold)}
	}
	cost := get("KAPU_PASSWORD_COST", "10")
	if c.PasswordCost, err = strconv.Atoi(cost); err != nil || c.PasswordCost < 4 || c.PasswordCost > 16 {
		return nil, &Error{"KAPU_PASSWORD_COST", fmt.Sprintf("%q is not a bcrypt cost between 4 and 16", cost)}
	}
	base := get("KAPU_LEAVE_BASE_DAYS", "20")
	if c.LeaveBaseDays, err = strconv.Atoi(base); err != nil || c.LeaveBaseDays < 0 || c.LeaveBaseDays > 100 {
		return nil, &Error{"KAPU_LEAVE_BASE_DAYS", fmt.Sprintf("%q is not a number of days (0-100)", base)}
	}
	carry := get("KAPU_LEAVE_CARRY_UNTIL", "03-31")
	if c.LeaveCarryUntil, err = parseMonthDay(carry); err != nil {
		return nil, &Error{"KAPU_LEAVE_CARRY_UNTIL", fmt.Sprintf("%q is not a month and day as MM-DD, e.g. 03-31", carry)}
	}
	if autumn := get("KAPU_LEAVE_AUTUMN_REMINDER", ""); autumn != "" {
		day, min, ok := strings.Cut(autumn, ":")
		c.LeaveAutumnReminder, err = parseMonthDay(day)
		if c.LeaveAutumnMinDays, _ = strconv.Atoi(min); !ok || err != nil || c.LeaveAutumnMinDays < 1 {
			return nil, &Error{"KAPU_LEAVE_AUTUMN_REMINDER", fmt.Sprintf("%q is not MM-DD:DAYS, e.g. 10-01:10", autumn)}
		}
	}
	keep := get("KAPU_APPT_RETENTION_DAYS", "90")
	if c.ApptRetentionDays, err = strconv.Atoi(keep); err != nil || c.ApptRetentionDays < 1 || c.ApptRetentionDays > 3660 {
		return nil, &Error{"KAPU_APPT_RETENTION_DAYS", fmt.Sprintf("%q is not a number of days (1-3660)", keep)}
	}
	remind := get("KAPU_APPT_REMINDER_HOUR", "14")
	if c.ApptReminderHour, err = strconv.Atoi(remind); err != nil || c.ApptReminderHour < 0 || c.ApptReminderHour > 23 {
		return nil, &Error{"KAPU_APPT_REMINDER_HOUR", fmt.Sprintf("%q is not an hour (0-23)", remind)}
	}
	switch pow := get("KAPU_APPT_POW_BITS", "0"); pow {
	case "on":
		c.ApptPowBits = ApptPowOn
	case "off":
	default:
		if c.ApptPowBits, err = strconv.Atoi(pow); err != nil || c.ApptPowBits < 0 || c.ApptPowBits > 24 {
			return nil, &Error{"KAPU_APPT_POW_BITS", fmt.Sprintf("%q is not off, on or a number of bits (0-24)", pow)}
		}
	}
	for _, p := range strings.Split(get("KAPU_TRUSTED_PROXIES", ""), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			return nil, &Error{"KAPU_TRUSTED_PROXIES", fmt.Sprintf("%q is not an IP address or CIDR range", p)}
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	c.BaseURL = strings.TrimRight(get("KAPU_BASE_URL", defaultBaseURL(c.Addr)), "/")
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, &Error{"KAPU_BASE_URL", fmt.Sprintf("%q is not an absolute http(s) URL", c.BaseURL)}
	}
	if c.Secret != "" && len(c.Secret) < 32 {
		return nil, &Error{"KAPU_SECRET", "must be at least 32 characters"}
	}
	return c, nil
}

// EnsureSecret fills Secret from the data dir, creating a random one on first start,
// so links signed before a restart stay valid without the admin setting anything.
func (c *Config) EnsureSecret() error {
	if c.Secret != "" {
		return nil
	}
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return &Error{"KAPU_DATA_DIR", err.Error()}
	}
	path := filepath.Join(c.DataDir, "secret")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		c.Secret = strings.TrimSpace(string(b))
		return nil
	}
	buf := make([]byte, 32)
	if _, err := rand.Read(buf); err != nil {
		return err
	}
	c.Secret = hex.EncodeToString(buf)
	if err := os.WriteFile(path, []byte(c.Secret+"\n"), 0o600); err != nil {
		return &Error{"KAPU_DATA_DIR", err.Error()}
	}
	return nil
}

// parseDays reads a Go duration or a whole number of days such as "14d".
func parseDays(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		return time.Duration(days) * 24 * time.Hour, err
	}
	return time.ParseDuration(s)
}

func splitAddr(addr string) (string, int, error) {
	i := strings.LastIndex(addr, ":")
	if i < 0 {
		return "", 0, errors.New("use host:port or :port, e.g. :8080")
	}
	p, err := strconv.Atoi(addr[i+1:])
	if err != nil || p < 0 || p > 65535 {
		return "", 0, fmt.Errorf("%q has no valid port, e.g. :8080", addr)
	}
	return addr[:i], p, nil
}

func defaultBaseURL(addr string) string {
	host, port, _ := splitAddr(addr)
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return fmt.Sprintf("http://%s:%d", host, port)
}

// readDotEnv parses KEY=VALUE lines; a missing file is not an error.
func readDotEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, &Error{".env", err.Error()}
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		if !ok {
			return nil, &Error{".env", fmt.Sprintf("line %d is not KEY=VALUE", n)}
		}
		out[strings.TrimSpace(k)] = strings.Trim(strings.TrimSpace(v), `"'`)
	}
	return out, sc.Err()
}
