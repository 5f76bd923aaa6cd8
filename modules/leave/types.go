package leave

import (
	"context"
	"errors"
	"kapu/modules/platform/actor"
	"kapu/modules/platform/audit"
	"kapu/modules/platform/db"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"
)

// defaultTypes are the leave types a new installation starts with; HR edits them.
var defaultTypes = []Type{
	{Code: "annual", NameHU: "Szabadság", NameEN: "Annual leave", Color: "#2563eb", CountsAgainst: true, NeedsApproval: true, HalfDays: true, Active: true, SortOrder: 1},
	{Code: "sick", NameHU: "Betegszabadság", NameEN: "Sick leave", Color: "#dc2626", NeedsApproval: false, Private: true, Active: true, SortOrder: 2},
	{Code: "study", NameHU: "Tanulmányi szabadság", NameEN: "Study leave", Color: "#16a34a", NeedsApproval: true, Active: true, SortOrder: 3},
	{Code: "unpaid", NameHU: "Fizetés nélküli szabadság", NameEN: "Unpaid leave", Color: "#6b7280", NeedsApproval: true, MaxConsecutive: 60, Active: true, SortOrder: 4},
}

// EnsureTypes creates the default leave types in an installation that has none.
func (s *Service) EnsureTypes(ctx context.Context) error {
	return s.db.Tx(ctx, func(tx *gorm.DB) error {
		var n int64
		if err := tx.Model(&Type{}).Count(&n).Error; err != nil || n > 0 {
			return err
		}
		types := append([]Type(nil), defaultTypes...)
		return tx.Create(&types).Error
	})
}

// FieldErrors maps form fields to message keys: the service checks every field
// of an input at once, so a form shows all its problems in one go.
type FieldErrors map[string]string

// Error lists the fields and their keys, for logs.
func (e FieldErrors) Error() string {
	keys := make([]string, 0, len(e))
	for k := range e {
		keys = append(keys, k+": "+e[k])
	}
	sort.Strings(keys)
	return "leave: " + strings.Join(keys, ", ")
}

// cleanText drops what PostgreSQL refuses in text (invalid UTF-8, NUL), so
// odd input is a field error or a miss, never a failed query.
func cleanText(s string) string {
	return strings.ReplaceAll(strings.ToValidUTF8(s, ""), "\x00", "")
}

// TypeInput is a leave type as HR's form describes it.
type TypeInput struct {
	Code, NameHU, NameEN, Color                                            string
	CountsAgainst, NeedsApproval, HalfDays, Private, AllowNegative, Active bool
	MaxConsecutive, SortOrder                                              int
}

var (
	codeRe  = regexp.MustCompile(`^[a-z0-9_-]{1,40}$`)
	colorRe = regexp.MustCompile(`^#[0-9a-f]{6}$`)
)

// TypeByID loads one leave type, active or not, for HR's form.
func (s *Service) TypeByID(ctx context.Context, id uint) (*Type, error) {
	t, err := s.typeByID(s.db.R.WithContext(ctx), id)
	if errors.Is(err, ErrUnknownType) {
		return nil, ErrNotFound
	}
	return t, err
}

// check normalises the input and lists what is wrong with it.
func (in *TypeInput) check() FieldErrors {
	in.Code = strings.ToLower(strings.TrimSpace(in.Code))
	in.NameHU, in.NameEN = strings.TrimSpace(cleanText(in.NameHU)), strings.TrimSpace(cleanText(in.NameEN))
	in.Color = strings.ToLower(strings.TrimSpace(in.Color))
	errs := FieldErrors{}
	if !codeRe.MatchString(in.Code) {
		errs["code"] = "leave.hr.type.error.code"
	}
	for field, v := range map[string]string{"name_hu": in.NameHU, "name_en": in.NameEN} {
		switch {
		case v == "":
			errs[field] = "leave.hr.error.required"
		case utf8.RuneCountInString(v) > 100:
			errs[field] = "validation.too_long"
		}
	}
	if !colorRe.MatchString(in.Color) {
		errs["color"] = "leave.hr.type.error.color"
	}
	if in.MaxConsecutive < 0 || in.MaxConsecutive > 366 {
		errs["max_consecutive"] = "leave.hr.type.error.max_consecutive"
	}
	if in.SortOrder < 0 || in.SortOrder > 9999 {
		errs["sort_order"] = "leave.hr.type.error.sort_order"
	}
	return errs
}

// SaveType creates (id 0) or updates a leave type. Types are never deleted,
// because requests keep pointing at them; HR deactivates them instead.
func (s *Service) SaveType(ctx context.Context, a actor.Actor, id uint, in TypeInput) (*Type, error) {
	if !a.Has(actor.HR) {
		return nil, ErrForbidden
	}
	if errs := in.check(); len(errs) > 0 {
		return nil, errs
	}
	var t Type
	err := s.db.Tx(ctx, func(tx *gorm.DB) error {
		var before *Type
		if id != 0 {
			if err := tx.First(&t, id).Error; err != nil {
				if db.IsNotFound(err) {
					return ErrNotFound
				}
				return err
			}
			old := t
			before = &old
		}
		var taken int64
		if err := tx.Model(&Type{}).Where("code = ? AND id <> ?", in.Code, id).Count(&taken).Error; err != nil {
			return err
		}
		if taken > 0 {
			return FieldErrors{"code": "leave.hr.type.error.code_taken"}
		}
		t.Code, t.NameHU, t.NameEN, t.Color = in.Code, in.NameHU, in.NameEN, in.Color
		t.CountsAgainst, t.NeedsApproval, t.HalfDays, t.Private = in.CountsAgainst, in.NeedsApproval, in.HalfDays, in.Private
		t.AllowNegative, t.Active, t.MaxConsecutive, t.SortOrder = in.AllowNegative, in.Active, in.MaxConsecutive, in.SortOrder
		// Save writes every column, so unticked flags (false) are stored too.
		if err := tx.Save(&t).Error; err != nil {
			if db.IsDuplicate(err) {
				return FieldErrors{"code": "leave.hr.type.error.code_taken"}
			}
			return err
		}
		if before == nil {
			return audit.Record(tx, a, "leave.type.create", "leave_type", t.ID, nil, t)
		}
		return audit.Record(tx, a, "leave.type.update", "leave_type", t.ID, before, t)
	})
	if err != nil {
		return nil, err
	}
	return &t, nil
}
