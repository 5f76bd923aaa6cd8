package training

import (
	"time"

	"kapu/modules/platform/web"
)

// feedbackRoutes are the links of the mail sent after a session (the
// rating, 1–5 and a comment). They work without signing in, so the form is
// signed for its own link instead of carrying the session's CSRF token, and
// the logs hide the token. A GET only shows; the POST rates, at most a few
// times a minute from one address. They go before the signed-in /training
// groups, whose login check would otherwise run first.
func (m *Module) feedbackRoutes(s *web.Server) {
	s.ExemptCSRF(feedbackPath)
	s.SecretPath(feedbackPath)
	s.App.Get(feedbackPath+":token", m.handleFeedbackShow)
	s.App.Post(feedbackPath+":token", s.Limit(web.Limit{Name: "training.feedback", Max: 20, Window: time.Minute, Key: web.ByIP}), m.handleFeedbackSave)
}
