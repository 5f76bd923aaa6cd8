package helpdesk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/people"
)

// MaintenancePlan is preventive maintenance of one asset ("Kazán éves
// karbantartása"): every EveryMonths months from NextDue the maintenance
// job opens a ticket in the asset's queue, in CategoryID, and moves NextDue on.
type MaintenancePlan struct {
	ID          uint          `gorm:"primaryKey"`
	AssetID     uint          `gorm:"not null;index"`
	Title       string        `gorm:"size:200;not null"`
	CategoryID  uint          `gorm:"not null"`
	EveryMonths int           `gorm:"not null"`
	NextDue     calendar.Date `gorm:"not null;index"`
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

func (MaintenancePlan) TableName() string { return "helpdesk_maintenance_plans" }

// MaintenanceRun is the ledger of the tickets the job opened: one per plan
// and due date (the unique index), so a second run, or a second replica,
// cannot open the same one again. It also tells preventive tickets from
// faults in the asset's history and the renewal report.
type MaintenanceRun struct {
	ID        uint          `gorm:"primaryKey"`
	PlanID    uint          `gorm:"not null;uniqueIndex:helpdesk_maintenance_run,priority:1"`
	DueOn     calendar.Date `gorm:"not null;uniqueIndex:helpdesk_maintenance_run,priority:2"`
	TicketID  uint          `gorm:"not null;index"`
	CreatedAt time.Time
}

func (MaintenanceRun) TableName() string { return "helpdesk_maintenance_runs" }

// maxEveryMonths bounds a plan's interval: ten years.
const maxEveryMonths = 120

// Maintenance plan errors.
var (
	ErrPlanTitle    = errs.New(errs.Invalid, "helpdesk: a maintenance plan needs a title")
	ErrPlanEvery    = errs.New(errs.Invalid, "helpdesk: the interval must be 1 to 120 months")
	ErrPlanDue      = errs.New(errs.Invalid, "helpdesk: the next due date is needed")
	ErrPlanCategory = errs.New(errs.Invalid, "helpdesk: the category is not one of the asset's queue")
	ErrPlanNotFound = errs.New(errs.NotFound, "helpdesk: no such maintenance plan")
)

func init() {
	for e, k := range map[error]string{ErrPlanTitle: "helpdesk.plan.err.title", ErrPlanEvery: "helpdesk.plan.err.every",
		ErrPlanDue: "helpdesk.plan.err.due", ErrPlanCategory: "helpdesk.plan.err.category", ErrPlanNotFound: "helpdesk.plan.err.not_found"} {
		messages[e] = k
	}
}

// PlanInput is a plan as staff type it on the asset page.
type PlanInput struct {
	Title       string
	CategoryID  uint
	EveryMonths int
	NextDue     calendar.Date
}

func (in PlanInput) check() (PlanInput, error) {
	in.Title = strings.TrimSpace(in.Title)
	var problems []error
	switch {
	case in.Title == "":
		problems = append(problems, ErrPlanTitle)
	case !validLine(in.Title, maxTitle):
		problems = append(problems, ErrTitleTooLong)
	}
	if in.EveryMonths < 1 || in.EveryMonths > maxEveryMonths {
		problems = append(problems, ErrPlanEvery)
	}
	if in.NextDue.IsZero() {
		problems = append(problems, ErrPlanDue)
	}
	return in, errors.Join(problems...)
}

// SavePlan creates (planID 0) or changes a maintenance plan of asset assetID;
// asset staff only. The category must belong to the asset's queue.
func (s *Service) SavePlan(ctx context.Context, a actor.Actor, assetID, planID uint, in PlanInput) (*MaintenancePlan, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	in, err := in.check()
	if err != nil {
		return nil, err
	}
	var p MaintenancePlan
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		var as Asset
		if err := tx.Limit(1).Find(&as, assetID).Error; err != nil {
			return err
		}
		if as.ID == 0 {
			return ErrAssetNotFound
		}
		if planID != 0 {
			if err := tx.Where("id = ? AND asset_id = ?", planID, assetID).Limit(1).Find(&p).Error; err != nil {
				return err
			}
			if p.ID == 0 {
				return ErrPlanNotFound
			}
		}
		var n int64
		if err := tx.Model(&Category{}).Joins("JOIN helpdesk_queues q ON q.id = helpdesk_categories.queue_id").
			Where("helpdesk_categories.id = ? AND q.key = ? AND helpdesk_categories.active = ?", in.CategoryID, as.QueueKey, true).
			Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			return ErrPlanCategory
		}
		before, action := p, "helpdesk.plan.update"
		if planID == 0 {
			action = "helpdesk.plan.create"
		}
		p.AssetID, p.Title, p.CategoryID, p.EveryMonths, p.NextDue = assetID, in.Title, in.CategoryID, in.EveryMonths, in.NextDue
		if err := tx.Save(&p).Error; err != nil {
			return err
		}
		var was any
		if planID != 0 {
			was = before
		}
		return audit.Record(tx, a, action, "helpdesk_maintenance_plan", p.ID, was, p)
	})
	if err != nil {
		return nil, err
	}
	return &p, nil
}

// DeletePlan ends a maintenance plan; the tickets it opened stay.
func (s *Service) DeletePlan(ctx context.Context, a actor.Actor, assetID, planID uint) error {
	if !isAssetStaff(a) {
		return ErrAssetForbidden
	}
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var p MaintenancePlan
		if err := tx.Where("id = ? AND asset_id = ?", planID, assetID).Limit(1).Find(&p).Error; err != nil {
			return err
		}
		if p.ID == 0 {
			return ErrPlanNotFound
		}
		if err := tx.Delete(&p).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, "helpdesk.plan.delete", "helpdesk_maintenance_plan", p.ID, p, nil)
	})
}

// Plans are the asset's maintenance plans, soonest first.
func (s *Service) Plans(ctx context.Context, a actor.Actor, assetID uint) ([]MaintenancePlan, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	var list []MaintenancePlan
	err := s.db.R.WithContext(ctx).Where("asset_id = ?", assetID).Order("next_due, id").Find(&list).Error
	return list, err
}

// addMonths is d n months on, kept to the month's end (31 January + 1 month
// is 28 February), where time.AddDate would spill into March.
func addMonths(d calendar.Date, n int) calendar.Date {
	first := calendar.NewDate(d.Year, d.Month+time.Month(n), 1)
	last := first.AddDays(32)
	last = calendar.NewDate(last.Year, last.Month, 1).AddDays(-1)
	if d.Day > last.Day {
		return last
	}
	return calendar.NewDate(first.Year, first.Month, d.Day)
}

// RunMaintenance opens the tickets of the plans due on or before today and
// returns how many it opened. Policy: one ticket per plan and run, however
// many due dates Kapu missed while it was down, because a boiler serviced
// once is serviced; the ticket names the (oldest) due date it stands for,
// and the next due date moves on by the interval until it is after today.
// Each plan is done in one transaction: the ledger row (unique per plan and
// due date), the ticket through Report (as the queue's lead, impact
// can_wait) and the guarded move of NextDue commit together or not at all,
// so a second run the same day, or another replica, opens nothing. A plan
// whose queue has no (active) lead stays due until it has one.
func (s *Service) RunMaintenance(ctx context.Context) (int, error) {
	today := calendar.DateOf(s.now(), s.tz)
	var due []MaintenancePlan
	if err := s.db.R.WithContext(ctx).Where("next_due <= ?", today).Order("next_due, id").Find(&due).Error; err != nil {
		return 0, err
	}
	opened := 0
	var problems []error
	for _, p := range due {
		ok, err := s.runPlan(ctx, p, today)
		if err != nil {
			problems = append(problems, fmt.Errorf("maintenance plan %d: %w", p.ID, err))
			continue
		}
		if ok {
			opened++
		}
	}
	return opened, errors.Join(problems...)
}

// errPlanMoved means another run moved the plan on first: nothing to do.
var errPlanMoved = errors.New("helpdesk: the plan was moved on meanwhile")

func (s *Service) runPlan(ctx context.Context, p MaintenancePlan, today calendar.Date) (bool, error) {
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var as Asset
		if err := tx.Limit(1).Find(&as, p.AssetID).Error; err != nil {
			return err
		}
		if as.ID == 0 || as.State == AssetRetired {
			return errPlanMoved // a retired asset is not serviced; the plan waits
		}
		var q Queue
		if err := tx.Where("key = ?", as.QueueKey).Limit(1).Find(&q).Error; err != nil {
			return err
		}
		if q.ID == 0 || q.LeadID == nil {
			return errPlanMoved
		}
		var lead people.Person
		if err := tx.Preload("Roles").Where("id = ? AND active = ?", *q.LeadID, true).Limit(1).Find(&lead).Error; err != nil {
			return err
		}
		if lead.ID == 0 {
			return errPlanMoved
		}
		next := p.NextDue
		for !next.After(today) {
			next = addMonths(next, p.EveryMonths)
		}
		res := tx.Model(&MaintenancePlan{}).Where("id = ? AND next_due = ?", p.ID, p.NextDue).Update("next_due", next)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return errPlanMoved
		}
		// Report runs in this transaction: a service whose database is tx
		// makes Report's own transaction a savepoint inside this one.
		inTx := *s
		inTx.db = &db.DB{W: tx, R: tx, Dialect: s.db.Dialect}
		assetID := as.ID
		t, err := inTx.Report(ctx, lead.Actor(), ReportInput{QueueKey: as.QueueKey, CategoryID: p.CategoryID, Title: p.Title,
			Description: fmt.Sprintf("%s %s · %s", as.Tag, as.Type, p.NextDue), Building: as.Building, Floor: as.Floor,
			Room: as.Room, AssetID: &assetID, Impact: ImpactCanWait})
		if err != nil {
			return err
		}
		return tx.Create(&MaintenanceRun{PlanID: p.ID, DueOn: p.NextDue, TicketID: t.ID, CreatedAt: s.now()}).Error
	})
	if errors.Is(err, errPlanMoved) || db.IsConstraint(err, "helpdesk_maintenance_run") {
		return false, nil
	}
	return err == nil, err
}
