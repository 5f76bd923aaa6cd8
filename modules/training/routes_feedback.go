package training

import "kapu/modules/platform/web"

// feedbackRoutes registers the mailed one-click rating link (feedback.go).
// It goes before the signed-in /training groups, whose login check would
// otherwise run first.
func (m *Module) feedbackRoutes(s *web.Server) {}
