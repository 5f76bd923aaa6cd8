// Package dbtest gives tests a real, empty database: a temporary SQLite file always,
// and a throwaway schema on PostgreSQL when KAPU_TEST_POSTGRES holds a DSN.
package dbtest

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"gorm.io/driver/postgres"
	"gorm.io/gorm"

	"kapu/modules/platform/db"
)

// Dialects lists the databases the suite runs on here.
func Dialects() []string {
	if os.Getenv("KAPU_TEST_POSTGRES") != "" {
		return []string{db.SQLite, db.Postgres}
	}
	return []string{db.SQLite}
}

// Each runs fn as a subtest once per dialect, each on a fresh database.
func Each(t *testing.T, fn func(t *testing.T, d *db.DB)) {
	t.Helper()
	for _, dialect := range Dialects() {
		t.Run(dialect, func(t *testing.T) { fn(t, Open(t, dialect)) })
	}
}

// DSN returns a connection string for a fresh, empty database of the dialect,
// removed when the test ends.
func DSN(t testing.TB, dialect string) string {
	t.Helper()
	if dialect == db.SQLite {
		return filepath.Join(t.TempDir(), "kapu.db")
	}
	base := os.Getenv("KAPU_TEST_POSTGRES")
	if base == "" {
		t.Fatal("KAPU_TEST_POSTGRES is not set")
	}
	buf := make([]byte, 6)
	_, _ = rand.Read(buf)
	schema := "t_" + hex.EncodeToString(buf)
	admin, err := gorm.Open(postgres.Open(base), &gorm.Config{})
	if err != nil {
		t.Fatalf("connect KAPU_TEST_POSTGRES: %v", err)
	}
	if err := admin.Exec("CREATE SCHEMA " + schema).Error; err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		admin.Exec("DROP SCHEMA " + schema + " CASCADE")
		if s, err := admin.DB(); err == nil {
			s.Close()
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("KAPU_TEST_POSTGRES: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// Open opens a fresh database of the dialect; it is closed when the test ends.
func Open(t testing.TB, dialect string) *db.DB {
	t.Helper()
	d, err := db.Open(DSN(t, dialect))
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}
