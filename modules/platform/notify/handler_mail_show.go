package notify

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"kapu/modules/platform/web"
)

// handleMailView shows one message as its recipient reads it in plain text.
func (m *Module) handleMailView(c *fiber.Ctx) error {
	mail, err := m.mailParam(c)
	if err != nil {
		return err
	}
	files, err := mail.Files()
	if err != nil {
		return err
	}
	return web.Render(c, "notify/mail_view", web.Page{
		Title: "notify.mail_title",
		Form:  fiber.Map{},
		Data: fiber.Map{
			"Mail":       mail,
			"Body":       Linkify(mail.Text),
			"Files":      files,
			"Configured": m.out.Configured(),
		},
	})
}

// handleMailHTML serves the stored HTML as its own document under a CSP that
// allows nothing but inline styles, since it is content meant for a mail client.
func (m *Module) handleMailHTML(c *fiber.Ctx) error {
	mail, err := m.mailParam(c)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentSecurityPolicy, htmlCSP)
	c.Set(fiber.HeaderReferrerPolicy, "no-referrer")
	c.Type("html", "utf-8")
	return c.SendString(mail.HTML)
}

// handleMailFile downloads the message's n-th attachment (from 0) as it was
// or will be sent; always as a download, so nothing in it runs in the page.
func (m *Module) handleMailFile(c *fiber.Ctx) error {
	mail, err := m.mailParam(c)
	if err != nil {
		return err
	}
	files, err := mail.Files()
	if err != nil {
		return err
	}
	n, err := strconv.Atoi(c.Params("n"))
	if err != nil || n < 0 || n >= len(files) {
		return fiber.ErrNotFound
	}
	f := files[n]
	ct := f.ContentType
	if ct == "" {
		ct = "application/octet-stream"
	}
	c.Attachment(f.Name) // before the type, which it would set from the name
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(f.Data)
}
