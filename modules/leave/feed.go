package leave

import (
	"fmt"

	"kapu/modules/platform/ical"
)

// feedSig signs a person's calendar feed link, so the link itself is the
// permission (calendar apps cannot sign in) and nobody can guess another's.
func (m *Module) feedSig(personID uint) string { return ical.FeedSig(m.secret, "leave", personID) }

// feedURL is the absolute address of a person's iCalendar feed.
func (m *Module) feedURL(base string, personID uint) string {
	return fmt.Sprintf("%s/leave/feed/%d/%s.ics", base, personID, m.feedSig(personID))
}
