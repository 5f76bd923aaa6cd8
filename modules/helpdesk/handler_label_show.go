package helpdesk

import (
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	qrcode "github.com/skip2/go-qrcode"

	"kapu/modules/platform/web"
)

// assetLabel is one printed label.
type assetLabel struct {
	Asset Asset
	URL   string        // what the QR code holds: the report form for the asset
	QR    template.HTML // the code as inline SVG
}

// ReportURL is the absolute address of the report form for the asset with
// tag, the QR code's payload: scanning the sticker opens a fault report
// about that very asset.
func ReportURL(base, tag string) string {
	return strings.TrimRight(base, "/") + "/helpdesk/new?asset=" + url.QueryEscape(tag)
}

// LabelQR draws payload as a QR code in SVG, one path of unit squares on a
// white ground with the standard quiet zone, medium error correction (a
// scratched sticker still scans). The markup is built here from the
// matrix alone, so it is safe to put in the page as it is.
func LabelQR(payload string) (template.HTML, error) {
	q, err := qrcode.New(payload, qrcode.Medium)
	if err != nil {
		return "", err
	}
	bits := q.Bitmap() // with the four-module border
	n := len(bits)
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="label-qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" shape-rendering="crispEdges" role="img" aria-hidden="true">`, n, n)
	fmt.Fprintf(&b, `<rect width="%d" height="%d" fill="#fff"/><path fill="#000" d="`, n, n)
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				fmt.Fprintf(&b, "M%d %dh1v1h-1z", x, y)
			}
		}
	}
	b.WriteString(`"/></svg>`)
	return template.HTML(b.String()), nil
}

func (m *Module) labels(c *fiber.Ctx, list []Asset) ([]assetLabel, error) {
	base := web.ServerOf(c).Cfg.BaseURL
	out := make([]assetLabel, len(list))
	for i, as := range list {
		u := ReportURL(base, as.Tag)
		svg, err := LabelQR(u)
		if err != nil {
			return nil, err
		}
		out[i] = assetLabel{Asset: as, URL: u, QR: svg}
	}
	return out, nil
}

// handleLabelShow is the printable label of one asset.
func (m *Module) handleLabelShow(c *fiber.Ctx) error {
	as, err := m.assetOf(c)
	if err != nil {
		return err
	}
	return m.renderLabels(c, []Asset{*as}, "/helpdesk/assets/"+web.FormatID(as.ID))
}

// handleLabelList is a sheet of labels: the assets of ?ids=1,2,3 or, without
// ids, those the list's filters find (at most maxAssetList either way).
func (m *Module) handleLabelList(c *fiber.Ctx) error {
	a, ctx := web.ActorOf(c), c.UserContext()
	var list []Asset
	if raw := c.Query("ids"); raw != "" {
		var ids []uint
		for _, part := range strings.Split(raw, ",") {
			id, ok := web.ID(strings.TrimSpace(part))
			if !ok {
				return fiber.ErrNotFound
			}
			ids = append(ids, id)
		}
		var err error
		if list, err = m.svc.AssetsByID(ctx, a, ids); err != nil {
			return err
		}
		if len(list) == 0 {
			return ErrAssetNotFound
		}
	} else {
		var err error
		if list, err = m.svc.Assets(ctx, a, assetFilterOf(c)); err != nil {
			return err
		}
	}
	back := "/helpdesk/assets"
	if q := c.Request().URI().QueryArgs().String(); q != "" && c.Query("ids") == "" {
		back += "?" + q
	}
	return m.renderLabels(c, list, back)
}

func (m *Module) renderLabels(c *fiber.Ctx, list []Asset, back string) error {
	ls, err := m.labels(c, list)
	if err != nil {
		return err
	}
	return web.Render(c, "helpdesk/label_sheet", web.Page{Title: "helpdesk.label.title",
		Data: fiber.Map{"Labels": ls, "City": web.ServerOf(c).Cfg.City, "Back": back}})
}

// labelCSS lays the labels out: a grid that fits any screen, and on paper
// an A4 sheet of 3 × 8 labels of 70 × 37 mm, the common sticker sheet.
const labelCSS = `.label-sheet{display:grid;grid-template-columns:repeat(auto-fill,minmax(15rem,1fr));gap:.75rem;margin:1rem 0}
.label{display:flex;gap:.5rem;align-items:center;border:1px dashed #999;border-radius:.25rem;padding:.5rem;background:#fff;color:#000;min-width:0;overflow:hidden}
.label-qr{flex:0 0 auto;width:6.5rem;height:6.5rem}
.label-text{min-width:0;overflow-wrap:anywhere;line-height:1.2}
.label-city{font-size:.75rem}
.label-tag{font-family:ui-monospace,monospace;font-weight:700;font-size:1.1rem}
.label-what{font-size:.8rem}
@media print{
@page{size:A4;margin:10.5mm 0}
.label-intro,.page-head{display:none!important}
.label-sheet{grid-template-columns:repeat(3,70mm);grid-auto-rows:37mm;gap:0;margin:0}
.label{border:0;border-radius:0;padding:2mm 3mm;break-inside:avoid;page-break-inside:avoid}
.label-qr{width:31mm;height:31mm}
.label-city{font-size:7pt}.label-tag{font-size:11pt}.label-what{font-size:7pt}
}
`

// handleLabelCSS serves the labels' stylesheet (the pages allow no inline styles).
func (m *Module) handleLabelCSS(c *fiber.Ctx) error {
	c.Set(fiber.HeaderContentType, "text/css; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "private, max-age=3600")
	return c.SendString(labelCSS)
}
