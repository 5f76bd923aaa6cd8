package booking

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// suggestions is how many free start times an "already booked" answer offers.
const suggestions = 3

// defaultLength is how long a new booking form's default booking lasts.
const defaultLength = time.Hour

// handleBookingNew shows the room booking form, filled from the query: the
// timeline's free space and the room finder link here with the room, the
// time, the attendees and the equipment (eq_<id>=count). Without a time it
// offers the next free half hour (DefaultSlot): for the room when one is
// given, otherwise in the first room free then, which it chooses.
func (m *Module) handleBookingNew(c *fiber.Ctx) error {
	form := bookingForm{Resource: c.Query("resource"), Day: c.Query("day"), From: c.Query("from"), To: c.Query("to"),
		Attendees: c.Query("attendees"), Equipment: equipmentArgs(c.Request().URI().QueryArgs().VisitAll)}
	if form.From == "" && form.To == "" {
		room, _ := web.ID(form.Resource)       // anything else finds no room
		day, _ := calendar.ParseDate(form.Day) // zero: from today
		if form.Resource == "" || room != 0 {
			slot, ok, err := m.svc.DefaultSlot(c.UserContext(), room, day, defaultLength)
			if err != nil {
				return err
			}
			if ok {
				tz := m.svc.tz
				form.Resource = web.FormatID(slot.RoomID)
				form.Day = calendar.DateOf(slot.Start, tz).String()
				form.From, form.To = clock(slot.Start, tz), endClock(slot.Start, slot.End, tz)
			}
		}
	}
	if form.Day == "" {
		form.Day = calendar.Today(m.svc.tz).String()
	}
	if form.From == "" {
		form.From = "09:00"
	}
	if form.To == "" {
		form.To = hourAfter(form.From)
	}
	return m.renderBookingForm(c, form, nil, nil, fiber.StatusOK)
}

// hourAfter is the default end for a typed start: an hour later, at most
// midnight ("24:00"); 10:00 when the start is not a time.
func hourAfter(from string) string {
	errs := web.Errors{}
	n := web.ParseTime(from, "from", errs)
	if errs.Any() {
		return "10:00"
	}
	return minutes(min(n+int(defaultLength/time.Minute), 24*60))
}

// handleBookingCreate books the room, or shows the form again with what went
// wrong. A post with "back" (the series preview's back button, another room
// picked after a clash) only shows the form again with what it carries.
func (m *Module) handleBookingCreate(c *fiber.Ctx) error {
	form := parseBookingForm(c)
	if c.FormValue("back") != "" {
		return m.renderBookingForm(c, form, nil, nil, fiber.StatusOK)
	}
	if form.Repeat != "" {
		return m.createSeries(c, form)
	}
	in, errs := form.input(m.svc.tz)
	if len(errs) > 0 {
		return m.renderBookingForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	b, err := m.svc.Book(c.UserContext(), web.ActorOf(c), in)
	var item *ItemError
	if errors.Is(err, ErrTaken) && !errors.As(err, &item) {
		return m.alreadyBooked(c, form, in)
	}
	if errs, ok := formErrors(c, err); ok {
		return m.renderBookingForm(c, form, errs, nil, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	if b.Status == StatusHold { // the room needs approval (room_approval.go)
		web.Success(c, "booking.admin.room_requested", "Day", web.Date(c, b.StartAt), "From", clock(b.StartAt, m.svc.tz), "To", clock(b.EndAt, m.svc.tz))
		return c.Redirect("/bookings/mine", fiber.StatusSeeOther)
	}
	web.Success(c, "booking.booked", "Day", web.Date(c, b.StartAt), "From", clock(b.StartAt, m.svc.tz), "To", clock(b.EndAt, m.svc.tz))
	return c.Redirect(timelineURL(KindRoom, viewDay, calendar.DateOf(b.StartAt, m.svc.tz)), fiber.StatusSeeOther)
}

// alreadyBooked shows the form again when the room is booked at that time,
// with the room's next free times and the other rooms free for the whole time.
func (m *Module) alreadyBooked(c *fiber.Ctx, form bookingForm, in BookingInput) error {
	ctx := c.UserContext()
	free, err := m.svc.NextFree(ctx, in.ResourceID, in.Start, in.End.Sub(in.Start), suggestions)
	if err != nil {
		return err
	}
	rooms, err := m.svc.OtherFreeRooms(ctx, in)
	if err != nil {
		return err
	}
	others := make([]OtherRoom, len(rooms))
	for i, r := range rooms {
		picked := form
		picked.Resource = web.FormatID(r.ID)
		others[i] = OtherRoom{Room: r, Hidden: picked.hidden()}
	}
	errs := web.Errors{}
	errs.Add("from", "booking.error.taken")
	return m.renderBookingFormWith(c, form, errs, m.freeLinks(in, free), others, fiber.StatusUnprocessableEntity)
}

// OtherRoom is a room free for the whole time another room is booked, with
// the form's values for choosing it: a one-click return to the form with
// only the room changed.
type OtherRoom struct {
	Room   Resource
	Hidden []hiddenField
}

// FreeSlot is one suggested start time, as a link that fills the form again.
type FreeSlot struct {
	Start time.Time
	From  string
	To    string
	URL   string
}

// freeLinks turns NextFree's start times into form links of the same length.
func (m *Module) freeLinks(in BookingInput, free []time.Time) []FreeSlot {
	d := in.End.Sub(in.Start)
	out := make([]FreeSlot, 0, len(free))
	for _, t := range free {
		s := FreeSlot{Start: t, From: clock(t, m.svc.tz), To: endClock(t, t.Add(d), m.svc.tz)}
		s.URL = "/bookings/new?resource=" + web.FormatID(in.ResourceID) +
			"&day=" + calendar.DateOf(t, m.svc.tz).String() + "&from=" + s.From + "&to=" + s.To
		out = append(out, s)
	}
	return out
}

func (m *Module) renderBookingForm(c *fiber.Ctx, form bookingForm, errs web.Errors, free []FreeSlot, status int) error {
	return m.renderBookingFormWith(c, form, errs, free, nil, status)
}

// renderBookingFormWith is renderBookingForm with the other rooms an
// "already booked" answer offers.
func (m *Module) renderBookingFormWith(c *fiber.Ctx, form bookingForm, errs web.Errors, free []FreeSlot, others []OtherRoom, status int) error {
	rooms, err := m.svc.Resources(c.UserContext(), KindRoom)
	if err != nil {
		return err
	}
	if form.Resource == "" && len(rooms) > 0 {
		form.Resource = web.FormatID(rooms[0].ID)
	}
	equipment, err := m.svc.Resources(c.UserContext(), KindEquipment)
	if err != nil {
		return err
	}
	return web.RenderForm(c, "booking/booking_form", web.Page{
		Title: "booking.new_title", Form: form, Errors: errs, Status: status,
		Data: fiber.Map{"Rooms": m.roomOptions(c, rooms), "Free": free, "Others": others, "Equipment": equipmentFields(form, equipment, errs),
			"Repeats": repeatOptions(c), "MaxOccurrences": MaxOccurrences,
			"RoomList": rooms, "Chosen": chosenRoom(rooms, form.Resource)},
	})
}

// EquipmentField is one equipment count input of the room booking form.
type EquipmentField struct {
	Name     string // the field name, eq_<id>
	Label    string
	Location string
	Max      int
	Value    string
	Error    bool
}

// equipmentFields lists a count input per active equipment item, keeping what was typed.
func equipmentFields(form bookingForm, rs []Resource, errs web.Errors) []EquipmentField {
	out := make([]EquipmentField, len(rs))
	for i, r := range rs {
		name := eqPrefix + itoa(r.ID)
		_, bad := errs[name]
		out[i] = EquipmentField{Name: name, Label: r.Name, Location: r.Location, Max: max(r.Quantity, 1), Value: form.Equipment[name], Error: bad}
		if out[i].Value == "" {
			out[i].Value = "0"
		}
	}
	return out
}

// roomOptions lists the rooms with their seats and bookable hours.
func (m *Module) roomOptions(c *fiber.Ctx, rooms []Resource) []web.Option {
	out := make([]web.Option, len(rooms))
	for i, r := range rooms {
		out[i] = web.Option{Value: web.FormatID(r.ID), Label: web.T(c, "booking.room_option",
			"Name", r.Name, "Seats", r.Seats, "From", minutes(r.OpenFrom), "To", minutes(r.openTo()))}
		if r.NeedsApproval {
			out[i].Label += " – " + web.T(c, "booking.admin.needs_approval_short")
		}
	}
	return out
}

// minutes writes minutes after midnight as HH:MM.
func minutes(n int) string {
	h, m := n/60, n%60
	return strings.Join([]string{pad(h), pad(m)}, ":")
}

func pad(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
