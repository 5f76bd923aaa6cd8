package calendar

import (
	"errors"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"gorm.io/gorm"

	"kapu/modules/platform/audit"
	"kapu/modules/platform/i18n"
	"kapu/modules/platform/web"
)

// handleOverrideSave adds or changes an extra holiday or a moved working day.
func (m *Module) handleOverrideSave(c *fiber.Ctx) error {
	form := overrideForm{Date: c.FormValue("date"), Kind: c.FormValue("kind"), Note: c.FormValue("note")}
	errs := web.Errors{}
	d := ParseDateField(form.Date, "date", errs)
	if form.Kind != KindHoliday && form.Kind != KindWorkday {
		errs.Add("kind", web.MsgChoice)
	}
	year := yearParam(c, c.FormValue("year"))
	if !errs.Any() {
		year = d.Year
		err := m.db.Tx(c.UserContext(), func(tx *gorm.DB) error {
			var before *Override
			var old Override
			if tx.Where("date = ?", d).Limit(1).Find(&old); old.ID != 0 {
				before = &old
			}
			o, err := m.cal.SetOverride(c.UserContext(), tx, d, form.Kind, form.Note)
			if err != nil {
				return err
			}
			return audit.Record(tx, web.ActorOf(c), "calendar.override.save", "calendar_override", o.Date.String(), before, o)
		})
		m.cal.Changed(d.Year)
		switch {
		case errors.Is(err, ErrNoteTooLong):
			errs.Add("note", "validation.too_long")
		case errors.Is(err, ErrInvalidKind):
			errs.Add("kind", web.MsgChoice)
		case err != nil:
			return err
		}
	}
	if errs.Any() {
		return m.renderCalendar(c, year, form, errs)
	}
	web.Success(c, "calendar.saved", "Date", web.Date(c, d))
	return c.Redirect("/admin/calendar?year="+strconv.Itoa(year), fiber.StatusSeeOther)
}

// handleOverrideDeleteConfirm asks before removing an override, naming the
// day and what it was. It changes nothing.
func (m *Module) handleOverrideDeleteConfirm(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	var o Override
	if res := m.db.R.WithContext(c.UserContext()).Where("id = ?", id).Limit(1).Find(&o); res.Error != nil {
		return res.Error
	} else if res.RowsAffected == 0 {
		return ErrNotFound
	}
	y, mo, d := o.Date.Civil()
	details := []string{web.T(c, "calendar.delete_confirm.effect")}
	if o.Note != "" {
		details = append([]string{o.Note}, details...)
	}
	return web.RenderConfirm(c, web.Confirm{
		Title: "calendar.delete_confirm.title",
		Question: web.T(c, "calendar.delete_confirm.question", "Date", i18n.FormatDate(web.LangOf(c), y, mo, d),
			"Kind", web.T(c, "calendar.kind_"+o.Kind)),
		Details: details,
		Action:  "/admin/calendar/" + web.FormatID(o.ID) + "/delete",
		Button:  web.T(c, "calendar.delete_confirm.button"),
		Back:    "/admin/calendar?year=" + strconv.Itoa(o.Date.Year),
	})
}

// handleOverrideDelete removes an override, so the day follows the usual rules again.
func (m *Module) handleOverrideDelete(c *fiber.Ctx) error {
	id, err := web.IDParam(c)
	if err != nil {
		return err
	}
	var gone Override
	err = m.db.Tx(c.UserContext(), func(tx *gorm.DB) error {
		o, err := m.cal.DeleteOverride(c.UserContext(), tx, id)
		if err != nil {
			return err
		}
		gone = o
		return audit.Record(tx, web.ActorOf(c), "calendar.override.delete", "calendar_override", o.Date.String(), o, nil)
	})
	if err != nil {
		return err
	}
	m.cal.Changed(gone.Date.Year)
	web.Success(c, "calendar.deleted", "Date", web.Date(c, gone.Date))
	return c.Redirect(web.NextOr(c, "/admin/calendar?year="+strconv.Itoa(gone.Date.Year)), fiber.StatusSeeOther)
}
