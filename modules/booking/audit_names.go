package booking

import (
	"context"
	"strconv"
	"time"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/i18n"
)

// AuditNames lets the audit log name resources, and bookings, series and
// trips by their resource and start.
func (m *Module) AuditNames() map[string]audit.Namer {
	s := m.svc
	return map[string]audit.Namer{
		"booking_resource": audit.Names(s.db, "SELECT id, name FROM booking_resources WHERE id IN ?"),
		"booking": s.auditNamer(`SELECT b.id, r.name, b.start_at FROM bookings b
			JOIN booking_resources r ON r.id = b.resource_id WHERE b.id IN ?`),
		"booking_trip": s.auditNamer(`SELECT t.id, r.name, b.start_at FROM booking_trips t
			JOIN bookings b ON b.id = t.booking_id JOIN booking_resources r ON r.id = b.resource_id WHERE t.id IN ?`),
		"booking_series": audit.Names(s.db, `SELECT s.id, r.name FROM booking_series s
			JOIN booking_resources r ON r.id = s.resource_id WHERE s.id IN ?`),
	}
}

// auditNamer names rows by "resource, start" from query (id, name, start_at).
func (s *Service) auditNamer(query string) audit.Namer {
	return func(ctx context.Context, lang string, ids []string) (map[string]string, error) {
		nums := audit.NumericIDs(ids)
		if len(nums) == 0 {
			return nil, nil
		}
		var rows []struct {
			ID      uint64
			Name    string
			StartAt time.Time
		}
		if err := s.db.R.WithContext(ctx).Raw(query, nums).Scan(&rows).Error; err != nil {
			return nil, err
		}
		out := make(map[string]string, len(rows))
		for _, r := range rows {
			out[strconv.FormatUint(r.ID, 10)] = r.Name + ", " + i18n.FormatDateTime(lang, r.StartAt, s.tz)
		}
		return out, nil
	}
}
