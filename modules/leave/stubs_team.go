package leave

import "github.com/gofiber/fiber/v2"

// Screens being built; each answers 404 until its file replaces this one.
func (m *Module) handlePlanShow(c *fiber.Ctx) error   { return fiber.ErrNotFound }
func (m *Module) handlePlanAdd(c *fiber.Ctx) error    { return fiber.ErrNotFound }
func (m *Module) handlePlanRemove(c *fiber.Ctx) error { return fiber.ErrNotFound }
func (m *Module) handleTeamShow(c *fiber.Ctx) error   { return fiber.ErrNotFound }
func (m *Module) handleFeedShow(c *fiber.Ctx) error   { return fiber.ErrNotFound }
