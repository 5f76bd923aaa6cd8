package db

import (
	"bytes"
	"context"
	"fmt"

	"github.com/mattn/go-sqlite3"
	"golang.org/x/text/collate"
	"golang.org/x/text/language"
)

// sqliteNameCollation is the collation registered on every SQLite connection
// for names: Hungarian alphabetical order (see NewNameCollator).
const sqliteNameCollation = "hu"

// postgresNameCollations are the ICU collations tried for names, best first.
// Debian's PostgreSQL ships ICU, and initdb imports "hu-x-icu" into every
// database; a server built without ICU falls back to byte order.
var postgresNameCollations = []string{"hu-x-icu", "hu-HU-x-icu"}

// NewNameCollator sorts names as a Hungarian reader expects: accents are a
// secondary difference (Ádám next to Adam, Sárközi before Szűcs), and the
// digraphs are letters of their own (cs after c, so Czakó before Csaba; sz
// after s; zs after z). It agrees with ICU's "hu" on PostgreSQL. A collator is
// not safe for concurrent use: make one per goroutine or connection.
func NewNameCollator() *collate.Collator { return collate.New(language.Hungarian) }

// maxCachedKeys bounds a connection's cache of sort keys (a few MB at most).
const maxCachedKeys = 20000

// registerNameCollation gives one SQLite connection the "hu" collation, with a
// collator of its own (SQLite calls it only from the connection's goroutine).
// Sorting n names compares each about log n times, and the collator's work is
// in making the sort key, so each name's key is made once and kept: with it,
// sorting 5,000 names costs a few times byte order instead of twenty.
func registerNameCollation(c *sqlite3.SQLiteConn) error {
	coll := NewNameCollator()
	var buf collate.Buffer
	keys := map[string][]byte{}
	key := func(s string) []byte {
		if k, ok := keys[s]; ok {
			return k
		}
		if len(keys) >= maxCachedKeys {
			clear(keys)
		}
		k := bytes.Clone(coll.KeyFromString(&buf, s))
		buf.Reset()
		keys[s] = k
		return k
	}
	return c.RegisterCollation(sqliteNameCollation, func(a, b string) int {
		return bytes.Compare(key(a), key(b))
	})
}

// findNameCollation picks the PostgreSQL collation for names, "" when the
// server has none of them.
func (d *DB) findNameCollation(ctx context.Context) error {
	var have []string
	if err := d.R.WithContext(ctx).Raw("SELECT collname FROM pg_collation WHERE collname IN ?", postgresNameCollations).
		Scan(&have).Error; err != nil {
		return fmt.Errorf("look up collations: %w", err)
	}
	for _, want := range postgresNameCollations {
		for _, h := range have {
			if h == want {
				d.nameCollation = `"` + want + `"`
				return nil
			}
		}
	}
	return nil
}

// ByName is the ORDER BY expression that sorts the column col (a person's or a
// department's name) in Hungarian alphabetical order on this database:
// ByName("p.name") + ", p.id". Every list of names sorts through it, so the
// people list, pickers, departments and HR lists agree on both dialects.
func (d *DB) ByName(col string) string {
	if d.nameCollation == "" {
		return col
	}
	return col + " COLLATE " + d.nameCollation
}
