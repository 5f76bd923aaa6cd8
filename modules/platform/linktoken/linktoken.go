// Package linktoken keeps the secret links Kapu mails: set-password links,
// approval links, and the links of citizens who have no account. A link's
// token is 256 random bits; only its hash is stored, so a copy of the database
// opens nothing. A link works until it expires and then once.
package linktoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/web"
)

// What a link is when it is opened. Modules add states of their own (a
// decided request, a voided link) on top.
const (
	Valid   = "valid"   // it may be used
	Unknown = "unknown" // no such link (mistyped, or not Kapu's)
	Expired = "expired" // its time is over
	Used    = "used"    // it was used
)

// Fields are the columns every link table has; a module's link model embeds
// them next to what the link is for.
type Fields struct {
	Hash      string    `gorm:"size:64;not null;uniqueIndex"`
	ExpiresAt time.Time `gorm:"not null"`
	UsedAt    *time.Time
}

// New returns a fresh token for the link's URL and the Fields to store in
// its place, working for ttl from now.
func New(now time.Time, ttl time.Duration) (raw string, f Fields) {
	raw = web.RandomToken()
	return raw, Fields{Hash: Hash(raw), ExpiresAt: now.UTC().Add(ttl)}
}

// Hash is what is stored for the token raw.
func Hash(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}

// State is Used, Expired (from ExpiresAt on) or Valid at now.
func (f *Fields) State(now time.Time) string {
	switch {
	case f.UsedAt != nil:
		return Used
	case !now.Before(f.ExpiresAt):
		return Expired
	}
	return Valid
}

// Find loads into dest, a pointer to a model that embeds Fields, the link
// whose token is raw, through q; false when there is none (State Unknown).
// dest must be empty: GORM adds the id of a filled one to the query.
func Find(q *gorm.DB, dest any, raw string) (bool, error) {
	if raw == "" {
		return false, nil
	}
	res := q.Where("hash = ?", Hash(raw)).Limit(1).Find(dest)
	return res.RowsAffected == 1, res.Error
}

// Use marks link id of model used at now if it is still unused (and passes
// guard, e.g. "not voided"): of callers racing for one link, exactly one gets
// true, since the update itself checks. Run it in the transaction that does
// what the link is for, so both commit or neither.
func Use(tx *gorm.DB, model any, id uint, now time.Time, guard ...func(*gorm.DB) *gorm.DB) (bool, error) {
	res := tx.Model(model).Scopes(guard...).Where("id = ? AND used_at IS NULL", id).Update("used_at", now.UTC())
	return res.RowsAffected == 1, res.Error
}

// FormSig binds the form a mailed link's page shows to that link (raw) and
// its purpose: on a page that needs no sign-in it stands in for the
// session's CSRF token.
func FormSig(secret, purpose, raw string) string {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write([]byte(purpose + ":" + raw))
	return hex.EncodeToString(h.Sum(nil))
}

// CheckFormSig reports whether sig is FormSig's for the same purpose and link.
func CheckFormSig(secret, purpose, raw, sig string) bool {
	return hmac.Equal([]byte(sig), []byte(FormSig(secret, purpose, raw)))
}
