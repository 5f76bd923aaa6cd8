package leave

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
)

// feedSig signs a person's calendar feed link, so the link itself is the
// permission (calendar apps cannot sign in) and nobody can guess another's.
func (m *Module) feedSig(personID uint) string {
	h := hmac.New(sha256.New, m.secret)
	fmt.Fprintf(h, "leave-feed:%d", personID)
	return hex.EncodeToString(h.Sum(nil))[:40]
}

// feedURL is the absolute address of a person's iCalendar feed.
func (m *Module) feedURL(base string, personID uint) string {
	return fmt.Sprintf("%s/leave/feed/%d/%s.ics", base, personID, m.feedSig(personID))
}
