package leave

import (
	"context"
	"fmt"
)

// feedURL is the absolute address of a person's iCalendar feed: the signed
// link is the permission, since calendar apps cannot sign in.
func (m *Module) feedURL(ctx context.Context, base string, personID uint) (string, error) {
	sig, err := m.svc.people.FeedSig(ctx, m.secret, "leave", personID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/leave/feed/%d/%s.ics", base, personID, sig), nil
}
