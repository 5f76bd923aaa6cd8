package helpdesk

import (
	"errors"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/places"
	"kapu/modules/platform/web"
)

// handleReportNew shows the report form. ?asset=TAG (the link on the QR
// label) fills in the asset, its place and a guess of its category, so the
// reporter only says what is wrong; ?room= picks a room.
func (m *Module) handleReportNew(c *fiber.Ctx) error {
	form := reportForm{RoomID: c.Query("room"), Impact: ImpactHinders, Urgency: UrgencyMedium}
	errs := web.Errors{}
	if tag := strings.TrimSpace(c.Query("asset")); tag != "" {
		form.AssetTag = tag
		as, err := m.reportAssetByTag(c, tag)
		switch {
		case errors.Is(err, ErrAssetNotFound):
			errs.Add("asset_tag", "helpdesk.report.err.asset")
		case err != nil:
			return err
		default:
			form.AssetTag, form.AssetID = as.Tag, web.FormatID(as.ID) // the picker shows it too when it lists it
			form.Building, form.Floor, form.Room = as.Building, as.Floor, as.Room
			if as.RoomID != nil {
				form.RoomID = web.FormatID(*as.RoomID)
			}
			if id := m.svc.reportGuessCategory(c.UserContext(), as); id != 0 {
				form.CategoryID = web.FormatID(id)
			}
		}
	}
	return m.renderReport(c, form, errs)
}

// reportAssetByTag is the asset with the sticker's tag; a tag no sticker could
// carry (too long, control characters) is simply unknown.
func (m *Module) reportAssetByTag(c *fiber.Ctx, tag string) (*Asset, error) {
	tag = strings.TrimSpace(tag)
	if !validLine(tag, maxAssetTag) {
		return nil, ErrAssetNotFound
	}
	return m.svc.AssetByTag(c.UserContext(), web.ActorOf(c), tag)
}

// handleReportCreate records the ticket (and its photo) and opens its page;
// every problem goes next to its field and the form comes back filled.
func (m *Module) handleReportCreate(c *fiber.Ctx) error {
	ctx, a := c.UserContext(), web.ActorOf(c)
	form := parseReportForm(c)
	errs := web.Errors{}
	cat, err := m.svc.reportCatalog(ctx, web.LangOf(c))
	if err != nil {
		return err
	}
	in := ReportInput{Title: form.Title, Description: form.Description, Impact: form.Impact, Urgency: form.Urgency,
		Building: form.Building, Floor: form.Floor, Room: form.Room}
	if id := web.ParseID(form.CategoryID, "category_id", errs); id != 0 {
		in.CategoryID = id
		if in.QueueKey = cat.queueOf[id]; in.QueueKey == "" {
			errs.Add("category_id", "helpdesk.err.category")
		}
	}
	if form.RoomID != "" {
		room, err := m.reportRoom(c, form.RoomID)
		if err != nil {
			return err
		}
		if room == nil {
			errs.Add("room_id", web.MsgChoice)
		} else {
			in.Building, in.Floor = room.Building, room.Floor
			if strings.TrimSpace(in.Room) == "" {
				in.Room = room.Name
			}
		}
	}
	var asset *Asset
	switch {
	case strings.TrimSpace(form.AssetTag) != "":
		asset, err = m.reportAssetByTag(c, form.AssetTag)
		if errors.Is(err, ErrAssetNotFound) {
			errs.Add("asset_tag", "helpdesk.report.err.asset")
		} else if err != nil {
			return err
		}
	case form.AssetID != "":
		if id := web.ParseID(form.AssetID, "asset_id", errs); id != 0 {
			asset, err = m.svc.Asset(ctx, a, id)
			if errors.Is(err, ErrAssetNotFound) {
				errs.Add("asset_id", web.MsgChoice)
			} else if err != nil {
				return err
			}
		}
	}
	if asset != nil {
		in.AssetID = &asset.ID
		if in.Building == "" && in.Floor == "" && in.Room == "" {
			in.Building, in.Floor, in.Room = asset.Building, asset.Floor, asset.Room
		}
	}
	if staffOfAnyQueue(a, cat.Queues) {
		if form.ReporterID != "" {
			in.ReporterID = web.ParseID(form.ReporterID, "reporter_id", errs)
		}
	} else {
		in.Urgency = ""
	}
	var up *web.Upload
	if fh, ferr := c.FormFile("photo"); ferr == nil {
		up, err = ReadPhoto(fh)
		if !errs.AddFieldErrors(err, reportErrors) && err != nil {
			return err
		}
	}
	if errs.Any() {
		// Show every problem at once: the service's own checks of the rest.
		if _, cerr := in.check(); cerr != nil {
			errs.AddFieldErrors(cerr, reportErrors)
		}
		return m.renderReport(c, form, errs)
	}
	t, err := m.svc.Report(ctx, a, in)
	if errs.AddFieldErrors(err, reportErrors) {
		return m.renderReport(c, form, errs)
	}
	if err != nil {
		return err
	}
	if up != nil {
		if _, err := m.svc.Attach(ctx, a, t.ID, nil, *up); err != nil {
			return err
		}
	}
	web.Success(c, "helpdesk.report.done", "Number", t.Number)
	return c.Redirect("/helpdesk/tickets/"+web.FormatID(t.ID), fiber.StatusSeeOther)
}

// room is the known room with the id typed, or nil.
func (m *Module) reportRoom(c *fiber.Ctx, raw string) (*places.Room, error) {
	id, ok := web.ID(raw)
	if !ok {
		return nil, nil
	}
	rooms, err := m.svc.Rooms.Rooms(c.UserContext())
	if err != nil {
		return nil, err
	}
	for i := range rooms {
		if rooms[i].ID == id {
			return &rooms[i], nil
		}
	}
	return nil, nil
}

// renderReport shows the form with what it offers this viewer: categories by
// queue, the rooms, their equipment and the room's, and for staff the people.
func (m *Module) renderReport(c *fiber.Ctx, form reportForm, errs web.Errors) error {
	ctx, a, lang := c.UserContext(), web.ActorOf(c), web.LangOf(c)
	cat, err := m.svc.reportCatalog(ctx, lang)
	if err != nil {
		return err
	}
	rooms, err := m.svc.Rooms.Rooms(ctx)
	if err != nil {
		return err
	}
	roomOpts := make([]web.Option, len(rooms))
	for i, r := range rooms {
		label := r.Name
		if where := strings.Trim(r.Building+", "+r.Floor, ", "); where != "" {
			label += " (" + where + ")"
		}
		roomOpts[i] = web.Option{Value: web.FormatID(r.ID), Label: label}
	}
	mine, err := m.svc.MyAssets(ctx, a)
	if err != nil {
		return err
	}
	var inRoom []Asset
	if id, ok := web.ID(form.RoomID); ok {
		if inRoom, err = m.svc.AssetsInRoom(ctx, a, id); err != nil {
			return err
		}
	}
	data := fiber.Map{
		"Groups": cat.Groups, "Rooms": roomOpts,
		"MyAssets": reportAssetOptions(mine), "RoomAssets": reportAssetOptions(inRoom),
		"Impacts":   []string{ImpactBlocks, ImpactHinders, ImpactCanWait},
		"Urgencies": []string{UrgencyHigh, UrgencyMedium, UrgencyLow},
		"Staff":     staffOfAnyQueue(a, cat.Queues),
	}
	if data["Staff"] == true {
		ppl, err := m.svc.people.ActivePeople(ctx)
		if err != nil {
			return err
		}
		opts := make([]web.Option, len(ppl))
		for i, p := range ppl {
			opts[i] = web.Option{Value: web.FormatID(p.ID), Label: p.Label}
		}
		data["People"] = opts
	}
	page := web.Page{Title: "helpdesk.report.title", Data: data, Form: form, Errors: errs}
	if errs.Any() {
		return web.RenderForm(c, "helpdesk/report", page)
	}
	return web.Render(c, "helpdesk/report", page)
}

// reportAssetOptions are assets as select entries: the tag and what it is.
func reportAssetOptions(list []Asset) []web.Option {
	out := make([]web.Option, len(list))
	for i, as := range list {
		label := as.Tag + " – " + as.Type
		if as.Model != "" {
			label += " " + as.Model
		}
		out[i] = web.Option{Value: web.FormatID(as.ID), Label: label}
	}
	return out
}
