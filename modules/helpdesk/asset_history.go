package helpdesk

import (
	"context"
	"time"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
)

// AssetFault is one ticket about an asset, as its history lists it.
type AssetFault struct {
	ID           uint
	Number       string
	Title        string
	State        string
	CreatedAt    time.Time
	ResolvedAt   *time.Time
	ClosedAt     *time.Time
	WorkMins     int
	PartsCost    int64
	MergedIntoID *uint
	RunTicket    *uint // set for a ticket the maintenance job opened
	// DowntimeHours is resolved (or closed, or now while open) − created.
	DowntimeHours float64
}

// Preventive reports whether the ticket is planned maintenance, not a fault.
func (f AssetFault) Preventive() bool { return f.RunTicket != nil }

// Counts reports whether the ticket counts as a fault in the totals: not
// planned maintenance, not a duplicate merged into another ticket.
func (f AssetFault) Counts() bool { return f.RunTicket == nil && f.MergedIntoID == nil }

// AssetHistory is everything the asset page shows.
type AssetHistory struct {
	Asset          Asset
	OwnerName      string
	DepartmentName string
	Tickets        []AssetFault // newest first, planned maintenance included
	// Totals over the tickets that count (AssetFault.Counts).
	Faults        int
	DowntimeHours float64
	WorkMins      int
	RepairCost    int64 // the parts' cost, forints
	// AgeMonths is the whole months since the purchase; -1 when unknown.
	AgeMonths int
	// ServiceDays is the time in service: from the purchase (or, unknown,
	// from when the asset was recorded) to now.
	ServiceDays float64
	// MTBFDays is the mean time between failures (see MTBF); 0 without faults.
	MTBFDays      float64
	WarrantyEnded bool // the warranty end is known and past
	Today         calendar.Date
}

// MTBF is the mean time between failures over the asset's whole life: its
// time in service (from the purchase date, or from when it was recorded,
// to now) less the downtime of its faults, divided by the number of faults.
// Planned maintenance and merged duplicates are not faults. Zero without a
// fault: the page then says "no fault yet" instead of a figure.
func MTBF(service time.Duration, downtime time.Duration, faults int) time.Duration {
	if faults == 0 {
		return 0
	}
	return max(service-downtime, 0) / time.Duration(faults)
}

// monthsBetween is the whole months from a to b (negative when b is earlier).
func monthsBetween(a, b calendar.Date) int {
	m := (b.Year-a.Year)*12 + int(b.Month-a.Month)
	if b.Day < a.Day {
		m--
	}
	return m
}

// AssetHistory reads the asset id with its fault history and its figures,
// for asset staff.
func (s *Service) AssetHistory(ctx context.Context, a actor.Actor, id uint) (*AssetHistory, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	r := s.db.R.WithContext(ctx)
	// The asset with its owner's and department's names, then its tickets:
	// two queries, the second on the asset_id index.
	var row struct {
		Asset          `gorm:"embedded"`
		OwnerName      string
		DepartmentName string
	}
	if err := r.Table("helpdesk_assets a").Select("a.*, p.name AS owner_name, d.name AS department_name").
		Joins("LEFT JOIN people p ON p.id = a.owner_id").Joins("LEFT JOIN departments d ON d.id = a.department_id").
		Where("a.id = ?", id).Limit(1).Scan(&row).Error; err != nil {
		return nil, err
	}
	if row.Asset.ID == 0 {
		return nil, ErrAssetNotFound
	}
	h := &AssetHistory{Asset: row.Asset, OwnerName: row.OwnerName, DepartmentName: row.DepartmentName}
	if err := r.Table("helpdesk_tickets t").
		Select("t.id, t.number, t.title, t.state, t.created_at, t.resolved_at, t.closed_at, t.work_mins, t.parts_cost, t.merged_into_id, mr.ticket_id AS run_ticket").
		Joins("LEFT JOIN helpdesk_maintenance_runs mr ON mr.ticket_id = t.id").
		Where("t.asset_id = ?", id).Order("t.created_at DESC, t.id DESC").Scan(&h.Tickets).Error; err != nil {
		return nil, err
	}
	s.figures(h, s.now())
	return h, nil
}

// figures fills the history's totals, age, MTBF and warranty as of now.
func (s *Service) figures(h *AssetHistory, now time.Time) {
	var downtime time.Duration
	for i := range h.Tickets {
		t := &h.Tickets[i]
		end := now
		switch {
		case t.ResolvedAt != nil:
			end = *t.ResolvedAt
		case t.ClosedAt != nil:
			end = *t.ClosedAt
		}
		d := max(end.Sub(t.CreatedAt), 0)
		t.DowntimeHours = d.Hours()
		if !t.Counts() {
			continue
		}
		h.Faults++
		downtime += d
		h.WorkMins += t.WorkMins
		h.RepairCost += t.PartsCost
	}
	h.DowntimeHours = downtime.Hours()
	h.Today = calendar.DateOf(now, s.tz)
	h.AgeMonths = -1
	start := h.Asset.CreatedAt
	if !h.Asset.PurchasedOn.IsZero() {
		h.AgeMonths = max(monthsBetween(h.Asset.PurchasedOn, h.Today), 0)
		start = h.Asset.PurchasedOn.Start(s.tz)
	}
	service := max(now.Sub(start), 0)
	h.ServiceDays = service.Hours() / 24
	h.MTBFDays = MTBF(service, downtime, h.Faults).Hours() / 24
	h.WarrantyEnded = !h.Asset.WarrantyEnd.IsZero() && h.Asset.WarrantyEnd.Before(h.Today)
}

// LifeUsed is the age against the expected life in per cent; -1 when either is unknown.
func (h *AssetHistory) LifeUsed() int {
	if h.AgeMonths < 0 || h.Asset.LifeMonths == 0 {
		return -1
	}
	return h.AgeMonths * 100 / h.Asset.LifeMonths
}

// CostShare is the repair cost against the price in per cent; -1 when the price is unknown.
func (h *AssetHistory) CostShare() int {
	if h.Asset.Price == 0 {
		return -1
	}
	return int(h.RepairCost * 100 / h.Asset.Price)
}
