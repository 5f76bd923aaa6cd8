package db

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// ForUpdate makes tx's next read lock the rows it reads until the
// transaction ends: SELECT … FOR UPDATE on PostgreSQL, so a concurrent
// change waits and then sees the first one's result. SQLite's driver
// leaves the clause out, and needs none: its one writer holds the whole
// database for the transaction (_txlock=immediate).
func ForUpdate(tx *gorm.DB) *gorm.DB {
	return tx.Clauses(clause.Locking{Strength: "UPDATE"})
}
