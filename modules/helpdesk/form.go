package helpdesk

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/actor"
	"kapu/modules/platform/web"
)

// reportForm is the report form as typed, shown again after an error.
type reportForm struct {
	CategoryID  string
	Title       string
	Description string
	RoomID      string // one of the rooms Kapu knows, or "" when typed
	Building    string
	Floor       string
	Room        string
	AssetTag    string // the sticker's number typed (or from ?asset=)
	AssetID     string // one of "my equipment" / "equipment in this room"
	Impact      string
	Urgency     string
	ReporterID  string // staff only
}

func parseReportForm(c *fiber.Ctx) reportForm {
	return reportForm{
		CategoryID: c.FormValue("category_id"), Title: c.FormValue("title"), Description: c.FormValue("description"),
		RoomID: c.FormValue("room_id"), Building: c.FormValue("building"), Floor: c.FormValue("floor"), Room: c.FormValue("room"),
		AssetTag: c.FormValue("asset_tag"), AssetID: c.FormValue("asset_id"), Impact: c.FormValue("impact"),
		Urgency: c.FormValue("urgency"), ReporterID: c.FormValue("reporter_id"),
	}
}

// reportErrors places Report's errors next to their fields.
var reportErrors = map[error]web.FieldMessage{
	ErrTitle:         {"title", "helpdesk.err.title"},
	ErrTitleTooLong:  {"title", "helpdesk.err.title_too_long"},
	ErrText:          {"description", "helpdesk.err.text"},
	ErrQueue:         {"category_id", "helpdesk.err.queue"},
	ErrCategory:      {"category_id", "helpdesk.err.category"},
	ErrImpact:        {"impact", "helpdesk.err.impact"},
	ErrUrgency:       {"urgency", "helpdesk.err.urgency"},
	ErrReporter:      {"reporter_id", "helpdesk.err.reporter"},
	ErrOnBehalf:      {"reporter_id", "helpdesk.err.on_behalf"},
	ErrPhotoTooLarge: {"photo", "helpdesk.err.photo_too_large"},
	ErrPhotoType:     {"photo", "helpdesk.err.photo_type"},
	ErrAssetNotFound: {"asset_tag", "helpdesk.report.err.asset"},
}

// keyedOptions are a select's choices for values whose labels are the
// catalog's prefix+value.
func keyedOptions(c *fiber.Ctx, prefix string, values []string) []web.Option {
	out := make([]web.Option, len(values))
	for i, v := range values {
		out[i] = web.Option{Value: v, Label: web.T(c, prefix+v)}
	}
	return out
}

// staffOfAnyQueue reports whether a works either queue: the form then offers
// "reported by" and urgency (the service still checks the chosen queue).
func staffOfAnyQueue(a actor.Actor, qs []Queue) bool {
	for i := range qs {
		if isStaff(a, &qs[i]) {
			return true
		}
	}
	return false
}

// reportCategoryGroup is one <optgroup> of the category select: a queue's categories.
type reportCategoryGroup struct {
	Label   string
	Options []web.Option
}

// reportChoices are the queues and their active categories, read once per form.
type reportChoices struct {
	Queues  []Queue
	Groups  []reportCategoryGroup
	queueOf map[uint]string // category id → queue key
}

func (s *Service) reportCatalog(ctx context.Context, lang string) (*reportChoices, error) {
	qs, err := s.Queues(ctx)
	if err != nil {
		return nil, err
	}
	cat := &reportChoices{Queues: qs, queueOf: map[uint]string{}}
	for _, q := range qs {
		cs, err := s.Categories(ctx, q.ID, false)
		if err != nil {
			return nil, err
		}
		g := reportCategoryGroup{Label: q.Name(lang)}
		for _, c := range cs {
			g.Options = append(g.Options, web.Option{Value: web.FormatID(c.ID), Label: c.Name(lang)})
			cat.queueOf[c.ID] = q.Key
		}
		cat.Groups = append(cat.Groups, g)
	}
	return cat, nil
}

// reportCategoryHints are words of an asset's type that tell its category, as
// (queue, Hungarian category name) of the demo's categories; the first match wins.
var reportCategoryHints = []struct{ word, queue, category string }{
	{"nyomtat", QueueIT, "Nyomtató"}, {"printer", QueueIT, "Nyomtató"}, {"szkenner", QueueIT, "Nyomtató"},
	{"telefon", QueueIT, "Telefon"}, {"phone", QueueIT, "Telefon"},
	{"router", QueueIT, "Hálózat"}, {"switch", QueueIT, "Hálózat"}, {"wifi", QueueIT, "Hálózat"},
	{"számítógép", QueueIT, "Hardver"}, {"laptop", QueueIT, "Hardver"}, {"monitor", QueueIT, "Hardver"},
	{"projektor", QueueIT, "Hardver"}, {"computer", QueueIT, "Hardver"}, {"pc", QueueIT, "Hardver"},
	{"kazán", QueueMaintenance, "Fűtés, hűtés"}, {"radiátor", QueueMaintenance, "Fűtés, hűtés"},
	{"klíma", QueueMaintenance, "Fűtés, hűtés"}, {"boiler", QueueMaintenance, "Fűtés, hűtés"},
	{"csap", QueueMaintenance, "Vízvezeték"}, {"bojler", QueueMaintenance, "Vízvezeték"},
	{"lámpa", QueueMaintenance, "Elektromos"}, {"világítás", QueueMaintenance, "Elektromos"},
	{"szék", QueueMaintenance, "Bútor"}, {"asztal", QueueMaintenance, "Bútor"}, {"szekrény", QueueMaintenance, "Bútor"},
	{"zár", QueueMaintenance, "Zárak, kulcsok"},
}

// reportGuessCategory is the category an asset's fault most likely belongs to:
// a category named like its type, else the hints above; 0 when unsure.
func (s *Service) reportGuessCategory(ctx context.Context, as *Asset) uint {
	typ := strings.ToLower(as.Type + " " + as.Model)
	qs, err := s.Queues(ctx)
	if err != nil {
		return 0
	}
	var all []struct {
		cat   Category
		queue string
	}
	for _, q := range qs {
		cs, err := s.Categories(ctx, q.ID, false)
		if err != nil {
			return 0
		}
		for _, c := range cs {
			all = append(all, struct {
				cat   Category
				queue string
			}{c, q.Key})
		}
	}
	for _, x := range all {
		for _, n := range []string{x.cat.NameHU, x.cat.NameEN} {
			if n != "" && strings.Contains(typ, strings.ToLower(n)) {
				return x.cat.ID
			}
		}
	}
	for _, h := range reportCategoryHints {
		if !strings.Contains(typ, h.word) {
			continue
		}
		for _, x := range all {
			if x.queue == h.queue && x.cat.NameHU == h.category {
				return x.cat.ID
			}
		}
	}
	return 0
}
