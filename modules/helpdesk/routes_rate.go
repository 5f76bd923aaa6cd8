package helpdesk

import (
	"time"

	"kapu/modules/platform/web"
)

// ratePath is where the rating mail's links lead.
const ratePath = "/helpdesk/rate/"

// rateRoutes are the rating links of the closing mail. They work without
// signing in (the reporter may open the mail on a phone), so, like the
// approval module's mail links, the form is signed for its own link instead
// of carrying the session's CSRF token, and the logs hide the token. A GET
// only shows; the POST rates, at most a few times a minute from one address.
func (m *Module) rateRoutes(s *web.Server) {
	s.ExemptCSRF(ratePath)
	s.SecretPath(ratePath)
	s.App.Get(ratePath+":token", m.handleRateShow)
	s.App.Post(ratePath+":token", s.Limit(web.Limit{Name: "helpdesk.rate", Max: 20, Window: time.Minute, Key: web.ByIP}), m.handleRateSave)
}
