package training

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/web"
)

// trainingForm is HR's training form as typed, so it comes back unchanged.
type trainingForm struct {
	Code, TitleHU, TitleEN, Provider, Kind string
	Hours, Points, Cost                    string
	Central, Certificate, Mandatory        bool
	Target                                 string
	DepartmentIDs                          []string // Target departments
	TargetLines                            string   // Target titles or roles, one a line
	ValidMonths, DueBy                     string
}

func parseTrainingForm(c *fiber.Ctx) trainingForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	f := trainingForm{Code: v("code"), TitleHU: v("title_hu"), TitleEN: v("title_en"), Provider: v("provider"),
		Kind: v("kind"), Hours: v("hours"), Points: v("points"), Cost: v("cost"),
		Central: c.FormValue("central") == "1", Certificate: c.FormValue("certificate") == "1",
		Mandatory: c.FormValue("mandatory") == "1", Target: v("target"), TargetLines: c.FormValue("target_lines"),
		ValidMonths: v("valid_months"), DueBy: v("due_by")}
	for _, id := range c.Request().PostArgs().PeekMulti("department_ids") {
		f.DepartmentIDs = append(f.DepartmentIDs, string(id))
	}
	return f
}

// trainingFormOf fills the form from a stored training.
func trainingFormOf(t *Training, lang string) trainingForm {
	f := trainingForm{Code: t.Code, TitleHU: t.TitleHU, TitleEN: t.TitleEN, Provider: t.Provider, Kind: t.Kind,
		Hours: HoursText(t.Minutes, lang), Points: strconv.Itoa(t.Points), Cost: strconv.FormatInt(t.CostFt, 10),
		Central: t.Central, Certificate: t.Certificate, Mandatory: t.Mandatory, Target: t.Target}
	if t.Target == TargetDepartments {
		f.DepartmentIDs = t.TargetItems()
	} else {
		f.TargetLines = strings.Join(t.TargetItems(), "\n")
	}
	if t.ValidMonths > 0 {
		f.ValidMonths = strconv.Itoa(t.ValidMonths)
	}
	if !t.DueBy.IsZero() {
		f.DueBy = t.DueBy.String()
	}
	return f
}

// HoursText writes minutes as hours the way lang writes them: "1,5" or "1.5".
func HoursText(minutes int, lang string) string {
	s := strconv.FormatFloat(math.Round(float64(minutes)/60*100)/100, 'f', -1, 64)
	if lang == "hu" {
		s = strings.ReplaceAll(s, ".", ",")
	}
	return s
}

// input reads the typed numbers and dates; the service checks the rest.
func (f trainingForm) input() (TrainingInput, web.Errors) {
	errs := web.Errors{}
	in := TrainingInput{Code: f.Code, TitleHU: f.TitleHU, TitleEN: f.TitleEN, Provider: f.Provider, Kind: f.Kind,
		Central: f.Central, Certificate: f.Certificate, Mandatory: f.Mandatory, Target: f.Target}
	if f.Hours == "" {
		errs.Add("hours", web.MsgRequired)
	} else if m, ok := ParseHours(f.Hours); !ok {
		errs.Add("hours", "training.admin.err.hours")
	} else {
		in.Minutes = m
	}
	in.Points = web.ParseInt(f.Points, "points", 0, maxPoints, errs)
	cost := strings.NewReplacer(" ", "", "\u00a0", "", ".", "").Replace(f.Cost)
	in.CostFt = int64(web.ParseInt(cost, "cost", 0, maxCostFt, errs))
	in.ValidMonths = web.ParseInt(f.ValidMonths, "valid_months", 0, maxValidity, errs)
	in.DueBy = calendar.ParseOptionalDateField(f.DueBy, "due_by", errs)
	switch f.Target {
	case TargetDepartments:
		in.TargetList = f.DepartmentIDs
	case TargetTitles, TargetRoles:
		in.TargetList = strings.Split(strings.ReplaceAll(f.TargetLines, "\r", ""), "\n")
	}
	return in, errs
}

// trainingFields places the training service's refusals by their fields;
// the target group's message goes to the list the target uses.
func trainingFields(target string) map[error]web.FieldMessage {
	list := "target_lines"
	if target == TargetDepartments {
		list = "department_ids"
	}
	return map[error]web.FieldMessage{
		ErrTrainingCode: {"code", "training.admin.err.code"}, ErrTrainingCodeTaken: {"code", "training.admin.err.code_taken"},
		ErrTrainingTitle: {"title_hu", "training.admin.err.title"}, ErrAdminText: {"title_hu", "training.admin.err.text"},
		ErrTrainingKind: {"kind", "training.admin.err.kind"}, ErrTrainingHours: {"hours", "training.admin.err.hours"},
		ErrTrainingPoints: {"points", "training.admin.err.points"}, ErrTrainingCost: {"cost", "training.admin.err.cost"},
		ErrTargetKind: {"target", "training.admin.err.target"}, ErrTargetEmpty: {list, "training.admin.err.target_empty"},
		ErrTargetDept:    {"department_ids", "training.admin.err.target_dept"},
		ErrTargetRole:    {"target_lines", "training.admin.err.target_role"},
		ErrValidityRange: {"valid_months", "training.admin.err.validity"}, ErrValidityNoCert: {"valid_months", "training.admin.err.validity_no_cert"},
		ErrDueBy: {"due_by", "training.admin.err.due_by"}, ErrDueByOptional: {"due_by", "training.admin.err.due_by_optional"},
		ErrPastYearCreate: {"", "training.admin.err.past_year_create"},
	}
}

// placeLocked puts each past-year refusal by the field it names.
func placeLocked(err error, errs web.Errors) bool {
	found := false
	for _, one := range adminJoined(err) {
		var le *LockedError
		if errors.As(one, &le) {
			errs.AddOnce(le.Field, "training.admin.err.locked")
			found = true
		}
	}
	if found {
		errs.AddOnce("", "training.admin.err.past_year")
	}
	return found
}

// adminJoined are the errors an errors.Join holds, else err alone.
func adminJoined(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// sessionForm is HR's session form as typed.
type sessionForm struct {
	FirstDay, LastDay, From, To string
	RoomID, Place               string
	TrainerID, Trainer          string
	Seats                       string
}

func parseSessionForm(c *fiber.Ctx) sessionForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return sessionForm{FirstDay: v("first_day"), LastDay: v("last_day"), From: v("from"), To: v("to"),
		RoomID: v("room_id"), Place: v("place"), TrainerID: v("trainer_id"), Trainer: v("trainer"), Seats: v("seats")}
}

// sessionFormOf fills the form from a stored session.
func sessionFormOf(x *Session) sessionForm {
	f := sessionForm{FirstDay: x.FirstDay.String(), LastDay: x.LastDay.String(), From: clock(x.FromMin), To: clock(x.ToMin),
		Place: x.Place, Trainer: x.Trainer, Seats: strconv.Itoa(x.Seats)}
	if x.RoomID != nil {
		f.RoomID = web.FormatID(*x.RoomID)
	}
	if x.TrainerID != nil {
		f.TrainerID = web.FormatID(*x.TrainerID)
	}
	return f
}

// input reads the typed days, times and choices; the service checks the rest.
func (f sessionForm) input() (SessionInput, web.Errors) {
	errs := web.Errors{}
	in := SessionInput{Place: f.Place, Trainer: f.Trainer}
	in.FirstDay = calendar.ParseDateField(f.FirstDay, "first_day", errs)
	if f.LastDay == "" {
		in.LastDay = in.FirstDay
	} else {
		in.LastDay = calendar.ParseDateField(f.LastDay, "last_day", errs)
	}
	in.FromMin = web.ParseTime(f.From, "from", errs)
	in.ToMin = web.ParseEndTime(f.To, "to", errs)
	in.RoomID = web.ParseOptionalID(f.RoomID, "room_id", errs)
	in.TrainerID = web.ParseOptionalID(f.TrainerID, "trainer_id", errs)
	if web.Required(f.Seats, "seats", errs) != "" {
		in.Seats = web.ParseInt(f.Seats, "seats", 1, maxSeats, errs)
	}
	return in, errs
}

// sessionFields places the session service's refusals by their fields.
var sessionFields = map[error]web.FieldMessage{
	ErrSessionDays: {"last_day", "training.admin.err.session_days"}, ErrSessionTooLong: {"last_day", "training.admin.err.session_too_long"},
	ErrSessionPast: {"first_day", "training.admin.err.session_past"}, ErrSessionYear: {"first_day", "training.admin.err.session_year"},
	ErrSessionHours: {"to", "training.admin.err.session_hours"}, ErrSessionPlace: {"place", "training.admin.err.session_place"},
	ErrSessionRoom: {"room_id", "training.admin.err.session_room"}, ErrRoomTaken: {"room_id", "training.admin.err.room_taken"},
	ErrSessionTrainer: {"trainer", "training.admin.err.session_trainer"}, ErrTrainerUnknown: {"trainer_id", "training.admin.err.trainer_unknown"},
	ErrTrainerBusy: {"trainer_id", "training.admin.err.trainer_busy"}, ErrAdminText: {"place", "training.admin.err.text"},
	ErrSeatsRange: {"seats", "training.admin.err.seats"}, ErrSeatsBelow: {"seats", "training.admin.err.seats_below"},
	ErrTrainingRetired: {"", "training.admin.err.retired"}, ErrSessionOver: {"", "training.admin.err.session_over"},
}

// startForm is the "start a year" form.
type startForm struct {
	Year, CopyFrom string
}

// startFields places StartYear's refusals.
var startFields = map[error]web.FieldMessage{
	ErrYearRange: {"year", "training.admin.err.year_range"}, ErrYearExists: {"year", "training.admin.err.year_exists"},
	ErrCopyFrom: {"copy_from", "training.admin.err.copy_from"},
}

// adminOptions are a select's choices whose labels are prefix+value in the catalog.
func adminOptions(c *fiber.Ctx, prefix string, values []string) []web.Option {
	out := make([]web.Option, len(values))
	for i, v := range values {
		out[i] = web.Option{Value: v, Label: web.T(c, prefix+v)}
	}
	return out
}

// HoursIn is the training's length in hours as lang writes them ("1,5").
func (t *Training) HoursIn(lang string) string { return HoursText(t.Minutes, lang) }

// refusals are the conflicts of a confirmed action (publish, cancel) that
// are worded in a flash on the page the person returns to, not an error page.
var refusals = map[error]string{
	ErrPublished: "training.admin.err.published", ErrYearEmpty: "training.admin.err.year_empty",
	ErrSessionCancelled: "training.admin.err.session_cancelled", ErrSessionClosed: "training.admin.err.session_closed",
	ErrSessionOver: "training.admin.err.session_over",
}

// flashRefusal words err in an error flash when it is one of refusals.
func flashRefusal(c *fiber.Ctx, err error) bool {
	for e, key := range refusals {
		if errors.Is(err, e) {
			web.AddFlash(c, "error", web.T(c, key))
			return true
		}
	}
	return false
}
