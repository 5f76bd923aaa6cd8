package helpdesk

import (
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/calendar"
	"kapu/modules/platform/people"
	"kapu/modules/platform/web"
)

// assetForm is the asset form as typed, so it comes back unchanged.
type assetForm struct {
	Tag, Type, Model, Serial, Building, Floor, Room string
	Owner, Department, PurchasedOn, Price           string
	WarrantyEnd, LifeMonths, State, Queue           string
}

func parseAssetForm(c *fiber.Ctx) assetForm {
	v := func(k string) string { return strings.TrimSpace(c.FormValue(k)) }
	return assetForm{Tag: v("tag"), Type: v("type"), Model: v("model"), Serial: v("serial"), Building: v("building"),
		Floor: v("floor"), Room: v("room"), Owner: v("owner"), Department: v("department"), PurchasedOn: v("purchased_on"),
		Price: v("price"), WarrantyEnd: v("warranty_end"), LifeMonths: v("life_months"), State: v("state"), Queue: v("queue")}
}

// assetFormOf fills the form from a stored asset; owner is its username.
func assetFormOf(as *Asset, owner string) assetForm {
	f := assetForm{Tag: as.Tag, Type: as.Type, Model: as.Model, Serial: as.Serial, Building: as.Building, Floor: as.Floor,
		Room: as.Room, Owner: owner, State: as.State, Queue: as.QueueKey,
		Price: strconv.FormatInt(as.Price, 10), LifeMonths: strconv.Itoa(as.LifeMonths)}
	if as.DepartmentID != nil {
		f.Department = web.FormatID(*as.DepartmentID)
	}
	if !as.PurchasedOn.IsZero() {
		f.PurchasedOn = as.PurchasedOn.String()
	}
	if !as.WarrantyEnd.IsZero() {
		f.WarrantyEnd = as.WarrantyEnd.String()
	}
	return f
}

// assetFields places the service's refusals next to the asset form's fields.
var assetFields = map[error]web.FieldMessage{
	ErrAssetTag: {"tag", "helpdesk.asset.err.tag"}, ErrAssetTagTaken: {"tag", "helpdesk.asset.err.tag_taken"},
	ErrAssetType: {"type", "helpdesk.asset.err.type"}, ErrAssetText: {"model", "helpdesk.asset.err.text"},
	ErrAssetState: {"state", "helpdesk.asset.err.state"}, ErrAssetPrice: {"price", "helpdesk.asset.err.price"},
	ErrAssetLife: {"life_months", "helpdesk.asset.err.life"}, ErrAssetWarranty: {"warranty_end", "helpdesk.asset.err.warranty"},
	ErrAssetOwner: {"owner", "helpdesk.asset.err.owner"}, ErrAssetDept: {"department", "helpdesk.asset.err.department"},
	ErrAssetQueue: {"queue", "helpdesk.asset.err.queue"},
}

// input reads the typed numbers, dates and the owner's username.
func (m *Module) assetInput(c *fiber.Ctx, f assetForm, stored *Asset) (AssetInput, web.Errors) {
	errs := web.Errors{}
	in := AssetInput{Tag: f.Tag, Type: f.Type, Model: f.Model, Serial: f.Serial, Building: f.Building, Floor: f.Floor,
		Room: f.Room, State: f.State, QueueKey: f.Queue}
	if stored != nil {
		in.RoomID = stored.RoomID // the form does not show the booking room
	}
	typed := map[string]string{"tag": f.Tag, "type": f.Type, "model": f.Model, "serial": f.Serial,
		"building": f.Building, "floor": f.Floor, "room": f.Room}
	for field, limit := range assetTextLimits {
		if !validLine(typed[field], limit) {
			errs.Add(field, "helpdesk.asset.err.text")
		}
	}
	in.DepartmentID = web.ParseOptionalID(f.Department, "department", errs)
	in.PurchasedOn = calendar.ParseOptionalDateField(f.PurchasedOn, "purchased_on", errs)
	in.WarrantyEnd = calendar.ParseOptionalDateField(f.WarrantyEnd, "warranty_end", errs)
	if p := digitsOnly(f.Price); p != "" {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			errs.Add("price", "helpdesk.asset.err.price")
		}
		in.Price = n
	}
	if f.LifeMonths != "" {
		in.LifeMonths = web.ParseInt(f.LifeMonths, "life_months", 0, math.MaxInt32, errs)
	}
	if f.Owner != "" && m.svc.people != nil {
		p, err := m.svc.people.ByUsername(c.UserContext(), f.Owner)
		switch {
		case errors.Is(err, people.ErrNotFound):
			errs.Add("owner", "helpdesk.asset.err.owner")
		case err != nil:
			errs.Add("owner", "helpdesk.asset.err.owner")
		default:
			in.OwnerID = &p.ID
		}
	}
	return in, errs
}

// handleAssetNew shows an empty asset form (?queue= preselects the queue).
func (m *Module) handleAssetNew(c *fiber.Ctx) error {
	f := assetForm{State: AssetInUse, Queue: QueueIT}
	if q := c.Query("queue"); staffRole(q) != "" {
		f.Queue = q
	}
	return m.renderAssetForm(c, nil, f, nil, fiber.StatusOK)
}

// handleAssetCreate adds the asset, or shows the form again with what went wrong.
func (m *Module) handleAssetCreate(c *fiber.Ctx) error {
	return m.saveAsset(c, nil)
}

// handleAssetEdit shows a stored asset's form.
func (m *Module) handleAssetEdit(c *fiber.Ctx) error {
	as, err := m.assetOf(c)
	if err != nil {
		return err
	}
	owner := ""
	if as.OwnerID != nil && m.svc.people != nil {
		if p, err := m.svc.people.Person(c.UserContext(), *as.OwnerID); err == nil {
			owner = p.Username
		}
	}
	return m.renderAssetForm(c, as, assetFormOf(as, owner), nil, fiber.StatusOK)
}

// handleAssetUpdate saves a stored asset.
func (m *Module) handleAssetUpdate(c *fiber.Ctx) error {
	as, err := m.assetOf(c)
	if err != nil {
		return err
	}
	return m.saveAsset(c, as)
}

// saveAsset reads the form and saves it as a new (stored nil) or stored asset.
func (m *Module) saveAsset(c *fiber.Ctx, stored *Asset) error {
	f := parseAssetForm(c)
	in, errs := m.assetInput(c, f, stored)
	if errs.Any() {
		return m.renderAssetForm(c, stored, f, errs, fiber.StatusUnprocessableEntity)
	}
	var id uint
	if stored != nil {
		id = stored.ID
	}
	saved, err := m.svc.SaveAsset(c.UserContext(), web.ActorOf(c), id, in)
	if fe, ok := web.FieldErrors(err, assetFields); ok {
		return m.renderAssetForm(c, stored, f, fe, fiber.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	web.Success(c, "helpdesk.asset.saved", "Tag", saved.Tag)
	return c.Redirect("/helpdesk/assets/"+web.FormatID(saved.ID), fiber.StatusSeeOther)
}

// assetOf is the asset of the :id in the path (404 for a malformed or unknown id).
func (m *Module) assetOf(c *fiber.Ctx) (*Asset, error) {
	id, err := web.IDParam(c)
	if err != nil {
		return nil, err
	}
	return m.svc.Asset(c.UserContext(), web.ActorOf(c), id)
}

func (m *Module) renderAssetForm(c *fiber.Ctx, as *Asset, f assetForm, errs web.Errors, status int) error {
	opts, err := m.assetFilterOptions(c)
	if err != nil {
		return err
	}
	opts["Asset"] = as
	title := "helpdesk.asset.new"
	if as != nil {
		title = "helpdesk.asset.edit"
	}
	return web.RenderForm(c, "helpdesk/asset_form", web.Page{Title: title, Form: f, Errors: errs, Status: status, Data: opts})
}
