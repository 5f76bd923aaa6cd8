package leave

import "github.com/gofiber/fiber/v2"

// Screens being built; each answers 404 until its file replaces this one.
func (m *Module) handleBalanceList(c *fiber.Ctx) error       { return fiber.ErrNotFound }
func (m *Module) handleBalanceExportCSV(c *fiber.Ctx) error  { return fiber.ErrNotFound }
func (m *Module) handleBalanceExportXLSX(c *fiber.Ctx) error { return fiber.ErrNotFound }
func (m *Module) handleStatsShow(c *fiber.Ctx) error         { return fiber.ErrNotFound }
func (m *Module) handleTypeList(c *fiber.Ctx) error          { return fiber.ErrNotFound }
func (m *Module) handleTypeNew(c *fiber.Ctx) error           { return fiber.ErrNotFound }
func (m *Module) handleTypeCreate(c *fiber.Ctx) error        { return fiber.ErrNotFound }
func (m *Module) handleTypeEdit(c *fiber.Ctx) error          { return fiber.ErrNotFound }
func (m *Module) handleTypeUpdate(c *fiber.Ctx) error        { return fiber.ErrNotFound }
func (m *Module) handleEntitlementForm(c *fiber.Ctx) error   { return fiber.ErrNotFound }
func (m *Module) handleEntitlementSave(c *fiber.Ctx) error   { return fiber.ErrNotFound }
func (m *Module) handleAdjustmentCreate(c *fiber.Ctx) error  { return fiber.ErrNotFound }
func (m *Module) handleRecordNew(c *fiber.Ctx) error         { return fiber.ErrNotFound }
func (m *Module) handleRecordCreate(c *fiber.Ctx) error      { return fiber.ErrNotFound }
