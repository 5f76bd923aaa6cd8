package training

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleCatalogueBrowse shows the published year's trainings the viewer may
// take, filtered by kind, words and mandatory, each with its open sessions.
func (m *Module) handleCatalogueBrowse(c *fiber.Ctx) error {
	year, _ := strconv.Atoi(c.Query("year"))
	f := BrowseFilter{Year: year, Kind: c.Query("kind"), Text: c.Query("q"), Mandatory: c.Query("mandatory") == "1"}
	if !validLine(f.Text, maxTitle) {
		f.Text = ""
	}
	v, err := m.svc.Browse(c.UserContext(), web.ActorOf(c), f)
	if err != nil {
		return err
	}
	return web.Render(c, "training/catalogue", web.Page{Title: "training.enrol.catalogue.title",
		Data: fiber.Map{"V": v, "Kinds": Kinds}})
}
