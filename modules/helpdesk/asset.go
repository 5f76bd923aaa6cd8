package helpdesk

import (
	"context"
	"errors"
	"kapu/modules/platform/audit"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/calendar"
	"kapu/modules/platform/db"
	"kapu/modules/platform/errs"
	"kapu/modules/platform/people"
)

// Asset states.
const (
	AssetInUse    = "in_use"
	AssetInRepair = "in_repair"
	AssetSpare    = "spare"
	AssetRetired  = "retired"
)

// AssetStates lists every asset state, the usual one first.
var AssetStates = []string{AssetInUse, AssetInRepair, AssetSpare, AssetRetired}

// Asset is one piece of inventory a ticket can be about (a printer, a
// radiator). Tag is the inventory number on its sticker, the key people type.
// RoomID is the booking module's room when known; it is only a number here,
// helpdesk never imports booking.
type Asset struct {
	ID           uint   `gorm:"primaryKey"`
	Tag          string `gorm:"size:50;not null;uniqueIndex:helpdesk_asset_tag"`
	Type         string `gorm:"size:100;not null;index"` // free text: "nyomtató"
	Model        string `gorm:"size:200"`
	Serial       string `gorm:"size:100"`
	Building     string `gorm:"size:100"`
	Floor        string `gorm:"size:50"`
	Room         string `gorm:"size:100"`
	RoomID       *uint  `gorm:"index"`
	OwnerID      *uint  `gorm:"index"` // the person who uses it
	DepartmentID *uint  `gorm:"index"` // or the department that owns it
	PurchasedOn  calendar.Date
	Price        int64 `gorm:"not null"` // whole forints; 0 when unknown
	WarrantyEnd  calendar.Date
	LifeMonths   int    `gorm:"not null"` // expected life; 0 when unknown
	State        string `gorm:"size:20;not null;index"`
	// QueueKey is the queue its faults go to: QueueIT, or QueueMaintenance
	// for building installations (a boiler, a lift).
	QueueKey  string `gorm:"size:20;not null;default:'it'"`
	CreatedAt time.Time
	UpdatedAt time.Time
}

func (Asset) TableName() string { return "helpdesk_assets" }

// Limits of the asset's texts.
const (
	maxAssetTag    = 50
	maxAssetType   = 100
	maxAssetModel  = 200
	maxAssetSerial = 100
	maxAssetLife   = 1200 // months: a hundred years is surely a typo beyond
	maxAssetPrice  = 1_000_000_000_000
)

// Asset errors (kept here, beside the asset, not in errors.go).
var (
	ErrAssetTag       = errs.New(errs.Invalid, "helpdesk: an asset needs an inventory tag")
	ErrAssetTagTaken  = errs.New(errs.Conflict, "helpdesk: another asset has that inventory tag")
	ErrAssetType      = errs.New(errs.Invalid, "helpdesk: an asset needs a type")
	ErrAssetText      = errs.New(errs.Invalid, "helpdesk: an asset text is too long or holds control characters")
	ErrAssetState     = errs.New(errs.Invalid, "helpdesk: unknown asset state")
	ErrAssetPrice     = errs.New(errs.Invalid, "helpdesk: the price must be a whole number of forints, not negative")
	ErrAssetLife      = errs.New(errs.Invalid, "helpdesk: the expected life must be a number of months, not negative")
	ErrAssetWarranty  = errs.New(errs.Invalid, "helpdesk: the warranty ends before the purchase")
	ErrAssetOwner     = errs.New(errs.Invalid, "helpdesk: unknown owner")
	ErrAssetDept      = errs.New(errs.Invalid, "helpdesk: unknown department")
	ErrAssetNotFound  = errs.New(errs.NotFound, "helpdesk: no such asset")
	ErrAssetForbidden = errs.New(errs.Forbidden, "helpdesk: only queue staff manage assets")
	ErrAssetQueue     = errs.New(errs.Invalid, "helpdesk: unknown queue for the asset")
)

func init() {
	for e, k := range map[error]string{ErrAssetQueue: "helpdesk.asset.err.queue"} {
		messages[e] = k
	}
}

// AssetInput is an asset as staff type it (or one row of an import).
type AssetInput struct {
	Tag, Type, Model, Serial string
	Building, Floor, Room    string
	RoomID                   *uint
	OwnerID                  *uint
	DepartmentID             *uint
	PurchasedOn              calendar.Date
	Price                    int64
	WarrantyEnd              calendar.Date
	LifeMonths               int
	State                    string // "": in_use
	QueueKey                 string // "": QueueIT
}

// isAssetStaff is who keeps the inventory: the queue staff of either queue
// (IT, facilities) and admins.
func isAssetStaff(a actor.Actor) bool {
	return a.ID != 0 && a.Has(actor.IT, actor.Facilities, actor.Admin)
}

// check trims the input and returns every problem in it at once; it does
// not look at the database.
func (in AssetInput) check() (AssetInput, error) {
	for _, p := range []*string{&in.Tag, &in.Type, &in.Model, &in.Serial, &in.Building, &in.Floor, &in.Room} {
		*p = strings.TrimSpace(*p)
	}
	if in.State == "" {
		in.State = AssetInUse
	}
	in.QueueKey = strings.TrimSpace(in.QueueKey)
	if in.QueueKey == "" {
		in.QueueKey = QueueIT
	}
	var problems []error
	switch {
	case in.Tag == "":
		problems = append(problems, ErrAssetTag)
	case !validLine(in.Tag, maxAssetTag):
		problems = append(problems, ErrAssetText)
	}
	switch {
	case in.Type == "":
		problems = append(problems, ErrAssetType)
	case !validLine(in.Type, maxAssetType):
		problems = append(problems, ErrAssetText)
	}
	if !validLine(in.Model, maxAssetModel) || !validLine(in.Serial, maxAssetSerial) || !validLine(in.Building, maxPlace) ||
		!validLine(in.Floor, maxFloor) || !validLine(in.Room, maxPlace) {
		problems = append(problems, ErrAssetText)
	}
	if !slices.Contains(AssetStates, in.State) {
		problems = append(problems, ErrAssetState)
	}
	if staffRole(in.QueueKey) == "" {
		problems = append(problems, ErrAssetQueue)
	}
	if in.Price < 0 || in.Price > maxAssetPrice {
		problems = append(problems, ErrAssetPrice)
	}
	if in.LifeMonths < 0 || in.LifeMonths > maxAssetLife {
		problems = append(problems, ErrAssetLife)
	}
	if !in.PurchasedOn.IsZero() && !in.WarrantyEnd.IsZero() && in.WarrantyEnd.Before(in.PurchasedOn) {
		problems = append(problems, ErrAssetWarranty)
	}
	// One of each problem is enough: ErrAssetText from two fields reads once.
	return in, errors.Join(dedupe(problems)...)
}

func dedupe(list []error) []error {
	var out []error
	for _, e := range list {
		if !slices.Contains(out, e) {
			out = append(out, e)
		}
	}
	return out
}

func (in AssetInput) apply(a *Asset) {
	a.Tag, a.Type, a.Model, a.Serial = in.Tag, in.Type, in.Model, in.Serial
	a.Building, a.Floor, a.Room, a.RoomID = in.Building, in.Floor, in.Room, in.RoomID
	a.OwnerID, a.DepartmentID = in.OwnerID, in.DepartmentID
	a.PurchasedOn, a.Price, a.WarrantyEnd, a.LifeMonths, a.State = in.PurchasedOn, in.Price, in.WarrantyEnd, in.LifeMonths, in.State
	a.QueueKey = in.QueueKey
}

// checkRefs makes sure the owner and department exist, reading through tx.
func checkRefs(tx *gorm.DB, in AssetInput) error {
	var problems []error
	if in.OwnerID != nil {
		var n int64
		if err := tx.Model(&people.Person{}).Where("id = ?", *in.OwnerID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			problems = append(problems, ErrAssetOwner)
		}
	}
	if in.DepartmentID != nil {
		var n int64
		if err := tx.Model(&people.Department{}).Where("id = ?", *in.DepartmentID).Count(&n).Error; err != nil {
			return err
		}
		if n == 0 {
			problems = append(problems, ErrAssetDept)
		}
	}
	return errors.Join(problems...)
}

// SaveAsset creates (id 0) or changes an asset; only queue staff and admins
// keep the inventory. A tag another asset has is ErrAssetTagTaken, also when
// two staff save the same new tag at once (the unique index decides).
func (s *Service) SaveAsset(ctx context.Context, a actor.Actor, id uint, in AssetInput) (*Asset, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	in, err := in.check()
	if err != nil {
		return nil, err
	}
	var as Asset
	err = s.db.Tx(ctx, func(tx *gorm.DB) error {
		if id != 0 {
			if err := tx.Limit(1).Find(&as, id).Error; err != nil {
				return err
			}
			if as.ID == 0 {
				return ErrAssetNotFound
			}
		}
		if err := checkRefs(tx, in); err != nil {
			return err
		}
		var other int64
		if err := tx.Model(&Asset{}).Where("tag = ? AND id <> ?", in.Tag, id).Count(&other).Error; err != nil {
			return err
		}
		if other > 0 {
			return ErrAssetTagTaken
		}
		before, action := as, "helpdesk.asset.update"
		if id == 0 {
			action = "helpdesk.asset.create"
		}
		in.apply(&as)
		if err := tx.Save(&as).Error; err != nil {
			return err
		}
		return audit.Record(tx, a, action, assetEntity, as.ID, auditBefore(id, before), as)
	})
	if db.IsConstraint(err, "helpdesk_asset_tag") {
		return nil, ErrAssetTagTaken
	}
	if err != nil {
		return nil, err
	}
	return &as, nil
}

// Asset reads one asset. Any signed-in person may: the reporting form looks
// up the sticker on the broken thing, and an inventory line is no secret.
func (s *Service) Asset(ctx context.Context, a actor.Actor, id uint) (*Asset, error) {
	return s.findAsset(ctx, a, "id = ?", id)
}

// AssetByTag reads the asset with the inventory tag typed (spaces trimmed).
func (s *Service) AssetByTag(ctx context.Context, a actor.Actor, tag string) (*Asset, error) {
	return s.findAsset(ctx, a, "tag = ?", strings.TrimSpace(tag))
}

func (s *Service) findAsset(ctx context.Context, a actor.Actor, where string, arg any) (*Asset, error) {
	if a.ID == 0 {
		return nil, ErrForbidden
	}
	var as Asset
	if err := s.db.R.WithContext(ctx).Where(where, arg).Limit(1).Find(&as).Error; err != nil {
		return nil, err
	}
	if as.ID == 0 {
		return nil, ErrAssetNotFound
	}
	return &as, nil
}

// AssetFilter narrows the staff's asset list; zero fields do not filter.
type AssetFilter struct {
	QueueKey     string
	Type         string // exact, case as stored
	State        string
	DepartmentID uint
	Text         string // part of the tag, model, serial or room
}

// maxAssetList bounds one list page's worth of assets.
const maxAssetList = 500

// Assets lists the inventory for staff, by tag, at most maxAssetList rows.
func (s *Service) Assets(ctx context.Context, a actor.Actor, f AssetFilter) ([]Asset, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	var list []Asset
	err := s.assetQuery(ctx, f).Order("tag").Limit(maxAssetList).Find(&list).Error
	return list, err
}

// AssetsPerPage is one page of the staff's asset list.
const AssetsPerPage = 50

// AssetPage is page (1-based) of the inventory for staff, by tag, and how
// many assets the filter finds in all.
func (s *Service) AssetPage(ctx context.Context, a actor.Actor, f AssetFilter, page int) ([]Asset, int64, error) {
	if !isAssetStaff(a) {
		return nil, 0, ErrAssetForbidden
	}
	var total int64
	if err := s.assetQuery(ctx, f).Count(&total).Error; err != nil {
		return nil, 0, err
	}
	page = max(page, 1)
	var list []Asset
	err := s.assetQuery(ctx, f).Order("tag").Offset((page - 1) * AssetsPerPage).Limit(AssetsPerPage).Find(&list).Error
	return list, total, err
}

// assetQuery is the filter f on the assets table.
func (s *Service) assetQuery(ctx context.Context, f AssetFilter) *gorm.DB {
	q := s.db.R.WithContext(ctx).Model(&Asset{})
	if f.QueueKey != "" {
		q = q.Where("queue_key = ?", f.QueueKey)
	}
	if t := strings.TrimSpace(f.Type); t != "" {
		q = q.Where("type = ?", t)
	}
	if f.State != "" {
		q = q.Where("state = ?", f.State)
	}
	if f.DepartmentID != 0 {
		q = q.Where("department_id = ?", f.DepartmentID)
	}
	if t := strings.ToLower(strings.TrimSpace(f.Text)); t != "" {
		like := "%" + escapeLike(t) + "%"
		q = q.Where(`(LOWER(tag) LIKE ? ESCAPE '\' OR LOWER(model) LIKE ? ESCAPE '\' OR LOWER(serial) LIKE ? ESCAPE '\' OR LOWER(room) LIKE ? ESCAPE '\')`, like, like, like, like)
	}
	return q
}

// escapeLike makes s match itself literally inside a LIKE pattern.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// MyAssets are the assets the actor uses, not retired: what the reporting
// form offers first.
func (s *Service) MyAssets(ctx context.Context, a actor.Actor) ([]Asset, error) {
	if a.ID == 0 {
		return nil, ErrForbidden
	}
	var list []Asset
	err := s.db.R.WithContext(ctx).Where("owner_id = ? AND state <> ?", a.ID, AssetRetired).Order("tag").Find(&list).Error
	return list, err
}

// AssetsInRoom are the assets in the booking room roomID, not retired: what
// the reporting form offers for a fault in a meeting room.
func (s *Service) AssetsInRoom(ctx context.Context, a actor.Actor, roomID uint) ([]Asset, error) {
	if a.ID == 0 {
		return nil, ErrForbidden
	}
	var list []Asset
	err := s.db.R.WithContext(ctx).Where("room_id = ? AND state <> ?", roomID, AssetRetired).Order("tag").Limit(maxAssetList).Find(&list).Error
	return list, err
}

// assetEntity is an asset's name in the audit log.
const assetEntity = "helpdesk_asset"

// auditBefore is what an audit row shows as before: nothing for a new asset.
func auditBefore(id uint, before Asset) any {
	if id == 0 {
		return nil
	}
	return before
}

// AssetTypes are the types in the inventory, for the lists' type filter.
func (s *Service) AssetTypes(ctx context.Context, a actor.Actor) ([]string, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	var list []string
	err := s.db.R.WithContext(ctx).Model(&Asset{}).Distinct("type").Order("type").Pluck("type", &list).Error
	return list, err
}

// AssetsByID are the assets of ids (for a sheet of labels), by tag; ids
// that name no asset are left out.
func (s *Service) AssetsByID(ctx context.Context, a actor.Actor, ids []uint) ([]Asset, error) {
	if !isAssetStaff(a) {
		return nil, ErrAssetForbidden
	}
	if len(ids) > maxAssetList {
		ids = ids[:maxAssetList]
	}
	var list []Asset
	err := s.db.R.WithContext(ctx).Where("id IN ?", ids).Order("tag").Find(&list).Error
	return list, err
}
