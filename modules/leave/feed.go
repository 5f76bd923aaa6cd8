package leave

import (
	"context"
	"fmt"

	"kapu/modules/platform/ical"
)

// feedURL is the absolute address of a person's iCalendar feed: the signed
// link is the permission, since calendar apps cannot sign in.
func (m *Module) feedURL(ctx context.Context, base string, personID uint) (string, error) {
	key, err := m.svc.people.FeedKey(ctx, personID)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s/leave/feed/%d/%s.ics", base, personID, ical.FeedSig(m.secret, "leave", personID, key)), nil
}
